"""RO speakers get answers: imid-kb-full.ttl restates every asserted edge with the RO (and
BFO) relations its imid relation is a sub-property of, so that ``?s obo:RO_0002304 ?o``
answers; one query for each RO or BFO relation the knowledge base's relations stand under
(or use). Hypotheses and other claims that do not stand give no RO edge. (Why and how:
docs/design/release.md, docs/design/owl.md.)"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from imid_onto.io.rdf import read_graph
from imid_onto.model.claims import read_claims
from imid_onto.publish.kb_ontology import ro_edges
from imid_onto.vocab import OBO, RDFS

EXTERNAL = (f"{OBO}RO_", f"{OBO}BFO_")


@pytest.fixture(scope="module")
def full(release):
    out, _ = release
    store = ox.Store()
    store.load(path=out / "imid-kb-full.ttl", format=ox.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="module")
def kb(release):
    out, _ = release
    return read_graph(out / "imid-kb.ttl")


def ro_relations_used(kb) -> list[str]:
    """The RO and BFO relations the knowledge base's edges are stated with, or stand under."""
    used = set()
    for predicate in set(kb.predicates()):
        for relation in kb.transitive_objects(predicate, RDFS.subPropertyOf):
            if str(relation).startswith(EXTERNAL):
                used.add(str(relation))
    return sorted(used)


def test_every_ro_relation_used_answers(full, kb):
    relations = ro_relations_used(kb)
    assert {f"{OBO}RO_0002304", f"{OBO}RO_0002305", f"{OBO}RO_0002411", f"{OBO}RO_0002233"} <= set(relations)
    unanswered = []
    for relation in relations:
        rows = list(full.query(f"SELECT ?s ?o WHERE {{ ?s <{relation}> ?o }} LIMIT 1"))
        if not rows:
            unanswered.append(relation)
    assert unanswered == []


def test_an_ro_query_finds_what_the_imid_relation_says(full):
    """Thalidomide's anti-myeloma activity (claim KG-01), asked in RO's terms: the drug
    acts upstream of the activity (imid:actsUpstreamOfPositiveEffect), so RO's
    "acts upstream of, positive effect"."""
    query = f"""SELECT ?o WHERE {{ <https://w3id.org/imid-onto/kb/entity/thalidomide> <{OBO}RO_0004034> ?o }}"""
    found = {solution["o"].value for solution in full.query(query)}
    assert "https://w3id.org/imid-onto/kb/entity/anti-myeloma-activity" in found


def test_only_standing_claims_give_ro_edges(full, kb):
    """Every RO edge restates an asserted edge: none comes from a hypothesis, an open
    question, a superseded or a negated claim alone."""
    expected = {(str(s), str(p), str(o)) for s, p, o in ro_edges(kb)}
    expected |= {(str(s), str(p), str(o)) for s, p, o in kb if str(p).startswith(EXTERNAL)}
    solutions = full.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    found = {(s.value, p.value, o.value) for s, p, o in solutions if p.value.startswith(EXTERNAL)}
    assert found == expected
    asserted = set(kb)

    def ancestors(relation):
        return {str(a) for a in kb.transitive_objects(relation, RDFS.subPropertyOf) if str(a).startswith(EXTERNAL)}

    for claim in read_claims(kb):
        s, p, o = claim.edge
        if claim.stands or (s, p, o) in asserted:
            continue
        # what only this claim would give: its relation's RO ancestors no asserted edge
        # between the same two gives
        given = {a for p2 in kb.predicates(s, o) for a in ancestors(p2)}
        for relation in ancestors(p) - given:
            assert (str(s), relation, str(o)) not in found, f"{claim.iri} ({claim.status}) is asserted in RO's terms"
