"""``imid-onto check``: every quote against its source text and every external id against the
identifier table, for the shipped knowledge base with a user's files beside it; each
problem placed at the file and line that describe its focus.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from imid_onto import paths
from imid_onto.errors import ImidError, Problem
from imid_onto.io.inputs import check_readable
from imid_onto.io.locate import locate
from imid_onto.model.kb import data_files, load_knowledge_base
from imid_onto.validation.quotes import check_quotes
from imid_onto.validation.xrefs import check_identifiers

__all__ = ["check"]


def check(files: Iterable[Path] = ()) -> list[Problem]:
    """The quote and identifier problems of the shipped knowledge base with ``files`` beside
    it (their claims may quote its documents): quotes first, then ids, each placed in the
    first of ``files`` (then of the shipped files) that describes it. Needs the source texts
    and the identifier table (../shared, or IMID_SOURCES and IMID_IDENTIFIERS): ImidError
    without them; InputError for a file that cannot be read."""
    files = [Path(f) for f in files]
    check_readable(files)
    graph = load_knowledge_base(files)
    sources, table = paths.sources_dir(), paths.identifier_table()
    if sources is None or table is None:
        raise ImidError("source texts or identifier table not found: set IMID_SOURCES and IMID_IDENTIFIERS")
    searched = [*files, *data_files()]
    return [_placed(problem, searched) for problem in [*check_quotes(graph, sources), *check_identifiers(graph, table)]]


def _placed(problem: Problem, searched: list[Path]) -> Problem:
    """``problem`` with the file and line of the first of ``searched`` that describes its focus."""
    for path in searched:
        lines = locate(path, problem.focus)
        if lines:
            return dataclasses.replace(problem, file=str(path), line=lines[0])
    return problem
