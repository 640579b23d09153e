"""The mistakes a curator makes in a new claim, each caught by ``imid-onto validate`` (and so
by ``build``): one violation on the claim that names what is wrong, with the file and the
line of the claim, exit 1. The claim is validated beside the shipped entities and documents
(given as files, as a curator runs it); the good claim gives nothing at all.

Where each check lives: an undeclared subject or object is ims:DeclaredTermShape
(imid_onto.validation.declared), a quote not found once is ims:QuoteFoundShape
(imid_onto.validation.quotes), both checked natively for the two engines; domain and range,
evidence type, quoted document and date are SPARQL-based shapes (shapes/imid-shapes.ttl);
the study and the context classes were shapes already.
"""

from __future__ import annotations

import json
import os

import pytest

from ..conftest import cli

CLAIM_LINE = 13  # where claim:NEW-01 starts in the file below

GOOD = """\
@prefix claim: <https://w3id.org/imid-onto/kb/claim/> .
@prefix doc: <https://w3id.org/imid-onto/kb/doc/> .
@prefix ent: <https://w3id.org/imid-onto/kb/entity/> .
@prefix imid: <https://w3id.org/imid-onto/ontology#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

# One new claim, as a curator adds it.
claim:NEW-01 a imid:Claim ;
    rdfs:label "Lenalidomide-bound cereblon targets IKZF1 for proteasomal degradation"@en ;
    rdf:subject ent:CRBN ;
    rdf:predicate imid:inducesDegradationOf ;
    rdf:object ent:IKZF1 ;
    imid:hasStatus imid:EstablishedFinding ;
    imid:evidenceType obo:ECO_0000204 ;
    imid:contextCellLine ent:MM1S ;
    prov:wasDerivedFrom doc:lu-2014 ;
    imid:hasQuote [ a oa:SpecificResource ; oa:hasSource doc:lu-2014-pubmed ;
        oa:hasSelector [ a oa:TextQuoteSelector ;
            oa:exact "lenalidomide-bound cereblon acquires the ability to target for proteasomal degradation" ] ] ;
    prov:wasAttributedTo <https://w3id.org/imid-onto/kb/agent/curators> ;
    prov:wasGeneratedBy <https://w3id.org/imid-onto/kb/activity/curation-2026-11> ;
    prov:generatedAtTime "2026-11-21T00:00:00Z"^^xsd:dateTime .
"""
NEW = "https://w3id.org/imid-onto/kb/claim/NEW-01"

#: (the line as written, the line with the mistake, the violation's name, its message)
MISTAKES = {
    "misspelt entity": (
        "rdf:object ent:IKZF1 ;",
        "rdf:object ent:IKZF01 ;",
        "declared term",
        "the object ent:IKZF01 is not declared (no entity of the knowledge base or term of the ontology has this "
        "IRI): did you mean ent:IKZF1?",
    ),
    "disease degraded": (
        "rdf:object ent:IKZF1 ;",
        "rdf:object ent:multiple-myeloma ;",
        "claim domain and range",
        "The claim's object is not a protein: induces degradation of takes a protein as its object (its "
        "rdfs:range in the ontology)",
    ),
    "unknown evidence code": (
        "imid:evidenceType obo:ECO_0000204 ;",
        "imid:evidenceType obo:ECO_0000999 ;",
        "claim references",
        "Evidence type ECO:0000999 is not an ECO class of the ontology: use one declared in ontology/external.ttl "
        "(add it there, verified in the identifier table, if the evidence needs a new one)",
    ),
    "wrong context class": (
        "imid:contextCellLine ent:MM1S ;",
        "imid:contextCellLine ent:multiple-myeloma ;",
        "claim context cell line",
        "Context cell line is not a cell line: point imid:contextCellLine to an entity of class imid:CellLine "
        "(e.g. ent:MM1S)",
    ),
    "unknown study": (
        "prov:wasDerivedFrom doc:lu-2014 ;",
        "prov:wasDerivedFrom doc:lu-2041 ;",
        "claim study",
        "Claim names no study, or one that is not a known document: prov:wasDerivedFrom names a bibo:Document of "
        "kb/documents.ttl (with its PMID or DOI)",
    ),
    "unknown document": (
        "oa:hasSource doc:lu-2014-pubmed ;",
        "oa:hasSource doc:lu-2014-pubmd ;",
        "claim references",
        "The quoted document is not a source document of the knowledge base: oa:hasSource names an "
        "imid:SourceDocument of kb/documents.ttl",
    ),
    "future date": (
        '"2026-11-21T00:00:00Z"^^xsd:dateTime',
        '"2099-11-21T00:00:00Z"^^xsd:dateTime',
        "claim date",
        "Claim curation time 2099-11-21T00:00:00Z is in the future: prov:generatedAtTime is when the claim was curated",
    ),
    "quote not found": (
        '"lenalidomide-bound cereblon acquires the ability to target for proteasomal degradation"',
        '"lenalidomide-bound cereblon acquires the ability to target for degradation"',
        "quote found",
        "quote not found in doc:lu-2014-pubmed: 'lenalidomide-bound cereblon acquires the ability to target for "
        "degradation' (closest passage: 'that lenalidomide-bound cereblon acquires the ability to target for')",
    ),
    "quote found twice": (
        '"lenalidomide-bound cereblon acquires the ability to target for proteasomal degradation"',
        '"IKZF1 and IKZF3"',
        "quote found",
        "quote occurs 2 times in doc:lu-2014-pubmed: 'IKZF1 and IKZF3' (add oa:prefix or oa:suffix to pick one)",
    ),
}


