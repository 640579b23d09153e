"""The W3C RDF 1.1 Turtle test suite, run through imid-onto's reader (``io.rdf.read_graph``
and ``io.rdf.load_store``): every negative case refused with a ParseError naming the file,
line and column; every positive case accepted; every evaluation case read to a graph
isomorphic to the expected N-Triples.

The suite is in ``../shared/conformance/rdf11-turtle/`` (w3c/rdf-tests, commit ad541a5).
Its manifest names the base the tests assume, ``mf:assumedTestBase``
(https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-turtle/), and its expected files were
written with it: each file is read with that base and its own name. (With the older base
http://www.w3.org/2013/TurtleTests/, turtle-subm-01 and turtle-subm-27 give other IRIs.)
Test ids are the fragments of the manifest's entries: one entry's ``mf:name`` is a copy of
another's (turtle-syntax-bad-LITERAL2_with_langtag_and_datatype is named
"turtle-syntax-bad-num-05" upstream).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from imid_onto.errors import ParseError
from imid_onto.io.rdf import load_store, read_graph
from imid_onto.vocab import RDF

from ..conftest import SHARED, _absent

SUITE = SHARED / "conformance" / "rdf11-turtle"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
RDFT = Namespace("http://www.w3.org/ns/rdftest#")

#: The cases of each kind in the manifest, counted once by hand (grep -c in manifest.ttl):
#: a manifest reader that finds fewer or more is broken. The suite has no negative
#: evaluation case for Turtle.
COUNTS = {
    "TestTurtlePositiveSyntax": 74,
    "TestTurtleNegativeSyntax": 94,
    "TestTurtleEval": 145,
    "TestTurtleNegativeEval": 0,
}

#: Negative cases whose error pyoxigraph reports without a line or column: none. pyoxigraph
#: 0.5 checks IRIs, escapes and prefixes while it reads the Turtle, so every error has a
#: position. (Not so in other formats: its RDF/XML errors, and JSON-LD errors found after
#: the JSON is read, such as a remote context, come without a line or column.)
NO_POSITION: set[str] = set()

#: Negative cases rdflib 7 reads without an error (39 of the 94 with rdflib 7.6): a space
#: in an IRI, a literal as subject, an unpaired surrogate escape, ``true`` as a subject.
#: This is why imid-onto reads through pyoxigraph.
RDFLIB_ACCEPTS = [
    "turtle-syntax-bad-uri-01",
    "turtle-syntax-bad-struct-04",
    "turtle-syntax-bad-numeric-escape-01",
    "turtle-syntax-bad-kw-04",
]


@dataclass(frozen=True)
class Case:
    name: str
    kind: str
    action: Path
    result: Path | None
    base: str  # the base IRI the file is read with


def _local(iri: URIRef) -> Path:
    """A file of the suite named by the manifest (read with its file: base)."""
    return SUITE / str(iri).rsplit("/", 1)[1]


def read_manifest() -> list[Case]:
    """The manifest's entries, in its order, read with imid-onto's own reader."""
    graph = read_graph(SUITE / "manifest.ttl")
    manifest = graph.value(predicate=RDF.type, object=MF.Manifest, any=False)
    base = graph.value(manifest, MF.assumedTestBase)
    assert base is not None, "the manifest names no mf:assumedTestBase"
    cases = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        action = _local(graph.value(entry, MF.action))
        result = graph.value(entry, MF.result)
        cases.append(
            Case(
                str(entry).rsplit("#", 1)[1],
                str(graph.value(entry, RDF.type)).rsplit("#", 1)[1],
                action,
                _local(result) if result is not None else None,
                f"{base}{action.name}",
            )
        )
    return cases


CASES = read_manifest() if (SUITE / "manifest.ttl").is_file() else []


def params(*kinds: str) -> list:
    """The cases of ``kinds`` as pytest parameters named by case; one placeholder that skips
    (or fails, where IMID_REQUIRE_SHARED is set) when the suite is absent."""
    found = [pytest.param(case, id=case.name) for case in CASES if case.kind in kinds]
    return found or [pytest.param(None, id="suite-absent")]


def need(case: Case | None) -> Case:
    if case is None:
        _absent(f"the W3C Turtle test suite ({SUITE})", "IMID_REQUIRE_SHARED")
    return case


def test_the_manifest_lists_the_known_number_of_cases_of_each_kind():
    if not CASES:
        _absent(f"the W3C Turtle test suite ({SUITE})", "IMID_REQUIRE_SHARED")
    found = {kind: sum(1 for case in CASES if case.kind == kind) for kind in COUNTS}
    assert found == COUNTS
    assert len(CASES) == sum(COUNTS.values()), {case.kind for case in CASES} - set(COUNTS)
    assert len({case.name for case in CASES}) == len(CASES), "test ids must be unique"
    assert all(case.action.is_file() for case in CASES)
    assert all(case.result.is_file() for case in CASES if case.kind == "TestTurtleEval")


@pytest.mark.parametrize("case", params("TestTurtleNegativeSyntax", "TestTurtleNegativeEval"))
@pytest.mark.parametrize("reader", ["read_graph", "load_store"])
def test_negative_case_is_refused_with_file_line_and_column(case, reader):
    case = need(case)
    with pytest.raises(ParseError) as caught:
        if reader == "read_graph":
            read_graph(case.action, base_iri=case.base)
        else:
            load_store([case.action])
    error = caught.value
    assert error.path == case.action
    assert error.reason.strip()
    if case.name in NO_POSITION:
        assert error.line is None and error.column is None
        assert str(error).startswith(f"{case.action}: syntax error: ")
    else:
        assert error.line is not None and error.column is not None
        assert 1 <= error.line <= case.action.read_bytes().count(b"\n") + 1 and error.column >= 1
        assert str(error).startswith(f"{case.action}:{error.line}:{error.column}: syntax error: ")


@pytest.mark.parametrize("case", params("TestTurtlePositiveSyntax"))
def test_positive_case_is_accepted(case):
    case = need(case)
    read_graph(case.action, base_iri=case.base)


@pytest.mark.parametrize("case", params("TestTurtleEval"))
def test_eval_case_gives_the_expected_graph(case):
    case = need(case)
    got = read_graph(case.action, base_iri=case.base)
    expected = read_graph(case.result, base_iri=case.base)  # N-Triples, read by pyoxigraph too
    assert len(got) == len(expected)
    assert isomorphic(got, expected)


@pytest.mark.parametrize("name", RDFLIB_ACCEPTS)
def test_rdflib_alone_would_accept_some_negative_cases(name):
    """Documents why imid-onto does not read with rdflib: it takes these invalid documents."""
    cases = {case.name: case for case in CASES}
    if name not in cases:
        _absent(f"the W3C Turtle test suite ({SUITE})", "IMID_REQUIRE_SHARED")
    case = cases[name]
    assert case.kind == "TestTurtleNegativeSyntax"
    Graph().parse(case.action, format="turtle", publicID=case.base)  # no error
    with pytest.raises(ParseError):
        read_graph(case.action, base_iri=case.base)


def test_base_iri_defaults_to_the_file(tmp_path):
    """read_graph resolves relative IRIs against the file unless given a base."""
    path = tmp_path / "relative.ttl"
    path.write_text("<s> <p> <o> .\n")
    ((s, _, _),) = read_graph(path)
    assert s == URIRef((tmp_path / "s").as_uri())
    ((s, _, _),) = read_graph(path, base_iri="https://example.org/dir/relative.ttl")
    assert s == URIRef("https://example.org/dir/s")
