"""RDF namespaces used across imid-onto."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

if TYPE_CHECKING:
    import curies

__all__ = [
    "IMID",
    "ENT",
    "CLAIM",
    "DOC",
    "OA",
    "BIBO",
    "OBO",
    "OBOINOWL",
    "VANN",
    "FOAF",
    "IMS",
    "SH",
    "VOID",
    "DCAT",
    "SPDX",
    "NP",
    "ONTOLOGY_IRI",
    "DCTERMS",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SKOS",
    "XSD",
    "PREFIXES",
    "QUALIFIERS",
    "QUESTION_KINDS",
    "CLAIM_LINKS",
    "curie",
    "expand",
]

IMID = Namespace("https://w3id.org/imid-onto/ontology#")
ENT = Namespace("https://w3id.org/imid-onto/kb/entity/")
CLAIM = Namespace("https://w3id.org/imid-onto/kb/claim/")
DOC = Namespace("https://w3id.org/imid-onto/kb/doc/")
OA = Namespace("http://www.w3.org/ns/oa#")
BIBO = Namespace("http://purl.org/ontology/bibo/")
OBO = Namespace("http://purl.obolibrary.org/obo/")
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
VANN = Namespace("http://purl.org/vocab/vann/")
IMS = Namespace("https://w3id.org/imid-onto/shapes#")
SH = Namespace("http://www.w3.org/ns/shacl#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
NP = Namespace("http://www.nanopub.org/nschema#")

ONTOLOGY_IRI = "https://w3id.org/imid-onto/ontology"

#: Prefixes bound on every graph imid-onto writes, so output reads the same everywhere.
PREFIXES: dict[str, Namespace] = {
    "imid": IMID,
    "ent": ENT,
    "claim": CLAIM,
    "doc": DOC,
    "oa": OA,
    "bibo": BIBO,
    "obo": OBO,
    "oboInOwl": OBOINOWL,
    "ims": IMS,
    "sh": SH,
    "vann": VANN,
    "foaf": FOAF,
    "dcterms": Namespace(str(DCTERMS)),
    "owl": Namespace(str(OWL)),
    "prov": Namespace(str(PROV)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "skos": Namespace(str(SKOS)),
    "xsd": Namespace(str(XSD)),
    "void": VOID,
    "dcat": DCAT,
    "spdx": SPDX,
    "np": NP,
}


@lru_cache(maxsize=1)
def _converter() -> curies.Converter:
    import curies  # here: it imports pydantic, which takes longer than a command that shows no CURIE

    return curies.Converter.from_prefix_map({prefix: str(namespace) for prefix, namespace in PREFIXES.items()})


def curie(iri: object) -> str:
    """``iri`` (an IRI string or URIRef) as a CURIE of imid-onto's prefixes where its local
    part is a plain name (``ent:IKZF1``), else as it is; literals, blank nodes and None
    (which gives "") are never shortened."""
    if iri is None:
        return ""
    text = str(iri)
    if isinstance(iri, Literal | BNode):
        return text
    compressed = _converter().compress(text)
    if compressed and re.fullmatch(r"[\w.\-]*", compressed.split(":", 1)[1]):
        return compressed
    return text


def expand(text: str) -> str | None:
    """A CURIE of imid-onto's prefixes as its IRI; None for an unknown prefix."""
    return _converter().expand(text)


#: The qualifiers (``qualifiers:``), by the name a curator writes. A claim qualified
#: ``independent`` ("independent of") is not a causal step: it neither stands nor is followed.
QUALIFIERS: dict[str, URIRef] = {
    "necessary": IMID.Necessary,
    "sufficient": IMID.Sufficient,
    "dependent": IMID.Dependent,
    "independent": IMID.Independent,
    "protein-level": IMID.ProteinLevel,
    "mRNA-level": IMID.MRNALevel,
    "gene-level": IMID.GeneLevel,
}

#: The kinds of question (``asks:``), by the name a curator writes (a record with ``asks:``
#: is an imid:Question).
QUESTION_KINDS: dict[str, URIRef] = {
    "mechanism": IMID.MechanismQuestion,
    "mediator": IMID.MediatorQuestion,
    "determinant": IMID.DeterminantQuestion,
    "relation": IMID.RelationQuestion,
    "paradox": IMID.ParadoxQuestion,
}

#: The claim-to-claim relations, by the YAML key that states them (values: claim ids of any
#: file). imid:contradicts and imid:contrastsWith are symmetric: the claim reader gives each
#: claim both directions.
CLAIM_LINKS: dict[str, URIRef] = {
    "replacedBy": DCTERMS.isReplacedBy,
    "contestedBy": IMID.contestedBy,
    "contradicts": IMID.contradicts,
    "contrastsWith": IMID.contrastsWith,
}
