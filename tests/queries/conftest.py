"""Datasets shared by the query tests: the shipped data without the reasoner's triples, and a
store of one triple (in the default graph and in a named one)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from imid_onto.query import Dataset, load_dataset


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
