"""Loading the ontology and the knowledge base, and what can be said about them.

The knowledge base is the ontology, the external-terms module, the entities, the
documents and the claims. A claim that stands (an established finding, not negated) also
gives its edge as a plain triple, derived here from the claim, so that simple SPARQL works
and no plain edge exists without a claim behind it. Hypotheses, open questions,
superseded and negated claims stay claim resources only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from . import paths
from .namespaces import DOC, IMID, OA, ONTOLOGY_IRI, OWL, PROV, RDF, RDFS, curie
from .rdfio import read_graphs

__all__ = [
    "load_ontology",
    "label",
    "load_knowledge_base",
    "data_files",
    "sources",
    "standing_claims",
    "standing_edges",
    "derive_plain_edges",
    "STANDING_EDGE_PATTERN",
    "open_store",
    "Counts",
    "counts",
    "ClaimRow",
    "claim_rows",
    "STATUSES",
]

#: Status names a user types, and the individuals they stand for.
STATUSES: dict[str, URIRef] = {
    "finding": IMID.EstablishedFinding,
    "hypothesis": IMID.Hypothesis,
    "open-question": IMID.OpenQuestion,
    "superseded": IMID.Superseded,
}


def load_ontology() -> Graph:
    """The ontology with its external-terms module (no knowledge base)."""
    return read_graphs([paths.ontology_file(), paths.external_terms_file()])


def data_files() -> list[Path]:
    """The knowledge base's own files (entities, documents, claims), without the ontology."""
    return [*paths.entity_files(), *paths.document_files(), *paths.claim_files()]


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


#: SPARQL group pattern binding ?s ?p ?o to the plain edge of every standing claim ?claim
#: (an established finding, not negated). Used on rdflib graphs and on pyoxigraph stores.
STANDING_EDGE_PATTERN = f"""
    ?claim <{IMID.hasStatus}> <{IMID.EstablishedFinding}> ;
        <{RDF.subject}> ?s ; <{RDF.predicate}> ?p ; <{RDF.object}> ?o .
    FILTER NOT EXISTS {{ ?claim <{IMID.isNegated}> true }}
"""


def open_store(files: list[Path], *, plain_edges: bool = True, store=None):
    """``files`` parsed into a pyoxigraph store (in memory unless ``store`` is given: the
    fast path for large graphs), with the plain edges of standing claims derived there
    unless told not to."""
    from .rdfio import load_store

    store = load_store(files, store)
    if plain_edges:
        store.update(f"INSERT {{ ?s ?p ?o }} WHERE {{ {STANDING_EDGE_PATTERN} }}")
    return store


def standing_claims(graph: Graph) -> list[URIRef]:
    """Claims that are established findings and not negated."""
    found = []
    for claim in graph.subjects(IMID.hasStatus, IMID.EstablishedFinding):
        if graph.value(claim, IMID.isNegated) == Literal(True):
            continue
        found.append(claim)
    return sorted(found)


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


def label(graph: Graph, node: Node) -> str:
    """What imid-onto calls ``node`` everywhere: its English (or untagged) rdfs:label (the
    first in sort order when it has several), else its CURIE ("(anonymous)" for a blank node)."""
    labels = [str(x) for x in graph.objects(node, RDFS.label)
              if isinstance(x, Literal) and (x.language or "en").lower().startswith("en")]
    if labels:
        return min(labels)
    return "(anonymous)" if isinstance(node, BNode) else curie(node)


def counts(graph: Graph) -> Counts:
    """Counts of the ontology's own terms and of the knowledge base's individuals and claims."""
    ontology = URIRef(ONTOLOGY_IRI)

    def own(kind: URIRef) -> int:
        return sum(1 for t in graph.subjects(RDF.type, kind) if graph.value(t, RDFS.isDefinedBy) == ontology)

    claims = sorted(set(graph.subjects(RDF.type, IMID.Claim)))
    status = Counter(label(graph, graph.value(c, IMID.hasStatus)) for c in claims)
    study = Counter(label(graph, s) for c in claims for s in graph.objects(c, PROV.wasDerivedFrom))
    source = Counter(
        label(graph, d) for c in claims for q in graph.objects(c, IMID.hasQuote) for d in graph.objects(q, OA.hasSource)
    )
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


@dataclass(frozen=True)
class ClaimRow:
    iri: str
    statement: str
    status: str
    negated: bool
    studies: tuple[str, ...]
    source: str
    quote: str


def claim_rows(graph: Graph, *, source: str | None = None, status: str | None = None) -> list[ClaimRow]:
    """Claims for review, in IRI order; ``source`` is a document's local name (e.g.
    ``kurtz-gotlib-2014``) or IRI, ``status`` one of STATUSES."""
    wanted_status = STATUSES[status] if status else None
    wanted_source = URIRef(source) if source and ":" in source else (DOC[source] if source else None)
    rows = []
    for claim in sorted(set(graph.subjects(RDF.type, IMID.Claim))):
        state = graph.value(claim, IMID.hasStatus)
        if wanted_status is not None and state != wanted_status:
            continue
        quote = graph.value(claim, IMID.hasQuote)
        document = graph.value(quote, OA.hasSource) if quote is not None else None
        if wanted_source is not None and document != wanted_source:
            continue
        selector = graph.value(quote, OA.hasSelector) if quote is not None else None
        exact = graph.value(selector, OA.exact) if selector is not None else None
        s, p, o = (graph.value(claim, r) for r in (RDF.subject, RDF.predicate, RDF.object))
        statement = " ".join(label(graph, t) if t is not None else "?" for t in (s, p, o))
        rows.append(
            ClaimRow(
                iri=str(claim),
                statement=statement,
                status=label(graph, state) if state is not None else "?",
                negated=graph.value(claim, IMID.isNegated) == Literal(True),
                studies=tuple(sorted(label(graph, s) for s in graph.objects(claim, PROV.wasDerivedFrom))),
                source=label(graph, document) if document is not None else "?",
                quote=" ".join(str(exact or "").split()),
            )
        )
    return rows


def source_document_names(graph: Graph) -> list[str]:
    """Local names of the source documents, for ``--source`` choices."""
    return sorted(str(d).rsplit("/", 1)[-1] for d in graph.subjects(RDF.type, IMID.SourceDocument))
