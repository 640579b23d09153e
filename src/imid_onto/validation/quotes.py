"""Checking that every claim's quote stands verbatim in its source document.

Matching normalises only white space (any run becomes one space) and typographic
apostrophes and quotation marks; nothing else. A quote whose exact text occurs more than
once must carry ``oa:prefix`` and/or ``oa:suffix`` that pick out one occurrence.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from rdflib import Graph
from rdflib.term import Node

from imid_onto.errors import Problem
from imid_onto.io.records import normalise
from imid_onto.model.claims import read_claims
from imid_onto.vocab import IMID, curie

__all__ = ["normalise", "check_quotes", "source_texts"]


def _problem(claim: str, document: str, exact: str, what: str, closest: str = "") -> Problem:
    """A quote problem on ``claim`` (its file and line are found by :func:`imid_onto.validation.check.check`)."""
    quote = f": {exact!r}" if exact else ""
    return Problem(
        focus=claim,
        message=f"claim {curie(claim)}: {what} in {curie(document)}{quote}",
        hint=f"closest passage: {closest!r}" if closest else "",
    )


def source_texts(graph: Graph, sources: Path) -> dict[Node, str]:
    """Each source document's text (normalised), by document IRI, from ``imid:sourceTextFile``."""
    texts: dict[Node, str] = {}
    for document, filename in graph.subject_objects(IMID.sourceTextFile):
        path = sources / str(filename)
        if path.is_file():
            texts[document] = normalise(path.read_text(encoding="utf-8"))
    return texts


def _closest(text: str, exact: str) -> str:
    words = text.split(" ")
    size = max(1, len(exact.split(" ")))
    windows = [" ".join(words[i : i + size]) for i in range(0, max(1, len(words) - size + 1))]
    best = difflib.get_close_matches(exact, windows, n=1, cutoff=0.0)
    return best[0] if best else ""


def check_quotes(graph: Graph, sources: Path) -> list[Problem]:
    """Every quote problem in ``graph``, on its claim (empty when all quotes are found, once each)."""
    texts = source_texts(graph, sources)
    problems: list[Problem] = []
    for claim in read_claims(graph):
        for quote in claim.quotes:
            document, exact = quote.source, quote.exact
            if document is None or exact is None:
                problems.append(_problem(str(claim.iri), str(document), "", "quote has no oa:hasSource or oa:exact"))
                continue
            text = texts.get(document)
            if text is None:
                problems.append(_problem(str(claim.iri), str(document), exact, "source text not found"))
                continue
            needle = normalise(exact)
            if _anchored_count(text, needle, None, None) == 0:
                problems.append(
                    _problem(str(claim.iri), str(document), needle, "quote not found", _closest(text, needle))
                )
                continue
            anchored = _anchored_count(text, needle, quote.prefix, quote.suffix)
            if anchored == 0:
                problems.append(_problem(str(claim.iri), str(document), needle, "oa:prefix/oa:suffix do not match"))
            elif anchored > 1:
                problems.append(
                    _problem(
                        str(claim.iri),
                        str(document),
                        needle,
                        f"quote occurs {anchored} times; add oa:prefix or oa:suffix to pick one",
                    )
                )
    return problems


def _anchored_count(text: str, needle: str, prefix: object, suffix: object) -> int:
    """How many occurrences of ``needle`` the prefix and suffix (either may be absent) select."""
    before = normalise(str(prefix)) if prefix is not None else ""
    after = normalise(str(suffix)) if suffix is not None else ""
    count = 0
    for match in re.finditer(f"(?={re.escape(needle)})", text):
        start, end = match.start(), match.start() + len(needle)
        if before and not text[:start].rstrip().endswith(before.rstrip()):
            continue
        if after and not text[end:].lstrip().startswith(after.lstrip()):
            continue
        count += 1
    return count
