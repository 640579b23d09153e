"""imid-onto: the literature on molecular glue drugs as a validated, queryable knowledge graph.

The Python API (the ``imid-onto`` command is a thin layer over it)::

    >>> import imid_onto
    >>> graph = imid_onto.load_knowledge_base()      # rdflib.Graph
    >>> imid_onto.counts(graph).claims > 0
    True

Heavy work (parsing, reasoning) happens only when a function is called, never at import.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("imid-onto")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

from imid_onto.errors import CheckFailed, ImidError, InputError, ParseError, ReasonerUnavailable

#: The rest of the API, imported on first use (PEP 562), so that ``imid-onto query`` does
#: not pay for importing the release builder, the site templates or the reasoner.
_LAZY = {
    "BuildResult": "publish.release", "build": "publish.release",
    "Claim": "model.claims", "read_claims": "model.claims",
    "ClaimRow": "model.claims", "Counts": "model.kb", "claim_rows": "model.claims", "counts": "model.kb",
    "load_knowledge_base": "model.kb", "load_ontology": "model.kb",
    "ReasoningResult": "reason.infer", "reason": "reason.infer",
}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "__version__",
    "load_ontology",
    "load_knowledge_base",
    "counts",
    "Counts",
    "Claim",
    "read_claims",
    "claim_rows",
    "ClaimRow",
    "reason",
    "ReasoningResult",
    "build",
    "BuildResult",
    "ImidError",
    "InputError",
    "ParseError",
    "CheckFailed",
    "ReasonerUnavailable",
]
