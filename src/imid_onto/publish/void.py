"""``void.ttl``: the release described with VoID and DCAT 3.

The knowledge base is a ``void:Dataset`` and a ``dcat:Dataset`` (title, description,
licence, version, issue date, triple, class and property counts, URI space and
vocabulary), and every RDF file of the release is one of its ``dcat:Distribution``\\ s,
with its media type (an IANA IRI), byte size and SHA-256 checksum (``spdx:checksum``, as
DCAT 3 does). Distribution IRIs are the permanent release addresses
``https://w3id.org/imid-onto/releases/<version>/<file>``.
"""

from __future__ import annotations

import hashlib

from rdflib import BNode, Graph, Literal, URIRef

from imid_onto.io.rdf import new_graph
from imid_onto.publish.kb_ontology import KB_IRI
from imid_onto.vocab import DCAT, DCTERMS, ONTOLOGY_IRI, OWL, RDF, SPDX, VOID, XSD

__all__ = ["MEDIA_TYPES", "void_description"]

#: File extension -> (media type, W3C format IRI for void:feature).
MEDIA_TYPES: dict[str, tuple[str, str]] = {
    ".ttl": ("text/turtle", "http://www.w3.org/ns/formats/Turtle"),
    ".nt": ("application/n-triples", "http://www.w3.org/ns/formats/N-Triples"),
    ".jsonld": ("application/ld+json", "http://www.w3.org/ns/formats/JSON-LD"),
    ".owl": ("application/rdf+xml", "http://www.w3.org/ns/formats/RDF_XML"),
    ".trig": ("application/trig", "http://www.w3.org/ns/formats/TriG"),
}


def void_description(
    knowledge_base: Graph, distributions: dict[str, tuple[bytes, str]], *, version: str, issued: str
) -> Graph:
    """VoID + DCAT for ``knowledge_base`` (its counts) and ``distributions``: file name ->
    (its bytes, a one-line description). ``issued`` is an xsd:date. The description, licence
    and creators are the knowledge base's own ontology header's (its IRI, ``KB_IRI``, is the
    dataset IRI), where it has one, as the release's has; else the ontology's."""
    ontology = URIRef(ONTOLOGY_IRI)
    graph = new_graph()
    d = KB_IRI
    header = d if (d, RDF.type, OWL.Ontology) in knowledge_base else ontology
    graph.add((d, RDF.type, VOID.Dataset))
    graph.add((d, RDF.type, DCAT.Dataset))
    graph.add(
        (
            d,
            DCTERMS.title,
            Literal("imid-onto knowledge base: molecular glue drugs, cereblon and its neosubstrates", lang="en"),
        )
    )
    description = knowledge_base.value(header, DCTERMS.description)
    if description is not None:
        graph.add((d, DCTERMS.description, description))
    for predicate in (DCTERMS.license, DCTERMS.creator):
        for value in knowledge_base.objects(header, predicate):
            graph.add((d, predicate, value))
    graph.add((d, DCAT.version, Literal(version)))
    graph.add((d, OWL.versionInfo, Literal(version)))
    graph.add((d, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    graph.add((d, VOID.vocabulary, ontology))
    graph.add((d, VOID.uriSpace, Literal("https://w3id.org/imid-onto/kb/")))
    graph.add((d, VOID.triples, Literal(len(knowledge_base), datatype=XSD.integer)))
    graph.add((d, VOID.classes, Literal(len(set(knowledge_base.objects(None, RDF.type))), datatype=XSD.integer)))
    graph.add((d, VOID.properties, Literal(len(set(knowledge_base.predicates())), datatype=XSD.integer)))
    graph.add((d, VOID.distinctSubjects, Literal(len(set(knowledge_base.subjects())), datatype=XSD.integer)))
    graph.add((d, VOID.distinctObjects, Literal(len(set(knowledge_base.objects())), datatype=XSD.integer)))
    for name, (data, what) in sorted(distributions.items()):
        suffix = name[name.rfind(".") :]
        media_type, feature = MEDIA_TYPES[suffix]
        dist = URIRef(f"https://w3id.org/imid-onto/releases/{version}/{name}")
        graph.add((d, DCAT.distribution, dist))
        graph.add((d, VOID.dataDump, dist))
        graph.add((d, VOID.feature, URIRef(feature)))
        graph.add((dist, RDF.type, DCAT.Distribution))
        graph.add((dist, DCTERMS.title, Literal(name)))
        graph.add((dist, DCTERMS.description, Literal(what, lang="en")))
        graph.add((dist, DCAT.downloadURL, dist))
        graph.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media_type}")))
        graph.add((dist, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
        checksum = BNode(f"sha256-{name}")
        graph.add((dist, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((checksum, SPDX.checksumValue, Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)))
    return graph
