"""Nothing lost: a build killed at any moment leaves the previous release whole; a build
never replaces a folder that is not an earlier release (a user's folder, a git clone, the
home folder, imid-onto's own sources, a mount point, the current folder). (A publish that
fails: tests/endpoint/test_publish_failures.py; the terminal: tests/cli/test_terminal.py.)

Builds run as a user runs them (``imid-onto build --out DIR`` in a process of its own, with
SOURCE_DATE_EPOCH fixed so that every build is byte for byte the same) and are killed with
SIGKILL, the whole process group (Java, dot), at moments found by polling (the staging
folder appears, it is half written) and at fixed delays; and, to hit the few microseconds
around the swap every time, at markers written by a wrapper that pauses the build right
before the swap, right after the atomic exchange, and (on the two-rename path used where
the system cannot exchange) between the two renames. After each kill the release folder
holds exactly the files of the first build with the same SHA-256, and the next build
clears what the killed one left beside it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..conftest import REPO, cli, imid, knowledge_base_line, one_error_line

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
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, IMID_CACHE=str(CACHE["path"]))
    env.pop("IMID_TEST_PAUSE", None)
    env.update(extra)
    return env


def start_build(out: Path, log: Path, **extra: str) -> subprocess.Popen:
    with log.open("wb") as handle:
        return subprocess.Popen(
            [sys.executable, "-c", WRAPPER, "build", "--out", str(out)],
            env=build_env(**extra),
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the build and everything it started (its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
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
    assert all(
        name.startswith((f".{out.name}.staging-{process.pid}-", f".{out.name}.previous-{process.pid}"))
        for name in leftovers
    ), leftovers
    KILLED.append(f"{moment}: release intact ({len(hashes)} files); left beside: {leftovers or 'nothing'}")


DELAYS = [0.2, 1.0, 3.0]


@pytest.mark.slow
@pytest.mark.parametrize("delay", DELAYS, ids=lambda d: f"after {d} s")
def test_a_build_killed_after_a_delay_leaves_the_release_intact(release_dir, delay):
    out, hashes, _ = release_dir
    process = start_build(out, out.parent / "kill.log")
    time.sleep(delay)
    finished = process.poll() is not None
    kill(process)
    assert not finished, f"the build ended within {delay} s: no kill tested"
    check_intact(out, hashes, process, f"killed after {delay} s")


@pytest.mark.slow
@pytest.mark.parametrize(
    "moment",
    [
        "staging folder appears",
        "staging folder half written",
        "new release swapped in (previous one and query store not yet done)",
    ],
)
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


@pytest.mark.slow
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


@pytest.mark.slow
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
    KILLED.append(
        f"killed between the two renames (fallback swap): release folder missing, previous release "
        f"whole beside it; the next build put it back ({len(hashes)} files)"
    )


@pytest.mark.slow
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

NOT_A_RELEASE = (
    "not empty and not an imid-onto release (it has no .imid-onto-release): refusing to replace it; "
    "give another folder, or --force to replace it and everything in it"
)
EVEN_FORCED = "refusing to replace it, even with --force"
UNSWAPPABLE = (
    "which cannot be replaced whole (a release is written beside its folder and swapped in): "
    "refusing to build into it; give a folder inside it"
)

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


def quick_build(
    out: Path | str, *args: str, cwd: Path = REPO, process: bool = False, **env: str
) -> subprocess.CompletedProcess[str]:
    """``imid-onto build --no-reason --out OUT``, in this process (what is refused, and why,
    is the command's own doing), or with ``process`` as a user runs it (another copy of
    imid-onto on PYTHONPATH, say)."""
    if not process:
        return cli(
            "build",
            "--no-reason",
            "--out",
            str(out),
            *args,
            cwd=cwd,
            env=dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, **env),
        )
    return knowledge_base_line(
        subprocess.run(
            [sys.executable, "-m", "imid_onto.cli", "build", "--no-reason", "--out", str(out), *args],
            capture_output=True,
            text=True,
            cwd=cwd,
            timeout=BUILD_TIMEOUT,
            env=dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, **env),
        )
    )


@pytest.mark.parametrize("what", USER_FOLDERS)
def test_a_folder_that_is_not_a_release_is_refused_and_kept_whole(tmp_path, what):
    out = tmp_path / "out"
    before = plant(out, USER_FOLDERS[what])
    assert one_error_line(quick_build(out), 2) == f"{out}: {NOT_A_RELEASE}"
    assert sha256_tree(out) == before and beside(out) == ["out"]


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
@pytest.mark.parametrize(
    "where, how",
    [
        (".", "holds imid-onto's own source folders ({root}/src/imid_onto)"),
        ("kb", "is one of imid-onto's own source folders ({root}/kb)"),
        ("kb/claims", "is inside imid-onto's own source folders ({root}/kb)"),
        ("ontology", "is one of imid-onto's own source folders ({root}/ontology)"),
        ("src", "holds imid-onto's own source folders ({root}/src/imid_onto)"),
        (".git", "is one of imid-onto's own source folders ({root}/.git)"),
        ("tests", "is one of imid-onto's own source folders ({root}/tests)"),
        ("..", "holds imid-onto's own source folders ({root}/src/imid_onto)"),
    ],
)
def test_imid_ontos_own_sources_are_refused_even_with_force(checkout, tmp_path, where, how):
    before = sha256_tree(checkout.parent)
    out = (checkout / where).resolve()
    done = quick_build(out, "--force", cwd=tmp_path, process=True, PYTHONPATH=str(checkout / "src"))
    line = one_error_line(done, 2)
    suffix = ", even with --force; give another folder (--out build)"
    assert line == f"{out}: {how.format(root=checkout)}: refusing to replace it" + suffix
    assert sha256_tree(checkout.parent) == before


def test_the_root_and_the_home_folder_are_refused_even_with_force(tmp_path):
    home = tmp_path / "home"
    before = plant(home, {"notes.txt": b"mine\n", ".bashrc": b"# mine\n"})
    assert one_error_line(quick_build("/", "--force", HOME=str(home)), 2) == f"/: is the root folder: {EVEN_FORCED}"
    assert (
        one_error_line(quick_build(home, "--force", HOME=str(home)), 2) == f"{home}: is your home folder: {EVEN_FORCED}"
    )
    assert one_error_line(quick_build(tmp_path, "--force", HOME=str(home)), 2) == (
        f"{tmp_path}: holds your home folder ({home}): {EVEN_FORCED}"
    )
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
    return knowledge_base_line(
        subprocess.run(
            [program, "-rm", "sh", "-c", script, "sh", *args],
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT,
            cwd=REPO,
            env=dict(os.environ, SOURCE_DATE_EPOCH=EPOCH),
        )
    )


BUILD = f"{sys.executable} -m imid_onto.cli build --no-reason"


@pytest.mark.parametrize("contents", ["a user's file", "empty (a new volume)"])
def test_a_mount_point_is_refused_with_the_reason(namespace, tmp_path, contents):
    """A Docker volume: the folder cannot be renamed, so it cannot be swapped; refused before
    anything is built, even with --force, what it holds untouched."""
    out = tmp_path / "volume"
    out.mkdir()
    plant_file = "printf 'mine\\n' > \"$1/notes.txt\"; " if contents != "empty (a new volume)" else ""
    done = in_namespace(
        namespace,
        f'mount -t tmpfs none "$1"; {plant_file}{BUILD} --force --out "$1"; code=$?; ls -A "$1" >&2; exit $code',
        str(out),
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    line, *listing = done.stderr.splitlines()
    assert line == f"imid-onto: error: {out}: is a mount point, {UNSWAPPABLE} (--out {out}/build)"
    assert listing == (["notes.txt"] if contents == "a user's file" else [])


@pytest.mark.slow
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


@pytest.mark.slow
def test_a_read_only_parent_is_one_line(namespace, tmp_path):
    parent = tmp_path / "read-only"
    parent.mkdir()
    done = in_namespace(namespace, f'mount -t tmpfs -o ro none "$1"; exec {BUILD} --out "$1/build"', str(parent))
    assert one_error_line(done, 2) == (
        f"{parent}/build: cannot write beside it, in {parent} (Read-only file system): a release is written "
        "there first, then swapped in; give a folder whose parent you can write"
    )
