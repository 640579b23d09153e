"""Every claim: complete, anchored to a verbatim quote, attributed, with declared entities,
verified ids, a status that respects the text's hedging, and plain edges only for claims
that stand."""

from __future__ import annotations

import re

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS

from imid_onto import paths
from imid_onto.model.claims import standing_claims
from imid_onto.model.kb import derive_plain_edges, load_knowledge_base
from imid_onto.validation.quotes import check_quotes
from imid_onto.validation.xrefs import check_identifiers
from imid_onto.vocab import BIBO, IMID, OA, OWL, PROV, RDF, RDFS

from ..conftest import cli, one_error_line

STATUSES = {
    IMID.EstablishedFinding,
    IMID.Hypothesis,
    IMID.OpenQuestion,
    IMID.Interpretation,
    IMID.HistoricalProposal,
    IMID.Superseded,
}
CONTEXT = {
    IMID.contextCellLine: IMID.CellLine,
    IMID.contextCellType: IMID.CellType,
    IMID.contextDisease: IMID.Disease,
    IMID.contextOrganism: IMID.Organism,
    IMID.contextSystem: IMID.ExperimentalSystem,
}
CURATORS = URIRef("https://w3id.org/imid-onto/kb/agent/curators")
ECO = "http://purl.obolibrary.org/obo/ECO_"
BROKEN = "tests/fixtures/broken"
T = "https://w3id.org/imid-onto/test/"


def claims(graph):
    return sorted(set(graph.subjects(RDF.type, IMID.Claim)))


def claim_problems(graph, claim) -> list[str]:
    """What a claim lacks; empty when complete."""
    problems = []
    one = lambda prop: list(graph.objects(claim, prop))  # noqa: E731
    question = (claim, RDF.type, IMID.Question) in graph  # asks (one kind) about claims or entities; no triple
    statement = () if question else (RDF.subject, RDF.predicate, RDF.object)
    for prop in (*statement, IMID.hasStatus, IMID.evidenceType, RDFS.label):
        if len(one(prop)) != 1:
            problems.append(f"needs exactly one {prop}, has {len(one(prop))}")
    if question and (len(one(IMID.asks)) != 1 or not one(IMID.isAbout) or one(RDF.subject)):
        problems.append("a question needs one imid:asks, imid:isAbout and no triple")
    for node in (graph.value(claim, RDF.subject), graph.value(claim, RDF.object)):
        if node is not None and (node, RDF.type, None) not in graph:
            problems.append(f"uses undeclared entity {node}")
    predicate = graph.value(claim, RDF.predicate)
    if predicate is not None and (predicate, RDF.type, OWL.ObjectProperty) not in graph:
        problems.append(f"relation {predicate} is not a declared object property")
    if graph.value(claim, IMID.hasStatus) not in STATUSES:
        problems.append(f"status {graph.value(claim, IMID.hasStatus)} is not one of the six")
    evidence = graph.value(claim, IMID.evidenceType)
    if evidence is None or not str(evidence).startswith(ECO) or (evidence, RDFS.label, None) not in graph:
        problems.append(f"evidence type {evidence} is not a declared ECO class")
    studies = one(PROV.wasDerivedFrom)
    if not studies:
        problems.append("names no study (prov:wasDerivedFrom)")
    for study in studies:
        if not any(t in (BIBO.AcademicArticle, BIBO.Article, BIBO.Document) for t in graph.objects(study, RDF.type)):
            problems.append(f"study {study} is not a declared document")
    quotes = one(IMID.hasQuote)
    if len(quotes) != 1:
        problems.append(f"needs exactly one quote, has {len(quotes)}")
    for quote in quotes:
        source = graph.value(quote, OA.hasSource)
        selector = graph.value(quote, OA.hasSelector)
        if (source, RDF.type, IMID.SourceDocument) not in graph:
            problems.append(f"quote source {source} is not a source document")
        if (selector, RDF.type, OA.TextQuoteSelector) not in graph or not str(
            graph.value(selector, OA.exact) or ""
        ).strip():
            problems.append("quote has no TextQuoteSelector with a non-empty oa:exact")
    for prop, cls in CONTEXT.items():
        for value in graph.objects(claim, prop):
            if (value, RDF.type, cls) not in graph:
                problems.append(f"context {value} of {prop} is not a {cls}")
    if graph.value(claim, PROV.wasAttributedTo) != CURATORS:
        problems.append("not attributed to the curators")
    if graph.value(claim, PROV.wasGeneratedBy) is None or graph.value(claim, PROV.generatedAtTime) is None:
        problems.append("lacks prov:wasGeneratedBy / prov:generatedAtTime")
    if graph.value(claim, IMID.hasStatus) == IMID.Superseded:
        replaced_by = one(DCTERMS.isReplacedBy)
        if not replaced_by or any((r, RDF.type, IMID.Claim) not in graph for r in replaced_by):
            problems.append("is superseded but names no replacing claim (dcterms:isReplacedBy)")
    return problems


