"""The competency questions: every named query's full answer on the shipped knowledge base,
written out; the same answers on pyoxigraph and rdflib; a fixture chain for the path walk;
parameters resolved from IRIs, CURIEs and labels and bound as terms; clear errors."""

from __future__ import annotations

import json

import pytest
from rdflib import Literal

from imid_onto.errors import InputError
from imid_onto.query import load_dataset, named_queries, named_query, run_query
from imid_onto.vocab import CLAIM as CLAIM_NS
from imid_onto.vocab import ENT, IMID, PREFIXES, RDF, curie

from ..conftest import FIXTURES, cli
from .conftest import short
from .shipped_answers import QUESTIONS, TABLES
from .shipped_answers import answer as shipped_answer

QUERIES = named_queries()
NAMES = sorted(QUERIES)


@pytest.fixture(scope="module")
def reasoned(java):
    return load_dataset()


def local(term) -> str | None:
    return None if term is None else curie(term).split(":", 1)[-1]


def answer(dataset, name, **params):
    return run_query(dataset, named_query(name), {k: [v] if isinstance(v, str) else v for k, v in params.items()})


def test_the_ten_competency_questions_are_there_with_complete_headers():
    assert NAMES == [
        "claims-by-source",
        "complex-components",
        "conflicts",
        "contexts",
        "downstream-effects",
        "evidence-for",
        "molecular-glues",
        "neosubstrates",
        "open-questions",
        "upstream-causes",
    ]
    for query in QUERIES.values():
        assert query.title and query.question.endswith("?") and query.columns, query.name
        assert all(p.defaults for p in query.params), query.name


@pytest.mark.parametrize("name", NAMES)
def test_same_answer_on_pyoxigraph_and_rdflib(asserted, name):
    a = run_query(asserted, QUERIES[name], engine="oxigraph")
    b = run_query(asserted, QUERIES[name], engine="rdflib")
    assert (a.columns, a.rows) == (b.columns, b.rows)
    assert a.rows, f"{name} has an empty answer on the shipped data"


# --- the shipped answers: one table per question, in tests/queries/shipped_answers.py ------


@pytest.mark.parametrize("table", sorted(QUESTIONS))
def test_the_shipped_answer(asserted, table):
    """Each question's answer on the shipped knowledge base, as written out (and read against
    the texts) in shipped_answers.TABLES; `python -m tests.queries.shipped_answers` prints
    what the data gives now."""
    assert shipped_answer(asserted, table) == TABLES[table]


def test_the_shipped_causal_rows_never_mix_statuses(asserted):
    """Every claim of a row has the row's status; a hypothesis or an open question stands alone."""
    statuses = {
        str(c): local(s)
        for c, s in asserted.select("SELECT ?c ?s WHERE { ?c <https://w3id.org/imid-onto/ontology#hasStatus> ?s }")[1]
    }
    for name, status_at, claims_at in (("downstream-effects", 5, 7), ("upstream-causes", 4, 6)):
        for row in answer(asserted, name).rows:
            claims = [c for c in str(row[claims_at]).replace(";", " ").split() if c.startswith("claim:")]
            full = [str(CLAIM_NS) + c.removeprefix("claim:") for c in claims]
            assert {statuses[c] for c in full} == {local(row[status_at])}, row
            if local(row[status_at]) != "EstablishedFinding":
                assert len(str(row[claims_at]).split(" ; ")) - str(row[claims_at]).count("(bound drug)") == 1, row


def test_downstream_effects_of_one_protein_by_synonym(asserted):
    by_synonym = answer(asserted, "downstream-effects", protein="Ikaros")
    by_curie = answer(asserted, "downstream-effects", protein="ent:IKZF1")
    by_iri = answer(asserted, "downstream-effects", protein=f"<{ENT['IKZF1']}>")
    assert by_synonym.rows == by_curie.rows == by_iri.rows
    assert shipped_answer(asserted, "downstream-effects", protein="Ikaros") == [
        row for row in TABLES["downstream-effects"] if row[0] == "IKZF1"
    ]


def test_complex_components(asserted):
    table = answer(asserted, "complex-components")
    assert [tuple(local(v) for v in r) for r in table.rows] == [
        ("CRL4-CRBN", "CRBN", "SubstrateReceptor"),
        ("CRL4-CRBN", "CUL4A", "CullinScaffold"),
        ("CRL4-CRBN", "DDB1", "AdaptorProtein"),
    ]


def test_contexts_match_the_claims_context_properties(asserted, kb_graph):
    table = answer(asserted, "contexts")
    kinds = {
        IMID.contextCellLine: "cell line",
        IMID.contextCellType: "cell type",
        IMID.contextDisease: "disease",
        IMID.contextOrganism: "organism",
        IMID.contextGenotype: "genotype",
        IMID.contextPatientSubgroup: "patient subgroup",
        IMID.contextCondition: "condition",
        IMID.contextCombination: "combination",
    }
    expected = {
        (kind, c, s)
        for p, kind in kinds.items()
        for s, c in kb_graph.subject_objects(p)
        if (s, RDF.type, IMID.Claim) in kb_graph
    }
    assert {(str(r[0]), r[1], r[2]) for r in table.rows} == expected


