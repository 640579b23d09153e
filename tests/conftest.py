"""Shared fixtures and helpers: where the shared reference material is, whether Java and
the other programs are here, the release built once for the session, the command line run
in this process (``cli``) or as a user runs it (``imid``), ``one_error_line``, and
``isomorphic`` (two graphs the same but for blank-node labels).

Tests that need ../shared (the source texts, the identifier table) or a program (Java,
Graphviz, Chromium, Virtuoso, the Oxigraph server, strace) skip with the reason when it is truly absent (a user's
fresh clone); CI sets IMID_REQUIRE_SHARED, IMID_REQUIRE_JAVA ... so that there they fail
instead of skipping. A test that uses a program's fixture (``java``, ``graphviz_dot``,
``chromium``, ``virtuoso_binary``, ``oxigraph_binary``; directly or through another, as ``release`` uses ``java``
and ``graphviz_dot``) gets that program's marker, so ``pytest -m "not java"`` leaves them
out. The markers are registered in pyproject.toml; tests/README.md has the map of the tests.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ERROR = "imid-onto: error: "
#: The fixture that finds a program, and the marker of every test that uses it.
PROGRAM_MARKERS = {
    "java": "java",
    "graphviz_dot": "graphviz",
    "chromium": "chromium",
    "virtuoso_binary": "virtuoso",
    "oxigraph_binary": "oxigraph",
}


#: The line a command that reads the knowledge base writes first on stderr, naming it.
KB_LINE = re.compile(r"imid-onto: knowledge base: (.+) \((checkout|--kb|IMID_KB|shipped copy)\)\n")


def imid(
    *args: str, cwd: Path | None = REPO, env: dict | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """The command line, as a user runs it: a new process (from the repository unless ``cwd``).
    Its stderr is given without the first line naming the knowledge base, which is kept as
    ``knowledge_base`` (that line without its prefix; None when there was none)."""
    return knowledge_base_line(
        subprocess.run(
            [sys.executable, "-m", "imid_onto.cli", *args],
            capture_output=True,
            text=True,
            cwd=cwd,
            env=env,
            timeout=timeout,
        )
    )


def cli(
    *args: str, cwd: Path | None = REPO, env: dict | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The command line run in this process, through its entry point (``imid_onto.cli.run``)
    with click's CliRunner: its exit code, stdout and stderr as :func:`imid` gives them, without
    starting Python again (the modules, and the claims already parsed, are reused). ``env`` is
    the whole environment, as for :func:`imid`. Each run starts as a new process would: nothing
    said yet, warnings shown afresh; the stores it opened are let go when it ends. What needs a
    process of its own stays with :func:`imid`: a warning said once across runs, the network
    guard, a kill or a timeout, another copy of imid-onto, memory limits, the help's width."""
    from click.testing import CliRunner

    from imid_onto import cli as command
    from imid_onto import paths
    from imid_onto.io import cache, records

    changes = None
    if env is not None:
        changes = {name: value for name, value in env.items() if os.environ.get(name) != value}
        changes.update({name: None for name in os.environ if name not in env})
    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        runner = CliRunner()  # click >= 8.2 keeps stderr apart
    rdflib_log = logging.getLogger("rdflib.term")
    level, argv = rdflib_log.level, sys.argv
    code: int | str | None = 0
    with runner.isolation(input=input, env=changes) as streams, warnings.catch_warnings():
        warnings.resetwarnings()  # as in a new process: each warning shown once, where it is raised
        for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
            warnings.simplefilter("ignore", category)
        sys.argv = ["imid-onto", *args]
        # as in a new process, nothing said yet: the warnings said once, the passwords to redact
        cache._SAID.clear()
        records._say_no_sources.cache_clear()
        command._SECRETS.clear()
        given_kb, held = paths._given_kb, set(cache._HELD)
        try:
            with contextlib.chdir(cwd if cwd is not None else Path.cwd()):
                command.run()
        except SystemExit as exit_:
            code = exit_.code
        finally:
            sys.argv = argv
            rdflib_log.setLevel(level)
            paths.use_kb(given_kb)  # --kb is the run's own
            for store in set(cache._HELD) - held:  # as when the process ends: the stores it opened let go
                os.close(cache._HELD.pop(store))
            sys.stdout.flush()
            sys.stderr.flush()
        # decoded as subprocess.run(text=True) decodes: line ends made "\n"
        stdout, stderr = (
            stream.getvalue().decode().replace("\r\n", "\n").replace("\r", "\n") for stream in streams[:2]
        )
    returncode = code if isinstance(code, int) else 0 if code is None else 1
    return knowledge_base_line(subprocess.CompletedProcess(["imid-onto", *args], returncode, stdout, stderr))


