"""HermiT, through owlready2: consistency, classification of the defined classes, and a
clear error (not a traceback) without Java."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

import pytest
from rdflib import RDFS, Graph, URIRef

from imid_onto import ReasonerUnavailable
from imid_onto.io.rdf import read_graph
from imid_onto.reasoning.infer import reasoner_input, run_hermit
from imid_onto.vocab import ENT, IMID, RDF

from ..conftest import FIXTURES, cli

T = "https://w3id.org/imid-onto/test/"


def test_shipped_ontology_and_entities_are_consistent_and_classified(java):
    result = run_hermit(reasoner_input())
    assert result.consistent
    assert result.unsatisfiable == []
    inferred_types = {(s, o) for s, o in result.inferred.subject_objects(RDF.type)}
    assert inferred_types == {
        # The Stewart legend (KG-93..98): all three drugs bind cereblon, which then targets
        # IKZF1/IKZF3 for degradation, so HermiT classifies each as a glue degrader.
        (ENT.thalidomide, IMID.MolecularGlueDegrader),
        (ENT.lenalidomide, IMID.MolecularGlueDegrader),
        (ENT.pomalidomide, IMID.MolecularGlueDegrader),
        (ENT.IKZF1, IMID.Neosubstrate),
        (ENT.IKZF3, IMID.Neosubstrate),
    }


def test_reasoner_input_leaves_claims_out():
    graph = reasoner_input()
    assert not list(graph.subjects(RDF.type, IMID.Claim))


@pytest.mark.slow
def test_defined_classes_classify_as_expected(java):
    graph = reasoner_input()
    read_graph(FIXTURES / "reasoning" / "glue-degrader.ttl", graph)
    result = run_hermit(graph)
    assert result.consistent
    types = {(str(s), o) for s, o in result.inferred.subject_objects(RDF.type) if str(s).startswith(T)}
    assert types == {(T + "glue", IMID.MolecularGlueDegrader), (T + "target", IMID.Neosubstrate)}


def test_an_inconsistent_fixture_is_reported(java):
    graph = reasoner_input()
    read_graph(FIXTURES / "reasoning" / "inconsistent.ttl", graph)
    result = run_hermit(graph)
    assert result.consistent is False
    assert len(result.inferred) == 0


def test_missing_java_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no java on PATH
    with pytest.raises(ReasonerUnavailable, match="HermiT needs Java"):
        run_hermit(reasoner_input())


@pytest.mark.slow
def test_missing_java_build_falls_back_to_owl_rl_without_traceback(tmp_path):
    env = dict(os.environ, PATH=str(Path(sys.executable).parent))  # python, but no java
    done = cli("build", "--out", str(tmp_path / "out"), env=env)
    assert done.returncode == 0, done.stderr
    # OWL 2 RL stands in, with a warning; without Graphviz the diagram is skipped, with the reason
    assert "Reasoner: owlrl" in done.stdout and "consistent; 5 inferred triples" in done.stdout
    assert "imid-onto: warning: OWL 2 RL (owlrl) stands in for HermiT" in done.stderr
    assert "Skipped: mechanism diagram: Graphviz's dot is not on PATH" in done.stdout
    assert (tmp_path / "out" / "imid-inferred.ttl").is_file()
    assert "Traceback" not in done.stderr


def test_cli_reason_names_the_individual_behind_an_inconsistency(java):
    done = cli("reason", str(FIXTURES / "reasoning" / "inconsistent.ttl"))
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "imid-onto: error: inconsistent: https://w3id.org/imid-onto/test/chimera is both "
        "https://w3id.org/imid-onto/ontology#Protein and https://w3id.org/imid-onto/ontology#SmallMolecule, "
        "which are disjoint"
    )


@pytest.mark.slow
def test_the_input_hash_is_the_same_for_the_same_input():
    from imid_onto.reasoning.infer import infer_rl, reasoner_input

    # Blank-node labels differ on every parse; the hash recorded in the provenance must not.
    assert infer_rl(reasoner_input()).input_sha256 == infer_rl(reasoner_input()).input_sha256


@pytest.mark.slow
def test_cli_reason_reports_and_writes_provenance(java, tmp_path):
    out = tmp_path / "inferred.ttl"
    done = cli("reason", "--out", str(out), env={**os.environ, "SOURCE_DATE_EPOCH": "1763683200"})
    assert done.returncode == 0, done.stderr
    assert "Consistent: yes" in done.stdout
    assert [line.strip() for line in done.stdout.splitlines() if line.startswith("  ")] == [
        "ent:IKZF1 rdf:type imid:Neosubstrate",
        "ent:IKZF3 rdf:type imid:Neosubstrate",
        "ent:lenalidomide rdf:type imid:MolecularGlueDegrader",
        "ent:pomalidomide rdf:type imid:MolecularGlueDegrader",
        "ent:thalidomide rdf:type imid:MolecularGlueDegrader",
    ]
    graph = Graph().parse(out)
    prov = "http://www.w3.org/ns/prov#"
    inferred_graph = "https://w3id.org/imid-onto/kb/inferred"
    assert [o.toPython() for o in graph.objects(predicate=URIRef(prov + "generatedAtTime"))] == [
        datetime.datetime(2025, 11, 21, tzinfo=datetime.UTC)
    ]  # from SOURCE_DATE_EPOCH, not the clock
    activity = graph.value(URIRef(inferred_graph), URIRef(prov + "wasGeneratedBy"))
    assert "HermiT" in str(graph.value(activity, RDFS.label))
    assert (URIRef("https://w3id.org/imid-onto/kb/entity/lenalidomide"), RDF.type, IMID.MolecularGlueDegrader) in graph
