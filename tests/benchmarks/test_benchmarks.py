"""The benchmark suite runs (a smoke run at N = 1,000; its figures are not asserted), and
its synthetic generator is deterministic and valid apart from the violations it injects."""

from __future__ import annotations

import subprocess
import sys

import pytest
from benchmarks.synthetic import INJECTIONS, generate
from rdflib import Graph

from imid_onto.io.rdf import read_graphs
from imid_onto.model.claims import claim_rows
from imid_onto.model.kb import sources
from imid_onto.query import load_dataset, named_query, run_query

from ..conftest import REPO


def test_generator_is_deterministic_and_scales_with_n(tmp_path):
    a = generate(tmp_path / "a.ttl", 500, seed=4)
    b = generate(tmp_path / "b.ttl", 500, seed=4)
    c = generate(tmp_path / "c.ttl", 500, seed=5)
    assert a.path.read_bytes() == b.path.read_bytes()
    assert a.path.read_bytes() != c.path.read_bytes()
    # One violation of each kind at N = 500 (at least one of each, one per thousand claims).
    assert sorted(
        (shape.rsplit("#", 1)[1], component.rsplit("#", 1)[1]) for _, shape, component in a.expected
    ) == sorted(INJECTIONS)


@pytest.mark.slow
def test_benchmark_smoke_run_writes_its_table(tmp_path):
    out = tmp_path / "results.md"
    stages = [
        "validate",
        "validate-kept",
        "load-pyoxigraph",
        "load-pyoxigraph-disk",
        "load",
        "store-build",
        "claims-cold",
        "store-rebuild",
    ]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--sizes",
            "1000",
            "--stages",
            ",".join(stages),
            "--out",
            str(out),
            "--workdir",
            str(tmp_path),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert text.startswith("Machine: ")
    rows = {
        line.split(" | ")[0].removeprefix("| "): line.split(" | ")
        for line in text.splitlines()
        if line.startswith("| ") and not line.startswith("| stage")
    }
    assert list(rows) == stages and all(row[1] == "1,000" for row in rows.values())
    notes = {stage: row[5].removesuffix(" |") for stage, row in rows.items()}
    # What each stage must have found, worked out here in this process from the same synthetic
    # file (the generator is deterministic: the runner's seed is 1): the triples counted by
    # rdflib's parser, the query answered by rdflib's engine, the claims read from rdflib's Graph.
    data = tmp_path / "synthetic-1000.ttl"
    synthetic = generate(tmp_path / "reference.ttl", 1000, seed=1)
    assert synthetic.path.read_bytes() == data.read_bytes()
    triples = len(Graph().parse(data, format="turtle"))
    downstream, asserted = (
        run_query(
            load_dataset([data], asserted_only=only),
            named_query("downstream-effects"),
            {"protein": [synthetic.start_protein]},
            engine="rdflib",
        )
        for only in (False, True)
    )
    open_questions = claim_rows(read_graphs(sources([data])), status="open-question")  # the ontology and FILE
    assert downstream.rows and open_questions  # the expected answers are not empty ones
    assert notes == {
        "validate": "results = injected violations",
        "validate-kept": "results = injected violations",  # the kept report, the same results
        "load-pyoxigraph": str(triples),
        "load-pyoxigraph-disk": str(triples),
        "load": f"{len(asserted.rows)} rows",  # --asserted-only
        "store-build": f"{len(downstream.rows)} rows",
        "claims-cold": f"{len(open_questions)} claims",
        "store-rebuild": f"{len(downstream.rows)} rows",  # the same answer after an edited quote
    }
    assert "than validate" in rows["validate-kept"][4]
    assert "than load-pyoxigraph" in rows["load"][4]
    assert "than load-pyoxigraph;" in rows["store-build"][4] and "than load-pyoxigraph-disk" in rows["store-build"][4]
    assert all(float(row[2]) > 0 and float(row[3]) > 0 for row in rows.values())  # seconds and peak MB were measured


def test_benchmark_refuses_an_unknown_stage(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--stages", "nonsense", "--out", str(tmp_path / "x")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "unknown stage 'nonsense'" in done.stderr
    assert not (tmp_path / "x").exists()
