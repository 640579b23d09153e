"""The package installs with its data, resolves paths in one place and imports lightly."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

import imid_onto
from imid_onto import paths

from ..conftest import REPO

DATA_FOLDERS = ["ontology", "kb", "shapes", "queries"]


def test_version_is_the_package_metadata_version():
    assert imid_onto.__version__ == version("imid-onto")


def test_pyproject_ships_every_data_folder_inside_the_wheel():
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    mapping = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert mapping == {name: f"imid_onto/data/{name}" for name in DATA_FOLDERS}


def test_data_files_resolve_from_wherever_the_package_is():
    package = Path(imid_onto.__file__).resolve().parent
    bundled = package / "data"
    if bundled.is_dir():  # installed from a wheel: the data must be inside the package
        assert paths._shipped_dir() == bundled
        for name in DATA_FOLDERS:
            assert (bundled / name).is_dir(), f"wheel lacks {name}/"
    else:  # editable install or source tree: the repository root
        assert paths._shipped_dir() == REPO
    assert paths.data_dir() == REPO  # the tests run in the checkout, which is read rather than the shipped copy
    assert paths.ontology_file().is_file()
    assert paths.external_terms_file().is_file()
    assert [p.name for p in paths.claim_files()] == sorted(p.name for p in (paths.kb_dir() / "claims").glob("*.yaml"))
    assert paths.claim_files(), "no claims files found"
    assert paths.ledger_files() == sorted((paths.kb_dir() / "ledger").glob("*.yaml")), "no ledgers found"
    assert paths.ledger_files()
    if bundled.is_dir():  # the coverage ledgers ship with the claims they cover
        assert {p.name for p in (bundled / "kb" / "ledger").glob("*.yaml")} == {p.name for p in paths.ledger_files()}


def test_import_does_no_heavy_work():
    code = "import sys, imid_onto; print('owlready2' in sys.modules, 'pyshacl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