def test_every_claim_has_every_required_part(kb_graph):
    report = {str(c): p for c in claims(kb_graph) if (p := claim_problems(kb_graph, c))}
    assert report == {}


def test_every_source_document_has_claims(kb_graph):
    quoted = {kb_graph.value(q, OA.hasSource) for q in kb_graph.objects(None, IMID.hasQuote)}
    assert quoted == set(kb_graph.subjects(RDF.type, IMID.SourceDocument))


def test_every_quote_is_found_verbatim_in_its_source(kb_graph, sources_dir):
    problems = check_quotes(kb_graph, sources_dir)
    assert [str(p) for p in problems] == []


def test_a_quote_not_in_the_text_is_reported_with_the_closest_passage(kb_graph, sources_dir):
    graph = load_knowledge_base()
    claim = URIRef("https://w3id.org/imid-onto/kb/claim/LUPM-01")
    selector = graph.value(graph.value(claim, IMID.hasQuote), OA.hasSelector)
    graph.set((selector, OA.exact, Literal("lenalidomide are clinically useless treatments for multiple myeloma")))
    problems = [p for p in check_quotes(graph, sources_dir) if p.focus == str(claim)]
    assert len(problems) == 1
    assert problems[0].message.startswith("claim claim:LUPM-01: quote not found in ")
    assert "clinically important treatments" in problems[0].hint


def test_an_ambiguous_quote_must_carry_a_prefix_or_suffix(sources_dir):
    from imid_onto.validation.quotes import _anchored_count, normalise

    text = normalise((sources_dir / "000_7a4aae54d2481986.txt").read_text())
    caption = "The transcription factors Ikaros (IKZF1) and Aiolos (IKZF3) are modified with ubiquitin"
    assert _anchored_count(text, caption, None, None) == 2
    lead = (
        "Immune Modulators and Myleoma. The small-molecule drugs thalidomide, lenalidomide, and pomalidomide "
        "bind to the protein cereblon (CRBN), which activates the enzymatic activity of the CRBN E3 ubiquitin "
        "ligase complex."
    )
    assert _anchored_count(text, caption, "(Figure 1). " + lead, None) == 1  # the first copy
    assert _anchored_count(text, caption, "Reprinted with permission from AAAS. " + lead, None) == 1  # the second
    assert _anchored_count(text, caption, "Close modal", None) == 0