def knowledge_base_line(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    """``done`` with the first line of its stderr naming the knowledge base taken off and
    kept as ``done.knowledge_base`` (without its prefix; None when there was none)."""
    named = KB_LINE.match(done.stderr)
    done.knowledge_base = named.group(0).removeprefix("imid-onto: knowledge base: ").strip() if named else None  # type: ignore[attr-defined]
    done.stderr = done.stderr[named.end() :] if named else done.stderr
    return done


def isomorphic(first, second) -> bool:
    """Whether two rdflib graphs are the same but for their blank nodes' labels: their canonical
    forms (``imid_onto.io.rdf._canonical``, RDFC-1.0 where bounded) are equal.
    ``rdflib.compare.isomorphic`` decides the same, fifty times slower on the knowledge base."""
    from imid_onto.io.rdf import _canonical

    return set(_canonical(first)) == set(_canonical(second))


def one_error_line(done: subprocess.CompletedProcess[str], code: int) -> str:
    """The one line a failing command writes (exit ``code``, no traceback), without its prefix."""
    assert done.returncode == code, done.stdout[-2000:] + done.stderr[-2000:]
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stderr.count("\n") == 1 and done.stderr.startswith(ERROR), done.stderr
    return done.stderr.strip().removeprefix(ERROR)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test that needs a program (through its fixtures) with that program's marker."""
    for item in items:
        needed = getattr(item, "fixturenames", ())
        for fixture, marker in PROGRAM_MARKERS.items():
            if fixture in needed:
                item.add_marker(marker)


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """Persistent query stores go to a folder of this test session, never the user's cache
    (the CLI runs in subprocesses inherit the variable)."""
    saved = os.environ.get("IMID_CACHE")
    os.environ["IMID_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield Path(os.environ["IMID_CACHE"])
    if saved is None:
        os.environ.pop("IMID_CACHE", None)
    else:
        os.environ["IMID_CACHE"] = saved


def _absent(what: str, variable: str) -> None:
    if os.environ.get(variable):
        pytest.fail(f"{what} is required here ({variable} is set) but absent")
    pytest.skip(f"{what} is absent on this machine")


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    path = Path(os.environ.get("IMID_SOURCES", SHARED / "sources"))
    if not path.is_dir():
        _absent(f"the source texts ({path})", "IMID_REQUIRE_SHARED")
    return path


@pytest.fixture(scope="session")
def identifier_table() -> Path:
    path = Path(os.environ.get("IMID_IDENTIFIERS", SHARED / "reference" / "identifiers.tsv"))
    if not path.is_file():
        _absent(f"the identifier table ({path})", "IMID_REQUIRE_SHARED")
    return path


def _program(*names: str, what: str, variable: str) -> str:
    """The path of the first of ``names`` on PATH; else skip (or fail where ``variable`` is set)."""
    for name in names:
        found = shutil.which(name)
        if found is not None:
            return found
    _absent(what, variable)
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def java() -> str:
    return _program("java", what="Java (needed by HermiT)", variable="IMID_REQUIRE_JAVA")


#: Where Debian's libowlapi-java puts the OWL API (with the jars it needs beside it).
OWLAPI_JAR = Path("/usr/share/java/owlapi-distribution.jar")
#: The OWL API check (tools/owlprofile/OwlProfile.java), run in Java's source-file mode.
OWLPROFILE = REPO / "tools" / "owlprofile" / "OwlProfile.java"


@pytest.fixture(scope="session")
def owlapi(java) -> list[str]:
    """The command that runs the OWL API check (tools/owlprofile/OwlProfile.java) with the OWL
    API from Debian (libowlapi-java, which .ci/run installs) and every jar beside it on the
    class path; it needs Java, so a test that uses it gets the java marker."""
    if not OWLAPI_JAR.is_file():
        _absent(f"the OWL API ({OWLAPI_JAR}; Debian: libowlapi-java)", "IMID_REQUIRE_JAVA")
    return [java, "-cp", f"{OWLAPI_JAR.parent}/*", str(OWLPROFILE)]


@pytest.fixture(scope="session")
def robot_report_dir() -> Path:
    """ROBOT's report queries and default profile (../shared/conformance/robot-report)."""
    path = SHARED / "conformance" / "robot-report"
    if not (path / "report_profile.txt").is_file():
        _absent(f"ROBOT's report queries ({path})", "IMID_REQUIRE_SHARED")
    return path


@pytest.fixture(scope="session")
def kb_graph():
    from imid_onto import load_knowledge_base

    return load_knowledge_base()


@pytest.fixture(scope="session")
def ontology_graph():
    from imid_onto import load_ontology

    return load_ontology()


@pytest.fixture(scope="session")
def graphviz_dot() -> str:
    return _program("dot", what="Graphviz's dot (Debian: graphviz)", variable="IMID_REQUIRE_GRAPHVIZ")


@pytest.fixture(scope="session")
def chromium() -> str:
    return _program(
        "chromium", "chromium-browser", what="Chromium (Debian: chromium)", variable="IMID_REQUIRE_CHROMIUM"
    )


@pytest.fixture(scope="session")
def virtuoso_binary() -> str:
    return _program("virtuoso-t", what="Virtuoso (Debian: virtuoso-opensource)", variable="IMID_REQUIRE_VIRTUOSO")


@pytest.fixture(scope="session")
def oxigraph_binary() -> str:
    """The Oxigraph server: the binary of the oxigraph package (test extra), beside this Python
    (a virtual environment that is not activated) or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return _program(
        "oxigraph",
        what="the Oxigraph server (pip install oxigraph: its wheel has the binary)",
        variable="IMID_REQUIRE_OXIGRAPH",
    )


@pytest.fixture(scope="session")
def release(tmp_path_factory, java, graphviz_dot):
    """The release, built once for the session: (its folder, the BuildResult)."""
    from imid_onto import build

    out = tmp_path_factory.mktemp("release") / "build"
    return out, build(out)
