"""Hostile and broken input: each file of tests/fixtures/broken/ gives one clear message
that names the file and the thing (line and column, claim, entity, cycle, quote and
document), a non-zero exit, and never a traceback.

Where each check lives: syntax errors are the reader's (rdfio, pyoxigraph's positions);
what the file itself shows (empty, not UTF-8, RDF/XML cut short, a claim IRI described
twice) is imid_onto.validate.duplicates'; two labels are a shape (EntityLabelShape, sh:maxCount 1); a
causal cycle is ims:CausalCycleShape, checked natively for both engines (imid_onto.validate.cycles);
a quote is checked against its source text by ``imid-onto check``, which needs the texts
(``validate`` works without them and does not look at quotes).

An empty file (0 bytes, white space only, or only prefixes and comments) is a valid empty
graph, but "0 violations" for it would tell a user that data was checked when none was:
``validate`` refuses it (exit 2) and says what it found.
"""

from __future__ import annotations

from unittest import mock

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from imid_onto.errors import InputError
from imid_onto.io.rdf import ntriples_bytes, to_store

from ..conftest import FIXTURES, imid, one_error_line

BROKEN = "tests/fixtures/broken"
T = "https://w3id.org/imid-onto/test/"


# (file, the one error line) for input that cannot be validated: exit 2, nothing on stdout
UNREADABLE = [
    ("truncated-statement.ttl", "truncated-statement.ttl:41:17: syntax error: Parser error at line 41 column 17: "
                                "Unexpected end"),
    ("truncated.rdf", "truncated.rdf:9:1: syntax error: not well-formed XML: no element found (the file ends before "
                      "its elements are closed: truncated?)"),
    ("truncated.jsonld", "truncated.jsonld:5:56: syntax error: Parser error at line 5 column 56: Unexpected end of file"),
    ("latin1.ttl", "latin1.ttl:14:26: syntax error: not UTF-8 (byte 0xE9: Latin-1 or Windows-1252?): RDF files are "
                   "UTF-8; convert it (e.g. iconv -f LATIN1 -t UTF-8)"),
    ("utf16.ttl", "utf16.ttl:1:1: syntax error: UTF-16 text, not UTF-8: RDF files are UTF-8; convert it "
                  "(e.g. iconv -f UTF-16 -t UTF-8)"),
    ("utf8-bom.ttl", "utf8-bom.ttl:1:1: syntax error: the file starts with a UTF-8 byte-order mark (BOM), which Turtle "
                     "does not allow: save it as UTF-8 without BOM"),
    ("empty.ttl", "empty.ttl: empty file (0 bytes): no RDF in it"),
    ("whitespace.ttl", "whitespace.ttl: only white space (7 bytes): no RDF in it"),
    ("prefixes-only.ttl", "prefixes-only.ttl: no triples in it (only prefixes or comments): nothing to validate"),
    ("not-rdf.txt", "not-rdf.txt: unknown RDF file extension '.txt' (known: .jsonld, .nq, .nt, .owl, .rdf, .trig, "
                    ".ttl, .xml)"),
    ("no-such-file.ttl", "no-such-file.ttl: cannot read: no such file"),
]


@pytest.mark.parametrize("name, message", UNREADABLE, ids=[name for name, _ in UNREADABLE])
def test_unreadable_or_empty_input_is_one_line_and_exit_2(name, message):
    done = imid("validate", f"{BROKEN}/{name}")
    assert one_error_line(done, 2) == f"{BROKEN}/{message}"
    assert done.stdout == ""


def test_a_folder_is_one_line_and_exit_2():
    done = imid("validate", BROKEN)
    assert one_error_line(done, 2) == (f"{BROKEN}: is a folder, not an RDF file (give the files in it, "
                                       f"e.g. {BROKEN}/*.ttl)")


def test_an_unreadable_file_among_good_ones_is_named():
    done = imid("validate", "tests/fixtures/shapes/ClaimShape/valid.ttl", f"{BROKEN}/empty.ttl")
    assert one_error_line(done, 2) == f"{BROKEN}/empty.ttl: empty file (0 bytes): no RDF in it"


