"""Trusty URIs: the RA artifact code of a set of quads, so that any change to them is seen.

The quads are built with :data:`PLACEHOLDER` where the code will go, the code is computed
over their normal form (:func:`artifact_code`: module RA of Kuhn and Dumontier's Trusty
URIs, the same code as the nanopublication tools compute, which the tests check with
``nanopub-sign``), and the placeholder is replaced by it (:func:`with_code`). The normal
form and why: ``docs/design/nanopublications.md``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from imid_onto.io.rdf import to_oxigraph

__all__ = ["PLACEHOLDER", "Quad", "artifact_code", "normal_form", "with_code", "is_artifact_code"]

Quad = tuple[Node, Node, Node, Node]  # subject, predicate, object, graph

#: Stands for the artifact code while it is computed: as long as one (``RA`` and 43 characters
#: of base64), made of characters a code may hold, and never a code (a SHA-256 digest ending in
#: 43 underscores is not to be met).
PLACEHOLDER = "RA" + "_" * 43

_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def is_artifact_code(text: str) -> bool:
    """Whether ``text`` has the form of an RA artifact code (``RA`` and 43 base64url characters)."""
    return len(text) == 45 and text.startswith("RA") and set(text[2:]) <= _ALPHABET and text != PLACEHOLDER


def _iri(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph, placeholder: str) -> str:
    if not isinstance(term, ox.NamedNode):
        raise ValueError(f"{term}: a Trusty URI's content has IRIs and literals only (name blank nodes first)")
    return term.value.replace(placeholder, " ")


def normal_form(quads: Iterable[Quad], placeholder: str = PLACEHOLDER) -> str:
    """The RA normal form of ``quads`` (the text that is hashed): four lines a quad (graph,
    subject, predicate, object), sorted by graph, subject, predicate, then the object's
    language, datatype and value; ``placeholder`` in an IRI stands as one space; a literal is
    ``@lang value`` or ``^datatype value``, its backslashes and line feeds escaped."""
    rows = []
    for s, p, o, g in quads:
        obj = to_oxigraph(o)
        if isinstance(obj, ox.Literal):
            language = obj.language or ""
            datatype = obj.datatype.value
            value = obj.value.replace("\\", "\\\\").replace("\n", "\\n")
        else:
            language, datatype, value = "", "", _iri(obj, placeholder)
        rows.append(
            (
                _iri(to_oxigraph(g), placeholder),
                _iri(to_oxigraph(s), placeholder),
                _iri(to_oxigraph(p), placeholder),
                language,
                datatype,
                value,
            )
        )
    lines = []
    for graph, subject, predicate, language, datatype, value in sorted(set(rows)):
        shown = f"@{language} {value}" if language else f"^{datatype} {value}" if datatype else value
        lines.append(f"{graph}\n{subject}\n{predicate}\n{shown}\n")
    return "".join(lines)


def artifact_code(quads: Iterable[Quad], placeholder: str = PLACEHOLDER) -> str:
    """The RA artifact code of ``quads``, built with ``placeholder`` where the code goes."""
    digest = hashlib.sha256(normal_form(quads, placeholder).encode("utf-8")).digest()
    return "RA" + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def with_code(quads: Iterable[Quad], code: str, placeholder: str = PLACEHOLDER) -> list[Quad]:
    """``quads`` with ``placeholder`` replaced by ``code`` in every IRI."""

    def put(term: Node) -> Node:
        return URIRef(str(term).replace(placeholder, code)) if isinstance(term, URIRef) else term

    return [(put(s), put(p), put(o), put(g)) for s, p, o, g in quads]
