"""SHACL validation of the knowledge base, or of a user's files, against imid-onto's shapes.

:func:`validate` adds the ontology and its external terms to the data graph, so that
``sh:class`` follows ``rdfs:subClassOf`` (no OWL-RL inference), runs one of two engines
(the compiled one, imid_onto.validation.shacl_sparql, by default; pySHACL as the reference)
and gives a :class:`ValidationReport` whose results name the shape, its message and the
file (and line, where it can be found) that describes the node; :func:`kept_report` reads a
report kept for the same bytes. The report's size and the checks made around the shapes:
``docs/design/validation.md``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from functools import lru_cache
from json.encoder import encode_basestring as _json_string  # json.dumps's, ensure_ascii=False
from operator import attrgetter
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from imid_onto import paths
from imid_onto.errors import InputError, Problem, printable
from imid_onto.io.inputs import precheck as check_input
from imid_onto.io.locate import first_statements
from imid_onto.io.rdf import (
    new_graph,
    read_graph,
    read_graphs,
    recording_reads,
    solutions,
    to_oxigraph,
    to_rdflib,
)
from imid_onto.model.kb import beside, data_files, derive_plain_edges, open_store, sources
from imid_onto.validation.cycles import causal_cycle_results
from imid_onto.validation.declared import undeclared_term_results
from imid_onto.validation.duplicates import explain_duplicates
from imid_onto.validation.quotes import quote_results
from imid_onto.vocab import RDF, SH, XSD, curie

__all__ = ["ENGINES", "SEVERITIES", "ValidationResult", "ValidationReport", "load_shapes", "validate", "kept_report"]

#: Severity names, most severe first.
SEVERITIES = ["violation", "warning", "info"]
_SEVERITY_OF = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
_SEVERITY_IRI = {name: iri for iri, name in _SEVERITY_OF.items()}


@Problem.register
@dataclass(frozen=True, order=True, slots=True)
class ValidationResult:
    """One SHACL result: a :class:`~imid_onto.errors.Problem` (its focus, file, line,
    message and severity) with the SHACL detail (shape, component, path, value). Registered
    as a Problem rather than derived from it, so that its fields keep their order, which is
    the report's JSON. About 0.5 KB: the strings that repeat (shapes, components, files ...)
    are shared between results (:func:`validate` interns them)."""

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
    #: What the focus node and the value are: "iri", "literal", "blank" (or "" for no value).
    focus_kind: str = field(default="iri", compare=False)
    value_kind: str = field(default="", compare=False)

    #: A Problem's further line: a SHACL result has none (its message says it all).
    hint = ""


_FIELDS = [f.name for f in fields(ValidationResult)]
#: One result as json.dumps(..., indent=2) writes it in the report's list, and a JSON string.
_JSON_RESULT = "    {\n" + ",\n".join(f'      "{name}": %s' for name in _FIELDS) + "\n    }"
_VALUES = attrgetter(*_FIELDS)
_ORDER = attrgetter(*(f.name for f in fields(ValidationResult) if f.compare))

#: The text report shows the first this many results of each severity (in focus-node
#: order), then says how many more there are: a million lines help no one, and the
#: report's other formats (json, turtle) give every result.
TEXT_LIMIT = 100


#: A report of more results than this is not kept: written and read back as JSON, a result
#: takes 2 KB more (a million: 2 GB), where validating afresh needs 0.5 KB.
KEEP_LIMIT = 100_000


@dataclass
class ValidationReport:
    """The results of validating ``files``, and the ``duplicates``: claim IRIs described
    twice (in two files, or in two statements of one file), which the results show only as
    "no single subject" and the like (the command line says these instead of the report)."""

    results: list[ValidationResult]
    files: list[str] = field(default_factory=list)
    duplicates: list[Problem] = field(default_factory=list)
    #: What could not be checked, one line each (the quotes, where the source texts are not here).
    notes: list[str] = field(default_factory=list)

    @property
    def graph(self) -> Graph:
        """The standard ``sh:ValidationReport`` as an rdflib Graph: made when asked for
        (about 9 triples a result), not kept."""
        return _report_graph(self.results)

    @property
    def conforms(self) -> bool:
        """The report's ``sh:conforms``: true only when there is no result at all, of any
        severity (SHACL 1.0, 3.6.1)."""
        return not self.results

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

    def json_chunks(self) -> Iterator[str]:
        """:meth:`as_json` in pieces, one result each, for writing out a large report
        without holding its text."""
        summary = {s: self.count(s) for s in SEVERITIES}
        head = json.dumps({"files": self.files, "summary": summary}, indent=2, ensure_ascii=False)
        if not self.results:
            yield head[:-2] + ',\n  "results": []\n}'
            return
        yield head[:-2] + ',\n  "results": ['
        for index, result in enumerate(sorted(self.results, key=_ORDER)):
            values = tuple(
                _json_string(v) if isinstance(v, str) else "null" if v is None else str(v)  # the line
                for v in _VALUES(result)
            )
            yield ("\n" if index == 0 else ",\n") + _JSON_RESULT % values
        yield "\n  ]\n}"

    def as_json(self) -> str:
        return "".join(self.json_chunks())

    def as_text(self, limit: int | None = TEXT_LIMIT, *, infos: bool = False) -> str:
        """Violations and warnings grouped by focus node, then one line counting the infos
        (``infos``: the infos shown too, each with its node); with ``limit``, only the first
        ``limit`` of each severity, and a line saying how many more there are."""
        lines = []
        shown = dict.fromkeys(SEVERITIES, 0)
        grouped = self.by_focus()
        for focus, results in grouped.items():
            kept = [
                r for r in results if (infos or r.severity != "info") and (limit is None or shown[r.severity] < limit)
            ]
            for r in kept:
                shown[r.severity] += 1
            if not kept:
                continue
            where = results[0].file + (f":{results[0].line}" if results[0].line else "") if results[0].file else ""
            # file names, IRIs and values come from the user's files: escaped, one line each
            lines.append(printable(f"{curie(focus)}" + (f"  ({where})" if where else "")))
            for r in kept:
                value = f"  [value: {curie(r.value)}]" if r.value and r.value != r.focus else ""
                lines.append(
                    printable(f"  {r.severity.upper():<9} {r.shape_name or curie(r.shape)}: {r.message}{value}")
                )
        for severity in SEVERITIES if infos else SEVERITIES[:-1]:
            if (more := self.count(severity) - shown[severity]) > 0:
                lines.append(f"... and {more} more {severity}{'s' if more > 1 else ''} (--format json for all)")
        if not infos and (hidden := self.count("info")):
            lines.append(f"{hidden} info{'s' if hidden > 1 else ''} not shown (--infos shows them)")
        lines.append(
            f"{self.count('violation')} violations, {self.count('warning')} warnings, {self.count('info')} infos "
            f"in {len(grouped)} nodes"
        )
        return "\n".join(lines)

    def turtle_chunks(self) -> Iterator[str]:
        """:meth:`as_turtle` in pieces, without the report graph."""
        return _turtle(self.results)

    def as_turtle(self) -> str:
        """The standard report, as canonical Turtle (imid_onto.io.canonical)."""
        return "".join(self.turtle_chunks())


def load_shapes() -> Graph:
    """Every shapes file in ``shapes/``."""
    graph = new_graph()
    for path in _shape_files():
        read_graph(path, graph)
    return graph


def _blank_label(incoming, node, depth: int = 0) -> str:
    """A blank node named by where it hangs, the same whatever the engine:
    ``[<subject> <predicate>]``, nested for blank subjects."""
    if depth > 4:
        return "[]"
    names = sorted(f"[{_blank_label(incoming, s, depth + 1) if blank else s} {p}]" for s, p, blank in incoming(node))
    return names[0] if names else "[]"


#: The engines: "oxigraph", the shapes compiled to SPARQL (fast, the default), and
#: "pyshacl", the reference implementation.
ENGINES = ("oxigraph", "pyshacl")


def _native_results(data, text, notes: list[str]):
    """The checks made by imid-onto itself beside the SHACL engine, on its data (a pyoxigraph
    Store or an rdflib Graph; ``text`` names a term as that engine does): causal cycles
    (imid_onto.validation.cycles), undeclared claim terms (imid_onto.validation.declared)
    and quotes against their source texts (imid_onto.validation.quotes; what could not be
    checked goes to ``notes``)."""
    results = [*causal_cycle_results(data, text), *undeclared_term_results(data, text)]
    found, said = quote_results(data, paths.sources_dir())
    notes.extend(said)
    return results + found


class _QueriesParsedOnce(Graph):
    """An rdflib Graph that parses each SPARQL text once: pySHACL asks a SPARQL-based
    constraint's one text again for every focus node, and rdflib would parse it each time
    (most of pySHACL's time on the shipped knowledge base)."""

    def query(
        self,
        query_object,
        processor="sparql",
        result="sparql",
        initNs=None,
        initBindings=None,
        use_store_provided=True,
        **kwargs,
    ):
        if isinstance(query_object, str) and processor == "sparql" and "base" not in kwargs:
            namespaces = tuple(sorted((initNs or dict(self.namespaces())).items()))
            query_object = _prepared_query(query_object, namespaces)
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


@lru_cache(maxsize=1024)
def _prepared_query(text: str, namespaces: tuple[tuple[str, URIRef], ...]):
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text, initNs=dict(namespaces))