def test_molecular_glues_use_the_reasoners_inferences(asserted, reasoned):
    glue = {(local(r[0]), local(r[1])) for r in answer(reasoned, "molecular-glues").rows}
    degraders = {(drug, "MolecularGlueDegrader") for drug in ("lenalidomide", "pomalidomide", "thalidomide")}
    assert (
        glue
        == {
            ("lenalidomide", "ImmunomodulatoryDrug"),
            ("pomalidomide", "ImmunomodulatoryDrug"),
            ("thalidomide", "ImmunomodulatoryDrug"),
        }
        | degraders
    )  # each through its drug-bound cereblon, which has IKZF1 and IKZF3 degraded
    told = {(local(r[0]), local(r[1])) for r in answer(asserted, "molecular-glues").rows}
    assert told == glue - degraders
    assert "HermiT" in reasoned.inference


def test_the_path_walk_on_a_fixture_chain():
    dataset = load_dataset([FIXTURES / "queries" / "chain.ttl"], asserted_only=True)
    table = answer(dataset, "downstream-effects", protein="protein P")
    test = "https://w3id.org/imid-onto/test/"
    assert [
        (str(r[2]).removeprefix(test), int(r[3]), str(r[4]), local(r[5]), str(r[6]), str(r[7])) for r in table.rows
    ] == [
        ("A", 1, "increase", "EstablishedFinding", "P degradation -> A", f"{test}c1"),
    ]  # B only through the hypothesis c2 after the finding c1 (never chained), C and D after it;
    # D only through a negated claim, E only through a superseded one: none is reached
    up = answer(dataset, "upstream-causes", effect="C")
    assert [(str(r[1]).removeprefix(test), int(r[2]), str(r[3]), local(r[4])) for r in up.rows] == [
        ("B", 1, "increase", "EstablishedFinding"),
    ]
    up = answer(dataset, "upstream-causes", effect="B")
    assert [(str(r[1]).removeprefix(test), int(r[2]), str(r[3]), local(r[4])) for r in up.rows] == [
        ("A", 1, "decrease", "Hypothesis"),
    ]


def test_unknown_entity_parameter_and_query_are_clear_errors(asserted):
    with pytest.raises(InputError, match="no entity named 'IKZF11'.*did you mean: IKZF1, IKZF3"):
        answer(asserted, "evidence-for", entity="IKZF11")
    with pytest.raises(InputError, match="has no parameter 'gene' \\(its parameters: entity\\)"):
        answer(asserted, "evidence-for", gene="IKZF1")
    with pytest.raises(InputError, match="no query named 'nope' \\(choose from: claims-by-source"):
        named_query("nope")


def test_cli_query_json_is_sparql_results_json():
    done = cli("query", "complex-components", "--format", "json", "--asserted-only")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["head"]["vars"] == ["complex", "component", "role"]
    assert [b["component"]["value"].rsplit("/", 1)[1] for b in data["results"]["bindings"]] == ["CRBN", "CUL4A", "DDB1"]
    assert data["results"]["bindings"][0]["role"] == {"type": "uri", "value": str(IMID.SubstrateReceptor)}


def test_cli_query_csv_and_tsv():
    csv_out = cli("query", "complex-components", "--format", "csv", "--asserted-only").stdout
    assert csv_out.splitlines()[:2] == [
        "complex,component,role",
        f"{ENT['CRL4-CRBN']},{ENT['CRBN']},{IMID.SubstrateReceptor}",
    ]
    tsv_out = cli("query", "complex-components", "--format", "tsv", "--asserted-only").stdout
    assert tsv_out.splitlines()[1] == f"<{ENT['CRL4-CRBN']}>\t<{ENT['CRBN']}>\t<{IMID.SubstrateReceptor}>"


def test_cli_query_errors_exit_2_with_one_line():
    for args, message in [
        (("query", "nope"), "no query named 'nope'"),
        (("query", "evidence-for", "--param", "entity=nothing-like-this", "--asserted-only"), "no entity named"),
        (("query", "evidence-for", "--param", "gene=IKZF1", "--asserted-only"), "has no parameter 'gene'"),
    ]:
        done = cli(*args)
        assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr, args


