"""Time imid-onto's stages on synthetic knowledge bases, side by side with plain baselines.

    python -m benchmarks.run                          # N = 1,000 / 10,000 / 100,000
    python -m benchmarks.run --sizes 1000 --stages validate --out /tmp/bench.md

Each stage runs in a fresh process, so the figures are whole-process wall-clock times
(interpreter start, imports and loading included) with the process's peak resident memory
(from wait4). A stage that exceeds --timeout is stopped and reported as such. Results go to
a Markdown table (--out, default benchmarks/results.md) and to stdout. No figure here is
asserted by the tests: a smoke run at N = 1,000 only proves the script works.

Stages (the baselines are in benchmarks/baselines.py):
- validate: ``imid-onto validate FILE`` (the fast engine), checked against the
  generator's injected violations;
- validate-pyshacl: the same with ``--engine pyshacl`` (the reference engine), and the
  baseline the fast engine is compared with;
- load-pyoxigraph / load-pyoxigraph-disk / load-rdflib: parsing the file into a pyoxigraph
  store in memory / pyoxigraph's on-disk store (its bulk loader) / an rdflib Graph, the
  baselines for loading;
- load: ``imid-onto query downstream-effects --data FILE --no-cache --asserted-only``:
  imid-onto's load path alone (parse with its checks, the plain edges, the query answered in
  memory; no reasoner, no store written), compared with the load baselines;
- store-build: the first ``imid-onto query downstream-effects --data FILE``, with an empty
  cache: parse, plain edges, reasoning, the persistent store written, the query answered;
- query-cold: the same command again, in a new process, against the store it built: the
  figure a user sees for every later query;
- query-rdflib / query-pyoxigraph: the baselines: a new process that parses FILE and runs
  the same SPARQL in memory (rdflib; pyoxigraph used directly);
- reason: imid-onto's reasoning (the input summarized, HermiT); reason-hermit-all: HermiT
  on the whole reasoner input, the baseline;
- queries-cold: every named query, each in a new process against the built store (after
  store-build), with parameters that name entities of the synthetic data;
- claims-cold: ``imid-onto claims --data FILE --status open-question`` against the built store;
- validate-kept: ``imid-onto validate FILE`` again (after validate): the kept report is read;
- store-rebuild: store-build for a copy of FILE with one claim's quote edited: the store is
  built again, the reasoner's kept result is used (its input, without claims, is unchanged);
- build-shipped: ``imid-onto build`` of the shipped knowledge base (once, whatever N).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from imid_onto.query import named_queries

from .synthetic import BASE, PATHWAY, Synthetic, edit_quote, generate

HERE = Path(__file__).resolve().parent
STAGES = [
    "validate",
    "validate-pyshacl",
    "validate-kept",
    "load-pyoxigraph",
    "load-pyoxigraph-disk",
    "load-rdflib",
    "load",
    "store-build",
    "query-cold",
    "query-rdflib",
    "query-pyoxigraph",
    "reason",
    "reason-hermit-all",
    "queries-cold",
    "claims-cold",
    "store-rebuild",
    "build-shipped",
]
#: What each stage is compared with, in the table's "vs baseline" column.
BASELINE = {
    "validate": ["validate-pyshacl"],
    "validate-kept": ["validate"],
    "load": ["load-rdflib", "load-pyoxigraph"],
    "store-build": ["load-rdflib", "load-pyoxigraph", "load-pyoxigraph-disk"],
    "store-rebuild": ["load-rdflib", "load-pyoxigraph", "load-pyoxigraph-disk"],
    "query-cold": ["query-rdflib", "query-pyoxigraph"],
    "reason": ["reason-hermit-all"],
}


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


def params(synthetic: Synthetic) -> dict[str, list[str]]:
    """Parameters of the named queries that name entities of the synthetic data (with
    --param: the label of the protein whose degradation starts a pathway, the last event of
    the first pathway, the first source document)."""
    return {
        "protein": [f"protein={synthetic.start_protein}"],
        "entity": ["entity=protein 1"],
        "effect": [f"effect=event {PATHWAY - 1}"],
        "source": [f"source=<{BASE}source-0>"],
        "complex": ["complex=protein 0"],
    }


def command(stage: str, synthetic: Synthetic, query: str = "downstream-effects") -> list[str]:
    data = synthetic.path
    protein_iri = BASE + synthetic.start_protein.replace(" ", "-")
    # --alone: the synthetic file is a knowledge base of its own (not beside the shipped entities)
    if stage in ("validate", "validate-kept"):
        return [*_imid_onto(), "validate", "--alone", str(data), "--format", "json", "--fail-on", "violation"]
    if stage == "validate-pyshacl":
        return [*_imid_onto(), "validate", "--alone", str(data), "--format", "json", "--engine", "pyshacl"]
    if stage == "load-pyoxigraph":
        code = (
            "import sys, pyoxigraph as ox; s = ox.Store(); "
            "s.load(path=sys.argv[1], format=ox.RdfFormat.TURTLE); print(len(s))"
        )
        return [sys.executable, "-c", code, str(data)]
    if stage == "load-pyoxigraph-disk":
        code = (
            "import sys, pyoxigraph as ox; s = ox.Store(sys.argv[2]); "
            "s.bulk_load(path=sys.argv[1], format=ox.RdfFormat.TURTLE); s.flush(); print(len(s))"
        )
        return [sys.executable, "-c", code, str(data), str(data.parent / f"{data.stem}-oxigraph")]
    if stage == "load-rdflib":
        code = "import sys, rdflib; g = rdflib.Graph(); g.parse(sys.argv[1], format='turtle'); print(len(g))"
        return [sys.executable, "-c", code, str(data)]
    if stage in ("load", "store-build", "query-cold", "queries-cold", "store-rebuild"):
        if stage == "store-rebuild":  # made by run(), beside the data
            data = edited(data)
        named = named_queries()[query]
        args = [arg for p in named.params for item in params(synthetic).get(p.name, []) for arg in ("--param", item)]
        if stage == "load":
            args += ["--no-cache", "--asserted-only"]
        return [*_imid_onto(), "query", query, "--data", str(data), *args, "--format", "csv"]
    if stage == "claims-cold":
        return [*_imid_onto(), "claims", "--data", str(data), "--status", "open-question"]
    if stage in ("query-rdflib", "query-pyoxigraph"):
        return [sys.executable, "-m", "benchmarks.baselines", stage, str(data), protein_iri]
    if stage in ("reason", "reason-hermit-all"):
        return [sys.executable, "-m", "benchmarks.baselines", stage, str(data)]
    if stage == "build-shipped":
        return [*_imid_onto(), "build", "--out", str(data.parent / "build-shipped")]
    raise SystemExit(f"unknown stage {stage!r} (choose from {', '.join(STAGES)})")


def edited(data: Path) -> Path:
    """Where store-rebuild's copy of ``data`` (one claim's quote edited) is written."""
    return data.with_name(f"{data.stem}-edited.ttl")


def measure(
    cmd: list[str], timeout: float, env: dict | None, stage: str, expected: set
) -> tuple[float | None, float, str]:
    """Wall-clock seconds (None on timeout), peak RSS in MB, and what the process printed,
    summed up by :func:`check_output` (peak RSS is the largest of the process and its
    children: HermiT's JVM counts). A process that fails gives ``FAILED (exit N)``. Its
    output is read as a stream: a million rows held here would raise every later child's
    peak (a child starts with its parent's memory)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, env=env, cwd=HERE.parent)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                _, status, usage = os.wait4(process.pid, 0)
                return None, usage.ru_maxrss / 1024, f"stopped after {timeout:.0f} s"
            time.sleep(0.02)
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        ok = code == 0 or (code == 1 and "validate" in cmd)  # validate exits 1 when it finds violations
        out.seek(0)
        text = io.TextIOWrapper(out, encoding="utf-8", errors="replace")
        return elapsed, usage.ru_maxrss / 1024, check_output(stage, text, expected) if ok else f"FAILED (exit {code})"


def check_output(stage: str, stdout: Iterable[str], expected: set) -> str:
    """What the stage found, from its output's lines: for validation, whether the results
    equal the injected violations; for queries, the number of rows; for baselines, their
    last line."""
    if stage.startswith("validate"):
        text = "".join(stdout)
        if not text:
            return ""
        results = {(r["focus"], r["shape"], r["component"]) for r in json.loads(text)["results"]}
        return (
            "results = injected violations"
            if results == expected
            else (f"MISMATCH: {len(results - expected)} unexpected, {len(expected - results)} missing")
        )
    if stage in ("load", "store-build", "store-rebuild", "query-cold") or stage.startswith("query-cold:"):
        return f"{max(0, sum(1 for _ in stdout) - 1)} rows"
    if stage in (
        "claims-cold",
        "query-rdflib",
        "query-pyoxigraph",
        "reason",
        "reason-hermit-all",
        "load-pyoxigraph",
        "load-pyoxigraph-disk",
        "load-rdflib",
    ):
        last = ""
        for line in stdout:
            last = line.strip() or last
        return last
    return ""


def run(
    sizes: list[int],
    stages: list[str],
    timeout: float,
    workdir: Path,
    seed: int = 1,
    pyshacl_max: int = 10_000,
    hermit_all_max: int = 10_000,
    rdflib_max: int = 100_000,
) -> list[Measure]:
    measures = []
    limits = {
        "validate-pyshacl": (pyshacl_max, "--pyshacl-max"),
        "reason-hermit-all": (hermit_all_max, "--hermit-all-max"),
        "query-rdflib": (rdflib_max, "--rdflib-max"),
        "load-rdflib": (rdflib_max, "--rdflib-max"),
    }
    for n in sizes:
        # Generated in a process of its own: a child inherits its parent's peak memory (Linux keeps
        # ru_maxrss across fork and exec), and the generator's text of 1M claims is 2.4 GB.
        with ProcessPoolExecutor(max_workers=1) as pool:
            synthetic = pool.submit(generate, workdir / f"synthetic-{n}.ttl", n, seed).result()
            if "store-rebuild" in stages:  # there too: the edited text of 100,000 claims takes 270 MB
                pool.submit(edit_quote, synthetic.path, 0, edited(synthetic.path)).result()
        size_mb = synthetic.path.stat().st_size / 1e6
        cache = workdir / f"cache-{n}"
        shutil.rmtree(cache, ignore_errors=True)
        env = {**os.environ, "IMID_CACHE": str(cache)}
        for stage in stages:
            if stage in limits and n > limits[stage][0]:
                measures.append(
                    Measure(stage, n, None, 0, f"not run above {limits[stage][0]:,} claims ({limits[stage][1]})")
                )
                continue
            if stage == "build-shipped" and n != sizes[0]:
                continue
            runs = (
                [(f"query-cold:{name}", name) for name in named_queries()]
                if stage == "queries-cold"
                else [(stage, "downstream-effects")]
            )
            for label, query in runs:
                seconds, peak, note = measure(command(stage, synthetic, query), timeout, env, label, synthetic.expected)
                claims = n
                if stage == "build-shipped":  # counted in a process of its own, as above
                    with ProcessPoolExecutor(max_workers=1) as pool:
                        claims = pool.submit(_shipped_claims).result()
                measures.append(Measure(label, claims, seconds, peak, note))
                shown = f"{seconds:.2f} s" if seconds is not None else "timeout"
                print(f"N={claims:>9,} ({size_mb:.0f} MB) {label:<32} {shown:>10} {peak:>8.0f} MB  {note}", flush=True)
    return measures


def _shipped_claims() -> int:
    from imid_onto.model.claims import claim_rows
    from imid_onto.model.kb import load_knowledge_base

    return len(claim_rows(load_knowledge_base()))


def table(measures: list[Measure]) -> str:
    by_key = {(m.stage, m.claims): m for m in measures}
    lines = ["| stage | claims | seconds | peak MB | vs baseline | note |", "|---|---:|---:|---:|---|---|"]
    for m in measures:
        ratios = [
            f"{ratio} {name}"
            for name in BASELINE.get(m.stage, [])
            if (ratio := _ratio(m, by_key.get((name, m.claims))))
        ]
        seconds = f"{m.seconds:.2f}" if m.seconds is not None else ("" if m.note.startswith("not run") else "timeout")
        peak = f"{m.peak_mb:.0f}" if m.peak_mb else ""
        lines.append(f"| {m.stage} | {m.claims:,} | {seconds} | {peak} | {'; '.join(ratios)} | {m.note} |")
    return "\n".join(lines)


def _ratio(m: Measure, base: Measure | None) -> str:
    """How ``m`` compares with ``base``: "2.0x faster than", "1.5x slower than", or ""."""
    if base is None or m.seconds is None:
        return ""
    if base.seconds is None:
        return (
            f"> {float(timeout_of(base)) / m.seconds:.0f}x faster than (stopped)"
            if base.note.startswith("stopped")
            else ""
        )
    factor = base.seconds / m.seconds
    return f"{factor:.1f}x faster than" if factor >= 1 else f"{1 / factor:.1f}x slower than"


def timeout_of(m: Measure) -> str:
    return m.note.removeprefix("stopped after ").removesuffix(" s")


def machine() -> str:
    cpus = os.cpu_count()
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        memory = 0
    return (
        f"{platform.system()} {platform.machine()}, {cpus} CPUs, {memory:.0f} GiB, Python {platform.python_version()}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="claims per synthetic KB, comma-separated")
    parser.add_argument("--stages", default=",".join(STAGES), help=f"comma-separated, of: {', '.join(STAGES)}")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a stage is stopped")
    parser.add_argument(
        "--pyshacl-max",
        type=int,
        default=10_000,
        help="largest N for the pyshacl baseline (about 40 s per 1,000 claims, growing faster)",
    )
    parser.add_argument(
        "--hermit-all-max",
        type=int,
        default=10_000,
        help="largest N for HermiT on the whole input (it did not finish in 10 minutes at 100,000)",
    )
    parser.add_argument(
        "--rdflib-max",
        type=int,
        default=100_000,
        help="largest N for the rdflib baselines (issue 7: > 300 s and > 10 GB at 1,000,000)",
    )
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    parser.add_argument("--workdir", type=Path, default=None, help="where the synthetic files go (default: a temp dir)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    stages = args.stages.split(",")
    for stage in stages:
        if stage not in STAGES:  # fail before generating anything
            raise SystemExit(f"unknown stage {stage!r} (choose from {', '.join(STAGES)})")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        measures = run(
            sizes,
            stages,
            args.timeout,
            workdir,
            pyshacl_max=args.pyshacl_max,
            hermit_all_max=args.hermit_all_max,
            rdflib_max=args.rdflib_max,
        )
    text = f"Machine: {machine()}\n\n{table(measures)}\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
