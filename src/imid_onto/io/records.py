"""Claim records: the form a curator writes a claim in, expanded to the claim model at load.

A claims file (``kb/claims/<document>.yaml``) quotes one source document: what is the same
for the whole file (document, default study, curators, activity, date) is said once at its
top, then each claim is one short record (``says:`` or ``asks:`` + ``about:``, ``status:``,
``evidence:``, ``quote:``...; the README's "How to add a claim"). :func:`expand` turns a
file into the reified claims of the model, with the quote's selectors derived from the
source text; :func:`canonical_text` is the file's canonical form (ruamel.yaml's round trip,
comments and order kept). A record that cannot be read is an InputError naming the file and
line; YAML anchors, aliases and tags are refused. The keys, what is derived, and why YAML:
``docs/design/claim-records.md``.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, cast

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from imid_onto import paths
from imid_onto.errors import InputError, ParseError
from imid_onto.vocab import CLAIM, CLAIM_LINKS, IMID, OA, PREFIXES, PROV, QUALIFIERS, RDF, RDFS, XSD
from imid_onto.vocab import QUESTION_KINDS as QUESTIONS

__all__ = [
    "SUFFIXES",
    "is_record_file",
    "normalise",
    "occurrences",
    "expand",
    "canonical_text",
    "is_canonical",
    "format_file",
    "next_claim_id",
    "new_record",
    "file_of_document",
    "append_record",
]

#: The extensions of claim record files.
SUFFIXES = (".yaml", ".yml")

#: The keys of the file's head, and of a record (after its first: ``ID: label``), in canonical order.
HEAD_KEYS = ("document", "study", "curators", "activity", "date", "claims")
RECORD_KEYS = (
    "says",
    "asks",
    "about",
    "negated",
    "qualifiers",
    "status",
    "evidence",
    "study",
    "context",
    "quote",
    "occurrence",
    "comment",
    "replacedBy",
    "contestedBy",
    "contradicts",
    "contrastsWith",
    "curators",
    "activity",
    "date",
)
#: ``context`` keys -> the ontology's context properties.
CONTEXTS = {
    "cellLine": IMID.contextCellLine,
    "cellType": IMID.contextCellType,
    "combination": IMID.contextCombination,
    "condition": IMID.contextCondition,
    "disease": IMID.contextDisease,
    "genotype": IMID.contextGenotype,
    "organism": IMID.contextOrganism,
    "subgroup": IMID.contextPatientSubgroup,
    "system": IMID.contextSystem,
}
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
_CURIE = re.compile(r"([A-Za-z][\w.-]*):([^\s<>\"{}|^`\\]*)\Z")
_PLACEHOLDER = re.compile(r"<[^<>]*>")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_YAML_DATE = re.compile(r"\d{4}-\d\d?-\d\d?(?:[Tt ]|\Z)")  # what YAML reads as a date
#: Collections nest no deeper than this in a claims file (a record in the list, a context in a record).
MAX_DEPTH = 5


def is_record_file(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


# --- the source text ------------------------------------------------------------------------

_TRANSLATE = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold white space to single spaces and typographic quotes to straight ones."""
    return _SPACE.sub(" ", text.translate(_TRANSLATE)).strip()


def _normalised_with_offsets(raw: str) -> tuple[str, list[int]]:
    """:func:`normalise` of ``raw``, and for each of its characters the offset in ``raw`` of
    the character it comes from (a run of white space: its first character)."""
    chars: list[str] = []
    offsets: list[int] = []
    for match in re.finditer(r"\s+|\S", raw):
        if match.group().isspace():
            if chars:
                chars.append(" ")
                offsets.append(match.start())
        else:
            chars.append(match.group().translate(_TRANSLATE))
            offsets.append(match.start())
    if chars and chars[-1] == " ":
        chars.pop()
        offsets.pop()
    return "".join(chars), offsets


