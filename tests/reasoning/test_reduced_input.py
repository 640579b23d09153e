"""The reasoner's summarized input (imid_onto.reasoning.reduce) entails what the whole input does:
the fast path (infer) and the reference path (HermiT, or OWL 2 RL, on everything but the
claims) give the same inferred triples and the same verdict."""

from __future__ import annotations

import pytest
from benchmarks.synthetic import BASE, generate
from rdflib import URIRef

from imid_onto.io.rdf import read_graph, to_store
from imid_onto.model.kb import open_store, sources
from imid_onto.reasoning.infer import infer, infer_rl, reasoner_input, run_hermit
from imid_onto.reasoning.reduce import property_roles, summarize
from imid_onto.vocab import ENT, IMID, OBO, OWL, RDF, RDFS

from ..conftest import FIXTURES


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("summary") / "synthetic.ttl", 1000, seed=3).path


def test_property_roles_of_the_shipped_ontology():
    store = open_store(sources([]), plain_edges=False)
    inert, domain_range = property_roles(store)
    causal = {IMID.causallyUpstreamOf, IMID.causallyUpstreamOfPositiveEffect, IMID.causallyUpstreamOfNegativeEffect}
    assert {str(p) for p in causal} <= inert  # only transitivity and sub-properties: inert
    assert str(OBO.RO_0002411) in inert
    # Mentioned in class expressions (binds, inducesDegradationOf and its inverse): never left out or replaced.
    for prop in (IMID.binds, IMID.inducesDegradationOf, IMID.isDegradedVia, IMID.hasStatus):
        assert str(prop) not in inert and str(prop) not in domain_range
    assert str(IMID.hasInput) in domain_range and str(IMID.occursIn) in domain_range
    assert str(IMID.inDiseaseContext) in domain_range and str(IMID.sourceTextFile) in domain_range
    assert not inert & domain_range


def test_representatives_stand_for_individuals_described_alike(synthetic):
    store = open_store(sources([synthetic]))
    summary = summarize(store)
    assert summary.members, "the synthetic events should be grouped"
    graph = reasoner_input(files=[synthetic])
    for representative, members in summary.members.items():
        kinds = set(graph.objects(representative, RDF.type))
        for member in members:
            assert set(graph.objects(member, RDF.type)) == kinds
            assert (member, None, None) not in summary.graph and (None, None, member) not in summary.graph
    # No claim, no causal edge and no label reaches the reasoner.
    assert not list(summary.graph.subjects(RDF.type, IMID.Claim))
    assert not list(summary.graph.triples((None, IMID.causallyUpstreamOf, None)))

    def events(g):
        return {s for s in g.subjects() if str(s).startswith(BASE + "event-")}

    assert len(events(summary.graph)) * 5 < len(events(graph))  # events are grouped by kind


def _same_answer(graph):
    """infer (summarized) against run_hermit (HermiT on all of ``graph``)."""
    fast, reference = infer(graph), run_hermit(graph)
    assert fast.consistent == reference.consistent
    assert set(fast.inferred) == set(reference.inferred)
    assert fast.unsatisfiable == reference.unsatisfiable
    return fast


@pytest.mark.slow
def test_the_shipped_knowledge_base_summarized_gives_the_same_inferences(java):
    fast = _same_answer(reasoner_input())
    assert {(s, o) for s, o in fast.inferred.subject_objects(RDF.type)} == {
        (ENT.thalidomide, IMID.MolecularGlueDegrader),  # the Stewart legend, KG-93..98
        (ENT.lenalidomide, IMID.MolecularGlueDegrader),
        (ENT.pomalidomide, IMID.MolecularGlueDegrader),
        (ENT.IKZF1, IMID.Neosubstrate),
        (ENT.IKZF3, IMID.Neosubstrate),
    }


@pytest.mark.slow
def test_a_synthetic_knowledge_base_summarized_gives_the_same_inferences(java, synthetic):
    fast = _same_answer(reasoner_input(files=[synthetic]))
    glues = {s for s in fast.inferred.subjects(RDF.type, IMID.MolecularGlueDegrader)}
    # The generator makes the drugs that bind protein-0 (a substrate receptor) and degrade a protein glues.
    graph = reasoner_input(files=[synthetic])
    receptor = URIRef(BASE + "protein-0")
    expected = {d for d in graph.subjects(IMID.binds, receptor) if (d, IMID.inducesDegradationOf, None) in graph}
    assert expected and glues == expected
    neosubstrates = set(fast.inferred.subjects(RDF.type, IMID.Neosubstrate))
    assert neosubstrates == {p for d in expected for p in graph.objects(d, IMID.inducesDegradationOf)}


@pytest.mark.slow
def test_fixtures_summarized_give_the_same_verdicts(java):
    for name in ("glue-degrader.ttl", "inconsistent.ttl"):
        graph = reasoner_input()
        read_graph(FIXTURES / "reasoning" / name, graph)
        _same_answer(graph)


@pytest.mark.slow
def test_owl_rl_on_the_summary_gives_what_it_gives_on_everything(synthetic):
    graph = reasoner_input(files=[synthetic])
    summary = summarize(to_store(graph))
    assert set(summary.expand(infer_rl(summary.graph).inferred)) == set(infer_rl(graph).inferred)


