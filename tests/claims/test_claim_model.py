"""The claim model (imid_onto.model.claims): the reader on the shipped knowledge base and on
odd input, each rule, and every copy of a rule outside Python (the query files, the shapes,
the CLI's status names) proved equal to the one source, by running it where it is SPARQL."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from itertools import product
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from imid_onto import paths
from imid_onto.io.rdf import load_store, to_store
from imid_onto.model.claims import (
    CAUSAL_RELATIONS,
    CONTEXTS,
    NOT_FOLLOWED_STATUSES,
    STANDING_EDGE_PATTERN,
    STATUS_ORDER,
    STATUSES,
    WITHDRAWN_STATUSES,
    Claim,
    Provenance,
    Quote,
    label,
    label_from,
    read_claims,
)
from imid_onto.model.kb import sources
from imid_onto.vocab import CLAIM, DOC, ENT, IMID, IMS, OBO, PROV, RDF, RDFS, SH

IB = "https://w3id.org/imid-onto/kb/claim/IB-"


@pytest.fixture(scope="module")
def shipped(kb_graph):
    return read_claims(kb_graph)


# --- the reader --------------------------------------------------------------------------


def test_the_reader_reads_every_shipped_claim_in_iri_order(shipped):
    assert len(shipped) == 210
    assert [str(c.iri) for c in shipped] == sorted(str(c.iri) for c in shipped)
    assert [str(c.iri).rsplit("/", 1)[1] for c in shipped[:3]] == ["IB-01", "IB-02", "IB-03"]
    assert Counter(c.status for c in shipped) == {
        IMID.EstablishedFinding: 147,
        IMID.Hypothesis: 15,
        IMID.OpenQuestion: 21,
        IMID.Interpretation: 8,
        IMID.HistoricalProposal: 19,
    }
    assert sum(c.negated for c in shipped) == 5
    assert sum(c.stands for c in shipped) == 141
    assert sum(c.followed for c in shipped) == 121
    assert sum(len(c.replaced_by) for c in shipped) == 5
    assert [len(c.quotes) for c in shipped] == [1] * 210
    # derived at load (imid_onto.io.records): the fewest words before, else after, that pick the occurrence
    assert (sum(1 for c in shipped if c.quote.prefix), sum(1 for c in shipped if c.quote.suffix)) == (20, 10)


def test_one_shipped_claim_in_full(shipped):
    by_iri = {c.iri: c for c in shipped}
    assert by_iri[URIRef(IB + "03")] == Claim(
        iri=URIRef(IB + "03"),
        subject=ENT["microenvironment-immune-modulation"],
        relation=IMID.causallyUpstreamOfPositiveEffect,
        object=ENT["CLL-clinical-activity"],
        status=IMID.HistoricalProposal,
        negated=False,
        evidence=OBO.ECO_0000304,
        studies=(DOC["inside-blood-2014"],),
        quotes=(
            Quote(
                DOC["inside-blood-2014"],
                "Thus far, the clinical activity of this drug in CLL was believed "
                "to be mainly via the microenvironment.",
            ),
        ),
        context=((IMID.contextDisease, ENT.CLL), (IMID.contextSystem, IMID.ClinicalObservation)),
        replaced_by=(CLAIM["IB-22"],),
        provenance=Provenance(
            (URIRef("https://w3id.org/imid-onto/kb/agent/curators"),),
            (URIRef("https://w3id.org/imid-onto/kb/activity/curation-2026-11"),),
            (Literal("2026-11-21T00:00:00Z", datatype=XSD.dateTime, normalize=False),),
        ),
        reported_in=DOC["inside-blood-2014"],
    )
    assert by_iri[URIRef(IB + "04")].quote == Quote(
        DOC["inside-blood-2014"],
        "Binding of lenalidomide to cereblon induces p21WAF1/Cip1 upregulation and cell cycle arrest in CLL cells.",
        prefix="microenvironment.1 The proposed mode of action of lenalidomide.",  # derived: the fewest words
    )


def test_a_graph_and_a_store_give_the_same_claims(shipped):
    assert read_claims(load_store(sources())) == shipped


ODD = """
@prefix claim: <https://w3id.org/imid-onto/kb/claim/> . @prefix doc: <https://w3id.org/imid-onto/kb/doc/> .
@prefix ent: <https://w3id.org/imid-onto/kb/entity/> . @prefix imid: <https://w3id.org/imid-onto/ontology#> .
@prefix oa: <http://www.w3.org/ns/oa#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
claim:X-1 a imid:Claim ; rdf:subject ent:b, ent:a ; rdf:predicate imid:binds ; rdf:object ent:c ;
  imid:hasStatus imid:Hypothesis, imid:EstablishedFinding ; imid:isNegated false, true ;
  prov:wasDerivedFrom doc:s2, doc:s1 ; imid:contextDisease ent:d ; rdfs:comment "not read" ;
  imid:hasQuote [ oa:hasSource doc:z ; oa:hasSelector [ oa:exact "zz" ] ],
                [ oa:hasSource doc:y ; oa:hasSelector [ oa:exact "bb" ; oa:suffix "after" ] ] .
