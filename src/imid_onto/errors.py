"""imid-onto's exceptions, each with its exit code (bad input or usage: 2, a failed check:
1), and :class:`Problem`, what every check reports. Each renders as one line a user can act
on. :func:`printable` and :func:`redact` make any text safe to show: one line, nothing a
terminal obeys, no secret."""

from __future__ import annotations

import re
from abc import ABCMeta
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Problem",
    "ImidError",
    "InputError",
    "ParseError",
    "CheckFailed",
    "DuplicateClaims",
    "ReasonerUnavailable",
    "Unsupported",
    "RemoteError",
    "MechanismUnavailable",
    "printable",
    "redact",
]


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
    present = [s for s in secrets if s]
    if not present:
        return text
    import base64  # here: most commands have no secret, and start faster without these
    import binascii
    import html
    import json
    import urllib.parse

    forms: set[str] = set()
    for secret in present:
        forms |= {
            secret,
            urllib.parse.quote(secret),
            urllib.parse.quote(secret, safe=""),
            urllib.parse.quote_plus(secret),
            html.escape(secret),
            json.dumps(secret)[1:-1],
            printable(secret),
        }
    patterns = [
        re.sub(r"%([0-9A-F])([0-9A-F])", lambda m: f"%[{m[1]}{m[1].lower()}][{m[2]}{m[2].lower()}]", re.escape(form))
        for form in sorted(forms, key=len, reverse=True)
    ]
    text = re.sub("|".join(patterns), "***", text)
    encoded = [secret.encode("utf-8") for secret in present]

    def token(match: re.Match[str]) -> str:
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
        return str(match.group(0))

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


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem(metaclass=ABCMeta):
    """One problem a check found: the IRI it is about (``focus``), the file and line that
    describe it (where known), what is wrong (``message``, which names the focus as a user
    reads it), its ``severity`` ("violation", "warning" or "info", as in SHACL) and a
    ``hint`` for a further line (the passage closest to a quote not found, say). Every check
    returns these; a SHACL result (imid_onto.validation.report.ValidationResult) is one too."""

    file: str = ""
    line: int | None = None
    focus: str = ""
    message: str
    severity: str = "violation"
    hint: str = ""

    def __str__(self) -> str:
        """``file:line: message`` (as far as the place is known)."""
        if not self.file:
            return self.message
        return f"{self.file}{f':{self.line}' if self.line else ''}: {self.message}"


class CheckFailed(ImidError):
    """A check ran and found problems (exit 1)."""

    exit_code = 1


class ReasonerUnavailable(ImidError):
    """The OWL reasoner cannot run here (for HermiT: no Java)."""

    exit_code = 2


class Unsupported(InputError):
    """The shapes use a feature the fast validation engine does not compile (exit 2)."""

    exit_code = 2


class RemoteError(ImidError):
    """A SPARQL store could not be reached or did not answer as the protocol says (exit 2)."""

    exit_code = 2


class MechanismUnavailable(ImidError):
    """Graphviz's dot is not installed: the mechanism diagram cannot be drawn (exit 2)."""

    exit_code = 2


class DuplicateClaims(CheckFailed):
    """Claim IRIs described twice (in two files, or in two statements of one file): one line
    naming the first, and where the others are (exit 1). ``problems`` holds them all."""

    exit_code = 1

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        text = str(problems[0])
        if len(problems) > 1:
            others = ", ".join(f"{p.file}:{p.line}" if p.line else p.file for p in problems[1:6])
            text += f" (and {len(problems) - 1} more: {others}{', ...' if len(problems) > 6 else ''})"
        super().__init__(text)
