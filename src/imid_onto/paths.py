"""The one module that knows where imid-onto's files are.

The data folders (``ontology/``, ``shapes/``, ``queries/``, ``kb/``) live at the top of the
repository and are copied into the wheel as ``imid_onto/data/``. The knowledge base read is,
first match wins: ``imid-onto --kb DIR`` (:func:`use_kb`), then ``$IMID_KB``; a checkout (the
nearest folder upwards with a ``pyproject.toml`` naming ``imid-onto`` and a ``kb/``); the
copy shipped with the package. :func:`knowledge_base` says which, and why; the README's
"Which knowledge base is read" and ``docs/design/architecture.md`` say more.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from imid_onto.errors import InputError

__all__ = [
    "KnowledgeBase",
    "knowledge_base",
    "use_kb",
    "find_checkout",
    "data_dir",
    "ontology_file",
    "external_terms_file",
    "kb_dir",
    "entity_files",
    "document_files",
    "claim_files",
    "ledger_files",
    "shapes_dir",
    "queries_dir",
    "sources_dir",
    "identifier_table",
]

_PACKAGE = Path(__file__).resolve().parent
_REPO_ROOT = _PACKAGE.parent.parent


#: The knowledge base folder given on the command line (``--kb``); None: not given.
_given_kb: Path | None = None


def use_kb(folder: Path | None) -> None:
    """Read the knowledge base (entities, documents, claims) from ``folder`` from now on
    (``imid-onto --kb DIR``); None: back to ``$IMID_KB``, the checkout or the shipped copy."""
    global _given_kb
    _given_kb = None if folder is None else Path(folder)


@dataclass(frozen=True)
class KnowledgeBase:
    """Where the data is read from: ``kb`` (entities, documents, claims), ``data``
    (``ontology/``, ``shapes/``, ``queries/``) and ``how`` it was chosen: "--kb",
    "IMID_KB", "checkout" or "shipped copy"."""

    kb: Path
    data: Path
    how: str

    def __str__(self) -> str:
        return f"{self.kb} ({self.how})"


def _shipped_dir() -> Path:
    """The package's own data: inside an installed wheel, else the repository root."""
    bundled = _PACKAGE / "data"
    if (bundled / "ontology").is_dir():
        return bundled
    return _REPO_ROOT


def _is_checkout(folder: Path) -> bool:
    project = folder / "pyproject.toml"
    if not (project.is_file() and (folder / "kb").is_dir()):
        return False
    try:
        name = tomllib.loads(project.read_text(encoding="utf-8")).get("project", {}).get("name")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return bool(name == "imid-onto")


def find_checkout(start: Path | None = None) -> Path | None:
    """The checkout of imid-onto holding ``start`` (default: the current folder): the
    nearest of it and its parents with a ``pyproject.toml`` naming the project
    ``imid-onto`` and a ``kb/`` folder; None outside one."""
    try:
        here = (start or Path.cwd()).resolve()
    except OSError:  # the current folder was removed
        return None
    return next((folder for folder in (here, *here.parents) if _is_checkout(folder)), None)


def knowledge_base() -> KnowledgeBase:
    """Which knowledge base is read (see the module's docstring for the order)."""
    checkout = find_checkout()
    data = checkout if checkout is not None else _shipped_dir()
    for given, how in ((_given_kb, "--kb"), (os.environ.get("IMID_KB") or None, "IMID_KB")):
        if given is not None:
            folder = Path(given).absolute()
            if not folder.is_dir():
                raise InputError(f"{how} {given}: no such folder (give a knowledge base folder, like kb/)")
            return KnowledgeBase(folder, data, how)
    return KnowledgeBase(data / "kb", data, "checkout" if checkout is not None else "shipped copy")


def data_dir() -> Path:
    """The folder holding ``ontology/``, ``shapes/`` and ``queries/`` (and ``kb/``, unless
    another knowledge base folder is given): the checkout, or the shipped copy."""
    return knowledge_base().data


def ontology_file() -> Path:
    """The hand-edited ontology, ``ontology/imid.ttl``."""
    return data_dir() / "ontology" / "imid.ttl"


def external_terms_file() -> Path:
    """The MIREOT module declaring external terms (GO, ChEBI, RO, ...)."""
    return data_dir() / "ontology" / "external.ttl"


def kb_dir() -> Path:
    """The knowledge base folder read: ``--kb``, ``$IMID_KB``, the checkout's or the shipped ``kb/``."""
    return knowledge_base().kb


def entity_files() -> list[Path]:
    return [kb_dir() / "entities.ttl"]


def document_files() -> list[Path]:
    return [kb_dir() / "documents.ttl"]


def claim_files() -> list[Path]:
    """One claims file (claim records, imid_onto.io.records) per source document, in name order."""
    return sorted((kb_dir() / "claims").glob("*.yaml"))


def ledger_files() -> list[Path]:
    """The coverage ledgers (``kb/ledger/<claims-file-stem>.yaml``, imid_onto.io.ledger), in name order."""
    return sorted((kb_dir() / "ledger").glob("*.yaml"))


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
