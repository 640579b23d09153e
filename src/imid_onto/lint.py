"""Checks of the input that the SHACL shapes cannot make: file by file, and over the
whole causal graph.

- :func:`precheck` (before validation): a path that is missing, a folder, of an unknown
  kind, empty (0 bytes, white space only, or no triple at all: an empty file is a valid
  empty graph, but validating it checks nothing, so it is refused rather than reported as
  conforming), text that is not UTF-8 (UTF-16, a byte-order mark, Latin-1), and RDF/XML
  that is not well-formed XML (pyoxigraph 0.5 reads an RDF/XML file cut off after a
  closing tag without a word, and gives the triples before the cut). InputError, exit 2.
- :func:`explain_duplicates` (after validation, only when a claim has two values where
  the shapes allow one): one claim IRI described in two files, or in two disagreeing
  statements of one file (a block copied as a template whose IRI was not changed).
  SHACL sees the merged graph and can only say "no single subject"; this names both
  places. LintFailed (a CheckFailed), exit 1.
- :func:`causal_cycle_results` (inside validation, for both engines): a cycle in the
  causal graph (``a -> b -> c -> a``) through the causal relations of the claims that the
  causal queries walk (not negated, not superseded) and of asserted plain edges, reported
  as results of ``ims:CausalCycleShape``. A SPARQL-based constraint cannot say it: a
  property path cannot skip negated or superseded claims, and ``$this causal+ $this``
  searches from every event (6x the whole validation at 10,000 claims, growing with the
  square of the events); here it is one query for the edges and Tarjan's algorithm.
  Self-loops are left to CausalSelfLoopShape and ClaimSelfLoopShape.

A file that does not parse is left to the reader (``rdfio``), which names the line and
column; only a wrong encoding gets a word here.
"""

from __future__ import annotations

import codecs
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from .errors import CheckFailed, InputError, ParseError
from .namespaces import CAUSAL_RELATIONS, IMID, IMS, RDF, SH, curie
from .rdfio import FORMATS, check_regular, format_of, refuse_fetching

__all__ = ["Problem", "LintFailed", "FileFacts", "check_readable", "precheck", "scan", "duplicate_claims",
           "explain_duplicates", "causal_cycle_results", "CYCLE_SHAPE", "locate", "statement_starts", "first_statements",
           "where"]

CAUSAL = frozenset(str(relation) for relation in CAUSAL_RELATIONS)
_TYPE, _CLAIM = str(RDF.type), str(IMID.Claim)
_SUBJECT, _PREDICATE, _OBJECT = str(RDF.subject), str(RDF.predicate), str(RDF.object)
_STATUS, _QUOTE = str(IMID.hasStatus), str(IMID.hasQuote)
_WANTED = {_TYPE, _SUBJECT, _PREDICATE, _OBJECT, _STATUS, _QUOTE}
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Problem:
    """One finding: the file and line it is about, and what is wrong."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}{f':{self.line}' if self.line else ''}: {self.message}"


class LintFailed(CheckFailed):
    """Duplicated claims or causal cycles: one line naming the first, and where the others are."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        text = str(problems[0])
        if len(problems) > 1:
            others = ", ".join(f"{p.file}:{p.line}" if p.line else p.file for p in problems[1:6])
            text += f" (and {len(problems) - 1} more: {others}{', ...' if len(problems) > 6 else ''})"
        super().__init__(text)


# --- can the file be validated at all ----------------------------------------------------


def check_readable(paths: list[Path]) -> None:
    """Raise InputError (a ParseError, with line and column, for a wrong encoding and for
    XML that is not well formed) for the first path that is not a readable, non-empty RDF
    file of a known kind."""
    for path in paths:
        if path.is_dir():
            raise InputError(f"{path}: is a folder, not an RDF file (give the files in it, e.g. {path}/*.ttl)")
        check_regular(path)  # missing, a named pipe, a device
        rdf_format = format_of(path)
        try:
            size = path.stat().st_size
            with path.open("rb") as handle:
                head = handle.read(4)
                blank = _only_white_space(handle, head)
        except OSError as err:
            raise InputError(f"{path}: cannot read: {err.strerror or err}") from None
        if size == 0:
            raise InputError(f"{path}: empty file (0 bytes): no RDF in it")
        if blank:
            raise InputError(f"{path}: only white space ({size} bytes): no RDF in it")
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head[:2]:
            raise ParseError(path, 1, 1, "UTF-16 text, not UTF-8: RDF files are UTF-8; "
                             "convert it (e.g. iconv -f UTF-16 -t UTF-8)")
        if head.startswith(codecs.BOM_UTF8) and rdf_format not in (ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML):
            raise ParseError(path, 1, 1, "the file starts with a UTF-8 byte-order mark (BOM), which "
                             f"{rdf_format.name} does not allow: save it as UTF-8 without BOM")
        _check_utf8(path)
        if rdf_format in (ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD):  # before any parser expands or fetches
            refuse_fetching(path, rdf_format, path.read_bytes())


