"""The mechanism diagram: its edges come from the claims (each with its best status, no
negated edge), the release's SVG names the steps, and a build without Graphviz says why it
skipped the diagram."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, URIRef

from imid_onto import build, load_knowledge_base
from imid_onto.vocab import ENT, IMID


def test_mechanism_diagram(release):
    out, _ = release
    svg = ET.parse(out / "mechanism.svg").getroot()
    texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    for label in (
        "lenalidomide",
        "CRBN",
        "CRL4-CRBN",
        "IKZF1",
        "IKZF3",
        "IKZF1 degradation",
        "IRF4 down-regulation",
        "myeloma cell death",
        "IL-2 up-regulation",
        "p21 up-regulation",
        "hypothesis",
        "open question",
        "established finding",
        "superseded",
    ):
        assert label in texts, label
    assert (out / "mechanism.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


MECHANISM_FIXTURE = """
@prefix imid: <https://w3id.org/imid-onto/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix t: <https://w3id.org/imid-onto/test/> .
t:deg a imid:ProteasomalDegradation ; imid:hasInput t:P .
t:c1 a imid:Claim ; rdf:subject t:drug ; rdf:predicate imid:binds ; rdf:object t:R ;
    imid:hasStatus imid:EstablishedFinding .
t:c2 a imid:Claim ; rdf:subject t:drug ; rdf:predicate imid:inducesDegradationOf ; rdf:object t:P ;
    imid:hasStatus imid:EstablishedFinding .
t:c3 a imid:Claim ; rdf:subject t:deg ; rdf:predicate imid:causallyUpstreamOfPositiveEffect ; rdf:object t:E1 ;
    imid:hasStatus imid:Hypothesis .
t:c4 a imid:Claim ; rdf:subject t:deg ; rdf:predicate imid:causallyUpstreamOfPositiveEffect ; rdf:object t:E1 ;
    imid:hasStatus imid:EstablishedFinding .
t:c5 a imid:Claim ; rdf:subject t:deg ; rdf:predicate imid:causallyUpstreamOfNegativeEffect ; rdf:object t:E2 ;
    imid:hasStatus imid:EstablishedFinding ; imid:isNegated true .
t:c6 a imid:Claim ; rdf:subject t:E1 ; rdf:predicate imid:causallyUpstreamOfNegativeEffect ; rdf:object t:E3 ;
    imid:hasStatus imid:Superseded .
t:c7 a imid:Claim ; rdf:subject t:X ; rdf:predicate imid:causallyUpstreamOfPositiveEffect ; rdf:object t:Y ;
    imid:hasStatus imid:EstablishedFinding .
"""


def test_mechanism_edges_come_from_claims_and_carry_their_best_status():
    from imid_onto.publish.mechanism import mechanism_edges

    graph = Graph().parse(data=MECHANISM_FIXTURE, format="turtle")
    t = "https://w3id.org/imid-onto/test/"
    T = {name: URIRef(t + name) for name in ("drug", "R", "P", "deg", "E1", "E2", "E3")}
    assert mechanism_edges(graph) == sorted(
        [
            (T["drug"], "binds", T["R"], IMID.EstablishedFinding),
            (T["drug"], "induces degradation of", T["P"], IMID.EstablishedFinding),
            (T["P"], "degraded", T["deg"], None),
            (T["deg"], "+", T["E1"], IMID.EstablishedFinding),  # the best of a hypothesis and a finding
            (T["E1"], "\u2212", T["E3"], IMID.Superseded),
        ],
        key=lambda e: tuple(str(x) for x in e),
    )  # no negated edge to E2; X -> Y is not downstream


def test_shipped_mechanism_edges():
    from imid_onto.publish.mechanism import mechanism_edges

    edges = set(mechanism_edges(load_knowledge_base()))
    assert (ENT.lenalidomide, "binds", ENT.CRBN, IMID.EstablishedFinding) in edges
    assert (ENT.lenalidomide, "induces degradation of", ENT.IKZF1, IMID.EstablishedFinding) in edges
    assert (ENT.IKZF1, "degraded", ENT["IKZF1-degradation"], None) in edges
    assert (ENT["IKZF1-degradation"], "+", ENT["CDKN1A-upregulation"], IMID.OpenQuestion) in edges


@pytest.mark.slow  # a build of its own, beside the session's release
def test_build_without_graphviz_says_why_and_still_builds(tmp_path, monkeypatch):
    import imid_onto.publish.mechanism as mechanism

    def no_dot(graph):
        raise mechanism.MechanismUnavailable("Graphviz's dot is not on PATH (Debian: apt-get install graphviz)")

    monkeypatch.setattr(mechanism, "render_mechanism", no_dot)
    result = build(tmp_path / "out", run_reasoner=False, site=False)
    assert "mechanism.svg" not in result.sizes and (tmp_path / "out" / "imid-kb.ttl").is_file()
    assert result.skipped["mechanism diagram"].startswith("Graphviz's dot is not on PATH")
