"""A GO-CAM-style model (the JSON of the ``gocam`` package's ``Model``) of the causal
claims that stand.

Each subject and object of a standing causal claim is an activity (enabled by its protein,
complex or drug; a ligase function by its complex; an event as an activity part of its
process), each causal claim a causal association with the RO relation of its sign and an
ECO evidence item citing the study, its claims and quotes in the model's ``comments``.
GO-CAM has no epistemic status, negation or qualifier and links activities only, so
everything else is left out. The mapping, and why "-style": ``docs/design/exports.md``.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib.term import Node

from imid_onto.model.claims import Claim
from imid_onto.publish.exports.base import (
    Export,
    Source,
    Tally,
    evidence_curie,
    not_standing_reason,
    qualifier_names,
    sign,
)
from imid_onto.vocab import IMID, curie

__all__ = ["export_gocam", "MODEL_ID", "PREDICATES"]

MODEL_ID = "https://w3id.org/imid-onto/kb/gocam/imid-onto"

#: The sign of a causal claim -> the RO relation of its causal association.
PREDICATES = {1: "RO:0002304", -1: "RO:0002305", 0: "RO:0002411"}


def _obo(iri: str) -> str:
    """An OBO or UniProt IRI as its CURIE (``obo:GO_0061630`` -> ``GO:0061630``)."""
    if iri.startswith("http://purl.obolibrary.org/obo/"):
        return iri.rsplit("/", 1)[1].replace("_", ":", 1)
    if iri.startswith("http://purl.uniprot.org/uniprot/"):
        return "UniProtKB:" + iri.rsplit("/", 1)[1]
    return iri


def _reference(source: Source, claim: Claim) -> str:
    """The study's PMID or DOI where verified, else the reporting document's, else the study's IRI."""
    documents = [*source.studies(claim)]
    reported = source.reported_in(claim)
    if reported is not None:
        documents.append(reported)
    for document in documents:
        if document.pmid:
            return f"PMID:{document.pmid}"
    for document in documents:
        if document.doi:
            return f"DOI:{document.doi}"
    return str(documents[0].node) if documents else ""


class _Builder:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.activities: dict[str, dict[str, Any]] = {}
        self.objects: dict[str, str] = {}

    def name(self, node: Node) -> str:
        term = self.source.term(node)
        self.objects[str(node)] = term.label
        return str(node)

    def external(self, node: Node) -> str:
        """An entity's UniProtKB or ChEBI id where it has one, else its IRI (labelled in objects)."""
        term = self.source.term(node)
        for prefix in ("UniProtKB", "CHEBI"):
            if term.xref(prefix):
                self.objects[f"{prefix}:{term.xref(prefix)}"] = term.label
                return f"{prefix}:{term.xref(prefix)}"
        return self.name(node)

    def activity(self, node: Node) -> str:
        key = str(node)
        if key in self.activities:
            return key
        term = self.source.term(node)
        activity: dict[str, Any] = {"id": key}
        uniprot = term.xref("UniProtKB")
        chebi = term.xref("CHEBI")
        if term.bound_form_of is not None or term.is_a(IMID.MacromolecularComplex):
            activity["enabled_by"] = {"type": "EnabledByProteinComplexAssociation", "term": self.name(node)}
            parts = [p for p in (term.bound_form_of, term.bound_drug) if p is not None]
            if parts:  # a drug-bound receptor: the receptor and the drug
                activity["enabled_by"]["has_part"] = [
                    {"type": "ProteinComplexHasPartAssociation", "term": self.external(p)} for p in parts
                ]
        elif term.is_a(IMID.Protein) and uniprot:
            self.objects[f"UniProtKB:{uniprot}"] = term.label
            activity["enabled_by"] = {"type": "EnabledByGeneProductAssociation", "term": f"UniProtKB:{uniprot}"}
        elif term.is_a(IMID.SmallMolecule) and chebi:
            self.objects[f"CHEBI:{chebi}"] = term.label
            activity["enabled_by"] = {"type": "EnabledByAssociation", "term": f"CHEBI:{chebi}"}
        elif term.is_a(IMID.MolecularEntity):
            activity["enabled_by"] = {"type": "EnabledByAssociation", "term": self.name(node)}
        elif term.enabled_by:  # a molecular function, enabled by its complex
            matches = (*term.exact, *term.close, *term.class_matches)
            functions = [_obo(x) for x in matches if _obo(x).startswith("GO:")]
            activity["molecular_function"] = {
                "type": "MolecularFunctionAssociation",
                "term": functions[0] if functions else self.name(node),
            }
            if functions:
                self.objects[functions[0]] = term.label
            activity["enabled_by"] = {
                "type": "EnabledByProteinComplexAssociation",
                "term": self.name(term.enabled_by[0]),
            }
        else:  # an event: an activity part of the process it is
            activity["part_of"] = {"type": "BiologicalProcessAssociation", "term": self.name(node)}
        activity["causal_associations"] = []
        self.activities[key] = activity
        return key