def occurrences(text: str, needle: str, prefix: str | None = None, suffix: str | None = None) -> list[int]:
    """Where (normalised) ``needle`` starts in normalised ``text``, each occurrence that the
    prefix and suffix (either may be absent) select."""
    before = normalise(prefix) if prefix else ""
    after = normalise(suffix) if suffix else ""
    found = []
    for match in re.finditer(f"(?={re.escape(needle)})", text):
        start, end = match.start(), match.start() + len(needle)
        if before and not text[:start].rstrip().endswith(before):
            continue
        if after and not text[end:].lstrip().startswith(after):
            continue
        found.append(start)
    return found


@dataclass(frozen=True)
class _Source:
    raw: str
    text: str
    offsets: list[int]


@lru_cache(maxsize=16)
def _source(path: Path, digest: str) -> _Source:
    raw = path.read_bytes().decode("utf-8")
    return _Source(raw, *_normalised_with_offsets(raw))


def _source_text(document: URIRef) -> _Source | None:
    """The text of ``document`` (its ``imid:sourceTextFile`` in the knowledge base's documents,
    in the sources folder), or None where it is not there."""
    from imid_onto.io.rdf import read_bytes

    folder = paths.sources_dir()
    if folder is None:
        _say_no_sources()
        return None
    documents = tuple((path, _note(path, read_bytes(path))) for path in paths.document_files())
    names = _text_files(documents).get(document, [])
    if len(names) != 1:
        return None
    text_file = folder / names[0]
    if not text_file.is_file():
        _note(text_file, None)
        return None
    data = read_bytes(text_file)  # recorded: what is made from the claims is named by it too
    return _source(text_file, _note(text_file, data))


@lru_cache(maxsize=8)
def _text_files(documents: tuple[tuple[Path, str | None], ...]) -> dict[Node, list[str]]:
    """The ``imid:sourceTextFile`` names of each document of the documents files (each with
    the digest of its bytes: parsed again only when they change)."""
    from imid_onto.io.rdf import read_graphs

    names: dict[Node, list[str]] = {}
    for document, name in read_graphs(path for path, _ in documents).subject_objects(IMID.sourceTextFile):
        names.setdefault(document, []).append(str(name))
    return names


#: The files read while a claims file is expanded, each with the digest of its bytes (None:
#: not a file), noted by :func:`_note` for :func:`_kept` (None: not noting).
_READ: ContextVar[dict[Path, str | None] | None] = ContextVar("imid_onto_records_read", default=None)


def _note(path: Path, data: bytes | None) -> str | None:
    """The SHA-256 of ``data`` (None for None), noted as what ``path`` held."""
    digest = None if data is None else hashlib.sha256(data).hexdigest()
    read = _READ.get()
    if read is not None:
        read[path] = digest
    return digest


#: Claims files expanded in this process: by the file's name, the digest of its bytes and
#: where documents and source texts are looked up, the files read for it and its triples.
_EXPANDED: dict[tuple[str, ...], tuple[dict[Path, str | None], list[tuple[Node, Node, Node]]]] = {}


def _kept(expand: Callable[[Path, bytes], list[tuple[Node, Node, Node]]]):
    """``expand``, each claims file expanded once in a process while its bytes, the documents
    and its source text are the same (read again, and so recorded, at each call: a build
    reads the claims three times)."""

    @wraps(expand)
    def kept(path: Path, data: bytes) -> list[tuple[Node, Node, Node]]:
        from imid_onto.io.rdf import read_bytes

        key = (str(path), hashlib.sha256(data).hexdigest(), str(paths.sources_dir()), *map(str, paths.document_files()))
        if key in _EXPANDED:
            read, triples = _EXPANDED[key]
            if all((hashlib.sha256(read_bytes(f)).hexdigest() if f.is_file() else None) == d for f, d in read.items()):
                return list(triples)
        read = {}
        token = _READ.set(read)
        try:
            triples = expand(path, data)
        finally:
            _READ.reset(token)
        if len(_EXPANDED) >= 64:
            del _EXPANDED[next(iter(_EXPANDED))]
        _EXPANDED[key] = read, list(triples)
        return triples

    return kept


@lru_cache(maxsize=1)
def _say_no_sources() -> None:
    """Say once that the quotes are loaded without the positions and anchors made from the
    source texts (a release built so lacks them: a repeated quote's selector is ambiguous)."""
    warnings.warn(
        "the source texts are not here ($IMID_SOURCES or ../shared/sources): quotes are read without "
        "their positions and their prefix/suffix anchors",
        stacklevel=4,
    )


