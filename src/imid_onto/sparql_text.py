"""Reading SPARQL text without parsing it: blank out what is not syntax."""

from __future__ import annotations

import re

__all__ = ["blank_out"]

_NOT_SYNTAX = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
)


def blank_out(text: str) -> str:
    """``text`` with its string literals, IRIs and comments replaced by a space, so that a
    keyword or a brace found in the rest is really one."""
    return _NOT_SYNTAX.sub(" ", text)
