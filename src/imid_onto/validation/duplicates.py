"""Duplicated claims: one claim IRI described in two files, or in two disagreeing statements of
one file (a block copied as a template whose IRI was not changed). SHACL sees the merged
graph and can only say "no single subject"; this names both places. See
``docs/design/validation.md``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from imid_onto.errors import InputError, Problem
from imid_onto.io import records
from imid_onto.io.locate import _first_line, locate
from imid_onto.io.rdf import FORMATS, read_bytes, to_store
from imid_onto.model.claims import IDENTIFYING
from imid_onto.vocab import IMID, IMS, RDF, SH, curie

_TYPE, _CLAIM = str(RDF.type), str(IMID.Claim)
#: The identifying predicates (imid_onto.model.claims.IDENTIFYING) as pyoxigraph gives them, with their CURIEs.
_IDENTIFYING = {str(p): curie(p) for p in IDENTIFYING}


# --- what each file says about claims and causal edges -------------------------------------


@dataclass
class ClaimFacts:
    """What one file says of one claim: the values of each identifying predicate (by CURIE)."""

    values: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


@dataclass
class FileFacts:
    path: Path
    claims: dict[str, ClaimFacts] = field(default_factory=dict)  # claim IRI (or _:label) -> what this file says


def _key(term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _quads(path: Path) -> Iterable[Any]:
    """The statements of ``path`` (a claims file: its records expanded)."""
    if records.is_record_file(path):
        return to_store(records.expand(path, read_bytes(path)))
    return ox.parse(path=path, format=FORMATS[path.suffix.lower()], base_iri=path.resolve().as_uri())


def scan(path: Path) -> FileFacts | None:
    """What ``path`` says about claims; None when it does not parse (the reader reports
    that, with the line and column)."""
    facts = FileFacts(path)
    claims: dict[str, ClaimFacts] = defaultdict(ClaimFacts)
    try:
        for quad in _quads(path):
            p = quad.predicate.value
            if p == _TYPE:
                if quad.object.value == _CLAIM:
                    claims[_key(quad.subject)]
            elif p in _IDENTIFYING:
                claims[_key(quad.subject)].values[_IDENTIFYING[p]].add(_key(quad.object))
    except (SyntaxError, ValueError, OSError, MemoryError, InputError):  # MemoryError: a term too long for pyoxigraph
        return None  # the reader reports it, with the line and column
    facts.claims = dict(claims)
    return facts


# --- duplicated claims ---------------------------------------------------------------------


def duplicate_claims(scanned: list[FileFacts]) -> list[Problem]:
    """A claim IRI described in two files, or in two disagreeing blocks of one file."""
    problems: list[Problem] = []
    first_file: dict[str, FileFacts] = {}
    for facts in scanned:
        for key in sorted(facts.claims):
            if key.startswith("_:"):
                continue
            earlier = first_file.setdefault(key, facts)
            if earlier is facts:
                continue
            first_at = f"{earlier.path}:{_first_line(earlier.path, key) or '?'}"
            problems.append(
                Problem(
                    file=str(facts.path),
                    line=_first_line(facts.path, key),
                    focus=key,
                    message=f"claim {curie(key)} is already described in {first_at}: a claim IRI "
                    "names one claim, described in one file (give this one the next free IRI, or "
                    "merge them)",
                )
            )
    for facts in scanned:
        for key, claim in sorted(facts.claims.items()):
            differing = [(name, claim.values[name]) for name in _IDENTIFYING.values() if len(claim.values[name]) > 1]
            if not differing:
                continue
            lines = locate(facts.path, key)
            if len(lines) < 2:
                continue  # one description with two values: the shapes say so (e.g. "no single object")
            name, values = differing[0]
            shown = (
                "two quotes" if name == "imid:hasQuote" else f"{name} {' and '.join(sorted(curie(v) for v in values))}"
            )
            problems.append(
                Problem(
                    file=str(facts.path),
                    line=lines[1],
                    focus=key,
                    message=f"claim {curie(key)} is described a second time (first at line "
                    f"{lines[0]}), as a different claim ({shown}): a claim IRI names one claim "
                    "(give the second the next free IRI)",
                )
            )
    return problems


#: The shapes that allow one value where a claim described twice has two.
_SINGLE_VALUED = {
    str(IMS[name])
    for name in (
        "ClaimSubjectShape",
        "ClaimRelationShape",
        "ClaimObjectShape",
        "ClaimStatusShape",
        "ClaimQuoteShape",
        "ClaimEvidenceShape",
        "ClaimGeneratedAtShape",
        "ClaimNegationShape",
    )
}


def explain_duplicates(results, paths: list[Path]) -> list[Problem]:
    """Where the validation ``results`` of ``paths`` show a claim with two values where one
    is allowed: the claims described in two files or in two statements of one file
    (:func:`duplicate_claims`). Costs nothing when no claim has two values."""
    if not any(r.shape in _SINGLE_VALUED and r.component == str(SH.MaxCountConstraintComponent) for r in results):
        return []
    return duplicate_claims([facts for facts in map(scan, map(Path, paths)) if facts is not None])