def _anchors(text: str, start: int, needle: str) -> tuple[str | None, str | None]:
    """The fewest whole words before (a prefix), else after (a suffix), else on both sides,
    that select the occurrence of ``needle`` at ``start`` alone; (None, None) where it
    occurs once."""
    if len(occurrences(text, needle)) == 1:
        return None, None
    before = text[:start].rstrip().split(" ") if text[:start].strip() else []
    after = text[start + len(needle) :].lstrip().split(" ") if text[start + len(needle) :].strip() else []
    for words in range(1, max(len(before), len(after)) + 1):
        prefix, suffix = " ".join(before[-words:]), " ".join(after[:words])
        for anchors in ((prefix, ""), ("", suffix), (prefix, suffix)):
            if any(anchors) and occurrences(text, needle, *anchors) == [start]:
                return anchors[0] or None, anchors[1] or None
    return None, None  # not reached: the whole text before and after selects one occurrence


# --- reading a file -------------------------------------------------------------------------


def _yaml(**settings: Any):
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 1_000_000  # a quote stays on one line
    yaml.indent(mapping=2, sequence=2, offset=0)
    for name, value in settings.items():
        setattr(yaml, name, value)
    return yaml


def _load(path: Path, data: bytes) -> Any:
    """The YAML document of ``path`` (ruamel.yaml's round-trip types, with line numbers);
    anchors, aliases, tags and deep nesting refused before anything is built."""
    from ruamel.yaml.composer import ComposerError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    yaml = _yaml()
    refuse = _Refusals(path)

    class Parser(yaml.Parser):  # type: ignore[name-defined]
        """The parser, each event checked as the composer takes it (one pass, not a pass to check and one to load)."""

        def get_event(self) -> Any:
            event = super().get_event()
            refuse(event)
            return event

    yaml.Parser = Parser
    try:
        try:
            return yaml.load(text)
        except ComposerError:  # a second document (the composer stops there): the first problem of the whole stream
            every = _Refusals(path)
            for event in _yaml().parse(io.StringIO(text)):
                every(event)
            raise
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise ParseError(path, line, column, " ".join(str(err.problem or err.context or err).split())) from None
    except YAMLError as err:
        raise ParseError(path, None, None, " ".join(str(err).split())) from None


class _Refusals:
    """What a claims file may not hold, checked on each YAML event in turn (ParseError with
    the line): anchors and aliases, tags, a date that is no date, nesting deeper than :data:`MAX_DEPTH`."""

    def __init__(self, path: Path) -> None:
        from ruamel.yaml import events

        self.path, self.depth, self.events = path, 0, events

    def __call__(self, event: Any) -> None:
        path, events = self.path, self.events
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, events.AliasEvent) or getattr(event, "anchor", None):
            raise ParseError(path, line, None, "YAML anchors and aliases (& and *) are not read: write values out")
        tag = getattr(event, "tag", None)
        if tag is not None and str(getattr(tag, "value", tag) or ""):
            raise ParseError(path, line, None, f"YAML tags (here {tag}) are not read: write plain values")
        value = getattr(event, "value", None)
        if isinstance(value, str) and not getattr(event, "style", None) and _YAML_DATE.match(value):
            try:
                date(*map(int, value[:10].split("-")))
            except ValueError:
                raise ParseError(path, line, None, f"{value} is not a date") from None
        if isinstance(event, events.CollectionStartEvent):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ParseError(path, line, None, f"nested deeper than {MAX_DEPTH} levels")
        elif isinstance(event, events.CollectionEndEvent):
            self.depth -= 1


