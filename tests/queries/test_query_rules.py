"""The rules of the named queries in claim model 2, on a small fixture graph
(tests/fixtures/queries/model2.ttl), each query's full answer written out, the same on
pyoxigraph and rdflib (and on Virtuoso: tests/endpoint/test_virtuoso.py):

- evidence-for finds the claims about the events, bound forms, activities, combinations and
  genes an entity takes part in, and the questions about it or about its claims;
- open-questions lists questions (what they ask, what about) and open or hypothetical
  claims with their negation, never an interpretation, a historical proposal, a superseded
  claim or a link the same document establishes;
- the causal walks follow causal claims (both families) and glue-dependent degradation (a
  drug, its drug-bound receptor, the degradation it induces), never a question, an
  interpretation, a historical proposal, a superseded, negated or "independent" claim;
  a row's steps all have its status, and a hypothesis or an open question is never chained
  with another claim;
- conflicts shows what the curators relate (contested, contradicts, replaced by, with the
  documents) and, found, opposite claims in the same context and one triple with two
  statuses; nothing across contexts;
- neosubstrates follows the drug-bound receptor to its drug and receptor, and leaves a
  ligase's native substrate out.
"""

from __future__ import annotations

import pytest

from imid_onto.query import load_dataset, named_query, run_query
from imid_onto.query.chains import BOUND_DRUG_STEP

from ..conftest import FIXTURES
from .conftest import short

MODEL2 = FIXTURES / "queries" / "model2.ttl"


@pytest.fixture(scope="module")
def model2():
    dataset = load_dataset([MODEL2], asserted_only=True)
    _ = dataset.graph  # the rdflib graph, made once
    return dataset


def rows(dataset, name: str, engine: str, **params) -> list[tuple]:
    table = run_query(dataset, named_query(name), {k: [v] for k, v in params.items()}, engine=engine)
    return [tuple(short(v) for v in row) for row in table.rows]


ENGINES = pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])


# --- evidence-for ---------------------------------------------------------------------------
# (claim, about, status, negated, qualifier, condition): about is the node the claim names

EVIDENCE_FOR = {
    "interleukin L": [  # IL: its up-regulation (hasInput), its gene (isGeneOf), a question about it
        ("t:a1", "t:IL-up", "EstablishedFinding", "false", None, None),
        ("t:b1", "t:IL-gene", "Hypothesis", "false", None, None),
        ("t:c1", "t:IL-up", "EstablishedFinding", "false", None, None),
        ("t:c2", "t:IL-up", "EstablishedFinding", "false", None, None),
        ("t:h1", "t:IL-up", "Hypothesis", "false", None, None),
        ("t:q1", "t:a1", "OpenQuestion", "false", None, None),  # a question about a claim about it
        ("t:q2", "t:IL", "OpenQuestion", "false", None, None),
        ("t:q3", "t:IL-up", "OpenQuestion", "false", None, None),
        ("t:q4", "t:IL-up", "OpenQuestion", "false", None, None),
    ],
    "drug one": [  # its bound receptor (hasBoundDrug), its combination (hasComponent)
        ("t:a1", "t:drug", "EstablishedFinding", "false", None, None),
        ("t:g1", "t:drug-R", "EstablishedFinding", "false", None, None),
        ("t:k1", "t:drug", "EstablishedFinding", "false", None, None),
        ("t:k2", "t:drug", "EstablishedFinding", "true", None, None),
        ("t:m1", "t:combo", "EstablishedFinding", "false", None, None),
        ("t:q1", "t:a1", "OpenQuestion", "false", None, None),
        ("t:q3", "t:drug", "OpenQuestion", "false", None, None),
        ("t:q4", "t:drug", "OpenQuestion", "false", None, None),
        ("t:r1", "t:drug", "EstablishedFinding", "false", None, None),
        ("t:r2", "t:drug", "EstablishedFinding", "true", None, "t:resistant"),
    ],
    "receptor R": [  # its drug-bound forms (isBoundFormOf)
        ("t:g1", "t:drug-R", "EstablishedFinding", "false", None, None),
        ("t:g2", "t:drug2-R", "EstablishedFinding", "false", None, None),
        ("t:k1", "t:R", "EstablishedFinding", "false", None, None),
        ("t:k2", "t:R", "EstablishedFinding", "true", None, None),
    ],
    "complex X": [  # the ligase activity it enables (enabledBy)
        ("t:a2", "t:act", "EstablishedFinding", "false", None, None),
        ("t:a3", "t:act", "EstablishedFinding", "false", None, None),
    ],
    "protein T": [("t:x1", "t:T", "EstablishedFinding", "false", "Independent", None)],
    "cell death": [
        ("t:c3", "t:death", "EstablishedFinding", "false", None, None),
        ("t:f1", "t:death", "EstablishedFinding", "false", None, None),
        ("t:q2", "t:death", "OpenQuestion", "false", None, None),
        ("t:x1", "t:death", "EstablishedFinding", "false", "Independent", None),
    ],
}


