"""INDRA Statements JSON: one statement per claim, its evidence the claim's quote.

The statement type follows the relation and what the object is: a causal claim on an
amount (an expression decrease or increase, a degradation, of one protein) is
IncreaseAmount / DecreaseAmount of that protein (the relation's sign times the event's
direction); a causal claim on a protein's ubiquitination, Ubiquitination; any other signed
causal claim, Activation / Inhibition; ``inducesDegradationOf`` DecreaseAmount; ``binds``
Complex. The evidence's ``epistemics`` carry the status (``hypothesis`` is true for every
status but established finding), the negation and the qualifiers; its ``context`` is a
BioContext. Relations with no INDRA statement type (treats, part of, ...) and questions are
left out (docs/design/exports.md).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from rdflib.term import Node

from imid_onto.model.claims import STANDING_STATUS, Claim
from imid_onto.publish.exports.base import (
    Export,
    Source,
    Tally,
    Term,
    evidence_curie,
    local_name,
    marks,
    no_edge_reason,
    qualifier_names,
    sign,
)
from imid_onto.vocab import CLAIM, IMID, curie

__all__ = ["export_indra", "STATEMENT_NAMESPACE"]

#: Statement ids are UUIDs derived (version 5) from the claim IRI in this namespace, so
#: that two exports of the same claims are identical.
STATEMENT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, str(CLAIM))

#: oboInOwl:hasDbXref prefix -> (INDRA db_refs key, whether INDRA keeps the prefix in the value)
_DB_REFS = {
    "HGNC": ("HGNC", False),
    "UniProtKB": ("UP", False),
    "NCBIGene": ("EGID", False),
    "CHEBI": ("CHEBI", True),
    "drugbank": ("DRUGBANK", False),
    "chembl.compound": ("CHEMBL", False),
    "pubchem.compound": ("PUBCHEM", False),
    "MESH": ("MESH", False),
    "NCIT": ("NCIT", False),
    "MONDO": ("MONDO", True),
    "DOID": ("DOID", True),
    "CL": ("CL", True),
    "cellosaurus": ("CVCL", False),
    "NCBITaxon": ("TAXONOMY", False),
    "GO": ("GO", True),
}

#: context property -> the BioContext field it fills
_BIO_CONTEXT = {
    IMID.contextCellLine: "cell_line",
    IMID.contextCellType: "cell_type",
    IMID.contextDisease: "disease",
    IMID.contextOrganism: "species",
}


def _db_refs(term: Term) -> dict[str, str]:
    refs: dict[str, str] = {}
    for xref in term.xrefs:
        prefix, _, local = xref.partition(":")
        if prefix in _DB_REFS:
            key, keep = _DB_REFS[prefix]
            refs.setdefault(key, xref if keep else local)
    refs["IMID"] = term.curie
    refs["TEXT"] = term.label
    return dict(sorted(refs.items()))


def _agent(source: Source, node: Node) -> dict[str, Any]:
    """The INDRA agent of an entity: a drug-bound receptor is the receptor bound to the drug
    (``bound_conditions``); a gene region, its gene's agent; a molecular function (a ligase
    activity), its enabler's agent, active (``activity``); each keeps its own IRI in
    ``db_refs["IMID"]`` and its label in ``TEXT``."""
    term = source.term(node)
    if term.bound_form_of is not None and term.bound_drug is not None:
        agent = _agent(source, term.bound_form_of)
        agent["bound_conditions"] = [{"agent": _agent(source, term.bound_drug), "is_bound": True}]
    elif term.gene_of is not None:
        agent = _agent(source, term.gene_of)
    elif term.enabled_by and term.is_a(IMID.MolecularActivity):
        agent = _agent(source, term.enabled_by[0])
        agent["activity"] = {"activity_type": "catalytic", "is_active": True}
    else:
        return {"name": term.label, "db_refs": _db_refs(term)}
    agent["db_refs"] = dict(sorted({**agent["db_refs"], "IMID": term.curie, "TEXT": term.label}.items()))
    return agent


def _statement(source: Source, claim: Claim) -> tuple[dict[str, Any] | None, str | None]:
    """The statement's type and agents, or the reason the claim has none."""
    relation, s, o = claim.relation, claim.subject, claim.object
    assert s is not None and o is not None
    if relation == IMID.inducesDegradationOf:
        return {"type": "DecreaseAmount", "subj": _agent(source, s), "obj": _agent(source, o)}, None
    if relation == IMID.binds:
        return {"type": "Complex", "members": [_agent(source, s), _agent(source, o)]}, None
    signed = sign(claim)
    if signed is None:
        return None, f"relation {curie(relation)}: INDRA has no statement type for it"
    if signed == 0:
        return None, f"relation {curie(relation)} says no direction: INDRA's causal statements are signed"
    target = source.term(o)
    protein = source.protein_input(target)
    if protein is not None and target.direction:
        kind = "IncreaseAmount" if signed * target.direction > 0 else "DecreaseAmount"
        return {"type": kind, "subj": _agent(source, s), "obj": _agent(source, protein.node)}, None
    if protein is not None and target.is_a(IMID.Ubiquitination) and signed > 0:
        return {"type": "Ubiquitination", "enz": _agent(source, s), "sub": _agent(source, protein.node)}, None
    kind = "Activation" if signed > 0 else "Inhibition"
    return {"type": kind, "subj": _agent(source, s), "obj": _agent(source, o)}, None


