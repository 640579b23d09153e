"""Nothing lost: a build killed at any moment leaves the previous release whole; a build
never replaces a folder that is not an earlier release (a user's folder, a git clone, the
home folder, imid-onto's own sources, a mount point, the current folder); a file name
cannot forge a line on the terminal; and a publish that the server refuses, cuts off,
drips or floods says so in one line and never reports success.

Builds run as a user runs them (``imid-onto build --out DIR`` in a process of its own, with
SOURCE_DATE_EPOCH fixed so that every build is byte for byte the same) and are killed with
SIGKILL, the whole process group (Java, dot), at moments found by polling (the staging
folder appears, it is half written) and at fixed delays; and, to hit the few microseconds
around the swap every time, at markers written by a wrapper that pauses the build right
before the swap, right after the atomic exchange, and (on the two-rename path used where
the system cannot exchange) between the two renames. After each kill the release folder
holds exactly the files of the first build with the same SHA-256, and the next build
clears what the killed one left beside it.

Publishing goes to a tiny HTTP server on 127.0.0.1 (raw sockets in a thread) that
misbehaves in one way per test and records what it received.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ..conftest import REPO, imid, one_error_line

GRAPH = "https://w3id.org/imid-onto/test/graph"
#: The builds' query store (set by the first build's fixture): their own, since a kill may
#: leave it half written, and the next build must cope with that.
CACHE: dict[str, Path] = {}
EPOCH = "1700000000"
BUILD_TIMEOUT = 300

#: A wrapper around the command line: with IMID_TEST_PAUSE set, the build touches the file
#: IMID_TEST_MARKER at that point and sleeps there (to be killed); otherwise it runs as is.
WRAPPER = r"""
import os, pathlib, sys, time
point, marker = os.environ.get("IMID_TEST_PAUSE"), os.environ.get("IMID_TEST_MARKER")
if point:
    import imid_onto.publish.release as release

    def pause():
        pathlib.Path(marker).write_text(str(os.getpid()))
        time.sleep(120)

    if point == "before-swap":
        swap = release._swap_into_place
        def paused_swap(staging, out):
            pause()
            swap(staging, out)
        release._swap_into_place = paused_swap
    elif point == "after-exchange":
        exchange = release._exchange
        def paused_exchange(a, b):
            done = exchange(a, b)
            assert done, "no atomic exchange here"
            pause()
            return done
        release._exchange = paused_exchange
    elif point == "between-renames":
        release._exchange = lambda a, b: False  # as where the system cannot exchange
        rename = pathlib.Path.rename
        def paused_rename(self, target):
            result = rename(self, target)
            if pathlib.Path(target).name.startswith("." + pathlib.Path(self).name + ".previous-"):
                pause()
            return result
        pathlib.Path.rename = paused_rename
    else:
        raise SystemExit(f"unknown pause point {point}")
sys.argv[0] = "imid-onto"
from imid_onto.cli import run
run()
"""


def sha256_tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, IMID_CACHE=str(CACHE["path"]))
    env.pop("IMID_TEST_PAUSE", None)
    env.update(extra)
    return env


def start_build(out: Path, log: Path, **extra: str) -> subprocess.Popen:
    with log.open("wb") as handle:
        return subprocess.Popen([sys.executable, "-c", WRAPPER, "build", "--out", str(out)], env=build_env(**extra),
                                stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT,
                                start_new_session=True)


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the build and everything it started (its own process group)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=60)


def staging_folders(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.staging-*"))


def file_count(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def beside(out: Path) -> list[str]:
    """What is in the release folder's parent: the release and any leftovers of builds."""
    return sorted(p.name for p in out.parent.iterdir() if not p.name.endswith(".log"))


@pytest.fixture(scope="module")
def release_dir(tmp_path_factory):
    """The first build: its folder, every file's SHA-256 and how long it took."""
    root = tmp_path_factory.mktemp("nothing-lost")
    CACHE["path"] = root / "cache"
    out = root / "releases" / "build"
    out.parent.mkdir()
    started = time.monotonic()
    done = imid("build", "--out", str(out), env=build_env(), timeout=BUILD_TIMEOUT)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    hashes = sha256_tree(out)
    assert len(hashes) > 100 and "imid-kb-full.ttl" in hashes
    return out, hashes, time.monotonic() - started


