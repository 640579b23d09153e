"""The competency questions: every named query's full answer on the shipped knowledge base,
written out; the same answers on pyoxigraph and rdflib; a fixture chain for the path walk;
parameters resolved from IRIs, CURIEs and labels and bound as terms; clear errors."""

from __future__ import annotations

import json

import pytest

from imid_onto.errors import InputError
from imid_onto.query import load_dataset, named_queries, named_query, run_query
from imid_onto.vocab import ENT, IMID, PREFIXES, RDF, curie

from ..conftest import FIXTURES, cli

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


DOWNSTREAM = {
    (p, effect, steps, direction, status)
    for p in ("IKZF1", "IKZF3")
    for effect, steps, direction, status in [
        ("B-cell-function-alteration", 1, "increase", "EstablishedFinding"),
        ("CDKN1A-upregulation", 1, "increase", "OpenQuestion"),
        ("CLL-cell-cycle-arrest", 2, "increase", "OpenQuestion"),
        ("CLL-clinical-activity", 2, "increase", "OpenQuestion"),
        ("CLL-progression", 2, "decrease", "OpenQuestion"),
        ("CLL-proliferation-inhibition", 1, "increase", "OpenQuestion"),
        ("IL2-upregulation", 1, "increase", "EstablishedFinding"),
        ("IRF4-downregulation", 1, "increase", "EstablishedFinding"),
        ("T-cell-costimulation", 1, "increase", "EstablishedFinding"),
        ("T-cell-function-alteration", 1, "increase", "EstablishedFinding"),
        ("anti-myeloma-activity", 1, "increase", "EstablishedFinding"),
        ("microenvironment-immune-modulation", 1, "increase", "OpenQuestion"),
        ("myeloma-cell-death", 1, "increase", "EstablishedFinding"),
        ("myeloma-proliferation-inhibition", 1, "increase", "EstablishedFinding"),
        ("tumor-flare-reaction", 2, "increase", "OpenQuestion"),
    ]
}


def test_downstream_effects_of_ikaros_and_aiolos_loss(asserted):
    table = answer(asserted, "downstream-effects")
    assert table.columns == ["protein", "start", "effect", "steps", "direction", "status", "path", "claims", "studies"]
    got = {(local(r[0]), local(r[2]), int(r[3]), str(r[4]), local(r[5])) for r in table.rows}
    assert got == DOWNSTREAM
    # p21 (CDKN1A) up-regulation is reached only through an open question, and marked so.
    p21 = [r for r in table.rows if local(r[2]) == "CDKN1A-upregulation"]
    assert {local(r[5]) for r in p21} == {"OpenQuestion"}
    assert {str(r[7]) for r in p21} == {"claim:IB-70", "claim:IB-71"}
    # Every step names its claims and studies: IRF4 falls after IKZF1 loss (Kronke, Lu 2014).
    irf4 = next(r for r in table.rows if local(r[0]) == "IKZF1" and local(r[2]) == "IRF4-downregulation")
    assert (str(irf4[6]), str(irf4[7]), str(irf4[8])) == (
        "IKZF1 degradation -> IRF4 down-regulation",
        "claim:KG-75",
        "doc:kronke-2014 doc:lu-2014",
    )


def test_downstream_effects_of_one_protein_by_synonym(asserted):
    by_synonym = answer(asserted, "downstream-effects", protein="Ikaros")
    by_curie = answer(asserted, "downstream-effects", protein="ent:IKZF1")
    by_iri = answer(asserted, "downstream-effects", protein=f"<{ENT['IKZF1']}>")
    assert by_synonym.rows == by_curie.rows == by_iri.rows
    assert {(local(r[0]), local(r[2]), int(r[3]), str(r[4]), local(r[5])) for r in by_synonym.rows} == {
        row for row in DOWNSTREAM if row[0] == "IKZF1"
    }


def test_upstream_causes_of_myeloma_cell_death(asserted):
    table = answer(asserted, "upstream-causes")
    assert {(local(r[1]), int(r[2]), str(r[3]), local(r[4])) for r in table.rows} == {
        ("CRBN-depletion", 1, "decrease", "Hypothesis"),
        ("CRL4-CRBN-ligase-activity", 3, "increase", "EstablishedFinding"),
        ("IKZF1-degradation", 1, "increase", "EstablishedFinding"),
        ("IKZF1-knockdown", 1, "increase", "EstablishedFinding"),
        ("IKZF1-ubiquitination", 2, "increase", "EstablishedFinding"),
        ("IKZF3-degradation", 1, "increase", "EstablishedFinding"),
        ("IKZF3-knockdown", 1, "increase", "EstablishedFinding"),
        ("IKZF3-ubiquitination", 2, "increase", "EstablishedFinding"),
        ("lenalidomide", 1, "increase", "EstablishedFinding"),
        ("lenalidomide-CRBN-binding", 1, "increase", "Hypothesis"),
        ("pomalidomide", 4, "increase", "EstablishedFinding"),
        ("proteasome-inhibitor", 2, "decrease", "OpenQuestion"),
        ("thalidomide", 4, "increase", "EstablishedFinding"),
    }
    thalidomide = next(r for r in table.rows if local(r[1]) == "thalidomide")
    assert str(thalidomide[5]) == (
        "thalidomide -> ubiquitin ligase activity of CRL4-CRBN -> IKZF1 ubiquitination -> "
        "IKZF1 degradation -> myeloma cell death"
    )


