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

from .build import BuildResult, build
from .errors import CheckFailed, ImidError, InputError, ParseError, ReasonerUnavailable
from .kb import ClaimRow, Counts, claim_rows, counts, load_knowledge_base, load_ontology
from .reasoning import ReasoningResult, reason

__all__ = [
    "__version__",
    "load_ontology",
    "load_knowledge_base",
    "counts",
    "Counts",
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