def _pyshacl_results(data_files: list[Path], ontology_files: list[Path], derive: bool, shapes: Graph, notes: list[str]):
    import pyshacl  # heavy: imported only when validating with it

    data = read_graphs([*ontology_files, *data_files], new_graph(_QueriesParsedOnce))
    if derive:
        derive_plain_edges(data)
    _conforms, g, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True, allow_infos=True
    )

    def incoming(node):
        return [
            (s if isinstance(s, BNode) else str(s), str(p), isinstance(s, BNode))
            for s, p in data.subject_predicates(node)
        ]

    def text(term) -> tuple[str, str]:
        if term is None:
            return "", ""
        if isinstance(term, BNode):
            return _blank_label(incoming, term), "blank"
        return str(term), "literal" if isinstance(term, Literal) else "iri"

    def blank_names(message: str) -> str:
        """pySHACL writes a blank node into a message by its label: name it as the fast engine does."""

        def name(match: re.Match) -> str:
            node = BNode(match.group(0))
            known = (node, None, None) in data or (None, None, node) in data
            return _blank_label(incoming, node) if known else match.group(0)

        return re.sub(r"\b[0-9A-Za-z]{16,}\b", name, message)

    for report in g.subjects(RDF.type, SH.ValidationReport):
        for node in g.objects(report, SH.result):
            yield (
                text(g.value(node, SH.focusNode)),
                g.value(node, SH.sourceShape),
                g.value(node, SH.sourceConstraintComponent),
                g.value(node, SH.resultSeverity),
                g.value(node, SH.resultPath),
                text(g.value(node, SH.value)),
                tuple(sorted(blank_names(str(m)) for m in g.objects(node, SH.resultMessage))),
            )
    yield from _native_results(data, text, notes)


