"""The persistent query store: the same answers as parsing afresh, reused while the sources
are unchanged, rebuilt (and the stale one removed) when one changes, never half-written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from imid_onto import paths
from imid_onto.kb import data_files
from imid_onto.queries import load_dataset, named_queries, run_query
from imid_onto.store import cache_dir, cached_store


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


def test_an_unchanged_store_is_reused_and_a_changed_source_rebuilds_it(cache, tmp_path):
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
        from imid_onto.kb import open_store

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
    assert len(stores(cache)) == 1 and stores(cache) != old  # the stale store is gone


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
    assert len(full.store) == len(asserted.store) + 3  # HermiT's three inferred types
    assert len(stores(cache)) == 2


def test_build_writes_the_store_that_query_opens(cache, tmp_path, java):
    from imid_onto import build

    build(tmp_path / "out", site=False)
    (store,) = stores(cache)
    marker = json.loads((cache / store / "imid-onto-store.json").read_text(encoding="utf-8"))
    assert marker["reasoner"].startswith("HermiT") and marker["version"]
    assert cache_dir() == cache
    from .test_cli import imid

    done = imid("query", "neosubstrates", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert stores(cache) == [store]  # opened, not rebuilt


def test_file_digests_are_remembered_for_settled_files_only(cache, tmp_path, monkeypatch):
    import os
    import time

    import imid_onto.store as store_module
    from imid_onto.store import fingerprint

    settled, fresh = tmp_path / "settled.ttl", tmp_path / "fresh.ttl"
    settled.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    fresh.write_text("<urn:a> <urn:b> <urn:d> .\n", encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(settled, (an_hour_ago, an_hour_ago))
    first = fingerprint([settled, fresh], inferred=False)
    remembered = json.loads((cache / "file-digests.json").read_text(encoding="utf-8"))
    assert set(remembered) == {str(settled.resolve())}  # fresh.ttl was modified just now: not trusted yet

    opened = []
    real_open = open
    monkeypatch.setattr(store_module, "open", lambda path, *a, **k: opened.append(Path(path)) or real_open(path, *a, **k),
                        raising=False)
    assert fingerprint([settled, fresh], inferred=False) == first
    assert opened == [fresh]  # the settled file was not read again

    settled.write_text("<urn:a> <urn:b> <urn:e> .\n", encoding="utf-8")  # same size, new mtime
    os.utime(settled, (an_hour_ago + 60, an_hour_ago + 60))
    assert fingerprint([settled, fresh], inferred=False) != first
    assert opened == [fresh, settled, fresh]


def test_a_missing_source_is_a_clear_error(cache, tmp_path):
    from imid_onto.errors import InputError
    from imid_onto.store import fingerprint

    with pytest.raises(InputError, match="gone.ttl: cannot read"):
        fingerprint([tmp_path / "gone.ttl"], inferred=False)


def test_on_synthetic_data_the_store_answers_every_named_query_as_the_reference_paths(cache, tmp_path, java):
    """The fast path (the persistent store, the summarized reasoner input) against the
    reference paths (parsed afresh with HermiT on the whole input; and rdflib's SPARQL)."""
    from benchmarks.run import params
    from benchmarks.synthetic import generate
    from imid_onto.reasoning import reason, reasoner_input

    synthetic = generate(tmp_path / "synthetic.ttl", 300, seed=2)  # small: rdflib joins claims pairwise
    stored = load_dataset([synthetic.path], cache=True)
    whole = reason(reasoner_input(files=[synthetic.path]))
    fresh = load_dataset([synthetic.path], inferred=whole.inferred)
    answered = 0
    for name, query in named_queries().items():
        values = {p.name: [item.split("=", 1)[1] for item in params(synthetic)[p.name]] for p in query.params}
        expected = run_query(fresh, query, values)
        assert run_query(stored, query, values).rows == expected.rows, name
        assert run_query(fresh, query, values, engine="rdflib").rows == expected.rows, name
        answered += bool(expected.rows)
    assert answered == len(named_queries()) - 1  # complex-components: the synthetic data has no complex
