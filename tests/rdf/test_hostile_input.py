"""Hostile input, bounded: small files that made imid-onto run for minutes, crash or read for
ever are answered in seconds or refused in one line (README: "What imid-onto refuses, and why").

- Blank nodes described alike (a list of one repeated item, a list nested 20,000 deep):
  RDFC-1.0 (pyoxigraph) is cubic there and overflows its stack on deep nesting; it names
  the reasoner's input (and every canonical serialization). It is now run only where its
  search is bounded (io.rdf.RDFC_SEARCH), trees of blank nodes are labelled in linear time
  beyond that, and anything else is refused. (The reasoner over such input:
  tests/reasoning/test_hostile_input.py.)
- RDF/XML and JSON-LD nested deeper than io.rdf.MAX_NESTING: refused with the line and
  column (the parsers are quadratic in the depth; JSON-LD nested 4,000 deep crashes).
- A named pipe, a device or a link to one: refused at once ("not a regular file"), by
  every command that reads a user's file.
- A literal, IRI or comment longer than pyoxigraph reads (16 MiB): one line naming where it starts.

Each runs the command line in a subprocess with a timeout, so the old behaviour (a hang)
fails the test instead of holding the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph
from rdflib.namespace import OWL

from imid_onto.errors import InputError
from imid_onto.io.rdf import MAX_NESTING, RDFC_SEARCH, ntriples_bytes, read_graph, to_graph

from ..conftest import REPO, imid, one_error_line

BOUND = 120  # seconds: a subprocess still running then has hung (each takes a few seconds)
PREFIXES = "@prefix : <http://example.org/> .\n@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"


def _repeated(items: int) -> str:
    """A list of one item repeated (2,000: 6 KB; RDFC-1.0 took hours)."""
    return PREFIXES + f":x :p ( {' '.join([':a'] * items)} ) .\n"


def _nested(depth: int) -> str:
    """A list nested ``depth`` deep (20,000: 40 KB; RDFC-1.0 overflowed its stack)."""
    return PREFIXES + ":x :p " + "( " * depth + ")" * depth + " .\n"


# --- blank nodes described alike ----------------------------------------------------------


def _graph(text: str) -> Graph:
    """``text`` parsed (by pyoxigraph: rdflib's parser recurses), with fresh blank-node labels."""
    return to_graph(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))


CANONICAL = """
import pyoxigraph as ox
from imid_onto.io.rdf import ntriples_bytes, to_graph
from tests.rdf.test_hostile_input import PREFIXES, _nested, _repeated


def graph(text):  # parsed by pyoxigraph (rdflib's parser recurses), with fresh blank-node labels
    return to_graph(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))


for text in (_repeated(2000), _nested(20_000)):
    first, second = graph(text), graph(text)
    assert set(first.subjects()) != set(second.subjects())  # the parser's labels differ
    data = ntriples_bytes(first)
    assert data == ntriples_bytes(second)
    assert data.count(b"\\n") == len(first)
    assert b"_:c14n" not in data
assert ntriples_bytes(graph(_repeated(2000))) != ntriples_bytes(graph(_repeated(2001)))
assert ntriples_bytes(graph(_nested(20_000))) != ntriples_bytes(graph(_nested(20_001)))
# two equal lists in one place are two lists: both are kept, numbered apart
twice = graph(PREFIXES + f":x :p ( {' '.join([':a'] * 20)} ), ( {' '.join([':a'] * 20)} ) .\\n")
assert ntriples_bytes(twice).count(b"\\n") == len(twice) == 82
print("ok")
"""


@pytest.mark.slow
def test_canonical_labels_beyond_rdfc_are_the_same_for_the_same_graph():
    """Trees of blank nodes that RDFC-1.0 would search for hours (or crash on): the same
    bytes for the same graph whatever the parser's labels, different bytes for different
    graphs. In a process of its own, with a timeout."""
    done = subprocess.run([sys.executable, "-c", CANONICAL], capture_output=True, text=True, cwd=REPO, timeout=BOUND)
    assert (done.returncode, done.stdout) == (0, "ok\n"), done.stderr[-2000:]


