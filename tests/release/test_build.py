"""The release: every file, byte-identical rebuilds, lossless serializations, nanopublications,
VoID checksums, answers, the diagram and the summary."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from imid_onto import build, load_knowledge_base
from imid_onto.publish.release import DISTRIBUTIONS, ontology_graph, release_time
from imid_onto.vocab import CLAIM, DCAT, ENT, IMID, NP, OA, PROV, RDF, SH, SPDX, VOID, XSD
from imid_onto.io.rdf import read_graph, to_rdflib

from ..conftest import imid

TOP_LEVEL = sorted([*DISTRIBUTIONS, "context.jsonld", "void.ttl", "validation-report.ttl", "mechanism.svg",
                    "mechanism.png", "answers", "docs", ".imid-onto-release"])  # the marker: a release, replaceable


@pytest.fixture(scope="module")
def kb() -> Graph:
    return load_knowledge_base()


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_release_has_every_file(release):
    out, result = release
    assert sorted(p.name for p in out.iterdir()) == TOP_LEVEL
    from imid_onto.query.run import named_queries

    assert sorted(p.name for p in (out / "answers").iterdir()) == sorted(
        f"{name}.{ext}" for name in named_queries() for ext in ("csv", "json"))
    assert (out / "docs" / "index.html").is_file()
    assert set(result.sizes) == set(_tree(out))


def test_two_builds_are_byte_identical(release, tmp_path, monkeypatch):
    out, _ = release
    monkeypatch.setenv("PYTHONHASHSEED", "12345")  # a different hash seed in the fresh process
    done = imid("build", "--out", str(tmp_path / "again"))
    assert done.returncode == 0, done.stderr
    first, second = _tree(out), _tree(tmp_path / "again")
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def test_source_date_epoch_sets_the_only_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert release_time(ontology_graph()) == "2026-01-01T00:00:00Z"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert release_time(ontology_graph()) == "2026-11-21T00:00:00Z"  # the ontology's dcterms:created


def test_every_serialization_parses_back_to_the_graph_it_was_written_from(release, kb):
    out, result = release
    from imid_onto.reason.infer import provenance_graph

    ontology = ontology_graph()
    for name in ("imid.ttl", "imid.owl"):
        assert isomorphic(read_graph(out / name), ontology), name
    for name in ("imid-kb.ttl", "imid-kb.nt", "imid-kb.jsonld", "imid-kb.owl"):
        assert isomorphic(read_graph(out / name), kb), name
    inferred = provenance_graph(result.inference, generated="2026-11-21T00:00:00Z")
    assert isomorphic(read_graph(out / "imid-inferred.ttl"), inferred)
    full = Graph()
    for triple in (*kb, *inferred):
        full.add(triple)
    assert isomorphic(read_graph(out / "imid-kb-full.ttl"), full)


def test_lexical_forms_are_kept_as_written(release):
    out, _ = release
    text = (out / "imid-kb.nt").read_text(encoding="utf-8")
    assert '"2026-11-21T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>' in text
    assert "+00:00" not in text


def test_the_inferred_triples_are_the_reasoners(release):
    out, _ = release
    graph = read_graph(out / "imid-inferred.ttl")
    assert {(s, o) for s, o in graph.subject_objects(RDF.type) if str(s).startswith(str(ENT))} == {
        (ENT.lenalidomide, IMID.MolecularGlueDegrader), (ENT.IKZF1, IMID.Neosubstrate), (ENT.IKZF3, IMID.Neosubstrate)}
    inferred_graph = URIRef("https://w3id.org/imid-onto/kb/inferred")
    assert graph.value(inferred_graph, PROV.generatedAtTime) == Literal("2026-11-21T00:00:00Z", datatype=XSD.dateTime, normalize=False)


def test_json_ld_is_compact_with_its_context_inline(release):
    out, _ = release
    document = json.loads((out / "imid-kb.jsonld").read_text(encoding="utf-8"))
    context = json.loads((out / "context.jsonld").read_text(encoding="utf-8"))
    assert isinstance(document["@context"], dict)  # nothing to fetch
    assert document["@context"] == context["@context"]
    assert context["@context"]["ent"] == str(ENT)
    assert all(not isinstance(v, str) or not v.startswith("http") or k in context["@context"]
               for k, v in document["@context"].items())
    ids = [node["@id"] for node in document["@graph"]]
    assert "ent:lenalidomide" in ids and "claim:KG-50" in ids  # compact IRIs


def _quads(path: Path) -> dict[str, Graph]:
    graphs: dict[str, Graph] = {}
    for quad in ox.parse(path=path, format=ox.RdfFormat.TRIG):
        graphs.setdefault(quad.graph_name.value, Graph()).add(
            (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graphs


def test_one_nanopublication_per_claim(release, kb):
    out, _ = release
    graphs = _quads(out / "imid-kb.trig")
    claims = sorted(str(c).rsplit("/", 1)[-1] for c in set(kb.subjects(RDF.type, IMID.Claim)))
    base = "https://w3id.org/imid-onto/np/"
    assert sorted(graphs) == sorted(f"{base}{c}#{g}" for c in claims for g in ("Head", "assertion", "provenance", "pubinfo"))
    for c in claims:
        np_ = URIRef(base + c)
        head = graphs[f"{base}{c}#Head"]
        assert set(head) == {(np_, RDF.type, NP.Nanopublication),
                             (np_, NP.hasAssertion, URIRef(f"{np_}#assertion")),
                             (np_, NP.hasProvenance, URIRef(f"{np_}#provenance")),
                             (np_, NP.hasPublicationInfo, URIRef(f"{np_}#pubinfo"))}
        assert (URIRef(f"{np_}#assertion"), None, None) in graphs[f"{base}{c}#provenance"]
        assert (np_, None, None) in graphs[f"{base}{c}#pubinfo"]


def test_nanopublications_keep_every_claim_triple_once_and_assert_only_what_stands(release, kb):
    out, _ = release
    graphs = _quads(out / "imid-kb.trig")
    base = "https://w3id.org/imid-onto/np/"
    # KG-50: an established finding; its plain edge is asserted, its quote is provenance.
    assertion = graphs[f"{base}KG-50#assertion"]
    assert (ENT.lenalidomide, IMID.inducesDegradationOf, ENT.IKZF1) in assertion
    assert (CLAIM["KG-50"], IMID.hasStatus, IMID.EstablishedFinding) in assertion
    provenance = graphs[f"{base}KG-50#provenance"]
    exact = [str(o) for o in provenance.objects(None, OA.exact)]
    assert exact == ["treatment with lenalidomide, and other agents in this class, through interaction with cereblon, "
                     "do not inhibit, but rather selectively enhance the ubiquitination and degradation of Ikaros "
                     "(IKZF1) and Aiolos (IKZF3)"]
    # IB-70: an open question; the edge is not asserted as a fact, only as the claim it is.
    assertion = graphs[f"{base}IB-70#assertion"]
    s, p, o = (kb.value(CLAIM["IB-70"], r) for r in (RDF.subject, RDF.predicate, RDF.object))
    assert (s, p, o) not in assertion
    assert (CLAIM["IB-70"], IMID.hasStatus, IMID.OpenQuestion) in assertion
    # Every triple of every claim (with its quote's blank nodes) is in exactly one content graph.
    for claim in set(kb.subjects(RDF.type, IMID.Claim)):
        c = str(claim).rsplit("/", 1)[-1]
        parts = [graphs[f"{base}{c}#{g}"] for g in ("assertion", "provenance", "pubinfo")]
        from_claim = Graph()
        for part in parts:
            for triple in part:
                if triple[0] == claim or not isinstance(triple[0], URIRef):
                    from_claim.add(triple)
        original = Graph()
        for p, o in kb.predicate_objects(claim):
            original.add((claim, p, o))
        for quote in kb.objects(claim, IMID.hasQuote):
            for triple in kb.triples((quote, None, None)):
                original.add(triple)
                if isinstance(triple[2], BNode):  # the selector
                    for selector_triple in kb.triples((triple[2], None, None)):
                        original.add(selector_triple)
        assert isomorphic(from_claim, original), c
        assert sum(len(part) for part in parts) == len({t for part in parts for t in part})


def test_void_describes_every_distribution_with_its_size_and_checksum(release, kb):
    out, _ = release
    void = read_graph(out / "void.ttl")
    dataset = URIRef("https://w3id.org/imid-onto/kb")
    assert int(void.value(dataset, VOID.triples)) == len(kb)
    assert int(void.value(dataset, VOID.properties)) == len(set(kb.predicates()))
    assert int(void.value(dataset, VOID.classes)) == len(set(kb.objects(None, RDF.type)))
    assert str(void.value(dataset, DCAT.version)) == "0.1.0"
    media = {".ttl": "text/turtle", ".nt": "application/n-triples", ".jsonld": "application/ld+json",
             ".owl": "application/rdf+xml", ".trig": "application/trig"}
    described = {}
    for dist in void.objects(dataset, DCAT.distribution):
        name = str(void.value(dist, URIRef("http://purl.org/dc/terms/title")))
        data = (out / name).read_bytes()
        checksum = void.value(dist, SPDX.checksum)
        assert void.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        assert int(void.value(dist, DCAT.byteSize)) == len(data)
        assert str(void.value(dist, DCAT.mediaType)).endswith("/" + media[Path(name).suffix])
        described[name] = dist
    assert sorted(described) == sorted(DISTRIBUTIONS)


def test_validation_report_is_the_standard_report(release):
    out, result = release
    report = read_graph(out / "validation-report.ttl")
    node = next(report.subjects(RDF.type, SH.ValidationReport))
    severities = sorted(str(report.value(r, SH.resultSeverity)) for r in report.objects(node, SH.result))
    assert severities == sorted(str(SH[s.capitalize()]) for s in (r.severity for r in result.validation.results))
    assert result.validation.count("violation") == 0 and result.validation.count("warning") == 0


def test_answers_are_the_named_queries_over_the_full_knowledge_base(release):
    out, result = release
    from imid_onto.query.run import format_table

    for name, table in result.answers.items():
        assert (out / "answers" / f"{name}.csv").read_bytes() == format_table(table, "csv").encode("utf-8")
        document = json.loads((out / "answers" / f"{name}.json").read_text(encoding="utf-8"))
        assert document["head"]["vars"] == table.columns
        assert len(document["results"]["bindings"]) == len(table.rows)
    # the inferred triples are queried: lenalidomide is a molecular glue degrader by inference
    glues = (out / "answers" / "molecular-glues.csv").read_text(encoding="utf-8")
    assert "https://w3id.org/imid-onto/kb/entity/lenalidomide" in glues


def test_mechanism_diagram(release):
    out, _ = release
    svg = ET.parse(out / "mechanism.svg").getroot()
    texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    for label in ("lenalidomide", "CRBN", "CRL4-CRBN", "IKZF1", "IKZF3", "IKZF1 degradation", "IRF4 down-regulation",
                  "myeloma cell death", "IL-2 up-regulation", "p21 up-regulation", "hypothesis", "open question",
                  "established finding", "superseded"):
        assert label in texts, label
    assert (out / "mechanism.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


MECHANISM_FIXTURE = """
@prefix imid: <https://w3id.org/imid-onto/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix t: <https://w3id.org/imid-onto/test/> .
t:deg a imid:ProteasomalDegradation ; imid:hasInput t:P .
t:c1 a imid:Claim ; rdf:subject t:drug ; rdf:predicate imid:binds ; rdf:object t:R ; imid:hasStatus imid:EstablishedFinding .
t:c2 a imid:Claim ; rdf:subject t:drug ; rdf:predicate imid:inducesDegradationOf ; rdf:object t:P ;
    imid:hasStatus imid:EstablishedFinding .