def test_the_shipped_enumerations_are_given_as_assertions():
    summary = summarize(open_store(sources([])))
    assert summary.enumerations == [IMID.EpistemicStatus, IMID.ExperimentalSystem, IMID.Qualifier, IMID.QuestionKind]
    assert not list(summary.graph.triples((None, OWL.oneOf, None)))
    assert set(summary.graph.subjects(RDF.type, IMID.EpistemicStatus)) == {
        IMID.EstablishedFinding,
        IMID.Hypothesis,
        IMID.OpenQuestion,
        IMID.Interpretation,
        IMID.HistoricalProposal,
        IMID.Superseded,
    }
    assert len(set(summary.graph.subjects(RDF.type, IMID.Qualifier))) == 7
    assert len(set(summary.graph.subjects(RDF.type, IMID.QuestionKind))) == 5
    assert set(summary.graph.subjects(RDF.type, IMID.ExperimentalSystem)) == {
        IMID.InVitro,
        IMID.InVivo,
        IMID.PrimaryPatientSamples,
        IMID.ClinicalObservation,
    }


_PREFIXES = """@prefix ex: <https://w3id.org/imid-onto/test/> .
@prefix imid: <https://w3id.org/imid-onto/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def _data(folder, body: str):
    """A Turtle file of ``body`` (with the prefixes ex:, imid:, owl:, rdfs:) in ``folder``."""
    path = folder / "data.ttl"
    path.write_text(_PREFIXES + body, encoding="utf-8")
    return path


#: Data under which the enumeration of epistemic statuses bears on what is inferred.
_ENUMERATION_MATTERS = {
    # All six statuses are "Reviewed": with the enumeration, so is every epistemic status.
    "members-typed": """
        ex:Reviewed a owl:Class .
        imid:EstablishedFinding a ex:Reviewed . imid:Hypothesis a ex:Reviewed .
        imid:OpenQuestion a ex:Reviewed . imid:Superseded a ex:Reviewed .
        imid:Interpretation a ex:Reviewed . imid:HistoricalProposal a ex:Reviewed .""",
    # Another status is one of the six: it is what all six are.
    "another-member": """
        ex:Reviewed a owl:Class .
        imid:EstablishedFinding a ex:Reviewed . imid:Hypothesis a ex:Reviewed .
        imid:OpenQuestion a ex:Reviewed . imid:Superseded a ex:Reviewed .
        imid:Interpretation a ex:Reviewed . imid:HistoricalProposal a ex:Reviewed .
        ex:tentative a owl:NamedIndividual, imid:EpistemicStatus .""",
    # A property with that range, and assertions: kept.
    "asserted-range": """
        ex:statusOf a owl:ObjectProperty ; rdfs:range imid:EpistemicStatus .
        ex:thing ex:statusOf ex:tentative .""",
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(_ENUMERATION_MATTERS))
def test_an_enumeration_that_bears_on_the_answer_is_kept(java, tmp_path, case):
    data = _data(tmp_path, _ENUMERATION_MATTERS[case])
    summary = summarize(open_store(sources([data])))
    # the statuses' is kept as it is
    assert summary.enumerations == [IMID.ExperimentalSystem, IMID.Qualifier, IMID.QuestionKind]
    fast = _same_answer(reasoner_input(files=[data]))
    reviewed = URIRef("https://w3id.org/imid-onto/test/Reviewed")
    # Where the six are all "Reviewed", the reasoner says so of every epistemic status: a summary
    # without the enumeration would not.
    assert ((IMID.EpistemicStatus, RDFS.subClassOf, reviewed) in fast.inferred) == (case != "asserted-range")


#: Enumerations that step 5 must leave as they are: the reasoner's answer depends on them,
#: or the summary would not give it the same way.
_DISJOINT_PAIR = """
        ex:A a owl:Class ; owl:disjointWith ex:B . ex:B a owl:Class .
        ex:x a owl:NamedIndividual, ex:A . ex:y a owl:NamedIndividual, ex:B ."""
_ENUMERATION_KEPT = {
    # Everything is a: x and y are the same individual, of two disjoint classes.
    "thing": """
        owl:Thing owl:equivalentClass [ a owl:Class ; owl:oneOf ( ex:a ) ] .
        ex:a a owl:NamedIndividual ."""
    + _DISJOINT_PAIR,
    # The top property's range: everything is C, so a.
    "top-property": """
        owl:topObjectProperty rdfs:range ex:C .
        ex:C a owl:Class ; owl:equivalentClass [ a owl:Class ; owl:oneOf ( ex:a ) ] .
        ex:a a owl:NamedIndividual, ex:C ."""
    + _DISJOINT_PAIR,
    # A member not typed C: the reasoner infers it, and so must the summarized path.
    "untyped-member": """
        ex:C a owl:Class ; owl:equivalentClass [ a owl:Class ; owl:oneOf ( ex:a ) ] .
        ex:a a owl:NamedIndividual .""",
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(_ENUMERATION_KEPT))
def test_an_enumeration_the_proof_does_not_cover_is_kept(java, tmp_path, case):
    data = _data(tmp_path, _ENUMERATION_KEPT[case])
    summary = summarize(open_store(sources([data])))
    # only the shipped ones
    assert summary.enumerations == [IMID.EpistemicStatus, IMID.ExperimentalSystem, IMID.Qualifier, IMID.QuestionKind]
    fast = _same_answer(reasoner_input(files=[data]))
    assert fast.consistent == (case == "untyped-member")
    if case == "untyped-member":
        member = URIRef("https://w3id.org/imid-onto/test/a")
        assert (member, RDF.type, URIRef("https://w3id.org/imid-onto/test/C")) in fast.inferred
