"""The claims in the formats the field exchanges (``imid-onto export --format F``), one
module per format, each written offline and deterministically from the one claim reader.

``indra`` (INDRA Statements JSON), ``bel`` (a BEL script), ``gocam`` (a GO-CAM-style model,
the ``gocam`` package's Model) each have a module of that name; ``graphml`` and ``cx2`` (the
causal graph for Cytoscape and NDEx) are written by ``network``; ``sssom`` (the entities'
SKOS matches) by ``sssom``. What maps to what, and what each format leaves out:
``docs/design/exports.md``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from imid_onto.errors import InputError
from imid_onto.publish.exports.base import Export, Source

__all__ = ["EXPORT_FORMATS", "Export", "export", "write_export"]

#: The formats: the file extension each is written with, and the module (of this package)
#: whose ``export_<format>`` writes it, imported only when the format is asked for.
_FORMATS: dict[str, tuple[str, str]] = {
    "indra": (".json", "indra"),
    "bel": (".bel", "bel"),
    "gocam": (".json", "gocam"),
    "graphml": (".graphml", "network"),
    "cx2": (".cx2", "network"),
    "sssom": (".sssom.tsv", "sssom"),
}
#: The formats, with the file extension each is written with.
EXPORT_FORMATS: dict[str, str] = {fmt: extension for fmt, (extension, _) in _FORMATS.items()}


def _exporter(fmt: str) -> Callable[[Source], Export]:
    if fmt not in _FORMATS:
        raise InputError(f"unknown export format {fmt!r}: one of {', '.join(EXPORT_FORMATS)}")
    module = importlib.import_module(f"imid_onto.publish.exports.{_FORMATS[fmt][1]}")
    exporter: Callable[[Source], Export] = getattr(module, f"export_{fmt}")
    return exporter


def export(fmt: str, graph: Graph | None = None) -> Export:
    """The claims of ``graph`` (default: the knowledge base, as ``load_knowledge_base``
    reads it) in format ``fmt`` (one of :data:`EXPORT_FORMATS`): the text, how many claims
    it carries, and which it marks or leaves out and why. Offline; the same input gives the
    same bytes."""
    exporter = _exporter(fmt)
    if graph is None:
        from imid_onto.model.kb import load_knowledge_base

        graph = load_knowledge_base()
    return exporter(Source(graph))


def write_export(fmt: str, out: Path, graph: Graph | None = None) -> Export:
    """:func:`export`, written to ``out`` (UTF-8, LF line ends)."""
    result = export(fmt, graph)
    out.write_text(result.text, encoding="utf-8", newline="\n")
    return result
