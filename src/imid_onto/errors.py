"""imid-onto's exceptions. Each renders as one line a user can act on; the CLI maps them
to exit codes (bad input or usage: 2, a failed check: 1). :func:`printable` and
:func:`redact` make any text safe to show: one line, nothing a terminal obeys, no secret."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ImidError", "InputError", "ParseError", "CheckFailed", "ReasonerUnavailable", "printable", "redact"]


def printable(text: str) -> str:
    """``text`` with each character that is not printable escaped as ``repr`` writes it
    (``\\n``, ``\\r``, ``\\x1b``, ``\\x07``, ``\\u202e``, ``\\udcff`` for an undecodable byte of
    a file name): one line, with no control, escape sequence or bidi override left for a
    terminal to obey. Backslashes are kept as they are."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


_BASE64 = re.compile(r"(?:[A-Za-z0-9+/_-]|%2[BbFf]){4,}(?:=|%3[Dd]){0,2}")  # also URL-encoded
_DIGEST_RESPONSE = re.compile(r"(\bresponse\s*=\s*\"?)[0-9a-fA-F]{32,128}", re.IGNORECASE)


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with each of ``secrets`` replaced by ``***`` in every form a server may echo
    it: as it is, URL-encoded (either way, any case of hex), HTML- or JSON-escaped, inside
    any base64 token (a Basic ``Authorization`` header, ``user:password``), and a Digest
    ``response=`` hash (made from it)."""
    secrets = [s for s in secrets if s]
    if not secrets:
        return text
    import base64  # here: most commands have no secret, and start faster without these
    import binascii
    import html
    import json
    import urllib.parse

    forms: set[str] = set()
    for secret in secrets:
        forms |= {secret, urllib.parse.quote(secret), urllib.parse.quote(secret, safe=""),
                  urllib.parse.quote_plus(secret), html.escape(secret), json.dumps(secret)[1:-1], printable(secret)}
    patterns = [re.sub(r"%([0-9A-F])([0-9A-F])", lambda m: f"%[{m[1]}{m[1].lower()}][{m[2]}{m[2].lower()}]",
                       re.escape(form)) for form in sorted(forms, key=len, reverse=True)]
    text = re.sub("|".join(patterns), "***", text)
    encoded = [secret.encode("utf-8") for secret in secrets]

    def token(match: re.Match) -> str:
        found = urllib.parse.unquote(match.group(0)).rstrip("=")
        altchars = b"-_" if "-" in found or "_" in found else None
        for start in range(4):  # the token may begin inside a longer word ("%20" + token)
            part = found[start:]
            if len(part) % 4 == 1:  # a lone last character is no byte
                part = part[:-1]
            try:
                decoded = base64.b64decode(part + "=" * (-len(part) % 4), altchars=altchars)
            except (binascii.Error, ValueError):
                continue
            if any(secret in decoded for secret in encoded):
                return "***"
        return match.group(0)

    return _DIGEST_RESPONSE.sub(r"\1***", _BASE64.sub(token, text))


class ImidError(Exception):
    """Base class of every error imid-onto reports to a user."""

    exit_code = 2


class InputError(ImidError):
    """A file or argument that cannot be used as given."""

    exit_code = 2


@dataclass
class ParseError(InputError):
    """An RDF file that does not parse: names the file, line and column."""

    path: Path
    line: int | None
    column: int | None
    reason: str

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: syntax error: {self.reason}"


class CheckFailed(ImidError):
    """A check ran and found problems (exit 1)."""

    exit_code = 1


class ReasonerUnavailable(ImidError):
    """The OWL reasoner cannot run here (for HermiT: no Java)."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One finding: the file and line it is about, and what is wrong."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}{f':{self.line}' if self.line else ''}: {self.message}"
