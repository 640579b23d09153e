"""A BEL script of the claims that stand (established findings, not negated): BEL has
neither epistemic status nor negation, so every other claim is left out, with its reason.

Each statement is preceded by its ``SET Citation`` (the quote's document: PubMed where its
PMID is verified, else its DOI, else its IRI), ``SET Evidence`` (the quote) and annotations
(the claim, its evidence type, studies and context); terms are BEL 2.1 ``NS:id ! label``:
``a(CHEBI:63791 ! lenalidomide) -> deg(p(HGNC:13176 ! IKZF1))``. Namespaces and
annotations are defined by pattern, so the script reads offline (docs/design/exports.md).
"""

from __future__ import annotations

import re

from rdflib.term import Node

from imid_onto.model.claims import Claim
from imid_onto.publish.exports.base import (
    Export,
    Source,
    Tally,
    Term,
    evidence_curie,
    local_name,
    not_standing_reason,
    qualifier_names,
    sign,
)
from imid_onto.vocab import IMID, OBO, curie

__all__ = ["export_bel", "NAMESPACES", "ANNOTATIONS"]

#: BEL namespace -> the pattern its identifiers match (the prefix of oboInOwl:hasDbXref).
NAMESPACES = {
    "HGNC": "^[0-9]+$",
    "CHEBI": "^[0-9]+$",
    "MONDO": "^[0-9]{7}$",
    "IMID": "^[A-Za-z0-9_.-]+$",
}

#: The annotations each statement may carry, defined by pattern.
ANNOTATIONS = (
    "Claim",
    "Status",
    "EvidenceType",
    "Study",
    "Qualifier",
    "Disease",
    "CellLine",
    "Cell",
    "Species",
    "ExperimentalSystem",
    "Genotype",
    "Subgroup",
    "Condition",
    "Combination",
    "ContestedBy",
    "Contradicts",
    "ContrastsWith",
    "Context",
)

_CONTEXT_ANNOTATION = {
    IMID.contextDisease: "Disease",
    IMID.contextCellLine: "CellLine",
    IMID.contextCellType: "Cell",
    IMID.contextOrganism: "Species",
    IMID.contextSystem: "ExperimentalSystem",
    IMID.contextGenotype: "Genotype",
    IMID.contextPatientSubgroup: "Subgroup",
    IMID.contextCondition: "Condition",
    IMID.contextCombination: "Combination",
}


def _quote(text: str) -> str:
    """A BEL string: double quotes, with backslash and double quote escaped, on one line."""
    return '"' + " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _name(label: str) -> str:
    return label if re.fullmatch(r"[A-Za-z0-9_]+", label) else _quote(label)


def _own(term: Term) -> str:
    """The term by its own IRI, in the IMID namespace."""
    return f"IMID:{term.curie.removeprefix('ent:')} ! {_name(term.label)}"


def _entity(source: Source, node: Node) -> str:
    """The BEL term of an entity (not an event)."""
    term = source.term(node)
    hgnc, chebi = term.xref("HGNC"), term.xref("CHEBI")
    if term.bound_drug is not None and term.bound_form_of is not None:
        return f"complex({_entity(source, term.bound_drug)}, {_entity(source, term.bound_form_of)})"
    if term.components:
        return f"composite({', '.join(_entity(source, c) for c in term.components)})"
    if term.gene_of is not None:
        protein = _entity(source, term.gene_of)
        return "g" + protein[1:] if protein.startswith("p(") else f"g({_own(term)})"
    if term.is_a(IMID.Protein) and hgnc:
        return f"p(HGNC:{hgnc} ! {_name(term.label)})"
    if term.is_a(IMID.Protein):
        return f"p({_own(term)})"
    if term.is_a(IMID.SmallMolecule):
        return f"a(CHEBI:{chebi} ! {_name(term.label)})" if chebi else f"a({_own(term)})"
    if term.is_a(IMID.MacromolecularComplex):
        return f"complex({_own(term)})"
    if term.is_a(IMID.Disease):
        mondo = term.xref("MONDO")
        return f"path(MONDO:{mondo} ! {_name(term.label)})" if mondo else f"path({_own(term)})"
    if term.is_a(IMID.MolecularEntity):  # an antibody, a genomic variant...
        return f"a({_own(term)})"
    return ""


def _term(source: Source, node: Node, level: str) -> tuple[str, int]:
    """The BEL term of a node and the sign it folds in: an expression decrease of one
    protein is the protein's abundance with the sign -1 (``X -| p(P)``), an increase +1;
    ``level`` is ``p``, ``r`` (mRNA-level) or ``g`` (gene-level)."""
    entity = _entity(source, node)
    if entity:
        return entity, 1
    term = source.term(node)
    protein = source.protein_input(term)
    if protein is not None:
        inner = _entity(source, protein.node)
        if term.is_a(IMID.ProteasomalDegradation):
            return f"deg({inner})", 1
        if term.is_a(IMID.Ubiquitination):
            return f"{inner[:-1]}, pmod(Ub))", 1
        if term.direction:
            return (level + inner[1:] if level != "p" else inner), term.direction
    if term.is_a(IMID.Binding) and len(term.inputs) == 2:
        return f"complex({', '.join(_entity(source, n) or _term(source, n, 'p')[0] for n in term.inputs)})", 1
    if term.enabled_by:  # a molecular function: the activity of what enables it, named
        return f"act({_entity(source, term.enabled_by[0])}, ma({_own(term)}))", 1
    return f"bp({_own(term)})", 1


