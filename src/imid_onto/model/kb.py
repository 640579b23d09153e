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

from imid_onto import paths
from imid_onto.vocab import DOC, IMID, OA, ONTOLOGY_IRI, OWL, PROV, RDF, RDFS, curie
from imid_onto.io.rdf import read_graphs

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
    return read_graphs(sources([]))


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
    from imid_onto.io.rdf import load_store

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


#: One row per claim and value (OPTIONAL: a claim may lack any of them); the studies apart.
_CLAIM_FIELDS = f"""SELECT ?claim ?status ?negated ?document ?exact ?s ?p ?o WHERE {{
    ?claim a <{IMID.Claim}> .
    OPTIONAL {{ ?claim <{IMID.hasStatus}> ?status }}
    OPTIONAL {{ ?claim <{IMID.isNegated}> ?negated }}
    OPTIONAL {{ ?claim <{IMID.hasQuote}> ?quote .
               OPTIONAL {{ ?quote <{OA.hasSource}> ?document }}
               OPTIONAL {{ ?quote <{OA.hasSelector}> ?selector . ?selector <{OA.exact}> ?exact }} }}
    OPTIONAL {{ ?claim <{RDF.subject}> ?s }}
    OPTIONAL {{ ?claim <{RDF.predicate}> ?p }}
    OPTIONAL {{ ?claim <{RDF.object}> ?o }}
}}"""
_CLAIM_STUDIES = f"SELECT ?claim ?study WHERE {{ ?claim a <{IMID.Claim}> ; <{PROV.wasDerivedFrom}> ?study }}"


def claim_rows(graph: Graph, *, source: str | None = None, status: str | None = None) -> list[ClaimRow]:
    """Claims for review, in IRI order; ``source`` is a document's local name (e.g.
    ``kurtz-gotlib-2014``) or IRI, ``status`` one of STATUSES. Two SPARQL queries, so that
    a Graph over a persistent store (rdfio.graph_view) answers them in its own engine.
    Where a claim has several values of a field, the least (in N-Triples order) is shown."""
    wanted_status = STATUSES[status] if status else None
    wanted_source = URIRef(source) if source and ":" in source else (DOC[source] if source else None)
    fields: dict[Node, tuple] = {}
    for row in graph.query(_CLAIM_FIELDS):
        values = tuple(row)  # type: ignore[arg-type]
        claim = values[0]
        if claim not in fields or _order(values) < _order(fields[claim]):
            fields[claim] = values
    studies: dict[Node, list[Node]] = {}
    for claim, study in graph.query(_CLAIM_STUDIES):  # type: ignore[misc]
        studies.setdefault(claim, []).append(study)
    names: dict[Node, str] = {}

    def name(node: Node | None) -> str:
        if node is None:
            return "?"
        if node not in names:
            names[node] = label(graph, node)
        return names[node]

    rows = []
    for claim in sorted(fields):
        _, state, negated, document, exact, s, p, o = fields[claim]
        if wanted_status is not None and state != wanted_status:
            continue
        if wanted_source is not None and document != wanted_source:
            continue
        rows.append(
            ClaimRow(
                iri=str(claim),
                statement=" ".join(name(t) for t in (s, p, o)),
                status=name(state),
                negated=negated == Literal(True),
                studies=tuple(sorted(name(s) for s in set(studies.get(claim, ())))),
                source=name(document),
                quote=" ".join(str(exact or "").split()),
            )
        )
    return rows


def _order(values: tuple) -> tuple:
    return tuple("" if v is None else v.n3() for v in values)


def source_document_names(graph: Graph) -> list[str]:
    """Local names of the source documents, for ``--source`` choices."""
    return sorted(str(d).rsplit("/", 1)[-1] for d in graph.subjects(RDF.type, IMID.SourceDocument))