def _oxigraph_results(
    data_files: list[Path], ontology_files: list[Path], derive: bool, shapes: Graph, notes: list[str]
):
    import pyoxigraph as ox

    from imid_onto.validation.shacl_sparql import compile_shapes, evaluate, substitute

    plan = compile_shapes(shapes)  # before loading: unsupported shapes fail fast
    store = open_store([*ontology_files, *data_files], plain_edges=derive)

    def incoming(node):
        rows = solutions(store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", substitutions={ox.Variable("o"): node}))
        return [
            (
                row["s"] if isinstance(row["s"], ox.BlankNode) else row["s"].value,
                row["p"].value,
                isinstance(row["s"], ox.BlankNode),
            )
            for row in rows
        ]

    def text(term) -> tuple[str, str]:
        if term is None:
            return "", ""
        if isinstance(term, ox.BlankNode):
            return _blank_label(incoming, term), "blank"
        if isinstance(term, ox.Literal):  # shown as rdflib shows it, as the reference engine does
            return str(to_rdflib(term)), "literal"
        return term.value, "iri"

    native: list = []

    def check_natively() -> None:  # beside the SPARQL checks (in this process while a forked one takes some)
        native.extend(_native_results(store, text, notes))

    raw = evaluate(store, plan, meanwhile=check_natively)
    raw.reverse()
    while raw:  # each result let go of once passed on
        r = raw.pop()
        messages = tuple(substitute(m, r.bindings, lambda t: text(t)[0]) for m in r.messages)
        yield text(r.focus), r.shape, r.component, r.severity, r.path, text(r.value), messages
    yield from native


def _report_graph(results: list[ValidationResult]) -> Graph:
    """The standard ``sh:ValidationReport`` for ``results`` (blank-node focus nodes and
    values appear under their ``[subject predicate]`` names, as literals)."""
    graph = new_graph()
    report = BNode("report")
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(ValidationReport(results).conforms)))
    for index, r in enumerate(sorted(results, key=_ORDER)):
        node = BNode(f"result{index}")
        graph.add((report, SH.result, node))
        for predicate, value in _described(r):
            graph.add((node, predicate, value))
    return graph