def run(path, *options, env=None):
    """``imid-onto validate`` of the claim beside the shipped entities and documents, as JSON."""
    return cli(
        "validate",
        "--no-cache",
        "--format",
        "json",
        *options,
        "kb/entities.ttl",
        "kb/documents.ttl",
        str(path),
        env=env,
    )


def violations(done) -> list[tuple[str, str, str, str, int | None]]:
    report = json.loads(done.stdout)
    return [
        (r["focus"], r["shape_name"], r["message"], r["file"], r["line"])
        for r in report["results"]
        if r["severity"] != "info"
    ]


@pytest.mark.parametrize("engine", ["oxigraph", "pyshacl"])
def test_the_good_claim_gives_nothing(tmp_path, sources_dir, engine):
    path = tmp_path / "new.ttl"
    path.write_text(GOOD, encoding="utf-8")
    done = run(path, "--engine", engine)
    assert (done.returncode, done.stderr) == (0, "")
    assert violations(done) == []


@pytest.mark.parametrize("mistake", MISTAKES, ids=str)
def test_a_curators_mistake_is_one_violation_naming_the_claim_file_and_line(tmp_path, sources_dir, mistake):
    good, bad, name, message = MISTAKES[mistake]
    assert GOOD.count(good) == 1
    path = tmp_path / "new.ttl"
    path.write_text(GOOD.replace(good, bad), encoding="utf-8")
    done = run(path)
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    found = violations(done)
    assert (NEW, name, message, str(path), CLAIM_LINE) in found
    if mistake == "unknown document":  # the quote shape says it too, less precisely
        assert sorted(v[1] for v in found) == ["claim quote", "claim references"]
    else:
        assert len(found) == 1, found


@pytest.mark.slow
@pytest.mark.parametrize("mistake", MISTAKES, ids=str)
def test_the_reference_engine_gives_the_same_results(tmp_path, sources_dir, mistake):
    good, bad, _name, _message = MISTAKES[mistake]
    path = tmp_path / "new.ttl"
    path.write_text(GOOD.replace(good, bad), encoding="utf-8")
    fast, reference = run(path), run(path, "--engine", "pyshacl")
    assert (fast.returncode, reference.returncode) == (1, 1)
    assert json.loads(fast.stdout) == json.loads(reference.stdout)


def test_without_the_source_texts_validate_says_the_quotes_are_not_checked(tmp_path):
    path = tmp_path / "new.ttl"
    path.write_text(GOOD, encoding="utf-8")
    env = {**os.environ, "IMID_SOURCES": str(tmp_path / "absent")}
    done = run(path, env=env)
    assert done.returncode == 0
    assert done.stderr == (
        "imid-onto: warning: the source texts are not here (../shared/sources, or set IMID_SOURCES): the quotes "
        "of 1 documents are not checked\n"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    done = run(path, env={**os.environ, "IMID_SOURCES": str(empty)})
    assert done.returncode == 0
    assert (
        done.stderr == f"imid-onto: warning: {empty} has no text of doc:lu-2014-pubmed: their quotes are not checked\n"
    )


def test_the_closest_names_are_those_of_the_best_likeness():
    from imid_onto.validation.declared import closest_names

    known = ["ent:IKZF1", "ent:IKZF3", "ent:CRBN", "ent:lenalidomide"]
    assert closest_names("ent:IKZF01", known) == ["ent:IKZF1"]
    assert closest_names("ent:IKZF", known) == ["ent:IKZF1", "ent:IKZF3"]
    assert closest_names("ent:nothing-like", known) == []
