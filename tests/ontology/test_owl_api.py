"""The release as the OWL API reads it (Debian's libowlapi-java, the library Protégé and
ROBOT are built on; tools/owlprofile/OwlProfile.java): imid.owl, imid.ttl and imid-kb.owl
in the OWL 2 DL profile with no triple left unparsed, the knowledge base an ontology of its
own that imports the ontology (resolved to the local file, never fetched), and every
standing claim's edge there as an assertion annotated with its claim, studies and evidence.
(ROBOT's report: tests/ontology/test_robot_report.py.)"""

from __future__ import annotations

import pytest

from imid_onto.io.rdf import read_graph
from imid_onto.model.claims import read_claims

from ..conftest import FIXTURES
from .obo import owl_api

ONTOLOGY = "https://w3id.org/imid-onto/ontology"


@pytest.fixture(scope="module")
def reports(owlapi, release):
    out, _ = release
    return owl_api(
        owlapi,
        out / "imid.owl",
        out / "imid.ttl",
        out / "imid-kb.owl",
        out / "imid-kb.ttl",
        mapped={ONTOLOGY: out / "imid.owl"},
        assertions=True,
    )


@pytest.mark.parametrize("name", ["imid.owl", "imid.ttl", "imid-kb.owl"])
def test_in_the_owl2_dl_profile_with_nothing_unparsed(reports, name):
    report = reports[name]
    assert report.error is None
    assert report.violations == []
    assert report.unparsed == []
    assert report.missing_imports == []


def test_the_knowledge_base_is_an_ontology_of_its_own_that_imports_the_ontology(reports):
    ontology, kb = reports["imid.owl"], reports["imid-kb.owl"]
    assert (ontology.ontology, ontology.version) == (ONTOLOGY, "https://w3id.org/imid-onto/releases/0.1.0/ontology")
    assert (kb.ontology, kb.version) == (
        "https://w3id.org/imid-onto/kb",
        "https://w3id.org/imid-onto/releases/0.1.0/kb",
    )
    assert kb.imports == [ONTOLOGY]
    assert ontology.imports == []


def test_imid_kb_ttl_loses_only_the_reification_that_owl_cannot_map(reports, release):
    """imid-kb.ttl keeps RDF reification (rdf:subject / rdf:predicate / rdf:object, what
    the queries read), which OWL has no mapping for: exactly those triples are left
    unparsed, three per claim that states a triple (a question has none); imid-kb.owl is the
    form for OWL tools."""
    out, _ = release
    report = reports["imid-kb.ttl"]
    assert report.violations == []
    claims = read_claims(read_graph(out / "imid-kb.ttl"))
    predicates = sorted({line.split("\t")[1] for line in report.unparsed})
    assert predicates == [
        f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#{p}>" for p in ("object", "predicate", "subject")
    ]
    questions = [c for c in claims if c.is_question]
    assert len(questions) == 7
    assert len(report.unparsed) == 3 * (len(claims) - len(questions))


def test_every_standing_claims_edge_is_an_annotated_assertion(reports, release):
    """Opening imid-kb.owl in the OWL API shows each standing claim's edge, annotated with
    the claim (prov:wasDerivedFrom), its studies (dcterms:source) and its evidence type
    (imid:evidenceCode); no other claim's edge is asserted unless a standing claim gives it."""
    out, _ = release
    claims = read_claims(read_graph(out / "imid-kb.ttl"))
    annotated: dict[tuple[str, str, str], list[str]] = {}
    for s, p, o, said in reports["imid-kb.owl"].assertions:
        if said:
            annotated.setdefault((s, p, o), []).append(said)
    standing = [c for c in claims if c.stands]
    assert len(standing) > 100
    missing = []
    for claim in standing:
        edge = tuple(f"<{node}>" for node in claim.edge)
        expected = [f"<http://www.w3.org/ns/prov#wasDerivedFrom>=<{claim.iri}>"]
        expected += [f"<http://purl.org/dc/terms/source>=<{study}>" for study in claim.studies]
        expected += [f"<https://w3id.org/imid-onto/ontology#evidenceCode>=<{claim.evidence}>"]
        if not any(said.split(" ") == sorted(expected) for said in annotated.get(edge, [])):  # type: ignore[arg-type]
            missing.append(f"{claim.iri}: {edge} {sorted(expected)}")
    assert missing == []
    asserted = {(s, p, o) for s, p, o, _ in reports["imid-kb.owl"].assertions}
    standing_edges = {tuple(f"<{node}>" for node in c.edge) for c in standing}
    for claim in claims:
        edge = tuple(f"<{node}>" for node in claim.edge)
        if not claim.stands and edge not in standing_edges:
            assert edge not in asserted, f"{claim.iri} ({claim.status}) is asserted as a fact"


def test_the_check_is_not_vacuous(owlapi, tmp_path):
    """The checker finds what it is there to find: an undeclared annotation property (a
    profile violation), RDF reification (unparsed triples) and an import it may not fetch
    (missing, reported, not fetched)."""
    path = tmp_path / "faulty.ttl"
    path.write_text((FIXTURES / "owl" / "faulty.ttl").read_text())
    report = owl_api(owlapi, path)["faulty.ttl"]
    assert report.error is None
    assert any("UseOfUndeclaredAnnotationProperty" in v for v in report.violations), report.violations
    assert len(report.unparsed) == 3, report.unparsed
    assert report.missing_imports == ["http://127.0.0.1:9/elsewhere.owl"]