def _only_white_space(handle, head: bytes) -> bool:
    chunk = head
    while chunk:
        if chunk.strip(b" \t\r\n"):
            return False
        chunk = handle.read(_CHUNK)
    return True


def _check_utf8(path: Path) -> None:
    """ParseError at the first byte that is not UTF-8 (a Latin-1 file, say), with its line
    and column: the parser would say "Invalid UTF-8" and leave the user to guess."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    offset = 0
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(_CHUNK)
            pending = len(decoder.getstate()[0])  # bytes of a character begun in the last chunk
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as err:
                at = offset - pending + err.start
                handle.seek(0)
                before, bad = handle.read(at), handle.read(1)
                line = before.count(b"\n") + 1
                column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
                raise ParseError(path, line, column, f"not UTF-8 (byte 0x{bad.hex().upper() or '??'}: Latin-1 or "
                                 "Windows-1252?): RDF files are UTF-8; convert it (e.g. iconv -f LATIN1 -t UTF-8)") from None
            if not chunk:
                return
            offset += len(chunk)


# --- what each file says about claims and causal edges -------------------------------------


@dataclass
class ClaimFacts:
    subjects: set[str] = field(default_factory=set)
    predicates: set[str] = field(default_factory=set)
    objects: set[str] = field(default_factory=set)
    statuses: set[str] = field(default_factory=set)
    quotes: set[str] = field(default_factory=set)


@dataclass
class FileFacts:
    path: Path
    claims: dict[str, ClaimFacts] = field(default_factory=dict)  # claim IRI (or _:label) -> what this file says


def _key(term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def scan(path: Path) -> FileFacts | None:
    """What ``path`` says about claims; None when it does not parse (the reader reports
    that, with the line and column)."""
    rdf_format = FORMATS[path.suffix.lower()]
    facts = FileFacts(path)
    claims: dict[str, ClaimFacts] = defaultdict(ClaimFacts)
    try:
        for quad in ox.parse(path=path, format=rdf_format, base_iri=path.resolve().as_uri()):
            p = quad.predicate.value
            if p not in _WANTED:
                continue
            s, o = _key(quad.subject), quad.object
            if p == _TYPE:
                if o.value == _CLAIM:
                    claims[s]
            elif p == _SUBJECT:
                claims[s].subjects.add(_key(o))
            elif p == _PREDICATE:
                claims[s].predicates.add(o.value)
            elif p == _OBJECT:
                claims[s].objects.add(_key(o))
            elif p == _STATUS:
                claims[s].statuses.add(o.value)
            elif p == _QUOTE:
                claims[s].quotes.add(_key(o))
    except (SyntaxError, ValueError, OSError, MemoryError):  # MemoryError: a term too long for pyoxigraph
        return None  # the reader reports it, with the line and column
    facts.claims = dict(claims)
    return facts


# --- where in the file ---------------------------------------------------------------------

_PREFIX = re.compile(r"\s*(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)
_TRAILING_COMMENT = re.compile(r"\s#[^\"<>]*$")


@lru_cache(maxsize=32)
def _statement_index(path: Path, stamp: tuple[int, int]) -> tuple[dict[str, str], dict[str, list[int]]]:
    """A file's prefixes, and the lines where its statements begin, by their first token
    (read once per version of the file: ``stamp`` is its mtime and size)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}, {}
    prefixes = {m.group(1): m.group(2) for line in lines for m in [_PREFIX.match(line)] if m}
    starts: dict[str, list[int]] = defaultdict(list)
    at_start = True
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if at_start:
            first = text.split(None, 1)[0]
            for token in {first, first.rstrip(";.,")}:
                starts[token].append(number)
        text = _TRAILING_COMMENT.sub("", text)
        at_start = text.endswith((".", "{", "}")) or bool(_PREFIX.match(text))
    return prefixes, starts


def statement_starts(path: Path, iri: str) -> list[int]:
    """Lines of a Turtle, TriG or N-Triples file where a statement about ``iri`` begins (its
    first token is ``iri``, in full or as a prefixed name, after a line that ends a statement)."""
    try:
        stat = path.stat()
    except OSError:
        return []
    return _starts(*_statement_index(path, (stat.st_mtime_ns, stat.st_size)), iri)


def _starts(prefixes: dict[str, str], starts: dict[str, list[int]], iri: str) -> list[int]:
    tokens = {f"<{iri}>"} | {f"{p}:{iri[len(ns):]}" for p, ns in prefixes.items() if ns and iri.startswith(ns)}
    return sorted({number for token in tokens for number in starts.get(token, ())})


