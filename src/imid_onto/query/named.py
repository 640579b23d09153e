"""The competency questions: named SPARQL queries in ``queries/``, read with their header
(``title``, ``question``, ``param``, ``columns``, ``paths``), and a user's query file, checked
first (imid_onto.io.sparql_text). See docs/design/named-queries.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from imid_onto import paths
from imid_onto.errors import InputError
from imid_onto.io.rdf import check_regular
from imid_onto.io.sparql_text import Checked, Limits, check_query

if TYPE_CHECKING:
    pass

__all__ = ["Param", "NamedQuery", "read_query", "named_queries", "named_query", "user_query"]


@dataclass(frozen=True)
class Param:
    name: str
    defaults: tuple[str, ...]
    help: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    question: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    text: str
    paths: str = ""  # "forward" or "backward" for chain queries
    checked: Checked | None = None  # a user's query: as check_query let it through
    limits: Limits | None = None  # a user's query: how far it may run

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        choices = ", ".join(p.name for p in self.params) or "none"
        raise InputError(f"query {self.name!r} has no parameter {name!r} (its parameters: {choices})")


#: A user's query runs within these unless told otherwise.
_DEFAULT_LIMITS = Limits()

_HEADER = re.compile(r"#\s*(title|question|param|columns|paths)\s*:\s*(.*)")


def read_query(path: Path | str) -> NamedQuery:
    """Parse a query file's header (a file without one is a plain query)."""
    path = Path(path)
    check_regular(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read the query: {err}") from None
    fields: dict[str, str] = {}
    params = []
    for line in text.splitlines():
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            spec, _, help_text = value.partition("|")
            name, _, defaults = spec.partition("=")
            params.append(
                Param(name.strip(), tuple(d.strip() for d in defaults.split(",") if d.strip()), help_text.strip())
            )
        else:
            fields[key] = value.strip()
    columns = tuple(c.strip() for c in fields.get("columns", "").split(",") if c.strip())
    direction = fields.get("paths", "").split(" ", 1)[0]
    return NamedQuery(
        path.stem, fields.get("title", path.stem), fields.get("question", ""), tuple(params), columns, text, direction
    )


def named_queries() -> dict[str, NamedQuery]:
    """Every query in ``queries/``, by name."""
    return {p.stem: read_query(p) for p in sorted(paths.queries_dir().glob("*.rq"))}


def named_query(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise InputError(f"no query named {name!r} (choose from: {', '.join(queries)})")
    return queries[name]


def user_query(path: Path | str, limits: Limits | None = _DEFAULT_LIMITS) -> NamedQuery:
    """A user's query file (``query --file``), checked (:func:`check_query`: a SELECT that
    reaches no network and changes nothing, else an InputError naming the file) and, unless
    ``limits`` is None, bounded by them when it runs."""
    query = read_query(path)
    return replace(query, checked=check_query(query.text, str(path)), limits=limits)
