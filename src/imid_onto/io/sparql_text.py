"""A user's SPARQL: checked offline from its parse, run as it was checked, and bounded.

:func:`check_query` lets through a SELECT that may not reach the network or change data
(no SERVICE, FROM, FROM NAMED or update), decided from rdflib's parse of the query, never
from its text, and gives it as a :class:`Checked` query that both engines read alike
(escapes replaced once, a lone carriage return refused). How far the query may then run
is :class:`Limits` (imid_onto.query.bounded runs it in a forked process within them). Why the
two parsers must agree, and the bounds: ``docs/design/user-queries.md``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from imid_onto.errors import InputError

__all__ = ["Checked", "Limits", "check_query", "blank_out"]

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: What either engine could read as an escape after the one pass (rdflib: \u or \U and four
#: hex digits; pyoxigraph, in strings and IRIs: \u and four, \U and eight).
_LEFT_ESCAPE = re.compile(r"\\[uU][0-9A-Fa-f]{4}")
_LONE_CR = re.compile(r"\r(?!\n)")

_NETWORK = "imid-onto runs queries offline over its own data"
_WHY = {
    "SERVICE": "federated queries reach the network",
    "FROM": "FROM names a remote dataset",
    "LOAD": "LOAD reads from the network",
}
_UPDATES = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT",
    "DeleteData": "DELETE",
    "DeleteWhere": "DELETE",
}
_FORMS = {"AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


@dataclass(frozen=True)
class Limits:
    """What a user's query may take (``query --file``): past any of them it is stopped,
    with an InputError saying which. The rows bound the answer (100,000 rows of nine columns
    take about 0.5 GB and 5 s to answer and print); the memory is what the query may take
    beyond what the process has mapped when it starts, the loaded data included (Linux)."""

    seconds: float = 60
    rows: int = 100_000
    memory_mb: int = 2048


@dataclass(frozen=True)
class Checked:
    """A SELECT that :func:`check_query` let through."""

    origin: str  # the file it came from, for messages
    text: str  # its escapes replaced: what pyoxigraph, or an endpoint, is given
    parsed: Any  # rdflib's translation of ``text`` (a prepared Query): what rdflib evaluates


def check_query(text: str, origin: str) -> Checked:
    """``text`` as a :class:`Checked` SELECT, or an InputError (one line, naming ``origin``
    and, where there is one, the line and column in ``text``)."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    plain, where = _replace_escapes(text, origin)
    left = _LEFT_ESCAPE.search(plain)
    if left is not None:
        raise InputError(
            f"{where(left.start())}: {left.group()} is an escape still there after the escapes are "
            "replaced once (SPARQL 1.1, 19.2); refused, as the engines would read it differently"
        )
    cr = _LONE_CR.search(plain)
    if cr is not None:
        raise InputError(
            f"{where(cr.start())}: a carriage return without a line feed after it is refused (the "
            "engines end a comment at different line ends); save the file with LF or CRLF line ends"
        )
    try:
        tree = parseQuery(plain)
    except Exception as err:  # noqa: BLE001 - pyparsing's errors, RecursionError, ValueError for an escape
        _refuse_update(plain, origin)
        if isinstance(err, ParseBaseException):
            raise InputError(
                f"{where(err.loc)}: the query does not parse as SPARQL 1.1 ({_one_line(err.msg)})"
            ) from None
        reason = "nested too deeply for the parser" if isinstance(err, RecursionError) else _one_line(str(err))
        raise InputError(f"{origin}: the query does not parse as SPARQL 1.1 ({reason})") from None
    form = tree[1].name
    if form != "SelectQuery":
        raise InputError(f"{origin}: only SELECT queries are supported, not {_FORMS.get(form, form)}")
    _refuse(tree, origin)  # the syntax, as pyoxigraph reads it too
    try:
        parsed = translateQuery(tree)
    except Exception as err:  # noqa: BLE001 - rdflib raises plain Exceptions for queries it cannot translate
        raise InputError(f"{origin}: the query is not valid SPARQL 1.1 ({_one_line(str(err))})") from None
    _refuse(parsed.algebra, origin)  # what rdflib evaluates
    return Checked(origin, plain, parsed)


def _refuse_update(text: str, origin: str) -> None:
    """Refuse ``text`` if it is an update, naming the operation (LOAD first)."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        requests = dict.get(parseUpdate(text), "request") or []
    except Exception:  # noqa: BLE001 - not an update either
        return
    names = [_UPDATES.get(r.name, "DELETE" if dict.get(r, "delete") else "INSERT") for r in requests]
    if names:
        keyword = "LOAD" if "LOAD" in names else names[0]
        why = _WHY.get(keyword, "queries may not change data")
        raise InputError(f"{origin}: {keyword} is refused ({why}); {_NETWORK}")


def _refuse(tree: object, origin: str) -> None:
    """Refuse a SERVICE pattern or a dataset clause anywhere in a parse tree or algebra."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack, seen = [tree], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            for keyword, found in (
                ("SERVICE", node.name == "ServiceGraphPattern"),
                ("FROM", bool(dict.get(node, "datasetClause"))),
            ):
                if found:
                    raise InputError(f"{origin}: {keyword} is refused ({_WHY[keyword]}); {_NETWORK}")
            stack.extend(dict.values(node))  # dict's own: CompValue's would look variables up
        elif isinstance(node, ParseResults):
            stack.extend(node)
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, set, frozenset)):
            stack.extend(node)


def _replace_escapes(text: str, origin: str):
    """``text`` with its ``\\u`` and ``\\U`` escapes replaced (once), and a function naming
    ``origin:line:column`` in ``text`` for an offset in the result."""
    pieces: list[str] = []
    starts: list[tuple[int, int]] = []  # (offset in the result, offset in text) where each piece begins
    done = length = 0

    def where(offset: int) -> str:
        result_start, text_start = starts[bisect.bisect_right(starts, (offset, len(text) + 1)) - 1]
        position = text_start + offset - result_start
        return f"{origin}:{text.count(chr(10), 0, position) + 1}:{position - text.rfind(chr(10), 0, position)}"

    for match in _ESCAPE.finditer(text):
        starts.append((length, done))
        pieces.append(text[done : match.start()])
        length += match.start() - done
        starts.append((length, match.start()))
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise InputError(f"{where(length)}: {match.group()} is not a character (SPARQL 1.1, 19.2)")
        pieces.append(chr(code))
        length += 1
        done = match.end()
    starts.append((length, done))
    pieces.append(text[done:])
    return "".join(pieces), where


def _one_line(message: str) -> str:
    return " ".join(message.split())


_NOT_SYNTAX = re.compile(
    r"'''(?:(?:'|'')?(?:[^'\\]|\\[\s\S]))*'''"  # the grammar's four string forms, with their escapes
    r'|"""(?:(?:"|"")?(?:[^"\\]|\\[\s\S]))*"""'
    r"|'(?:[^'\\\n\r]|\\[\s\S])*'"
    r'|"(?:[^"\\\n\r]|\\[\s\S])*"'
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"  # an IRI
    r"|#[^\r\n]*"  # a comment
    r"|\\[\s\S]"  # an escape in a prefixed name (ex:a\#b)
)


def blank_out(text: str) -> str:
    """``text`` with its string literals, IRIs and comments replaced by spaces (as many as
    they had characters, so an offset in the result is the same offset in ``text``): a
    keyword or a brace found in the rest is really one. For a text without ``\\u``
    escapes (as :func:`check_query` leaves it, or a named query)."""
    return _NOT_SYNTAX.sub(lambda match: " " * len(match.group()), text)