@ENGINES
@pytest.mark.parametrize("entity", sorted(EVIDENCE_FOR))
def test_evidence_for_follows_what_an_entity_takes_part_in(model2, engine, entity):
    table = rows(model2, "evidence-for", engine, entity=entity)
    assert [(r[1], r[2], r[4], r[5], r[6], r[14]) for r in table] == EVIDENCE_FOR[entity]


# --- open-questions -------------------------------------------------------------------------
# (claim, status, negated, asks, about, subject, relation, object)

OPEN_QUESTIONS = [
    ("t:b1", "Hypothesis", "false", None, None, "t:TF", "binds", "t:IL-gene"),
    ("t:h1", "Hypothesis", "false", None, None, "t:P-deg", "causallyUpstreamOfNegativeEffect", "t:IL-up"),
    ("t:h2", "Hypothesis", "false", None, None, "t:prolif", "causallyUpstreamOfPositiveEffect", "t:flare"),
    ("t:n1", "Hypothesis", "true", None, None, "t:P-deg", "causallyUpstreamOfPositiveEffect", "t:terat"),
    ("t:o1", "OpenQuestion", "false", None, None, "t:P-deg", "causallyUpstreamOfPositiveEffect", "t:arrest"),
    ("t:q1", "OpenQuestion", "false", "MechanismQuestion", "t:a1", None, None, None),
    ("t:q2", "OpenQuestion", "false", "RelationQuestion", "t:IL", None, None, None),
    ("t:q2", "OpenQuestion", "false", "RelationQuestion", "t:death", None, None, None),
    # q3 asks what a1 of the same document establishes; q4 (another document) stays open
    ("t:q4", "OpenQuestion", "false", None, None, "t:drug", "actsUpstreamOfPositiveEffect", "t:IL-up"),
]  # never i1 (interpretation), p1 (historical proposal), s1 (superseded)


@ENGINES
def test_open_questions_list_questions_and_unsettled_claims_with_their_negation(model2, engine):
    table = rows(model2, "open-questions", engine)
    assert [r[:8] for r in table] == OPEN_QUESTIONS


# --- the causal walks -----------------------------------------------------------------------
# (effect or cause, steps, direction, status, path, claims)

DOWNSTREAM_OF_P = [  # (start, effect, steps, direction, status, path, claims)
    ("t:P-deg", "t:IL-up", "1", "increase", "EstablishedFinding", "P degradation -> L up-regulation", "t:c1"),
    (
        "t:P-deg",
        "t:IL-up",
        "1",
        "decrease",
        "Hypothesis",
        "P degradation -> L up-regulation",
        "t:h1",
    ),  # not mixed with c1
    ("t:P-deg", "t:arrest", "1", "increase", "OpenQuestion", "P degradation -> growth arrest", "t:o1"),
    ("t:P-deg", "t:death", "1", "increase", "EstablishedFinding", "P degradation -> cell death", "t:c3"),
    (
        "t:P-deg",
        "t:prolif",
        *("2", "increase", "EstablishedFinding", "P degradation -> L up-regulation -> proliferation"),
        "t:c1 ; t:c2",
    ),
    ("t:P-fall", "t:death", "1", "increase", "EstablishedFinding", "P protein level decrease -> cell death", "t:f1"),
]  # not the flare (hypothesis h2 after finding c2), nor i1, p1, s1, n1's effects

UPSTREAM_OF_DEATH = [
    ("t:P-deg", "1", "increase", "EstablishedFinding", "P degradation -> cell death", "t:c3"),
    ("t:P-fall", "1", "increase", "EstablishedFinding", "P protein level decrease -> cell death", "t:f1"),
    (
        "t:drug",
        *("3", "increase", "EstablishedFinding", "drug one -> drug-one-bound R -> P degradation -> cell death"),
        f"{BOUND_DRUG_STEP} ; t:g1 ; t:c3",
    ),
    (
        "t:drug-R",
        "2",
        "increase",
        "EstablishedFinding",
        "drug-one-bound R -> P degradation -> cell death",
        "t:g1 ; t:c3",
    ),
    (
        "t:drug2",
        *("3", "increase", "EstablishedFinding", "drug two -> drug-two-bound R -> P degradation -> cell death"),
        f"{BOUND_DRUG_STEP} ; t:g2 ; t:c3",
    ),
    (
        "t:drug2-R",
        "2",
        "increase",
        "EstablishedFinding",
        "drug-two-bound R -> P degradation -> cell death",
        "t:g2 ; t:c3",
    ),
]  # not protein T: cell death happens independent of it (x1)

