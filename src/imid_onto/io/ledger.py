"""Coverage ledgers: every sentence of a source document, in order, with the claims that
quote it or why it bears none (``kb/ledger/<claims-file-stem>.yaml``).

:func:`read_ledger` reads one file as :mod:`imid_onto.io.records` reads a claims file
(ruamel.yaml, anchors, aliases and tags refused); a file that cannot be read, an unknown key
or an unknown reason is an InputError naming the file and line. What the ledger is checked
against is :mod:`imid_onto.validation.ledger`; the form, and why a ledger:
``docs/design/coverage-ledger.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from rdflib import URIRef

from imid_onto.io.records import _ID, _line, _load, _Reader

__all__ = ["REASONS", "WHY_REQUIRED", "Sentence", "Ledger", "read_ledger"]

#: The head's keys and a sentence's keys.
HEAD_KEYS = ("document", "sentences")
SENTENCE_KEYS = ("text", "claims", "none", "why")
#: Why a sentence may bear no claim.
REASONS = ("bibliographic", "heading", "repeated", "no-assertion")
#: The reasons that must say why (what is repeated; why nothing is asserted).
WHY_REQUIRED = ("repeated", "no-assertion")


@dataclass(frozen=True)
class Sentence:
    """One sentence of the source text as the ledger gives it (``text``, verbatim), at
    ``line`` of its file, with the ids of the claims that quote it, or the reason it bears
    none (``none``, one of :data:`REASONS`) and ``why``."""

    line: int
    text: str
    claims: tuple[str, ...] = ()
    none: str | None = None
    why: str | None = None


@dataclass(frozen=True)
class Ledger:
    """A coverage ledger: the file, the document it covers (and the line saying so), its sentences."""

    path: Path
    document: URIRef
    line: int
    sentences: tuple[Sentence, ...]


def read_ledger(path: Path) -> Ledger:
    """The ledger of ``path``; InputError (``file:line: ...``) where it cannot be read."""
    from imid_onto.io.rdf import read_bytes

    tree = _load(path, read_bytes(path))
    reader = _Reader(path)
    if not isinstance(tree, dict):
        raise reader.fail(1, "a ledger is a mapping: document, sentences")
    reader.known_keys(tree, list(tree), HEAD_KEYS)
    for key in HEAD_KEYS:
        if key not in tree:
            raise reader.fail(1, f"missing {key}: (a ledger is document:, then sentences:)")
    line = _line(tree, "document")
    document = reader.iri(tree["document"], line, "document")
    items: Any = tree["sentences"]
    if not isinstance(items, list) or not items:
        raise reader.fail(_line(tree, "sentences"), "sentences: expected a list of sentences (- text: ...)")
    sentences = [_sentence(reader, item, cast(Any, items).lc.item(index)[0] + 1) for index, item in enumerate(items)]
    return Ledger(path, document, line, tuple(sentences))


def _sentence(reader: _Reader, item: Any, line: int) -> Sentence:
    if not isinstance(item, dict) or "text" not in item:
        raise reader.fail(line, "a sentence is a mapping that starts with text: (then claims:, or none: and why:)")
    reader.known_keys(item, list(item), SENTENCE_KEYS)
    text = item["text"]
    if not isinstance(text, str) or not text.strip():
        raise reader.fail(_line(item, "text"), f"text: expected the sentence, verbatim, not {text!r}")
    if ("claims" in item) == ("none" in item):
        raise reader.fail(line, "a sentence names its claims (claims: [ID, ...]) or says why it has none (none:)")
    why = item.get("why")
    if why is not None and (not isinstance(why, str) or not why.strip()):
        raise reader.fail(_line(item, "why"), f"why: expected a text, not {why!r}")
    if "claims" in item:
        if why is not None:
            raise reader.fail(_line(item, "why"), "why: is said of a sentence without claims (none:)")
        return Sentence(line, text, claims=_claim_ids(reader, item["claims"], _line(item, "claims")))
    reason = item["none"]
    if reason not in REASONS:
        raise reader.fail(_line(item, "none"), f"none: unknown reason {reason!r} (known: {', '.join(REASONS)})")
    if reason in WHY_REQUIRED and why is None:
        what = "what it repeats" if reason == "repeated" else "why the sentence asserts nothing"
        raise reader.fail(_line(item, "none"), f"none: {reason} needs why: ({what})")
    return Sentence(line, text, none=str(reason), why=None if why is None else str(why))


def _claim_ids(reader: _Reader, value: Any, line: int) -> tuple[str, ...]:
    values = list(value) if isinstance(value, list) else [value]
    if not values:
        raise reader.fail(line, "claims: empty list (say why the sentence has none with none:)")
    for ident in values:
        if not isinstance(ident, str) or not _ID.match(ident):
            raise reader.fail(line, f"claims: expected claim ids (e.g. LUPM-01), not {ident!r}")
    if len(set(values)) < len(values):
        raise reader.fail(line, "claims: a claim is named twice")
    return tuple(values)