def test_rdfc_labels_where_its_search_is_bounded():
    """The release's blank nodes keep their RDFC-1.0 labels (tests/release/test_build.py checks its bytes)."""
    text = PREFIXES + ":x :p ( :a :a :a :a :a ) ; :q [ :r [ :s :b ] ] .\n"
    data = ntriples_bytes(_graph(text))
    dataset = ox.Dataset(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    expected = sorted(str(quad.triple) + " ." for quad in dataset)
    assert data.decode().splitlines() == sorted(line for line in expected)
    assert b"_:c14n0" in data


def _clique(size: int) -> Graph:
    """``size`` blank nodes alike, each owl:sameAs every other: RDFC-1.0's search grows with size!"""
    graph = Graph()
    nodes = [BNode() for _ in range(size)]
    for a in nodes:
        for b in nodes:
            if a != b:
                graph.add((a, OWL.sameAs, b))
    return graph


def test_alike_blank_nodes_that_are_not_trees_are_refused_beyond_the_bound():
    assert RDFC_SEARCH == 5040  # 7! orders: 7 such nodes, 0.24 s
    assert ntriples_bytes(_clique(7)).count(b"\n") == 42
    with pytest.raises(InputError, match="blank nodes described alike are linked to each other in a cycle"):
        ntriples_bytes(_clique(8))


def test_fmt_of_blank_nodes_nested_too_deep_for_rdflib_is_one_line(tmp_path):
    path = tmp_path / "nested.ttl"
    path.write_text(_nested(600))
    done = imid("fmt", "--check", str(path), timeout=BOUND)
    assert one_error_line(done, 2) == (
        f"{path}: blank nodes (lists, descriptions in [ ]) nested too deep for rdflib's Turtle writer (a few hundred "
        "levels): it cannot be written in canonical form"
    )


# --- nesting ---------------------------------------------------------------------------

RDF_XML = (
    '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:ex="http://example.org/">\n<rdf:Description rdf:about="http://example.org/x">\n{}'
    "</rdf:Description>\n</rdf:RDF>\n"
)


def _rdf_xml(depth: int) -> str:
    """Elements nested ``depth`` deep (rdf:RDF and rdf:Description included), one a line:
    the element at depth d starts line d + 1."""
    inner = depth - 2
    return RDF_XML.format("<ex:p>\n" * inner + "</ex:p>" * inner)


def _json_ld(depth: int) -> str:
    """Objects nested ``depth`` deep, one a line: the object at depth d opens line d."""
    return (
        '{"@id": "http://example.org/x",\n'
        + '"http://example.org/p": {\n' * (depth - 1)
        + '"http://example.org/q": "v"'
        + "}" * depth
        + "\n"
    )


def test_rdf_xml_nested_deeper_than_the_bound_is_refused_at_once(tmp_path):
    """256,000 elements deep (3.3 MB): pyoxigraph's parser took 76 s at half that depth."""
    path = tmp_path / "deep.rdf"
    path.write_text(_rdf_xml(256_000))
    done = imid("validate", str(path), timeout=BOUND)
    assert one_error_line(done, 2) == (
        f"{path}:{MAX_NESTING + 2}:1: XML elements nested deeper than 500 levels: "
        "refused (the parser's time grows with the square of the depth)"
    )


def test_json_ld_nested_deeper_than_the_bound_is_refused_at_once(tmp_path):
    """10,000 objects deep: pyoxigraph's JSON-LD parser overflowed its stack (a crash)."""
    path = tmp_path / "deep.jsonld"
    path.write_text(_json_ld(10_000))
    done = imid("validate", str(path), timeout=BOUND)
    assert one_error_line(done, 2) == (
        f"{path}:{MAX_NESTING + 1}:25: JSON objects and arrays nested deeper than "
        "500 levels: refused (the parser's time grows with the square of the depth)"
    )


@pytest.mark.parametrize(
    "name, document", [("at-bound.rdf", _rdf_xml(MAX_NESTING)), ("at-bound.jsonld", _json_ld(MAX_NESTING))]
)
def test_nesting_at_the_bound_is_read(tmp_path, name, document):
    path = tmp_path / name
    path.write_text(document)
    assert len(read_graph(path)) == MAX_NESTING - 2 if name.endswith(".rdf") else MAX_NESTING
    deeper = tmp_path / f"deeper{path.suffix}"
    deeper.write_text(_rdf_xml(MAX_NESTING + 1) if name.endswith(".rdf") else _json_ld(MAX_NESTING + 1))
    with pytest.raises(InputError, match=f"nested deeper than {MAX_NESTING} levels"):
        read_graph(deeper)


# --- not a regular file --------------------------------------------------------------


@pytest.fixture(scope="module")
def odd_files(tmp_path_factory):
    """A named pipe, a link to it, a link to /dev/zero, and /dev/zero itself."""
    folder = tmp_path_factory.mktemp("odd")
    os.mkfifo(folder / "pipe.ttl")
    (folder / "pipe-link.ttl").symlink_to(folder / "pipe.ttl")
    (folder / "zero-link.ttl").symlink_to("/dev/zero")
    return {
        "pipe.ttl": (folder / "pipe.ttl", "a named pipe"),
        "pipe-link.ttl": (folder / "pipe-link.ttl", "a named pipe"),
        "zero-link.ttl": (folder / "zero-link.ttl", "a character device"),
        "/dev/zero": (os.path.realpath("/dev/zero"), "a character device"),
    }


COMMANDS = {
    "validate": ["validate"],
    "query --data": ["query", "open-questions", "--data"],
    "claims --data": ["claims", "--data"],
    "query --file": ["query", "--file"],
    "fmt --check": ["fmt", "--check"],
    "check": ["check"],
    "reason": ["reason"],
}


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("kind", ["pipe.ttl", "pipe-link.ttl", "zero-link.ttl", "/dev/zero"])
@pytest.mark.parametrize("command", COMMANDS)
def test_what_is_not_a_regular_file_is_refused_at_once(odd_files, command, kind):
    path, what = odd_files[kind]
    done = imid(*COMMANDS[command], str(path), timeout=60)
    assert one_error_line(done, 2) == f"{path}: not a regular file ({what}): imid-onto reads files only"


def test_the_api_readers_refuse_a_pipe(tmp_path):
    os.mkfifo(tmp_path / "pipe.ttl")
    code = (
        "import sys\nfrom imid_onto.errors import InputError\n"
        "from imid_onto.{module} import {function}\n"
        "try:\n    {function}({argument})\nexcept InputError as err:\n    print(err)\n"
    )
    for module, function, argument in (
        ("io.rdf", "read_graph", "sys.argv[1]"),
        ("io.rdf", "load_store", "[sys.argv[1]]"),
        ("query", "load_dataset", "[sys.argv[1]]"),
        ("validation.report", "validate", "[sys.argv[1]], precheck=True"),
    ):
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                code.format(module=module, function=function, argument=argument),
                str(tmp_path / "pipe.ttl"),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert (
            done.stdout == f"{tmp_path / 'pipe.ttl'}: not a regular file (a named pipe): imid-onto reads files only\n"
        ), (function, done.stderr[-2000:])


# --- a term longer than pyoxigraph reads -----------------------------------------------

LONG = "a" * (17 * 1024 * 1024)  # pyoxigraph's Turtle, N-Triples and JSON-LD parsers stop at 16 MiB a token


@pytest.fixture(scope="module")
def long_literal(tmp_path_factory):
    path = tmp_path_factory.mktemp("long") / "long.ttl"
    path.write_text(PREFIXES + f':x :p """{LONG}""" .\n')
    return path


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["query", "open-questions", "--data"],
        ["claims", "--data"],
        ["reason"],
        ["fmt", "--check"],
        ["check"],
    ],
)
def test_a_literal_over_16_mib_is_one_line_naming_where_it_starts(long_literal, command):
    done = imid(*command, str(long_literal), timeout=BOUND)
    assert one_error_line(done, 2) == (
        f"{long_literal}:3:7: a literal, IRI, name or comment longer than 16 MiB (16,777,216 bytes): pyoxigraph's "
        "parser reads none that long in this format (it does in RDF/XML); keep long texts outside the data"
    )


@pytest.mark.parametrize(
    "name, text, where",
    [
        ("long.nt", f'<http://example.org/x> <http://example.org/p> "{LONG}" .\n', "1:47"),
        ("long-iri.ttl", PREFIXES + f":x :p <http://example.org/{LONG}> .\n", "3:7"),
        ("long-comment.ttl", PREFIXES + f"# {LONG}\n:x :p :y .\n", "3:1"),
        ("long.jsonld", f'{{"@id": "http://example.org/x",\n "http://example.org/p": "{LONG}"}}', "2:26"),
    ],
)
def test_a_token_over_16_mib_is_named_in_every_format_that_stops_at_it(tmp_path, name, text, where):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InputError, match=f"^{path}:{where}: a literal, IRI, name or comment longer than 16 MiB"):
        read_graph(path)


def test_rdf_xml_reads_a_literal_over_16_mib(tmp_path):
    path = tmp_path / "long.rdf"
    path.write_text(RDF_XML.format(f"<ex:p>{LONG}</ex:p>\n"))
    assert [str(o) for o in read_graph(path).objects()] == [LONG]
