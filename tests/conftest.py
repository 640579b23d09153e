"""Shared fixtures: where the shared reference material is, and whether Java is here.

Tests that need ../shared (the source texts, the identifier table) or Java skip with the
reason when it is truly absent (a user's fresh clone); CI sets IMID_REQUIRE_SHARED and
IMID_REQUIRE_JAVA so that there they fail instead of skipping.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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


@pytest.fixture(scope="session")
def java() -> str:
    found = shutil.which("java")
    if found is None:
        _absent("Java (needed by HermiT)", "IMID_REQUIRE_JAVA")
    return str(found)


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
    found = shutil.which("dot")
    if found is None:
        _absent("Graphviz's dot (Debian: graphviz)", "IMID_REQUIRE_GRAPHVIZ")
    return str(found)


@pytest.fixture(scope="session")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        _absent("Chromium (Debian: chromium)", "IMID_REQUIRE_CHROMIUM")
    return str(found)


@pytest.fixture(scope="session")
def virtuoso_binary() -> str:
    found = shutil.which("virtuoso-t")
    if found is None:
        _absent("Virtuoso (Debian: virtuoso-opensource)", "IMID_REQUIRE_VIRTUOSO")
    return str(found)
