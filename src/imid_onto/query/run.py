"""The competency questions: named SPARQL queries in ``queries/``, and how they are run.

Each ``queries/<name>.rq`` starts with a header of ``# key: value`` lines: ``title``,
``question``, ``param: name = default, default | help`` (one line per parameter),
``columns`` and, for the queries that follow causal chains, ``paths``. The rest is plain
SPARQL 1.1 that runs on any engine.

A parameter is given as an IRI, a CURIE or a label / synonym (IKZF1, Ikaros,
lenalidomide), resolved to the entity, and bound as an RDF term (pyoxigraph
``substitutions``, rdflib ``initBindings``): the query text never changes. A parameter
with several values runs the query once per value and unites the rows.

Queries with a ``paths`` header return causal steps (one row per supporting claim);
imid-onto walks them breadth-first from the start (or back from the end), so each reached
node is reported once with its shortest chain: the number of steps, the composed
direction, the chain's status (its weakest step), the path, and the claims and studies of
each step. The walk is a loop, not recursion: a chain of any length works.

Rows are sorted, so the same data gives the same answer on every engine.

A user's query (:func:`user_query`, ``query --file``) is checked first (a SELECT that
reaches no network and changes nothing: imid_onto.io.sparql_text), and runs in a forked
process bounded in time, rows and memory (:class:`Limits`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import URIRef

from imid_onto.errors import InputError

if TYPE_CHECKING:
    pass
from imid_onto.query.bounded import bounded
from imid_onto.query.chains import walk
from imid_onto.query.dataset import Dataset, RemoteDataset, _too_many, resolve
from imid_onto.query.named import NamedQuery
from imid_onto.query.results import Table, _sort_key

__all__ = ['run_query']


def run_query(dataset: Dataset | RemoteDataset, query: NamedQuery, params: dict[str, list[str]] | None = None,
              *, engine: str = "oxigraph") -> Table:
    """Answer ``query`` over ``dataset`` with ``params`` (name -> values; defaults where not
    given). A query with limits (a user's, :func:`user_query`) runs within them."""
    if query.limits is None:
        return _answer(dataset, query, params, engine)
    if engine == "rdflib" and isinstance(dataset, Dataset):
        dataset.graph  # made here: the limits are the query's, loading is not part of it
    origin = query.checked.origin if query.checked is not None else query.name
    return bounded(query.limits, origin, lambda: _answer(dataset, query, params, engine))


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
        table = walk(dataset, query, table)
    if max_rows is not None and len(table.rows) > max_rows:  # several values of a parameter, or a walk
        raise _too_many(max_rows, query.checked or query.text)
    return table