claim:X-10 a imid:Claim .
claim:X-2 a imid:Claim ; imid:hasQuote [ oa:hasSelector [ oa:exact "no source" ] ], "a literal" .
_:anonymous a imid:Claim ; imid:isNegated false .
"""


def test_the_reader_on_odd_claims():
    """Several values where the shapes allow one: the least in N-Triples order; a negation
    that is true once is true; quotes ordered by document, then text; a claim with no fields."""
    graph = Graph().parse(data=ODD, format="turtle")
    claims = read_claims(graph)
    assert read_claims(to_store(graph)) == claims
    assert [c.iri for c in claims[:3]] == [CLAIM["X-1"], CLAIM["X-10"], CLAIM["X-2"]]
    assert isinstance(claims[3].iri, BNode) and claims[3] == Claim(claims[3].iri)
    one = claims[0]
    assert (one.subject, one.status, one.negated, one.studies) == (
        ENT.a,
        IMID.EstablishedFinding,
        True,
        (DOC.s1, DOC.s2),
    )
    assert one.quotes == (Quote(DOC.y, "bb", suffix="after"), Quote(DOC.z, "zz")) and one.quote.source == DOC.y
    assert one.context == ((IMID.contextDisease, ENT.d),) and not one.stands  # negated
    assert claims[1] == Claim(CLAIM["X-10"])
    assert claims[2].quotes == (Quote(None, None), Quote(None, "no source"))


# --- the rules ---------------------------------------------------------------------------


def test_status_order_and_its_copies():
    from imid_onto.cli import STATUS_CHOICES
    from imid_onto.publish.mechanism import STATUS_STYLE

    assert (
        IMID.EstablishedFinding,
        IMID.Hypothesis,
        IMID.OpenQuestion,
        IMID.Interpretation,
        IMID.HistoricalProposal,
        IMID.Superseded,
    ) == STATUS_ORDER
    assert list(STATUSES) == STATUS_CHOICES  # the CLI keeps its own copy: it imports no rdflib at start-up
    assert list(STATUS_STYLE) == list(STATUS_ORDER)  # the diagram's legend, in the same order


def test_the_shapes_close_the_statuses_in_the_same_order():
    shapes = Graph().parse(paths.shapes_dir() / "imid-shapes.ttl")
    from rdflib.collection import Collection

    assert tuple(Collection(shapes, shapes.value(IMS.ClaimStatusShape, SH["in"]))) == STATUS_ORDER


def test_the_shapes_close_the_question_kinds_and_qualifiers_a_curator_may_write():
    """The names ``asks:`` and ``qualifiers:`` take (vocab) are the shapes' closed lists."""
    from rdflib.collection import Collection

    from imid_onto.vocab import QUALIFIERS, QUESTION_KINDS

    shapes = Graph().parse(paths.shapes_dir() / "imid-shapes.ttl")
    closed = {
        shape: set(Collection(shapes, shapes.value(shape, SH["in"])))
        for shape in (IMS.ClaimAsksShape, IMS.ClaimQualifierShape)
    }
    assert closed[IMS.ClaimAsksShape] == set(QUESTION_KINDS.values())
    assert closed[IMS.ClaimQualifierShape] == set(QUALIFIERS.values())


