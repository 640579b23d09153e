"""The knowledge base from Python without SPARQL (imid_onto.claims_frame, query_frame,
causal_graph): one row per claim from the one Claim reader, with typed columns; a named
query's answer as a DataFrame, its parameters bound as the command line binds them; the
network of claims as a networkx MultiDiGraph with the GraphML export's attributes. Exact
rows on the claim model 2 fixture (tests/fixtures/exports/model2.ttl, which the export tests
read too); shapes on the shipped data."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import networkx as nx
import pandas as pd
import pytest

import imid_onto
from imid_onto.model.claims import STATUSES, read_claims
from imid_onto.publish.exports import export
from imid_onto.publish.frames import CLAIM_COLUMNS
from imid_onto.query import format_table, named_query, run_query, with_dataset
from imid_onto.vocab import curie

from ..conftest import FIXTURES, REPO, imid

MODEL2 = FIXTURES / "exports" / "model2.ttl"
CLAIM_IRI = "https://w3id.org/imid-onto/kb/claim/"


@pytest.fixture(scope="module")
def shipped():
    return imid_onto.load_knowledge_base()


@pytest.fixture(scope="module")
def model2():
    return imid_onto.load_knowledge_base([MODEL2])


@pytest.fixture(scope="module")
def frame(model2):
    return imid_onto.claims_frame(model2)


def test_the_frames_are_in_the_public_api():
    for name in ("claims_frame", "query_frame", "causal_graph"):
        assert name in imid_onto.__all__ and callable(getattr(imid_onto, name))


def test_one_row_per_claim_of_the_shipped_data_in_the_readers_order(shipped):
    frame = imid_onto.claims_frame()
    claims = read_claims(shipped)
    assert frame.shape == (len(claims), len(CLAIM_COLUMNS))
    assert frame["claim"].tolist() == [curie(c.iri) for c in claims]
    assert frame["claim"].is_unique
    counts = frame["status"].value_counts()
    assert {name: int(counts[name]) for name in STATUSES} == {
        name: sum(c.status == iri for c in claims) for name, iri in STATUSES.items()
    }


def test_the_columns_are_typed(frame):
    assert list(frame.columns) == list(CLAIM_COLUMNS)
    assert {column: str(dtype) for column, dtype in frame.dtypes.items()} == {
        column: "category" if dtype == "category" else dtype for column, dtype in CLAIM_COLUMNS.items()
    }
    assert list(frame["status"].cat.categories) == list(STATUSES)  # strongest first, ordered
    assert frame["status"].cat.ordered
    assert frame["studies"].map(type).eq(tuple).all() and frame["context"].map(type).eq(tuple).all()


def _row(frame, claim: str) -> dict:
    """The claim's row, <NA> and NaT as None."""
    row = frame.set_index("claim").loc[claim].to_dict()
    return {k: v if isinstance(v, tuple) or not pd.isna(v) else None for k, v in row.items()}


def test_a_causal_claim_row(frame):
    assert _row(frame, "claim:X-11") == {
        "subject": "ent:lenalidomide-rituximab-combination",
        "subject_label": "lenalidomide with rituximab",
        "relation": "imid:actsUpstreamOfPositiveEffect",
        "relation_label": "acts causally upstream of, positive effect",
        "object": "ent:CLL-clinical-activity",
        "object_label": "clinical activity in CLL",
        "status": "finding",
        "negated": False,
        "question": False,
        "asks": None,
        "about": (),
        "qualifiers": (),
        "sign": 1,
        "stands": True,
        "followed": True,
        "evidence": "obo:ECO_0000303",
        "studies": ("doc:inside-blood-2014",),
        "reported_in": "doc:inside-blood-2014",
        "source": "doc:inside-blood-2014",
        "quote": "combination trials with rituximab",
        "context": (("disease", "ent:CLL"), ("subgroup", "ent:relapsed-CLL-patients")),
        "replaced_by": (),
        "contested_by": (),
        "contradicts": (),
        "contrasts_with": (),
        "curated_by": (),
        "curated_on": None,
    }