def first_statements(paths: list[Path]) -> Callable[[str], tuple[str, int | None]]:
    """A function giving, for an IRI, the first of ``paths`` with a statement about it and
    the line where that statement starts (("", None) where none has): :func:`statement_starts`
    for many IRIs, each file looked at once."""
    indexes = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        indexes.append((str(path), *_statement_index(path, (stat.st_mtime_ns, stat.st_size))))

    def first(iri: str) -> tuple[str, int | None]:
        for name, prefixes, starts in indexes:
            lines = _starts(prefixes, starts, iri)
            if lines:
                return name, lines[0]
        return "", None

    return first


def locate(path: Path, iri: str) -> list[int]:
    """Lines of ``path`` that describe ``iri``: where its statements begin in Turtle and
    TriG, else the first line that names it in full (or as ``prefix:name`` in JSON-LD)."""
    if iri.startswith("_:"):
        return []
    if path.suffix.lower() in (".ttl", ".trig"):
        return statement_starts(path, iri)
    needles = [iri]
    short = curie(iri)
    if short != iri:
        needles.append(f'"{short}"')
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                if any(n in line for n in needles):
                    return [number]
    except OSError:
        pass
    return []


def where(iri: str, paths: list[Path]) -> str:
    """``"file:line: "`` of the first of ``paths`` that describes ``iri`` ("" if none does)."""
    for path in paths:
        lines = locate(Path(path), str(iri))
        if lines:
            return f"{path}:{lines[0]}: "
    return ""


def _first_line(path: Path, iri: str) -> int | None:
    lines = locate(path, iri)
    return lines[0] if lines else None


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
            problems.append(Problem(str(facts.path), _first_line(facts.path, key),
                                    f"claim {curie(key)} is already described in {first_at}: a claim IRI names one "
                                    "claim, described in one file (give this one the next free IRI, or merge them)"))
    for facts in scanned:
        for key, claim in sorted(facts.claims.items()):
            differing = [(name, values) for name, values in (
                ("rdf:subject", claim.subjects), ("rdf:predicate", claim.predicates), ("rdf:object", claim.objects),
                ("imid:hasStatus", claim.statuses), ("imid:hasQuote", claim.quotes)) if len(values) > 1]
            if not differing:
                continue
            lines = locate(facts.path, key)
            if len(lines) < 2:
                continue  # one description with two values: the shapes say so (e.g. "no single object")
            name, values = differing[0]
            shown = "two quotes" if name == "imid:hasQuote" else \
                f"{name} {' and '.join(sorted(curie(v) for v in values))}"
            problems.append(Problem(str(facts.path), lines[1],
                                    f"claim {curie(key)} is described a second time (first at line {lines[0]}), "
                                    f"as a different claim ({shown}): a claim IRI names one claim "
                                    "(give the second the next free IRI)"))
    return problems




#: The shapes that allow one value where a claim described twice has two.
_SINGLE_VALUED = {str(IMS[name]) for name in (
    "ClaimSubjectShape", "ClaimRelationShape", "ClaimObjectShape", "ClaimStatusShape", "ClaimQuoteShape",
    "ClaimEvidenceShape", "ClaimGeneratedAtShape", "ClaimNegationShape")}


def explain_duplicates(report, paths: list[Path] | None = None) -> None:
    """Raise LintFailed when ``report`` (of ``paths``; default the shipped files) shows a
    claim with two values where one is allowed, and that claim is described in two files
    or in two statements of one file. Costs nothing when no claim has two values."""
    if not any(r.shape in _SINGLE_VALUED and r.component == str(SH.MaxCountConstraintComponent)
               for r in report.results):
        return
    if paths is None:
        from .kb import data_files

        paths = data_files()
    scanned = [facts for facts in map(scan, map(Path, paths)) if facts is not None]
    problems = duplicate_claims(scanned)
    if problems:
        raise LintFailed(problems)


# --- before validation ---------------------------------------------------------------------


def _has_triples(path: Path) -> bool | None:
    """Whether ``path`` holds at least one triple (parsing stops at the first); None when
    it does not parse before that."""
    try:
        return next(iter(ox.parse(path=path, format=FORMATS[path.suffix.lower()],
                                  base_iri=path.resolve().as_uri())), None) is not None
    except (SyntaxError, ValueError, OSError, MemoryError):  # MemoryError: a term too long for pyoxigraph
        return None


