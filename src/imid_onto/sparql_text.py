"""Reading SPARQL text without parsing it: blank out what is not syntax."""

from __future__ import annotations

import re

__all__ = ["blank_out"]

_NOT_SYNTAX = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
)


def blank_out(text: str) -> str:
    """``text`` with its string literals, IRIs and comments replaced by spaces (as many as
    they had characters, so an offset in the result is the same offset in ``text``): a
    keyword or a brace found in the rest is really one."""
    return _NOT_SYNTAX.sub(lambda match: " " * len(match.group()), text)