class _Reader:
    """Reads one file's head and records, each error naming the file and line."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, line: int | None, message: str) -> InputError:
        return InputError(f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}")

    def iri(self, value: Any, line: int, key: str) -> URIRef:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(line, f"{key}: expected a name (prefix:name), not {value!r}")
        value = value.strip()
        if _PLACEHOLDER.search(value):
            raise self.fail(line, f"{key}: {value!r} is still a placeholder: fill it in")
        if re.match(r"https?://[^\s<>\"{}|^`\\]+\Z", value):
            return URIRef(value)
        match = _CURIE.match(value)
        if not match or match.group(1) not in PREFIXES:
            known = ", ".join(sorted(PREFIXES))
            raise self.fail(line, f"{key}: {value!r} is not prefix:name with a known prefix ({known}) nor an http IRI")
        return URIRef(str(PREFIXES[match.group(1)]) + match.group(2))

    def iris(self, value: Any, line: int, key: str) -> list[URIRef]:
        return [self.iri(v, line, key) for v in self.values(value, line, key)]

    def values(self, value: Any, line: int, key: str) -> list[Any]:
        """``value`` (one value, or a list of them) as a list; an empty list fails."""
        values = list(value) if isinstance(value, list) else [value]
        if not values:
            raise self.fail(line, f"{key}: empty list")
        return values

    def known_keys(self, mapping: Any, keys: list[Any], known: tuple[str, ...], what: str = "") -> None:
        """Fail at the first of ``keys`` (of ``mapping``) not ``known``; ``what`` begins the message."""
        for key in keys:
            if key not in known:
                raise self.fail(_line(mapping, key), f"{what}unknown key {key!r} (known: {', '.join(known)})")

    def text(self, value: Any, line: int, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(line, f"{key}: expected a text, not {value!r}")
        if _PLACEHOLDER.fullmatch(value.strip()):
            raise self.fail(line, f"{key}: {value!r} is still a placeholder: fill it in")
        return str(value)

    def date(self, value: Any, line: int) -> Literal:
        if isinstance(value, datetime | date):
            value = value.isoformat()[:10]
        if not isinstance(value, str) or not _DATE.match(value):
            raise self.fail(line, f"date: expected YYYY-MM-DD, not {value!r}")
        try:
            date.fromisoformat(value)
        except ValueError:
            raise self.fail(line, f"date: {value} is not a date") from None
        return Literal(f"{value}T00:00:00Z", datatype=XSD.dateTime, normalize=False)


def _line(mapping: Any, key: Any) -> int:
    """The line (from 1) of ``key`` in a ruamel.yaml mapping."""
    try:
        return mapping.lc.key(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return mapping.lc.line + 1 if hasattr(mapping, "lc") else 1


def _records(path: Path, tree: Any) -> Iterator[tuple[str, int, dict[str, Any], Any]]:
    """(id, line, fields with their lines, the record) for each record of the file."""
    reader = _Reader(path)
    items: Any = tree.get("claims")
    if not isinstance(items, list):
        raise reader.fail(_line(tree, "claims"), "claims: expected a list of records (- ID: label)")
    for index, record in enumerate(items):
        line = cast(Any, items).lc.item(index)[0] + 1
        if not isinstance(record, dict) or not record:
            raise reader.fail(line, "a record is a mapping that starts with ID: label")
        keys = list(record)
        yield str(keys[0]), line, record, keys


@_kept
def expand(path: Path, data: bytes) -> list[tuple[Node, Node, Node]]:
    """The claim model of the claims file ``path`` (its bytes ``data``): the triples of each
    claim as :mod:`imid_onto.model.claims` reads them. InputError (file:line) where a record
    cannot be read."""
    tree = _load(path, data)
    reader = _Reader(path)
    if not isinstance(tree, dict):
        raise reader.fail(1, "a claims file is a mapping: document, curators, activity, date, claims")
    reader.known_keys(tree, list(tree), HEAD_KEYS)
    for key in ("document", "curators", "activity", "date", "claims"):
        if key not in tree:
            raise reader.fail(1, f"missing {key}: (the file's head: {', '.join(HEAD_KEYS)})")
    document = reader.iri(tree["document"], _line(tree, "document"), "document")
    defaults = {
        "study": reader.iris(tree["study"], _line(tree, "study"), "study") if "study" in tree else None,
        "curators": reader.iri(tree["curators"], _line(tree, "curators"), "curators"),
        "activity": reader.iri(tree["activity"], _line(tree, "activity"), "activity"),
        "date": reader.date(tree["date"], _line(tree, "date")),
    }
    source = _source_text(document)
    bnodes = "r" + hashlib.sha256(str(path).encode()).hexdigest()[:8]
    triples: list[tuple[Node, Node, Node]] = []
    seen: dict[str, int] = {}
    for ident, line, record, keys in _records(path, tree):
        if not _ID.match(ident):
            raise reader.fail(line, f"{ident!r}: a claim's id is letters, digits, '.', '_' and '-' (e.g. IB-01)")
        if ident in seen:
            raise reader.fail(line, f"claim {ident} is already defined at line {seen[ident]}")
        seen[ident] = line
        reader.known_keys(record, keys[1:], RECORD_KEYS, f"claim {ident}: ")
        for key in ("status", "evidence", "quote"):
            if key not in record:
                raise reader.fail(line, f"claim {ident}: missing {key}:")
        if "asks" in record:
            if "says" in record:
                raise reader.fail(
                    _line(record, "says"),
                    f"claim {ident}: a question (asks:) states no triple: give asks: and about:, not says:",
                )
            if "about" not in record:
                raise reader.fail(line, f"claim {ident}: missing about: (what the question asks about)")
        elif "about" in record:
            raise reader.fail(_line(record, "about"), f"claim {ident}: about: goes with asks: (a question)")
        elif "says" not in record:
            raise reader.fail(line, f"claim {ident}: missing says: (or asks: and about: for a question)")
        triples += _claim(reader, ident, line, record, defaults, document, source, f"{bnodes}{ident}")
    return triples


def _claim(
    reader: _Reader,
    ident: str,
    line: int,
    record: Any,
    defaults: dict[str, Any],
    document: URIRef,
    source: _Source | None,
    bnode: str,
) -> list[tuple[Node, Node, Node]]:
    claim = CLAIM[ident]
    at = {key: _line(record, key) for key in record}
    triples: list[tuple[Node, Node, Node]] = [(claim, RDF.type, IMID.Claim)]
    if "says" in record:
        words = str(record["says"]).split() if isinstance(record["says"], str) else []
        if len(words) != 3:
            raise reader.fail(
                at["says"], f"claim {ident}: says: expected 'subject relation object', not {record['says']!r}"
            )
        subject, relation, object_ = (reader.iri(w, at["says"], "says") for w in words)
        triples += [(claim, RDF.subject, subject), (claim, RDF.predicate, relation), (claim, RDF.object, object_)]
    else:
        triples.append((claim, RDF.type, IMID.Question))
        triples.append((claim, IMID.asks, _named(reader, ident, record["asks"], at["asks"], "asks", QUESTIONS)))
        for value in reader.values(record["about"], at["about"], f"claim {ident}: about"):
            if isinstance(value, str) and _ID.match(value.strip()) and ":" not in value:
                triples.append((claim, IMID.isAbout, CLAIM[value.strip()]))
            else:
                triples.append((claim, IMID.isAbout, reader.iri(value, at["about"], "about")))
    triples.insert(1, (claim, RDFS.label, Literal(reader.text(record[ident], line, ident), lang="en")))
    triples += [
        (claim, IMID.hasStatus, reader.iri(record["status"], at["status"], "status")),
        (claim, IMID.evidenceType, reader.iri(record["evidence"], at["evidence"], "evidence")),
        (claim, IMID.reportedIn, document),
    ]
    if "qualifiers" in record:
        for value in reader.values(record["qualifiers"], at["qualifiers"], f"claim {ident}: qualifiers"):
            triples.append(
                (claim, IMID.hasQualifier, _named(reader, ident, value, at["qualifiers"], "qualifiers", QUALIFIERS))
            )
    if "negated" in record:
        if not isinstance(record["negated"], bool):
            raise reader.fail(at["negated"], f"claim {ident}: negated: expected true or false")
        if record["negated"]:
            triples.append((claim, IMID.isNegated, Literal(True)))
    studies = reader.iris(record["study"], at["study"], "study") if "study" in record else defaults["study"]
    if studies is None:
        raise reader.fail(line, f"claim {ident}: missing study: (and the file gives no default study)")
    triples += [(claim, PROV.wasDerivedFrom, study) for study in studies]
    if "context" in record:
        context = record["context"]
        if not isinstance(context, dict) or not context:
            raise reader.fail(at["context"], f"claim {ident}: context: expected {{disease: ent:..., ...}}")
        for key, value in context.items():
            if key not in CONTEXTS:
                raise reader.fail(
                    at["context"], f"claim {ident}: unknown context {key!r} (known: {', '.join(sorted(CONTEXTS))})"
                )
            triples += [(claim, CONTEXTS[key], v) for v in reader.iris(value, at["context"], f"context {key}")]
    if "comment" in record:
        triples.append(
            (claim, RDFS.comment, Literal(reader.text(record["comment"], at["comment"], "comment"), lang="en"))
        )
    for key, predicate in CLAIM_LINKS.items():
        if key not in record:
            continue
        for value in reader.values(record[key], at[key], f"claim {ident}: {key}"):
            if not isinstance(value, str) or not _ID.match(value):
                raise reader.fail(at[key], f"claim {ident}: {key}: expected claim ids (e.g. IB-01), not {value!r}")
            if value == ident:
                raise reader.fail(at[key], f"claim {ident}: {key}: a claim is not linked to itself")
            triples.append((claim, predicate, CLAIM[value]))
    for key, predicate in (("curators", PROV.wasAttributedTo), ("activity", PROV.wasGeneratedBy)):
        value = reader.iri(record[key], at[key], key) if key in record else defaults[key]
        triples.append((claim, predicate, value))
    stamp = reader.date(record["date"], at["date"]) if "date" in record else defaults["date"]
    triples.append((claim, PROV.generatedAtTime, stamp))
    exact = reader.text(record["quote"], at["quote"], "quote")
    occurrence = record.get("occurrence")
    if occurrence is not None and (not isinstance(occurrence, int) or isinstance(occurrence, bool) or occurrence < 1):
        raise reader.fail(at["occurrence"], f"claim {ident}: occurrence: expected 1, 2, ...")
    triples += _quote(reader, ident, at["quote"], claim, document, exact, occurrence, source, bnode)
    return triples


def _named(reader: _Reader, ident: str, value: Any, line: int, key: str, names: dict[str, URIRef]) -> URIRef:
    """The individual that the name ``value`` of ``key`` stands for (one of ``names``)."""
    if isinstance(value, str) and value.strip() in names:
        return names[value.strip()]
    raise reader.fail(line, f"claim {ident}: {key}: {value!r} is not one of {', '.join(names)}")


def _quote(
    reader: _Reader,
    ident: str,
    line: int,
    claim: URIRef,
    document: URIRef,
    exact: str,
    occurrence: int | None,
    source: _Source | None,
    bnode: str,
) -> list[tuple[Node, Node, Node]]:
    """The quote as an oa:SpecificResource; where the source text is there and holds the
    quote, with its position and (where the text repeats) a prefix and suffix."""
    quote, selector, position = BNode(f"{bnode}q"), BNode(f"{bnode}s"), BNode(f"{bnode}p")
    triples: list[tuple[Node, Node, Node]] = [
        (claim, IMID.hasQuote, quote),
        (quote, RDF.type, OA.SpecificResource),
        (quote, OA.hasSource, document),
        (quote, OA.hasSelector, selector),
        (selector, RDF.type, OA.TextQuoteSelector),
        (selector, OA.exact, Literal(exact)),
    ]
    if source is None:
        return triples  # no text to place it in (``check`` says so)
    needle = normalise(exact)
    found = occurrences(source.text, needle)
    if not found:
        return triples  # ``check`` reports it, with the closest passage
    if len(found) > 1 and occurrence is None:
        raise reader.fail(
            line,
            f"claim {ident}: the quote occurs {len(found)} times in the document: say which with "
            f"occurrence: 1 (to {len(found)})",
        )
    if occurrence is not None and occurrence > len(found):
        raise reader.fail(line, f"claim {ident}: occurrence: {occurrence}, but the quote occurs {len(found)} time(s)")
    start = found[(occurrence or 1) - 1]
    prefix, suffix = _anchors(source.text, start, needle)
    if prefix:
        triples.append((selector, OA.prefix, Literal(prefix)))
    if suffix:
        triples.append((selector, OA.suffix, Literal(suffix)))
    end = source.offsets[start + len(needle) - 1] + 1
    triples += [
        (quote, OA.hasSelector, position),
        (position, RDF.type, OA.TextPositionSelector),
        (position, OA.start, Literal(source.offsets[start], datatype=XSD.nonNegativeInteger)),
        (position, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)),
    ]
    return triples


# --- canonical form -------------------------------------------------------------------------


def _ordered(mapping: Any, order: tuple[str, ...], first: int = 0) -> None:
    """Put ``mapping``'s keys (after its first ``first``) in ``order``, unknown keys last,
    keeping each key's comments."""
    keys = list(mapping)
    rank = {key: index for index, key in enumerate(order)}
    wanted = keys[:first] + sorted(keys[first:], key=lambda k: (rank.get(k, len(order)), keys.index(k)))
    if wanted == keys:
        return
    comments = {key: mapping.ca.items.get(key) for key in keys}
    trailing = _split_trailing(comments, keys[-1])  # the lines after the mapping stay after it
    values = [(key, mapping[key]) for key in wanted]
    for key in keys:
        del mapping[key]
        mapping.ca.items.pop(key, None)
    for position, (key, value) in enumerate(values):
        mapping.insert(position, key, value)
        if comments[key] is not None:
            mapping.ca.items[key] = comments[key]
    if trailing is not None:
        last = wanted[-1]
        entry = mapping.ca.items.get(last)
        if entry is not None and entry[2] is not None:
            entry[2].value = entry[2].value + trailing.value.lstrip("\n")
        else:
            mapping.ca.items[last] = [None, None, trailing, None]