def test_causal_relations_are_the_ontologys_and_their_signs_follow_their_names(ontology_graph):
    """Two families: process -> process (causally upstream of, under RO:0002411) and
    continuant -> process (acts upstream of, its signed forms under RO:0004034/RO:0004035)."""
    roots = (IMID.causallyUpstreamOf, IMID.actsUpstreamOf)
    derived = {r for root in roots for r in ontology_graph.transitive_subjects(RDFS.subPropertyOf, root)}
    assert set(CAUSAL_RELATIONS) == derived
    assert {
        IMID.causallyUpstreamOf: 0,
        IMID.causallyUpstreamOfPositiveEffect: 1,
        IMID.causallyUpstreamOfNegativeEffect: -1,
        IMID.actsUpstreamOf: 0,
        IMID.actsUpstreamOfPositiveEffect: 1,
        IMID.actsUpstreamOfNegativeEffect: -1,
    } == CAUSAL_RELATIONS
    obo = "http://purl.obolibrary.org/obo/"
    for relation, ro in [
        (IMID.causallyUpstreamOfPositiveEffect, "RO_0002304"),
        (IMID.causallyUpstreamOfNegativeEffect, "RO_0002305"),
        (IMID.actsUpstreamOfPositiveEffect, "RO_0004034"),
        (IMID.actsUpstreamOfNegativeEffect, "RO_0004035"),
    ]:
        assert (relation, RDFS.subPropertyOf, URIRef(obo + ro)) in ontology_graph


def test_contexts_are_the_ontologys_context_properties(ontology_graph):
    declared = {p for p in ontology_graph.subjects(RDFS.domain, IMID.Claim) if str(p).startswith(IMID + "context")}
    assert set(CONTEXTS) == declared


RELATIONS = [*CAUSAL_RELATIONS, IMID.binds]
NEGATIONS = [None, Literal(False), Literal(True)]
START, PROTEIN = ENT["table-start"], ENT["table-protein"]


def _add_claim(graph, claim, subject, relation, target, status, negation=None, independent=False, question=False):
    """The claim's reified triples, from DOC.study (its plain edge is the caller's to add)."""
    for p, o in [
        (RDF.type, IMID.Claim),
        (RDF.subject, subject),
        (RDF.predicate, relation),
        (RDF.object, target),
        (IMID.hasStatus, status),
        (PROV.wasDerivedFrom, DOC.study),
    ]:
        graph.add((claim, p, o))
    if negation is not None:
        graph.add((claim, IMID.isNegated, negation))
    if independent:
        graph.add((claim, IMID.hasQualifier, IMID.Independent))
    if question:
        graph.add((claim, RDF.type, IMID.Question))


def _table() -> tuple[Graph, dict[URIRef, tuple]]:
    """One claim for each relation, status and negation, each from START to a target of its
    own, START being the degradation of PROTEIN; every claim's edge also as a plain triple.
    Besides (not in the returned combinations): for each relation an established claim
    qualified independent (``I-``), and a question (``Q-1``), which neither stands nor is followed."""
    graph = Graph()
    graph.add((START, RDF.type, IMID.ProteasomalDegradation))
    graph.add((START, IMID.hasInput, PROTEIN))
    combos = {}
    for i, (relation, status, negation) in enumerate(product(RELATIONS, STATUS_ORDER, NEGATIONS)):
        claim, target = CLAIM[f"T-{i}"], ENT[f"table-target-{i}"]
        _add_claim(graph, claim, START, relation, target, status, negation)
        graph.add((START, relation, target))
        combos[claim] = (relation, status, negation)
    for i, relation in enumerate(RELATIONS):
        claim, target = CLAIM[f"I-{i}"], ENT[f"table-independent-{i}"]
        _add_claim(graph, claim, START, relation, target, IMID.EstablishedFinding, independent=True)
        graph.add((START, relation, target))
    question = CLAIM["Q-1"]
    for p, o in [
        (RDF.type, IMID.Claim),
        (RDF.type, IMID.Question),
        (IMID.asks, IMID.MechanismQuestion),
        (IMID.isAbout, CLAIM["T-0"]),
        (IMID.isAbout, START),
        (IMID.hasStatus, IMID.EstablishedFinding),
        (PROV.wasDerivedFrom, DOC.study),
    ]:
        graph.add((question, p, o))
    return graph, combos


def _both(graph: Graph, query: str, column: str) -> set:
    """``column`` of ``query``'s answers, equal on rdflib and on pyoxigraph."""
    by_rdflib = {row[column] for row in graph.query(query)}
    by_oxigraph = {URIRef(row[column].value) for row in to_store(graph).query(query)}
    assert by_rdflib == by_oxigraph
    return by_rdflib


