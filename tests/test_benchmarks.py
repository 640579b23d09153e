"""The benchmark suite runs (a smoke run at N = 1,000; its figures are not asserted), and
its synthetic generator is deterministic and valid apart from the violations it injects."""

from __future__ import annotations

import subprocess
import sys

from benchmarks.synthetic import INJECTIONS, generate

from .conftest import REPO


def test_generator_is_deterministic_and_scales_with_n(tmp_path):
    a = generate(tmp_path / "a.ttl", 500, seed=4)
    b = generate(tmp_path / "b.ttl", 500, seed=4)
    c = generate(tmp_path / "c.ttl", 500, seed=5)
    assert a.path.read_bytes() == b.path.read_bytes()
    assert a.path.read_bytes() != c.path.read_bytes()
    # One violation of each kind at N = 500 (at least one of each, one per thousand claims).
    assert sorted((shape.rsplit("#", 1)[1], component.rsplit("#", 1)[1]) for _, shape, component in a.expected) == sorted(
        INJECTIONS
    )


def test_benchmark_smoke_run_writes_its_table(tmp_path):
    out = tmp_path / "results.md"
    stages = ["validate", "validate-kept", "load-pyoxigraph", "load-pyoxigraph-disk", "store-build", "claims-cold",
              "store-rebuild"]
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--sizes", "1000", "--stages", ",".join(stages),
         "--out", str(out), "--workdir", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert text.startswith("Machine: ")
    rows = {line.split(" | ")[0].removeprefix("| "): line.split(" | ")
            for line in text.splitlines() if line.startswith("| ") and not line.startswith("| stage")}
    assert list(rows) == stages and all(row[1] == "1,000" for row in rows.values())
    assert rows["validate"][5].startswith("results = injected violations")
    assert rows["validate-kept"][5].startswith("results = injected violations")  # the kept report, the same results
    assert "than validate" in rows["validate-kept"][4]
    assert rows["store-build"][5] == rows["store-rebuild"][5] != "0 rows |"  # the same answer after an edited quote
    assert "than load-pyoxigraph;" in rows["store-build"][4] and "than load-pyoxigraph-disk" in rows["store-build"][4]
    assert rows["claims-cold"][5].endswith("claims |")
    assert rows["load-pyoxigraph"][5] == rows["load-pyoxigraph-disk"][5]  # the same number of triples


def test_benchmark_refuses_an_unknown_stage(tmp_path):
    done = subprocess.run([sys.executable, "-m", "benchmarks.run", "--stages", "nonsense", "--out", str(tmp_path / "x")],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "unknown stage 'nonsense'" in done.stderr
    assert not (tmp_path / "x").exists()