def test_a_question_row_has_no_triple(frame):
    row = frame.set_index("claim").loc["claim:X-06"]
    assert row[["subject", "relation", "object", "sign"]].isna().all()
    assert (row["question"], row["asks"], row["about"], row["status"]) == (
        True,
        "imid:MechanismQuestion",
        ("claim:X-02",),
        "open-question",
    )
    assert (row["stands"], row["followed"]) == (False, False)


def test_qualifiers_statuses_and_claim_links(frame):
    rows = frame.set_index("claim")
    assert rows.loc["claim:X-02", "qualifiers"] == ("necessary",)
    assert rows.loc["claim:X-07", "qualifiers"] == ("independent",)
    assert (rows.loc["claim:X-07", "stands"], rows.loc["claim:X-07", "followed"]) == (False, False)
    assert rows.loc["claim:X-09", "qualifiers"] == ("mRNA-level",)
    assert rows.loc["claim:X-04", "status"] == "interpretation" and not rows.loc["claim:X-04", "followed"]
    assert rows.loc["claim:X-05", "status"] == "historical-proposal"
    assert rows.loc["claim:X-08", "contested_by"] == ("claim:X-02",)
    assert rows.loc["claim:X-08", "sign"] == -1
    assert pd.isna(rows.loc["claim:X-10", "sign"])  # binds: not causal
    # a status is an ordered category: the findings are the strongest
    assert rows.loc["claim:X-08", "status"] < rows.loc["claim:X-06", "status"]


def test_the_shipped_curation_date_is_a_utc_timestamp():
    frame = imid_onto.claims_frame()
    assert frame["curated_on"].notna().all()
    assert frame["curated_on"].min() >= pd.Timestamp("2026-01-01", tz="UTC")


def test_a_named_querys_answer_as_a_frame_is_the_commands_answer(java):
    table = with_dataset(
        lambda dataset: run_query(dataset, named_query("downstream-effects"), {"protein": ["IKZF1"]}), cache=True
    )
    frame = imid_onto.query_frame("downstream-effects", protein="IKZF1")
    assert list(frame.columns) == table.columns
    assert len(frame) == len(table.rows) > 0
    assert str(frame["steps"].dtype) == "Int64" and str(frame["effect"].dtype) == "string"
    assert frame["protein"].unique().tolist() == ["ent:IKZF1"]
    text = format_table(table, "text").splitlines()[1:-1]  # the command's table shows CURIEs too
    assert [r.split()[:3] for r in text] == frame[["protein", "start", "effect"]].values.tolist()
    done = imid("query", "downstream-effects", "--param", "protein=IKZF1", "--format", "csv")
    assert done.returncode == 0 and len(done.stdout.splitlines()) == len(frame) + 1


def test_several_values_of_a_parameter_and_the_defaults(java):
    both = imid_onto.query_frame("downstream-effects", protein=["IKZF1", "Aiolos"])
    assert sorted(both["protein"].unique()) == ["ent:IKZF1", "ent:IKZF3"]
    assert both.equals(imid_onto.query_frame("downstream-effects"))  # the defaults: IKZF1, IKZF3


def test_a_parameter_value_is_bound_never_pasted_into_the_query(java):
    with pytest.raises(imid_onto.InputError, match="no entity"):
        imid_onto.query_frame("evidence-for", entity='IKZF1" } } SELECT * WHERE { ?s ?p ?o } #')
    with pytest.raises(imid_onto.InputError, match="has no parameter 'drug'"):
        imid_onto.query_frame("evidence-for", drug="lenalidomide")
    with pytest.raises(imid_onto.InputError, match="no query named 'nothing'"):
        imid_onto.query_frame("nothing")


