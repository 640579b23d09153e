"""One nanopublication per claim, as TriG.

Following the nanopublication guidelines, each claim ``claim:X`` becomes ``np:X``
(``https://w3id.org/imid-onto/np/X``, :func:`nanopub_iri`) with a head, an assertion (the
claim as said, with its plain edge if it stands: a hypothesis is asserted as a
hypothesis, never as a fact), a provenance and a pubinfo graph (:func:`nanopublications`).
What each graph holds: ``docs/design/nanopublications.md``.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.term import Node

from imid_onto.io.rdf import canonical_graph
from imid_onto.model.claims import read_claims
from imid_onto.vocab import DCTERMS, IMID, NP, PROV, RDF

__all__ = ["NANOPUB", "nanopub_iri", "nanopublications", "PROVENANCE_PROPERTIES", "PUBINFO_PROPERTIES"]

NANOPUB = Namespace("https://w3id.org/imid-onto/np/")
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")

#: Claim properties that go into the provenance graph (the study that produced the evidence,
#: the document that reports it, the evidence type, the quote); PUBINFO_PROPERTIES into
#: pubinfo; every other property of a claim belongs to its assertion (a question's asks and
#: isAbout, a claim's qualifiers and its relations to other claims included).
PROVENANCE_PROPERTIES = frozenset({IMID.evidenceType, PROV.wasDerivedFrom, IMID.reportedIn, IMID.hasQuote})
PUBINFO_PROPERTIES = frozenset({PROV.wasAttributedTo, PROV.wasGeneratedBy, PROV.generatedAtTime})

Quad = tuple[Node, Node, Node, Node]


def nanopub_iri(claim: URIRef) -> URIRef:
    return NANOPUB[str(claim).rsplit("/", 1)[-1]]


def _with_blank_nodes(graph: Graph, triple: tuple[Node, Node, Node]) -> Iterator[tuple[Node, Node, Node]]:
    """``triple`` and the triples of the blank nodes hanging from it (a quote, its selector)."""
    yield triple
    pending = [triple[2]]
    seen: set[Node] = set()
    while pending:
        node = pending.pop()
        if not isinstance(node, BNode) or node in seen:
            continue
        seen.add(node)
        for p, o in graph.predicate_objects(node):
            yield (node, p, o)
            pending.append(o)


def nanopublications(knowledge_base: Graph) -> list[Quad]:
    """The quads of one nanopublication per claim of ``knowledge_base`` (blank nodes with
    canonical labels, so the output is the same in every run)."""
    graph = canonical_graph(knowledge_base)
    quads: list[Quad] = []
    for claim in sorted(read_claims(graph), key=lambda c: str(c.iri)):
        np_ = nanopub_iri(claim.iri)  # type: ignore[arg-type]
        head, assertion, provenance, pubinfo = (
            URIRef(f"{np_}#{name}") for name in ("Head", "assertion", "provenance", "pubinfo")
        )
        quads += [
            (np_, RDF.type, NP.Nanopublication, head),
            (np_, NP.hasAssertion, assertion, head),
            (np_, NP.hasProvenance, provenance, head),
            (np_, NP.hasPublicationInfo, pubinfo, head),
        ]
        for p, o in graph.predicate_objects(claim.iri):  # every triple as written, by where it belongs
            target = provenance if p in PROVENANCE_PROPERTIES else pubinfo if p in PUBINFO_PROPERTIES else assertion
            quads += [(*triple, target) for triple in _with_blank_nodes(graph, (claim.iri, p, o))]
        if claim.stands and None not in claim.edge:  # a question states no triple
            quads.append((*claim.edge, assertion))  # type: ignore[arg-type]
        for study in claim.studies:
            quads.append((assertion, PROV.wasDerivedFrom, study, provenance))
        for quote in claim.quotes:
            if quote.source is not None:
                quads.append((assertion, PROV.wasQuotedFrom, quote.source, provenance))
        quads.append((np_, DCTERMS.license, LICENSE, pubinfo))
        for agent in claim.provenance.attributed_to:
            quads.append((np_, PROV.wasAttributedTo, agent, pubinfo))
        for moment in claim.provenance.generated_at:
            quads.append((np_, DCTERMS.created, moment, pubinfo))
    return quads