def test_neosubstrates(asserted):
    table = answer(asserted, "neosubstrates")
    assert {tuple(local(v) for v in r[:7]) for r in table.rows} == {
        ("lenalidomide", "IKZF1", "CRBN", "CRL4-CRBN", "IB-59", "EstablishedFinding", "ECO_0000304"),
        ("lenalidomide", "IKZF1", "CRBN", "CRL4-CRBN", "KG-50", "EstablishedFinding", "ECO_0000204"),
        ("lenalidomide", "IKZF3", "CRBN", "CRL4-CRBN", "IB-60", "EstablishedFinding", "ECO_0000304"),
        ("lenalidomide", "IKZF3", "CRBN", "CRL4-CRBN", "KG-51", "EstablishedFinding", "ECO_0000204"),
    }
    assert {local(r[7]) for r in table.rows} == {"kronke-2014", "lu-2014"}


def test_complex_components(asserted):
    table = answer(asserted, "complex-components")
    assert [tuple(local(v) for v in r) for r in table.rows] == [
        ("CRL4-CRBN", "CRBN", "SubstrateReceptor"),
        ("CRL4-CRBN", "CUL4A", "CullinScaffold"),
        ("CRL4-CRBN", "DDB1", "AdaptorProtein"),
    ]


def test_evidence_for_ikzf1(asserted):
    table = answer(asserted, "evidence-for")
    assert {(local(r[1]), local(r[3]), local(r[6])) for r in table.rows} == {
        ("IB-55", "EstablishedFinding", "inside-blood-2014"),
        ("IB-56", "EstablishedFinding", "inside-blood-2014"),
        ("IB-59", "EstablishedFinding", "kronke-2014"),
        ("IB-59", "EstablishedFinding", "lu-2014"),
        ("IB-72", "Hypothesis", "iacobucci-2012"),
        ("KG-50", "EstablishedFinding", "kronke-2014"),
        ("KG-50", "EstablishedFinding", "lu-2014"),
        ("KG-52", "EstablishedFinding", "kurtz-gotlib-2014"),
        ("KG-83", "EstablishedFinding", "kurtz-gotlib-2014"),
        ("KG-88", "OpenQuestion", "kurtz-gotlib-2014"),
        ("LUPM-07", "EstablishedFinding", "lu-2014"),
    }
    assert all(str(r[7]).strip() for r in table.rows)  # every row carries its verbatim quote


def test_claims_by_source(asserted):
    table = answer(asserted, "claims-by-source")
    assert [local(r[1]) for r in table.rows] == [f"LUPM-{i:02d}" for i in range(1, 13)]


def test_open_questions(asserted):
    table = answer(asserted, "open-questions")
    hypotheses = [
        "IB-04",
        "IB-05",
        "IB-17",
        "IB-21",
        "IB-22",
        "IB-23",
        "IB-31",
        "IB-35",
        "IB-69",
        "IB-72",
        "IB-74",
        "IB-86",
        "KG-12",
        "KG-13",
        "KG-14",
        "KG-15",
        "KG-16",
        "KG-17",
        "KG-18",
        "KG-19",
        "KG-20",
        "KG-21",
        "KG-69",
        "KG-70",
        "KG-71",
        "KG-72",
        "KG-73",
        "KG-74",
        "KG-81",
        "KG-82",
        "LUPM-02",
        "LUPM-11",
        "LUPM-12",
    ]
    open_questions = [
        "IB-06",
        "IB-07",
        "IB-08",
        "IB-09",
        "IB-12",
        "IB-29",
        "IB-68",
        "IB-70",
        "IB-71",
        "IB-76",
        "IB-77",
        "IB-78",
        "IB-79",
        "IB-80",
        "IB-85",
        "KG-11",
        "KG-86",
        "KG-87",
        "KG-88",
        "KG-90",
    ]
    assert {(local(r[1]), local(r[0])) for r in table.rows} == {("Hypothesis", c) for c in hypotheses} | {
        ("OpenQuestion", c) for c in open_questions
    }


