"""Reading RDF strictly and offline, writing it atomically.

Every file imid-onto reads goes through pyoxigraph's parser (W3C-conformant, errors with
line and column) and is handed over as an rdflib Graph (:func:`read_graph`,
:func:`load_store`); reading never reaches the network nor any file but the one named
(:func:`refuse_fetching`, :class:`ImportNotFollowed`), never blocks on a file that is not
regular (:func:`check_regular`) and never runs without bound (:data:`MAX_NESTING`,
:data:`MAX_TERM`, canonical blank-node labels in bounded time). Writing is canonical and
atomic (:func:`ntriples_bytes`, :func:`write_atomic`). What is refused and why:
``docs/design/reading-rdf.md``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import stat
import tempfile
import warnings
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import IO, Any, BinaryIO, TypeVar, cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from imid_onto.errors import InputError, ParseError
from imid_onto.io import records
from imid_onto.vocab import ONTOLOGY_IRI, PREFIXES

__all__ = [
    "FORMATS",
    "to_rdflib",
    "to_oxigraph",
    "to_store",
    "read_graph",
    "read_graphs",
    "read_quads",
    "load_store",
    "new_graph",
    "rdfxml_bytes",
    "canonical_graph",
    "ntriples_bytes",
    "jsonld_bytes",
    "jsonld_context",
    "trig_bytes",
    "write_atomic",
    "external_contexts",
    "refuse_fetching",
    "format_of",
    "check_regular",
    "read_bytes",
    "check_xml",
    "ImportNotFollowed",
    "recording_reads",
    "solutions",
]

#: File extension -> pyoxigraph format.
FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}


_QUAD_FORMATS = {ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS, ox.RdfFormat.JSON_LD}

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

_OWL_IMPORTS = ox.NamedNode("http://www.w3.org/2002/07/owl#imports")


class ImportNotFollowed(UserWarning):
    """A file says ``owl:imports <IRI>``: imid-onto keeps the triple but loads nothing."""


#: The imports that need no warning: imid-onto's own ontology (by its IRI or a version IRI),
#: which it reads from its own files beside every knowledge base, as the release's
#: imid-kb.ttl imports it (imid_onto.publish.kb_ontology).
_OWN_ONTOLOGY = re.compile(re.escape(ONTOLOGY_IRI) + r"|https://w3id\.org/imid-onto/releases/[^/]+/ontology")


def new_graph(kind: type[Graph] = Graph) -> Graph:
    """An empty rdflib Graph (or ``kind``, a subclass of it) with imid-onto's prefixes bound."""
    graph = kind(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def to_rdflib(
    term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, bnode_prefix: str = ""
) -> URIRef | BNode | Literal:
    """A pyoxigraph term as an rdflib term (blank-node labels prefixed with ``bnode_prefix``).
    An RDF 1.2 triple term, which pyoxigraph reads and rdflib has not, is an InputError."""
    if isinstance(term, ox.Triple):
        raise InputError(f"<<( {term} )>>: an RDF 1.2 triple term, which imid-onto does not read (RDF 1.1)")
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(f"{bnode_prefix}{term.value}")
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        return Literal(term.value)  # RDF 1.1: a simple literal is an xsd:string
    return Literal(
        term.value, datatype=URIRef(term.datatype.value), normalize=False
    )  # keep the lexical form as written


def format_of(path: Path) -> ox.RdfFormat:
    """The RDF format of ``path``, from its extension (InputError for an unknown one)."""
    rdf_format = FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"{path}: unknown RDF file extension {path.suffix!r} (known: {known})")
    return rdf_format


#: What a path that is not a regular file is, for the message that refuses it.
_KINDS = [
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
]


def check_regular(path: Path | str) -> None:
    """InputError unless ``path`` is a regular file (or a link to one): every reader of a
    user's file calls this first, since a named pipe blocks the reader for ever, a device
    (/dev/zero) never ends, and neither shows in the file's name."""
    try:
        mode = os.stat(path).st_mode  # follows links; does not open the file
    except FileNotFoundError:
        raise InputError(f"{path}: cannot read: no such file") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from None
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a file")
        raise InputError(f"{path}: not a regular file ({kind}): imid-onto reads files only")