def _statement(source: Source, claim: Claim) -> tuple[str | None, str | None]:
    relation, s, o = claim.relation, claim.subject, claim.object
    assert s is not None and o is not None
    qualifiers = set(qualifier_names(claim))
    level = "r" if "MRNALevel" in qualifiers else "g" if "GeneLevel" in qualifiers else "p"
    subject, s_sign = _term(source, s, "p")  # a level qualifies what changes: the object
    obj, o_sign = _term(source, o, level)
    if relation == IMID.binds:
        return f"{subject} binds {obj}", None
    if relation == IMID.inducesDegradationOf:
        return f"{subject} -> deg({obj})", None
    if relation == IMID.treats:
        return f"{subject} -| {obj}", None  # a treatment decreases the pathology
    if relation == OBO.BFO_0000050:
        return f"{subject} partOf {obj}", None
    if relation == OBO.BFO_0000051:
        return f"{obj} partOf {subject}", None
    signed = sign(claim)
    if signed is None:
        return None, f"relation {curie(relation)}: BEL has no relationship for it"
    if signed == 0:
        return f"{subject} regulates {obj}", None
    return f"{subject} {'->' if signed * s_sign * o_sign > 0 else '-|'} {obj}", None


def _citation(source: Source, claim: Claim) -> str:
    document = source.reported_in(claim)
    if document is None:
        return '{"Other", "no source"}'
    if document.pmid:
        return f'{{"PubMed", {_quote(document.pmid)}}}'
    if document.doi:
        return f'{{"DOI", {_quote(document.doi)}}}'
    return f'{{"URL", {_quote(str(document.node))}}}'


def _annotations(source: Source, claim: Claim) -> list[tuple[str, list[str]]]:
    found: dict[str, list[str]] = {
        "Claim": [curie(claim.iri)],
        "Status": [local_name(claim.status)],
        "EvidenceType": [evidence_curie(claim)],
        "Study": [curie(s) for s in claim.studies],
        "Qualifier": list(qualifier_names(claim)),
        "ContestedBy": [curie(c) for c in claim.contested_by],
        "Contradicts": [curie(c) for c in claim.contradicts],
        "ContrastsWith": [curie(c) for c in claim.contrasts_with],
    }
    for prop, value in claim.context:
        term = source.term(value)
        ids = [x for x in term.xrefs if x.split(":")[0] in ("MONDO", "cellosaurus", "CL", "NCBITaxon")]
        found.setdefault(_CONTEXT_ANNOTATION.get(prop, "Context"), []).append(ids[0] if ids else term.curie)
    return [(key, sorted(set(values))) for key, values in found.items() if values]


def _set(key: str, values: list[str]) -> str:
    if len(values) == 1:
        return f"SET {key} = {_quote(values[0])}"
    return f"SET {key} = {{{', '.join(_quote(v) for v in values)}}}"


def export_bel(source: Source) -> Export:
    """The claims that stand as a BEL script."""
    from imid_onto import __version__

    tally = Tally()
    lines = [
        'SET DOCUMENT Name = "imid-onto claims"',
        f"SET DOCUMENT Version = {_quote(__version__)}",
        'SET DOCUMENT Description = "The established, not negated claims of the imid-onto knowledge base'
        ' (molecular glue drugs, cereblon and its neosubstrates), each with its quote as evidence"',
        'SET DOCUMENT Authors = "The imid-onto developers"',
        'SET DOCUMENT ContactInfo = "https://w3id.org/imid-onto"',
        'SET DOCUMENT Licenses = "CC BY 4.0"',
        "",
        *(f"DEFINE NAMESPACE {ns} AS PATTERN {_quote(pattern)}" for ns, pattern in NAMESPACES.items()),
        *(f'DEFINE ANNOTATION {a} AS PATTERN ".+"' for a in ANNOTATIONS),
    ]
    for claim in source.claims:
        reason = not_standing_reason(claim, "BEL")
        statement = None
        if reason is None:
            statement, reason = _statement(source, claim)
        if statement is None:
            assert reason is not None
            tally.leave_out(claim, reason)
            continue
        quoted = source.quoted(claim)
        annotations = _annotations(source, claim)
        lines += [
            "",
            f"SET Citation = {_citation(source, claim)}",
            f"SET Evidence = {_quote(quoted.text if quoted else '')}",
            *(_set(key, values) for key, values in annotations),
            statement,
            "UNSET ALL",
        ]
        tally.carry(
            [f"qualifier {q} (a Qualifier annotation)" for q in qualifier_names(claim)]
            + (["contested by another claim (a ContestedBy annotation)"] if claim.contested_by else [])
            + (["contradicted by another claim (a Contradicts annotation)"] if claim.contradicts else [])
        )
    return tally.export("bel", "\n".join(lines) + "\n")