UPSTREAM_OF_IL_UP = [
    ("t:P-deg", "1", "increase", "EstablishedFinding", "P degradation -> L up-regulation", "t:c1"),
    ("t:P-deg", "1", "decrease", "Hypothesis", "P degradation -> L up-regulation", "t:h1"),
    ("t:drug", "1", "increase", "EstablishedFinding", "drug one -> L up-regulation", "t:a1"),
    ("t:drug", "1", "increase", "OpenQuestion", "drug one -> L up-regulation", "t:q3 t:q4"),
    (
        "t:drug-R",
        *("2", "increase", "EstablishedFinding", "drug-one-bound R -> P degradation -> L up-regulation"),
        "t:g1 ; t:c1",
    ),
    (
        "t:drug2",
        *("3", "increase", "EstablishedFinding", "drug two -> drug-two-bound R -> P degradation -> L up-regulation"),
        f"{BOUND_DRUG_STEP} ; t:g2 ; t:c1",
    ),
    (
        "t:drug2-R",
        *("2", "increase", "EstablishedFinding", "drug-two-bound R -> P degradation -> L up-regulation"),
        "t:g2 ; t:c1",
    ),
]  # the hypothesis h1 is not chained with the findings g1, g2 upstream of P degradation

UPSTREAM_OF_FLARE = [("t:prolif", "1", "increase", "Hypothesis", "proliferation -> flare", "t:h2")]


@ENGINES
def test_downstream_effects_follow_one_status_per_row(model2, engine):
    table = rows(model2, "downstream-effects", engine, protein="protein P")
    assert {r[0] for r in table} == {"t:P"}
    assert [r[1:8] for r in table] == DOWNSTREAM_OF_P  # from its degradation, and from a fall in its level


@ENGINES
@pytest.mark.parametrize(
    ("effect", "expected"),
    [("cell death", UPSTREAM_OF_DEATH), ("L up-regulation", UPSTREAM_OF_IL_UP), ("flare", UPSTREAM_OF_FLARE)],
    ids=["death", "IL-up", "flare"],
)
def test_upstream_causes_reach_a_drug_through_its_bound_receptor(model2, engine, effect, expected):
    assert [r[1:7] for r in rows(model2, "upstream-causes", engine, effect=effect)] == expected


# --- conflicts ------------------------------------------------------------------------------
# (kind, claim, status, document, other, otherStatus, otherDocument, relation)

CONFLICTS = [
    ("contested", "t:a3", "EstablishedFinding", "t:docB", "t:a2", "EstablishedFinding", "t:docA"),
    ("contradiction", "t:c1", "EstablishedFinding", "t:docA", "t:h1", "Hypothesis", "t:docB"),  # found: + against -
    ("contradiction", "t:k1", "EstablishedFinding", "t:docA", "t:k2", "EstablishedFinding", "t:docB"),  # stated
    ("different status", "t:a1", "EstablishedFinding", "t:docA", "t:q3", "OpenQuestion", "t:docA"),
    ("different status", "t:a1", "EstablishedFinding", "t:docA", "t:q4", "OpenQuestion", "t:docB"),
    ("superseded", "t:s1", "Superseded", "t:docB", "t:c3", "EstablishedFinding", "t:docA"),
]  # not r1 against r2 (resistant lines), nor a2 against a3 again as a contradiction, nor u1
# against u2 (one document says both, in different settings)


@ENGINES
def test_conflicts_show_related_and_found_disagreements_only(model2, engine):
    assert [r[:7] for r in rows(model2, "conflicts", engine)] == CONFLICTS


# --- neosubstrates --------------------------------------------------------------------------
# (drug, boundReceptor, receptor, complex, neosubstrate, claim, status, evidence, study)

NEOSUBSTRATES = [
    ("t:drug", "t:drug-R", "t:R", "t:X", "t:P", "t:g1", "EstablishedFinding", "ECO_0000204", "t:studyA"),
    ("t:drug2", "t:drug2-R", "t:R", "t:X", "t:P", "t:g2", "EstablishedFinding", "ECO_0000303", None),
]  # not N: ligase L's native substrate (g3)


@ENGINES
def test_neosubstrates_follow_the_drug_bound_receptor(model2, engine):
    assert rows(model2, "neosubstrates", engine) == NEOSUBSTRATES


# --- contexts -------------------------------------------------------------------------------


@ENGINES
def test_contexts_include_the_new_kinds(model2, engine):
    assert rows(model2, "contexts", engine) == [("condition", "t:resistant", "t:r2", "EstablishedFinding")]