def read_bytes(path: Path) -> bytes:
    """``path``'s bytes (InputError, one line, where it cannot be read or is not a regular
    file)."""
    check_regular(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from None
    if _READS.get() is not None:
        _record(path, hashlib.sha256(data).hexdigest())
    return data


#: Where :func:`recording_reads` puts what is read, while it runs.
_READS: ContextVar[dict[str, str | None] | None] = ContextVar("imid_onto_reads", default=None)


@contextmanager
def recording_reads() -> Iterator[dict[str, str | None]]:
    """Within the block, the SHA-256 of the very bytes parsed from each file, by resolved
    path (None for a file read twice with different bytes): what is made from them is
    named by them (imid_onto.io.cache), whatever happens to the files meanwhile."""
    reads: dict[str, str | None] = {}
    token = _READS.set(reads)
    try:
        yield reads
    finally:
        _READS.reset(token)


def _record(path: Path, digest: str) -> None:
    reads = _READS.get()
    if reads is not None:
        key = str(path.resolve())
        reads[key] = digest if reads.get(key, digest) == digest else None


class _Hashing:
    """A binary file, hashed as the parser reads it."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


@contextmanager
def _hashed(path: Path) -> Iterator[_Hashing]:
    with open(path, "rb") as handle:
        reader = _Hashing(handle)
        yield reader
    _record(path, reader.digest.hexdigest())  # read to its end: the parser succeeded


@contextmanager
def _parse_errors(path: Path) -> Iterator[None]:
    """Turn pyoxigraph's syntax errors into a ParseError naming the file, line and column,
    and a term too long for it (:data:`MAX_TERM`) into an InputError naming where it starts."""
    try:
        yield
    except SyntaxError as err:
        raise ParseError(path, err.lineno, err.offset, str(err.msg or err)) from None
    except (ValueError, OSError) as err:
        raise ParseError(path, None, None, str(err)) from None
    except MemoryError as err:
        if "buffer maximal size" not in str(err):
            raise
        raise _too_long(path) from None


#: pyoxigraph's Turtle, TriG, N-Triples, N-Quads and JSON-LD parsers read no token (a
#: literal, an IRI, a name, a comment) longer than this ("Reached the buffer maximal size");
#: its RDF/XML parser does.
MAX_TERM = 16 * 1024 * 1024
#: The tokens of Turtle and its kin (strings, IRIs, comments, names), and the strings of JSON.
_TOKENS = re.compile(
    rb'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""|\'\'\'[^\'\\]*(?:(?:\\.|\'(?!\'\'))[^\'\\]*)*\'\'\''
    rb'|"[^"\\\n\r]*(?:\\.[^"\\\n\r]*)*"|\'[^\'\\\n\r]*(?:\\.[^\'\\\n\r]*)*\'|<[^>\s]*>|#[^\n\r]*'
    rb'|[^\s"\'<#]+'
)
_JSON_STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')


def _line_and_column(data: bytes, at: int) -> tuple[int, int]:
    """The line and column (in characters, from 1) of byte ``at`` of ``data``."""
    start = data.rfind(b"\n", 0, at) + 1
    return data.count(b"\n", 0, at) + 1, len(data[start:at].decode("utf-8", "replace")) + 1


def _too_long(path: Path) -> InputError:
    """The error for a token longer than MAX_TERM in ``path``, at the line and column where
    it starts (where it can be found)."""
    data = read_bytes(path)
    tokens = _JSON_STRINGS if format_of(path) == ox.RdfFormat.JSON_LD else _TOKENS
    where = str(path)
    for token in tokens.finditer(data):
        if token.end() - token.start() > MAX_TERM:
            line, column = _line_and_column(data, token.start())
            where += f":{line}:{column}"
            break
    return InputError(
        f"{where}: a literal, IRI, name or comment longer than 16 MiB ({MAX_TERM:,} bytes): pyoxigraph's "
        "parser reads none that long in this format (it does in RDF/XML); keep long texts outside the data"
    )


class _JsonObject(list[tuple[str, Any]]):
    """A JSON object as its (key, value) pairs, a repeated key kept: a JSON-LD processor
    may read either of two values given to one key."""


#: Nesting deeper than this (XML elements; JSON objects and arrays) is refused: pyoxigraph's
#: RDF/XML and JSON-LD parsers take time growing with the square of the depth (RDF/XML nested
#: 128,000 deep, 1.6 MB: 76 s; each element costs more the deeper it is) and JSON-LD nested
#: 4,000 deep overflows its stack. At this depth both parse in milliseconds.
MAX_NESTING = 500


def external_contexts(document: bytes) -> list[str]:
    """The contexts a JSON-LD ``document`` would load from elsewhere: every ``@context``
    given as a string (an IRI, absolute or relative), alone or in an array, and every
    ``@import``, wherever they are (contexts nest in nodes and in term definitions).
    Conservative: a JSON literal that holds such a key counts too; the content of
    ``@value`` does not. A document that is not JSON gives none (the parser reports it)."""
    return _json_facts(document)[0]


def _json_facts(document: bytes) -> tuple[list[str], int]:
    """(:func:`external_contexts`, how deep the document's objects and arrays nest: more
    than MAX_NESTING where Python's reader recursed too deep)."""
    try:
        tree = json.loads(document.decode("utf-8-sig"), object_pairs_hook=_JsonObject)
    except RecursionError:
        return [], MAX_NESTING + 1
    except ValueError:  # UnicodeDecodeError is a ValueError
        return [], 0
    found: list[str] = []
    deepest = 0
    todo = deque([(tree, 1, False)])
    while todo:  # a loop, not recursion; outer contexts first
        value, level, literal = todo.popleft()
        deepest = max(deepest, level)
        if isinstance(value, _JsonObject):
            for key, item in value:
                if key == "@context" and not literal:
                    found += [c for c in (item if isinstance(item, list) else [item]) if isinstance(c, str)]
                elif key == "@import" and isinstance(item, str) and not literal:
                    found.append(item)
                if isinstance(item, list):
                    todo.append((item, level + 1, literal or key == "@value"))
        elif isinstance(value, list):
            todo.extend((item, level + 1, literal) for item in value if isinstance(item, list))
    return found, deepest


_JSON_TOKEN = re.compile(_JSON_STRINGS.pattern + rb"|[\[\]{}]")


def _too_deep(where: str, what: str) -> InputError:
    return InputError(
        f"{where}: {what} nested deeper than {MAX_NESTING} levels: refused (the parser's time grows "
        "with the square of the depth)"
    )


def _json_too_deep(path: Path, data: bytes) -> InputError:
    """The error for a JSON document nested deeper than MAX_NESTING, at the bracket that
    goes deeper."""
    depth = 0
    for token in _JSON_TOKEN.finditer(data):
        if token.group() in (b"{", b"["):
            depth += 1
            if depth > MAX_NESTING:
                line, column = _line_and_column(data, token.start())
                return _too_deep(f"{path}:{line}:{column}", "JSON objects and arrays")
        elif token.group() in (b"}", b"]"):
            depth -= 1
    return _too_deep(str(path), "JSON objects and arrays")  # Python's reader recursed too deep, the scan did not


def refuse_fetching(path: Path, rdf_format: ox.RdfFormat, data: bytes) -> None:
    """Refuse, before any parser sees it, a file that would make a reader fetch something
    or expand without bound, or nests deeper than MAX_NESTING (see the module's docstring),
    or RDF/XML that is not well-formed XML."""
    if rdf_format == ox.RdfFormat.JSON_LD:
        contexts, depth = _json_facts(data)
        if depth > MAX_NESTING:
            raise _json_too_deep(path, data)
        if contexts:
            raise InputError(
                f"{path}: external JSON-LD context refused ({contexts[0]}): imid-onto reads nothing "
                'over the network; put the context inline ("@context": {...})'
            )
    elif rdf_format == ox.RdfFormat.RDF_XML:
        at = data.find(b"<!ENTITY")
        if at >= 0:
            line = data.count(b"\n", 0, at) + 1
            raise InputError(
                f"{path}:{line}: XML entity declarations refused (<!ENTITY>): they can read other "
                "files or expand without bound; write the IRIs out in full, or convert the file to Turtle"
            )
        check_xml(path, data)


class _TooDeep(Exception):
    pass


def check_xml(path: Path, data: bytes) -> None:
    """ParseError where RDF/XML is not well-formed XML: pyoxigraph 0.5 reads a truncated
    RDF/XML file without a word and keeps the triples before the cut. InputError where its
    elements nest deeper than MAX_NESTING."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)  # no external DTD is read
    depth = 0

    def start(*_) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_NESTING:  # where the element starts (after the handler, the parser has moved on)
            raise _TooDeep(f"{path}:{parser.CurrentLineNumber}:{parser.CurrentColumnNumber + 1}")

    def end(_) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parser.Parse(data, True)
    except _TooDeep as where:
        raise _too_deep(str(where), "XML elements") from None
    except expat.ExpatError as err:
        reason = expat.ErrorString(err.code)
        if err.code in (
            expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS],
            expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN],
        ):
            reason += " (the file ends before its elements are closed: truncated?)"
        raise ParseError(path, err.lineno, err.offset + 1, f"not well-formed XML: {reason}") from None


def _imports(quads: Iterable[ox.Quad]) -> set[str]:
    """What ``quads`` name with ``owl:imports`` (IRIs, as a rule)."""
    return {q.object.value for q in quads if q.predicate == _OWL_IMPORTS and not isinstance(q.object, ox.Triple)}


def _warn_imports(path: Path, iris: Iterable[str]) -> None:
    for iri in sorted(set(iris)):
        if _OWN_ONTOLOGY.fullmatch(iri):
            continue  # read locally, from imid-onto's own ontology files
        warnings.warn(
            f"{path}: owl:imports <{iri}> not followed (imid-onto reads nothing over the network; "
            "give the imported ontology as a file)",
            ImportNotFollowed,
            stacklevel=3,
        )


def read_graph(path: Path | str, graph: Graph | None = None, *, base_iri: str | None = None) -> Graph:
    """Parse one RDF file (format from its extension) into ``graph`` (or a new one).
    Relative IRIs resolve against ``base_iri`` (default: the file's own ``file:`` IRI).

    Raises ParseError with the file, line and column on a syntax error, and InputError
    for a file that is missing, unreadable or of an unknown kind, or that would make the
    reader fetch something (see the module's docstring).
    """
    path = Path(path)
    check_regular(path)
    graph = graph if graph is not None else new_graph()
    if records.is_record_file(path):  # claim records: expanded to the claim model
        for triple in records.expand(path, read_bytes(path)):
            graph.add(triple)
        return graph
    rdf_format = format_of(path)
    # Blank nodes are local to a file: prefix their labels so two files never share one.
    bnode_prefix = "f" + hashlib.sha256(str(path).encode()).hexdigest()[:8]
    data = read_bytes(path)
    refuse_fetching(path, rdf_format, data)
    with _parse_errors(path):
        quads = list(ox.parse(data, format=rdf_format, base_iri=base_iri or path.resolve().as_uri()))
    _warn_imports(path, _imports(quads))
    try:
        for quad in quads:
            graph.add(
                (
                    to_rdflib(quad.subject, bnode_prefix),
                    to_rdflib(quad.predicate, bnode_prefix),
                    to_rdflib(quad.object, bnode_prefix),
                )
            )
    except InputError as err:  # a triple term
        raise InputError(f"{path}: {err}") from None
    return graph


def load_store(paths: Iterable[Path | str], store: ox.Store | None = None) -> ox.Store:
    """Parse RDF files into a pyoxigraph store's default graph (in memory unless ``store``
    is given), with the same strict parser and errors as ``read_graph`` and without going
    through rdflib: the fast path for large files. Blank nodes stay local to each file."""
    store = store if store is not None else ox.Store()
    imports = _imports(store.quads_for_pattern(None, _OWL_IMPORTS, None))
    for path in map(Path, paths):
        check_regular(path)
        if records.is_record_file(path):  # claim records: expanded to the claim model
            to_store(records.expand(path, read_bytes(path)), store)
            continue
        rdf_format = format_of(path)
        # the formats that can name something to fetch are read first and checked
        data: bytes | IO[bytes] | None = None
        if rdf_format in (ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML):
            data = read_bytes(path)
            refuse_fetching(path, rdf_format, data)
        with _parse_errors(path), ExitStack() as stack:
            if data is None and _READS.get() is not None:  # hashed as it is parsed (recording_reads)
                data = cast(IO[bytes], stack.enter_context(_hashed(path)))  # pyoxigraph calls read() alone
            by_path = path if data is None else None  # else pyoxigraph reads the file itself
            base_iri = path.resolve().as_uri()
            if rdf_format in _QUAD_FORMATS:  # every graph of a dataset is read into one, as read_graph does
                quads = ox.parse(data, rdf_format, path=by_path, base_iri=base_iri)
                store.extend([ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads])
            else:  # load, not bulk_load: in memory, queries on a bulk-loaded store run 1.5x slower
                store.load(data, rdf_format, path=by_path, base_iri=base_iri)
        now = _imports(store.quads_for_pattern(None, _OWL_IMPORTS, None))
        _warn_imports(path, now - imports)
        imports = now
    return store


def read_quads(path: Path | str) -> list[ox.Quad]:
    """The quads of one RDF dataset file (TriG or N-Quads), each in its graph, parsed as
    strictly as :func:`read_graph` (a ParseError with the file, line and column)."""
    path = Path(path)
    check_regular(path)
    rdf_format = format_of(path)
    if rdf_format not in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        raise InputError(f"{path}: not a dataset (TriG .trig or N-Quads .nq)")
    data = read_bytes(path)
    with _parse_errors(path):
        return list(ox.parse(data, format=rdf_format, base_iri=path.resolve().as_uri()))


def read_graphs(paths: Iterable[Path | str], graph: Graph | None = None) -> Graph:
    """Parse several files into one graph."""
    graph = graph if graph is not None else new_graph()
    for path in paths:
        read_graph(path, graph)
    return graph


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term. A term that is not RDF 1.1 (an IRI with a space,
    a malformed language tag: rdflib's Graph API lets them in) is an InputError naming it."""
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(str(term))
        assert isinstance(term, Literal)
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    except ValueError as err:
        raise InputError(f"{_as_ntriples(term)} is not an RDF 1.1 term: {err}") from None


#: What N-Triples escapes in a string or IRI, so that a message stays on one line.
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _as_ntriples(term: Node) -> str:
    """``term`` written as in N-Triples, on one line, for a message about a term that is not
    RDF 1.1 (rdflib's n3() refuses an IRI with a space; pyoxigraph refuses the term)."""

    def escaped(text: str) -> str:
        return "".join(_ESCAPES.get(char, char) for char in text)

    if isinstance(term, URIRef):
        return f"<{escaped(term)}>"
    if isinstance(term, Literal):
        suffix = f"@{term.language}" if term.language else f"^^<{term.datatype}>" if term.datatype else ""
        return f'"{escaped(term)}"{escaped(suffix)}'
    return f"_:{escaped(str(term))}"


def to_store(graph: Iterable[tuple[Node, Node, Node]], store: ox.Store | None = None) -> ox.Store:
    """The triples of ``graph`` (an rdflib Graph, or any triples of rdflib terms) added to
    ``store`` (a new in-memory one unless given)."""
    store = store if store is not None else ox.Store()
    store.extend(_ox_quads(graph))
    return store


def _ox_quads(triples: Iterable[tuple[Node, Node, Node]]) -> list[ox.Quad]:
    """Triples of rdflib terms as pyoxigraph quads in the default graph."""
    return [_ox_quad(s, p, o) for s, p, o in triples]


def _ox_quad(s: Node, p: Node, o: Node, g: Node | None = None) -> ox.Quad:
    """A triple of rdflib terms (in graph ``g``) as a pyoxigraph quad. rdflib's Graph API lets
    in a literal subject or predicate: an InputError naming the triple."""
    subject, predicate, object_ = to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)
    graph_name = to_oxigraph(g) if g is not None else None
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode) or isinstance(graph_name, ox.Literal):
        raise InputError(
            f"{' '.join(_as_ntriples(t) for t in (s, p, o))}: not an RDF triple (a literal subject, "
            "or a predicate that is not an IRI)"
        )
    return ox.Quad(subject, predicate, object_, graph_name)


def to_graph(triples: Iterable, graph: Graph | None = None) -> Graph:
    """pyoxigraph triples or quads (anything with .subject, .predicate and .object, or a
    solution with ?s ?p ?o) added to ``graph`` (a new one unless given): the mirror of
    :func:`to_store`."""
    graph = graph if graph is not None else new_graph()
    for t in triples:
        s, p, o = (t.subject, t.predicate, t.object) if hasattr(t, "subject") else (t["s"], t["p"], t["o"])
        graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return graph


def solutions(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> ox.QuerySolutions:
    """The ``answer`` to a SELECT query (``Store.query`` is typed for every kind of query)."""
    if not isinstance(answer, ox.QuerySolutions):
        raise TypeError(f"a SELECT query was expected, not one answered by {type(answer).__name__}")
    return answer


def graph_view(store: ox.Store) -> Graph:
    """An rdflib Graph over ``store``'s default graph, without copying it (oxrdflib): rdflib's
    API, and its SPARQL answered by pyoxigraph's engine."""
    from oxrdflib import OxigraphStore
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    return Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)


#: RDFC-1.0 tells apart blank nodes described alike (the same triples, other blank nodes
#: aside) by searching the orders of those linked to each other: exponential at worst (7
#: such nodes all linked to each other: 0.24 s; 8: 2.9 s), cubic on a list of repeated
#: items (400 items: 7 s); a list nested 20,000 deep overflows pyoxigraph's stack. It is run
#: where that search is at most this many orders (7!); nodes alike but apart cost nothing.
RDFC_SEARCH = 5040

_Term = TypeVar("_Term")


def _canonical(triples: Iterable[tuple[Node, Node, Node]]) -> ox.Dataset:
    """``triples`` in a pyoxigraph Dataset whose blank nodes carry canonical labels: W3C RDF
    Dataset Canonicalization (RDFC-1.0) where its search is bounded (:func:`rdfc_search`;
    the release, and nearly any data); else, where the blank nodes form trees (lists, nested
    descriptions), labels hashed from each one's place and contents (linear time:
    :func:`_tree_labels`). Else InputError: no canonical labels in bounded time."""
    quads = _ox_quads(triples)
    search = rdfc_search(quads)
    if search <= RDFC_SEARCH:
        dataset = ox.Dataset(quads)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        return dataset
    labels = _tree_labels(quads)
    if labels is None:
        raise InputError(
            "blank nodes described alike are linked to each other in a cycle, or one to two others: "
            "imid-onto cannot name them canonically in bounded time (RDFC-1.0 is exponential there); "
            "give them IRIs"
        )

    def relabelled(term: _Term) -> _Term | ox.BlankNode:
        return ox.BlankNode(labels[term]) if isinstance(term, ox.BlankNode) else term

    return ox.Dataset([ox.Quad(relabelled(q.subject), q.predicate, relabelled(q.object)) for q in quads])


def rdfc_search(quads: list[ox.Quad]) -> int:
    """A bound on RDFC-1.0's search over ``quads``: the sum, over each set of blank nodes
    described alike (its "first degree hash": the triples that name the node, itself written
    ``_:a`` and every other blank node ``_:z``) and linked to each other, of the number of
    its orders (n!); one more than RDFC_SEARCH where it is larger."""
    described: dict[ox.BlankNode, list[str]] = defaultdict(list)
    for quad in quads:
        terms = (quad.subject, quad.predicate, quad.object)
        for node in {t for t in terms if isinstance(t, ox.BlankNode)}:
            described[node].append(
                " ".join("_:a" if t == node else "_:z" if isinstance(t, ox.BlankNode) else str(t) for t in terms)
            )
    keys = {node: tuple(sorted(lines)) for node, lines in described.items()}
    kinds = Counter(keys.values())
    alike = {node for node, key in keys.items() if kinds[key] > 1}
    linked: dict[ox.BlankNode, set[ox.BlankNode]] = defaultdict(set)
    for quad in quads:
        s, o = quad.subject, quad.object
        if isinstance(s, ox.BlankNode) and isinstance(o, ox.BlankNode) and s in alike and o in alike:
            linked[s].add(o)
            linked[o].add(s)
    search, seen = 0, set()
    for start in linked:
        if start in seen:
            continue
        seen.add(start)
        group, at = [start], 0
        while at < len(group):
            fresh = linked[group[at]] - seen
            seen.update(fresh)
            group += fresh
            at += 1
        search += math.factorial(len(group)) if len(group) <= 8 else RDFC_SEARCH + 1
        if search > RDFC_SEARCH:
            return RDFC_SEARCH + 1
    return search


def _tree_labels(quads: list[ox.Quad]) -> dict[ox.BlankNode, str] | None:
    """Canonical labels for blank nodes that form trees (each the object of at most one
    triple, no cycle), or None. A node's label hashes its place (the label or IRI of the
    node above it, and the predicate) with its contents (its triples, the nodes below it by
    their contents), so isomorphic graphs get the same labels; two nodes alike in the same
    place (interchangeable) are numbered. Loops, not recursion: a list nested 100,000 deep
    works."""
    below: dict[ox.BlankNode, list[tuple[ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]]]
    below = defaultdict(list)
    above: dict[ox.BlankNode, tuple[ox.NamedNode | ox.BlankNode | ox.Triple, ox.NamedNode]] = {}
    for quad in quads:
        s, p, o = quad.subject, quad.predicate, quad.object
        if isinstance(s, ox.BlankNode):
            below[s].append((p, o))
        if isinstance(o, ox.BlankNode):
            if o in above:
                return None
            above[o] = (s, p)
    roots = [n for n in {*below, *above} if not isinstance(above.get(n, (None,))[0], ox.BlankNode)]
    order, at = list(roots), 0  # top down, breadth first
    while at < len(order):
        order += [o for _, o in below[order[at]] if isinstance(o, ox.BlankNode)]
        at += 1
    if len(order) != len({*below, *above}):
        return None  # a cycle of blank nodes, reached from no root
    contents: dict[ox.BlankNode, str] = {}
    for node in reversed(order):  # bottom up
        lines = sorted(f"{p} {'_:' + contents[o] if isinstance(o, ox.BlankNode) else o}" for p, o in below[node])
        contents[node] = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    labels: dict[ox.BlankNode, str] = {}
    taken: Counter[str] = Counter()
    for node in order:
        parent, via = above.get(node, ("", ""))
        place = f"{labels[parent] if isinstance(parent, ox.BlankNode) else parent} {via}"
        label = "t" + hashlib.sha256(f"{place} {contents[node]}".encode()).hexdigest()[:32]
        taken[label] += 1
        labels[node] = label if taken[label] == 1 else f"{label}x{taken[label] - 1}"
    return labels


def canonical_graph(graph: Graph) -> Graph:
    """A copy of ``graph`` whose blank nodes carry canonical labels (RDFC-1.0, computed by
    pyoxigraph): the same labels for the same graph in every run, whatever labels the
    parser chose."""
    return to_graph(_canonical(graph), Graph(bind_namespaces="none"))


def rdfxml_bytes(graph: Graph) -> bytes:
    """``graph`` as RDF/XML (as Protégé and the OWL API read it), triples in canonical
    order with canonical blank-node labels, so the bytes are the same in every run."""
    triples = sorted(
        (quad.triple for quad in _canonical(graph)), key=lambda t: (t.subject.value, t.predicate.value, t.object.value)
    )  # as rdflib's str()
    return _serialized(triples, ox.RdfFormat.RDF_XML, _PREFIXES)


def ntriples_bytes(graph: Iterable[tuple[Node, Node, Node]]) -> bytes:
    """``graph`` (an rdflib Graph, or any triples of rdflib terms) as N-Triples with canonical
    blank-node labels and sorted lines: the same bytes for the same graph, whatever labels
    the parser chose. Written by pyoxigraph, whose N-Triples are always valid."""
    data = _serialized([quad.triple for quad in _canonical(graph)], ox.RdfFormat.N_TRIPLES)
    lines = sorted(line for line in data.splitlines() if line.strip())
    return b"\n".join(lines) + b"\n" if lines else b""


def jsonld_context(graph: Graph) -> dict[str, str]:
    """The JSON-LD context of imid-onto's output: its prefixes that ``graph`` uses."""
    used = {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}
    used |= {str(term.datatype) for _, _, term in graph if isinstance(term, Literal) and term.datatype}
    return {
        prefix: str(namespace)
        for prefix, namespace in sorted(PREFIXES.items())
        if any(iri.startswith(str(namespace)) for iri in used)
    }


def _sorted_json(value):
    """JSON with every array but an ``@list`` sorted, so the text is the same in every run."""
    if isinstance(value, dict):
        return {key: (item if key == "@list" else _sorted_json(item)) for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def _types_as_strings(value):
    """JSON-LD with every ``@type`` value a string. rdflib writes a blank-node type (an
    entity's ``owl:Restriction``, say) as ``{"@id": "_:b"}``, which JSON-LD forbids
    (``@type`` takes IRIs and blank-node identifiers, as strings): a conforming reader
    rejects the whole document. The identifier string says the same."""
    if isinstance(value, list):
        return [_types_as_strings(item) for item in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        if key == "@type":
            items = item if isinstance(item, list) else [item]
            strings = [t["@id"] if isinstance(t, dict) and set(t) == {"@id"} else t for t in items]
            result[key] = strings if isinstance(item, list) else strings[0]
        else:
            result[key] = _types_as_strings(item)
    return result


def jsonld_bytes(graph: Graph, context: dict[str, str]) -> bytes:
    """``graph`` as compact JSON-LD with ``context`` inlined (nothing for a reader to
    fetch), nodes sorted by ``@id`` and canonical blank-node labels."""
    text = canonical_graph(graph).serialize(format="json-ld", context=context, auto_compact=True)
    document = _types_as_strings(json.loads(text))
    nodes = document.get("@graph", [])
    document["@graph"] = sorted(
        (_sorted_json(node) for node in nodes), key=lambda n: (n.get("@id", ""), json.dumps(n, sort_keys=True))
    )
    return (json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def trig_bytes(quads: Iterable[tuple[Node, Node, Node, Node]]) -> bytes:
    """Quads (subject, predicate, object, graph) as TriG, sorted by graph, subject,
    predicate and object, with imid-onto's prefixes. Blank-node labels are kept: give
    canonical ones for stable output."""

    def key(quad: tuple[Node, Node, Node, Node]) -> tuple[str, ...]:
        return tuple(str(term) for term in (quad[3], quad[0], quad[1], quad[2]))

    ox_quads = [_ox_quad(s, p, o, g) for s, p, o, g in sorted(set(quads), key=key)]
    return _serialized(ox_quads, ox.RdfFormat.TRIG, _PREFIXES)


#: imid-onto's prefixes, for pyoxigraph's serializers.
_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def _serialized(
    statements: Iterable[ox.Triple] | Iterable[ox.Quad],
    rdf_format: ox.RdfFormat,
    prefixes: dict[str, str] | None = None,
) -> bytes:
    """``statements`` written by pyoxigraph in ``rdf_format``."""
    data = ox.serialize(statements, format=rdf_format, prefixes=prefixes)
    assert data is not None  # given no output, serialize returns the bytes
    return data


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so a failure
    never leaves a half-written file where a good one was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