def test_stands_and_followed_over_every_relation_status_and_negation():
    graph, combos = _table()
    claims = {c.iri: c for c in read_claims(graph)}
    assert len(combos) == 7 * 6 * 3 and len(claims) == len(combos) + 7 + 1
    for iri, (relation, status, negation) in combos.items():
        negated = negation == Literal(True)
        assert claims[iri].stands == (status == IMID.EstablishedFinding and not negated)
        assert claims[iri].followed == (
            relation in CAUSAL_RELATIONS and status not in NOT_FOLLOWED_STATUSES and not negated
        )
    independent = [c for c in claims.values() if str(c.iri).startswith(CLAIM["I-"])]
    assert len(independent) == 7 and all(c.independent and not c.stands and not c.followed for c in independent)
    question = claims[CLAIM["Q-1"]]
    assert question.is_question and question.asks == IMID.MechanismQuestion
    assert question.about == (CLAIM["T-0"], START) and question.edge == (None, None, None)
    assert not question.stands and not question.followed
    assert set(NOT_FOLLOWED_STATUSES) == {IMID.Interpretation, IMID.HistoricalProposal, IMID.Superseded}


def test_the_standing_edge_pattern_is_the_stands_rule():
    graph, _ = _table()
    standing = {c.iri for c in read_claims(graph) if c.stands}
    assert len(standing) == 14  # 7 relations, 2 negations that are not true
    assert _both(graph, f"SELECT ?claim WHERE {{ {STANDING_EDGE_PATTERN} }}", "claim") == standing


def test_the_cycle_checks_steps_are_the_followed_rule():
    from imid_onto.validation.cycles import _CLAIM_STEPS

    graph, _ = _table()
    followed = {c.iri for c in read_claims(graph) if c.followed}
    assert len(followed) == 36  # 6 causal relations, 3 followed statuses, 2 negations that are not true
    assert _both(graph, _CLAIM_STEPS, "claim") == followed


@pytest.mark.parametrize("name", ["downstream-effects", "upstream-causes"])
def test_the_causal_query_files_follow_the_followed_rule(name):
    """The walks' query files keep their own relation list (a query must run on an endpoint
    that holds the knowledge base without the ontology): it answers as Claim.followed does."""
    graph, _ = _table()
    followed = {c.iri for c in read_claims(graph) if c.followed}
    text = (paths.queries_dir() / f"{name}.rq").read_text(encoding="utf-8")
    assert _both(graph, text, "claim") == followed


def _degradation_table() -> Graph:
    """START (the degradation of PROTEIN) induces the degradation of ``table-degraded``, once
    for each status, negation, qualifier "independent" or not, and question or not (``D-``);
    that degradation is causally upstream of ``table-effect`` (``E-1``, followed), so both
    walks reach every degradation claim."""
    graph = Graph()
    degraded, degradation = ENT["table-degraded"], ENT["table-degradation"]
    for event, protein in [(START, PROTEIN), (degradation, degraded)]:
        graph.add((event, RDF.type, IMID.ProteasomalDegradation))
        graph.add((event, IMID.hasInput, protein))
    finding = (IMID.EstablishedFinding, None, False, False)  # not negated, independent or a question
    steps = [(CLAIM["E-1"], degradation, IMID.causallyUpstreamOf, ENT["table-effect"], *finding)]
    steps += [
        (CLAIM[f"D-{i}"], START, IMID.inducesDegradationOf, degraded, *combo)
        for i, combo in enumerate(product(STATUS_ORDER, NEGATIONS, [False, True], [False, True]))
    ]
    for step in steps:
        _add_claim(graph, *step)
    return graph


@pytest.mark.parametrize("name", ["downstream-effects", "upstream-causes"])
def test_the_causal_query_files_follow_the_followed_rule_in_degradation(name):
    """The walks' degradation step (a claim that something induces the degradation of a
    protein) keeps its own copy of the filters: it follows a claim as Claim.followed would
    a causal one."""
    graph = _degradation_table()
    claims = read_claims(graph)
    assert len(claims) == 6 * 3 * 2 * 2 + 1
    walked = {c.iri for c in claims if replace(c, relation=IMID.causallyUpstreamOf).followed}
    assert len(walked) == 3 * 2 + 1  # 3 followed statuses, 2 negations that are not true; and E-1
    text = (paths.queries_dir() / f"{name}.rq").read_text(encoding="utf-8")
    assert _both(graph, text, "claim") == walked