def export_gocam(source: Source) -> Export:
    """The causal claims that stand as one GO-CAM-style model (JSON)."""
    tally = Tally()
    builder = _Builder(source)
    associations: dict[tuple[str, str, str], dict[str, Any]] = {}
    comments: list[str] = []
    for claim in source.claims:
        reason = not_standing_reason(claim, "GO-CAM")
        signed = sign(claim)
        if reason is None and signed is None:
            reason = f"relation {curie(claim.relation)}: not a causal relation between activities"
        if reason is not None:
            tally.leave_out(claim, reason)
            continue
        assert claim.subject is not None and claim.object is not None and signed is not None
        upstream, downstream = builder.activity(claim.subject), builder.activity(claim.object)
        predicate = PREDICATES[signed]
        key = (upstream, predicate, downstream)
        if key not in associations:
            association: dict[str, Any] = {
                "type": "CausalAssociation",
                "predicate": predicate,
                "downstream_activity": downstream,
                "evidence": [],
            }
            associations[key] = association
            builder.activities[upstream]["causal_associations"].append(association)
        evidence: dict[str, Any] = {"term": evidence_curie(claim)}
        reference = _reference(source, claim)
        if reference:
            evidence["reference"] = reference
        if claim.provenance.attributed_to or claim.provenance.generated_at:
            evidence["provenances"] = [
                {
                    **(
                        {"contributor": [str(a) for a in claim.provenance.attributed_to]}
                        if claim.provenance.attributed_to
                        else {}
                    ),
                    **({"date": str(claim.provenance.generated_at[0])} if claim.provenance.generated_at else {}),
                }
            ]
        associations[key]["evidence"].append(evidence)
        quoted = source.quoted(claim)
        links = [f"contested by {curie(c)}" for c in claim.contested_by]
        links += [f"contradicted by {curie(c)}" for c in claim.contradicts]
        comments.append(
            f"{curie(claim.iri)}: {curie(claim.subject)} {predicate} {curie(claim.object)}"
            + (f' ("{quoted.text}")' if quoted else "")
            + "".join(f"; {link}" for link in links)
        )
        tally.carry(
            [
                f"qualifier {q}: GO-CAM has no field for it; the causal edge it qualifies is exported"
                for q in qualifier_names(claim)
            ]
            + (["contested by another claim (said in the model's comments)"] if claim.contested_by else [])
            + (["contradicted by another claim (said in the model's comments)"] if claim.contradicts else [])
        )
    activities = []
    for activity_id in sorted(builder.activities):
        activity = builder.activities[activity_id]
        if not activity["causal_associations"]:
            del activity["causal_associations"]
        activities.append(activity)
    model = {
        "id": MODEL_ID,
        "title": "imid-onto: the established causal claims on molecular glue drugs, cereblon and its neosubstrates",
        "taxon": "NCBITaxon:9606",
        "comments": comments,
        "activities": activities,
        "objects": [{"id": k, "label": v} for k, v in sorted(builder.objects.items())],
    }
    return tally.export("gocam", json.dumps(model, indent=1, ensure_ascii=False) + "\n")
