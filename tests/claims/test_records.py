"""Claim records (kb/claims/*.yaml, imid_onto.io.records): expanded to today's claim model,
errors at file:line, canonical form, and a new record to fill in."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from imid_onto import paths
from imid_onto.io import records
from imid_onto.io.rdf import read_graphs
from imid_onto.vocab import IMID, OA, RDF

#: The 188 claims as they were written in Turtle before the records (kept to prove the conversion).
BEFORE = sorted((Path(__file__).parent / "fixtures" / "claims-before").glob("*.ttl"))

needs_sources = pytest.mark.skipif(paths.sources_dir() is None, reason="source texts (../shared/sources) absent")


def _selected(graph: Graph, text: dict[URIRef, str]) -> dict[URIRef, list[int]]:
    """Where in its (normalised) document each claim's quote selector points."""
    found = {}
    for claim, quote in graph.subject_objects(IMID.hasQuote):
        selector = next(s for s in graph.objects(quote, OA.hasSelector) if (s, RDF.type, OA.TextQuoteSelector) in graph)
        source = graph.value(quote, OA.hasSource)
        exact, prefix, suffix = (graph.value(selector, p) for p in (OA.exact, OA.prefix, OA.suffix))
        found[claim] = records.occurrences(
            text[source], records.normalise(str(exact)), prefix and str(prefix), suffix and str(suffix)
        )
    return found


def _without_anchors(graph: Graph) -> Graph:
    """``graph`` less what the expansion derives: prefixes, suffixes and position selectors."""
    kept = Graph()
    positions = set(graph.subjects(RDF.type, OA.TextPositionSelector))
    for s, p, o in graph:
        if p in (OA.prefix, OA.suffix) or s in positions or o in positions:
            continue
        kept.add((s, p, o))
    return kept


@needs_sources
def test_the_records_expand_to_the_claims_of_before():
    before, after = read_graphs(BEFORE), read_graphs(paths.claim_files())
    assert len(set(after.subjects(RDF.type, IMID.Claim))) == 188
    assert isomorphic(_without_anchors(before), _without_anchors(after))
    # the derived prefix and suffix select the very occurrence the hand-typed ones did
    texts = {
        doc: records._source_text(doc).text  # type: ignore[union-attr]
        for doc in set(after.objects(None, OA.hasSource))
    }
    assert _selected(after, texts) == _selected(before, texts)
    assert all(len(where) == 1 for where in _selected(after, texts).values())
    assert len(set(after.subjects(RDF.type, OA.TextPositionSelector))) == 188