def test_the_conflicts_query_pairs_the_signed_relations():
    text = (paths.queries_dir() / "conflicts.rq").read_text(encoding="utf-8")
    pairs = re.findall(r"\?relation = imid:(\w+) && \?otherRelation = imid:(\w+)", text)
    assert {tuple(CAUSAL_RELATIONS[IMID[name]] for name in pair) for pair in pairs} == {(1, -1)}
    positive = {r for r, sign in CAUSAL_RELATIONS.items() if sign == 1}
    assert {IMID[first] for first, _ in pairs} == positive  # one pair per family of causal relations
    increasing = re.search(r"\?claimNegated \|\| \?relation IN \(([^)]*)\)", text).group(1)
    assert {IMID[name] for name in re.findall(r"imid:(\w+)", increasing)} == positive


def test_the_conflicts_query_leaves_out_superseded_claims():
    """A claim that the cause increases an effect against one that it decreases it, for every
    pair of statuses: a contradiction exactly where neither is superseded nor a historical
    proposal."""
    graph = Graph()
    expected = set()
    for i, (first, second) in enumerate(product(STATUS_ORDER, repeat=2)):
        pair = []
        for j, (relation, status) in enumerate(
            [(IMID.causallyUpstreamOfPositiveEffect, first), (IMID.causallyUpstreamOfNegativeEffect, second)]
        ):
            claim = CLAIM[f"C-{i}-{j}"]
            for p, o in [
                (RDF.type, IMID.Claim),
                (RDF.subject, ENT[f"cause-{i}"]),
                (RDF.predicate, relation),
                (RDF.object, ENT[f"effect-{i}"]),
                (IMID.hasStatus, status),
            ]:
                graph.add((claim, p, o))
            pair.append(claim)
        expected.add(tuple(pair))
    claims = {c.iri: c for c in read_claims(graph)}
    gone = set(WITHDRAWN_STATUSES)
    expected = {(a, b) for a, b in expected if not gone & {claims[a].status, claims[b].status}}
    text = (paths.queries_dir() / "conflicts.rq").read_text(encoding="utf-8")
    found = {(row["claim"], row["other"]) for row in graph.query(text) if str(row["kind"]) == "contradiction"}
    assert len(expected) == len(set(STATUS_ORDER) - gone) ** 2 and found == expected
    by_oxigraph = {
        (URIRef(row["claim"].value), URIRef(row["other"].value))
        for row in to_store(graph).query(text)
        if row["kind"].value == "contradiction"
    }
    assert by_oxigraph == expected


def _shape_select(shapes: Graph, shape: URIRef) -> str:
    select = str(shapes.value(shapes.value(shape, SH.sparql), SH.select))
    prefixes = "".join(f"PREFIX {p}: <{n}>\n" for p, n in shapes.namespaces() if p)
    return prefixes + select.replace("$this", "?this")


def _filter_lists(text: str, test: str) -> list[set[URIRef]]:
    """The terms of each ``FILTER (<test> (...))`` in a query, ``test`` being, say, ``?path IN``."""
    return [
        {
            URIRef(OBO[n.split(":")[1]]) if n.startswith("obo:") else IMID[n.split(":")[1]]
            for n in re.findall(r"\w+:\w+", names)
        }
        for names in re.findall(rf"FILTER \({re.escape(test)} \(([^)]*)\)\)", text)
    ]


def _filter_in(select: str) -> set[URIRef]:
    return _filter_lists(select, "?path IN")[0]


def test_the_shapes_relation_lists_are_the_causal_relations():
    shapes = Graph().parse(paths.shapes_dir() / "imid-shapes.ttl")
    for shape in (IMS.CausalCycleShape, IMS.CausalSelfLoopShape):
        assert set(shapes.objects(shape, SH.targetSubjectsOf)) == set(CAUSAL_RELATIONS)
    assert _filter_in(_shape_select(shapes, IMS.CausalSelfLoopShape)) == set(CAUSAL_RELATIONS)
    supported = _filter_in(_shape_select(shapes, IMS.SupportedEdgeShape))
    assert supported == set(shapes.objects(IMS.SupportedEdgeShape, SH.targetSubjectsOf))
    assert set(CAUSAL_RELATIONS) < supported and IMID.binds in supported