#: The terms of a result's description, made once (an rdflib Namespace makes a new URIRef at
#: each attribute, and a large report describes each result three times).
_TYPE, _RESULT, _FOCUS, _VALUE, _SHAPE, _COMPONENT, _SEVERITY, _MESSAGE, _PATH = (
    RDF.type,
    SH.ValidationResult,
    SH.focusNode,
    SH.value,
    SH.sourceShape,
    SH.sourceConstraintComponent,
    SH.resultSeverity,
    SH.resultMessage,
    SH.resultPath,
)


def _described(r: ValidationResult) -> list[tuple[URIRef, URIRef | Literal]]:
    """What the report says of result ``r``: (predicate, object) pairs."""
    pairs: list[tuple[URIRef, URIRef | Literal]] = [(_TYPE, _RESULT)]
    for predicate, text, kind in ((_FOCUS, r.focus, r.focus_kind), (_VALUE, r.value, r.value_kind)):
        if text:
            pairs.append((predicate, URIRef(text) if kind == "iri" else Literal(text)))
    pairs += [
        (_SHAPE, _iri(r.shape)),
        (_COMPONENT, _iri(r.component)),
        (_SEVERITY, _SEVERITY_IRI[r.severity]),
    ]
    if r.message:
        pairs.append((_MESSAGE, Literal(r.message)))
    if r.path:
        pairs.append((_PATH, _iri(r.path)))
    return pairs


_iri = lru_cache(maxsize=4096)(URIRef)  # shapes, components and paths: a few, each in many results


def _turtle(results: list[ValidationResult]) -> Iterator[str]:
    """canonical_turtle(_report_graph(results)), written result by result without the
    graph (which takes 30 KB a result): the same prefixes, order and layout as rdflib's
    longturtle writer gives (tests/validation/test_large_reports.py compares them), whose own methods
    write each term. The results are in the order of their RDFC-1.0 labels, which follows
    the SHA-256 of each node's triples ("first degree hash"); where two hashes are the same
    (never, unless two results say the same), the graph is made and written."""
    from rdflib.plugins.serializers.longturtle import OBJECT, VERB, LongTurtleSerializer

    from imid_onto.vocab import PREFIXES

    conforms = to_rdflib(to_oxigraph(Literal(not results)))  # as the canonical graph holds it
    head = [(RDF.type, SH.ValidationReport), (SH.conforms, conforms)]

    def lines(pairs, node="_:a") -> list[str]:
        return [f"{node} <{p}> {to_oxigraph(o)} .\n" for p, o in pairs]

    # the first degree hash of each blank node; the namespaces named anywhere (canonical_turtle binds those)
    names = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    named = set()
    digests = []
    in_report = f"_:z <{SH.result}> _:a .\n"
    for r in results:
        pairs = _described(r)
        digests.append(hashlib.sha256("".join(sorted([*lines(pairs), in_report])).encode()).digest())
        text = " ".join(str(term) for pair in pairs for term in pair)
        named |= {prefix for prefix, namespace in names.items() if prefix not in named and namespace in text}
    report = sorted([*lines(head), *[f"_:a <{SH.result}> _:z .\n"] * len(results)])
    digests.append(hashlib.sha256("".join(report).encode()).digest())
    ranks = sorted(range(len(digests)), key=digests.__getitem__)
    if len(set(digests)) != len(digests):  # alike results: RDFC-1.0 searches further
        from imid_onto.io.canonical import canonical_turtle

        yield canonical_turtle(_report_graph(results))
        return
    labels = {index: f"c14n{rank}" for rank, index in enumerate(ranks)}
    del digests, ranks
    order = sorted(range(len(results)), key=labels.__getitem__)  # longturtle sorts the blank nodes by label
    del labels
    text = " ".join(str(term) for pair in head for term in pair) + f" {RDF.type} {SH.result} {XSD.boolean}"
    named |= {prefix for prefix, namespace in names.items() if namespace in text}
    bound = Graph(bind_namespaces="none")
    for prefix in sorted(named):
        bound.bind(prefix, names[prefix], override=True)
    writer = LongTurtleSerializer(bound)
    pname = lru_cache(maxsize=65536)(writer.get_pname)  # each term once: the namespace it uses is noted then
    label = lru_cache(maxsize=65536)(writer.label)

    def seen(pairs) -> None:  # what longturtle's preprocessTriple does: the namespaces used
        for predicate, value in pairs:
            if predicate not in writer.keywords:
                pname(predicate, True)
            pname(value, False)
            if isinstance(value, Literal) and value.datatype:
                pname(value.datatype, False)

    seen([*head, (SH.result, BNode())])
    for count, r in enumerate(results):
        seen(_described(r))
        if count % 10_000 == 9_999:
            bound.namespace_manager.reset()  # its cache would hold every IRI
    yield "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in sorted(writer.namespaces.items()))

    def predicates(pairs, indent: str) -> str:
        pairs = sorted(pairs, key=lambda pair: (pair[0] != _TYPE, pair[0]))
        return f" ;\n{indent}".join(f"{label(p, VERB)} {label(o, OBJECT)}" for p, o in pairs) + " ;"

    yield (
        "\n[]    " + predicates(head, "    ")[:-2] + " ;\n    " + label(SH.result, VERB)
        if results
        else "\n[]    " + predicates(head, "    ")
    )
    outer, inner = " " * 8, " " * 12  # longturtle indents one level more for every object list
    for count, index in enumerate(order):
        yield (
            (" " if count == 0 and len(results) > 1 else " ," if count else "")
            + f"\n{outer}[\n{inner}"
            + predicates(_described(results[index]), inner)
            + f"\n{outer}]"
        )
        if count % 10_000 == 9_999:
            bound.namespace_manager.reset()
    yield " ;\n.\n" if results else "\n.\n"


