"""What the cache guarantees when files, the cache folder or the process misbehave:
a kept store or report answers only for the bytes it was made from; a file replaced under
the same size, mtime and inode is read again; the stores of other projects, and stores in
use, are not removed; a damaged entry is made afresh; a cache that cannot be written (or
none) gives the answer from memory; a killed query leaves no JVM, and the next run removes
its leftovers. Each says so in one warning line, never an "internal error"."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import imid_onto.io.cache as store_module
from imid_onto import paths
from imid_onto.io.cache import CacheWarning, cached_store, fingerprint
from imid_onto.model.kb import open_store

from ..conftest import REPO, cli, imid, knowledge_base_line, one_error_line

WARNING = "imid-onto: warning: "
ONE, TWO = '<urn:x:a> <urn:x:b> "one" .\n', '<urn:x:a> <urn:x:b> "two" .\n'  # same size
QUERY = "SELECT ?o WHERE { <urn:x:a> <urn:x:b> ?o }\n"
#: An entity that conforms (one warning), and the same bytes but one with a violation.
GOOD = """@prefix imid: <https://w3id.org/imid-onto/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/imid-onto/test/drugA> a owl:NamedIndividual, imid:ImmunomodulatoryDrug ; rdfs:label "drug A"@en .
"""
LACKS = "nothing new is kept there; what it lacks is made afresh, in memory"
BAD = GOOD.replace('"drug A"@en', '"drug A"@fr')  # not an English label: "Entity needs exactly one rdfs:label"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("IMID_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def stores(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.iterdir() if p.name.startswith("kb-")) if cache.exists() else []


def objects(store) -> list[str]:
    return sorted(q.object.value for q in store.quads_for_pattern(None, None, None))


def fill_with(files: list[Path]):
    def fill(store):
        open_store(files, store=store, plain_edges=False)
        return "none", ""

    return fill


def ended() -> None:
    """As if the processes that opened stores here had ended: their locks are let go."""
    for fd in store_module._HELD.values():
        os.close(fd)
    store_module._HELD.clear()


def rows(done: subprocess.CompletedProcess[str]) -> list[str]:
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()[1:]


def warnings_in(done: subprocess.CompletedProcess[str]) -> list[str]:
    """The warning lines on stderr (and nothing else is there)."""
    lines = done.stderr.splitlines()
    assert all(line.startswith(WARNING) for line in lines), done.stderr
    return [line.removeprefix(WARNING) for line in lines]


def without_cache_variables(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("IMID_CACHE", "XDG_CACHE_HOME")}
    return {**env, **extra}


# 1. named by the bytes parsed


def test_a_store_is_named_by_the_bytes_parsed_not_by_the_file_put_back_after(cache, tmp_path):
    data = tmp_path / "data.ttl"
    data.write_text(ONE, encoding="utf-8")

    def saved_meanwhile(store):  # an editor saves while the store is built; the file is put back after
        data.write_text(TWO, encoding="utf-8")
        try:
            return fill_with([data])(store)
        finally:
            data.write_text(ONE, encoding="utf-8")

    assert objects(cached_store([data], saved_meanwhile, inferred=False).store) == ["two"]  # what was parsed
    again = cached_store([data], fill_with([data]), inferred=False)
    assert again.built and objects(again.store) == ["one"]
    assert len(stores(cache)) == 2


def test_a_kept_report_is_named_by_the_bytes_validated(cache, tmp_path, monkeypatch):
    from imid_onto.validation import report as validation

    data = tmp_path / "data.ttl"
    data.write_text(GOOD, encoding="utf-8")
    real = validation.open_store

    def saved_meanwhile(files, **options):
        data.write_text(BAD, encoding="utf-8")
        try:
            return real(files, **options)
        finally:
            data.write_text(GOOD, encoding="utf-8")

    monkeypatch.setattr(validation, "open_store", saved_meanwhile)
    assert validation.validate([data], keep=True).count("violation") == 1  # what was parsed
    monkeypatch.setattr(validation, "open_store", real)
    assert validation.kept_report([data]) is None  # not kept under the name of the bytes the file holds now
    assert validation.validate([data], keep=True).count("violation") == 0
    assert validation.kept_report([data]).count("violation") == 0


# 2. a file replaced under the same size, mtime and inode


def replace_in_place(path: Path, text: str) -> None:
    """Write ``text`` over ``path`` as ``cp -p`` does: the same inode, the mtime set back."""
    before = path.stat()
    with open(path, "r+", encoding="utf-8") as handle:
        handle.write(text)
        handle.truncate()
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)


def settled(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(path, (an_hour_ago, an_hour_ago))  # as a file copied with its times is
    return path


def test_query_data_answers_for_a_file_replaced_under_the_same_size_mtime_and_inode(cache, tmp_path):
    data = settled(tmp_path / "data.ttl", ONE)
    (tmp_path / "q.rq").write_text(QUERY, encoding="utf-8")
    args = ("query", "--file", str(tmp_path / "q.rq"), "--data", str(data), "--asserted-only", "--format", "csv")
    assert rows(cli(*args)) == ["one"]
    replace_in_place(data, TWO)
    assert rows(cli(*args)) == ["two"]


def test_validate_reports_the_violation_of_a_file_replaced_under_the_same_size_mtime_and_inode(cache, tmp_path):
    data = settled(tmp_path / "data.ttl", GOOD)
    first = cli("validate", str(data))
    assert first.returncode == 0 and "0 violations" in first.stdout, first.stdout + first.stderr
    replace_in_place(data, BAD)
    second = cli("validate", str(data))
    assert second.returncode == 1 and "1 violations" in second.stdout, second.stdout + second.stderr


@pytest.mark.parametrize("field", [None, "ctime", "device", "size"])
def test_a_remembered_digest_is_trusted_only_with_the_same_change_time_and_device(cache, tmp_path, field):
    data = tmp_path / "data.ttl"
    data.write_text(ONE, encoding="utf-8")
    info = data.stat()
    truth = fingerprint([data], inferred=False)  # data.ttl was modified just now: read, not remembered
    signature = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]
    if field is not None:
        signature[{"size": 0, "ctime": 2, "device": 4}[field]] += 1
    forged = {str(data.resolve()): {"stat": signature, "sha256": "0" * 64}}
    cache.mkdir()
    (cache / "file-digests.json").write_text(json.dumps(forged), encoding="utf-8")
    assert (fingerprint([data], inferred=False) == truth) == (field is not None)  # the same signature: trusted


def test_a_source_that_is_not_a_regular_file_is_refused_before_it_is_read(cache, tmp_path):
    fifo = tmp_path / "data.ttl"
    os.mkfifo(fifo)
    done = imid("query", "neosubstrates", "--data", str(fifo), "--asserted-only", timeout=60)
    assert one_error_line(done, 2) == f"{fifo}: not a regular file (a named pipe): imid-onto reads files only"


# 3. other projects' stores, stores in use, and how many are kept


@pytest.mark.slow
def test_two_projects_with_a_file_of_the_same_name_keep_their_own_stores(cache, tmp_path):
    (tmp_path / "q.rq").write_text(QUERY, encoding="utf-8")
    for project, text in (("p1", ONE), ("p2", TWO)):
        (tmp_path / project).mkdir()
        (tmp_path / project / "data.ttl").write_text(text, encoding="utf-8")

    def query(project: str) -> list[str]:
        return rows(
            cli(
                "query",
                "--file",
                str(tmp_path / "q.rq"),
                "--data",
                "data.ttl",
                "--asserted-only",
                "--format",
                "csv",
                cwd=tmp_path / project,
            )
        )

    assert query("p1") == ["one"]
    first = stores(cache)
    assert query("p2") == ["two"]
    both = stores(cache)
    assert len(both) == 2 and set(first) < set(both)
    built = {name: (cache / name / "lock").stat().st_ino for name in both}
    assert query("p1") == ["one"]
    assert {name: (cache / name / "lock").stat().st_ino for name in stores(cache)} == built  # opened, not rebuilt


READER = """
import sys
from pathlib import Path
from imid_onto.query import load_dataset

