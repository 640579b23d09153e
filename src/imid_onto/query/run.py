"""The competency questions: named SPARQL queries in ``queries/``, and how they are run.

Each ``queries/<name>.rq`` opens with a header (``title``, ``question``, ``param``,
``columns`` and, for causal chains, ``paths``) read by :func:`named_queries`; the rest is
plain SPARQL 1.1. :func:`run_query` resolves each parameter (an IRI, a CURIE or a label) to
an entity and binds it as an RDF term, the query text never changing, on pyoxigraph or
rdflib (:func:`load_dataset`) or an endpoint (:class:`RemoteDataset`); queries with a
``paths`` header are walked breadth-first into one row per reached node, and rows are
sorted. A user's query (:func:`user_query`) is checked first and runs in a forked process
within :class:`Limits`. The causal walk and the binding: ``docs/design/named-queries.md``;
the bounded run: ``docs/design/user-queries.md``.
"""

from __future__ import annotations

import csv
import difflib
import io
import itertools
import json
import os
import pickle
import re
import select
import signal
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from imid_onto import paths
from imid_onto.errors import InputError, printable
from imid_onto.vocab import CAUSAL_RELATIONS, ENT, IMID, PREFIXES, RDFS, SKOS, curie, expand
from imid_onto.io.rdf import check_regular, to_oxigraph, to_rdflib, to_store
from imid_onto.io.sparql_text import Checked, Limits, blank_out, check_query

if TYPE_CHECKING:
    from imid_onto.io.endpoint import Endpoint

__all__ = ["Param", "NamedQuery", "Table", "Limits", "Dataset", "RemoteDataset", "named_queries", "read_query",
           "user_query", "check_query", "resolve", "run_query", "load_dataset", "dataset_from_graph", "with_values",
           "format_table", "ENGINES"]

ENGINES = ("oxigraph", "rdflib")
T = TypeVar("T")
_STATUS_RANK = {IMID.EstablishedFinding: 0, IMID.Hypothesis: 1, IMID.OpenQuestion: 2}
_LABEL = ox.NamedNode(str(RDFS.label))


@dataclass(frozen=True)
class Param:
    name: str
    defaults: tuple[str, ...]
    help: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    question: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    text: str
    paths: str = ""  # "forward" or "backward" for chain queries
    checked: Checked | None = None  # a user's query: as check_query let it through
    limits: Limits | None = None  # a user's query: how far it may run

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        choices = ", ".join(p.name for p in self.params) or "none"
        raise InputError(f"query {self.name!r} has no parameter {name!r} (its parameters: {choices})")


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)


_HEADER = re.compile(r"#\s*(title|question|param|columns|paths)\s*:\s*(.*)")