def test_a_claim_iri_used_twice_in_one_file_names_both_lines():
    done = imid("validate", f"{BROKEN}/duplicate-claim.ttl")
    assert one_error_line(done, 1) == (
        f"{BROKEN}/duplicate-claim.ttl:51: claim {T}claim-1 is described a second time (first at line 36), as a "
        "different claim (rdf:predicate imid:binds and imid:inducesDegradationOf): a claim IRI names one claim "
        "(give the second the next free IRI)")
    assert done.stdout == ""  # the shapes' "no single relation" etc. are not shown: this says why


def test_a_claim_iri_described_in_two_files_names_both():
    done = imid("validate", f"{BROKEN}/duplicate-claim-a.ttl", f"{BROKEN}/duplicate-claim-b.ttl")
    assert one_error_line(done, 1) == (
        f"{BROKEN}/duplicate-claim-b.ttl:16: claim {T}claim-2 is already described in "
        f"{BROKEN}/duplicate-claim-a.ttl:35: a claim IRI names one claim, described in one file "
        "(give this one the next free IRI, or merge them)")


def test_an_entity_with_two_english_labels_is_one_violation():
    done = imid("validate", f"{BROKEN}/two-labels.ttl")
    assert done.returncode == 1 and done.stderr == ""
    assert done.stdout.splitlines() == [
        f"{T}multiple-myeloma  ({BROKEN}/two-labels.ttl:15)",
        "  VIOLATION entity label: Entity needs exactly one rdfs:label: keep one name there and put the others in "
        "skos:altLabel",
        "1 violations, 0 warnings, 0 infos in 1 nodes",
    ]


CYCLE = (f"{T}event-a -> {T}event-b -> {T}event-c -> {T}event-a is a loop, through {T}claim-ab, {T}claim-bc and "
         f"{T}claim-ca: an event cannot be causally upstream of itself; one of these steps is reversed or wrong "
         "(a feedback loop needs an event for each turn)")


@pytest.mark.parametrize("name, line", [("cycle-plain-edges.ttl", 49), ("cycle-claims.ttl", 45)])
@pytest.mark.parametrize("engine", ["oxigraph", "pyshacl"])
def test_a_causal_cycle_is_one_violation_naming_its_events_and_claims(name, line, engine):
    done = imid("validate", "--engine", engine, f"{BROKEN}/{name}")
    assert done.returncode == 1 and done.stderr == ""
    assert done.stdout.splitlines() == [
        f"{T}claim-ab  ({BROKEN}/{name}:{line})",
        f"  VIOLATION causal cycle: {CYCLE}",
        "1 violations, 0 warnings, 0 infos in 1 nodes",
    ]


def test_a_causal_cycle_is_found_when_the_checks_are_shared_with_a_forked_process(monkeypatch):
    """On a large store the cycle check runs in this process while a forked child takes the
    first SPARQL checks (shacl_sparql.evaluate's ``meanwhile``); here forced on a small file."""
    from imid_onto.validate import shacl_sparql
    from imid_onto.validate.report import validate

    monkeypatch.setattr(shacl_sparql, "PARALLEL_FROM", 0)
    monkeypatch.setattr(shacl_sparql.os, "cpu_count", lambda: 2)  # it forks only with more than one CPU
    monkeypatch.setattr(shacl_sparql, "_evaluate_forked", counted := mock.Mock(wraps=shacl_sparql._evaluate_forked))
    report = validate([FIXTURES / "broken" / "cycle-claims.ttl"])
    assert counted.call_count == 1
    assert [(r.focus, r.message) for r in report.results] == [(f"{T}claim-ab", CYCLE)]


def test_a_quote_not_in_its_document_is_found_by_check(sources_dir, identifier_table):
    path = f"{BROKEN}/quote-not-in-document.ttl"
    assert imid("validate", path).returncode == 0  # well formed: the shapes do not read the source texts
    done = imid("check", path)
    problem = (f"{path}:36: claim {T}claim-quote: quote not found in {T}source: "
               "'lenalidomide destroys Ikaros within minutes in every cell line tested'")
    assert one_error_line(done, 1) == problem
    assert done.stdout.splitlines() == [
        problem, "    closest passage: 'lenalidomide promotes the cereblon-dependent destruction of Ikaros proteins. "
                 "authors: -'"]


