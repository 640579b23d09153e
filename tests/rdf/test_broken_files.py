"""Files that cannot be read: each file of tests/fixtures/broken/ that is cut short, not
UTF-8, empty or not RDF gives one clear line naming the file (and the line and column), exit 2,
and never a traceback. Syntax errors are the reader's (imid_onto.io.rdf, pyoxigraph's
positions); what the file itself shows (empty, not UTF-8, RDF/XML cut short) is
imid_onto.io.inputs'. (Data that reads but is wrong: tests/validation/test_broken_data.py.)

An empty file (0 bytes, white space only, or only prefixes and comments) is a valid empty
graph, but "0 violations" for it would tell a user that data was checked when none was:
``validate`` refuses it (exit 2) and says what it found.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from imid_onto.errors import InputError
from imid_onto.io.rdf import ntriples_bytes, to_store

from ..conftest import cli, one_error_line

BROKEN = "tests/fixtures/broken"
T = "https://w3id.org/imid-onto/test/"


# (file, the one error line) for input that cannot be validated: exit 2, nothing on stdout
UNREADABLE = [
    (
        "truncated-statement.ttl",
        "truncated-statement.ttl:41:17: syntax error: Parser error at line 41 column 17: Unexpected end",
    ),
    (
        "truncated.rdf",
        "truncated.rdf:9:1: syntax error: not well-formed XML: no element found (the file ends before "
        "its elements are closed: truncated?)",
    ),
    (
        "truncated.jsonld",
        "truncated.jsonld:5:56: syntax error: Parser error at line 5 column 56: Unexpected end of file",
    ),
    (
        "latin1.ttl",
        "latin1.ttl:14:26: syntax error: not UTF-8 (byte 0xE9: Latin-1 or Windows-1252?): RDF files are "
        "UTF-8; convert it (e.g. iconv -f LATIN1 -t UTF-8)",
    ),
    (
        "utf16.ttl",
        "utf16.ttl:1:1: syntax error: UTF-16 text, not UTF-8: RDF files are UTF-8; convert it "
        "(e.g. iconv -f UTF-16 -t UTF-8)",
    ),
    (
        "utf8-bom.ttl",
        "utf8-bom.ttl:1:1: syntax error: the file starts with a UTF-8 byte-order mark (BOM), which Turtle "
        "does not allow: save it as UTF-8 without BOM",
    ),
    ("empty.ttl", "empty.ttl: empty file (0 bytes): no RDF in it"),
    ("whitespace.ttl", "whitespace.ttl: only white space (7 bytes): no RDF in it"),
    ("prefixes-only.ttl", "prefixes-only.ttl: no triples in it (only prefixes or comments): nothing to validate"),
    (
        "not-rdf.txt",
        "not-rdf.txt: unknown RDF file extension '.txt' (known: .jsonld, .nq, .nt, .owl, .rdf, .trig, .ttl, .xml)",
    ),
    ("no-such-file.ttl", "no-such-file.ttl: cannot read: no such file"),
]


@pytest.mark.parametrize("name, message", UNREADABLE, ids=[name for name, _ in UNREADABLE])
def test_unreadable_or_empty_input_is_one_line_and_exit_2(name, message):
    done = cli("validate", f"{BROKEN}/{name}")
    assert one_error_line(done, 2) == f"{BROKEN}/{message}"
    assert done.stdout == ""


def test_a_folder_is_one_line_and_exit_2():
    done = cli("validate", BROKEN)
    assert one_error_line(done, 2) == (
        f"{BROKEN}: is a folder, not an RDF file (give the files in it, e.g. {BROKEN}/*.ttl)"
    )


def test_an_unreadable_file_among_good_ones_is_named():
    done = cli("validate", "tests/fixtures/shapes/ClaimShape/valid.ttl", f"{BROKEN}/empty.ttl")
    assert one_error_line(done, 2) == f"{BROKEN}/empty.ttl: empty file (0 bytes): no RDF in it"


@pytest.mark.parametrize(
    "name, code, start",
    [
        ("empty.ttl", 2, "empty.ttl: empty file (0 bytes)"),
        ("truncated.rdf", 2, "truncated.rdf:9:1: syntax error: not well-formed XML"),
        ("truncated-statement.ttl", 2, "truncated-statement.ttl:41:17: syntax error"),
        ("latin1.ttl", 2, "latin1.ttl:14:26: syntax error: not UTF-8"),
    ],
)
def test_check_refuses_broken_files_in_one_line(sources_dir, identifier_table, name, code, start):
    assert one_error_line(cli("check", f"{BROKEN}/{name}"), code).startswith(f"{BROKEN}/{start}")


def test_utf8_positions_across_read_chunks(tmp_path, monkeypatch):
    from imid_onto.errors import ParseError
    from imid_onto.io import inputs

    monkeypatch.setattr(inputs, "_CHUNK", 7)  # a two-byte character split between two reads
    path = tmp_path / "split.ttl"
    path.write_bytes("ab\ncé\nx".encode() + b"\xe9y")
    with pytest.raises(ParseError) as caught:
        inputs._check_utf8(path)
    assert (caught.value.line, caught.value.column) == (3, 2)


@pytest.mark.parametrize(
    "triple, named",
    [
        ((URIRef(T + "a b"), RDF.type, OWL.Class), f"<{T}a b>"),
        ((URIRef(T + "a"), RDFS.label, Literal("x", lang="abcdefghi")), '"x"@abcdefghi'),  # subtags: 8 at most
        (
            (URIRef(T + "a"), RDFS.label, Literal('two\nlines, "quoted"', lang="abcdefghi")),
            '"two\\nlines, \\"quoted\\""@abcdefghi',
        ),  # the message stays on one line
    ],
)
def test_a_graph_with_a_term_that_is_not_rdf_is_refused_naming_it(triple, named):
    """rdflib's Graph API lets such terms in; writing or querying them is an InputError that
    names the term (the CLI's one line), not pyoxigraph's bare ValueError."""
    graph = Graph()
    graph.add(triple)
    for write in (ntriples_bytes, to_store):
        with pytest.raises(InputError, match="is not an RDF 1.1 term") as caught:
            write(graph)
        assert str(caught.value).startswith(named)


@pytest.mark.parametrize(
    "triple, named",
    [
        ((Literal("x"), RDFS.label, Literal("y")), f'"x" <{RDFS.label}> "y"'),  # a literal subject
        ((URIRef(T + "a"), Literal("p"), Literal("y")), f'<{T}a> "p" "y"'),  # a literal predicate
    ],
)
def test_a_graph_with_a_term_out_of_place_is_refused_naming_the_triple(triple, named):
    """rdflib's Graph API lets in a literal subject or predicate; writing or storing the
    graph is an InputError naming the triple, not pyoxigraph's TypeError."""
    graph = Graph()
    graph.add(triple)
    for write in (ntriples_bytes, to_store):
        with pytest.raises(InputError) as caught:
            write(graph)
        assert str(caught.value) == f"{named}: not an RDF triple (a literal subject, or a predicate that is not an IRI)"


def test_an_rdf_1_2_triple_term_is_one_line_naming_the_file(tmp_path):
    """pyoxigraph reads RDF 1.2 triple terms; rdflib has none: a file holding one is refused
    in one line that names it (it was an internal error)."""
    path = tmp_path / "star.ttl"
    path.write_text(f"<{T}a> <{T}b> <<( <{T}c> <{T}d> <{T}e> )>> .\n", encoding="utf-8")
    done = cli("fmt", str(path))
    assert one_error_line(done, 2) == (
        f"{path}: <<( <{T}c> <{T}d> <{T}e> )>>: an RDF 1.2 triple term, which imid-onto does not read (RDF 1.1)"
    )
    assert path.read_text(encoding="utf-8") == f"<{T}a> <{T}b> <<( <{T}c> <{T}d> <{T}e> )>> .\n"
