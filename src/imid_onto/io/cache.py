"""A persistent, indexed store of the knowledge base, so that a query does not pay for
parsing and reasoning every time.

The store is pyoxigraph's on-disk (RocksDB) ``Store`` holding what queries run over (the
ontology, the data files, the plain edges of standing claims and the reasoner's inferred
triples), kept in a cache folder (``$IMID_CACHE``, else ``$XDG_CACHE_HOME/imid-onto``, else
``~/.cache/imid-onto``) under the fingerprint of its sources (:func:`fingerprint`):
:func:`cached_store` opens it or builds it, and :func:`kept_path`, :func:`read_kept` and
:func:`write_kept` keep HermiT's results (``reasoner/``) and validation reports
(``reports/``) beside it. What the cache guarantees and where it stops (stores named by the
bytes parsed, remembered digests, eviction under locks, damage repaired, a folder that
cannot be written): ``docs/design/cache.md``.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

import pyoxigraph as ox

from imid_onto import __version__
from imid_onto.errors import InputError
from imid_onto.io.leftovers import owned_prefix, remove_dead
from imid_onto.io.rdf import check_regular, recording_reads, write_atomic

try:
    import fcntl
except ImportError:  # no flock (Windows): stores are never removed
    fcntl = None  # type: ignore[assignment]  # a module or None, tested before each use

__all__ = [
    "STORE_FORMAT",
    "CacheWarning",
    "cache_dir",
    "fingerprint",
    "CachedStore",
    "cached_store",
    "kept_path",
    "read_kept",
    "write_kept",
    "damaged",
    "discard",
]

#: Bumped whenever what goes into a store changes.
STORE_FORMAT = 2
_MARKER = "imid-onto-store.json"
#: A reader holds a shared lock on this file of a store's folder while it may read the store.
_LOCK = "lock"
#: At most this many stores are kept ...
_STORES = 8
#: ... and at most this many bytes of them (``$IMID_CACHE_SIZE``); the newest is always kept.
_SIZE = 5 << 30
#: Folders of a store being built, or being removed (then the process id, "-", a random part).
_BUILDING, _REMOVING = ".kb-building-", ".kb-removing-"


class CacheWarning(UserWarning):
    """The cache cannot be used as it is (damaged, read-only, full, none): the answer is made
    afresh (the CLI prints it as one line on stderr)."""


#: What this process has said about the cache: each thing once.
_SAID: set[str] = set()


def _warn(message: str) -> None:
    if message not in _SAID:
        _SAID.add(message)
        warnings.warn(message, CacheWarning, stacklevel=3)


def cache_dir() -> Path:
    """Where stores are kept: ``$IMID_CACHE``, ``$XDG_CACHE_HOME/imid-onto`` or
    ``~/.cache/imid-onto``. OSError where there is none (HOME empty or unset)."""
    if os.environ.get("IMID_CACHE"):
        return Path(os.environ["IMID_CACHE"])
    if os.path.isabs(os.environ.get("XDG_CACHE_HOME", "")):  # a relative one is to be ignored (XDG)
        return Path(os.environ["XDG_CACHE_HOME"]) / "imid-onto"
    home = os.environ["HOME"] if "HOME" in os.environ else os.path.expanduser("~")
    if not os.path.isabs(home):
        raise OSError(
            errno.ENOENT, "no cache folder (HOME is empty or unset, and neither IMID_CACHE nor XDG_CACHE_HOME is set)"
        )
    return Path(home) / ".cache" / "imid-onto"


def _root() -> Path | None:
    """The cache folder; None (with a warning) where there is none."""
    try:
        return cache_dir()
    except OSError as err:
        _unusable(err)
        return None


def _unusable(err: OSError) -> None:
    """Say that nothing new can be kept in the cache (the same words for each failure: said once)."""
    try:
        root = cache_dir()
    except OSError as none:
        _warn(f"{_reason(none)}: nothing is kept; everything is made afresh, in memory")
        return
    _warn(
        f"{root}: cannot write the cache ({_reason(err)}): nothing new is kept there; what it lacks is made "
        "afresh, in memory"
    )


def _reason(err: BaseException) -> str:
    """What went wrong, without the file names (RocksDB's messages are long and name temporary files)."""
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    text = str(err)
    for code in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT):
        if os.strerror(code) in text:
            return os.strerror(code)
    return (text.splitlines() or [type(err).__name__])[0].split("  ")[0]  # RocksDB's second sentence: where to look