def _graphml_value(value):
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def test_the_causal_graph_is_the_graphml_exports_graph(model2, tmp_path):
    graph = imid_onto.causal_graph(graph=model2)
    assert isinstance(graph, nx.MultiDiGraph)
    path = tmp_path / "claims.graphml"
    path.write_text(export("graphml", model2).text, encoding="utf-8")
    exported = nx.read_graphml(path)
    assert sorted(graph.nodes) == sorted(exported.nodes)
    assert {n: {k: _graphml_value(v) for k, v in a.items()} for n, a in graph.nodes(data=True)} == {
        n: {k: a.get(k, "") for k in graph.nodes[n]} for n, a in exported.nodes(data=True)
    }
    ours = {k: (s, t, {n: _graphml_value(v) for n, v in a.items()}) for s, t, k, a in graph.edges(keys=True, data=True)}
    names = list(next(iter(ours.values()))[2])
    theirs = {a["claim"]: (s, t, {n: a.get(n, "") for n in names}) for s, t, a in exported.edges(data=True)}
    assert ours == theirs
    # every claim is an edge but those left out: the fixture's question and "independent"
    # claim, and the shipped knowledge base's own
    assert graph.number_of_edges() == len(read_claims(model2)) - len(graph.graph["left_out"])
    assert {k: v for k, v in graph.graph["left_out"].items() if k.startswith("claim:X-")} == {
        "claim:X-06": "question (no subject, relation and object to state)",
        "claim:X-07": "qualifier independent (the object happens without the subject): not a causal edge",
    }


def test_a_causal_graph_edge_carries_status_sign_claim_studies_and_quote(model2):
    graph = imid_onto.causal_graph(graph=model2)
    ent = "https://w3id.org/imid-onto/kb/entity/"
    edge = graph.edges[ent + "CRBN-knockdown", ent + "CLL-proliferation-inhibition", CLAIM_IRI + "X-08"]
    assert {k: edge[k] for k in ("status", "sign", "causal", "studies", "quote", "contested_by", "context")} == {
        "status": "EstablishedFinding",
        "sign": -1,
        "causal": True,
        "studies": ["doc:fecteau-2014"],
        "quote": "knockdown of cereblon",
        "contested_by": ["claim:X-02"],
        "context": ["contextCellType=ent:CLL-cell"],
    }


def test_statuses_and_causal_only_keep_those_edges(model2):
    whole = imid_onto.causal_graph(graph=model2)
    findings = imid_onto.causal_graph("finding", graph=model2)
    assert {a["status"] for *_, a in findings.edges(data=True)} == {"EstablishedFinding"}
    assert findings.number_of_edges() == sum(a["status"] == "EstablishedFinding" for *_, a in whole.edges(data=True))
    assert all(findings.degree(n) > 0 for n in findings.nodes)  # no node left without an edge
    open_or_hypothesis = imid_onto.causal_graph(["open-question", "hypothesis"], graph=model2)
    assert {a["status"] for *_, a in open_or_hypothesis.edges(data=True)} == {"OpenQuestion", "Hypothesis"}
    by_iri = imid_onto.causal_graph(["imid:Interpretation"], graph=model2)
    assert {a["status"] for *_, a in by_iri.edges(data=True)} == {"Interpretation"}
    assert [k for *_, k in by_iri.edges(keys=True) if k.startswith(CLAIM_IRI + "X-")] == [CLAIM_IRI + "X-04"]
    causal = imid_onto.causal_graph(causal_only=True, graph=model2)
    assert {a["causal"] for *_, a in causal.edges(data=True)} == {True}
    assert CLAIM_IRI + "X-10" not in {k for *_, k in causal.edges(keys=True)}  # binds
    with pytest.raises(imid_onto.InputError, match="unknown status 'proven'"):
        imid_onto.causal_graph("proven", graph=model2)


def test_without_pandas_or_networkx_each_says_what_to_install(monkeypatch):
    import builtins

    real = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name in ("pandas", "networkx"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    for call in (imid_onto.claims_frame, imid_onto.causal_graph, lambda: imid_onto.query_frame("contexts")):
        with pytest.raises(imid_onto.InputError, match=r"pip install 'imid-onto\[frames\]'"):
            call()


def test_the_readmes_example_runs(shipped):
    """The README's "Without SPARQL" block, run as it is written."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("### Without SPARQL", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    for name in ("claims_frame(", "query_frame(", "causal_graph("):
        assert f"imid_onto.{name}" in block
    done = subprocess.run([sys.executable, "-c", block], capture_output=True, text=True, timeout=600, cwd=REPO)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    by_status = Counter(next(n for n, iri in STATUSES.items() if iri == c.status) for c in read_claims(shipped))
    assert lines[0] == str({name: by_status[name] for name in STATUSES if by_status[name]})
    assert lines[1].split() == ["effect", "steps", "status"]
    assert lines[-1].startswith("https://w3id.org/imid-onto/kb/claim/") and " EstablishedFinding " in lines[-1]
