"""A query's answer (:class:`Table`), its row order, and its output formats: aligned text with
CURIEs, SPARQL 1.1 CSV / TSV results and SPARQL 1.1 Query Results JSON.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from imid_onto.errors import printable
from imid_onto.vocab import curie

if TYPE_CHECKING:
    pass

__all__ = ["Table", "format_table"]


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)


def _sort_key(row: tuple) -> tuple:
    return tuple("" if v is None else f"{type(v).__name__}:{v}" for v in row)


def _json_term(term: Node) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out: dict = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def format_table(table: Table, fmt: str) -> str:
    """``table`` as text (aligned, CURIEs), csv / tsv (SPARQL 1.1 CSV and TSV results) or
    json (SPARQL 1.1 Query Results JSON)."""
    if fmt == "json":
        bindings = [
            {c: _json_term(v) for c, v in zip(table.columns, row, strict=True) if v is not None} for row in table.rows
        ]
        return (
            json.dumps(
                {"head": {"vars": table.columns}, "results": {"bindings": bindings}}, indent=2, ensure_ascii=False
            )
            + "\n"
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow(["" if v is None else str(v) for v in row])
        return buffer.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(f"?{c}" for c in table.columns)]
        for row in table.rows:
            lines.append("\t".join("" if v is None else _tsv_term(v) for v in row))
        return "\n".join(lines) + "\n"
    cells = [[printable(curie(v)) if v is not None else "" for v in row] for row in table.rows]  # one line each
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(table.columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(table.columns, widths, strict=True)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.append(f"({len(table.rows)} rows)")
    return "\n".join(lines) + "\n"


def _tsv_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return term.n3().replace("\t", "\\t").replace("\n", "\\n")
