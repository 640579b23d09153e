"""Running a named query or a user's: :func:`run_query` resolves each parameter (an IRI, a
CURIE or a label) to an entity, binds it as an RDF term (the query text never changes), runs
the query once per combination of values, unites and sorts the rows, and walks the causal
steps of a ``paths`` query into one row per reached node (:mod:`imid_onto.query.chains`). A
user's query runs within its :class:`~imid_onto.io.sparql_text.Limits`
(:mod:`imid_onto.query.bounded`). The binding and the walk: ``docs/design/named-queries.md``.
"""

from __future__ import annotations

from rdflib import URIRef

from imid_onto.errors import InputError
from imid_onto.query.bounded import bounded
from imid_onto.query.chains import walk
from imid_onto.query.dataset import Dataset, RemoteDataset, _too_many, resolve
from imid_onto.query.named import NamedQuery
from imid_onto.query.results import Table, _sort_key

__all__ = ["run_query"]


def run_query(
    dataset: Dataset | RemoteDataset,
    query: NamedQuery,
    params: dict[str, list[str]] | None = None,
    *,
    engine: str = "oxigraph",
) -> Table:
    """Answer ``query`` over ``dataset`` with ``params`` (name -> values; defaults where not
    given). A query with limits (a user's, :func:`user_query`) runs within them."""
    if query.limits is None:
        return _answer(dataset, query, params, engine)
    if engine == "rdflib" and isinstance(dataset, Dataset):
        _ = dataset.graph  # made here: the limits are the query's, loading is not part of it
    origin = query.checked.origin if query.checked is not None else query.name
    return bounded(query.limits, origin, lambda: _answer(dataset, query, params, engine))


def _answer(
    dataset: Dataset | RemoteDataset, query: NamedQuery, params: dict[str, list[str]] | None, engine: str
) -> Table:
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
            raise InputError(
                f"the {engine} engine cannot answer {query.name!r} here: it follows property paths "
                "such as p* by recursion and runs out of stack on chains of more than about 1,000 "
                "steps; use the oxigraph engine (--engine oxigraph, the default)"
            ) from None
        # A bound parameter is reported in its column even where the engine leaves it out.
        for row in found:
            rows.add(tuple(bindings.get(n, v) if v is None else v for n, v in zip(names, row, strict=True)))
    table = Table(names, sorted(rows, key=_sort_key))
    if query.paths:
        table = walk(dataset, query, table)
    if max_rows is not None and len(table.rows) > max_rows:  # several values of a parameter, or a walk
        raise _too_many(max_rows, query.checked or query.text)
    return table