def test_a_quote_not_in_its_document_is_found_by_check(sources_dir, identifier_table):
    path = f"{BROKEN}/quote-not-in-document.ttl"
    validated = cli(
        "validate", "kb/entities.ttl", path
    )  # validate says so too, on the claim, with the shipped entities
    assert validated.returncode == 1
    assert validated.stdout.splitlines()[:2] == [
        f"{T}claim-quote  ({path}:36)",
        f"  VIOLATION quote found: quote not found in {T}source: 'lenalidomide destroys Ikaros within minutes in "
        "every cell line tested' (closest passage: 'lenalidomide promotes the cereblon-dependent destruction of "
        "Ikaros proteins. authors: -')",
    ]
    done = cli("check", path)
    problem = (
        f"{path}:36: claim {T}claim-quote: quote not found in {T}source: "
        "'lenalidomide destroys Ikaros within minutes in every cell line tested'"
    )
    assert one_error_line(done, 1) == problem
    assert done.stdout.splitlines() == [
        problem,
        "    closest passage: 'lenalidomide promotes the cereblon-dependent destruction of Ikaros proteins. "
        "authors: -'",
    ]


def test_every_external_id_is_verified(kb_graph, identifier_table):
    assert check_identifiers(kb_graph, identifier_table) == []


HEDGES = re.compile(
    r"\b(suggests?|suggesting|unclear|not clear|not known|conceivable|appears?|seems?|may|might|potential|"
    r"purported|proposed?|believed|question|whether)\b",
    re.IGNORECASE,
)


def test_hedged_quotes_are_not_established_findings(kb_graph):
    """Where the quoted text hedges, the claim's status says so (or a curator's
    rdfs:comment explains why the hedge does not touch this claim)."""
    wrong = []
    for claim in claims(kb_graph):
        selector = kb_graph.value(kb_graph.value(claim, IMID.hasQuote), OA.hasSelector)
        exact = str(kb_graph.value(selector, OA.exact))
        if (
            HEDGES.search(exact)
            and kb_graph.value(claim, IMID.hasStatus) == IMID.EstablishedFinding
            and "hedge" not in str(kb_graph.value(claim, RDFS.comment) or "").lower()
        ):
            wrong.append(f"{claim}: {exact!r}")
    assert wrong == []


def test_plain_edges_are_exactly_those_of_standing_claims():
    bare = load_knowledge_base(plain_edges=False)
    relations = {bare.value(c, RDF.predicate) for c in claims(bare)}
    before = {t for t in bare if t[1] in relations}
    derived = load_knowledge_base()
    added = {t for t in derived if t[1] in relations} - before
    standing = set(standing_claims(bare))
    expected = {(bare.value(c, RDF.subject), bare.value(c, RDF.predicate), bare.value(c, RDF.object)) for c in standing}
    assert added == expected - before
    # No hypothesis, open question, superseded or negated claim shows as a plain edge
    # unless a standing claim states the same edge.
    for claim in claims(bare):
        if claim in standing or (claim, RDF.type, IMID.Question) in bare:  # a question states no edge
            continue
        edge = (bare.value(claim, RDF.subject), bare.value(claim, RDF.predicate), bare.value(claim, RDF.object))
        assert edge not in derived or edge in expected, f"{claim} leaks as a plain edge"


def test_derive_plain_edges_is_idempotent():
    graph = load_knowledge_base()
    assert derive_plain_edges(graph) == 0


def test_claims_command_lists_a_documents_claims_with_quotes():
    done = cli("claims", "--source", "lu-2014-pubmed", "--status", "finding")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "13 claims"
    assert (
        "LUPM-05  [established finding]  thalidomide acts causally upstream of, negative effect "
        "ubiquitin ligase activity of CRL4-CRBN" in done.stdout
    )
    assert '"Thalidomide was recently shown to bind to, and inhibit, the cereblon ubiquitin ligase."' in done.stdout


@pytest.mark.parametrize("path", paths.claim_files(), ids=lambda p: p.name)
def test_claims_files_use_only_their_own_source_document(path):
    from imid_onto.io.rdf import read_graph

    graph = read_graph(path)
    sources = {graph.value(q, OA.hasSource) for q in graph.objects(None, IMID.hasQuote)}
    assert len(sources) == 1, f"{path.name} quotes from {sources}"
