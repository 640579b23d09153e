"""The command line as a user runs it: a real process, exit codes, no tracebacks."""

from __future__ import annotations

import shutil

import pytest

import imid_onto
from imid_onto import counts, load_knowledge_base

from ..conftest import FIXTURES, imid


def test_version():
    done = imid("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"imid-onto, version {imid_onto.__version__}"


def test_info_prints_the_counts_of_the_api():
    c = counts(load_knowledge_base())
    done = imid("info")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert f"classes              {c.classes:>5}" in lines
    assert f"individuals          {c.individuals:>5}" in lines
    assert f"claims               {c.claims:>5}" in lines
    for name, n in [*c.by_status.items(), *c.by_study.items()]:
        assert f"  {n:>4}  {name}" in lines


def test_build_writes_the_ontology_and_knowledge_base_reproducibly(tmp_path):
    first = imid("build", "--out", str(tmp_path / "a"), "--no-reason")
    second = imid("build", "--out", str(tmp_path / "b"), "--no-reason")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    names = sorted(str(p.relative_to(tmp_path / "a")) for p in (tmp_path / "a").rglob("*") if p.is_file())
    top = sorted(name for name in names if "/" not in name)
    expected = [".imid-onto-release", "context.jsonld", "imid-kb.jsonld", "imid-kb.nt", "imid-kb.owl", "imid-kb.trig", "imid-kb.ttl",
                "imid.owl", "imid.ttl", "validation-report.ttl", "void.ttl"]
    if shutil.which("dot"):
        expected += ["mechanism.png", "mechanism.svg"]
    assert top == sorted(expected)  # no imid-inferred.ttl or imid-kb-full.ttl without the reasoner
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert "Built imid-onto" in first.stdout
    assert "Skipped: reasoner: not run (--no-reason)" in first.stdout


def test_build_outputs_parse_back_to_the_same_graphs(tmp_path):
    from rdflib.compare import isomorphic

    from imid_onto.publish.release import ontology_graph
    from imid_onto.io.rdf import read_graph

    imid_onto.build(tmp_path / "out", run_reasoner=False)
    assert isomorphic(read_graph(tmp_path / "out" / "imid.ttl"), ontology_graph())
    assert isomorphic(read_graph(tmp_path / "out" / "imid.owl"), ontology_graph())
    assert isomorphic(read_graph(tmp_path / "out" / "imid-kb.ttl"), load_knowledge_base())


def test_failed_build_leaves_the_previous_output_as_it_was(tmp_path, monkeypatch):
    import importlib

    build_module = importlib.import_module("imid_onto.publish.release")  # the module, not the function

    out = tmp_path / "out"
    imid_onto.build(out, run_reasoner=False)
    before = {str(p): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(graph):
        raise RuntimeError("disk full")

    monkeypatch.setattr(build_module, "rdfxml_bytes", broken)
    with pytest.raises(RuntimeError):
        imid_onto.build(out, run_reasoner=False)
    assert {str(p): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "staging folder left behind"


def test_build_with_reasoner_reports_consistency(tmp_path, java):
    done = imid("build", "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "the ontology with its entities is consistent; 3 inferred triples" in done.stdout


def test_a_malformed_file_names_file_line_and_column_without_traceback():
    bad = FIXTURES / "broken" / "literal-subject.ttl"
    done = imid("fmt", "--check", str(bad))
    assert done.returncode == 2
    assert done.stderr.startswith(f"imid-onto: error: {bad}:3:1: syntax error:")
    assert "Traceback" not in done.stderr


def test_fmt_check_names_the_fixing_command(tmp_path):
    loose = tmp_path / "loose.ttl"
    loose.write_text('@prefix ex: <https://w3id.org/imid-onto/test/> .\nex:a ex:b "x" .\n')
    done = imid("fmt", "--check", str(loose))
    assert done.returncode == 1
    assert f"run: imid-onto fmt {loose}" in done.stdout
    assert imid("fmt", str(loose)).returncode == 0
    assert imid("fmt", "--check", str(loose)).returncode == 0


def test_usage_errors_exit_2():
    assert imid("no-such-command").returncode == 2
    done = imid("claims", "--source", "no-such-document")
    assert done.returncode == 2
    assert "choose from: inside-blood-2014, kurtz-gotlib-2014, lu-2014-pubmed" in done.stderr
