"""The readers reach nothing over the network: ``owl:imports`` is kept as a triple and not
followed (with a warning), a JSON-LD context from elsewhere is refused naming the file,
inline contexts work. (Every command under a network guard: tests/cli/test_offline.py.)"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from imid_onto.errors import InputError
from imid_onto.io.rdf import ImportNotFollowed, external_contexts, load_store, read_graph

from ..conftest import FIXTURES

#: A user's ontology that imports another over the network.
IMPORTS = """\
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/mine> a owl:Ontology ; owl:imports <http://127.0.0.1:9/go.owl> .
<https://example.org/mine#Thing> a owl:Class ; rdfs:label "thing"@en .
"""


#: JSON-LD documents that would load a context from elsewhere, each in another place.
REMOTE_CONTEXTS = {
    "string": '{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://example.org/a", "name": "x"}',
    "array": '{"@context": [{"ex": "http://example.org/"}, "http://127.0.0.1:9/c"], "@id": "http://example.org/a"}',
    "node": '{"@context": {"ex": "http://example.org/"}, "@id": "http://example.org/a", '
    '"ex:p": {"@context": "http://127.0.0.1:9/c", "@id": "http://example.org/b"}}',
    "import": '{"@context": {"@version": 1.1, "@import": "http://127.0.0.1:9/c", "ex": "http://example.org/"}, '
    '"@id": "http://example.org/a", "ex:p": "x"}',
    "scoped": '{"@context": {"t": {"@id": "http://example.org/t", "@context": "http://127.0.0.1:9/c"}}, '
    '"@id": "http://example.org/a", "t": {"@id": "http://example.org/b"}}',
    "relative": '{"@context": "context.jsonld", "@id": "http://example.org/a", "name": "x"}',
    "repeated-key": '{"@context": "http://127.0.0.1:9/c", "@context": {"ex": "http://example.org/"}, '
    '"@id": "http://example.org/a"}',
}


INLINE_CONTEXT = (
    '{"@context": {"name": {"@id": "http://schema.org/name"}, "ex": "http://example.org/"}, '
    '"@id": "ex:a", "name": "x", "ex:p": {"@id": "ex:b", "@context": {"q": "http://example.org/q"}, "q": 1}}'
)


def test_reading_owl_imports_warns_in_python(tmp_path):
    path = tmp_path / "imports.ttl"
    path.write_text(IMPORTS)
    with pytest.warns(ImportNotFollowed, match="go.owl> not followed"):
        graph = read_graph(path)
    assert len(graph) == 4  # the triple is kept
    with pytest.warns(ImportNotFollowed, match="go.owl> not followed"):
        load_store([path])


@pytest.mark.parametrize("name", sorted(REMOTE_CONTEXTS))
@pytest.mark.parametrize("reader", [read_graph, lambda path: load_store([path])], ids=["read_graph", "load_store"])
def test_an_external_jsonld_context_is_refused_naming_the_file(tmp_path, name, reader):
    path = tmp_path / f"{name}.jsonld"
    path.write_text(REMOTE_CONTEXTS[name])
    with pytest.raises(InputError, match="external JSON-LD context refused") as caught:
        reader(path)
    assert str(caught.value).startswith(f"{path}: ")


def test_pyoxigraph_fetches_no_context_but_says_little():
    """What the refusal is in front of (pyoxigraph 0.5): no fetch, an error without position
    or the context's address."""
    with pytest.raises(SyntaxError, match="No LoadDocumentCallback") as caught:
        list(ox.parse(REMOTE_CONTEXTS["string"].encode(), format=ox.RdfFormat.JSON_LD))
    assert caught.value.lineno is None and "127.0.0.1" not in str(caught.value)


def test_inline_contexts_keep_working(tmp_path):
    path = tmp_path / "inline.jsonld"
    path.write_text(INLINE_CONTEXT)
    assert external_contexts(INLINE_CONTEXT.encode()) == []
    assert len(read_graph(path)) == 3
    assert len(load_store([path])) == 3
    json_literal = tmp_path / "json-literal.jsonld"  # "@context" inside a JSON literal is data
    json_literal.write_text(
        '{"@id": "http://example.org/a", "http://example.org/j": '
        '{"@value": {"@context": "http://127.0.0.1:9/"}, "@type": "@json"}}'
    )
    assert len(read_graph(json_literal)) == 1


def test_the_release_jsonld_is_accepted(tmp_path):
    """imid-onto's own JSON-LD (its context inline) reads back."""
    from imid_onto.io.rdf import jsonld_bytes, jsonld_context

    graph = read_graph(FIXTURES / "queries" / "small.ttl")
    path = tmp_path / "kb.jsonld"
    path.write_bytes(jsonld_bytes(graph, jsonld_context(graph)))
    assert len(read_graph(path)) == len(graph)


def test_a_blank_node_type_in_the_release_jsonld_reads_back(tmp_path):
    """An entity typed by an OWL restriction (a blank node, as the knowledge base's drug
    roles are) is written with its ``@type`` a blank-node identifier string, which a
    conforming reader accepts (rdflib alone writes ``{"@id": ...}``, which is refused)."""
    from rdflib import OWL, BNode, Graph, URIRef
    from rdflib.compare import isomorphic

    from imid_onto.io.rdf import jsonld_bytes, jsonld_context
    from imid_onto.vocab import RDF

    graph = Graph()
    role = BNode()
    for name in ("a", "b"):
        graph.add((URIRef(f"https://w3id.org/imid-onto/kb/entity/{name}"), RDF.type, role))
    graph.add((URIRef("https://w3id.org/imid-onto/kb/entity/a"), RDF.type, OWL.NamedIndividual))
    graph.add((role, RDF.type, OWL.Restriction))
    path = tmp_path / "kb.jsonld"
    path.write_bytes(jsonld_bytes(graph, jsonld_context(graph)))
    assert isomorphic(read_graph(path), graph)