def test_the_query_files_context_and_withdrawn_lists_are_the_models():
    """conflicts compares every context property; contexts lists all but the system (the kind
    of experimental system: how a claim was shown, not what was studied); conflicts and
    neosubstrates leave out the withdrawn statuses."""
    conflicts, contexts, neosubstrates = (
        (paths.queries_dir() / f"{name}.rq").read_text(encoding="utf-8")
        for name in ("conflicts", "contexts", "neosubstrates")
    )
    assert _filter_lists(conflicts, "?contextProperty IN") == [set(CONTEXTS)] * 4
    assert _filter_lists(contexts, "?property IN") == [set(CONTEXTS) - {IMID.contextSystem}]
    assert set(WITHDRAWN_STATUSES) == {IMID.Superseded, IMID.HistoricalProposal}
    assert _filter_lists(conflicts, "?gone IN") == [set(WITHDRAWN_STATUSES)] * 2
    assert _filter_lists(neosubstrates, "?status NOT IN") == [set(WITHDRAWN_STATUSES)]


def test_the_supported_edge_shape_is_the_stands_rule():
    shapes = Graph().parse(paths.shapes_dir() / "imid-shapes.ttl")
    graph, _ = _table()
    claims = read_claims(graph)
    unsupported = {row["value"] for row in graph.query(_shape_select(shapes, IMS.SupportedEdgeShape))}
    assert unsupported == {c.object for c in claims if not c.stands and not c.is_question}
    assert len(unsupported) == 126 - 14 + 7


def test_the_label_rule_is_one_for_graphs_and_queries():
    from imid_onto.query.dataset import dataset_from_graph

    graph = Graph()
    several, german, none, blank = ENT.several, ENT.german, ENT.none, BNode()
    graph.add((several, RDFS.label, Literal("Zeta", lang="en-GB")))
    graph.add((several, RDFS.label, Literal("Beta")))
    graph.add((several, RDFS.label, Literal("Alpha", lang="de")))
    graph.add((german, RDFS.label, Literal("Nur deutsch", lang="de")))
    graph.add((blank, RDFS.label, Literal("Alpha", lang="fr")))
    expected = {several: "Beta", german: "ent:german", none: "ent:none", blank: "(anonymous)"}
    assert {node: label(graph, node) for node in expected} == expected
    dataset = dataset_from_graph(graph)
    assert {node: dataset.label(node) for node in expected if node != blank} == {
        node: name for node, name in expected.items() if node != blank
    }
    assert label_from(ENT.x, [("b", None), ("a", "EN-us"), ("0", "de")]) == "a"
    assert label_from(ENT.x, []) == "ent:x"


def test_the_duplicate_scan_compares_the_identifying_predicates():
    from imid_onto.model.claims import IDENTIFYING
    from imid_onto.validation import duplicates

    assert list(duplicates._IDENTIFYING.values()) == [
        "rdf:subject",
        "rdf:predicate",
        "rdf:object",
        "imid:hasStatus",
        "imid:hasQuote",
    ]
    assert list(duplicates._IDENTIFYING) == [str(p) for p in IDENTIFYING]


def test_nothing_outside_the_claim_model_writes_a_rule_again():
    """The rules' constants have one home: no module but claims.py names the status order or
    the causal relations in a list of its own."""
    import imid_onto

    modules = sorted(Path(imid_onto.__file__).parent.rglob("*.py"))
    assert len(modules) > 30
    for path in modules:
        if path.name == "claims.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"IMID\.causallyUpstreamOf\w*\s*:\s*-?\d", text), path  # a sign table
        assert not re.search(r"IMID\.EstablishedFinding\s*:\s*0", text), path  # a rank table
        assert "[IMID.EstablishedFinding, IMID.Hypothesis" not in text, path  # a status list
        assert "IMID.isNegated) == Literal(True)" not in text, path  # a negation test of its own


def test_replaced_claims_name_their_replacements_in_the_reader(shipped):
    """No shipped document calls one of its own claims wrong (no Superseded); two claims are
    replaced all the same: the earlier view a commentary reports (a historical proposal) and
    the open question an abstract answers itself."""
    assert [c for c in shipped if c.status == IMID.Superseded] == []
    assert {c.iri: (c.status, c.replaced_by) for c in shipped if c.replaced_by} == {
        CLAIM["IB-03"]: (IMID.HistoricalProposal, (CLAIM["IB-22"],)),
        CLAIM["LUPM-03"]: (
            IMID.OpenQuestion,
            (CLAIM["LUPM-07"], CLAIM["LUPM-08"], CLAIM["LUPM-09"], CLAIM["LUPM-10"]),
        ),
    }
