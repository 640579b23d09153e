"""The one module that knows where imid-onto's files are.

The data folders (``ontology/``, ``shapes/``, ``queries/``, ``kb/``) live at the top of
the repository and are copied into the wheel as ``imid_onto/data/``. From an installed
wheel they are found inside the package; from a source checkout (editable install or
``PYTHONPATH=src``) they are found at the repository root.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "data_dir",
    "ontology_file",
    "external_terms_file",
    "kb_dir",
    "entity_files",
    "document_files",
    "claim_files",
    "shapes_dir",
    "queries_dir",
    "sources_dir",
    "identifier_table",
]

_PACKAGE = Path(__file__).resolve().parent
_REPO_ROOT = _PACKAGE.parent.parent


def data_dir() -> Path:
    """The folder holding ``ontology/``, ``kb/``, ``shapes/`` and ``queries/``."""
    bundled = _PACKAGE / "data"
    if (bundled / "ontology").is_dir():
        return bundled
    return _REPO_ROOT


def ontology_file() -> Path:
    """The hand-edited ontology, ``ontology/imid.ttl``."""
    return data_dir() / "ontology" / "imid.ttl"


def external_terms_file() -> Path:
    """The MIREOT module declaring external terms (GO, ChEBI, RO, ...)."""
    return data_dir() / "ontology" / "external.ttl"


def kb_dir() -> Path:
    return data_dir() / "kb"


def entity_files() -> list[Path]:
    return [kb_dir() / "entities.ttl"]


def document_files() -> list[Path]:
    return [kb_dir() / "documents.ttl"]


def claim_files() -> list[Path]:
    """One claims file (claim records, imid_onto.io.records) per source document, in name order."""
    return sorted((kb_dir() / "claims").glob("*.yaml"))


def shapes_dir() -> Path:
    return data_dir() / "shapes"


def queries_dir() -> Path:
    return data_dir() / "queries"


def _shared_dir() -> Path | None:
    """``../shared`` beside the repository checkout or beside the working folder (present
    in CI, absent in a user's clone)."""
    for candidate in (_REPO_ROOT.parent / "shared", Path.cwd().parent / "shared"):
        if candidate.is_dir():
            return candidate
    return None


def _env_or_shared(variable: str, relative: str) -> Path | None:
    """``$variable`` if set (None when it names nothing), else ``../shared/<relative>``."""
    env = os.environ.get(variable)
    if env:
        path = Path(env)
    else:
        shared = _shared_dir()
        if shared is None:
            return None
        path = shared / relative
    return path if path.exists() else None


def sources_dir() -> Path | None:
    """The source documents' texts: ``$IMID_SOURCES`` or ``../shared/sources``; None if absent."""
    return _env_or_shared("IMID_SOURCES", "sources")


def identifier_table() -> Path | None:
    """``identifiers.tsv``: ``$IMID_IDENTIFIERS`` or ``../shared/reference/``; None if absent."""
    return _env_or_shared("IMID_IDENTIFIERS", "reference/identifiers.tsv")