dataset = load_dataset([Path(sys.argv[1])], asserted_only=True, cache=True)
print("open", flush=True)
sys.stdin.readline()  # another process works meanwhile
print(len(list(dataset.store.quads_for_pattern(None, None, None))), flush=True)  # every file of the store is read
"""


@pytest.mark.slow
def test_a_store_in_use_is_not_removed(cache, tmp_path):
    data = tmp_path / "data.ttl"
    data.write_text(ONE, encoding="utf-8")
    (tmp_path / "q.rq").write_text(QUERY, encoding="utf-8")
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(data)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert reader.stdout.readline() == "open\n", reader.stderr.read()
        (in_use,) = stores(cache)
        data.write_text(TWO, encoding="utf-8")  # a new store, and only one allowed: the one in use must stay
        env = dict(os.environ, IMID_CACHE=str(cache), IMID_CACHE_SIZE="1")
        assert rows(
            imid(
                "query",
                "--file",
                str(tmp_path / "q.rq"),
                "--data",
                str(data),
                "--asserted-only",
                "--format",
                "csv",
                env=env,
            )
        ) == ["two"]
        assert in_use in stores(cache)
        out, err = reader.communicate("\n", timeout=120)
    finally:
        reader.kill()
    assert reader.returncode == 0 and int(out) > 0, err
    data.write_text(ONE.replace("one", "1+2"), encoding="utf-8")
    imid("query", "--file", str(tmp_path / "q.rq"), "--data", str(data), "--asserted-only", env=env)
    assert in_use not in stores(cache) and len(stores(cache)) == 1  # no longer in use: the least recently used goes


@pytest.mark.slow
def test_the_least_recently_used_stores_go_beyond_eight_or_the_size_bound(cache, tmp_path, monkeypatch):
    files = []
    for i in range(11):
        files.append(tmp_path / f"data{i}.ttl")
        files[-1].write_text(f'<urn:x:a> <urn:x:b> "{i}" .\n', encoding="utf-8")
    names = {}

    def build(i: int) -> None:
        made = cached_store([files[i]], fill_with([files[i]]), inferred=False)
        names[i] = made.path.name
        ended()
        os.utime(made.path / "imid-onto-store.json", (1_000_000 + i, 1_000_000 + i))  # used in this order

    for i in range(9):
        build(i)
    assert len(stores(cache)) == 8 and names[0] not in stores(cache)
    assert not cached_store([files[1]], fill_with([files[1]]), inferred=False).built  # used now: the most recent
    ended()
    build(9)
    assert names[1] in stores(cache) and names[2] not in stores(cache)
    monkeypatch.setenv("IMID_CACHE_SIZE", "1")
    build(10)
    assert stores(cache) == [names[10]]  # the newest is kept, whatever its size


def test_a_wrong_cache_size_is_a_clear_error(cache):
    done = cli(
        "query", "neosubstrates", "--asserted-only", env=dict(os.environ, IMID_CACHE=str(cache), IMID_CACHE_SIZE="lots")
    )
    assert one_error_line(done, 2) == "IMID_CACHE_SIZE='lots': not a size (write 5G, 500M or a number of bytes)"


# 4. damaged entries


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """A cache holding the store of the shipped data (asserted only), and the answer it gives."""
    cache = tmp_path_factory.mktemp("shipped") / "cache"
    done = cli(
        "query", "neosubstrates", "--asserted-only", "--format", "csv", env=dict(os.environ, IMID_CACHE=str(cache))
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return cache, done.stdout


def _largest_sst(store: Path) -> Path:
    return max(store.glob("*.sst"), key=lambda p: p.stat().st_size)


def _forge_marker(folder: Path) -> None:
    marker = json.loads((folder / "imid-onto-store.json").read_text(encoding="utf-8"))
    (folder / "imid-onto-store.json").write_text(json.dumps({**marker, "fingerprint": "0" * 64}), encoding="utf-8")


def _digest_without_hash(cache: Path) -> None:
    known = json.loads((cache / "file-digests.json").read_text(encoding="utf-8"))
    del known[str(paths.ontology_file().resolve())]["sha256"]
    (cache / "file-digests.json").write_text(json.dumps(known), encoding="utf-8")


def _replace_by_file(path: Path) -> None:
    shutil.rmtree(path)
    path.write_text("", encoding="utf-8")


def _flip_inside(sst: Path) -> None:
    """16 bytes changed at each fortieth of the way into a data file (from the first to the
    thirty-ninth), its size kept: RocksDB opens the store and finds the damage only when the
    query reads a damaged block. Which blocks the query reads moves as the data grows, so many
    places are damaged (one place, a tenth of the way in, went unread once the ontology gained
    its IAO definitions; nine, at each tenth, once claim model 2 re-curated the claims)."""
    size = sst.stat().st_size
    with open(sst, "r+b") as handle:
        for part in range(1, 40):
            handle.seek(size * part // 40)
            block = handle.read(16)
            handle.seek(size * part // 40)
            handle.write(bytes(b ^ 0xFF for b in block))


DAMAGE = {
    "zero-byte marker": lambda c, s: (s / "imid-onto-store.json").write_text("", encoding="utf-8"),
    "garbled marker": lambda c, s: (s / "imid-onto-store.json").write_text('{"fingerprint": ', encoding="utf-8"),
    "another store's marker": lambda c, s: _forge_marker(s),
    "missing .sst": lambda c, s: _largest_sst(s / "store").unlink(),
    "truncated .sst": lambda c, s: os.truncate(_largest_sst(s / "store"), 1000),
    "bytes changed inside an .sst": lambda c, s: _flip_inside(_largest_sst(s / "store")),
    "emptied CURRENT": lambda c, s: (s / "store" / "CURRENT").write_text("", encoding="utf-8"),
    "missing lock": lambda c, s: (s / "lock").unlink(),
    "store folder replaced by a file": lambda c, s: _replace_by_file(s),
    "database folder replaced by a file": lambda c, s: _replace_by_file(s / "store"),
    "digest entry without its hash": lambda c, s: _digest_without_hash(c),
    "garbled digests": lambda c, s: (c / "file-digests.json").write_text("{", encoding="utf-8"),
}


@pytest.mark.slow
@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_store_is_made_afresh_with_one_warning(shipped, tmp_path, damage):
    good, answer = shipped
    cache = Path(shutil.copytree(good, tmp_path / "cache"))
    (folder,) = [cache / name for name in stores(cache)]
    DAMAGE[damage](cache, folder)
    env = dict(os.environ, IMID_CACHE=str(cache))
    first = cli("query", "neosubstrates", "--asserted-only", "--format", "csv", env=env)
    assert (first.returncode, first.stdout) == (0, answer), first.stderr
    (warning,) = warnings_in(first)
    assert "damaged cache entry" in warning
    again = cli("query", "neosubstrates", "--asserted-only", "--format", "csv", env=env)
    assert (again.returncode, again.stdout, again.stderr) == (0, answer, "")  # made afresh, and kept


@pytest.mark.parametrize("damage", ["garbled report", "reports folder replaced by a file"])
def test_a_damaged_kept_report_is_made_afresh_with_one_warning(cache, tmp_path, damage):
    data = tmp_path / "data.ttl"
    data.write_text(BAD, encoding="utf-8")
    first = cli("validate", str(data))
    assert first.returncode == 1 and first.stderr == ""
    (report,) = (cache / "reports").iterdir()
    if damage == "garbled report":
        report.write_text('{"files": [', encoding="utf-8")
    else:
        _replace_by_file(cache / "reports")
    second = cli("validate", str(data))
    assert (second.returncode, second.stdout) == (1, first.stdout)
    (warning,) = warnings_in(second)
    assert "damaged cache entry" in warning
    third = cli("validate", str(data))
    assert (third.returncode, third.stdout, third.stderr) == (1, first.stdout, "")
    assert [p.name for p in (cache / "reports").iterdir()] == [report.name]


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["garbled result", "reasoner folder replaced by a file"])
def test_a_damaged_kept_reasoner_result_is_made_afresh_with_one_warning(cache, java, damage):
    from imid_onto.reasoning.infer import reasoner_input, run_hermit

    graph = reasoner_input()
    first = run_hermit(graph, keep=True)
    (kept,) = (cache / "reasoner").iterdir()
    if damage == "garbled result":
        kept.write_text('{"inferred": 1}', encoding="utf-8")
    else:
        _replace_by_file(cache / "reasoner")
    with pytest.warns(CacheWarning, match="damaged cache entry"):
        again = run_hermit(graph, keep=True)
    assert sorted(again.inferred) == sorted(first.inferred)
    assert json.loads(kept.read_text(encoding="utf-8"))["consistent"] is True  # kept anew


# 5. a cache that cannot be written, or none


def test_a_cache_folder_that_cannot_be_made_gives_answers_from_memory(shipped, tmp_path):
    _, answer = shipped
    (tmp_path / "file").write_text("", encoding="utf-8")
    env = dict(os.environ, IMID_CACHE=str(tmp_path / "file" / "cache"))  # under a file: ENOTDIR, even for root
    done = cli("query", "neosubstrates", "--asserted-only", "--format", "csv", env=env)
    assert (done.returncode, done.stdout) == (0, answer)
    assert warnings_in(done) == [f"{tmp_path / 'file' / 'cache'}: cannot write the cache (Not a directory): {LACKS}"]
    data = tmp_path / "data.ttl"
    data.write_text(BAD, encoding="utf-8")
    checked = cli("validate", str(data), env=env)
    assert checked.returncode == 1 and "1 violations" in checked.stdout and len(warnings_in(checked)) == 1


def test_a_full_cache_gives_answers_from_memory(cache, tmp_path, monkeypatch):
    import errno
    import tempfile

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(cache / ".kb-building-1-x"))

    data = tmp_path / "data.ttl"
    data.write_text(ONE, encoding="utf-8")
    monkeypatch.setattr(tempfile, "mkdtemp", full)
    with pytest.warns(CacheWarning, match=r"cannot write the cache \(No space left on device\)"):
        made = cached_store([data], fill_with([data]), inferred=False)
    assert made.path is None and objects(made.store) == ["one"] and stores(cache) == []


def test_an_empty_home_gives_answers_from_memory(shipped, tmp_path):
    _, answer = shipped
    env = without_cache_variables(HOME="")
    done = cli("query", "neosubstrates", "--asserted-only", "--format", "csv", env=env, cwd=REPO)
    assert (done.returncode, done.stdout) == (0, answer)
    assert warnings_in(done) == [
        "no cache folder (HOME is empty or unset, and neither IMID_CACHE nor XDG_CACHE_HOME "
        "is set): nothing is kept; everything is made afresh, in memory"
    ]
    data = tmp_path / "data.ttl"
    data.write_text(BAD, encoding="utf-8")
    checked = cli("validate", str(data), env=env)
    assert checked.returncode == 1 and "1 violations" in checked.stdout and len(warnings_in(checked)) == 1


def _namespace_mounts() -> None:
    """Skip unless this machine lets a process mount in its own user and mount namespaces."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is absent")
    if subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode != 0:
        pytest.skip("user namespaces are not available here (needed to mount a read-only or full folder)")


