"""ROBOT's report, the quality check OBO ontologies pass before a release, with its own
queries and default profile (../shared/conformance/robot-report), run by pyoxigraph over
the ontology as released (imid.ttl: the ontology with its external terms, as ROBOT runs
over an ontology with its imports merged) and over the knowledge base as released
(imid-kb.ttl): no ERROR row in the ontology, every WARN row listed with its reason in
docs/design/owl.md, and in the knowledge base only the ERROR rows that note lists.
Definitions as OBO tools read them (IAO:0000115, IAO:0000119) and the OWL API's view:
tests/ontology/test_owl_api.py."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from imid_onto import load_knowledge_base
from imid_onto.publish.kb_ontology import KB_IRI, knowledge_base_ontology
from imid_onto.publish.release import ontology_graph
from imid_onto.vocab import DCTERMS, IMID, OBO, OWL, RDF, RDFS, SKOS, curie, expand

from .obo import listed, robot_report


@pytest.fixture(scope="module")
def ontology_report(robot_report_dir):
    return robot_report(ontology_graph(), robot_report_dir)


@pytest.fixture(scope="module")
def released_kb():
    return knowledge_base_ontology(load_knowledge_base())


@pytest.fixture(scope="module")
def kb_report(robot_report_dir, released_kb):
    return robot_report(released_kb, robot_report_dir)


def test_the_ontology_has_no_error_row(ontology_report):
    errors = [row for row in ontology_report if row.level == "ERROR"]
    assert errors == []


def test_every_warn_row_of_the_ontology_is_listed_with_its_reason(ontology_report):
    """A new WARN row (a term without a definition, say) is fixed, or added to the note's
    table with its reason; a row the note lists that the report no longer gives is taken out."""
    warned = {(row.check, row.entity) for row in ontology_report if row.level == "WARN"}
    assert warned == listed("WARN rows of the ontology")


def test_the_knowledge_base_has_only_the_error_rows_the_note_explains(kb_report, released_kb):
    """Its header is complete and single; its only ERROR rows are entities named as the
    external (or ontology) term that they are an instance of or match, which the note lists
    with the reason."""
    errors = [row for row in kb_report if row.level == "ERROR"]
    assert {row.check for row in errors} == {"duplicate_label"}
    by_label: dict[str, set[str]] = {}
    for row in errors:
        by_label.setdefault(row.value, set()).add(row.entity)
    pairs = set()
    for label, terms in by_label.items():
        entities = sorted(t for t in terms if t.startswith("ent:"))
        others = sorted(t for t in terms if not t.startswith("ent:"))
        assert len(entities) == 1 and len(others) == 1, (label, terms)
        entity = URIRef(expand(entities[0]) or entities[0])
        linked = {
            curie(o)
            for p in (RDF.type, SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch)
            for o in released_kb.objects(entity, p)
        }
        assert others[0] in linked, f"{entities[0]} shares its label {label!r} with {others[0]}, which it is not"
        pairs.add(("duplicate_label", entities[0]))
        pairs.add(("duplicate_label", others[0]))
    assert pairs == listed("ERROR rows of the knowledge base")


def test_the_knowledge_base_is_one_ontology_with_its_own_header(released_kb):
    assert set(released_kb.subjects(RDF.type, OWL.Ontology)) == {KB_IRI}
    assert released_kb.value(KB_IRI, OWL.imports) == URIRef("https://w3id.org/imid-onto/ontology")
    assert released_kb.value(KB_IRI, OWL.versionIRI) == URIRef("https://w3id.org/imid-onto/releases/0.1.0/kb")
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license):
        assert released_kb.value(KB_IRI, prop) is not None, prop


def test_definitions_are_given_as_obo_tools_read_them(ontology_graph):
    """Every imid term's skos:definition is also its IAO:0000115 (the same text), and the
    sources of the definition (dcterms:source) are also its IAO:0000119."""
    problems = []
    own = sorted({s for s in ontology_graph.subjects(RDFS.isDefinedBy, URIRef("https://w3id.org/imid-onto/ontology"))})
    assert len(own) > 70
    for term in own:
        if not str(term).startswith(str(IMID)):
            continue
        skos = set(ontology_graph.objects(term, SKOS.definition))
        iao = set(ontology_graph.objects(term, OBO.IAO_0000115))
        if skos != iao or len(iao) != 1:
            problems.append(f"{curie(term)}: IAO:0000115 {sorted(iao)} is not its skos:definition {sorted(skos)}")
        sources = set(ontology_graph.objects(term, DCTERMS.source))
        if set(ontology_graph.objects(term, OBO.IAO_0000119)) != sources:
            problems.append(f"{curie(term)}: IAO:0000119 is not its dcterms:source {sorted(sources)}")
    assert problems == []


def test_imid_relations_are_not_named_as_ro_names_its_relations(ontology_graph):
    """The four relations that reused RO's labels exactly now have their own (ROBOT's
    duplicate_label is an ERROR)."""
    labels = {str(ontology_graph.value(IMID[name], RDFS.label)) for name in ("causallyUpstreamOf", "hasInput")}
    assert labels == {"is causally upstream of", "has molecular input"}
    external = {
        str(label) for term, label in ontology_graph.subject_objects(RDFS.label) if str(term).startswith(str(OBO))
    }
    own = {str(label) for term, label in ontology_graph.subject_objects(RDFS.label) if str(term).startswith(str(IMID))}
    assert own & external == set()


def test_the_report_is_not_vacuous(robot_report_dir):
    """A graph with the faults of the ERROR checks imid-onto passes gives their rows."""
    from rdflib import Graph, Literal

    graph = Graph()
    a, b = URIRef("https://example.org/a"), URIRef("https://example.org/b")
    graph.add((a, RDF.type, OWL.Class))
    graph.add((b, RDF.type, OWL.Class))
    graph.add((a, RDFS.label, Literal("same", lang="en")))
    graph.add((b, RDFS.label, Literal("same", lang="en")))
    graph.add((URIRef("https://example.org/o"), RDF.type, OWL.Ontology))
    rows = robot_report(graph, robot_report_dir)
    found = {(row.level, row.check) for row in rows}
    assert {
        ("ERROR", "duplicate_label"),
        ("ERROR", "missing_ontology_title"),
        ("ERROR", "missing_ontology_license"),
        ("ERROR", "missing_ontology_description"),
        ("WARN", "missing_definition"),
    } <= found
