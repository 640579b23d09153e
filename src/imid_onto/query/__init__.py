"""Querying: the named competency questions (``queries/*.rq``) and a user's SELECT, run over
the knowledge base in a store or at a SPARQL endpoint, with parameters bound as RDF terms.

>>> from imid_onto.query import load_dataset, named_query, run_query
"""

from imid_onto.io.sparql_text import Limits, check_query
from imid_onto.query.dataset import (
    ENGINES,
    Dataset,
    RemoteDataset,
    dataset_from_graph,
    load_dataset,
    resolve,
    with_dataset,
    with_values,
)
from imid_onto.query.named import (
    NamedQuery,
    Param,
    named_queries,
    named_query,
    read_query,
    user_query,
)
from imid_onto.query.results import Table, format_table
from imid_onto.query.run import run_query

__all__ = [
    "ENGINES",
    "Dataset",
    "Limits",
    "NamedQuery",
    "Param",
    "RemoteDataset",
    "Table",
    "check_query",
    "dataset_from_graph",
    "format_table",
    "load_dataset",
    "named_queries",
    "named_query",
    "read_query",
    "resolve",
    "run_query",
    "user_query",
    "with_dataset",
    "with_values",
]
