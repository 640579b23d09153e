"""SHACL shapes: each targeted shape has a valid and an invalid fixture, whose exact results
(focus node, source shape, constraint component) are written down; the shapes are named,
described and carry messages; the shipped knowledge base conforms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import BNode

from imid_onto.validation.report import load_shapes, validate
from imid_onto.vocab import IMS, RDF, SH

from ..conftest import FIXTURES, cli

SHAPE_FIXTURES = FIXTURES / "shapes"
SHAPES = load_shapes()
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
TARGETED = sorted(s for s in SHAPES.subjects(RDF.type, SH.NodeShape) if any((s, t, None) in SHAPES for t in TARGETS))
FIXTURE_DIRS = sorted(p for p in SHAPE_FIXTURES.glob("*") if p.is_dir())


def run(folder: Path, name: str):
    """Validate one fixture. A folder holding a file named ``standalone`` brings its own
    ontology header instead of the shipped one (to test the header shape itself)."""
    return validate([folder / name], derive_edges=False, with_ontology=not (folder / "standalone").exists())


def triples_of(results):
    return {(r.focus, r.shape, r.component) for r in results}


def test_every_targeted_shape_has_its_fixtures_and_every_fixture_a_shape():
    assert sorted(p.name for p in FIXTURE_DIRS) == sorted(str(s).removeprefix(str(IMS)) for s in TARGETED)
    for folder in FIXTURE_DIRS:
        assert {p.name for p in folder.iterdir()} >= {"valid.ttl", "invalid.ttl", "expected.tsv"}, folder.name


@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=lambda p: p.name)
def test_valid_fixture_gives_no_result(folder):
    report = run(folder, "valid.ttl")
    assert [(r.focus, r.shape, r.severity, r.message) for r in report.results] == []


@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=lambda p: p.name)
def test_invalid_fixture_gives_exactly_the_expected_results(folder):
    report = run(folder, "invalid.ttl")
    expected = {tuple(line.split("\t")) for line in (folder / "expected.tsv").read_text().splitlines() if line.strip()}
    assert triples_of(report.results) == expected


@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=lambda p: p.name)
def test_invalid_fixture_exercises_every_constraint_of_its_shape(folder):
    shape = IMS[folder.name]
    own = {str(p) for p in SHAPES.objects(shape, SH.property)} or {str(shape)}
    fired = {r.shape for r in run(folder, "invalid.ttl").results}
    assert own - fired == set(), f"{folder.name}: these never fire: {sorted(own - fired)}"


def test_every_shape_is_named_described_and_has_a_message():
    problems = []
    shapes = set(SHAPES.subjects(RDF.type, SH.NodeShape)) | set(SHAPES.subjects(RDF.type, SH.PropertyShape))
    shapes |= set(SHAPES.objects(None, SH.property))
    for shape in sorted(shapes, key=str):
        if isinstance(shape, BNode):
            problems.append(f"anonymous shape with name {SHAPES.value(shape, SH.name)}")
            continue
        for prop in (SH.name, SH.description):
            if SHAPES.value(shape, prop) is None:
                problems.append(f"{shape} has no {prop}")
        constrained = (shape, SH.path, None) in SHAPES or (shape, SH["or"], None) in SHAPES
        if constrained and shape != IMS.IdentifiedDocumentShape:
            if SHAPES.value(shape, SH.message) is None:
                problems.append(f"{shape} has no sh:message")
            if SHAPES.value(shape, SH.severity) is None:
                problems.append(f"{shape} has no sh:severity")
        for constraint in SHAPES.objects(shape, SH.sparql):
            if SHAPES.value(constraint, SH.message) is None or SHAPES.value(shape, SH.severity) is None:
                problems.append(f"{shape}: SPARQL constraint needs sh:message and the shape a severity")
    assert problems == []


def test_the_shipped_knowledge_base_has_no_violation_and_no_warning():
    report = validate()
    assert [r for r in report.results if r.severity in ("violation", "warning")] == []
    # The only remarks: studies without a verified PMID or DOI (the two commentaries and
    # the cited works whose identifiers are not verified).
    assert {r.shape for r in report.results} == {str(IMS.ClaimStudyIdentifierShape)}
    assert {r.value.rsplit("/", 1)[-1] for r in report.results} == {
        "inside-blood-2014",
        "kurtz-gotlib-2014",
        "singhal-1999",
        "ramsay-2008",
        "schulz-2013",
        "iacobucci-2012",
        "richardson-2004",
    }


def test_validate_command_reports_and_exits_by_threshold():
    bad = SHAPE_FIXTURES / "ClaimShape" / "invalid.ttl"
    done = cli("validate", str(bad))
    assert done.returncode == 1
    assert f"({bad}:" in done.stdout, "results name the file and line of the focus node"
    assert "VIOLATION" in done.stdout and "Traceback" not in done.stderr
    assert cli("validate", str(SHAPE_FIXTURES / "ClaimShape" / "valid.ttl")).returncode == 0
    shipped = cli("validate", "--fail-on", "warning")
    assert shipped.returncode == 0, shipped.stdout[-500:]
    assert cli("validate", "--fail-on", "info").returncode == 1


def test_validate_json_and_turtle_formats(tmp_path):
    bad = SHAPE_FIXTURES / "ClaimShape" / "invalid.ttl"
    data = json.loads(cli("validate", "--format", "json", str(bad)).stdout)
    expected = {
        tuple(line.split("\t")) for line in (bad.parent / "expected.tsv").read_text().splitlines() if line.strip()
    }
    assert {(r["focus"], r["shape"], r["component"]) for r in data["results"]} == expected
    assert data["summary"]["violation"] == sum(1 for r in data["results"] if r["severity"] == "violation")
    report_file = tmp_path / "report.ttl"
    report_file.write_text(cli("validate", "--format", "turtle", str(bad)).stdout)
    from imid_onto.io.rdf import read_graph

    report = read_graph(report_file)
    assert len(list(report.subjects(RDF.type, SH.ValidationReport))) == 1
    assert len(list(report.subjects(RDF.type, SH.ValidationResult))) >= len(expected)


def test_validate_reads_other_rdf_formats_alike(tmp_path):
    from imid_onto.io.rdf import read_graph

    bad = SHAPE_FIXTURES / "ClaimShape" / "invalid.ttl"
    ntriples = tmp_path / "invalid.nt"
    ntriples.write_text(read_graph(bad).serialize(format="nt"))
    rdfxml = tmp_path / "invalid.rdf"
    rdfxml.write_text(read_graph(bad).serialize(format="xml"))
    expected = triples_of(validate([bad], derive_edges=False).results)
    for other in (ntriples, rdfxml):
        found = {t for t in triples_of(validate([other], derive_edges=False).results) if not t[0].startswith("_:")}
        assert found == {t for t in expected if not t[0].startswith("_:")}, other.suffix


def test_validate_unreadable_input_exits_2_with_position():
    bad = FIXTURES / "broken" / "literal-subject.ttl"
    done = cli("validate", str(bad))
    assert done.returncode == 2
    assert f"{bad}:3:1: syntax error" in done.stderr and "Traceback" not in done.stderr
    assert cli("validate", "no/such/file.ttl").returncode == 2