def precheck(paths: list[Path] | None = None) -> None:
    """Raise InputError (exit 2) for the first of ``paths`` (default: the shipped files)
    that cannot be validated: missing, a folder, an unknown kind, empty or without a single
    triple, not UTF-8, XML that is not well formed. Reads each file's first triple only."""
    if paths is None:
        from .kb import data_files

        paths = data_files()
    paths = [Path(p) for p in paths]
    check_readable(paths)
    for path in paths:
        if _has_triples(path) is False:
            raise InputError(f"{path}: no triples in it (only prefixes or comments): nothing to validate")


# --- causal cycles, inside validation ------------------------------------------------------

CYCLE_SHAPE = IMS.CausalCycleShape
CYCLE_COMPONENT = IMS.CausalCycleComponent
_CAUSAL_VALUES = " ".join(f"<{iri}>" for iri in sorted(CAUSAL))
_CLAIM_STEPS = f"""SELECT ?s ?o ?claim WHERE {{
    VALUES ?p {{ {_CAUSAL_VALUES} }}
    ?claim <{RDF.predicate}> ?p ; <{RDF.subject}> ?s ; <{RDF.object}> ?o .
    FILTER NOT EXISTS {{ ?claim <{IMID.isNegated}> true }}
    FILTER NOT EXISTS {{ ?claim <{IMID.hasStatus}> <{IMID.Superseded}> }}
    FILTER (!sameTerm(?s, ?o) && !isLiteral(?s) && !isLiteral(?o))
}}"""
_PLAIN_STEPS = f"""SELECT DISTINCT ?s ?o WHERE {{
    VALUES ?p {{ {_CAUSAL_VALUES} }}
    ?s ?p ?o .
    FILTER (!sameTerm(?s, ?o) && !isLiteral(?o))
}}"""


def causal_cycle_results(data, text):
    """The results of ``ims:CausalCycleShape`` over ``data`` (a pyoxigraph Store or an
    rdflib Graph, the two engines' data), in the engines' raw form: one per loop of the
    causal graph, on the claim of its first step (or on its first event, where that step
    is a plain edge without a claim), naming every event and claim of a shortest cycle.
    ``text(term) -> (name, kind)`` is the engine's own naming of a term (blank nodes by
    where they hang), so both engines give the same results."""
    claim_rows = [(row[0], row[1], row[2]) for row in data.query(_CLAIM_STEPS)]
    plain_rows = [(row[0], row[1], None) for row in data.query(_PLAIN_STEPS)]
    terms: dict[str, object] = {}
    named: dict = {}

    def name(term) -> str:
        if isinstance(term, ox.NamedNode):
            key = term.value
        elif isinstance(term, URIRef):
            key = str(term)
        else:  # a blank node: the engine names it by where it hangs
            if term not in named:
                named[term] = text(term)[0]
            key = named[term]
        terms.setdefault(key, term)
        return key

    steps: dict[tuple[str, str], set[str]] = defaultdict(set)  # (from, to) -> claims ("" for a plain edge)
    for s, o, claim in claim_rows + plain_rows:
        steps[(name(s), name(o))].add(name(claim) if claim is not None else "")
    graph: dict[str, list[str]] = defaultdict(list)
    for a, b in steps:
        graph[a].append(b)
    for children in graph.values():
        children.sort()
    results = []
    for component in _strongly_connected(graph):
        if len(component) < 2:
            continue
        cycle = _shortest_cycle(graph, min(component), component)
        witnesses = [min(steps[(a, b)], key=lambda c: (c == "", c)) for a, b in zip(cycle, cycle[1:])]
        shown = [curie(c) if c else "a plain edge" for c in witnesses]
        extra = f"; {len(component)} events are in this loop" if len(component) > len(cycle) - 1 else ""
        through = ", ".join(shown[:-1]) + f" and {shown[-1]}"
        message = (f"{' -> '.join(curie(n) for n in cycle)} is a loop, through {through}{extra}: an event cannot "
                   "be causally upstream of itself; one of these steps is reversed or wrong (a feedback loop "
                   "needs an event for each turn)")
        focus = terms[witnesses[0] or cycle[0]]
        results.append((text(focus), CYCLE_SHAPE, CYCLE_COMPONENT, SH.Violation, None, ("", ""), (message,)))
    return results


def _strongly_connected(graph: dict[str, list[str]]) -> list[set[str]]:
    """Tarjan's algorithm, without recursion."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[set[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(graph.get(root, ())))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, ()))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    found.append(component)
    return found


def _shortest_cycle(graph: dict[str, list[str]], start: str, within: set[str]) -> list[str]:
    """The shortest path from ``start`` back to itself inside ``within`` (breadth first):
    ``[start, ..., start]``."""
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in graph.get(node, ()):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), start]
                if child in within and child not in came_from:
                    came_from[child] = node
                    following.append(child)
        frontier = following
    raise AssertionError("no cycle in a strongly connected part")
