"""Loading the ontology and the knowledge base, and what can be said about them.

The knowledge base is the ontology, the external-terms module, the entities, the
documents and the claims. A claim that stands (imid_onto.model.claims) also gives its edge
as a plain triple, derived here from the claim, so that simple SPARQL works and no plain
edge exists without a claim behind it. Other claims stay claim resources only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from imid_onto import paths
from imid_onto.io.rdf import read_graphs
from imid_onto.model.claims import STANDING_EDGE_PATTERN, label, read_claims
from imid_onto.vocab import IMID, ONTOLOGY_IRI, OWL, RDF, RDFS

__all__ = [
    "load_ontology",
    "load_knowledge_base",
    "data_files",
    "beside",
    "sources",
    "standing_edges",
    "derive_plain_edges",
    "open_store",
    "Counts",
    "counts",
]


def load_ontology() -> Graph:
    """The ontology with its external-terms module (no knowledge base)."""
    return read_graphs(sources([]))


def data_files() -> list[Path]:
    """The knowledge base's own files (entities, documents, claims), without the ontology."""
    return [*paths.entity_files(), *paths.document_files(), *paths.claim_files()]


def beside(files: list[Path]) -> list[Path]:
    """The files that a user's ``files`` are read beside (``validate FILES``, ``check
    FILES``): the knowledge base's entities and documents, those not among ``files``."""
    given = {f.resolve() for f in files}
    return [f for f in [*paths.entity_files(), *paths.document_files()] if f.resolve() not in given]


def sources(files: list[Path] | None = None) -> list[Path]:
    """The files of a knowledge base: the ontology and its external terms, then ``files``
    (default: the shipped entities, documents and claims)."""
    return [paths.ontology_file(), paths.external_terms_file(), *(data_files() if files is None else files)]


def load_knowledge_base(extra: list[Path] | None = None, *, plain_edges: bool = True) -> Graph:
    """Ontology + entities + documents + claims (+ ``extra`` files), with plain edges derived."""
    graph = read_graphs([*sources(), *(extra or [])])
    if plain_edges:
        derive_plain_edges(graph)
    return graph


def open_store(files: list[Path], *, plain_edges: bool = True, store: ox.Store | None = None) -> ox.Store:
    """``files`` parsed into a pyoxigraph store (in memory unless ``store`` is given: the
    fast path for large graphs), with the plain edges of standing claims derived there
    unless told not to."""
    from imid_onto.io.rdf import load_store

    store = load_store(files, store)
    if plain_edges:
        store.update(f"INSERT {{ ?s ?p ?o }} WHERE {{ {STANDING_EDGE_PATTERN} }}")
    return store


def standing_edges(graph: Graph) -> set[tuple[Node, Node, Node]]:
    """The plain ``subject relation object`` triple of every standing claim in ``graph``."""
    rows = graph.query(f"SELECT ?s ?p ?o WHERE {{ {STANDING_EDGE_PATTERN} }}")
    return {(row[0], row[1], row[2]) for row in rows}  # type: ignore[index]


def derive_plain_edges(graph: Graph) -> int:
    """Add the plain edge of every standing claim to ``graph``; return how many were new."""
    before = len(graph)
    for triple in standing_edges(graph):
        graph.add(triple)
    return len(graph) - before


@dataclass
class Counts:
    version: str
    classes: int
    object_properties: int
    datatype_properties: int
    individuals: int
    claims: int
    by_status: dict[str, int] = field(default_factory=dict)
    by_study: dict[str, int] = field(default_factory=dict)
    by_source: dict[str, int] = field(default_factory=dict)


def counts(graph: Graph) -> Counts:
    """Counts of the ontology's own terms and of the knowledge base's individuals and claims."""
    ontology = URIRef(ONTOLOGY_IRI)

    def own(kind: URIRef) -> int:
        return sum(1 for t in graph.subjects(RDF.type, kind) if graph.value(t, RDFS.isDefinedBy) == ontology)

    claims = read_claims(graph)
    status = Counter(label(graph, c.status) for c in claims)
    study = Counter(label(graph, s) for c in claims for s in c.studies)
    source = Counter(label(graph, q.source) for c in claims for q in c.quotes if q.source is not None)
    return Counts(
        version=str(graph.value(ontology, OWL.versionInfo)),
        classes=own(OWL.Class),
        object_properties=own(OWL.ObjectProperty),
        datatype_properties=own(OWL.DatatypeProperty),
        individuals=len(set(graph.subjects(RDF.type, OWL.NamedIndividual))),
        claims=len(claims),
        by_status=dict(sorted(status.items())),
        by_study=dict(sorted(study.items())),
        by_source=dict(sorted(source.items())),
    )


def source_document_names(graph: Graph) -> list[str]:
    """Local names of the source documents, for ``--source`` choices."""
    return sorted(str(d).rsplit("/", 1)[-1] for d in graph.subjects(RDF.type, IMID.SourceDocument))