def read_query(path: Path | str) -> NamedQuery:
    """Parse a query file's header (a file without one is a plain query)."""
    path = Path(path)
    check_regular(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read the query: {err}") from None
    fields: dict[str, str] = {}
    params = []
    for line in text.splitlines():
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            spec, _, help_text = value.partition("|")
            name, _, defaults = spec.partition("=")
            params.append(Param(name.strip(), tuple(d.strip() for d in defaults.split(",") if d.strip()),
                                help_text.strip()))
        else:
            fields[key] = value.strip()
    columns = tuple(c.strip() for c in fields.get("columns", "").split(",") if c.strip())
    direction = fields.get("paths", "").split(" ", 1)[0]
    return NamedQuery(path.stem, fields.get("title", path.stem), fields.get("question", ""), tuple(params),
                      columns, text, direction)


def named_queries() -> dict[str, NamedQuery]:
    """Every query in ``queries/``, by name."""
    return {p.stem: read_query(p) for p in sorted(paths.queries_dir().glob("*.rq"))}


def named_query(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise InputError(f"no query named {name!r} (choose from: {', '.join(queries)})")
    return queries[name]


def user_query(path: Path | str, limits: Limits | None = Limits()) -> NamedQuery:
    """A user's query file (``query --file``), checked (:func:`check_query`: a SELECT that
    reaches no network and changes nothing, else an InputError naming the file) and, unless
    ``limits`` is None, bounded by them when it runs."""
    query = read_query(path)
    return replace(query, checked=check_query(query.text, str(path)), limits=limits)


# --- the data ---------------------------------------------------------------------------

@dataclass
class Dataset:
    """The knowledge base (asserted, with plain edges, plus inferred triples unless
    ``asserted_only``) in a pyoxigraph store, with an rdflib Graph of it made on demand."""

    store: ox.Store
    inference: str = "none"  # what supplied the inferred triples
    kept: Path | None = None  # the persistent store's folder, where the store is one (imid_onto.io.cache)
    _graph: Graph | None = None
    _labels: dict = field(default_factory=dict)

    @property
    def graph(self) -> Graph:
        if self._graph is None:
            from imid_onto.io.rdf import to_graph

            self._graph = to_graph(self.store)
        return self._graph

    def select(self, query: str | Checked, bindings: dict[str, Node] | None = None, *, engine: str = "oxigraph",
               max_rows: int | None = None):
        """Run a SELECT (a text, or a user's query as check_query let it through) with
        ``bindings`` bound as terms: (variable names, rows of rdflib terms). rdflib evaluates
        a checked query as it was checked, without parsing it again; more than ``max_rows``
        rows is an InputError."""
        bindings = bindings or {}
        text = query.text if isinstance(query, Checked) else query
        if engine == "oxigraph":
            try:
                solutions = self.store.query(text, substitutions={ox.Variable(k): to_oxigraph(v) for k, v in bindings.items()})
            except SyntaxError as err:  # pyoxigraph's message may run over several lines
                raise InputError(f"{_origin(query)}the query does not parse: {' '.join(str(err).split())}") from None
            if not isinstance(solutions, ox.QuerySolutions):
                raise InputError("only SELECT queries are supported")
            names = [v.value for v in solutions.variables]
            rows = (tuple(to_rdflib(row[n]) if row[n] is not None else None for n in names) for row in solutions)
            return names, _at_most(rows, max_rows, query)
        if engine == "rdflib":
            if isinstance(query, Checked):
                prepared = query.parsed
            else:
                from rdflib.plugins.sparql import prepareQuery

                try:
                    prepared = prepareQuery(text)
                except Exception as err:  # noqa: BLE001 - rdflib raises pyparsing errors
                    raise InputError(f"the query does not parse: {err}") from None
            try:
                result = self.graph.query(prepared, initBindings=dict(bindings))
                if result.type != "SELECT":
                    raise InputError("only SELECT queries are supported")
                return [str(v) for v in result.vars], _at_most((tuple(row) for row in result), max_rows, query)
            except (InputError, RecursionError, MemoryError):
                raise
            except Exception as err:  # noqa: BLE001 - rdflib fails so on some queries (GRAPH over one graph)
                if not isinstance(query, Checked):
                    raise
                raise InputError(f"{query.origin}: the rdflib engine cannot answer this query "
                                 f"({type(err).__name__}: {' '.join(str(err).split())})") from None
        raise InputError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")

    def label(self, node: Node) -> str:
        return _label(self, node)

    def _label_values(self, node: Node) -> list[str]:
        return [q.object.value for q in self.store.quads_for_pattern(to_oxigraph(node), _LABEL, None)]  # an index lookup


def _origin(query: str | Checked) -> str:
    return f"{query.origin}: " if isinstance(query, Checked) else ""


def _at_most(rows: Iterable[tuple], max_rows: int | None, query: str | Checked) -> list[tuple]:
    """``rows`` as a list, or an InputError once there are more than ``max_rows``."""
    kept = list(rows if max_rows is None else itertools.islice(rows, max_rows + 1))
    if max_rows is not None and len(kept) > max_rows:
        raise _too_many(max_rows, query)
    return kept


def _too_many(max_rows: int, query: str | Checked) -> InputError:
    return InputError(f"{_origin(query)}more than {max_rows:,} rows (--max-rows)")


def _label(dataset, node: Node) -> str:
    """The node's smallest rdfs:label, else its CURIE (remembered per dataset)."""
    if node not in dataset._labels:
        labels = dataset._label_values(node)
        dataset._labels[node] = min(labels) if labels else curie(node)
    return dataset._labels[node]


def _has_node(dataset, node: URIRef) -> bool:
    _, rows = dataset.select("SELECT ?node ?p WHERE { ?node ?p ?o } LIMIT 1", {"node": node})
    return bool(rows)


@dataclass
class RemoteDataset:
    """A SPARQL 1.1 Protocol endpoint (Virtuoso, Fuseki, GraphDB, Oxigraph server) holding
    the published knowledge base: the named queries run there. Parameters are bound by
    :func:`with_values`, a one-row sub-select of VALUES made from the resolved RDF terms at
    the start of the query's top-level group (the protocol has no other way to pass
    bindings)."""

    endpoint: Endpoint
    default_graphs: tuple[str, ...] = ()
    inference: str = "remote"
    _labels: dict = field(default_factory=dict)

    def select(self, query: str | Checked, bindings: dict[str, Node] | None = None, *, engine: str = "remote",
               max_rows: int | None = None):
        from imid_onto.io.endpoint import select

        text = query.text if isinstance(query, Checked) else query
        names, rows = select(self.endpoint, with_values(text, bindings or {}), default_graphs=list(self.default_graphs))
        return names, _at_most(rows, max_rows, query)

    def label(self, node: Node) -> str:
        return _label(self, node)

    def _label_values(self, node: Node) -> list[str]:
        # pyoxigraph substitutes only variables of the projection: a bound one is selected too
        _, rows = self.select(f"SELECT ?node ?label WHERE {{ ?node <{RDFS.label}> ?label }}", {"node": node})
        return [str(r[1]) for r in rows if r[1] is not None]


def with_values(text: str, bindings: dict[str, Node]) -> str:
    """``text`` with ``bindings`` bound for an endpoint: a sub-select of one row,
    ``{ SELECT * WHERE { VALUES (?a ?b) { (<term> <term>) } } }``, opens the query's
    top-level group (its first ``{`` that is syntax: strings, IRIs and comments before it,
    such as a named query's header, are skipped). Only for SELECT ... WHERE { } queries.

    Why it answers what pre-binding (pyoxigraph ``substitutions``, rdflib ``initBindings``)
    answers locally: the row is joined with the rest of the group, so the group keeps the
    solutions that have those values, and the group's FILTERs see them. That is pre-binding
    wherever each bound variable is bound in every solution of the group (it occurs in a
    triple pattern of the group, or of every branch of a UNION there: every parameter of the
    named queries) or occurs only in the group's FILTERs (resolve()'s ``?wanted``). It
    would not be for a variable left unbound by an OPTIONAL, or seen only inside a
    sub-select that does not project it: no query here does that.

    Why this form on Virtuoso 7.2.5 (see tests/virtuoso.py): a bare VALUES in the group binds
    the end of a ``*``/``+`` path but not its start ("transitive start not given"), the
    sub-select binds both; a VALUES after the WHERE clause is joined after the group's
    FILTERs (resolve()'s label match would see no ``?wanted``) and binds neither end of a
    path.

    The terms are written from RDF terms, never from what a user typed: an IRI (and a
    literal's datatype) must pass pyoxigraph's strict IRI parser, a literal is written by
    pyoxigraph (N-Triples escapes); anything else is refused."""
    if not bindings:
        return text
    brace = blank_out(text).find("{")  # blank_out keeps offsets: the brace found is in ``text``
    if brace < 0:
        raise InputError("the query has no group pattern")
    names = sorted(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise InputError(f"{name!r} is not a SPARQL variable name")
        term = bindings[name]
        if isinstance(term, URIRef):
            iri = term
        elif isinstance(term, Literal):
            iri = term.datatype
        else:
            raise InputError(f"cannot bind {term!r}: only IRIs and literals")
        if iri is not None:
            try:
                ox.NamedNode(str(iri))  # raises on anything that is not an IRI
            except ValueError:
                raise InputError(f"cannot bind {term!r}: {str(iri)!r} is not an IRI") from None
    variables = " ".join("?" + n for n in names)
    # pyoxigraph's N-Triples form, which SPARQL reads back as the same term; rdflib's n3() does
    # not always (a string with a line break that ends in a backslash and a quote comes out
    # with that quote unescaped, and the query no longer parses)
    row = " ".join(str(to_oxigraph(bindings[n])) for n in names)
    block = f" {{ SELECT * WHERE {{ VALUES ({variables}) {{ ({row}) }} }} }} "
    return text[: brace + 1] + block + text[brace + 1:]


def _fill(store: ox.Store, sources: list[Path], asserted_only: bool, inferred: Graph | None, reasoner: str,
          warn, keep: bool = False) -> tuple[str, str]:
    """Load ``sources`` with the plain edges into ``store`` and, unless ``asserted_only``, the
    inferred triples (``inferred`` if given, else from the reasoner, whose result is kept
    in the cache folder with ``keep``). Returns (what supplied the inferred triples, the
    reasoner's warning or "")."""
    from imid_onto.model.kb import open_store

    open_store(sources, store=store)
    if asserted_only:
        return "none", ""
    warning = ""
    if inferred is None:
        from imid_onto.reason.infer import infer_store

        # the reasoner sees these sources without their claims, summarized
        result = infer_store(store, keep=keep)
        inferred, reasoner, warning = result.inferred, result.reasoner, result.warning
        if warning and warn is not None:
            warn(warning)
    to_store(inferred, store)
    return reasoner, warning


def load_dataset(files: list[Path] | None = None, *, asserted_only: bool = False, inferred: Graph | None = None,
                 reasoner: str = "given", warn=None, cache: bool = False) -> Dataset:
    """The shipped knowledge base (or the ontology with ``files``) for querying, with the
    plain edges of standing claims. Inferred triples come from ``inferred`` if given (made
    by ``reasoner``), else from the reasoner (HermiT; OWL 2 RL when Java is missing, and
    then ``warn`` is called with what is lost).

    With ``cache``, the dataset is the persistent store of these sources (imid_onto.io.cache),
    opened read-only: built once, reused while no source file changes."""
    from imid_onto.model.kb import sources as kb_sources

    sources = kb_sources(files)
    if cache:
        from imid_onto.io.cache import cached_store

        # keep: with claims edited, the reasoner's input is as it was, and HermiT is not run again
        cached = cached_store(sources, lambda store: _fill(store, sources, asserted_only, inferred, reasoner, None, True),
                              inferred=not asserted_only)
        if cached.warning and warn is not None:
            warn(cached.warning)
        return Dataset(cached.store, cached.reasoner, cached.path)
    store = ox.Store()
    dataset = Dataset(store)
    dataset.inference = _fill(store, sources, asserted_only, inferred, reasoner, warn)[0]
    return dataset


def with_dataset(use: Callable[[Dataset], T], files: list[Path] | None = None, *, cache: bool = False,
                 **options) -> T:
    """``use(load_dataset(files, cache=cache, **options))``. A persistent store found damaged
    while it is read (RocksDB checks a block's checksum only when it reads the block, so
    opening it showed nothing) is discarded, with a warning, and made afresh, once."""
    dataset = load_dataset(files, cache=cache, **options)
    try:
        return use(dataset)
    except (OSError, RuntimeError) as err:
        if dataset.kept is None or "Corruption" not in str(err):
            raise
        from imid_onto.io.cache import discard

        discard(dataset.kept, str(err).split("Corruption", 1)[1].lstrip(": ").split("  ")[0].strip())
    return use(load_dataset(files, cache=cache, **options))


def dataset_from_graph(graph: Graph, inference: str = "given") -> Dataset:
    """A Dataset holding exactly ``graph`` (say, a release's imid-kb-full.ttl)."""
    return Dataset(to_store(graph), inference)


def resolve(dataset: Dataset | RemoteDataset, value: str) -> URIRef:
    """An IRI, CURIE, label or synonym as the entity it names; where a name is both a
    knowledge-base entity's and an external term's (lenalidomide), the entity's. A name is
    first looked up as written (untagged or English: an index lookup, fast on any size of
    store), then case-insensitively (a scan of every name)."""
    value = value.strip()
    candidate: str | None = None
    if value.startswith("<") and value.endswith(">"):
        candidate = value[1:-1]
    elif re.match(r"^https?://", value):
        candidate = value
    elif ":" in value and " " not in value and expand(value):
        candidate = expand(value)
    if candidate is not None:
        try:
            ox.NamedNode(candidate)  # checked before rdflib's URIRef(), which logs a warning for a non-IRI
        except ValueError:
            raise InputError(f"{value!r} is not a valid IRI") from None
        if _has_node(dataset, URIRef(candidate)):
            return URIRef(candidate)
        raise InputError(f"no entity {value!r} in the knowledge base")
    matches = set()
    for predicate in (RDFS.label, SKOS.altLabel, SKOS.hiddenLabel):  # as written: index lookups
        for name in (Literal(value), Literal(value, lang="en")):
            _, rows = dataset.select("SELECT ?node ?predicate ?name WHERE { ?node ?predicate ?name }",
                                     {"predicate": predicate, "name": name})
            matches |= {r[0] for r in rows if isinstance(r[0], URIRef)}
        if matches:
            break
    for predicate in (RDFS.label, SKOS.altLabel, SKOS.hiddenLabel) if not matches else ():  # in any case: a scan
        _, rows = dataset.select(
            "SELECT ?node ?predicate ?wanted WHERE { ?node ?predicate ?name . FILTER (LCASE(STR(?name)) = ?wanted) }",
            {"predicate": predicate, "wanted": Literal(value.lower())},
        )
        matches |= {r[0] for r in rows if isinstance(r[0], URIRef)}
        if matches:
            break
    # Documents and studies are also found by their local name (lu-2014-pubmed).
    if not matches and re.fullmatch(r"[\w.\-]+", value):
        for prefix in ("doc", "ent"):
            node = URIRef(str(PREFIXES[prefix]) + value)
            if _has_node(dataset, node):
                matches.add(node)
    own = {m for m in matches if str(m).startswith(str(ENT))}
    if len(matches) > 1 and len(own) == 1:  # a knowledge-base entity and the ontology term it stands for
        return own.pop()
    if len(matches) == 1:
        return matches.pop()
    if len(matches) > 1:
        raise InputError(f"{value!r} names several entities: {', '.join(sorted(curie(m) for m in matches))}; use an IRI or CURIE")
    names = sorted({str(r[0]) for r in dataset.select(f"SELECT DISTINCT ?name WHERE {{ ?n <{RDFS.label}> ?name }}")[1]})
    close = difflib.get_close_matches(value, names, n=5, cutoff=0.6)
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise InputError(f"no entity named {value!r} (give an IRI, a CURIE such as ent:IKZF1, or a label such as IKZF1 "
                     f"or Ikaros){hint}")


# --- running ---------------------------------------------------------------------------

def _sort_key(row: tuple) -> tuple:
    return tuple("" if v is None else f"{type(v).__name__}:{v}" for v in row)


def run_query(dataset: Dataset | RemoteDataset, query: NamedQuery, params: dict[str, list[str]] | None = None,
              *, engine: str = "oxigraph") -> Table:
    """Answer ``query`` over ``dataset`` with ``params`` (name -> values; defaults where not
    given). A query with limits (a user's, :func:`user_query`) runs within them."""
    if query.limits is None:
        return _answer(dataset, query, params, engine)
    if engine == "rdflib" and isinstance(dataset, Dataset):
        dataset.graph  # made here: the limits are the query's, loading is not part of it
    origin = query.checked.origin if query.checked is not None else query.name
    return _bounded(query.limits, origin, lambda: _answer(dataset, query, params, engine))


def _answer(dataset: Dataset | RemoteDataset, query: NamedQuery, params: dict[str, list[str]] | None,
            engine: str) -> Table:
    params = dict(params or {})
    for name in params:
        query.param(name)  # unknown parameter: a clear error with the choices
    values = {p.name: params.get(p.name) or list(p.defaults) for p in query.params}
    combos: list[dict[str, URIRef]] = [{}]
    for name, texts in values.items():
        terms = sorted({resolve(dataset, t) for t in texts}, key=str)
        combos = [{**c, name: term} for c in combos for term in terms]
    max_rows = query.limits.rows if query.limits is not None else None
    names: list[str] = []
    rows: set[tuple] = set()
    for bindings in combos:
        try:
            if query.checked is None and max_rows is None:  # a named query
                names, found = dataset.select(query.text, bindings, engine=engine)
            else:  # a user's: the engines run what was checked
                names, found = dataset.select(query.checked or query.text, bindings, engine=engine, max_rows=max_rows)
        except RecursionError:
            # rdflib follows a property path (p*, p+) by recursion, one Python frame per step
            raise InputError(f"the {engine} engine cannot answer {query.name!r} here: it follows property paths "
                             "such as p* by recursion and runs out of stack on chains of more than about 1,000 "
                             "steps; use the oxigraph engine (--engine oxigraph, the default)") from None
        # A bound parameter is reported in its column even where the engine leaves it out.
        for row in found:
            rows.add(tuple(bindings.get(n, v) if v is None else v for n, v in zip(names, row)))
    table = Table(names, sorted(rows, key=_sort_key))
    if query.paths:
        table = _walk(dataset, query, table)
    if max_rows is not None and len(table.rows) > max_rows:  # several values of a parameter, or a walk
        raise _too_many(max_rows, query.checked or query.text)
    return table


# --- within limits ---------------------------------------------------------------------------

def _bounded(limits: Limits, origin: str, work: Callable[[], Table]) -> Table:
    """``work()`` in a forked process, killed after ``limits.seconds`` and refused address
    space past ``limits.memory_mb`` more than this process has mapped: the only bounds that
    hold while pyoxigraph materializes a product in native code (ORDER BY over a cartesian
    product took 5 GB in 10 s). The answer comes back through a pipe, its terms as plain
    tuples (a pickled rdflib Literal would lose its lexical form: "01" comes back "1").
    Without fork (Windows), ``work()`` runs here, bounded by the rows only."""
    if not hasattr(os, "fork"):
        return work()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer, send, and leave without cleanup handlers
        try:
            os.close(read_end)
            os.dup2(os.open(os.devnull, os.O_WRONLY), 2)  # a native abort prints nothing
            _limit_memory(limits.memory_mb)
            try:
                table = work()
                outcome: tuple = ("ok", table.columns, [tuple(map(_plain, row)) for row in table.rows])
            except InputError as err:
                outcome = ("error", str(err))
            except MemoryError:
                outcome = ("memory",)
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(outcome, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as err:  # noqa: BLE001 - reported to the parent, which raises it
            try:
                with os.fdopen(write_end, "wb", closefd=False) as pipe:
                    pickle.dump(("internal", f"{type(err).__name__}: {err}"), pipe)
            except BaseException:  # noqa: BLE001
                pass
        os._exit(0)
    os.close(write_end)
    chunks, finished = [], False
    deadline = time.monotonic() + limits.seconds
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_end], [], [], left)[0]:
                raise InputError(f"{origin}: the query ran past {limits.seconds:g} s (--timeout)")
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        finished = True
    finally:
        os.close(read_end)
        if not finished:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    try:
        outcome = pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001 - nothing, or a part: the child died while answering
        outcome = ("memory",) if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGABRT, signal.SIGKILL) \
            else ("internal", f"the query's process ended without an answer (status {status})")
    if outcome[0] == "ok":
        return Table(outcome[1], [tuple(map(_term, row)) for row in outcome[2]])
    if outcome[0] == "error":
        raise InputError(outcome[1])
    if outcome[0] == "memory":
        raise InputError(f"{origin}: the query needed more than {limits.memory_mb:,} MB of memory (--max-memory)")
    raise RuntimeError(outcome[1])


def _limit_memory(megabytes: int) -> None:
    """Limit this process's address space to what it has mapped plus ``megabytes`` (Linux,
    where /proc says what is mapped; elsewhere nothing is limited)."""
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as status:
            mapped = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError):
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = mapped + megabytes * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))


