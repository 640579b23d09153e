"""Nanopublications and the mechanism diagram in claim model 2, on the query rules' fixture
graph (tests/fixtures/queries/model2.ttl): a question (no triple) gets a nanopublication that
asserts what it asks and about what, and no plain edge; the document that reports a claim
is provenance; the diagram draws a drug-bound receptor with its drug and its receptor, and
leaves out questions and "independent" claims."""

from __future__ import annotations

from rdflib import Graph, URIRef

from imid_onto.model.claims import claim_rows
from imid_onto.publish.mechanism import mechanism_edges
from imid_onto.publish.nanopub import NANOPUB, nanopublications
from imid_onto.vocab import IMID, RDF

from ..conftest import FIXTURES

T = "https://w3id.org/imid-onto/test/"


def fixture() -> Graph:
    return Graph().parse(FIXTURES / "queries" / "model2.ttl")


def test_a_question_gets_a_nanopublication_without_an_edge():
    quads = nanopublications(fixture())
    in_graph: dict[tuple[str, str], set] = {}
    for s, p, o, g in quads:  # the graphs of np:X/RA<code>/assertion, keyed (X, assertion)
        claim, _, rest = str(g).removeprefix(NANOPUB).partition("/")
        in_graph.setdefault((claim, rest.rsplit("/", 1)[-1]), set()).add((s, p, o))
    q1 = URIRef(T + "q1")
    assertion, provenance = in_graph["q1", "assertion"], in_graph["q1", "provenance"]
    assert {(p, o) for s, p, o in assertion if s == q1} >= {
        (RDF.type, IMID.Question),
        (IMID.asks, IMID.MechanismQuestion),
        (IMID.isAbout, URIRef(T + "a1")),
        (IMID.hasStatus, IMID.OpenQuestion),
    }
    assert {s for s, _, _ in assertion} == {q1}  # no plain edge: a question states no triple
    assert (q1, IMID.reportedIn, URIRef(T + "docA")) in provenance
    # a finding's edge is asserted; one qualified "independent" is not (it is no causal edge)
    assert (URIRef(T + "drug-R"), IMID.inducesDegradationOf, URIRef(T + "P")) in in_graph["g1", "assertion"]
    x1 = in_graph["x1", "assertion"]
    assert (URIRef(T + "T"), IMID.actsUpstreamOfPositiveEffect, URIRef(T + "death")) not in x1


def test_the_claims_listing_takes_questions():
    rows = {row.iri.removeprefix(T): row for row in claim_rows(fixture())}
    assert len(rows) == 30 and rows["q1"].quote == "the mechanism is not known"
    assert rows["q1"].statement == "imid:MechanismQuestion about drug one raises L"


def test_the_diagram_draws_the_drug_bound_receptor_and_no_question_or_independent_claim():
    names = ("drug", "drug2", "R", "drug-R", "drug2-R", "P", "P-deg", "P-fall", "T", "death")
    t = {name: URIRef(T + name) for name in names}
    edges = mechanism_edges(fixture())
    assert {e for e in edges if e[3] is None} == {
        (t["drug"], "bound in", t["drug-R"], None),
        (t["drug2"], "bound in", t["drug2-R"], None),
        (t["R"], "drug-bound form", t["drug-R"], None),
        (t["R"], "drug-bound form", t["drug2-R"], None),
        (t["P"], "degraded", t["P-deg"], None),
        (t["P"], "decreased", t["P-fall"], None),  # a fall in P's level, as measured, has effects too
    }
    assert (t["drug-R"], "induces degradation of", t["P"], IMID.EstablishedFinding) in edges
    assert not [e for e in edges if t["T"] in (e[0], e[2])]  # x1: cell death happens independent of T


def test_the_duplicate_scan_and_the_cycle_check_take_questions():
    from imid_onto.validation.cycles import causal_cycle_results
    from imid_onto.validation.duplicates import duplicate_claims, scan

    facts = scan(FIXTURES / "queries" / "model2.ttl")
    assert facts is not None and len(facts.claims) == 30 and duplicate_claims([facts]) == []
    assert causal_cycle_results(fixture(), lambda term: (str(term), "iri")) == []
