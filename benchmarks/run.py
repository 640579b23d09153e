"""Time imid-onto's stages on synthetic knowledge bases, side by side with plain baselines.

    python -m benchmarks.run                          # N = 1,000 / 10,000 / 100,000
    python -m benchmarks.run --sizes 1000 --stages validate --out /tmp/bench.md

Each stage runs in a fresh process, so the figures are whole-process wall-clock times
(interpreter start, imports and loading included) with the process's peak resident memory
(from wait4). A stage that exceeds --timeout is stopped and reported as such. Results go to
a Markdown table (--out, default benchmarks/results.md) and to stdout. No figure here is
asserted by the tests: a smoke run at N = 1,000 only proves the script works.

Stages:
- validate: ``imid-onto validate FILE`` (the fast engine), checked against the
  generator's injected violations;
- validate-pyshacl: the same with ``--engine pyshacl`` (the reference engine), and the
  baseline the fast engine is compared with;
- load-pyoxigraph / load-rdflib: parsing the file into a pyoxigraph store / an rdflib
  Graph, the baselines for loading.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .synthetic import generate

HERE = Path(__file__).resolve().parent
STAGES = ["validate", "validate-pyshacl", "load-pyoxigraph", "load-rdflib"]
BASELINE = {"validate": "validate-pyshacl"}


@dataclass
class Measure:
    stage: str
    claims: int
    seconds: float | None  # None: timed out
    peak_mb: float
    note: str = ""


def _imid_onto() -> list[str]:
    found = shutil.which("imid-onto", path=os.path.dirname(sys.executable)) or shutil.which("imid-onto")
    return [found] if found else [sys.executable, "-m", "imid_onto.cli"]


def command(stage: str, data: Path) -> list[str]:
    if stage == "validate":
        return [*_imid_onto(), "validate", str(data), "--format", "json", "--fail-on", "violation"]
    if stage == "validate-pyshacl":
        return [*_imid_onto(), "validate", str(data), "--format", "json", "--engine", "pyshacl"]
    if stage == "load-pyoxigraph":
        code = "import sys, pyoxigraph as ox; s = ox.Store(); s.load(path=sys.argv[1], format=ox.RdfFormat.TURTLE); print(len(s))"
        return [sys.executable, "-c", code, str(data)]
    if stage == "load-rdflib":
        code = "import sys, rdflib; g = rdflib.Graph(); g.parse(sys.argv[1], format='turtle'); print(len(g))"
        return [sys.executable, "-c", code, str(data)]
    raise SystemExit(f"unknown stage {stage!r} (choose from {', '.join(STAGES)})")


def measure(cmd: list[str], timeout: float) -> tuple[float | None, float, str]:
    """Wall-clock seconds (None on timeout), peak RSS in MB, and stdout of one process."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                _, status, usage = os.wait4(process.pid, 0)
                return None, usage.ru_maxrss / 1024, ""
            time.sleep(0.02)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        return elapsed, usage.ru_maxrss / 1024, out.read().decode("utf-8", "replace")


def check_output(stage: str, stdout: str, expected: set) -> str:
    """For validation stages: do the results equal the injected violations?"""
    if not stage.startswith("validate") or not stdout:
        return ""
    results = {(r["focus"], r["shape"], r["component"]) for r in json.loads(stdout)["results"]}
    return "results = injected violations" if results == expected else (
        f"MISMATCH: {len(results - expected)} unexpected, {len(expected - results)} missing")


def run(sizes: list[int], stages: list[str], timeout: float, workdir: Path, seed: int = 1,
        pyshacl_max: int = 10_000) -> list[Measure]:
    measures = []
    for n in sizes:
        synthetic = generate(workdir / f"synthetic-{n}.ttl", n, seed)
        size_mb = synthetic.path.stat().st_size / 1e6
        for stage in stages:
            if stage == "validate-pyshacl" and n > pyshacl_max:
                measures.append(Measure(stage, n, None, 0, f"not run above {pyshacl_max:,} claims (--pyshacl-max)"))
                continue
            seconds, peak, stdout = measure(command(stage, synthetic.path), timeout)
            note = check_output(stage, stdout, synthetic.expected) if seconds is not None else f"stopped after {timeout:.0f} s"
            measures.append(Measure(stage, n, seconds, peak, note))
            shown = f"{seconds:.2f} s" if seconds is not None else "timeout"
            print(f"N={n:>9,} ({size_mb:.0f} MB) {stage:<18} {shown:>10} {peak:>8.0f} MB  {note}", flush=True)
    return measures


def table(measures: list[Measure]) -> str:
    by_key = {(m.stage, m.claims): m for m in measures}
    lines = ["| stage | claims | seconds | peak MB | vs baseline | note |", "|---|---:|---:|---:|---:|---|"]
    for m in measures:
        base = by_key.get((BASELINE.get(m.stage, ""), m.claims))
        if base is None or m.seconds is None:
            ratio = ""
        elif base.seconds is None and base.note.startswith("stopped"):
            ratio = f"> {float(timeout_of(base)) / m.seconds:.0f}x faster (baseline stopped)"
        elif base.seconds is None:
            ratio = ""
        else:
            ratio = f"{base.seconds / m.seconds:.1f}x faster"
        seconds = f"{m.seconds:.2f}" if m.seconds is not None else ("" if m.note.startswith("not run") else "timeout")
        peak = f"{m.peak_mb:.0f}" if m.peak_mb else ""
        lines.append(f"| {m.stage} | {m.claims:,} | {seconds} | {peak} | {ratio} | {m.note} |")
    return "\n".join(lines)


def timeout_of(m: Measure) -> str:
    return m.note.removeprefix("stopped after ").removesuffix(" s")


def machine() -> str:
    cpus = os.cpu_count()
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        memory = 0
    return f"{platform.system()} {platform.machine()}, {cpus} CPUs, {memory:.0f} GiB, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="claims per synthetic KB, comma-separated")
    parser.add_argument("--stages", default=",".join(STAGES), help=f"comma-separated, of: {', '.join(STAGES)}")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a stage is stopped")
    parser.add_argument("--pyshacl-max", type=int, default=10_000,
                        help="largest N for the pyshacl baseline (about 40 s per 1,000 claims, growing faster)")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    parser.add_argument("--workdir", type=Path, default=None, help="where the synthetic files go (default: a temp dir)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    stages = args.stages.split(",")
    for stage in stages:
        command(stage, Path("x"))  # unknown stage: fail before generating anything
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        measures = run(sizes, stages, args.timeout, workdir, pyshacl_max=args.pyshacl_max)
    text = f"Machine: {machine()}\n\n{table(measures)}\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
