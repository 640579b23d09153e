"""Publishing the nanopublications to a store that takes datasets: ``imid-onto publish
--file imid-kb.trig`` POSTs the TriG to a throwaway Oxigraph server's dataset endpoint
(tests/oxigraph.py; the server is the ``oxigraph`` package's binary, in the test extra), and
every nanopublication is there, in its own graphs, once, however often it is published.
Where the server is absent the tests say so and skip (CI sets IMID_REQUIRE_OXIGRAPH)."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest

import imid_onto
from imid_onto.io.endpoint import Endpoint, publish, select
from imid_onto.io.rdf import trig_bytes
from imid_onto.publish.nanopub import nanopublications

from ..conftest import imid, one_error_line
from ..oxigraph import Oxigraph

GRAPH = "https://w3id.org/imid-onto/test/graph"


@pytest.fixture(scope="module")
def trig(tmp_path_factory):
    """The nanopublications as the release writes them (imid-kb.trig)."""
    path = tmp_path_factory.mktemp("nanopubs") / "imid-kb.trig"
    path.write_bytes(trig_bytes(nanopublications(imid_onto.load_knowledge_base())))
    return path


@pytest.fixture
def server(oxigraph_binary, tmp_path):
    with Oxigraph(tmp_path, binary=oxigraph_binary) as running:
        yield running


def _held(server: Oxigraph) -> Counter:
    """How many quads the store holds in each named graph, and in the default graph (None)."""
    _, rows = select(
        Endpoint(server.query_url), "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    )
    held = Counter({str(g): int(n) for g, n in rows})
    _, [(default,)] = select(Endpoint(server.query_url), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    held[None] = int(default)
    return held


def test_publish_adds_every_nanopublication_to_the_dataset_once(server, trig):
    expected = Counter(q.graph_name.value for q in ox.parse(path=trig, format=ox.RdfFormat.TRIG))
    expected[None] = 0
    total = sum(expected.values())
    claims = len(imid_onto.read_claims(imid_onto.load_knowledge_base()))
    assert len(expected) - 1 == 4 * claims  # Head, assertion, provenance, pubinfo
    for _ in range(2):  # published again: nothing added, nothing lost
        done = imid("publish", "--endpoint", server.store_url, "--file", str(trig))
        assert done.returncode == 0, done.stderr
        assert done.stdout == f"Published {trig} ({total:,} quads) to the dataset at {server.store_url}: HTTP 204\n"
        assert _held(server) == expected


def test_the_published_nanopublications_answer_a_query_by_graph(server, trig):
    status, quads = publish(trig, server.store_url)
    assert status == 204 and quads > 0
    _, rows = select(
        Endpoint(server.query_url),
        "PREFIX np: <http://www.nanopub.org/nschema#> "
        "SELECT ?np ?status WHERE { GRAPH ?h { ?np np:hasAssertion ?a } "
        "GRAPH ?a { <https://w3id.org/imid-onto/kb/claim/KG-50> "
        "<https://w3id.org/imid-onto/ontology#hasStatus> ?status } }",
    )
    [(np_, status_)] = rows
    assert str(np_).startswith("https://w3id.org/imid-onto/np/KG-50/RA")
    assert str(status_) == "https://w3id.org/imid-onto/ontology#EstablishedFinding"


def test_a_graph_file_still_replaces_its_graph_with_a_put(server, tmp_path):
    path = tmp_path / "small.ttl"
    path.write_text("<https://w3id.org/imid-onto/test/a> <https://w3id.org/imid-onto/test/p> 1 .\n")
    assert publish(path, server.store_url, GRAPH) == (201, 1)
    assert publish(path, server.store_url, GRAPH) == (204, 1)
    assert _held(server) == Counter({GRAPH: 1, None: 0})


def test_a_dataset_with_a_graph_or_a_graph_file_without_one_is_refused_before_sending(tmp_path, trig):
    url = "http://127.0.0.1:9/store"  # nothing is sent: no server needed
    done = imid("publish", "--endpoint", url, "--graph", GRAPH, "--file", str(trig))
    assert one_error_line(done, 2) == (
        f"{trig}: a dataset (TriG) names its own graphs: publish it without a graph IRI "
        "(it is added to the store's dataset endpoint)"
    )
    graph_file = tmp_path / "g.ttl"
    graph_file.write_text("<https://w3id.org/imid-onto/test/a> <https://w3id.org/imid-onto/test/p> 1 .\n")
    done = imid("publish", "--endpoint", url, "--file", str(graph_file))
    assert one_error_line(done, 2) == f"{graph_file}: a graph file needs the IRI of the graph it replaces (--graph IRI)"


def test_a_dataset_that_does_not_parse_or_is_empty_is_never_sent(tmp_path):
    url = "http://127.0.0.1:9/store"
    broken = tmp_path / "broken.trig"
    broken.write_text("<https://w3id.org/imid-onto/test/g> { <a> <b> \n")
    done = imid("publish", "--endpoint", url, "--file", str(broken))
    assert one_error_line(done, 2).startswith(f"{broken}:")
    empty = tmp_path / "empty.trig"
    empty.write_text("@prefix ex: <https://w3id.org/imid-onto/test/> .\n")
    done = imid("publish", "--endpoint", url, "--file", str(empty))
    assert one_error_line(done, 2) == f"{empty}: no quads in it: nothing to publish"
