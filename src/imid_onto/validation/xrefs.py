"""Integrity checks of the knowledge base that need the shared reference material."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef

from imid_onto.errors import Problem
from imid_onto.model.identifiers import converter, read_identifier_table
from imid_onto.vocab import OBOINOWL, SKOS

__all__ = ["check_identifiers"]


def check_identifiers(graph: Graph, table: Path) -> list[Problem]:
    """Problems with external ids, on the entity (``focus``; no file or line): every xref
    CURIE must be a verified row of the table, and every skos:exactMatch IRI must expand from
    one of the entity's xrefs."""
    rows = read_identifier_table(table)
    conv = converter()
    problems: list[Problem] = []
    for entity, xref in sorted(graph.subject_objects(OBOINOWL.hasDbXref)):
        row = rows.get(str(xref))
        if row is None:
            problems.append(Problem(focus=str(entity), message=f"{entity}: xref {xref} is not in the identifier table"))
        elif not row.verified:
            problems.append(
                Problem(
                    focus=str(entity), message=f"{entity}: xref {xref} is marked unverified in the identifier table"
                )
            )
    for entity, match in sorted(graph.subject_objects(SKOS.exactMatch)):
        if not isinstance(match, URIRef) or not str(entity).startswith("https://w3id.org/imid-onto/kb/"):
            continue
        xrefs = {conv.expand(str(x)) for x in graph.objects(entity, OBOINOWL.hasDbXref)}
        if str(match) not in xrefs:
            problems.append(
                Problem(focus=str(entity), message=f"{entity}: exactMatch {match} is not the IRI of any of its xrefs")
            )
    return problems
