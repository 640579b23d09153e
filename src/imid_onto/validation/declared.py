"""Claim terms nobody declared (``ims:DeclaredTermShape``), checked natively for both SHACL
engines: a claim's subject or object, and what a question asks about (``imid:isAbout``: a
claim or an entity), must be an entity or a claim of the knowledge base or a term of the
ontology (its external terms included), that is, typed and labelled. SHACL can say
"typed and labelled" but not "did you mean ent:IKZF1?", which is what a curator who typed
``ent:IKZF01`` needs; the closest declared names come from :mod:`difflib` (the standard
library's, as good as any for a few hundred short names).
"""

from __future__ import annotations

import difflib

import pyoxigraph as ox
from rdflib import URIRef

from imid_onto.vocab import IMID, IMS, RDF, RDFS, SH, curie

DECLARED_SHAPE = IMS.DeclaredTermShape
DECLARED_COMPONENT = IMS.DeclaredTermComponent

#: The subject and object of every claim, and what a question asks about, that are IRIs
#: nothing types and labels.
_UNDECLARED = f"""SELECT ?claim ?path ?value WHERE {{
    VALUES ?path {{ <{RDF.subject}> <{RDF.object}> <{IMID.isAbout}> }}
    ?claim a <https://w3id.org/imid-onto/ontology#Claim> ; ?path ?value .
    FILTER (isIRI(?value))
    FILTER NOT EXISTS {{ ?value a ?kind ; <{RDFS.label}> ?label }}
}}"""
#: Every IRI that is typed and labelled: the names a misspelling is compared with.
_DECLARED = f"""SELECT DISTINCT ?term WHERE {{
    ?term a ?kind ; <{RDFS.label}> ?label .
    FILTER (isIRI(?term))
}}"""
_ROLE = {str(RDF.subject): "subject", str(RDF.object): "object", str(IMID.isAbout): "claim or entity asked about"}


def _iri(term) -> str:
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def closest_names(name: str, known: list[str], n: int = 3) -> list[str]:
    """Up to ``n`` of ``known`` that look most like ``name``: those of difflib's best ratio
    (at least 0.6) or within 0.05 of it, best first, ties in name order."""
    scored = []
    for candidate in sorted(known):
        matcher = difflib.SequenceMatcher(None, name, candidate)
        if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6 and (ratio := matcher.ratio()) >= 0.6:
            scored.append((-ratio, candidate))
    scored.sort()
    return [candidate for score, candidate in scored[:n] if -score >= -scored[0][0] - 0.05]


def undeclared_term_results(data, text):
    """The results of ``ims:DeclaredTermShape`` over ``data`` (a pyoxigraph Store or an
    rdflib Graph), in the engines' raw form: one for each claim's subject or object that
    nothing declares, naming the closest declared names. ``text(term) -> (name, kind)`` is
    the engine's naming of a term."""
    rows = [(row[0], row[1], row[2]) for row in data.query(_UNDECLARED)]
    if not rows:
        return []
    known = sorted({curie(_iri(row[0])) for row in data.query(_DECLARED)})
    results = []
    for claim, path, value in rows:
        name = curie(_iri(value))
        near = closest_names(name, known)
        hint = f": did you mean {' or '.join(near)}?" if near else ": declare it in kb/entities.ttl (typed, labelled)"
        message = (
            f"the {_ROLE[_iri(path)]} {name} is not declared (no entity of the knowledge base or term of the "
            f"ontology has this IRI){hint}"
        )
        results.append(
            (text(claim), DECLARED_SHAPE, DECLARED_COMPONENT, SH.Violation, URIRef(_iri(path)), text(value), (message,))
        )
    return results
