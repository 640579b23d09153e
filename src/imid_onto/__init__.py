"""imid-onto: the literature on molecular glue drugs as a validated, queryable knowledge graph.

The Python API (the ``imid-onto`` command is a thin layer over it)::

    >>> import imid_onto
    >>> graph = imid_onto.load_knowledge_base()      # rdflib.Graph
    >>> imid_onto.counts(graph).claims > 0
    True

The operations, each what the command of that name does: :func:`build`, :func:`validate`,
:func:`check` (:func:`check_ledgers`: its coverage-ledger part alone), :func:`reason`,
:func:`run_query` with :func:`load_dataset` and :func:`named_query`, and :func:`export` (the
claims as INDRA, BEL, GO-CAM, GraphML, CX2 or SSSOM). Without SPARQL: :func:`claims_frame`
and :func:`query_frame` (pandas DataFrames) and :func:`causal_graph` (a networkx
MultiDiGraph), with the ``frames`` extra. Every check reports :class:`Problem`\\ s; every
error is an :class:`ImidError` with its exit code. Heavy work (parsing, reasoning) happens
only when a function is called, never at import.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("imid-onto")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

from imid_onto.errors import (
    CheckFailed,
    DuplicateClaims,
    ImidError,
    InputError,
    MechanismUnavailable,
    ParseError,
    Problem,
    ReasonerUnavailable,
    RemoteError,
    Unsupported,
)

#: The rest of the API, imported on first use (PEP 562), so that ``imid-onto query`` does
#: not pay for importing the release builder, the site templates or the reasoner.
_LAZY = {
    "BuildResult": "publish.release",
    "build": "publish.release",
    "Claim": "model.claims",
    "read_claims": "model.claims",
    "ClaimRow": "model.claims",
    "Counts": "model.kb",
    "claim_rows": "model.claims",
    "counts": "model.kb",
    "load_knowledge_base": "model.kb",
    "load_ontology": "model.kb",
    "ValidationReport": "validation.report",
    "ValidationResult": "validation.report",
    "validate": "validation.report",
    "check": "validation.check",
    "check_ledgers": "validation.ledger",
    "read_ledger": "io.ledger",
    "Ledger": "io.ledger",
    "Inference": "reasoning.infer",
    "reason": "reasoning.infer",
    "Table": "query",
    "load_dataset": "query",
    "named_queries": "query",
    "named_query": "query",
    "run_query": "query",
    "format_table": "query",
    "Export": "publish.exports",
    "export": "publish.exports",
    "write_export": "publish.exports",
    "claims_frame": "publish.frames",
    "query_frame": "publish.frames",
    "causal_graph": "publish.frames",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public API as well as what is loaded: dir() and help() list the lazy names too."""
    return sorted({*globals(), *__all__})


__all__ = [
    "__version__",
    # the operations
    "build",
    "BuildResult",
    "validate",
    "ValidationReport",
    "ValidationResult",
    "check",
    "check_ledgers",
    "Problem",
    "reason",
    "Inference",
    "load_dataset",
    "named_query",
    "named_queries",
    "run_query",
    "format_table",
    "Table",
    "export",
    "write_export",
    "Export",
    # pandas and networkx (pip install 'imid-onto[frames]')
    "claims_frame",
    "query_frame",
    "causal_graph",
    # the knowledge base
    "load_ontology",
    "load_knowledge_base",
    "counts",
    "Counts",
    "Claim",
    "read_claims",
    "claim_rows",
    "ClaimRow",
    "read_ledger",
    "Ledger",
    # errors
    "ImidError",
    "InputError",
    "ParseError",
    "CheckFailed",
    "DuplicateClaims",
    "ReasonerUnavailable",
    "RemoteError",
    "Unsupported",
    "MechanismUnavailable",
]
