"""A persistent, indexed store of the knowledge base, so that a query does not pay for
parsing and reasoning every time.

The store is pyoxigraph's on-disk (RocksDB) ``Store``, holding what queries run over: the
ontology, the data files, the plain edges of standing claims and the reasoner's inferred
triples. It lives in a cache folder (``$IMID_CACHE``, else ``$XDG_CACHE_HOME/imid-onto``,
else ``~/.cache/imid-onto``) under the fingerprint of its sources: the SHA-256 of every
source file's bytes, the imid-onto version and the store format. A file's digest is
remembered with its size, modification time and inode (``file-digests.json``), so a store
is opened without reading its sources again while they are untouched. A store is used only when
its fingerprint matches the sources as they are now; a changed file gives a new
fingerprint, so a stale store is never read (it is rebuilt, and the old one removed).

A store is built in a temporary folder beside its final place and renamed into place when
complete, so an interrupted build leaves no half-written store; two processes building the
same store at once both succeed (the second to finish drops its copy). Readers open the
store read-only.

The cache folder also holds, each named by the SHA-256 of what it was made from:
``reasoner/`` (HermiT's results, imid_onto.reasoning.reason) and ``reports/`` (validation
reports, imid_onto.validation.kept_report).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import __version__
from .errors import InputError
from .rdfio import write_atomic

__all__ = ["STORE_FORMAT", "cache_dir", "fingerprint", "CachedStore", "cached_store", "kept_path", "read_kept",
           "write_kept"]

#: Bumped whenever what goes into a store changes.
STORE_FORMAT = 1
_MARKER = "imid-onto-store.json"


def cache_dir() -> Path:
    """Where stores are kept: ``$IMID_CACHE``, ``$XDG_CACHE_HOME/imid-onto`` or ``~/.cache/imid-onto``."""
    if os.environ.get("IMID_CACHE"):
        return Path(os.environ["IMID_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "imid-onto"


def fingerprint(files: list[Path], *, inferred: bool, kind: str = "query") -> str:
    """The SHA-256 over the sources' digests (in order), the imid-onto version, the store
    format, the kind of store and whether inferred triples are included."""
    digest = hashlib.sha256(f"imid-onto {__version__} store {STORE_FORMAT} {kind} inferred={inferred}\n".encode())
    known = _load_digests()
    before = dict(known)
    for path in files:
        digest.update(f"{Path(path).name} {_file_digest(Path(path), known)}\n".encode())
    if known != before:
        _save_digests(known)
    return digest.hexdigest()


#: Where file digests are remembered by (size, mtime, inode), so that opening a store does
#: not read every source again (the 1M-claim Turtle is 0.8 GB).
_DIGESTS = "file-digests.json"
#: A digest is remembered only for a file last modified longer ago than this (seconds): a
#: file changed again within its timestamp's resolution keeps its size and mtime ("racy
#: git"), and must be read again.
_SETTLED = 2.0


def kept_path(folder: str, name: str) -> Path:
    """Where a result named ``name`` is kept: ``<cache>/<folder>/<name>.json`` (folders:
    ``reasoner``, ``reports``)."""
    return cache_dir() / folder / f"{name}.json"


def read_kept(path: Path) -> dict | None:
    """The JSON object kept at ``path``; None when there is none or it is damaged (the
    caller then makes it afresh)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def write_kept(path: Path, record: dict) -> None:
    """Keep ``record`` at ``path`` (atomically); in a read-only cache, nothing is kept."""
    try:
        write_atomic(path, (json.dumps(record, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    except OSError:
        pass


def _load_digests() -> dict:
    return read_kept(cache_dir() / _DIGESTS) or {}


def _save_digests(known: dict) -> None:
    write_kept(cache_dir() / _DIGESTS, known)


def _file_digest(path: Path, known: dict) -> str:
    """The SHA-256 of ``path``'s bytes, from ``known`` when the file's size, mtime and inode
    are those it had when it was last read (and it had settled by then)."""
    try:
        stat = path.stat()
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from None
    key = str(path.resolve())
    signature = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    entry = known.get(key)
    if isinstance(entry, dict) and entry.get("stat") == signature:
        return entry["sha256"]
    file_digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            file_digest.update(block)
    if time.time() - stat.st_mtime > _SETTLED:
        known[key] = {"stat": signature, "sha256": file_digest.hexdigest()}
    return file_digest.hexdigest()


@dataclass
class CachedStore:
    store: ox.Store
    path: Path
    built: bool  # True if built now, False if an up-to-date store was reused
    reasoner: str
    warning: str = ""


def cached_store(files: list[Path], fill: Callable[[ox.Store], tuple[str, str]], *, inferred: bool,
                 kind: str = "query") -> CachedStore:
    """The up-to-date store for ``files``, opened read-only; built first if there is none.

    ``fill(store)`` loads the sources into an empty (in-memory) store and returns (what supplied the
    inferred triples, a warning to repeat to every user of the store, or "")."""
    key = fingerprint(files, inferred=inferred, kind=kind)
    root = cache_dir()
    path = root / ("kb-" + key[:32])
    built = False
    if not (path / _MARKER).is_file():
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".kb-building-", dir=root))
        try:
            memory = ox.Store()  # filled in memory (parsing, plain edges, the reasoner's queries are fastest there)
            reasoner, warning = fill(memory)
            store = ox.Store(str(staging / "store"))
            store.bulk_extend(memory)  # then written as sorted files at once: 5x faster than loading into RocksDB
            del memory
            store.flush()
            store.optimize()
            del store  # close the database before moving it
            marker = {"fingerprint": key, "format": STORE_FORMAT, "version": __version__, "reasoner": reasoner,
                      "warning": warning, "sources": [str(f) for f in files], "inferred": inferred, "kind": kind}
            (staging / _MARKER).write_text(json.dumps(marker, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            try:
                staging.rename(path)
                built = True
            except OSError:  # another process put the same store in place first
                pass
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        for old in root.glob("kb-*"):  # stores of sources that are no more: never read again
            if old != path and old.is_dir() and _same_sources(old, files, inferred, kind):
                shutil.rmtree(old, ignore_errors=True)
    marker = json.loads((path / _MARKER).read_text(encoding="utf-8"))
    if marker.get("fingerprint") != key:
        raise RuntimeError(f"{path}: the store does not match its name; remove the folder")
    return CachedStore(ox.Store.read_only(str(path / "store")), path, built, marker["reasoner"], marker["warning"])


def _same_sources(path: Path, files: list[Path], inferred: bool, kind: str) -> bool:
    """Was the store at ``path`` made from the same files (as they were then)?"""
    marker = read_kept(path / _MARKER) or {}
    return (marker.get("sources") == [str(f) for f in files] and marker.get("inferred") == inferred
            and marker.get("kind", "query") == kind)