@pytest.mark.parametrize("name, code, start", [
    ("empty.ttl", 2, "empty.ttl: empty file (0 bytes)"),
    ("truncated.rdf", 2, "truncated.rdf:9:1: syntax error: not well-formed XML"),
    ("truncated-statement.ttl", 2, "truncated-statement.ttl:41:17: syntax error"),
    ("latin1.ttl", 2, "latin1.ttl:14:26: syntax error: not UTF-8"),
])
def test_check_refuses_broken_files_in_one_line(sources_dir, identifier_table, name, code, start):
    assert one_error_line(imid("check", f"{BROKEN}/{name}"), code).startswith(f"{BROKEN}/{start}")


def test_the_shipped_knowledge_base_passes_every_check(sources_dir, identifier_table):
    from imid_onto.io import inputs
    from imid_onto.validate import cycles, duplicates
    from imid_onto.model.kb import data_files
    from imid_onto.validate.report import validate

    inputs.precheck()
    report = validate()
    duplicates.explain_duplicates(report)
    assert not [r for r in report.results if r.shape == str(cycles.CYCLE_SHAPE)]
    scanned = [duplicates.scan(path) for path in data_files()]
    assert duplicates.duplicate_claims(scanned) == []
    done = imid("check")
    assert done.returncode == 0 and done.stdout.strip() == "all quotes found; all external ids verified"


def test_cycles_are_found_in_a_large_loop_with_a_shortest_cycle_named():
    """Tarjan's algorithm on its own: one result per loop, the shortest cycle through its
    first event, self-loops left to the self-loop shapes."""
    from imid_onto.validate import cycles

    graph = {"a": ["b"], "b": ["c", "a2"], "c": ["d"], "d": ["a"], "a2": ["a"], "x": ["x"], "y": ["z"]}
    parts = sorted(sorted(p) for p in cycles._strongly_connected(graph) if len(p) > 1)
    assert parts == [["a", "a2", "b", "c", "d"]]
    assert cycles._shortest_cycle(graph, "a", set(parts[0])) == ["a", "b", "a2", "a"]
    chain = {str(i): [str(i + 1)] for i in range(20000)}  # deep: no recursion limit
    chain["20000"] = ["0"]
    assert len(cycles._strongly_connected(chain)) == 1


def test_utf8_positions_across_read_chunks(tmp_path, monkeypatch):
    from imid_onto.io import inputs
    from imid_onto.errors import ParseError

    monkeypatch.setattr(inputs, "_CHUNK", 7)  # a two-byte character split between two reads
    path = tmp_path / "split.ttl"
    path.write_bytes("ab\ncé\nx".encode("utf-8") + b"\xe9y")
    with pytest.raises(ParseError) as caught:
        inputs._check_utf8(path)
    assert (caught.value.line, caught.value.column) == (3, 2)


@pytest.mark.parametrize("triple, named", [
    ((URIRef(T + "a b"), RDF.type, OWL.Class), f"<{T}a b>"),
    ((URIRef(T + "a"), RDFS.label, Literal("x", lang="abcdefghi")), '"x"@abcdefghi'),  # subtags: 8 at most
    ((URIRef(T + "a"), RDFS.label, Literal('two\nlines, "quoted"', lang="abcdefghi")),
     '"two\\nlines, \\"quoted\\""@abcdefghi'),  # the message stays on one line
])
def test_a_graph_with_a_term_that_is_not_rdf_is_refused_naming_it(triple, named):
    """rdflib's Graph API lets such terms in; writing or querying them is an InputError that
    names the term (the CLI's one line), not pyoxigraph's bare ValueError."""
    graph = Graph()
    graph.add(triple)
    for write in (ntriples_bytes, to_store):
        with pytest.raises(InputError, match="is not an RDF 1.1 term") as caught:
            write(graph)
        assert str(caught.value).startswith(named)
