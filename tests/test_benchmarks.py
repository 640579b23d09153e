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
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--sizes", "1000", "--stages", "validate,load-pyoxigraph",
         "--out", str(out), "--workdir", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert text.startswith("Machine: ")
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| stage")]
    assert [row.split(" | ")[:2] for row in rows] == [["| validate", "1,000"], ["| load-pyoxigraph", "1,000"]]
    assert "results = injected violations" in rows[0]


def test_benchmark_refuses_an_unknown_stage(tmp_path):
    done = subprocess.run([sys.executable, "-m", "benchmarks.run", "--stages", "nonsense", "--out", str(tmp_path / "x")],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "unknown stage 'nonsense'" in done.stderr
    assert not (tmp_path / "x").exists()
