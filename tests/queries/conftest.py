"""Shared by the query tests: the shipped data without the reasoner's triples, a store of one
triple (in the default graph and in a named one), and :func:`short`, the way the tables of
answers write a cell."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from imid_onto.query import Dataset, load_dataset


def short(value) -> str | None:
    """A cell as the tables of answers write it: t:NAME for the fixtures' terms, the local
    name of an ontology or OBO term, the text of a literal."""
    if value is None:
        return None
    text = str(value).replace("https://w3id.org/imid-onto/test/", "t:")
    for namespace in ("https://w3id.org/imid-onto/ontology#", "http://purl.obolibrary.org/obo/"):
        text = text.replace(namespace, "")
    return text


@pytest.fixture(scope="module")
def asserted():
    return load_dataset(asserted_only=True)


@pytest.fixture(scope="module")
def tiny() -> Dataset:
    store = ox.Store()
    triple = (ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("o"))
    store.add(ox.Quad(*triple))
    store.add(ox.Quad(*triple, ox.NamedNode("http://example.org/g")))  # for GRAPH ?g { ... } on pyoxigraph
    dataset = Dataset(store)
    _ = dataset.graph  # the rdflib graph, made once
    return dataset