def _in_namespace(mount: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The command line, run where ``mount`` (a shell command) has mounted the cache folder."""
    script = f'{mount} && exec "$0" -m imid_onto.cli "$@"'
    return knowledge_base_line(
        subprocess.run(
            ["unshare", "-rm", "sh", "-c", script, sys.executable, *args],
            capture_output=True,
            text=True,
            cwd=REPO,
            env=env,
            timeout=600,
        )
    )


@pytest.mark.parametrize("holding", ["nothing", "the store"])
def test_a_read_only_cache_gives_answers_from_memory(shipped, tmp_path, holding):
    _namespace_mounts()
    good, answer = shipped
    cache = tmp_path / "cache"
    if holding == "the store":
        shutil.copytree(good, cache)
    else:
        cache.mkdir()
    env = dict(os.environ, IMID_CACHE=str(cache))
    done = _in_namespace(
        'mount --bind "$IMID_CACHE" "$IMID_CACHE" && mount -o remount,bind,ro "$IMID_CACHE"',
        "query",
        "neosubstrates",
        "--asserted-only",
        "--format",
        "csv",
        env=env,
    )
    assert (done.returncode, done.stdout) == (0, answer), done.stderr
    expected = [] if holding == "the store" else [f"{cache}: cannot write the cache (Read-only file system): {LACKS}"]
    assert warnings_in(done) == expected


def test_a_full_disk_gives_answers_from_memory(shipped, tmp_path):
    _namespace_mounts()
    _, answer = shipped
    cache = tmp_path / "cache"
    cache.mkdir()
    done = _in_namespace(
        'mount -t tmpfs -o size=64k tmpfs "$IMID_CACHE"',
        "query",
        "neosubstrates",
        "--asserted-only",
        "--format",
        "csv",
        env=dict(os.environ, IMID_CACHE=str(cache)),
    )
    assert (done.returncode, done.stdout) == (0, answer), done.stderr
    assert warnings_in(done) == [f"{cache}: cannot write the cache (No space left on device): {LACKS}"]


# 6. a killed query


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie is dead, waiting to be reaped


def _wait_for(condition, what: str, limit: float = 120) -> None:
    """Wait until ``condition()`` holds (a bound on a hang, not a timing assertion)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting, after {limit:.0f} s, for {what}")
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the JVM dies with its parent on Linux (prctl)")
def test_a_killed_query_leaves_no_jvm_and_the_next_run_removes_its_leftovers(tmp_path, java):
    tmp, cache, bin_ = tmp_path / "tmp", tmp_path / "cache", tmp_path / "bin"
    for folder in (tmp, bin_):
        folder.mkdir()
    pidfile = tmp_path / "java.pid"
    stand_in = bin_ / "java"  # started as owlready2 starts HermiT's JVM, and never done
    stand_in.write_text(
        f'#!/bin/sh\necho $$ > "{pidfile}.tmp" && mv "{pidfile}.tmp" "{pidfile}"\nexec sleep 600\n', encoding="utf-8"
    )
    stand_in.chmod(0o755)
    env = dict(os.environ, TMPDIR=str(tmp), IMID_CACHE=str(cache))
    query = subprocess.Popen(
        [sys.executable, "-m", "imid_onto.cli", "query", "neosubstrates"],
        cwd=REPO,
        env={**env, "PATH": f"{bin_}{os.pathsep}{os.environ['PATH']}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    jvm = None
    try:
        _wait_for(lambda: pidfile.exists() or query.poll() is not None, "the reasoner to start")
        assert query.poll() is None, "the query ended before its reasoner started"
        jvm = int(pidfile.read_text(encoding="utf-8"))
        query.kill()
        query.wait()
        _wait_for(lambda: not _running(jvm), "the reasoner to die with the query")
    finally:
        query.kill()
        if jvm is not None and _running(jvm):
            os.kill(jvm, 9)
    (left,) = tmp.glob(f"imid-reason-{query.pid}-*")
    building = cache / f".kb-building-{query.pid}-x"  # as a query killed while writing its store leaves
    building.mkdir(parents=True)
    alive = tmp / f"imid-reason-{os.getpid()}-x"  # a run still going
    alive.mkdir()
    done = imid("query", "neosubstrates", env=env)
    assert done.returncode == 0, done.stderr
    assert not left.exists() and not building.exists() and alive.exists()
