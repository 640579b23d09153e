"""The input gate: can a file be read and validated at all (missing, a folder, an unknown kind,
empty, not UTF-8, XML that is not well formed). A file that does not parse is left to the
reader (``imid_onto.io.rdf``), which names the line and column. See
``docs/design/validation.md``.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pyoxigraph as ox

from imid_onto.errors import InputError, ParseError
from imid_onto.io import records
from imid_onto.io.rdf import FORMATS, check_regular, format_of, refuse_fetching

_CHUNK = 1 << 20


# --- can the file be validated at all ----------------------------------------------------


def check_readable(paths: list[Path]) -> None:
    """Raise InputError (a ParseError, with line and column, for a wrong encoding and for
    XML that is not well formed) for the first path that is not a readable, non-empty RDF
    file of a known kind or claims file (claim records)."""
    for path in paths:
        if path.is_dir():
            raise InputError(f"{path}: is a folder, not an RDF file (give the files in it, e.g. {path}/*.ttl)")
        check_regular(path)  # missing, a named pipe, a device
        rdf_format = None if records.is_record_file(path) else format_of(path)
        try:
            size = path.stat().st_size
            with path.open("rb") as handle:
                head = handle.read(4)
                blank = _only_white_space(handle, head)
        except OSError as err:
            raise InputError(f"{path}: cannot read: {err.strerror or err}") from None
        if size == 0:
            raise InputError(f"{path}: empty file (0 bytes): no RDF in it")
        if blank:
            raise InputError(f"{path}: only white space ({size} bytes): no RDF in it")
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head[:2]:
            raise ParseError(
                path, 1, 1, "UTF-16 text, not UTF-8: RDF files are UTF-8; convert it (e.g. iconv -f UTF-16 -t UTF-8)"
            )
        if head.startswith(codecs.BOM_UTF8) and rdf_format not in (ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML, None):
            raise ParseError(
                path,
                1,
                1,
                "the file starts with a UTF-8 byte-order mark (BOM), which "
                f"{rdf_format.name} does not allow: save it as UTF-8 without BOM",
            )
        _check_utf8(path)
        if rdf_format in (ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD):  # before any parser expands or fetches
            refuse_fetching(path, rdf_format, path.read_bytes())


def _only_white_space(handle, head: bytes) -> bool:
    chunk = head
    while chunk:
        if chunk.strip(b" \t\r\n"):
            return False
        chunk = handle.read(_CHUNK)
    return True


def _check_utf8(path: Path) -> None:
    """ParseError at the first byte that is not UTF-8 (a Latin-1 file, say), with its line
    and column: the parser would say "Invalid UTF-8" and leave the user to guess."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    offset = 0
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(_CHUNK)
            pending = len(decoder.getstate()[0])  # bytes of a character begun in the last chunk
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as err:
                at = offset - pending + err.start
                handle.seek(0)
                before, bad = handle.read(at), handle.read(1)
                line = before.count(b"\n") + 1
                column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
                raise ParseError(
                    path,
                    line,
                    column,
                    f"not UTF-8 (byte 0x{bad.hex().upper() or '??'}: Latin-1 or "
                    "Windows-1252?): RDF files are UTF-8; convert it (e.g. iconv -f LATIN1 -t UTF-8)",
                ) from None
            if not chunk:
                return
            offset += len(chunk)


# --- before validation ---------------------------------------------------------------------


def _has_triples(path: Path) -> bool | None:
    """Whether ``path`` holds at least one triple (parsing stops at the first); None when
    it does not parse before that."""
    if records.is_record_file(path):
        return True  # claim records: the reader names what is wrong with them, at its line
    try:
        return (
            next(iter(ox.parse(path=path, format=FORMATS[path.suffix.lower()], base_iri=path.resolve().as_uri())), None)
            is not None
        )
    except (SyntaxError, ValueError, OSError, MemoryError):  # MemoryError: a term too long for pyoxigraph
        return None


def precheck(paths: list[Path]) -> None:
    """Raise InputError (exit 2) for the first of ``paths`` that cannot be validated:
    missing, a folder, an unknown kind, empty or without a single triple, not UTF-8, XML
    that is not well formed. Reads each file's first triple only."""
    paths = [Path(p) for p in paths]
    check_readable(paths)
    for path in paths:
        if _has_triples(path) is False:
            raise InputError(f"{path}: no triples in it (only prefixes or comments): nothing to validate")