def damaged(path: Path, why: str = "") -> None:
    """Say that the cache entry at ``path`` is damaged (it is then made afresh)."""
    _warn(f"{path}: damaged cache entry{f' ({why})' if why else ''}: made afresh")


def discard(path: Path, why: str) -> None:
    """The store at ``path`` was found damaged while it was read (RocksDB checks a block only
    when it reads it): say so and remove it, so that it is made afresh."""
    damaged(path, why)
    if path in _HELD:
        os.close(_HELD.pop(path))
    _remove(path)


@overload
def fingerprint(files: list[Path], *, inferred: bool, kind: str = "query", read: None = None) -> str: ...
@overload
def fingerprint(
    files: list[Path], *, inferred: bool, kind: str = "query", read: dict[str, str | None]
) -> str | None: ...


def fingerprint(
    files: list[Path], *, inferred: bool, kind: str = "query", read: dict[str, str | None] | None = None
) -> str | None:
    """The SHA-256 over the sources' digests (in order), the imid-onto version, the store
    format, the kind of store and whether inferred triples are included.

    The digests are those of the files as they are now; with ``read``
    (imid_onto.io.rdf.recording_reads), those of the bytes that were parsed, and then None
    when a file was not parsed, or was read twice with different bytes."""
    digest = hashlib.sha256(f"imid-onto {__version__} store {STORE_FORMAT} {kind} inferred={inferred}\n".encode())
    if read is not None:
        for path in files:
            file_digest = read.get(str(Path(path).resolve()))
            if file_digest is None:
                return None
            digest.update(f"{Path(path).name} {file_digest}\n".encode())
        return digest.hexdigest()
    known, changed = _load_digests()
    before = dict(known)
    for path in files:
        digest.update(f"{Path(path).name} {_file_digest(Path(path), known)}\n".encode())
    if changed or known != before:
        write_kept(_digests_path(), known)
    return digest.hexdigest()


#: Where file digests are remembered by their signature, so that opening a store does not
#: read every source again (the 1M-claim Turtle is 0.8 GB).
_DIGESTS = "file-digests.json"
#: A digest is remembered only for a file last modified or changed longer ago than this
#: (seconds): a file changed again within its timestamps' resolution keeps its signature
#: ("racy git"), and must be read again.
_SETTLED = 2.0


def kept_path(folder: str, name: str) -> Path | None:
    """Where a result named ``name`` is kept: ``<cache>/<folder>/<name>.json`` (folders:
    ``reasoner``, ``reports``); None (with a warning) where there is no cache folder."""
    root = _root()
    if root is None:
        return None
    where = root / folder
    if os.path.lexists(where) and not where.is_dir():  # a file in the folder's place: in the way of every result
        damaged(where, "a file, not a folder")
        try:
            where.unlink()
        except OSError as err:
            _unusable(err)
    return where / f"{name}.json"


def read_kept(path: Path | None) -> dict[str, Any] | None:
    """The JSON object kept at ``path``; None when there is none or it is damaged (said in a
    warning; the caller then makes it afresh)."""
    if path is None:
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError) as err:
        damaged(path, getattr(err, "strerror", None) or "not JSON")
        return None
    if not isinstance(record, dict):
        damaged(path, "not a JSON object")
        return None
    return record


