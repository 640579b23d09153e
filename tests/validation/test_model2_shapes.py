"""Claim model 2's shapes on claims files as a curator writes them: the shapes catch a
process-to-process relation from a drug, an acts-upstream relation from an event, a link to
something that is not a claim and a question asked about nothing declared; a claims file
that uses every key of the model validates; the two engines give the same results."""

from __future__ import annotations

from pathlib import Path

import pytest

from imid_onto.validation.report import validate

HEAD = """\
document: doc:inside-blood-2014
study: doc:inside-blood-2014
curators: https://w3id.org/imid-onto/kb/agent/curators
activity: https://w3id.org/imid-onto/kb/activity/curation-2026-11
date: 2026-11-21
claims:
"""
QUOTE = "  quote: Thus far, the molecular mechanism of this induction is not known.\n"
GOOD = (
    "- M-01: Lenalidomide-bound cereblon targets IKZF1\n"
    "  says: ent:lenalidomide-bound-CRBN imid:inducesDegradationOf ent:IKZF1\n"
    "  qualifiers: [necessary, protein-level]\n"
    "  status: imid:EstablishedFinding\n"
    "  evidence: obo:ECO_0000303\n"
    "  context: {combination: ent:lenalidomide-rituximab-combination, condition: ent:low-CRBN-expression, "
    "genotype: ent:del17p, subgroup: ent:refractory-CLL-patients}\n" + QUOTE + "  contestedBy: [M-02]\n"
    "  contradicts: [M-03]\n"
    "  contrastsWith: [M-04]\n"
    "- M-02: How lenalidomide induces p21 is not known\n"
    "  asks: mechanism\n"
    "  about: [M-01, ent:CDKN1A]\n"
    "  status: imid:OpenQuestion\n"
    "  evidence: obo:ECO_0000303\n" + QUOTE + "- M-03: Lenalidomide lowers IKZF1 protein (a reading)\n"
    "  says: ent:lenalidomide imid:actsUpstreamOfPositiveEffect ent:IKZF1-protein-decrease\n"
    "  qualifiers: [independent]\n"
    "  status: imid:Interpretation\n"
    "  evidence: obo:ECO_0000303\n" + QUOTE + "- M-04: The ligase activity ubiquitinates IKZF1 (an earlier model)\n"
    "  says: ent:IMiD-bound-CRL4-CRBN-ligase-activity imid:causallyUpstreamOfPositiveEffect ent:IKZF1-ubiquitination\n"
    "  status: imid:HistoricalProposal\n"
    "  evidence: obo:ECO_0000303\n" + QUOTE + "- M-05: Fin defects resemble thalidomide limb defects\n"
    "  says: ent:zebrafish-fin-defects imid:resembles ent:thalidomide-limb-defects\n"
    "  status: imid:EstablishedFinding\n"
    "  evidence: obo:ECO_0000303\n" + QUOTE + "- M-06: Teratogenicity and antitumor activity are dissociable\n"
    "  says: ent:teratogenicity imid:mechanisticallyDistinctFrom ent:antitumor-activity\n"
    "  status: imid:Hypothesis\n"
    "  evidence: obo:ECO_0000303\n" + QUOTE
)
BAD = (
    "- B-01: Lenalidomide causes myeloma cell death (a drug is not an event)\n"
    "  says: ent:lenalidomide imid:causallyUpstreamOfPositiveEffect ent:myeloma-cell-death\n"
    "  status: imid:EstablishedFinding\n"
    "  evidence: obo:ECO_0000303\n"
    + QUOTE
    + "- B-02: IKZF1 degradation acts upstream of cell death (an event is not a continuant)\n"
    "  says: ent:IKZF1-degradation imid:actsUpstreamOfPositiveEffect ent:myeloma-cell-death\n"
    "  status: imid:EstablishedFinding\n"
    "  evidence: obo:ECO_0000303\n"
    + QUOTE
    + "- B-03: A link to a claim that does not exist, a question about a misspelt entity\n"
    "  asks: mediator\n"
    "  about: [ent:CDKN1AA]\n"
    "  status: imid:OpenQuestion\n"
    "  evidence: obo:ECO_0000303\n" + QUOTE + "  contradicts: [NO-SUCH-CLAIM]\n"
)


def _file(tmp_path: Path, records: str) -> Path:
    path = tmp_path / "model2.yaml"
    path.write_text(HEAD + records, encoding="utf-8")
    return path


def _results(path: Path, engine: str) -> set[tuple[str, str, str]]:
    """The violations and warnings on the claims of ``path`` (validated with the knowledge
    base's entities and documents)."""
    return {
        (r.focus.rsplit("/", 1)[1], r.shape.rsplit("#", 1)[1], r.message)
        for r in validate([path], engine=engine).results
        if r.severity != "info"
    }


@pytest.mark.parametrize("engine", ["oxigraph", "pyshacl"])
def test_every_key_of_the_model_validates(tmp_path, engine):
    assert _results(_file(tmp_path, GOOD), engine) == set()


def test_the_shapes_catch_what_the_model_forbids(tmp_path):
    path = _file(tmp_path, BAD)
    fast = _results(path, "oxigraph")
    assert fast == _results(path, "pyshacl")
    assert {(focus, shape) for focus, shape, _ in fast} == {
        ("B-01", "ProcessRelationShape"),
        ("B-02", "ClaimDomainRangeShape"),
        ("B-03", "ClaimContradictsShape"),
        ("B-03", "DeclaredTermShape"),
    }
    messages = {focus + " " + message for focus, _, message in fast}
    assert (
        "B-01 The claim's subject is not an event: is causally upstream of, positive effect joins two events "
        "(imid:BiologicalEvent); a drug, protein, complex or drug-bound receptor acts on an event with "
        "imid:actsUpstreamOfPositiveEffect or imid:actsUpstreamOfNegativeEffect"
    ) in messages
    assert any(m.startswith("B-02 The claim's subject is not a molecular entity") for m in messages)
    assert "B-03 imid:contradicts must point to a claim (contradicts: claim ids in a claims file)" in messages
    assert any("ent:CDKN1AA is not declared" in m and "did you mean ent:CDKN1A" in m for m in messages)