t:c3 a imid:Claim ; rdf:subject t:deg ; rdf:predicate imid:causallyUpstreamOfPositiveEffect ; rdf:object t:E1 ;
    imid:hasStatus imid:Hypothesis .
t:c4 a imid:Claim ; rdf:subject t:deg ; rdf:predicate imid:causallyUpstreamOfPositiveEffect ; rdf:object t:E1 ;
    imid:hasStatus imid:EstablishedFinding .
t:c5 a imid:Claim ; rdf:subject t:deg ; rdf:predicate imid:causallyUpstreamOfNegativeEffect ; rdf:object t:E2 ;
    imid:hasStatus imid:EstablishedFinding ; imid:isNegated true .
t:c6 a imid:Claim ; rdf:subject t:E1 ; rdf:predicate imid:causallyUpstreamOfNegativeEffect ; rdf:object t:E3 ;
    imid:hasStatus imid:Superseded .
t:c7 a imid:Claim ; rdf:subject t:X ; rdf:predicate imid:causallyUpstreamOfPositiveEffect ; rdf:object t:Y ;
    imid:hasStatus imid:EstablishedFinding .
"""


def test_mechanism_edges_come_from_claims_and_carry_their_best_status():
    from imid_onto.publish.mechanism import mechanism_edges

    graph = Graph().parse(data=MECHANISM_FIXTURE, format="turtle")
    t = "https://w3id.org/imid-onto/test/"
    T = {name: URIRef(t + name) for name in ("drug", "R", "P", "deg", "E1", "E2", "E3")}
    assert mechanism_edges(graph) == sorted([
        (T["drug"], "binds", T["R"], IMID.EstablishedFinding),
        (T["drug"], "induces degradation of", T["P"], IMID.EstablishedFinding),
        (T["P"], "degraded", T["deg"], None),
        (T["deg"], "+", T["E1"], IMID.EstablishedFinding),  # the best of a hypothesis and a finding
        (T["E1"], "\u2212", T["E3"], IMID.Superseded),
    ], key=lambda e: tuple(str(x) for x in e))  # no negated edge to E2; X -> Y is not downstream


def test_shipped_mechanism_edges():
    from imid_onto.publish.mechanism import mechanism_edges

    edges = set(mechanism_edges(load_knowledge_base()))
    assert (ENT.lenalidomide, "binds", ENT.CRBN, IMID.EstablishedFinding) in edges
    assert (ENT.lenalidomide, "induces degradation of", ENT.IKZF1, IMID.EstablishedFinding) in edges
    assert (ENT.IKZF1, "degraded", ENT["IKZF1-degradation"], None) in edges
    assert (ENT["IKZF1-degradation"], "+", ENT["CDKN1A-upregulation"], IMID.OpenQuestion) in edges


def test_build_without_graphviz_says_why_and_still_builds(tmp_path, monkeypatch):
    import imid_onto.publish.mechanism as mechanism

    def no_dot(graph):
        raise mechanism.MechanismUnavailable("Graphviz's dot is not on PATH (Debian: apt-get install graphviz)")

    monkeypatch.setattr(mechanism, "render_mechanism", no_dot)
    result = build(tmp_path / "out", run_reasoner=False, site=False)
    assert "mechanism.svg" not in result.sizes and (tmp_path / "out" / "imid-kb.ttl").is_file()
    assert result.skipped["mechanism diagram"].startswith("Graphviz's dot is not on PATH")


def test_build_summary_answers_what_is_downstream_of_ikaros_loss(release):
    _, result = release
    downstream = result.downstream()
    assert sorted(downstream) == ["IKZF1", "IKZF3"]
    for protein in ("IKZF1", "IKZF3"):
        assert downstream[protein]["established finding"] == [
            "IL-2 up-regulation", "IRF4 down-regulation", "T-cell activation", "altered B-cell function",
            "altered T-cell function", "anti-myeloma activity", "inhibition of myeloma cell proliferation",
            "myeloma cell death"]
        assert "p21 up-regulation" in downstream[protein]["open question"]