def _plain(term: Node | None) -> tuple | None:
    if term is None:
        return None
    if isinstance(term, Literal):
        return ("literal", str(term), term.language, str(term.datatype) if term.datatype else None)
    return ("blank" if isinstance(term, BNode) else "iri", str(term))


def _term(plain: tuple | None) -> Node | None:
    if plain is None:
        return None
    if plain[0] == "iri":
        return URIRef(plain[1])
    if plain[0] == "blank":
        return BNode(plain[1])
    _, value, language, datatype = plain
    if language or datatype is None:
        return Literal(value, lang=language)
    return Literal(value, datatype=URIRef(datatype), normalize=False)  # keep the lexical form


#: A chain of more than this many steps is shown by its first and last _CHAIN_ENDS steps.
_FULL_CHAIN = 100
_CHAIN_ENDS = 10


def _walk(dataset: Dataset | RemoteDataset, query: NamedQuery, steps: Table) -> Table:
    """Turn the causal steps of a ``paths`` query into one row per reached node.

    A node's shortest chain is its predecessor's plus one step, so its number of steps,
    direction and status come from the predecessor's in constant time: no recursion, and no
    walking every chain back to its start, so the walk takes time in proportion to the steps.
    A chain of more than ``_FULL_CHAIN`` steps is shown (path, claims, studies) by its first
    and last ``_CHAIN_ENDS`` steps with a count of the steps left out between them: written
    in full, n rows down one chain would hold n²/2 steps (a 100,000-step chain, hundreds of
    gigabytes), and each step left out is in full in the row of the node it reaches."""
    forward = query.paths == "forward"
    col = {n: i for i, n in enumerate(steps.columns)}
    edges: dict[Node, dict[Node, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    anchors: set[tuple] = set()
    for row in steps.rows:
        a, b = row[col["from"]], row[col["to"]]
        if forward:
            edges[a][b].append(row)
            anchors.add((row[col["protein"]], row[col["start"]]))
        else:
            edges[b][a].append(row)
            anchors.add((row[col["effect"]], row[col["effect"]]))
    texts: dict[tuple[Node, Node], tuple[str, str]] = {}  # a step's claims and studies

    def step_texts(a: Node, b: Node) -> tuple[str, str]:
        if (a, b) not in texts:
            rows = edges[a][b]
            texts[a, b] = (" ".join(sorted({curie(r[col["claim"]]) for r in rows})),
                           " ".join(sorted({curie(r[col["study"]]) for r in rows if r[col["study"]]})))
        return texts[a, b]

    out = []
    for key, anchor in sorted(anchors, key=_sort_key):
        # Breadth-first: the first time a node is reached is by a shortest chain.
        previous: dict[Node, Node] = {anchor: anchor}
        # per node: steps, sign, status rank, and the node _CHAIN_ENDS steps from the anchor on its chain
        state: dict[Node, tuple[int, int, int, Node | None]] = {anchor: (0, 1, 0, None)}
        into: dict[Node, tuple[str, str]] = {}  # the claims and studies of the step that reaches a node
        queue = deque([anchor])
        while queue:
            node = queue.popleft()
            hops, sign, rank, head_end = state[node]
            for nxt in sorted(edges[node], key=str):
                if nxt in previous:
                    continue
                rows = edges[node][nxt]
                relations = {r[col["relation"]] for r in rows}
                step_sign = CAUSAL_RELATIONS.get(min(relations, key=str), 0) if len(relations) == 1 else 0
                step_rank = min(_STATUS_RANK.get(r[col["status"]], 2) for r in rows)
                previous[nxt] = node
                state[nxt] = (hops + 1, sign * step_sign, max(rank, step_rank),
                              nxt if hops + 1 == _CHAIN_ENDS else head_end)
                into[nxt] = step_texts(node, nxt)
                queue.append(nxt)

        def back(node: Node, count: int) -> list[Node]:
            """``node`` and the ``count`` nodes before it on its chain, in walking order."""
            nodes = [node]
            for _ in range(count):
                nodes.append(previous[nodes[-1]])
            nodes.reverse()
            return nodes

        for reached in sorted(previous, key=str):
            if reached == anchor:
                continue
            hops, sign, rank, head_end = state[reached]
            if hops <= _FULL_CHAIN:
                parts = [back(reached, hops)]
            else:
                parts = [back(head_end, _CHAIN_ENDS), back(reached, _CHAIN_ENDS)]
            shown: list[tuple[str, str, str]] = []  # path, claims, studies of each part
            for part in parts:
                labels = [dataset.label(n) for n in part]  # remembered per dataset
                reach = [into[n] for n in part[1:]]
                if not forward:  # the output reads from cause to effect: against the walk
                    labels.reverse()
                    reach.reverse()
                shown.append((" -> ".join(labels), " ; ".join(c for c, _ in reach), " ; ".join(s for _, s in reach)))
            if not forward:
                shown.reverse()
            left_out = hops - 2 * _CHAIN_ENDS  # steps between the two parts, when there are two
            path = f" -> ... ({left_out - 1} more) ... -> ".join(p for p, _, _ in shown)
            claims = f" ; ... ({left_out} more steps) ... ; ".join(c for _, c, _ in shown)
            studies = f" ; ... ({left_out} more steps) ... ; ".join(s for _, _, s in shown)
            direction = {1: "increase", -1: "decrease", 0: "unknown"}[sign]
            status = [s for s, r in _STATUS_RANK.items() if r == rank][0]
            if forward:
                out.append((key, anchor, reached, Literal(hops), Literal(direction), status, Literal(path),
                            Literal(claims), Literal(studies)))
            else:
                out.append((anchor, reached, Literal(hops), Literal(direction), status, Literal(path),
                            Literal(claims), Literal(studies)))
    # (start, effect) or (effect, cause) is unique in a row: sorting by it sorts by the whole row
    return Table(list(query.columns), sorted(out, key=lambda row: _sort_key(row[:3] if forward else row[:2])))


# --- output ------------------------------------------------------------------------------

def _json_term(term: Node) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out: dict = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def format_table(table: Table, fmt: str) -> str:
    """``table`` as text (aligned, CURIEs), csv / tsv (SPARQL 1.1 CSV and TSV results) or
    json (SPARQL 1.1 Query Results JSON)."""
    if fmt == "json":
        bindings = [{c: _json_term(v) for c, v in zip(table.columns, row) if v is not None} for row in table.rows]
        return json.dumps({"head": {"vars": table.columns}, "results": {"bindings": bindings}}, indent=2,
                          ensure_ascii=False) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow(["" if v is None else str(v) for v in row])
        return buffer.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(f"?{c}" for c in table.columns)]
        for row in table.rows:
            lines.append("\t".join("" if v is None else _tsv_term(v) for v in row))
        return "\n".join(lines) + "\n"
    cells = [[printable(curie(v)) if v is not None else "" for v in row] for row in table.rows]  # one line each
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(table.columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(table.columns, widths)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
    lines.append(f"({len(table.rows)} rows)")
    return "\n".join(lines) + "\n"


def _tsv_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return term.n3().replace("\t", "\\t").replace("\n", "\\n")
