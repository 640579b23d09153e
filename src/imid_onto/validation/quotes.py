"""Checking that every claim's quote stands verbatim in its source document.

Matching normalises only white space (any run becomes one space) and typographic
apostrophes and quotation marks; nothing else. A quote whose exact text occurs more than
once must carry ``oa:prefix`` and/or ``oa:suffix`` that pick out one occurrence.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from imid_onto.errors import Problem
from imid_onto.io.records import normalise, occurrences
from imid_onto.model.claims import read_claims
from imid_onto.vocab import IMID, IMS, SH, curie

__all__ = ["normalise", "check_quotes", "source_texts", "text_files", "quote_results", "QUOTE_SHAPE"]

#: The shape quote problems are reported under by ``validate`` (checked natively for both engines).
QUOTE_SHAPE = IMS.QuoteFoundShape
QUOTE_COMPONENT = IMS.QuoteFoundComponent


def _problem(claim: str, document: str, exact: str, what: str, closest: str = "", hint: str = "") -> Problem:
    """A quote problem on ``claim`` (its file and line are found by :func:`imid_onto.validation.check.check`)."""
    quote = f": {exact!r}" if exact else ""
    return Problem(
        focus=claim,
        message=f"claim {curie(claim)}: {what} in {curie(document)}{quote}",
        hint=f"closest passage: {closest!r}" if closest else hint,
    )


def source_texts(data: Graph | ox.Store, sources: Path) -> dict[Node, str]:
    """Each source document's text (normalised), by document IRI, from ``imid:sourceTextFile``
    (``data``: an rdflib Graph or a pyoxigraph Store)."""
    texts: dict[Node, str] = {}
    for document, filename in text_files(data):
        path = sources / filename
        if path.is_file():
            texts[document] = normalise(path.read_text(encoding="utf-8"))
    return texts


def text_files(data: Graph | ox.Store) -> list[tuple[Node, str]]:
    """(document, text file name) for every document that names one."""
    if isinstance(data, Graph):
        return [(document, str(name)) for document, name in data.subject_objects(IMID.sourceTextFile)]
    rows = data.query(f"SELECT ?d ?f WHERE {{ ?d <{IMID.sourceTextFile}> ?f }}")
    assert isinstance(rows, ox.QuerySolutions)
    return [(URIRef(row[0].value), row[1].value) for row in rows if isinstance(row[0], ox.NamedNode) and row[1]]


def _closest(text: str, exact: str) -> str:
    words = text.split(" ")
    size = max(1, len(exact.split(" ")))
    windows = [" ".join(words[i : i + size]) for i in range(0, max(1, len(words) - size + 1))]
    best = difflib.get_close_matches(exact, windows, n=1, cutoff=0.0)
    return best[0] if best else ""


def check_quotes(graph: Graph | ox.Store, sources: Path, *, only_with_text: bool = False) -> list[Problem]:
    """Every quote problem in ``graph``, on its claim (empty when all quotes are found, once
    each). ``only_with_text``: leave out the quotes whose document or text is missing (the
    shapes and :func:`quote_results` say those)."""
    texts = source_texts(graph, sources)
    problems: list[Problem] = []
    for claim in read_claims(graph):
        for quote in claim.quotes:
            document, exact = quote.source, quote.exact
            if document is None or exact is None:
                if not only_with_text:
                    problems.append(
                        _problem(str(claim.iri), str(document), "", "quote has no oa:hasSource or oa:exact")
                    )
                continue
            text = texts.get(document)
            if text is None:
                if not only_with_text:
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
                        f"quote occurs {anchored} times",
                        hint="add oa:prefix or oa:suffix to pick one",
                    )
                )
    return problems


def _anchored_count(text: str, needle: str, prefix: object, suffix: object) -> int:
    """How many occurrences of ``needle`` the prefix and suffix (either may be absent) select:
    the loader's own search (:func:`imid_onto.io.records.occurrences`)."""
    return len(
        occurrences(text, needle, None if prefix is None else str(prefix), None if suffix is None else str(suffix))
    )


def quote_results(data: Graph | ox.Store, sources: Path | None) -> tuple[list, list[str]]:
    """The results of ``ims:QuoteFoundShape`` over ``data`` (a pyoxigraph Store or an rdflib
    Graph), in the SHACL engines' raw form, on the claim (an IRI): a quote not found in its
    document's text, found more than once, or whose prefix and suffix pick none. And the
    notes: one line saying which quotes could not be checked because the source texts
    (``sources``, None where absent) or a document's text are not there."""
    quoted = {q.source for claim in read_claims(data) for q in claim.quotes if q.source is not None}
    named = {document: name for document, name in text_files(data) if document in quoted}
    if not named:
        return [], []
    if sources is None:
        return [], [
            f"the source texts are not here (../shared/sources, or set IMID_SOURCES): the quotes of "
            f"{len(named)} documents are not checked"
        ]
    notes = []
    texts = source_texts(data, sources)
    missing = sorted(curie(document) for document in named if document not in texts)
    if missing:
        notes.append(f"{sources} has no text of {', '.join(missing)}: their quotes are not checked")
    results = []
    for problem in check_quotes(data, sources, only_with_text=True):
        message = problem.message.split(": ", 1)[1] + (f" ({problem.hint})" if problem.hint else "")
        results.append(((problem.focus, "iri"), QUOTE_SHAPE, QUOTE_COMPONENT, SH.Violation, None, ("", ""), (message,)))
    return results, notes
