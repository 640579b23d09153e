"""Where in a file a resource is described: the lines where the statements about an IRI begin."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from imid_onto.io.records import SUFFIXES
from imid_onto.vocab import PREFIXES, curie

# --- where in the file ---------------------------------------------------------------------

_PREFIX = re.compile(r"\s*(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)
_TRAILING_COMMENT = re.compile(r"\s#[^\"<>]*$")
_RECORD = re.compile(r"- ([A-Za-z0-9][A-Za-z0-9._-]*):")


@lru_cache(maxsize=32)
def _statement_index(path: Path, stamp: tuple[int, int]) -> tuple[dict[str, str], dict[str, list[int]]]:
    """A file's prefixes, and the lines where its statements begin, by their first token
    (read once per version of the file: ``stamp`` is its mtime and size)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}, {}
    if path.suffix.lower() in SUFFIXES:  # claim records: "- ID: label" starts claim:ID
        records: dict[str, list[int]] = defaultdict(list)
        for number, line in enumerate(lines, start=1):
            match = _RECORD.match(line)
            if match:
                records[f"claim:{match.group(1)}"].append(number)
        return {"claim": str(PREFIXES["claim"])}, records
    prefixes = {m.group(1): m.group(2) for line in lines for m in [_PREFIX.match(line)] if m}
    starts: dict[str, list[int]] = defaultdict(list)
    at_start = True
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if at_start:
            first = text.split(None, 1)[0]
            for token in {first, first.rstrip(";.,")}:
                starts[token].append(number)
        text = _TRAILING_COMMENT.sub("", text)
        at_start = text.endswith((".", "{", "}")) or bool(_PREFIX.match(text))
    return prefixes, starts


def statement_starts(path: Path, iri: str) -> list[int]:
    """Lines of a Turtle, TriG or N-Triples file where a statement about ``iri`` begins (its
    first token is ``iri``, in full or as a prefixed name, after a line that ends a statement);
    in a claims file (claim records), the line of the claim's record."""
    try:
        stat = path.stat()
    except OSError:
        return []
    return _starts(*_statement_index(path, (stat.st_mtime_ns, stat.st_size)), iri)


def _starts(prefixes: dict[str, str], starts: dict[str, list[int]], iri: str) -> list[int]:
    tokens = {f"<{iri}>"} | {f"{p}:{iri[len(ns) :]}" for p, ns in prefixes.items() if ns and iri.startswith(ns)}
    return sorted({number for token in tokens for number in starts.get(token, ())})


def first_statements(paths: list[Path]) -> Callable[[str], tuple[str, int | None]]:
    """A function giving, for an IRI, the first of ``paths`` with a statement about it and
    the line where that statement starts (("", None) where none has): :func:`statement_starts`
    for many IRIs, each file looked at once."""
    indexes = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        indexes.append((str(path), *_statement_index(path, (stat.st_mtime_ns, stat.st_size))))

    def first(iri: str) -> tuple[str, int | None]:
        for name, prefixes, starts in indexes:
            lines = _starts(prefixes, starts, iri)
            if lines:
                return name, lines[0]
        return "", None

    return first


def locate(path: Path, iri: str) -> list[int]:
    """Lines of ``path`` that describe ``iri``: where its statements begin in Turtle and
    TriG, else the first line that names it in full (or as ``prefix:name`` in JSON-LD)."""
    if iri.startswith("_:"):
        return []
    if path.suffix.lower() in (".ttl", ".trig", *SUFFIXES):
        return statement_starts(path, iri)
    needles = [iri]
    short = curie(iri)
    if short != iri:
        needles.append(f'"{short}"')
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                if any(n in line for n in needles):
                    return [number]
    except OSError:
        pass
    return []


def _first_line(path: Path, iri: str) -> int | None:
    lines = locate(path, iri)
    return lines[0] if lines else None
