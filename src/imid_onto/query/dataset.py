"""What a query runs against (an RDF dataset, in the SPARQL sense): the knowledge base in a
pyoxigraph store (:class:`Dataset`, :func:`load_dataset`) or a SPARQL endpoint
(:class:`RemoteDataset`); parameters resolved from names (:func:`resolve`) and bound as RDF
terms, never pasted into the text (:func:`with_values` for an endpoint).
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.query import ResultRow
from rdflib.term import Identifier, Node

from imid_onto.errors import InputError
from imid_onto.io.rdf import to_oxigraph, to_rdflib, to_store
from imid_onto.io.sparql_text import Checked, blank_out
from imid_onto.model.claims import label_from
from imid_onto.vocab import ENT, PREFIXES, RDFS, SKOS, curie, expand

if TYPE_CHECKING:
    from imid_onto.io.endpoint import Endpoint

__all__ = [
    "ENGINES",
    "Dataset",
    "RemoteDataset",
    "load_dataset",
    "with_dataset",
    "dataset_from_graph",
    "resolve",
    "with_values",
]


ENGINES = ("oxigraph", "rdflib")
T = TypeVar("T")
_LABEL = ox.NamedNode(str(RDFS.label))


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

    def select(
        self,
        query: str | Checked,
        bindings: Mapping[str, Identifier] | None = None,
        *,
        engine: str = "oxigraph",
        max_rows: int | None = None,
    ):
        """Run a SELECT (a text, or a user's query as check_query let it through) with
        ``bindings`` bound as terms: (variable names, rows of rdflib terms). rdflib evaluates
        a checked query as it was checked, without parsing it again; more than ``max_rows``
        rows is an InputError."""
        bindings = bindings or {}
        text = query.text if isinstance(query, Checked) else query
        if engine == "oxigraph":
            try:
                solutions = self.store.query(
                    text, substitutions={ox.Variable(k): to_oxigraph(v) for k, v in bindings.items()}
                )
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
                return (
                    [str(v) for v in result.vars or []],
                    _at_most((tuple(cast(ResultRow, row)) for row in result), max_rows, query),
                )
            except (InputError, RecursionError, MemoryError):
                raise
            except Exception as err:
                if not isinstance(query, Checked):
                    raise
                raise InputError(
                    f"{query.origin}: the rdflib engine cannot answer this query "
                    f"({type(err).__name__}: {' '.join(str(err).split())})"
                ) from None
        raise InputError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")

    def label(self, node: Node) -> str:
        return _label(self, node)

    def _label_values(self, node: Node) -> list[tuple[str, str | None]]:
        subject = to_oxigraph(node)
        if isinstance(subject, ox.Literal):  # a literal has no label
            return []
        return [
            (q.object.value, q.object.language)  # an index lookup
            for q in self.store.quads_for_pattern(subject, _LABEL, None)
            if isinstance(q.object, ox.Literal)
        ]


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
    """What imid-onto calls the node (the rule of imid_onto.model.claims.label), remembered per dataset."""
    if node not in dataset._labels:
        dataset._labels[node] = label_from(node, dataset._label_values(node))
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

    def select(
        self,
        query: str | Checked,
        bindings: Mapping[str, Identifier] | None = None,
        *,
        engine: str = "remote",
        max_rows: int | None = None,
    ):
        from imid_onto.io.endpoint import select

        text = query.text if isinstance(query, Checked) else query
        names, rows = select(self.endpoint, with_values(text, bindings or {}), default_graphs=list(self.default_graphs))
        return names, _at_most(rows, max_rows, query)

    def label(self, node: Node) -> str:
        return _label(self, node)

    def _label_values(self, node: Node) -> list[tuple[str, str | None]]:
        # pyoxigraph substitutes only variables of the projection: a bound one is selected too
        _, rows = self.select(
            f"SELECT ?node ?label WHERE {{ ?node <{RDFS.label}> ?label }}", {"node": cast(Identifier, node)}
        )
        return [(str(r[1]), r[1].language) for r in rows if isinstance(r[1], Literal)]


def with_values(text: str, bindings: Mapping[str, Identifier]) -> str:
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
        iri: URIRef | None
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
    return text[: brace + 1] + block + text[brace + 1 :]


def _fill(
    store: ox.Store,
    sources: list[Path],
    asserted_only: bool,
    inferred: Graph | None,
    reasoner: str,
    warn,
    keep: bool = False,
) -> tuple[str, str]:
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
        from imid_onto.reasoning.infer import infer_store

        # the reasoner sees these sources without their claims, summarized
        result = infer_store(store, keep=keep)
        inferred, reasoner, warning = result.inferred, result.reasoner, result.warning
        if warning and warn is not None:
            warn(warning)
    to_store(inferred, store)
    return reasoner, warning


def load_dataset(
    files: list[Path] | None = None,
    *,
    asserted_only: bool = False,
    inferred: Graph | None = None,
    reasoner: str = "given",
    warn=None,
    cache: bool = False,
) -> Dataset:
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
        cached = cached_store(
            sources,
            lambda store: _fill(store, sources, asserted_only, inferred, reasoner, None, True),
            inferred=not asserted_only,
        )
        if cached.warning and warn is not None:
            warn(cached.warning)
        return Dataset(cached.store, cached.reasoner, cached.path)
    store = ox.Store()
    dataset = Dataset(store)
    dataset.inference = _fill(store, sources, asserted_only, inferred, reasoner, warn)[0]
    return dataset


def with_dataset(use: Callable[[Dataset], T], files: list[Path] | None = None, *, cache: bool = False, **options) -> T:
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
            _, rows = dataset.select(
                "SELECT ?node ?predicate ?name WHERE { ?node ?predicate ?name }", {"predicate": predicate, "name": name}
            )
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
        raise InputError(
            f"{value!r} names several entities: {', '.join(sorted(curie(m) for m in matches))}; use an IRI or CURIE"
        )
    names = sorted({str(r[0]) for r in dataset.select(f"SELECT DISTINCT ?name WHERE {{ ?n <{RDFS.label}> ?name }}")[1]})
    close = difflib.get_close_matches(value, names, n=5, cutoff=0.6)
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise InputError(
        f"no entity named {value!r} (give an IRI, a CURIE such as ent:IKZF1, or a label such as IKZF1 or Ikaros){hint}"
    )