def write_kept(path: Path | None, record: dict[str, Any]) -> None:
    """Keep ``record`` at ``path`` (atomically); where the cache cannot be written, a warning."""
    if path is None:
        return
    try:
        write_atomic(path, (json.dumps(record, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    except OSError as err:
        _unusable(err)


def _digests_path() -> Path | None:
    root = _root()
    return None if root is None else root / _DIGESTS


def _load_digests() -> tuple[dict[str, dict[str, Any]], bool]:
    """The remembered digests, and whether damaged entries were left out."""
    path = _digests_path()
    if path is None:
        return {}, False
    record = read_kept(path) or {}
    known = {
        key: entry
        for key, entry in record.items()
        if isinstance(entry, dict)
        and isinstance(entry.get("stat"), list)
        and re.fullmatch(r"[0-9a-f]{64}", str(entry.get("sha256")))
    }
    if len(known) < len(record):
        damaged(path, f"{len(record) - len(known)} of its entries without a signature or digest")
    return known, len(known) < len(record)


def _signature(info: os.stat_result) -> list[int]:
    """What a file's content is trusted unchanged by: size, modification and change times,
    inode and device (as git does). The change time cannot be set back by hand."""
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def _file_digest(path: Path, known: dict[str, dict[str, Any]]) -> str:
    """The SHA-256 of ``path``'s bytes, from ``known`` when the file's signature is the one
    it had when it was last read (and it had settled by then)."""
    check_regular(path)  # a named pipe or a device would never be read to its end
    try:
        info = path.stat()
        key = str(path.resolve())
        entry = known.get(key)
        if entry is not None and entry["stat"] == _signature(info):
            return entry["sha256"]
        file_digest = hashlib.sha256()
        with open(path, "rb") as handle:
            before = os.fstat(handle.fileno())
            for block in iter(lambda: handle.read(1 << 20), b""):
                file_digest.update(block)
            after = os.fstat(handle.fileno())
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from None
    settled = time.time_ns() - max(before.st_mtime_ns, before.st_ctime_ns) > _SETTLED * 1e9
    if settled and _signature(before) == _signature(after):
        known[key] = {"stat": _signature(before), "sha256": file_digest.hexdigest()}
    return file_digest.hexdigest()


@dataclass
class CachedStore:
    store: ox.Store
    path: Path | None  # None: not kept (the cache could not be written), the store is in memory
    built: bool  # True if built now, False if an up-to-date store was reused
    reasoner: str
    warning: str = ""


def cached_store(
    files: list[Path], fill: Callable[[ox.Store], tuple[str, str]], *, inferred: bool, kind: str = "query"
) -> CachedStore:
    """The up-to-date store for ``files``, opened read-only; built first if there is none.

    ``fill(store)`` loads the sources (through imid_onto.io.rdf, which records the bytes it
    parses) into an empty in-memory store and returns (what supplied the inferred triples,
    a warning to repeat to every user of the store, or ""). Where the store cannot be kept,
    that in-memory store is returned."""
    limit = _size_limit()
    root = _root()
    current = fingerprint(files, inferred=inferred, kind=kind)
    try:
        if root is not None:
            remove_dead(root, _BUILDING)
            remove_dead(root, _REMOVING)
            found = _open(root, current)
            if found is not None:
                return found
    except OSError as err:
        _unusable(err)
        root = None
    memory = ox.Store()  # filled in memory (parsing, plain edges, the reasoner's queries are fastest there)
    with recording_reads() as read:
        reasoner, warning = fill(memory)
    key = fingerprint(files, inferred=inferred, kind=kind, read=read)  # named by the bytes parsed
    if root is not None and key is not None:
        marker = {
            "fingerprint": key,
            "format": STORE_FORMAT,
            "version": __version__,
            "reasoner": reasoner,
            "warning": warning,
            "sources": [str(Path(f).resolve()) for f in files],
            "inferred": inferred,
            "kind": kind,
        }
        try:
            built = _write(root / _name(key), memory, marker)
            _evict(root, root / _name(key), limit)
            found = _open(root, key, built=built)
            if found is not None:
                return found
        except OSError as err:
            _unusable(err)
    return CachedStore(memory, None, True, reasoner, warning)


def _name(key: str) -> str:
    return "kb-" + key[:32]


#: The lock files of the stores this process has opened, held (shared) until it ends.
_HELD: dict[Path, int] = {}


def _open(root: Path, key: str, *, built: bool = False) -> CachedStore | None:
    """The store named by ``key``, opened read-only and locked against removal; None when
    there is none, or it was damaged (it is then removed, with a warning)."""
    path = root / _name(key)
    try:
        if path not in _HELD:
            _HELD[path] = _lock_shared(path)
        try:
            marker = json.loads((path / _MARKER).read_text(encoding="utf-8"))
        except ValueError:
            raise ValueError(f"{_MARKER} is not JSON") from None
        if not isinstance(marker, dict) or marker.get("fingerprint") != key:
            raise ValueError(f"{_MARKER} does not match the store's name")
        try:
            store = ox.Store.read_only(str(path / "store"))
        except (OSError, RuntimeError) as err:  # RocksDB's "Corruption", a missing file
            raise ValueError(_reason(err)) from None
        cached = CachedStore(store, path, built, str(marker["reasoner"]), str(marker["warning"]))
    except (FileNotFoundError, NotADirectoryError, ValueError, KeyError) as err:
        if not os.path.lexists(path):
            return None
        damaged(path, _reason(err))
        if path in _HELD:
            os.close(_HELD.pop(path))
        _remove(path)
        return None
    with contextlib.suppress(OSError):  # a read-only cache is used as it is
        os.utime(path / _MARKER)  # when it was last used
    return cached


def _lock_shared(path: Path) -> int:
    """A shared lock on the store at ``path``, as a file descriptor to keep open."""
    fd = os.open(path / _LOCK, os.O_RDONLY)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_SH)  # waits while the store is being moved away
        if os.stat(path / _LOCK).st_ino != os.fstat(fd).st_ino:  # it was: this lock is the removed store's
            raise FileNotFoundError(errno.ENOENT, "removed meanwhile", str(path))
    except BaseException:
        os.close(fd)
        raise
    return fd


def _write(path: Path, memory: ox.Store, marker: dict[str, Any]) -> bool:
    """Write ``memory`` as the store at ``path``; False if another process put it there first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=owned_prefix(_BUILDING), dir=path.parent))
    try:
        (staging / _LOCK).touch()
        store = ox.Store(str(staging / "store"))
        store.bulk_extend(memory)  # written as sorted files at once: 5x faster than loading into RocksDB
        store.flush()
        store.optimize()
        del store  # close the database before moving it
        (staging / _MARKER).write_text(json.dumps(marker, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        try:
            staging.rename(path)
            return True
        except OSError:  # another process put the same store in place first (or something is in the way)
            return False
    except RuntimeError as err:  # RocksDB's I/O errors
        raise OSError(errno.EIO, _reason(err)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _evict(root: Path, keep: Path, limit: int) -> None:
    """Remove the least recently used stores beyond ``_STORES`` stores or ``limit`` bytes in
    all, except ``keep`` and the stores a process has open."""

    def used(path: Path) -> float:
        try:
            return (path / _MARKER).stat().st_mtime
        except OSError:
            return 0.0  # damaged: first to go

    count, total = 1, _size(keep)
    for path in sorted((p for p in root.glob("kb-*") if p != keep), key=used, reverse=True):
        size = _size(path)
        if count < _STORES and total + size <= limit:
            count, total = count + 1, total + size
            continue
        try:
            if _remove(path):
                continue
        except OSError:  # gone meanwhile, or the cache is read-only
            pass
        count, total = count + 1, total + size  # in use: it stays


def _size(path: Path) -> int:
    total = 0
    for folder, _, names in os.walk(path):
        for name in names:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(folder, name)).st_size
    return total


def _remove(path: Path) -> bool:
    """Remove the store at ``path`` (or whatever is in its place), unless a process has it
    open; True if it is gone."""
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
        return True
    try:
        fd: int | None = os.open(path / _LOCK, os.O_RDWR)
    except FileNotFoundError:
        fd = None  # damaged, or made by an older imid-onto: nobody holds it
    try:
        if fd is not None:
            if fcntl is None:
                return False
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False  # in use
        trash = path.parent / (owned_prefix(_REMOVING) + secrets.token_hex(4))
        path.rename(trash)  # at once: a reader now finds no store, or its lock no longer in place
    finally:
        if fd is not None:
            os.close(fd)
    shutil.rmtree(trash, ignore_errors=True)
    return True


def _size_limit() -> int:
    """``$IMID_CACHE_SIZE`` in bytes (a number, with K, M, G or T for powers of 1,024), else 5G."""
    text = os.environ.get("IMID_CACHE_SIZE", "").strip()
    if not text:
        return _SIZE
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?", text, re.IGNORECASE)
    if match is None:
        raise InputError(f"IMID_CACHE_SIZE={text!r}: not a size (write 5G, 500M or a number of bytes)")
    return int(float(match.group(1)) * 1024 ** "_KMGT".index(match.group(2).upper() or "_"))
