"""Which knowledge base a command reads: the kb/ of the checkout it runs in (never the copy
an installed package holds), a folder given with --kb or $IMID_KB, else the shipped copy;
each command names it in its first line, on stderr; an edit is read back at once.

An installed copy is simulated: the package here is this repository (editable), and a copy
of the repository's data folders and pyproject.toml in a temporary folder is the checkout
the user edits. (By hand, once: a non-editable ``pip install .`` into a fresh venv, then
an edit in the checkout's kb/ read back by ``claims`` run from the checkout.)"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from imid_onto import paths

from ..conftest import REPO, cli, one_error_line

#: The copy the package ships: inside the installed wheel, or the repository in an editable install.
SHIPPED_KB = paths._shipped_dir() / "kb"
LUPM_01 = "https://w3id.org/imid-onto/kb/claim/LUPM-01"
CLAIMS_FILE = Path("kb") / "claims" / "lu-2014-pubmed.yaml"


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A checkout of imid-onto: its pyproject.toml and data folders, apart from the package's."""
    root = tmp_path / "checkout"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root)
    for folder in ("kb", "ontology", "shapes", "queries"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def _claim_count(done) -> int:
    assert done.returncode == 0, done.stderr
    return int(done.stdout.splitlines()[-1].removesuffix(" claims"))


def _make_lupm_01_a_hypothesis(root: Path) -> None:
    """Make LUPM-01 a hypothesis in the checkout (one statement changed)."""
    path = root / CLAIMS_FILE
    text = path.read_text(encoding="utf-8")
    start = text.index("- LUPM-01:")
    edited = text[start:].replace("imid:EstablishedFinding", "imid:Hypothesis", 1)
    path.write_text(text[:start] + edited, encoding="utf-8")


def test_a_command_run_in_a_checkout_reads_its_kb_and_says_so(checkout):
    inside = checkout / "kb" / "claims"  # any folder of the checkout
    done = cli("claims", "--status", "hypothesis", cwd=inside)
    assert done.knowledge_base == f"{checkout / 'kb'} (checkout)"
    before = _claim_count(done)
    _make_lupm_01_a_hypothesis(checkout)
    assert _claim_count(cli("claims", "--status", "hypothesis", cwd=inside)) == before + 1
    # outside a checkout: the shipped copy, which the edit did not touch
    shipped = cli("claims", "--status", "hypothesis", cwd=checkout.parent)
    assert shipped.knowledge_base == f"{SHIPPED_KB} (shipped copy)"
    assert _claim_count(shipped) == before


def test_an_edit_in_a_checkout_is_read_back_at_once_through_the_kept_store(checkout):
    def status_of_lupm_01() -> str:
        done = cli("query", "claims-by-source", "--format", "csv", cwd=checkout)
        assert done.returncode == 0 and done.knowledge_base == f"{checkout / 'kb'} (checkout)", done.stderr
        (row,) = [line for line in done.stdout.splitlines() if f",{LUPM_01}," in line]
        return row.split(",")[5]

    assert status_of_lupm_01() == "https://w3id.org/imid-onto/ontology#EstablishedFinding"
    _make_lupm_01_a_hypothesis(checkout)
    assert status_of_lupm_01() == "https://w3id.org/imid-onto/ontology#Hypothesis"


def test_a_folder_that_only_looks_like_a_checkout_is_not_one(checkout):
    project = checkout / "pyproject.toml"
    project.write_text(project.read_text(encoding="utf-8").replace('name = "imid-onto"', 'name = "other"'))
    assert cli("info", cwd=checkout).knowledge_base == f"{SHIPPED_KB} (shipped copy)"


def test_kb_option_and_environment_variable_choose_the_folder(checkout, tmp_path):
    _make_lupm_01_a_hypothesis(checkout)
    kb = checkout / "kb"
    outside = tmp_path
    shipped = _claim_count(cli("claims", "--status", "hypothesis", cwd=outside))
    given = cli("--kb", str(kb), "claims", "--status", "hypothesis", cwd=outside)
    assert given.knowledge_base == f"{kb} (--kb)" and _claim_count(given) == shipped + 1
    env = {**os.environ, "IMID_KB": str(kb)}
    named = cli("claims", "--status", "hypothesis", cwd=outside, env=env)
    assert named.knowledge_base == f"{kb} (IMID_KB)" and _claim_count(named) == shipped + 1
    # --kb wins over $IMID_KB, and over the checkout one is in
    assert cli("--kb", str(REPO / "kb"), "info", cwd=checkout, env=env).knowledge_base == f"{REPO / 'kb'} (--kb)"


def test_a_kb_folder_that_does_not_exist_is_one_error_line(tmp_path):
    missing = tmp_path / "nowhere"
    assert one_error_line(cli("--kb", str(missing), "info"), 2) == (
        f"Invalid value for '--kb': Directory '{missing}' does not exist. (see imid-onto --help)"
    )
    env = {**os.environ, "IMID_KB": str(missing)}
    assert one_error_line(cli("info", env=env), 2) == (
        f"IMID_KB {missing}: no such folder (give a knowledge base folder, like kb/)"
    )


@pytest.mark.parametrize(
    "args",
    [
        ("info",),
        ("claims", "--status", "superseded"),
        ("validate", "--format", "json"),
        ("query", "contexts", "--format", "json"),
        ("fmt", "--check"),
    ],
)
def test_each_command_names_the_knowledge_base_first_on_stderr(args):
    done = cli(*args)
    assert done.returncode == 0, done.stderr
    assert done.knowledge_base == f"{REPO / 'kb'} (checkout)"
    assert done.stderr == ""
    if "json" in args:  # stdout stays the machine-readable answer
        json.loads(done.stdout)


def test_commands_that_read_no_knowledge_base_do_not_name_one():
    assert cli("query", "--list").knowledge_base is None
    assert cli("--version").knowledge_base is None
