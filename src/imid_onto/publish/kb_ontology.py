"""The knowledge base as an ontology of its own, in the forms the release writes.

:func:`knowledge_base_ontology` gives ``imid-kb.ttl`` (``.nt``, ``.jsonld``): the knowledge
base under one ontology header of its own (:data:`KB_IRI`) that ``owl:imports`` the
ontology, with the ontology's axioms kept in and one ``owl:Ontology``; :func:`owl_form`
gives ``imid-kb.owl``, the same in OWL 2 DL (a claim's reification as annotation
properties, each standing claim's plain edge annotated with the claim, its studies and its
evidence); :func:`ro_edges` gives the asserted edges restated with their RO (and BFO)
super-properties, held by ``imid-kb-full.ttl``. The import is never fetched. What each file
holds, and what OBO tools make of it: ``docs/design/owl.md``.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from imid_onto.io.rdf import new_graph
from imid_onto.model.claims import read_claims
from imid_onto.vocab import DCTERMS, IMID, OBO, ONTOLOGY_IRI, OWL, PROV, RDF, RDFS

__all__ = [
    "KB_IRI",
    "LICENSE",
    "EXTERNAL_IRI",
    "kb_version_iri",
    "knowledge_base_ontology",
    "owl_form",
    "ro_edges",
    "STATEMENT_PROPERTIES",
]

#: The knowledge base's ontology IRI (also its dataset IRI in void.ttl and the graph it is published to).
KB_IRI = URIRef("https://w3id.org/imid-onto/kb")
#: The header of the external-terms module (ontology/external.ttl), merged into the ontology.
EXTERNAL_IRI = URIRef(f"{ONTOLOGY_IRI}/external")
#: How the OWL form says what RDF reification says.
STATEMENT_PROPERTIES: dict[URIRef, URIRef] = {
    RDF.subject: IMID.statementSubject,
    RDF.predicate: IMID.statementRelation,
    RDF.object: IMID.statementObject,
}
#: The licence of the knowledge base, and of each of its nanopublications.
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")


def kb_version_iri(version: str) -> URIRef:
    """The knowledge base's version IRI, beside the ontology's (``.../releases/<version>/ontology``)."""
    return URIRef(f"https://w3id.org/imid-onto/releases/{version}/kb")


def knowledge_base_ontology(kb: Graph) -> Graph:
    """``kb`` (a knowledge base as loaded: ontology, external terms, entities, documents,
    claims and plain edges) as the release writes it: the ontology's headers replaced by
    the knowledge base's own, which imports the ontology."""
    ontology = URIRef(ONTOLOGY_IRI)
    version = kb.value(ontology, OWL.versionInfo)
    out = new_graph()
    for triple in kb:
        if triple[0] not in (ontology, EXTERNAL_IRI):
            out.add(triple)
    out.add((KB_IRI, RDF.type, OWL.Ontology))
    out.add((KB_IRI, OWL.imports, ontology))
    if version is not None:
        out.add((KB_IRI, OWL.versionIRI, kb_version_iri(str(version))))
        out.add((KB_IRI, OWL.versionInfo, version))
    out.add((KB_IRI, DCTERMS.title, Literal("imid-onto knowledge base: claims about molecular glue drugs", lang="en")))
    out.add(
        (
            KB_IRI,
            DCTERMS.description,
            Literal(
                "The entities, source documents and claims of imid-onto: every claim about molecular glue "
                "drugs, cereblon (CRBN) and the neosubstrates it is made to degrade, with its verbatim "
                "quote, study, evidence type (ECO), epistemic status and context, and the plain edge of "
                "every claim that stands (an established finding, not negated).",
                lang="en",
            ),
        )
    )
    out.add((KB_IRI, DCTERMS.license, LICENSE))
    for creator in kb.objects(ontology, DCTERMS.creator):
        out.add((KB_IRI, DCTERMS.creator, creator))
    out.add(
        (
            KB_IRI,
            RDFS.comment,
            Literal(
                "Imports the imid-onto ontology, whose axioms are also given here, so that this file is "
                "whole by itself; imid-onto never fetches the import. OWL tools: read imid-kb.owl, where "
                "each claim's statement and the claim behind each plain edge are given in OWL 2 DL.",
                lang="en",
            ),
        )
    )
    return out


def owl_form(graph: Graph) -> Graph:
    """``graph`` (:func:`knowledge_base_ontology`) in OWL 2 DL for OWL tools (``imid-kb.owl``):
    each claim's statement with :data:`STATEMENT_PROPERTIES` instead of RDF reification, and
    the plain edge of each standing claim annotated with an ``owl:Axiom`` naming the claim,
    its studies and its evidence type."""
    claims = read_claims(graph)
    out = new_graph()
    reified = {(c.iri, p) for c in claims for p in STATEMENT_PROPERTIES}
    for s, p, o in graph:
        if (s, p) in reified:
            out.add((s, STATEMENT_PROPERTIES[p], o))  # type: ignore[index]
        else:
            out.add((s, p, o))
    for claim in claims:
        if not claim.stands or None in claim.edge:
            continue
        source, relation, target = claim.edge
        if (source, relation, target) not in graph:
            continue  # a plain edge the graph does not hold: nothing to annotate
        axiom = BNode()
        out.add((axiom, RDF.type, OWL.Axiom))
        out.add((axiom, OWL.annotatedSource, source))  # type: ignore[arg-type]
        out.add((axiom, OWL.annotatedProperty, relation))  # type: ignore[arg-type]
        out.add((axiom, OWL.annotatedTarget, target))  # type: ignore[arg-type]
        out.add((axiom, PROV.wasDerivedFrom, claim.iri))
        for study in claim.studies:
            out.add((axiom, DCTERMS.source, study))
        if claim.evidence is not None:
            out.add((axiom, IMID.evidenceCode, claim.evidence))
    return out


def _is_external_relation(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith((f"{OBO}RO_", f"{OBO}BFO_"))


def ro_edges(graph: Graph) -> Graph:
    """Every asserted edge of ``graph`` (the plain edges of standing claims, and the
    entities' own relations, such as an event's ``imid:hasInput``) restated with each RO or
    BFO relation its relation is a sub-property of (through ``rdfs:subPropertyOf``, over any
    number of steps, imid relations between): ``lenalidomide imid:causallyUpstreamOfPositiveEffect
    anti-myeloma-activity`` gives ``... obo:RO_0002304 ...`` and ``... obo:RO_0002411 ...``.
    Only triples not already in ``graph``; claims stated but not standing give none (their
    edge is not asserted)."""
    out = new_graph()
    for relation in set(graph.predicates()):
        ancestors: list[Node] = [
            a
            for a in graph.transitive_objects(relation, RDFS.subPropertyOf)
            if a is not None and a != relation and _is_external_relation(a)
        ]
        if not ancestors:
            continue
        for source, target in graph.subject_objects(relation):
            for ancestor in ancestors:
                if (source, ancestor, target) not in graph:
                    out.add((source, ancestor, target))
    return out
