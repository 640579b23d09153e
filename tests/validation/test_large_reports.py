"""A validation report of many results: compact in memory, written piece by piece (text,
JSON and Turtle) with the same bytes as the whole report would give, and not kept in the
cache beyond its limit."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ..rdf.test_hostile_input import PREFIXES

CLAIM = "https://w3id.org/imid-onto/ontology#Claim"


def _bare_claims(path, n: int):
    """``n`` claims with nothing but their type: 10 violations and 1 warning each."""
    path.write_text("".join(f"<https://example.org/c{i:06d}> a <{CLAIM}> .\n" for i in range(n)))
    return path


@pytest.fixture(scope="module")
def bare_claims(tmp_path_factory):
    return _bare_claims(tmp_path_factory.mktemp("bare") / "bare.ttl", 20_000)


def _validate_measured(path, *options: str) -> tuple[int, int, str]:
    """(exit status, peak memory in MB, stdout) of ``imid-onto validate``, run in a process of its own."""
    measure = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run([sys.executable, '-m', 'imid_onto.cli', 'validate', '--no-cache', *sys.argv[1:]],"
        " capture_output=True, text=True)\n"
        "sys.stdout.write(done.stdout)\n"
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", measure, *options, str(path)], capture_output=True, text=True, timeout=900
    )
    out, _, tail = done.stdout.rstrip("\n").rpartition("\n")
    code, megabytes = map(int, tail.split())
    return code, megabytes, out


@pytest.mark.slow
def test_a_report_of_many_results_is_compact(bare_claims):
    """220,000 results in well under a gigabyte (the old report took 10 KB a result, 2.4 GB
    here); the text shows the first 100 of each severity and says how many more there are."""
    code, megabytes, out = _validate_measured(bare_claims)
    assert code == 1 and megabytes < 600, (code, megabytes)
    text = out.splitlines()
    assert text[-3:] == [
        "... and 199900 more violations (--format json for all)",
        "... and 19900 more warnings (--format json for all)",
        "200000 violations, 20000 warnings, 0 infos in 20000 nodes",
    ]
    assert sum(1 for line in text if line.startswith("  VIOLATION ")) == 100
    assert sum(1 for line in text if line.startswith("  WARNING ")) == 100
    assert text[0] == f"https://example.org/c000000  ({bare_claims}:1)"


@pytest.mark.slow
@pytest.mark.parametrize("form", ["json", "turtle"])
def test_every_result_of_a_large_report_is_written_compactly(bare_claims, form):
    """JSON and Turtle give all 220,000 results, written piece by piece (the Turtle report
    graph took 30 KB a result: 6 GB here)."""
    code, megabytes, out = _validate_measured(bare_claims, "--format", form)
    assert code == 1 and megabytes < 600, (code, megabytes)
    if form == "json":
        import json

        assert len(json.loads(out)["results"]) == 220_000
    else:
        assert out.count("\n            a sh:ValidationResult ;\n") == 220_000


WEIRD = (
    PREFIXES
    + """\
@prefix imid: <https://w3id.org/imid-onto/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/a(b)> a imid:Claim ; rdfs:label "line one\\nline \\"two\\" ünï\\ttab"@fr , "x"^^xsd:integer ;
    imid:hasQuote [ rdfs:label "q" ] , [ rdfs:comment "z" ] .
<https://example.org/end.> a imid:Claim ; rdfs:label \"\"\"multi
line\"\"\" ; imid:isNegated "yes" ; imid:hasStatus "1.5"^^xsd:decimal .
"""
)


@pytest.mark.slow
def test_turtle_written_piece_by_piece_is_the_canonical_turtle_of_the_report_graph(tmp_path):
    """The same bytes as canonical_turtle(report.graph) (the release's validation-report.ttl):
    the shipped report, a report of 3,300, one result, none, and blank nodes named by where
    they hang, IRIs that cannot be prefixed names, literals with quotes, tabs and new lines."""
    from imid_onto.io.canonical import canonical_turtle
    from imid_onto.validation.report import ValidationReport, validate

    weird = tmp_path / "weird.ttl"
    weird.write_text(WEIRD)
    bare = validate([_bare_claims(tmp_path / "bare.ttl", 300)])
    reports = [
        validate(),
        bare,
        ValidationReport(bare.results[:1]),
        ValidationReport([]),
        validate([weird]),
        validate([weird], engine="pyshacl"),
    ]
    # "iri": the claim statement shape (a triple or a question) gives the claim itself as its value
    assert {r.value_kind for r in reports[-1].results} == {"", "blank", "iri", "literal"}
    for report in reports:
        assert report.as_turtle() == canonical_turtle(report.graph)


def test_json_gives_every_result_as_json_dumps_would(tmp_path):
    import json
    from dataclasses import asdict

    from imid_onto.validation.report import SEVERITIES, validate

    report = validate([_bare_claims(tmp_path / "bare.ttl", 300)], derive_edges=False)
    assert len(report.results) == 3300
    expected = json.dumps(
        {
            "files": report.files,
            "summary": {s: report.count(s) for s in SEVERITIES},
            "results": [asdict(r) for r in sorted(report.results)],
        },
        indent=2,
        ensure_ascii=False,
    )
    assert report.as_json() == expected
    report.results = []
    assert report.as_json() == json.dumps(
        {"files": report.files, "summary": {s: 0 for s in SEVERITIES}, "results": []}, indent=2, ensure_ascii=False
    )


def test_a_report_of_more_than_the_limit_is_not_kept(tmp_path, monkeypatch):
    from imid_onto.validation import report as validation

    path = _bare_claims(tmp_path / "bare.ttl", 10)  # 110 results
    monkeypatch.setattr(validation, "KEEP_LIMIT", 100)
    validation.validate([path], keep=True)
    assert validation.kept_report([path]) is None
    monkeypatch.setattr(validation, "KEEP_LIMIT", 110)
    fresh = validation.validate([path], keep=True)
    assert validation.kept_report([path]).results == fresh.results
