"""Checking the coverage ledgers (:mod:`imid_onto.io.ledger`) against the source texts and the claims.

A ledger covers its document when: its sentences, all white space removed, make up the
document's source text exactly, in order (the first sentence where they part is reported,
with what each has there); every claim it names exists, is quoted from that document, and
its quote lies in that sentence (or runs on into it from the sentence before: a quote
spanning sentences); every claim of the document is named by some sentence. A document
with claims and no ledger is a problem too. Without the source texts the sentences are not
compared (one warning says so); the claims still are. See ``docs/design/coverage-ledger.md``.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from imid_onto import paths
from imid_onto.errors import Problem
from imid_onto.io.ledger import Ledger, read_ledger
from imid_onto.io.records import normalise, occurrences
from imid_onto.model.claims import Claim, read_claims
from imid_onto.validation.quotes import text_files
from imid_onto.vocab import CLAIM, curie

__all__ = ["check_ledgers", "check_ledger"]

#: How much of a sentence a problem shows.
EXCERPT = 60


def check_ledgers(
    graph: Graph | ox.Store, sources: Path | None, ledgers: Iterable[Path] | None = None
) -> list[Problem]:
    """The coverage problems of ``ledgers`` (default: the knowledge base's, ``kb/ledger/``)
    against the claims of ``graph`` and the texts in ``sources`` (None: not here; one
    warning, and the sentences are not compared): each ledger's, then every document
    with claims and no ledger. InputError for a ledger that cannot be read."""
    read = [read_ledger(path) for path in (paths.ledger_files() if ledgers is None else ledgers)]
    claims = read_claims(graph)
    files = dict(text_files(graph))
    if sources is None and read:
        warnings.warn(
            "the source texts are not here ($IMID_SOURCES or ../shared/sources): the ledgers' sentences "
            "are not compared with them",
            stacklevel=2,
        )
    problems: list[Problem] = []
    covered: dict[Node, Ledger] = {}
    for ledger in read:
        if ledger.document in covered:
            problems.append(
                _at(
                    ledger,
                    ledger.line,
                    f"{curie(ledger.document)} has a ledger already: {covered[ledger.document].path}",
                )
            )
            continue
        covered[ledger.document] = ledger
        if ledger.document not in files:
            problems.append(
                _at(ledger, ledger.line, f"{curie(ledger.document)} names no source text (imid:sourceTextFile)")
            )
            continue
        text = None
        if sources is not None:
            path = sources / files[ledger.document]
            if path.is_file():
                text = path.read_text(encoding="utf-8")
            else:
                warnings.warn(f"{ledger.path}: {path} is not here: its sentences are not compared", stacklevel=2)
        problems += check_ledger(ledger, claims, text)
    quoted = {q.source for claim in claims for q in claim.quotes if q.source is not None}
    for document in sorted(quoted - set(covered), key=str):
        if document in files:
            problems.append(
                Problem(
                    focus=str(document),
                    message=f"{curie(document)} has claims but no coverage ledger (kb/ledger/*.yaml, "
                    f"document: {curie(document)})",
                )
            )
    return problems


def check_ledger(ledger: Ledger, claims: Iterable[Claim], text: str | None) -> list[Problem]:
    """The problems of one ``ledger`` against ``claims`` (all of the knowledge base's) and
    its document's source ``text`` (None: the sentences are not compared)."""
    claims = list(claims)
    by_iri = {claim.iri: claim for claim in claims}
    ours = [claim for claim in claims if any(q.source == ledger.document for q in claim.quotes)]
    mine = {claim.iri for claim in ours}
    problems: list[Problem] = []
    spans = _spans(ledger, text, problems) if text is not None else []
    where = _quote_places(ours, ledger, text) if text is not None else {}
    named: set[Node] = set()
    for index, sentence in enumerate(ledger.sentences):
        for ident in sentence.claims:
            iri = CLAIM[ident]
            named.add(iri)
            claim = by_iri.get(iri)
            if claim is None:
                problems.append(_at(ledger, sentence.line, f"claim {ident} does not exist"))
            elif iri not in mine:
                others = sorted({curie(q.source) for q in claim.quotes if q.source is not None})
                problems.append(
                    _at(
                        ledger,
                        sentence.line,
                        f"claim {ident} is quoted from {', '.join(others) or 'no document'}, "
                        f"not from {curie(ledger.document)}",
                    )
                )
            elif index < len(spans) and iri in where:
                (start, end), (quote_start, quote_end) = spans[index], where[iri]
                if not (quote_start < end and quote_end > start):
                    problems.append(
                        _at(
                            ledger,
                            sentence.line,
                            f"claim {ident}'s quote is not in this sentence: {_excerpt(_quote(claim, ledger))!r}",
                        )
                    )
    for claim in ours:
        if claim.iri not in named:
            problems.append(
                Problem(
                    focus=str(claim.iri),
                    message=f"claim {curie(claim.iri)} is named by no sentence of {ledger.path}",
                )
            )
    return problems


def _at(ledger: Ledger, line: int, message: str) -> Problem:
    return Problem(file=str(ledger.path), line=line, focus=str(ledger.document), message=message)


def _stripped(text: str) -> str:
    """``text`` with its white space removed and typographic quotes folded (as quotes are matched)."""
    return normalise(text).replace(" ", "")


def _spans(ledger: Ledger, text: str, problems: list[Problem]) -> list[tuple[int, int]]:
    """Where each sentence lies in the stripped source ``text``, up to the first that is not
    what the text has there (that one reported in ``problems``, with the rest left out)."""
    source = _stripped(text)
    spans: list[tuple[int, int]] = []
    at = 0
    for sentence in ledger.sentences:
        mine = _stripped(sentence.text)
        if source.startswith(mine, at):
            spans.append((at, at + len(mine)))
            at += len(mine)
            continue
        same = 0
        while same < len(mine) and at + same < len(source) and mine[same] == source[at + same]:
            same += 1
        theirs = _excerpt(_from(text, at + same)) if at + same < len(source) else ""
        problems.append(
            _at(
                ledger,
                sentence.line,
                f"the sentence is not the source text of {curie(ledger.document)} here: the ledger has "
                f"{_excerpt(_from(sentence.text, same))!r}, "
                + (f"the text has {theirs!r}" if theirs else "the text has ended"),
            )
        )
        return spans
    if at < len(source):
        problems.append(
            _at(
                ledger,
                ledger.sentences[-1].line,
                f"the ledger ends before the source text of {curie(ledger.document)} does: the text goes on with "
                f"{_excerpt(_from(text, at))!r}",
            )
        )
    return spans


def _from(text: str, stripped_index: int) -> str:
    """``text`` (normalised) from the start of the word holding the character that is
    ``stripped_index`` in its stripped form."""
    normalised = normalise(text)
    seen = 0
    for position, char in enumerate(normalised):
        if char != " ":
            if seen == stripped_index:
                return normalised[normalised.rfind(" ", 0, position) + 1 :]
            seen += 1
    return ""


def _excerpt(text: str) -> str:
    text = normalise(text)
    if len(text) <= EXCERPT:
        return text
    cut = text.rfind(" ", 0, EXCERPT)
    return text[: cut if cut > EXCERPT // 2 else EXCERPT] + "..."


def _quote(claim: Claim, ledger: Ledger) -> str:
    return next((q.exact or "" for q in claim.quotes if q.source == ledger.document), "")


def _quote_places(claims: list[Claim], ledger: Ledger, text: str) -> dict[Node, tuple[int, int]]:
    """Where each claim's quote (the occurrence its prefix and suffix select) lies in the
    stripped source ``text``; a claim whose quote is not found once is left out (the quote
    check reports it)."""
    normalised = normalise(text)
    before = [0]  # how many characters that are not spaces precede each position of ``normalised``
    for char in normalised:
        before.append(before[-1] + (char != " "))
    places: dict[Node, tuple[int, int]] = {}
    for claim in claims:
        for quote in claim.quotes:
            if quote.source != ledger.document or not quote.exact:
                continue
            needle = normalise(quote.exact)
            found = occurrences(normalised, needle, quote.prefix, quote.suffix)
            if len(found) == 1:
                places[claim.iri] = (before[found[0]], before[found[0] + len(needle)])
    return places
