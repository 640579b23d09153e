"""Claim model 2's keys in a claims file (imid_onto.io.records): each loads to the triples of
the model and the reader (imid_onto.model.claims) gives them back as fields; a bad value is
one error naming the file and line; the canonical form orders the new keys; the loader's
names are the reader's (docs/design/claim-model.md, "Model 2")."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from imid_onto.io import records
from imid_onto.io.rdf import read_graphs
from imid_onto.model import claims as model
from imid_onto.model.claims import read_claims
from imid_onto.vocab import CLAIM, DOC, ENT, IMID, RDF

from ..conftest import imid, one_error_line

HEAD = """\
document: doc:inside-blood-2014
study: doc:inside-blood-2014
curators: https://w3id.org/imid-onto/kb/agent/curators
activity: https://w3id.org/imid-onto/kb/activity/curation-2026-11
date: 2026-11-21
claims:
"""
#: Every key of claim model 2 once (SPEC20 sections 2-7).
MODEL2 = """\
- M-01: Lenalidomide-bound cereblon targets IKZF1 (protein level), necessary and sufficient
  says: ent:lenalidomide-bound-CRBN imid:inducesDegradationOf ent:IKZF1
  qualifiers: [necessary, sufficient, dependent, protein-level, mRNA-level, gene-level]
  status: imid:EstablishedFinding
  evidence: obo:ECO_0000303
  context: {combination: ent:lenalidomide-rituximab-combination, condition: ent:low-CRBN-expression, \
genotype: ent:del17p, subgroup: ent:refractory-CLL-patients}
  quote: Thus far, the molecular mechanism of this induction is not known.
  contestedBy: [M-02]
  contradicts: M-03
  contrastsWith: [M-04]
- M-02: The mechanism is not known
  asks: mechanism
  about: [M-01, ent:CDKN1A]
  status: imid:OpenQuestion
  evidence: obo:ECO_0000303
  quote: Thus far, the molecular mechanism of this induction is not known.
- M-03: Lenalidomide lowers IKZF1 protein independently of p53 (a reading)
  says: ent:lenalidomide imid:actsUpstreamOfPositiveEffect ent:IKZF1-protein-decrease
  qualifiers: independent
  status: imid:Interpretation
  evidence: obo:ECO_0000303
  study: doc:fecteau-2014
  quote: Thus far, the molecular mechanism of this induction is not known.
- M-04: Fin defects resemble limb defects (an earlier proposal)
  says: ent:zebrafish-fin-defects imid:resembles ent:thalidomide-limb-defects
  status: imid:HistoricalProposal
  evidence: obo:ECO_0000303
  quote: Thus far, the molecular mechanism of this induction is not known.
  replacedBy: M-01
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "model2.yaml"
    path.write_text(HEAD + text, encoding="utf-8")
    return path


@pytest.fixture
def loaded(tmp_path) -> tuple[Graph, dict[URIRef, model.Claim]]:
    graph = read_graphs([_write(tmp_path, MODEL2)])
    return graph, {c.iri: c for c in read_claims(graph)}


def test_each_new_key_loads_to_its_triples(loaded):
    graph, _ = loaded
    m1, m2, m3, m4 = (CLAIM[f"M-0{i}"] for i in range(1, 5))
    assert set(graph.objects(m1, IMID.hasQualifier)) == {
        IMID.Necessary,
        IMID.Sufficient,
        IMID.Dependent,
        IMID.ProteinLevel,
        IMID.MRNALevel,
        IMID.GeneLevel,
    }
    assert {(p, o) for p, o in graph.predicate_objects(m1) if str(p).startswith(str(IMID) + "context")} == {
        (IMID.contextCombination, ENT["lenalidomide-rituximab-combination"]),
        (IMID.contextCondition, ENT["low-CRBN-expression"]),
        (IMID.contextGenotype, ENT.del17p),
        (IMID.contextPatientSubgroup, ENT["refractory-CLL-patients"]),
    }
    assert (m1, IMID.contestedBy, m2) in graph and (m1, IMID.contradicts, m3) in graph
    assert (m1, IMID.contrastsWith, m4) in graph and (m4, DCTERMS.isReplacedBy, m1) in graph
    # a question: typed, what it asks and about what, and no triple of its own
    assert {(m2, RDF.type, IMID.Question), (m2, IMID.asks, IMID.MechanismQuestion)} <= set(graph)
    assert set(graph.objects(m2, IMID.isAbout)) == {m1, ENT.CDKN1A}
    assert not [t for p in (RDF.subject, RDF.predicate, RDF.object) for t in graph.triples((m2, p, None))]
    # who reported it (the file's document) vs who showed it (study:)
    for claim in (m1, m2, m3, m4):
        assert list(graph.objects(claim, IMID.reportedIn)) == [DOC["inside-blood-2014"]]
    assert list(graph.objects(m3, model.PROV.wasDerivedFrom)) == [DOC["fecteau-2014"]]
    assert (m3, IMID.hasStatus, IMID.Interpretation) in graph and (m4, IMID.hasStatus, IMID.HistoricalProposal) in graph