def test_conflicts_are_context_aware(asserted):
    table = answer(asserted, "conflicts")
    rows = {(str(r[0]), local(r[1]), local(r[2])) for r in table.rows}
    assert {row for row in rows if row[0] == "contradiction"} == {("contradiction", "KG-68", "IB-25")}
    superseded = {(c, o) for kind, c, o in rows if kind == "superseded"}
    assert superseded == {
        ("IB-03", "IB-22"),
        ("IB-03", "IB-31"),
        ("IB-49", "IB-53"),
        ("IB-49", "IB-54"),
        ("IB-49", "LUPM-07"),
        ("IB-49", "LUPM-08"),
        ("IB-50", "IB-53"),
        ("IB-50", "IB-54"),
        ("IB-50", "LUPM-07"),
        ("IB-50", "LUPM-08"),
        ("IB-52", "LUPM-07"),
        ("IB-52", "LUPM-08"),
        ("IB-63", "IB-65"),
        ("IB-63", "LUPM-07"),
        ("IB-63", "LUPM-08"),
        ("IB-64", "IB-65"),
        ("IB-64", "LUPM-07"),
        ("IB-64", "LUPM-08"),
        ("KG-41", "KG-26"),
        ("KG-41", "KG-47"),
        ("KG-41", "KG-50"),
        ("KG-41", "KG-51"),
        ("KG-42", "KG-26"),
        ("KG-42", "KG-47"),
        ("KG-42", "KG-50"),
        ("KG-42", "KG-51"),
        ("KG-43", "KG-26"),
        ("KG-43", "KG-47"),
        ("KG-43", "KG-50"),
        ("KG-43", "KG-51"),
        ("KG-44", "KG-26"),
        ("KG-44", "KG-47"),
        ("KG-44", "KG-50"),
        ("KG-44", "KG-51"),
        ("LUPM-03", "LUPM-07"),
        ("LUPM-03", "LUPM-09"),
        ("LUPM-05", "LUPM-07"),
        ("LUPM-05", "LUPM-08"),
    }


def test_contexts_match_the_claims_context_properties(asserted, kb_graph):
    table = answer(asserted, "contexts")
    kinds = {
        IMID.contextCellLine: "cell line",
        IMID.contextCellType: "cell type",
        IMID.contextDisease: "disease",
        IMID.contextOrganism: "organism",
    }
    expected = {
        (kind, c, s)
        for p, kind in kinds.items()
        for s, c in kb_graph.subject_objects(p)
        if (s, RDF.type, IMID.Claim) in kb_graph
    }
    assert {(str(r[0]), r[1], r[2]) for r in table.rows} == expected
    assert {(str(r[0]), local(r[1])) for r in table.rows} == {
        ("cell line", "L363"),
        ("cell line", "MM1S"),
        ("cell type", "ALL-cell"),
        ("cell type", "B-cell"),
        ("cell type", "CLL-cell"),
        ("cell type", "NK-cell"),
        ("cell type", "T-cell"),
        ("cell type", "myeloid-cell"),
        ("cell type", "myeloma-cell"),
        ("disease", "ALL"),
        ("disease", "B-cell-malignancy"),
        ("disease", "CLL"),
        ("disease", "MDS"),
        ("disease", "del5q-MDS"),
        ("disease", "hematologic-malignancy"),
        ("disease", "multiple-myeloma"),
        ("disease", "thalidomide-embryopathy"),
        ("organism", "human"),
        ("organism", "zebrafish"),
    }


def test_molecular_glues_use_the_reasoners_inferences(asserted, reasoned):
    glue = {(local(r[0]), local(r[1])) for r in answer(reasoned, "molecular-glues").rows}
    assert glue == {
        ("lenalidomide", "ImmunomodulatoryDrug"),
        ("lenalidomide", "MolecularGlueDegrader"),
        ("pomalidomide", "ImmunomodulatoryDrug"),
        ("thalidomide", "ImmunomodulatoryDrug"),
    }
    told = {(local(r[0]), local(r[1])) for r in answer(asserted, "molecular-glues").rows}
    assert told == glue - {("lenalidomide", "MolecularGlueDegrader")}
    assert "HermiT" in reasoned.inference