def test_cli_query_file_runs_a_users_query_and_refuses_the_network(tmp_path, kb_graph):
    mine = tmp_path / "mine.rq"
    mine.write_text(
        "PREFIX imid: <https://w3id.org/imid-onto/ontology#>\nSELECT ?c WHERE { ?c imid:isNegated true } ORDER BY ?c\n"
    )
    done = cli("query", "--file", str(mine), "--format", "csv", "--asserted-only")
    assert done.returncode == 0, done.stderr
    negated = sorted(str(c) for c in kb_graph.subjects(IMID.isNegated, Literal(True)))
    assert len(negated) >= 5 and done.stdout.splitlines() == ["c", *negated]  # the negated claims
    for text, keyword in [
        ("SELECT * WHERE { SERVICE <http://example.net/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * FROM <http://example.net/data> WHERE { ?s ?p ?o }", "FROM"),
    ]:
        mine.write_text(text)
        done = cli("query", "--file", str(mine))
        assert done.returncode == 2 and f"{keyword} is refused" in done.stderr


def test_cli_list_names_every_query():
    done = cli("query", "--list")
    assert done.returncode == 0
    assert [line.split()[0] for line in done.stdout.splitlines() if not line.startswith(" ")] == NAMES


@pytest.mark.slow
def test_without_java_owl_rl_stands_in_and_says_what_is_lost(monkeypatch):
    from imid_onto.reasoning import infer as reasoning

    monkeypatch.setattr(reasoning, "java_available", lambda: False)
    warnings = []
    dataset = load_dataset(warn=warnings.append)
    assert warnings == [reasoning.RL_LOSS]
    assert dataset.inference.startswith("owlrl")
    glue = {(local(r[0]), local(r[1])) for r in answer(dataset, "molecular-glues").rows}
    assert ("lenalidomide", "MolecularGlueDegrader") in glue


def test_prefixes_cover_the_curies_the_queries_print():
    assert {"ent", "imid", "claim", "doc", "obo"} <= set(PREFIXES)


SMALL_ANSWERS = {
    ("neosubstrates", ()): [
        ("t:drug", None, "t:R", "t:X", "t:Q", "t:k1", "EstablishedFinding", "ECO_0000204", "t:study1")
    ],  # a claim in the older form: the drug itself has the protein degraded
    ("complex-components", ("complex", "complex X")): [
        ("t:X", "t:R", "SubstrateReceptor"),
        ("t:X", "t:S", "AdaptorProtein"),
    ],
    ("conflicts", ()): [
        (
            "superseded",
            *("t:k5", "Superseded", None, "t:k1", "EstablishedFinding", None),
            *("t:Q", "causallyUpstreamOfNegativeEffect", "t:death", None),
        ),
    ],  # k3 denies k2 in the same disease, but both are quoted from document one: no disagreement
    ("contexts", ()): [
        ("cell line", "t:line1", "t:k1", "EstablishedFinding"),
        ("disease", "t:dis1", "t:k1", "EstablishedFinding"),
        ("disease", "t:dis1", "t:k2", "EstablishedFinding"),
        ("disease", "t:dis1", "t:k3", "EstablishedFinding"),
        ("disease", "t:dis2", "t:k4", "EstablishedFinding"),
    ],
    ("molecular-glues", ()): [("t:drug", "ImmunomodulatoryDrug")],
    ("open-questions", ()): [
        ("t:k6", "Hypothesis", "false", None, None, "t:Q", "causallyUpstreamOf", "t:death", None, "Q may matter"),
        ("t:k7", "OpenQuestion", "false", None, None, "t:R", "binds", "t:Q", None, "whether R binds Q is unknown"),
    ],
    ("upstream-causes", ("effect", "cell death")): [
        ("t:death", "t:Q", "1", "unknown", "Hypothesis", "protein Q -> cell death", "t:k6", ""),
        ("t:death", "t:drug", "1", "increase", "EstablishedFinding", "drug one -> cell death", "t:k2", ""),
    ],
}


@pytest.fixture(scope="module")
def small():
    return load_dataset([FIXTURES / "queries" / "small.ttl"], asserted_only=True)


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("key", sorted(SMALL_ANSWERS), ids=lambda k: k[0])
def test_queries_on_a_small_fixture_graph(small, key, engine):
    name, param = key
    params = {param[0]: [param[1]]} if param else {}
    table = run_query(small, named_query(name), params, engine=engine)
    assert [tuple(short(v) for v in row) for row in table.rows] == SMALL_ANSWERS[key]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_evidence_and_claims_by_source_on_the_small_fixture(small, engine):
    evidence = run_query(small, named_query("evidence-for"), {"entity": ["protein Q"]}, engine=engine)
    assert [(short(r[1]), short(r[4]), short(r[8]), str(r[9]), short(r[11]), short(r[12])) for r in evidence.rows] == [
        ("t:k1", "EstablishedFinding", "t:study1", "drug one degrades Q", "t:dis1", "t:line1"),
        ("t:k5", "Superseded", None, "Q protects cells", None, None),
        ("t:k6", "Hypothesis", None, "Q may matter", None, None),
        ("t:k7", "OpenQuestion", None, "whether R binds Q is unknown", None, None),
    ]
    by_source = run_query(small, named_query("claims-by-source"), {"source": ["document one"]}, engine=engine)
    assert [short(r[1]) for r in by_source.rows] == [f"t:k{i}" for i in range(1, 8)]