def _shape_files() -> list[Path]:
    return sorted(paths.shapes_dir().glob("*.ttl"))


def _kept_path(
    files: list[Path], ontology_files: list[Path], derive: bool, engine: str, read: dict[str, str | None] | None = None
) -> Path | None:
    """Where the report of exactly these inputs is kept: named by the SHA-256 of every
    input's bytes (shapes and ontology included; imid_onto.io.cache.fingerprint), the files'
    paths as given (the report names them so), the engine and imid-onto's version. With
    ``read`` (imid_onto.io.rdf.recording_reads), by the bytes that were parsed (None if a
    file was not, or changed between two reads)."""
    from imid_onto.io.cache import fingerprint, kept_path

    named = " ".join(map(str, files))
    key = fingerprint(
        [*_shape_files(), *ontology_files, *files],
        inferred=False,
        kind=f"validation engine={engine} derive={derive} files={named} {_outside_inputs()}",
        read=read,
    )
    return None if key is None else kept_path("reports", f"validation-{key}")


def _outside_inputs() -> str:
    """What a report depends on besides the files it names: the source texts the quotes are
    checked against (their names and bytes), and the day (a date in the future is not one
    the next day)."""
    import datetime

    sources = paths.sources_dir()
    texts = hashlib.sha256()
    for path in sorted(sources.iterdir()) if sources is not None else ():
        if path.is_file():
            texts.update(f"{path.name} {hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    where = f"{sources}:{texts.hexdigest()}" if sources is not None else "none"
    return f"sources={where} day={datetime.datetime.now(datetime.UTC).date()}"


def _read_report(kept: Path | None, files: list[Path]) -> ValidationReport | None:
    """The report kept at ``kept``; None when there is none, or it is damaged (said in a warning)."""
    from imid_onto.io.cache import damaged, read_kept

    record = read_kept(kept)
    if kept is None or record is None:
        return None
    try:
        results = [ValidationResult(**fields) for fields in record["results"]]
        named = record["files"]
        if any(r.severity not in SEVERITIES for r in results) or named != [str(f) for f in files]:
            raise ValueError
        results.sort(key=_ORDER)  # fields of the wrong type cannot be sorted: TypeError
        notes = record.get("notes", [])
        if not all(isinstance(note, str) for note in notes):
            raise ValueError
        return ValidationReport(results=results, files=named, notes=list(notes))
    except (KeyError, TypeError, ValueError):  # damaged: validated afresh (and kept anew)
        damaged(kept)
        return None


def kept_report(
    files: list[Path] | None = None, *, engine: str = "oxigraph", alone: bool = False
) -> ValidationReport | None:
    """The report :func:`validate` kept (``keep=True``) for these very inputs, if any: the
    same bytes give the same report, so a file is not parsed again until it changes."""
    shipped = files is None
    files = [Path(f) for f in (data_files() if files is None else files)]
    return _lookup(files, sources([] if shipped or alone else beside(files)), shipped, engine)[1]


def _lookup(
    files: list[Path], ontology_files: list[Path], derive: bool, engine: str
) -> tuple[Path | None, ValidationReport | None]:
    """Where the report for these inputs is kept, and the report if it is there; (None,
    None) while a file is missing or unreadable (validation then says what is wrong)."""
    if not all(f.is_file() and os.access(f, os.R_OK) for f in files):
        return None, None
    kept = _kept_path(files, ontology_files, derive, engine)
    return kept, _read_report(kept, files)


def validate(
    files: list[Path] | None = None,
    *,
    derive_edges: bool | None = None,
    with_ontology: bool = True,
    engine: str = "oxigraph",
    keep: bool = False,
    precheck: bool = False,
    alone: bool = False,
) -> ValidationReport:
    """Validate ``files`` (default: the knowledge base) with the ontology supplied, and
    the knowledge base's entities and documents (as ``check`` reads them; the results
    about those are reported too), unless ``alone``.

    Plain edges are derived from standing claims for the shipped knowledge base (as
    loading it does); a user's files are validated as given unless ``derive_edges``.
    ``with_ontology=False`` validates files that bring their own ontology (its header, say).
    ``engine`` is "oxigraph" (the shapes compiled to SPARQL) or "pyshacl" (the reference).
    With ``keep``, a report kept for the same inputs is returned as it is, and a new one is
    kept. ``precheck``: before validating, the files are checked as the command line does
    (imid_onto.io.inputs.precheck: missing, empty, not UTF-8, ...); always so with ``keep``.
    A claim IRI described twice is named, with both places, in the report's ``duplicates``.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown validation engine {engine!r} (choose from {', '.join(ENGINES)})")
    shipped = files is None
    files = [Path(f) for f in (data_files() if files is None else files)]
    context = [] if shipped or alone or not with_ontology else beside(files)  # the entities and documents
    ontology_files = sources(context) if with_ontology else [paths.external_terms_file()]  # supplied with files
    derive = derive_edges if derive_edges is not None else shipped
    kept = None
    if keep and with_ontology:  # kept only for input that the command line would validate
        kept, found = _lookup(files, ontology_files, derive, engine)
        if found is not None:
            found.duplicates = explain_duplicates(found.results, files)
            return found
    if precheck or (keep and with_ontology):
        check_input(files)  # a file _lookup found missing or unreadable (kept is None then) is named here
    with recording_reads() as read:  # the report is named by the bytes parsed (below)
        shapes = load_shapes()
        run = _oxigraph_results if engine == "oxigraph" else _pyshacl_results
        shape_names: dict = {}
        strings: dict[str, str] = {}  # every repeated string (shape, component, file ...), once for all results

        def shared(text: str) -> str:
            return strings.setdefault(text, text)

        where = first_statements([*files, *context])  # the user's files first
        unique: set[ValidationResult] = set()
        notes: list[str] = []
        for (focus, focus_kind), shape, component, severity, path, (value, value_kind), messages in run(
            files, ontology_files, derive, shapes, notes
        ):
            if shape not in shape_names:
                shape_names[shape] = str(shapes.value(shape, SH.name) or "") if isinstance(shape, URIRef) else ""
            file, line = where(focus) if focus_kind == "iri" else ("", None)
            unique.add(
                ValidationResult(
                    focus=focus,
                    shape=shared(str(shape)),
                    component=shared(str(component)),
                    severity=_SEVERITY_OF.get(severity, "violation"),
                    shape_name=shared(shape_names[shape]),
                    message=messages[0] if messages else "",
                    path=shared(str(path)) if isinstance(path, URIRef) else "",
                    value=value,
                    file=shared(file),
                    line=line,
                    focus_kind=focus_kind,
                    value_kind=value_kind,
                )
            )
    results = sorted(unique, key=_ORDER)  # as the dataclass orders them, without its slow __lt__
    del unique
    report = ValidationReport(results=results, files=[str(f) for f in files], notes=notes)
    if kept is not None and len(results) <= KEEP_LIMIT:
        # named by the bytes parsed; kept if the files still hold them (the lines above were read afresh)
        parsed = _kept_path(files, ontology_files, derive, engine, read)
        if parsed is not None and parsed == _kept_path(files, ontology_files, derive, engine):
            from imid_onto.io.cache import write_kept

            write_kept(parsed, {"files": report.files, "results": [asdict(r) for r in results], "notes": notes})
    report.duplicates = explain_duplicates(results, files)
    return report
