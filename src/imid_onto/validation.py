"""SHACL validation of the knowledge base, or of a user's files, against imid-onto's shapes.

The ontology and its external terms are added to the data graph, so that ``sh:class``
follows ``rdfs:subClassOf``; no OWL-RL inference is run (it costs ten times as much and is
rarely wanted). pyshacl is the engine. Results are reported per focus node with the shape's
name and message, and the file (and line, where it can be found) that describes the node.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, URIRef

from . import paths
from .kb import data_files, derive_plain_edges, load_ontology
from .namespaces import PREFIXES, RDF, SH
from .rdfio import new_graph, read_graph

__all__ = ["SEVERITIES", "ValidationResult", "ValidationReport", "load_shapes", "validate"]

#: Severity names, most severe first.
SEVERITIES = ["violation", "warning", "info"]
_SEVERITY_OF = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True, order=True)
class ValidationResult:
    focus: str
    shape: str
    component: str
    severity: str
    shape_name: str = ""
    message: str = ""
    path: str = ""
    value: str = ""
    file: str = ""
    line: int | None = None


@dataclass
class ValidationReport:
    results: list[ValidationResult]
    graph: Graph = field(repr=False)
    files: list[str] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def fails(self, threshold: str = "violation") -> bool:
        """True when any result is at or above ``threshold`` (violation > warning > info)."""
        allowed = SEVERITIES[: SEVERITIES.index(threshold) + 1]
        return any(r.severity in allowed for r in self.results)

    def by_focus(self) -> dict[str, list[ValidationResult]]:
        grouped: dict[str, list[ValidationResult]] = defaultdict(list)
        for result in sorted(self.results, key=lambda r: (r.focus, SEVERITIES.index(r.severity), r.shape, r.value)):
            grouped[result.focus].append(result)
        return dict(grouped)

    def as_json(self) -> str:
        summary = {s: self.count(s) for s in SEVERITIES}
        return json.dumps(
            {"files": self.files, "summary": summary, "results": [asdict(r) for r in sorted(self.results)]},
            indent=2, ensure_ascii=False,
        )

    def as_text(self) -> str:
        lines = []
        for focus, results in self.by_focus().items():
            where = results[0].file + (f":{results[0].line}" if results[0].line else "") if results[0].file else ""
            lines.append(f"{_short(focus)}" + (f"  ({where})" if where else ""))
            for r in results:
                value = f"  [value: {_short(r.value)}]" if r.value and r.value != r.focus else ""
                lines.append(f"  {r.severity.upper():<9} {r.shape_name or _short(r.shape)}: {r.message}{value}")
        lines.append(
            f"{self.count('violation')} violations, {self.count('warning')} warnings, {self.count('info')} infos "
            f"in {len(self.by_focus())} nodes"
        )
        return "\n".join(lines)

    def as_turtle(self) -> str:
        from .canonical import canonical_turtle

        return canonical_turtle(self.graph)


def _short(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
        if iri.startswith(str(namespace)) and re.fullmatch(r"[\w.\-]*", iri[len(str(namespace)):]):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return iri


def load_shapes() -> Graph:
    """Every shapes file in ``shapes/``."""
    graph = new_graph()
    for path in sorted(paths.shapes_dir().glob("*.ttl")):
        read_graph(path, graph)
    return graph


def _locate(files: list[Path], graphs: list[Graph]) -> dict[str, tuple[str, int | None]]:
    """For each subject, the first file describing it and the line where its block starts."""
    where: dict[str, tuple[str, int | None]] = {}
    for path, graph in zip(files, graphs):
        try:
            text_lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            text_lines = []
        prefixes = {m.group(1): m.group(2) for line in text_lines
                    for m in [re.match(r"\s*(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", line, re.IGNORECASE)] if m}
        starts: dict[str, int] = {}
        for number, line in enumerate(text_lines, start=1):
            token = line.split(None, 1)[0] if line and not line[0].isspace() else ""
            if token and token not in starts:
                starts[token] = number
        for subject in set(graph.subjects()):
            if isinstance(subject, BNode) or str(subject) in where:
                continue
            iri = str(subject)
            tokens = [f"<{iri}>"] + [f"{p}:{iri[len(ns):]}" for p, ns in prefixes.items() if iri.startswith(ns)]
            line_no = next((starts[t] for t in tokens if t in starts), None)
            where[iri] = (str(path), line_no)
    return where


def validate(
    files: list[Path] | None = None, *, derive_edges: bool | None = None, with_ontology: bool = True
) -> ValidationReport:
    """Validate ``files`` (default: the shipped knowledge base) with the ontology supplied.

    Plain edges are derived from standing claims for the shipped knowledge base (as
    loading it does); a user's files are validated as given unless ``derive_edges``.
    ``with_ontology=False`` validates files that bring their own ontology (its header, say).
    """
    import pyshacl  # heavy: imported only when validating

    shipped = files is None
    files = [Path(f) for f in (data_files() if shipped else files)]
    graphs = [read_graph(path) for path in files]
    data = load_ontology() if with_ontology else read_graph(paths.external_terms_file())
    for graph in graphs:
        for triple in graph:
            data.add(triple)
    if derive_edges if derive_edges is not None else shipped:
        derive_plain_edges(data)
    shapes = load_shapes()
    _conforms, report_graph, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True, allow_infos=True
    )
    where = _locate(files, graphs)
    results = []
    for report in report_graph.subjects(RDF.type, SH.ValidationReport):
        for node in report_graph.objects(report, SH.result):
            g = report_graph
            focus = str(g.value(node, SH.focusNode))
            shape = g.value(node, SH.sourceShape)
            value = g.value(node, SH.value)
            messages = sorted(str(m) for m in g.objects(node, SH.resultMessage))
            file, line = where.get(focus, ("", None))
            results.append(
                ValidationResult(
                    focus=focus,
                    shape=str(shape),
                    component=str(g.value(node, SH.sourceConstraintComponent)),
                    severity=_SEVERITY_OF.get(g.value(node, SH.resultSeverity), "violation"),
                    shape_name=str(shapes.value(shape, SH.name) or "") if isinstance(shape, URIRef) else "",
                    message=messages[0] if messages else "",
                    path=str(g.value(node, SH.resultPath) or ""),
                    value=str(value) if value is not None else "",
                    file=file,
                    line=line,
                )
            )
    return ValidationReport(results=sorted(set(results)), graph=report_graph, files=[str(f) for f in files])
