"""The canonical Turtle form of hand-edited files.

Canonical form is what rdflib's ``longturtle`` serializer writes for the file's triples:
subjects and predicates sorted, one statement block per subject, nested blank nodes
inline, blank nodes ordered by their canonical labels (RDFC-1.0). It is deterministic, so a
diff shows only real changes. ``imid-onto fmt`` rewrites files into it; the test suite checks the ontology is in it.
A claims file (claim records) has its own canonical form, which keeps its comments and the
order of its records: :func:`imid_onto.io.records.canonical_text`.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal

from imid_onto.errors import InputError
from imid_onto.io import records
from imid_onto.io.rdf import canonical_graph, read_graph, write_atomic
from imid_onto.vocab import PREFIXES

__all__ = ["canonical_turtle", "is_canonical", "format_file"]


def canonical_turtle(graph: Graph) -> str:
    """``graph`` as canonical Turtle, with only the prefixes it uses declared."""
    # Blank nodes get labels derived from the graph's structure, so their order (and so
    # the text) is the same in every run. A Graph of its own, with no namespaces bound.
    used = canonical_graph(graph)
    text = " ".join(str(term) for triple in graph for term in triple)
    text += " ".join(str(o.datatype) for o in graph.objects() if isinstance(o, Literal) and o.datatype)
    for prefix, namespace in sorted(PREFIXES.items()):
        if str(namespace) in text:
            used.bind(prefix, namespace, override=True)
    return used.serialize(format="longturtle")


def _canonical_file_text(path: Path) -> str:
    try:
        return canonical_turtle(read_graph(path))
    except RecursionError:  # rdflib writes nested blank nodes by recursion
        raise InputError(
            f"{path}: blank nodes (lists, descriptions in [ ]) nested too deep for rdflib's Turtle "
            "writer (a few hundred levels): it cannot be written in canonical form"
        ) from None


def is_canonical(path: Path) -> bool:
    """True when ``path`` is byte for byte its canonical form."""
    if records.is_record_file(path):
        return records.is_canonical(path)
    canonical = _canonical_file_text(path)  # first: the reader refuses what is not a regular file
    return path.read_text(encoding="utf-8") == canonical


def format_file(path: Path) -> bool:
    """Rewrite ``path`` in canonical form (atomically); True if it changed."""
    if records.is_record_file(path):
        return records.format_file(path)
    canonical = _canonical_file_text(path)
    if path.read_text(encoding="utf-8") == canonical:
        return False
    write_atomic(path, canonical.encode("utf-8"))
    return True