def _split_trailing(comments: dict[Any, Any], key: Any) -> Any:
    """Take off the whole-line comments that follow ``key``'s line (kept in its end-of-line
    comment by ruamel.yaml) and return them as a token of their own (None where there are none)."""
    entry: Any = comments.get(key)
    token = entry[2] if entry is not None and len(entry) > 2 else None
    if token is None:
        return None
    eol, _, rest = token.value.partition("\n")
    if not rest.strip():
        return None  # an end-of-line comment alone: it stays with its key
    if eol.strip():
        token.value = eol + "\n"
    else:  # no end-of-line comment: all of it is trailing
        comments[key] = None if not any(entry[:2] + entry[3:]) else [*entry[:2], None, *entry[3:]]
    return type(token)("\n" + rest, token.start_mark, None)


def _one_line(mapping: Any, key: Any) -> None:
    """Write ``mapping[key]``, where it is a list or a mapping, on one line (flow style); the
    comments that followed its items then follow it."""
    value: Any = mapping[key]
    if not hasattr(value, "fa"):  # not ruamel.yaml's CommentedSeq or CommentedMap
        return
    tokens = [t for item in sorted(value.ca.items, key=str) for t in _tokens(value.ca.items[item])]
    value.ca.items.clear()
    value.fa.set_flow_style()
    if tokens:
        text = "".join(t.value for t in tokens)
        mapping.ca.items[key] = [
            None,
            None,
            type(tokens[0])(text if text.startswith(("\n", " ")) else "  " + text, tokens[0].start_mark, None),
            None,
        ]


