"""The persistent query store: the same answers as parsing afresh, reused while the sources
are unchanged, rebuilt when one changes, never half-written (tests/cache/test_robustness.py: what the
cache guarantees when files, the cache folder or the process misbehave)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from benchmarks.synthetic import edit_quote, generate

from imid_onto import paths
from imid_onto.io.cache import cache_dir, cached_store
from imid_onto.model.kb import data_files
from imid_onto.query import load_dataset, named_queries, run_query

from ..conftest import imid


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """300 synthetic claims (small: rdflib joins claims pairwise); tests that edit it copy it first."""
    return generate(tmp_path_factory.mktemp("synthetic") / "synthetic.ttl", 300, seed=2)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("IMID_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def stores(cache) -> list[str]:
    return sorted(p.name for p in cache.iterdir() if p.name.startswith("kb-")) if cache.exists() else []


def test_the_store_answers_every_named_query_as_parsing_afresh(cache, java):
    fresh = load_dataset()
    stored = load_dataset(cache=True)
    for name, query in named_queries().items():
        assert run_query(stored, query).rows == run_query(fresh, query).rows, name
    assert stored.inference.startswith("HermiT")


def test_an_unchanged_store_is_reused_and_a_changed_source_builds_another(cache, tmp_path):
    copies = []
    for path in data_files():
        copy = tmp_path / "kb" / path.name
        copy.parent.mkdir(exist_ok=True)
        shutil.copy(path, copy)
        copies.append(copy)
    sources = [paths.ontology_file(), paths.external_terms_file(), *copies]
    calls = []

    def fill(store):
        calls.append(1)
        from imid_onto.model.kb import open_store

        open_store(sources, store=store)
        return "none", ""

    first = cached_store(sources, fill, inferred=False)
    assert first.built and len(calls) == 1
    size = len(first.store)
    del first
    second = cached_store(sources, fill, inferred=False)
    assert not second.built and len(calls) == 1 and len(second.store) == size
    old = stores(cache)
    del second
    with open(copies[0], "a", encoding="utf-8") as handle:
        handle.write('\n<https://w3id.org/imid-onto/test/x> <https://w3id.org/imid-onto/test/p> "changed" .\n')
    third = cached_store(sources, fill, inferred=False)
    assert third.built and len(calls) == 2 and len(third.store) == size + 1
    assert len(stores(cache)) == 2 and set(old) < set(stores(cache))  # the earlier one is kept, least recently used


def test_a_failed_build_leaves_no_store_behind(cache):
    sources = [paths.ontology_file()]

    def broken(store):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        cached_store(sources, broken, inferred=False)
    assert stores(cache) == []


def test_asserted_only_and_inferred_are_separate_stores(cache, java):
    asserted = load_dataset(asserted_only=True, cache=True)
    full = load_dataset(cache=True)
    assert len(full.store) == len(asserted.store) + 5  # HermiT's five inferred types
    assert len(stores(cache)) == 2


@pytest.mark.slow
def test_build_writes_the_store_that_query_opens(cache, tmp_path, java):
    from imid_onto import build

    build(tmp_path / "out", site=False)
    (store,) = stores(cache)
    marker = json.loads((cache / store / "imid-onto-store.json").read_text(encoding="utf-8"))
    assert marker["reasoner"].startswith("HermiT") and marker["version"]
    assert cache_dir() == cache
    done = imid("query", "neosubstrates", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert stores(cache) == [store]  # opened, not rebuilt


def test_file_digests_are_remembered_for_settled_files_only(cache, tmp_path, monkeypatch):
    import os
    import time

    import imid_onto.io.cache as store_module
    from imid_onto.io.cache import fingerprint

    settled, fresh = tmp_path / "settled.ttl", tmp_path / "fresh.ttl"
    settled.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    fresh.write_text("<urn:a> <urn:b> <urn:d> .\n", encoding="utf-8")
    later = time.time_ns() + 3600 * 10**9  # a change time cannot be set back: the clock moves on an hour instead
    monkeypatch.setattr(store_module.time, "time_ns", lambda: later)
    os.utime(fresh, ns=(later, later))  # modified "just now"
    first = fingerprint([settled, fresh], inferred=False)
    remembered = json.loads((cache / "file-digests.json").read_text(encoding="utf-8"))
    assert set(remembered) == {str(settled.resolve())}  # fresh.ttl was modified just now: not trusted yet

    opened = []
    real_open = open
    monkeypatch.setattr(
        store_module, "open", lambda path, *a, **k: opened.append(Path(path)) or real_open(path, *a, **k), raising=False
    )
    assert fingerprint([settled, fresh], inferred=False) == first
    assert opened == [fresh]  # the settled file was not read again

    settled.write_text("<urn:a> <urn:b> <urn:e> .\n", encoding="utf-8")  # same size, new mtime
    assert fingerprint([settled, fresh], inferred=False) != first
    assert opened == [fresh, settled, fresh]


def test_a_missing_source_is_a_clear_error(cache, tmp_path):
    from imid_onto.errors import InputError
    from imid_onto.io.cache import fingerprint

    with pytest.raises(InputError, match="gone.ttl: cannot read"):
        fingerprint([tmp_path / "gone.ttl"], inferred=False)


@pytest.mark.slow
def test_on_synthetic_data_the_store_answers_every_named_query_as_the_reference_paths(synthetic, java):
    """The fast path (the persistent store, the summarized reasoner input) against the
    reference paths (parsed afresh with HermiT on the whole input; and rdflib's SPARQL)."""
    from benchmarks.run import params

    from imid_onto.reasoning.infer import reasoner_input, run_hermit

    stored = load_dataset([synthetic.path], cache=True)
    whole = run_hermit(reasoner_input(files=[synthetic.path]))
    fresh = load_dataset([synthetic.path], inferred=whole.inferred)
    answered = 0
    for name, query in named_queries().items():
        values = {p.name: [item.split("=", 1)[1] for item in params(synthetic)[p.name]] for p in query.params}
        expected = run_query(fresh, query, values)
        assert run_query(stored, query, values).rows == expected.rows, name
        assert run_query(fresh, query, values, engine="rdflib").rows == expected.rows, name
        answered += bool(expected.rows)
    assert answered == len(named_queries()) - 1  # complex-components: the synthetic data has no complex


@pytest.mark.slow
def test_editing_claims_does_not_run_the_reasoner_again(cache, tmp_path, java, monkeypatch, synthetic):
    """The reasoner's input leaves the claims out, so its kept result serves a knowledge
    base whose claims changed; a changed entity runs it again."""
    import owlready2

    data = Path(shutil.copy(synthetic.path, tmp_path / "synthetic.ttl"))  # edited below
    first = load_dataset([data], cache=True)
    glues = run_query(first, named_queries()["molecular-glues"]).rows
    assert glues  # inferred: the synthetic drugs are glues by the ontology's definition
    ran = []
    real = owlready2.sync_reasoner_hermit
    monkeypatch.setattr(owlready2, "sync_reasoner_hermit", lambda *a, **k: ran.append(1) or real(*a, **k))

    edit_quote(data, 7)
    edited = load_dataset([data], cache=True)
    assert ran == [] and len(edited.store) == len(first.store)
    assert run_query(edited, named_queries()["molecular-glues"]).rows == glues

    with open(data, "a", encoding="utf-8") as handle:  # a new entity: the reasoner's input changed
        handle.write(
            "\n<https://w3id.org/imid-onto/synthetic/drug-0> <https://w3id.org/imid-onto/ontology#binds> "
            "<https://w3id.org/imid-onto/synthetic/protein-new> .\n"
        )
    load_dataset([data], cache=True)
    assert ran == [1]
    kept = sorted((cache / "reasoner").iterdir(), key=lambda p: p.stat().st_mtime)
    assert len(kept) == 2

    kept[-1].write_text("{ damaged", encoding="utf-8")  # a damaged result is not used: HermiT runs again
    for name in stores(cache):  # every store (their names order by a digest, not by age): the reasoner is asked
        shutil.rmtree(cache / name)
    again = load_dataset([data], cache=True)
    assert ran == [1, 1] and json.loads(kept[-1].read_text(encoding="utf-8"))["consistent"] is True
    assert run_query(again, named_queries()["molecular-glues"]).rows


@pytest.mark.slow
def test_claims_read_from_the_store_are_those_of_the_parsed_files(synthetic):  # the session cache: one store for both
    from rdflib import Literal

    from imid_onto.io.rdf import graph_view, read_graphs
    from imid_onto.model.claims import claim_rows, label
    from imid_onto.model.kb import load_knowledge_base, sources
    from imid_onto.vocab import IMID, OA, RDF

    assert claim_rows(graph_view(load_dataset(asserted_only=True, cache=True).store)) == claim_rows(
        load_knowledge_base()
    )
    parsed = read_graphs(sources([synthetic.path]))
    stored = graph_view(load_dataset([synthetic.path], cache=True).store)  # the store claims --data opens
    # what each row says, read here with rdflib's graph API instead of claim_rows's SPARQL
    open_questions = sorted(parsed.subjects(IMID.hasStatus, IMID.OpenQuestion))
    exact = {
        str(c): str(parsed.value(parsed.value(parsed.value(c, IMID.hasQuote), OA.hasSelector), OA.exact))
        for c in open_questions
    }
    rows = claim_rows(stored, status="open-question")
    assert [row.iri for row in rows] == [str(c) for c in open_questions]
    assert {row.iri: row.quote for row in rows} == exact and {row.status for row in rows} == {"open question"}
    assert [row.negated for row in rows] == [parsed.value(c, IMID.isNegated) == Literal(True) for c in open_questions]
    assert all(
        row.statement.startswith(label(parsed, parsed.value(c, RDF.subject)) + " ")
        for row, c in zip(rows, open_questions, strict=True)
    )
    for status in (None, "finding", "open-question"):
        expected = claim_rows(parsed, status=status)
        assert claim_rows(stored, status=status) == expected
    every = claim_rows(parsed)
    assert len(every) == 300
    source = every[0].source  # a synthetic source has no label: its IRI
    assert source.startswith("https://w3id.org/imid-onto/synthetic/source-")
    expected = claim_rows(parsed, source=source)
    assert 0 < len(expected) < 300 and claim_rows(stored, source=source) == expected
    assert {row.source for row in expected} == {source}


@pytest.mark.slow
def test_claims_data_lists_the_claims_of_the_given_files(cache, synthetic):
    from imid_onto.io.rdf import read_graphs
    from imid_onto.model.claims import claim_rows
    from imid_onto.model.kb import sources

    expected = claim_rows(read_graphs(sources([synthetic.path])), status="hypothesis")
    done = imid("claims", "--data", str(synthetic.path), "--status", "hypothesis")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == f"{len(expected)} claims"
    assert [line.split()[0] for line in lines[:-1:3]] == [row.iri.rsplit("/", 1)[-1] for row in expected]
    assert stores(cache)  # the store query --data uses, kept


def test_a_kept_validation_report_is_read_instead_of_parsing(cache, tmp_path, monkeypatch):
    from imid_onto.validation import report as validation

    data = tmp_path / "data.ttl"
    bad = paths.document_files()[0].read_text(encoding="utf-8")  # a Turtle file of the knowledge base
    data.write_text(bad, encoding="utf-8")
    assert validation.kept_report([data]) is None
    fresh = validation.validate([data], keep=True)
    monkeypatch.setattr(validation, "open_store", lambda *a, **k: pytest.fail("parsed again"))
    kept = validation.kept_report([data])
    assert kept is not None and kept.results == fresh.results and kept.files == fresh.files
    assert kept.as_turtle() == fresh.as_turtle() and kept.as_json() == fresh.as_json()
    assert validation.kept_report([data], engine="pyshacl") is None  # each engine's own report
    monkeypatch.chdir(tmp_path)
    assert validation.kept_report([Path("data.ttl")]) is None  # the report names the file as it was given
    (kept_file,) = (cache / "reports").iterdir()
    for damage in (
        "{",
        '{"results": []}',
        json.dumps({"files": [str(data)], "results": [{"focus": "x"}]}),
        json.dumps(
            {"files": [str(data)], "results": [{"focus": "x", "shape": "s", "component": "c", "severity": "bogus"}]}
        ),
        json.dumps(
            {
                "files": [str(data)],
                "results": [  # fields of the wrong type: not even sortable
                    {"focus": "x", "shape": "s", "component": "c", "severity": "violation"},
                    {"focus": 1, "shape": "s", "component": "c", "severity": "violation"},
                ],
            }
        ),
    ):
        kept_file.write_text(damage, encoding="utf-8")
        assert validation.kept_report([data]) is None, damage  # damaged: validated afresh, never a crash
    with open(data, "a", encoding="utf-8") as handle:
        handle.write("\n<https://w3id.org/imid-onto/test/x> a <https://w3id.org/imid-onto/ontology#Claim> .\n")
    assert validation.kept_report([data]) is None  # changed bytes: validated afresh


@pytest.mark.slow
def test_validate_twice_gives_the_same_report_and_exit_status(cache, tmp_path):
    data = tmp_path / "data.ttl"
    data.write_text(
        paths.document_files()[0].read_text(encoding="utf-8")  # a Turtle file of the knowledge base
        + "\n<https://w3id.org/imid-onto/test/x> a <https://w3id.org/imid-onto/ontology#Claim> .\n",
        encoding="utf-8",
    )
    first = imid("validate", str(data), "--format", "json")
    assert first.returncode == 1, first.stderr  # the claim without a status, a quote...
    (kept,) = (cache / "reports").iterdir()
    second = imid("validate", str(data), "--format", "json")
    assert (second.returncode, second.stdout) == (1, first.stdout)
    record = json.loads(kept.read_text(encoding="utf-8"))
    kept.write_text(json.dumps({**record, "results": []}), encoding="utf-8")  # what the next run reads, if it reads it
    assert imid("validate", str(data)).returncode == 0
    afresh = imid("validate", str(data), "--format", "json", "--no-cache")
    assert (afresh.returncode, afresh.stdout) == (1, first.stdout)
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix ex: <https://w3id.org/imid-onto/test/> .\n", encoding="utf-8")
    assert imid("validate", str(empty)).returncode == 2 and imid("validate", str(empty)).returncode == 2