def test_the_reader_gives_the_new_fields(loaded):
    _, claims = loaded
    m1, m2, m3, m4 = (claims[CLAIM[f"M-0{i}"]] for i in range(1, 5))
    assert m1.contested_by == (m2.iri,) and m1.contradicts == (m3.iri,) and m1.contrasts_with == (m4.iri,)
    # symmetric links: both claims name each other, whichever states it
    assert m3.contradicts == (m1.iri,) and m4.contrasts_with == (m1.iri,) and m2.contested_by == ()
    assert IMID.ProteinLevel in m1.qualifiers and len(m1.qualifiers) == 6 and not m1.independent
    assert m1.context[0] == (IMID.contextCombination, ENT["lenalidomide-rituximab-combination"])
    assert (m2.is_question, m2.asks, m2.about) == (True, IMID.MechanismQuestion, (m1.iri, ENT.CDKN1A))
    assert m2.edge == (None, None, None) and not m2.stands and not m2.followed
    assert m1.stands and not m1.followed  # degradation is not a causal relation
    assert m3.independent and not m3.stands and not m3.followed  # and an interpretation
    assert not m4.followed and m4.replaced_by == (m1.iri,)
    assert {c.reported_in for c in claims.values()} == {DOC["inside-blood-2014"]}


def test_a_question_lists_as_what_it_asks(tmp_path):
    graph = read_graphs([_write(tmp_path, MODEL2)])
    rows = {row.iri.rsplit("/", 1)[1]: row for row in model.claim_rows(graph)}
    # (terms by their labels where the graph has them: here the claims alone)
    assert rows["M-02"].statement == f"imid:MechanismQuestion about {MODEL2.splitlines()[0][8:]}, ent:CDKN1A"
    assert rows["M-03"].statement == "ent:lenalidomide imid:actsUpstreamOfPositiveEffect ent:IKZF1-protein-decrease"


BAD = [
    ("  asks: mechanism\n", "says:", "9", "claim X-01: a question (asks:) states no triple: give asks: and about:"),
    ("", "  says: ent:lenalidomide imid:binds ent:CRBN\n", "7", "claim X-01: missing says: (or asks: and about:"),
    ("  about: [IB-01]\n", "", "9", "claim X-01: about: goes with asks: (a question)"),
    ("  qualifiers: [necessary, maybe]\n", "", "9", "claim X-01: qualifiers: 'maybe' is not one of necessary,"),
    (
        "  contradicts: [ent:CRBN]\n",
        "",
        "9",
        "claim X-01: contradicts: expected claim ids (e.g. IB-01), not 'ent:CRBN'",
    ),
    ("  contestedBy: X-01\n", "", "9", "claim X-01: contestedBy: a claim is not linked to itself"),
    ("  contrastsWith: []\n", "", "9", "claim X-01: contrastsWith: empty list"),
    ("  context: {genome: ent:del17p}\n", "", "9", "claim X-01: unknown context 'genome' (known: cellLine, cellType,"),
    ("  context: {subgroup: refractory}\n", "", "9", "context subgroup: 'refractory' is not prefix:name"),
]


@pytest.mark.parametrize(("added", "removed", "line", "message"), BAD)
def test_a_bad_value_is_one_error_at_its_line(tmp_path, added, removed, line, message):
    record = (
        "- X-01: Lenalidomide binds CRBN\n"
        "  says: ent:lenalidomide imid:binds ent:CRBN\n"
        "  status: imid:EstablishedFinding\n"
        "  evidence: obo:ECO_0000304\n"
        "  quote: Lenalidomide\n"
    )
    if removed == "says:":  # a question that also says something
        record = record.replace("  status:", "  about: [IB-01]\n  status:").replace(
            "- X-01: Lenalidomide binds CRBN\n", "- X-01: Lenalidomide binds CRBN\n" + added
        )
    else:
        record = record.replace(removed, "") if removed else record
        record = record.replace("  status:", added + "  status:", 1) if added and removed == "" else record
    path = _write(tmp_path, record)
    done = imid("validate", str(path))
    assert one_error_line(done, 2).startswith(f"{path}:{line}: {message}")


def test_the_canonical_form_orders_the_new_keys(tmp_path):
    path = _write(
        tmp_path,
        "- X-01: a question\n"
        "  quote: Lenalidomide\n"
        "  contrastsWith: [IB-02]\n"
        "  evidence: obo:ECO_0000304\n"
        "  status: imid:OpenQuestion\n"
        "  about: [IB-01]\n"
        "  qualifiers: [necessary]\n"
        "  contestedBy: [IB-03]\n"
        "  asks: mediator\n"
        "  context: {subgroup: ent:lenalidomide-responders, genotype: ent:del17p}\n",
    )
    assert records.canonical_text(path) == HEAD + (
        "- X-01: a question\n"
        "  asks: mediator\n"
        "  about: [IB-01]\n"
        "  qualifiers: [necessary]\n"
        "  status: imid:OpenQuestion\n"
        "  evidence: obo:ECO_0000304\n"
        "  context: {genotype: ent:del17p, subgroup: ent:lenalidomide-responders}\n"
        "  quote: Lenalidomide\n"
        "  contestedBy: [IB-03]\n"
        "  contrastsWith: [IB-02]\n"
    )


def test_the_loaders_names_are_the_readers():
    """io cannot import model (the layers): the loader's context keys are the reader's contexts
    (the question kinds, qualifiers and links are one table each, in vocab)."""
    assert set(records.CONTEXTS.values()) == set(model.CONTEXTS)
    assert records.RECORD_KEYS.index("asks") < records.RECORD_KEYS.index("about") < records.RECORD_KEYS.index("status")


def test_the_new_claim_template_names_the_new_statuses_and_contexts(tmp_path):
    path = _write(tmp_path, MODEL2)
    template = records.new_record(path, records.date(2026, 11, 21))
    assert "Interpretation, HistoricalProposal or Superseded" in template
    assert "asks: <kind> and about: [<ids>]" in template
    assert "combination, condition, genotype, organism, subgroup, system" in template