def _tokens(entry: Any) -> list[Any]:
    """The comment tokens in one entry of ruamel.yaml's comment table (nested lists)."""
    if entry is None:
        return []
    if isinstance(entry, list):
        return [t for part in entry for t in _tokens(part)]
    return [entry]


def canonical_text(path: Path) -> str:
    """The canonical form of the claims file ``path``: the head's keys and each record's in
    a fixed order, two-space indentation, each value on one line, ruamel.yaml's quoting; the
    records in their order, the comments where they were. InputError where it cannot be read."""
    from imid_onto.io.rdf import read_bytes

    tree = _load(path, read_bytes(path))
    if not isinstance(tree, dict):
        raise ParseError(path, 1, None, "a claims file is a mapping: document, curators, activity, date, claims")
    _ordered(tree, HEAD_KEYS)
    for record in tree.get("claims") or []:
        if isinstance(record, dict):
            context = record.get("context")
            if isinstance(context, dict):
                for key in list(context):
                    _one_line(context, key)
                _ordered(context, tuple(sorted(CONTEXTS)))
            for key in list(record):
                _one_line(record, key)
            _ordered(record, RECORD_KEYS, first=1)
    out = io.StringIO()
    _yaml().dump(tree, out)
    return out.getvalue()


def is_canonical(path: Path) -> bool:
    canonical = canonical_text(path)
    return path.read_text(encoding="utf-8") == canonical