KILLED: list[str] = []  # what each kill found, for the last test to print


def poll_until(process: subprocess.Popen, found, limit: float = BUILD_TIMEOUT) -> bool:
    """Poll (every millisecond) until ``found()`` or the build ends; True if found."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if found():
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.001)
    return False


def check_intact(out: Path, hashes: dict[str, str], process: subprocess.Popen, moment: str) -> None:
    assert out.is_dir(), f"{moment}: the release folder is gone"
    assert sha256_tree(out) == hashes, f"{moment}: the release folder changed"
    leftovers = [name for name in beside(out) if name != out.name]
    # what a killed build may leave: its own staging or previous folder, which the next build clears
    assert all(name.startswith((f".{out.name}.staging-{process.pid}-", f".{out.name}.previous-{process.pid}"))
               for name in leftovers), leftovers
    KILLED.append(f"{moment}: release intact ({len(hashes)} files); left beside: {leftovers or 'nothing'}")


DELAYS = [0.2, 1.0, 3.0]


@pytest.mark.parametrize("delay", DELAYS, ids=lambda d: f"after {d} s")
def test_a_build_killed_after_a_delay_leaves_the_release_intact(release_dir, delay):
    out, hashes, _ = release_dir
    process = start_build(out, out.parent / "kill.log")
    time.sleep(delay)
    finished = process.poll() is not None
    kill(process)
    assert not finished, f"the build ended within {delay} s: no kill tested"
    check_intact(out, hashes, process, f"killed after {delay} s")


@pytest.mark.parametrize("moment", ["staging folder appears", "staging folder half written",
                                    "new release swapped in (previous one and query store not yet done)"])
def test_a_build_killed_while_writing_its_staging_folder_leaves_the_release_intact(release_dir, moment):
    out, hashes, _ = release_dir
    before = out.stat().st_ino
    process = start_build(out, out.parent / "kill.log")
    mine = f".{out.name}.staging-{process.pid}-"

    def found() -> bool:
        if moment.startswith("new release"):
            return out.stat().st_ino != before
        folders = [p for p in staging_folders(out) if p.name.startswith(mine)]
        if not folders:
            return False
        return moment == "staging folder appears" or file_count(folders[0]) >= len(hashes) // 2

    seen = poll_until(process, found)
    kill(process)
    assert seen, f"the build ended before the {moment}"
    check_intact(out, hashes, process, f"killed when the {moment}")


@pytest.mark.parametrize("point", ["before-swap", "after-exchange"])
def test_a_build_killed_at_the_swap_leaves_a_whole_release(release_dir, point, tmp_path):
    """Right before the swap (the staging folder complete) and right after the atomic
    exchange (the new release in place, the previous one not yet removed): the release
    folder holds a whole release either way."""
    out, hashes, _ = release_dir
    marker = tmp_path / "paused"
    process = start_build(out, out.parent / "kill.log", IMID_TEST_PAUSE=point, IMID_TEST_MARKER=str(marker))
    seen = poll_until(process, marker.exists)
    kill(process)
    assert seen, (out.parent / "kill.log").read_text()[-2000:]
    staged = [p for p in staging_folders(out) if p.name.startswith(f".{out.name}.staging-{process.pid}-")]
    assert len(staged) == 1 and sha256_tree(staged[0]) == hashes  # complete before, the previous release after
    check_intact(out, hashes, process, f"killed at {point}")


def test_where_the_swap_takes_two_renames_a_kill_between_them_is_recovered(release_dir, tmp_path):
    """Without an atomic exchange (not Linux, or a file system without it) the swap is two
    renames. Killed between them, the release folder is missing for a moment, but the
    previous release is whole beside it, and the next build puts it back at once."""
    out, hashes, _ = release_dir
    marker = tmp_path / "paused"
    process = start_build(out, out.parent / "kill.log", IMID_TEST_PAUSE="between-renames", IMID_TEST_MARKER=str(marker))
    seen = poll_until(process, marker.exists)
    kill(process)
    assert seen, (out.parent / "kill.log").read_text()[-2000:]
    kept = out.parent / f".{out.name}.previous-{process.pid}"
    assert not out.exists() and sha256_tree(kept) == hashes
    # the next build restores it before anything else (killed here right after starting)
    process = start_build(out, out.parent / "kill.log")
    restored = poll_until(process, out.is_dir, limit=60)
    kill(process)
    assert restored and sha256_tree(out) == hashes and not kept.exists()
    KILLED.append(f"killed between the two renames (fallback swap): release folder missing, previous release "
                  f"whole beside it; the next build put it back ({len(hashes)} files)")


def test_the_next_build_succeeds_and_leaves_nothing_beside(release_dir):
    out, hashes, first = release_dir
    process = start_build(out, out.parent / "last.log")
    try:
        assert process.wait(timeout=BUILD_TIMEOUT) == 0, (out.parent / "last.log").read_text()[-3000:]
    finally:
        kill(process)
    assert sha256_tree(out) == hashes
    assert beside(out) == [out.name]
    print(f"\nfirst build: {first:.1f} s; kills:\n  " + "\n  ".join(KILLED))


# -- a folder that is not a release is never replaced ---------------------------------------

NOT_A_RELEASE = ("not empty and not an imid-onto release (it has no .imid-onto-release): refusing to replace it; "
                 "give another folder, or --force to replace it and everything in it")
EVEN_FORCED = "refusing to replace it, even with --force"
UNSWAPPABLE = ("which cannot be replaced whole (a release is written beside its folder and swapped in): "
               "refusing to build into it; give a folder inside it")

USER_FOLDERS = {
    "a user's folder": {"notes.txt": b"mine\n", "data/results.csv": b"a,b\n1,2\n"},
    "a git clone": {".git/HEAD": b"ref: refs/heads/main\n", ".git/config": b"[core]\n", "README.md": b"# mine\n"},
    "only a hidden file": {".env": b"TOKEN=abc\n"},
}


def plant(folder: Path, files: dict[str, bytes]) -> dict[str, str]:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return sha256_tree(folder)


def quick_build(out: Path | str, *args: str, cwd: Path = REPO, **env: str) -> subprocess.CompletedProcess[str]:
    """``imid-onto build --no-reason --out OUT`` as a user runs it."""
    return subprocess.run([sys.executable, "-m", "imid_onto.cli", "build", "--no-reason", "--out", str(out), *args],
                          capture_output=True, text=True, cwd=cwd, timeout=BUILD_TIMEOUT,
                          env=dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, **env))


@pytest.mark.parametrize("what", USER_FOLDERS)
def test_a_folder_that_is_not_a_release_is_refused_and_kept_whole(tmp_path, what):
    out = tmp_path / "out"
    before = plant(out, USER_FOLDERS[what])
    assert one_error_line(quick_build(out), 2) == f"{out}: {NOT_A_RELEASE}"
    assert sha256_tree(out) == before and beside(out) == ["out"]


def test_force_replaces_a_folder_then_it_is_a_release(tmp_path):
    out = tmp_path / "out"
    plant(out, USER_FOLDERS["a user's folder"])
    done = quick_build(out, "--force")
    assert done.returncode == 0, done.stderr
    assert (out / ".imid-onto-release").is_file() and not (out / "notes.txt").exists()
    assert ".imid-onto-release" not in done.stdout  # the marker is not listed among the release's files
    done = quick_build(out)  # an earlier release: replaced without --force
    assert done.returncode == 0, done.stderr
    assert beside(out) == ["out"]


def test_an_empty_folder_is_built_into(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    done = quick_build(out)
    assert done.returncode == 0, done.stderr
    assert (out / ".imid-onto-release").read_bytes().startswith(b"This folder is a release written by imid-onto")


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A copy of the source checkout (run with PYTHONPATH pointing at its src/): what a
    build is refused to touch is imid-onto's own, so a regression harms only the copy."""
    root = tmp_path_factory.mktemp("checkout") / "imid-onto"
    for name in ("src", "ontology", "kb", "shapes", "queries"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    plant(root, {".git/HEAD": b"ref: refs/heads/main\n", "tests/test_x.py": b"", "README.md": b"# imid-onto\n"})
    return root


@pytest.mark.parametrize("where, how", [
    (".", "holds imid-onto's own source folders ({root}/src/imid_onto)"),
    ("kb", "is one of imid-onto's own source folders ({root}/kb)"),
    ("kb/claims", "is inside imid-onto's own source folders ({root}/kb)"),
    ("ontology", "is one of imid-onto's own source folders ({root}/ontology)"),
    ("src", "holds imid-onto's own source folders ({root}/src/imid_onto)"),
    (".git", "is one of imid-onto's own source folders ({root}/.git)"),
    ("tests", "is one of imid-onto's own source folders ({root}/tests)"),
    ("..", "holds imid-onto's own source folders ({root}/src/imid_onto)"),
])
def test_imid_ontos_own_sources_are_refused_even_with_force(checkout, tmp_path, where, how):
    before = sha256_tree(checkout.parent)
    out = (checkout / where).resolve()
    done = quick_build(out, "--force", cwd=tmp_path, PYTHONPATH=str(checkout / "src"))
    line = one_error_line(done, 2)
    suffix = ", even with --force; give another folder (--out build)"
    assert line == f"{out}: {how.format(root=checkout)}: refusing to replace it" + suffix
    assert sha256_tree(checkout.parent) == before


def test_the_root_and_the_home_folder_are_refused_even_with_force(tmp_path):
    home = tmp_path / "home"
    before = plant(home, {"notes.txt": b"mine\n", ".bashrc": b"# mine\n"})
    assert one_error_line(quick_build("/", "--force", HOME=str(home)), 2) == f"/: is the root folder: {EVEN_FORCED}"
    assert one_error_line(quick_build(home, "--force", HOME=str(home)), 2) == f"{home}: is your home folder: {EVEN_FORCED}"
    assert one_error_line(quick_build(tmp_path, "--force", HOME=str(home)), 2) == (
        f"{tmp_path}: holds your home folder ({home}): {EVEN_FORCED}")
    assert sha256_tree(home) == before


@pytest.mark.parametrize("contents", ["a user's folder", "empty"])
def test_the_current_folder_is_refused_with_the_reason(tmp_path, contents):
    here = tmp_path / "here"
    here.mkdir()
    before = plant(here, USER_FOLDERS["a user's folder"] if contents != "empty" else {})
    line = one_error_line(quick_build(".", cwd=here), 2)
    assert line == f"{here}: is the current folder, {UNSWAPPABLE} (--out build)"
    assert sha256_tree(here) == before and beside(here) == ["here"]


@pytest.fixture(scope="module")
def namespace() -> str:
    """``unshare``, where it can mount in a user namespace of its own (Linux)."""
    program = shutil.which("unshare")
    if program is None:
        pytest.skip("unshare (util-linux) is absent")
    probe = subprocess.run([program, "-rm", "sh", "-c", "mount -t tmpfs none /mnt"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"no mounting in a user namespace here: {probe.stderr.strip()}")
    return program


def in_namespace(program: str, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``script`` (sh, arguments ``$1``...) in a mount namespace of its own: its mounts end with it."""
    return subprocess.run([program, "-rm", "sh", "-c", script, "sh", *args], capture_output=True, text=True,
                          timeout=BUILD_TIMEOUT, cwd=REPO, env=dict(os.environ, SOURCE_DATE_EPOCH=EPOCH))


BUILD = f"{sys.executable} -m imid_onto.cli build --no-reason"


@pytest.mark.parametrize("contents", ["a user's file", "empty (a new volume)"])
def test_a_mount_point_is_refused_with_the_reason(namespace, tmp_path, contents):
    """A Docker volume: the folder cannot be renamed, so it cannot be swapped; refused before
    anything is built, even with --force, what it holds untouched."""
    out = tmp_path / "volume"
    out.mkdir()
    plant_file = "printf 'mine\\n' > \"$1/notes.txt\"; " if contents != "empty (a new volume)" else ""
    done = in_namespace(namespace, f'mount -t tmpfs none "$1"; {plant_file}'
                                   f'{BUILD} --force --out "$1"; code=$?; ls -A "$1" >&2; exit $code', str(out))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    line, *listing = done.stderr.splitlines()
    assert line == f"imid-onto: error: {out}: is a mount point, {UNSWAPPABLE} (--out {out}/build)"
    assert listing == (["notes.txt"] if contents == "a user's file" else [])


def test_a_bind_mount_that_looks_like_a_folder_is_refused_at_the_swap(namespace, tmp_path):
    """A folder mounted on itself (a bind mount of the same file system, which
    os.path.ismount does not see) holding an earlier release: the build is made, the swap
    fails (EBUSY / EXDEV), and that is one line; the earlier release is whole."""
    out = tmp_path / "out"
    assert quick_build(out).returncode == 0
    (out / "imid-kb.ttl").write_bytes(b"# the earlier release\n")
    before = sha256_tree(out)
    done = in_namespace(namespace, f'mount --bind "$1" "$1"; exec {BUILD} --out "$1"', str(out))
    assert one_error_line(done, 2) == f"{out}: is a mount point, {UNSWAPPABLE} (--out {out}/build)"
    assert sha256_tree(out) == before and beside(out) == ["out"]


def test_a_read_only_parent_is_one_line(namespace, tmp_path):
    parent = tmp_path / "read-only"
    parent.mkdir()
    done = in_namespace(namespace, f'mount -t tmpfs -o ro none "$1"; exec {BUILD} --out "$1/build"', str(parent))
    assert one_error_line(done, 2) == (
        f"{parent}/build: cannot write beside it, in {parent} (Read-only file system): a release is written "
        "there first, then swapped in; give a folder whose parent you can write")


# -- nothing forged on the terminal -----------------------------------------------------------

#: A file name that would print a line of its own, retitle the terminal and reverse the text.
EVIL = "evil\nimid-onto: validation passed\x1b]0;pwned\x07\r\u202e\x9b.ttl"
SHOWN = "evil\\nimid-onto: validation passed\\x1b]0;pwned\\x07\\r\\u202e\\x9b.ttl"  # as it is shown


@pytest.mark.parametrize("command", [("validate",), ("query", "neosubstrates", "--data"), ("claims", "--data"),
                                     ("check",), ("fmt", "--check")], ids=" ".join)
def test_a_file_name_cannot_forge_a_line_in_an_error(tmp_path, command):
    path = tmp_path / EVIL
    path.write_text("this is not Turtle\n", encoding="utf-8")
    done = imid(*command, str(path))
    line = one_error_line(done, 2)
    assert line.startswith(f"{tmp_path}/{SHOWN}:1:1: syntax error: ") and line.isprintable(), line
    assert done.stdout == ""


IMPORTS = ("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
           "<https://w3id.org/imid-onto/test/o> a owl:Ontology ; owl:imports <https://w3id.org/imid-onto/test/x> .\n")


def test_a_file_name_cannot_forge_a_line_in_a_warning(tmp_path):
    path = tmp_path / EVIL
    path.write_text(IMPORTS, encoding="utf-8")
    done = imid("query", "neosubstrates", "--data", str(path), "--no-cache", "--asserted-only")
    assert done.returncode == 0, done.stderr
    assert done.stderr == (f"imid-onto: warning: {tmp_path}/{SHOWN}: owl:imports <https://w3id.org/imid-onto/test/x> "
                           "not followed (imid-onto reads nothing over the network; give the imported ontology as a "
                           "file)\n")


def test_a_file_name_cannot_forge_a_line_in_checks_report(tmp_path, sources_dir, identifier_table):
    path = tmp_path / EVIL
    shutil.copy(REPO / "tests" / "fixtures" / "broken" / "quote-not-in-document.ttl", path)
    done = imid("check", str(path))
    problem = (f"{tmp_path}/{SHOWN}:36: claim https://w3id.org/imid-onto/test/claim-quote: quote not found in "
               "https://w3id.org/imid-onto/test/source: 'lenalidomide destroys Ikaros within minutes in every cell "
               "line tested'")
    assert one_error_line(done, 1) == problem
    assert done.stdout.splitlines()[0] == problem and len(done.stdout.splitlines()) == 2


def test_a_file_name_cannot_forge_a_line_in_the_output(tmp_path):
    path = tmp_path / EVIL
    path.write_text("<https://w3id.org/imid-onto/test/b>   <https://w3id.org/imid-onto/test/p> 2 .\n"
                    "<https://w3id.org/imid-onto/test/a> <https://w3id.org/imid-onto/test/p> 1 .\n",
                    encoding="utf-8")  # valid, not canonical
    done = imid("fmt", "--check", str(path))
    assert one_error_line(done, 1) == "1 file(s) not in canonical form"
    assert done.stdout == f"{tmp_path}/{SHOWN}: not in canonical form (run: imid-onto fmt {tmp_path}/{SHOWN})\n"


# -- publishing to a server that misbehaves -------------------------------------------------


class Stub:
    """A one-behaviour HTTP server on 127.0.0.1. ``behave(stub, connection, request)``
    answers each request; ``requests`` records (method, path, headers, body bytes read)."""

    def __init__(self, behave) -> None:
        self.behave = behave
        self.requests: list[dict] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/store"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection: socket.socket) -> None:
        with connection:
            while True:
                request = self._read_head(connection)
                if request is None:
                    return
                self.requests.append(request)
                try:
                    if not self.behave(self, connection, request):
                        return
                except OSError:
                    return

    @staticmethod
    def _read_head(connection: socket.socket) -> dict | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        return {"method": method, "path": path, "headers": headers, "rest": rest, "read": len(rest)}

    @staticmethod
    def read_body(connection: socket.socket, request: dict, limit: int | None = None) -> None:
        """Read the request body (all of it, or ``limit`` bytes), counting it."""
        wanted = int(request["headers"].get("content-length", "0"))
        if limit is not None:
            wanted = min(wanted, limit)
        while request["read"] < wanted:
            chunk = connection.recv(min(65536, wanted - request["read"]))
            if not chunk:
                return
            request["read"] += len(chunk)

    @staticmethod
    def answer(connection: socket.socket, status: str, headers: dict | None = None, body: bytes = b"") -> None:
        lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", "Connection: close"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)

    def puts(self) -> list[dict]:
        return [r for r in self.requests if r["method"] == "PUT"]

    def close(self) -> None:
        self.listener.close()


def reset(connection: socket.socket) -> None:
    """Close with a TCP reset (RST), as a server that drops the connection does."""
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    connection.close()


DIGEST = 'Digest realm="SPARQL", nonce="4711", qop="auth", algorithm="MD5", opaque="x"'


def digest_refusing(stub, connection, request) -> bool:
    """Asks for Digest credentials and refuses any it is given, after reading the body."""
    Stub.read_body(connection, request)
    Stub.answer(connection, "401 Unauthorized", {"WWW-Authenticate": DIGEST}, b"Unauthorized: wrong credentials")
    return False


def refusing_without_reading(stub, connection, request) -> bool:
    """As Virtuoso: a 401 at once, without reading the body, and the connection closed."""
    if request["method"] == "PUT":
        Stub.answer(connection, "401 Unauthorized", {"WWW-Authenticate": DIGEST}, b"Unauthorized")
        reset(connection)
        return False
    return digest_refusing(stub, connection, request)


def error_500(stub, connection, request) -> bool:
    Stub.read_body(connection, request)
    Stub.answer(connection, "500 Internal Server Error", {"Content-Type": "text/plain"},
                b"Virtuoso 42000 Error SR008: Function exec needs a string\nmore detail\n")
    return False


def basic_then(behaviour):
    """Basic credentials ("dba", "secret") are accepted, then ``behaviour`` answers the PUT."""
    import base64

    good = "Basic " + base64.b64encode(b"dba:secret").decode()

    def behave(stub, connection, request) -> bool:
        if request["headers"].get("authorization") != good:
            Stub.read_body(connection, request)
            Stub.answer(connection, "401 Unauthorized", {"WWW-Authenticate": 'Basic realm="store"'})
            return False
        if request["method"] == "HEAD":
            Stub.answer(connection, "200 OK")
            return False
        return behaviour(stub, connection, request)

    return behave


def reset_mid_upload(stub, connection, request) -> bool:
    Stub.read_body(connection, request, limit=65536)
    reset(connection)
    return False


def closed_before_answering(stub, connection, request) -> bool:
    Stub.read_body(connection, request)
    connection.shutdown(socket.SHUT_RDWR)
    return False


def silent(stub, connection, request) -> bool:
    Stub.read_body(connection, request)
    time.sleep(5)
    return False


def dripping(stub, connection, request) -> bool:
    """Answers a byte every 0.5 s for 20 s: no read ever waits long, the whole never ends."""
    Stub.read_body(connection, request)
    connection.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 40\r\nConnection: close\r\n\r\n")
    for _ in range(40):
        time.sleep(0.5)
        connection.sendall(b" ")
    return False


def answering_at_length(stub, connection, request) -> bool:
    """Answers the PUT with 64 MiB (read whole into memory, before)."""
    Stub.read_body(connection, request)
    size = 64 << 20
    connection.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % size)
    chunk = b" " * 65536
    for _ in range(size // len(chunk)):
        connection.sendall(chunk)
    return False


def answer_cut_short(stub, connection, request) -> bool:
    Stub.read_body(connection, request)
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\npartial")
    reset(connection)
    return False


def accepting(stub, connection, request) -> bool:
    Stub.read_body(connection, request)
    Stub.answer(connection, "201 Created")
    return False


@pytest.fixture(scope="module")
def upload(tmp_path_factory) -> Path:
    """A Turtle file of about 8 MB: larger than the socket buffers, so a server that stops
    reading cuts the upload short."""
    path = tmp_path_factory.mktemp("upload") / "big.ttl"
    filler = "y" * 480
    path.write_text("".join(f'<https://w3id.org/imid-onto/test/s{i}> <https://w3id.org/imid-onto/test/p> '
                            f'"{filler}" .\n' for i in range(16000)), encoding="utf-8")
    return path


def publish(stub: Stub, path: Path, *, user: str | None = None, password: str = "secret",
            options: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """``imid-onto publish`` in a process of its own."""
    args = ["publish", "--endpoint", stub.url, "--graph", GRAPH, "--file", str(path), *options]
    if user is not None:
        args += ["--user", user, "--password-env", "IMID_TEST_PASSWORD"]
    return imid(*args, env=dict(os.environ, IMID_TEST_PASSWORD=password), timeout=120)


def failed_in_one_line(done: subprocess.CompletedProcess[str], stub: Stub, *words: str) -> str:
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Published" not in done.stdout and done.stdout == ""
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    line = done.stderr.strip()
    assert line.startswith(f"imid-onto: error: PUT {stub.url} (graph <{GRAPH}>): "), line
    for word in words:
        assert word in line, line
    assert "secret" not in line
    return line


FAILURES = {}


@pytest.mark.parametrize("case", [
    "refused after authenticating", "refused without reading the upload", "server error 500",
    "connection reset mid-upload", "connection closed before the answer", "no answer (timeout)",
    "answer cut short", "answer dripped (the overall time limit)", "answer too long (the byte limit)",
])
def test_a_failed_upload_is_one_line_and_never_success(upload, case):
    limit = "timed out: no complete answer within 1 s (the limit for the whole exchange)"
    behave, user, options, words = {
        "refused after authenticating": (digest_refusing, "dba", (), ("HTTP 401", "'dba' was refused")),
        "refused without reading the upload": (refusing_without_reading, "dba", (), ("HTTP 401", "'dba' was refused")),
        "server error 500": (error_500, None, (), ("HTTP 500", "SR008: Function exec needs a string")),
        "connection reset mid-upload": (basic_then(reset_mid_upload), "dba", (), ("reset the connection",)),
        "connection closed before the answer": (closed_before_answering, None, (), ("without an answer",)),
        "no answer (timeout)": (silent, None, ("--timeout", "1"), (limit, "the upload was not confirmed")),
        "answer cut short": (answer_cut_short, None, (), ("reading the response failed",)),
        "answer dripped (the overall time limit)": (dripping, None, ("--timeout", "1"),
                                                    (f"reading the response failed: {limit}",)),
        "answer too long (the byte limit)": (answering_at_length, None, ("--max-bytes", "1000000"),
                                             ("reading the response stopped: the answer is larger than 1,000,000 "
                                              "bytes (the limit on what is read)",)),
    }[case]
    stub = Stub(behave)
    try:
        started = time.monotonic()
        done = publish(stub, upload, user=user, options=options)
        line = failed_in_one_line(done, stub, *words)
    finally:
        stub.close()
    size = upload.stat().st_size
    [put] = stub.puts()  # one PUT: the upload is never sent twice
    if case == "connection reset mid-upload":
        assert put["read"] < size  # the server really took only part of it
    elif case != "refused without reading the upload":
        assert put["read"] == size
    if user is not None:  # a bodiless probe for the challenge first, so the body goes once, authorized
        assert stub.requests[0]["method"] == "HEAD" and "authorization" in put["headers"]
    FAILURES[case] = f"{line.removeprefix('imid-onto: error: ')}  ({time.monotonic() - started:.1f} s)"


def test_an_accepted_upload_is_reported_with_what_was_sent(upload):
    stub = Stub(accepting)
    try:
        done = publish(stub, upload)
    finally:
        stub.close()
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Published {upload} (16,000 triples) to <{GRAPH}> at {stub.url}: HTTP 201"
    [put] = stub.puts()
    assert put["read"] == upload.stat().st_size and put["headers"]["content-type"] == "text/turtle"


@pytest.mark.parametrize("name, content, words", [
    ("empty.ttl", b"", "empty file (0 bytes)"),
    ("prefixes-only.ttl", b"@prefix ex: <https://w3id.org/imid-onto/test/> .\n", "refusing to replace"),
    ("truncated.owl", b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                      b'xmlns:t="https://w3id.org/imid-onto/test/">\n<rdf:Description rdf:about="https://w3id.org/'
                      b'imid-onto/test/a"><t:p>kept</t:p></rdf:Description>\n<rdf:Description rdf:about="https://'
                      b'w3id.org/imid-onto/test/b"><t:p>lost</t:p>\n', "truncated?"),
])
def test_an_upload_that_would_empty_or_cut_the_graph_is_never_sent(tmp_path, name, content, words):
    """An empty file, or RDF/XML cut short (which the parser would read in part), would
    replace the published graph with nothing or with a part: refused before any request."""
    path = tmp_path / name
    path.write_bytes(content)
    stub = Stub(accepting)
    try:
        done = publish(stub, path)
    finally:
        stub.close()
    assert done.returncode == 2 and done.stdout == "" and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"imid-onto: error: {path}") and words in done.stderr
    assert stub.requests == []


def test_report_the_failure_messages():
    """Not a check: prints what each failure said (pytest -s), for the record."""
    print("\n" + "\n".join(f"{case}: {line}" for case, line in FAILURES.items()))


def test_text_from_the_users_data_cannot_forge_a_line_in_claims_or_a_table(tmp_path):
    """A label or quote in the user's own data is shown escaped in `claims` and in a query's
    table (csv, tsv and json are for programs: their own escaping holds)."""
    small = (REPO / "tests" / "fixtures" / "queries" / "small.ttl").read_text(encoding="utf-8")
    evil = "drug one\\nimid-onto: validation passed\\u001b]0;pwned\\u0007"
    path = tmp_path / "data.ttl"
    path.write_text(small.replace('rdfs:label "drug one"@en', f'rdfs:label "{evil}"@en')
                    .replace('rdfs:label "drug one has protein Q degraded"@en', f'rdfs:label "{evil}"@en'),
                    encoding="utf-8")
    shown = "drug one\\nimid-onto: validation passed\\x1b]0;pwned\\x07"
    done = imid("claims", "--data", str(path), "--no-cache")
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert done.stdout.splitlines()[0] == f"k1  [established finding]  {shown} induces degradation of protein Q"
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?label WHERE { <https://w3id.org/imid-onto/test/drug> "
                     "<http://www.w3.org/2000/01/rdf-schema#label> ?label }\n", encoding="utf-8")
    done = imid("query", "--file", str(query), "--data", str(path), "--no-cache", "--asserted-only")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["label", shown, "(1 rows)"]


def test_validates_report_cannot_be_forged_by_a_file_name_or_a_value(tmp_path):
    """The text report names the file of each focus node and shows offending values: both
    come from the user, and are shown escaped."""
    small = (REPO / "tests" / "fixtures" / "queries" / "small.ttl").read_text(encoding="utf-8")
    path = tmp_path / EVIL
    path.write_text(small.replace('rdfs:label "drug one"@en', 'rdfs:label "drug\\u001b]0;pwned\\u0007"@fr'),
                    encoding="utf-8")  # not an English label: a violation, on this file's line
    done = imid("validate", str(path), "--no-cache")
    assert done.returncode == 1, done.stderr
    assert all(line.isprintable() for line in done.stdout.splitlines()), done.stdout
    assert f"({tmp_path}/{SHOWN}:" in done.stdout