def test_the_path_walk_on_a_fixture_chain():
    dataset = load_dataset([FIXTURES / "queries" / "chain.ttl"], asserted_only=True)
    table = answer(dataset, "downstream-effects", protein="protein P")
    test = "https://w3id.org/imid-onto/test/"
    assert [
        (str(r[2]).removeprefix(test), int(r[3]), str(r[4]), local(r[5]), str(r[6]), str(r[7])) for r in table.rows
    ] == [
        ("A", 1, "increase", "EstablishedFinding", "P degradation -> A", f"{test}c1"),
        ("B", 2, "decrease", "Hypothesis", "P degradation -> A -> B", f"{test}c1 ; {test}c2"),
        ("C", 3, "decrease", "Hypothesis", "P degradation -> A -> B -> C", f"{test}c1 ; {test}c2 ; {test}c3"),
    ]  # D only through a negated claim, E only through a superseded one: neither is reached
    up = answer(dataset, "upstream-causes", effect="C")
    assert [(str(r[1]).removeprefix(test), int(r[2]), str(r[3])) for r in up.rows] == [
        ("A", 2, "decrease"),
        ("B", 1, "increase"),
        ("P-degradation", 3, "decrease"),
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


def test_cli_query_file_runs_a_users_query_and_refuses_the_network(tmp_path):
    mine = tmp_path / "mine.rq"
    mine.write_text(
        "PREFIX imid: <https://w3id.org/imid-onto/ontology#>\nSELECT ?c WHERE { ?c imid:isNegated true } ORDER BY ?c\n"
    )
    done = cli("query", "--file", str(mine), "--format", "csv", "--asserted-only")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["c"] + [
        f"https://w3id.org/imid-onto/kb/claim/{c}"
        for c in ("IB-24", "IB-34", "KG-47", "KG-62", "KG-63", "KG-68", "LUPM-11", "LUPM-12")
    ]  # the negated claims
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
    ("neosubstrates", ()): [("t:drug", "t:Q", "t:R", "t:X", "t:k1", "EstablishedFinding", "ECO_0000204", "t:study1")],
    ("complex-components", ("complex", "complex X")): [
        ("t:X", "t:R", "SubstrateReceptor"),
        ("t:X", "t:S", "AdaptorProtein"),
    ],
    ("conflicts", ()): [
        ("contradiction", "t:k3", "t:k2", "t:drug", "causallyUpstreamOfPositiveEffect", "t:death", "t:dis1"),
        ("superseded", "t:k5", "t:k1", "t:Q", "causallyUpstreamOfNegativeEffect", "t:death", None),
    ],
    ("contexts", ()): [
        ("cell line", "t:line1", "t:k1", "EstablishedFinding"),
        ("disease", "t:dis1", "t:k1", "EstablishedFinding"),
        ("disease", "t:dis1", "t:k2", "EstablishedFinding"),
        ("disease", "t:dis1", "t:k3", "EstablishedFinding"),
        ("disease", "t:dis2", "t:k4", "EstablishedFinding"),
    ],
    ("molecular-glues", ()): [("t:drug", "ImmunomodulatoryDrug")],
    ("open-questions", ()): [
        ("t:k6", "Hypothesis", "t:Q", "causallyUpstreamOf", "t:death", None, "Q may matter"),
        ("t:k7", "OpenQuestion", "t:R", "binds", "t:Q", None, "whether R binds Q is unknown"),
    ],
    ("upstream-causes", ("effect", "cell death")): [
        ("t:death", "t:Q", "1", "unknown", "Hypothesis", "protein Q -> cell death", "t:k6", ""),
        ("t:death", "t:drug", "1", "increase", "EstablishedFinding", "drug one -> cell death", "t:k2", ""),
    ],
}


def small_form(value) -> str | None:
    if value is None:
        return None
    return str(value).replace("https://w3id.org/imid-onto/test/", "t:").rsplit("#", 1)[-1].rsplit("/obo/", 1)[-1]


@pytest.fixture(scope="module")
def small():
    return load_dataset([FIXTURES / "queries" / "small.ttl"], asserted_only=True)


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("key", sorted(SMALL_ANSWERS), ids=lambda k: k[0])
def test_queries_on_a_small_fixture_graph(small, key, engine):
    name, param = key
    params = {param[0]: [param[1]]} if param else {}
    table = run_query(small, named_query(name), params, engine=engine)
    assert [tuple(small_form(v) for v in row) for row in table.rows] == SMALL_ANSWERS[key]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_evidence_and_claims_by_source_on_the_small_fixture(small, engine):
    evidence = run_query(small, named_query("evidence-for"), {"entity": ["protein Q"]}, engine=engine)
    assert [
        (small_form(r[1]), small_form(r[3]), small_form(r[6]), str(r[7]), small_form(r[9]), small_form(r[10]))
        for r in evidence.rows
    ] == [
        ("t:k1", "EstablishedFinding", "t:study1", "drug one degrades Q", "t:dis1", "t:line1"),
        ("t:k5", "Superseded", None, "Q protects cells", None, None),
        ("t:k6", "Hypothesis", None, "Q may matter", None, None),
        ("t:k7", "OpenQuestion", None, "whether R binds Q is unknown", None, None),
    ]
    by_source = run_query(small, named_query("claims-by-source"), {"source": ["document one"]}, engine=engine)
    assert [small_form(r[1]) for r in by_source.rows] == [f"t:k{i}" for i in range(1, 8)]