def format_file(path: Path) -> bool:
    """Rewrite ``path`` in canonical form (atomically); True if it changed."""
    from imid_onto.io.rdf import write_atomic

    canonical = canonical_text(path)
    if path.read_text(encoding="utf-8") == canonical:
        return False
    write_atomic(path, canonical.encode("utf-8"))
    return True


# --- a new claim ----------------------------------------------------------------------------


def next_claim_id(path: Path) -> str:
    """The next free claim id of the claims file ``path``: its ids' common stem with the
    next number, as wide as the widest (IB-86 -> IB-87)."""
    from imid_onto.io.rdf import read_bytes

    tree = _load(path, read_bytes(path))
    ids = [ident for ident, *_ in _records(path, tree)] if isinstance(tree, dict) else []
    numbered = [m for m in (re.match(r"(.*?)(\d+)\Z", i) for i in ids) if m]
    if not numbered:
        return f"{path.stem.split('-')[0].upper()}-01"
    stem = numbered[-1].group(1)
    width = max(len(m.group(2)) for m in numbered if m.group(1) == stem)
    number = max(int(m.group(2)) for m in numbered if m.group(1) == stem) + 1
    return f"{stem}{number:0{width}d}"


def new_record(path: Path, today: date) -> str:
    """A record to fill in, with the next free id of ``path`` (and today's date where the
    file's is another)."""
    from imid_onto.io.rdf import read_bytes

    tree = _load(path, read_bytes(path))
    study = tree.get("study") if isinstance(tree, dict) else None
    lines = [
        f"- {next_claim_id(path)}: <what the sentence says, in a few words>",
        "  says: ent:<subject> imid:<relation> ent:<object>  # a question: asks: <kind> and about: [<ids>] instead",
        "  status: imid:<EstablishedFinding, Hypothesis, OpenQuestion, Interpretation, HistoricalProposal "
        "or Superseded>",
        "  evidence: obo:<ECO_... an evidence class of ontology/external.ttl>",
        f"  study: {study}  # the study that made the claim"
        if study
        else "  study: doc:<the study that made the claim>",
        "  context: {disease: ent:<disease>}  # or delete; also cellLine, cellType, combination, condition, genotype, "
        "organism, subgroup, system",
        "  quote: <the sentence, copied verbatim from the document, on one line>",
    ]
    head = tree.get("date") if isinstance(tree, dict) else None
    if str(head)[:10] != today.isoformat():
        lines.append(f"  date: {today.isoformat()}")
    return "\n".join(lines) + "\n"


def file_of_document(document: URIRef, files: list[Path]) -> Path | None:
    """The claims file among ``files`` whose ``document:`` is ``document``."""
    from imid_onto.io.rdf import read_bytes

    for path in files:
        tree = _load(path, read_bytes(path))
        head = tree.get("document") if isinstance(tree, dict) else None
        if head is not None and _Reader(path).iri(head, _line(tree, "document"), "document") == document:
            return path
    return None


def append_record(path: Path, record: str) -> int:
    """Append ``record`` (from :func:`new_record`) to the claims file ``path``; the line where it starts."""
    from imid_onto.io.rdf import write_atomic

    text = path.read_text(encoding="utf-8")
    if text and not text.endswith("\n"):
        text += "\n"
    write_atomic(path, (text + record).encode("utf-8"))
    return text.count("\n") + 1