def _context(source: Source, claim: Claim) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The BioContext, and the context INDRA has no field for (by property's local name)."""
    bio: dict[str, Any] = {"type": "bio"}
    other: dict[str, list[str]] = {}
    for prop, value in claim.context:
        field = _BIO_CONTEXT.get(prop)
        if field is not None and field not in bio:
            term = source.term(value)
            bio[field] = {"name": term.label, "db_refs": _db_refs(term)}
        else:
            other.setdefault(local_name(prop), []).append(curie(value))
    return bio, other


def _evidence(source: Source, claim: Claim) -> dict[str, Any]:
    quoted = source.quoted(claim)
    document = source.reported_in(claim)
    bio, other = _context(source, claim)
    epistemics: dict[str, Any] = {
        "hypothesis": claim.status != STANDING_STATUS,
        "negated": claim.negated,
        "status": local_name(claim.status),
    }
    if qualifier_names(claim):
        epistemics["qualifiers"] = list(qualifier_names(claim))
    for key, links in (
        ("replaced_by", claim.replaced_by),
        ("contested_by", claim.contested_by),
        ("contradicts", claim.contradicts),
        ("contrasts_with", claim.contrasts_with),
    ):
        if links:
            epistemics[key] = [curie(link) for link in links]
    annotations: dict[str, Any] = {
        "claim": str(claim.iri),
        "evidence_type": evidence_curie(claim),
        "studies": [
            {k: v for k, v in (("id", curie(d.node)), ("label", d.label), ("pmid", d.pmid), ("doi", d.doi)) if v}
            for d in source.studies(claim)
        ],
    }
    if document is not None:
        annotations["reported_in"] = curie(document.node)
    if other:
        annotations["context"] = other
    evidence: dict[str, Any] = {
        "source_api": "imid-onto",
        "source_id": str(claim.iri),
        "annotations": annotations,
        "epistemics": epistemics,
        "context": bio,
    }
    if quoted is not None:
        evidence["text"] = quoted.text
    if document is not None and document.pmid:
        evidence["pmid"] = document.pmid
    if document is not None and (document.pmid or document.doi):
        evidence["text_refs"] = {k: v for k, v in (("PMID", document.pmid), ("DOI", document.doi)) if v}
    return evidence


def statements(source: Source, tally: Tally) -> list[dict[str, Any]]:
    """The INDRA statements of the claims, in claim order (tally records what was done)."""
    found = []
    for claim in source.claims:
        if reason := no_edge_reason(claim):
            tally.leave_out(claim, reason)
            continue
        body, reason = _statement(source, claim)
        if body is None:
            assert reason is not None
            tally.leave_out(claim, reason)
            continue
        statement = {
            "type": body.pop("type"),
            **body,
            "id": str(uuid.uuid5(STATEMENT_NAMESPACE, str(claim.iri))),
            "evidence": [_evidence(source, claim)],
        }
        found.append(statement)
        tally.carry(marks(claim))
    return found


def export_indra(source: Source) -> Export:
    """The claims as a JSON list of INDRA Statements."""
    tally = Tally()
    found = statements(source, tally)
    text = json.dumps(found, indent=1, ensure_ascii=False, sort_keys=False) + "\n"
    return tally.export("indra", text)
