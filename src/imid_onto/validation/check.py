"""``imid-onto check``: every quote against its source text and every external id against the
identifier table, for the shipped knowledge base with a user's files beside it, and the
knowledge base's coverage ledgers against the texts and the claims; each problem placed at
the file and line that describe its focus.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from imid_onto import paths
from imid_onto.errors import ImidError, Problem
from imid_onto.io.inputs import check_readable
from imid_onto.io.locate import locate
from imid_onto.io.rdf import read_graphs
from imid_onto.model.kb import beside, data_files, load_knowledge_base
from imid_onto.model.kb import sources as with_ontology
from imid_onto.validation.ledger import check_ledgers
from imid_onto.validation.quotes import check_quotes
from imid_onto.validation.xrefs import check_identifiers

__all__ = ["check"]


def check(files: Iterable[Path] = (), *, alone: bool = False) -> list[Problem]:
    """The quote and identifier problems of ``files`` read with the ontology and the
    knowledge base's entities and documents (their claims may quote its documents; as
    ``validate`` reads them; only the ontology if ``alone``), or of the whole knowledge base
    when no files are given: quotes first, then ids, then (for the knowledge base only) its
    coverage ledgers (``kb/ledger/``), each placed in the first of ``files`` (then of the
    knowledge base's files) that describes it, or in its ledger. Needs the source texts
    and the identifier table (../shared, or IMID_SOURCES and IMID_IDENTIFIERS): ImidError
    without them; InputError for a file that cannot be read."""
    files = [Path(f) for f in files]
    check_readable(files)
    graph = read_graphs(with_ontology(files if alone else [*beside(files), *files])) if files else load_knowledge_base()
    sources, table = paths.sources_dir(), paths.identifier_table()
    if sources is None or table is None:
        raise ImidError("source texts or identifier table not found: set IMID_SOURCES and IMID_IDENTIFIERS")
    searched = [*files, *data_files()]
    problems = [*check_quotes(graph, sources), *check_identifiers(graph, table)]
    if not files:
        problems += check_ledgers(graph, sources)
    return [_placed(problem, searched) for problem in problems]


def _placed(problem: Problem, searched: list[Path]) -> Problem:
    """``problem`` with the file and line of the first of ``searched`` that describes its
    focus (unless it has its place already)."""
    if problem.file:
        return problem
    for path in searched:
        lines = locate(path, problem.focus)
        if lines:
            return dataclasses.replace(problem, file=str(path), line=lines[0])
    return problem
