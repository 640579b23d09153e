"""The release: every file, byte-identical rebuilds, lossless serializations, nanopublications,
VoID checksums, answers and the summary; a build that fails leaves the previous output as it
was. (The diagram: tests/release/test_mechanism.py; a build killed, or pointed at a folder
that is not a release: tests/release/test_nothing_lost.py.)"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef

import imid_onto
from imid_onto import load_knowledge_base
from imid_onto.io.rdf import read_graph, to_rdflib
from imid_onto.publish.kb_ontology import knowledge_base_ontology, owl_form, ro_edges
from imid_onto.publish.nanopub import NANOPUB
from imid_onto.publish.release import DISTRIBUTIONS, ontology_graph, release_time
from imid_onto.vocab import CLAIM, DCAT, ENT, IMID, NP, OA, PROV, RDF, SH, SPDX, VOID, XSD

from ..conftest import cli, imid, isomorphic

TOP_LEVEL = sorted(
    [
        *DISTRIBUTIONS,
        "context.jsonld",
        "void.ttl",
        "validation-report.ttl",
        "mechanism.svg",
        "mechanism.png",
        "answers",
        "docs",
        ".imid-onto-release",
    ]
)  # the marker: a release, replaceable


@pytest.fixture(scope="module")
def kb() -> Graph:
    return load_knowledge_base()


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_release_has_every_file(release):
    out, result = release
    assert sorted(p.name for p in out.iterdir()) == TOP_LEVEL
    from imid_onto.query import named_queries

    assert sorted(p.name for p in (out / "answers").iterdir()) == sorted(
        f"{name}.{ext}" for name in named_queries() for ext in ("csv", "json")
    )
    assert (out / "docs" / "index.html").is_file()
    assert set(result.sizes) == set(_tree(out))


@pytest.mark.slow
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


@pytest.mark.slow
def test_every_serialization_parses_back_to_the_graph_it_was_written_from(release, kb):
    out, result = release
    from imid_onto.reasoning.infer import provenance_graph

    ontology = ontology_graph()
    for name in ("imid.ttl", "imid.owl"):
        assert isomorphic(read_graph(out / name), ontology), name
    released = knowledge_base_ontology(kb)  # the knowledge base's own header (docs/design/owl.md)
    for name in ("imid-kb.ttl", "imid-kb.nt", "imid-kb.jsonld"):
        assert isomorphic(read_graph(out / name), released), name
    assert isomorphic(read_graph(out / "imid-kb.owl"), owl_form(released))  # OWL 2 DL: no reification
    inferred = provenance_graph(result.inference, generated="2026-11-21T00:00:00Z")
    assert isomorphic(read_graph(out / "imid-inferred.ttl"), inferred)
    full = Graph()
    for triple in (*released, *ro_edges(released), *inferred):
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
        # The Stewart legend (KG-93..98): all three drugs bind cereblon, which then targets
        # IKZF1/IKZF3 for degradation, so HermiT classifies each as a glue degrader.
        (ENT.thalidomide, IMID.MolecularGlueDegrader),
        (ENT.lenalidomide, IMID.MolecularGlueDegrader),
        (ENT.pomalidomide, IMID.MolecularGlueDegrader),
        (ENT.IKZF1, IMID.Neosubstrate),
        (ENT.IKZF3, IMID.Neosubstrate),
    }
    inferred_graph = URIRef("https://w3id.org/imid-onto/kb/inferred")
    assert graph.value(inferred_graph, PROV.generatedAtTime) == Literal(
        "2026-11-21T00:00:00Z", datatype=XSD.dateTime, normalize=False
    )


def test_json_ld_is_compact_with_its_context_inline(release):
    out, _ = release
    document = json.loads((out / "imid-kb.jsonld").read_text(encoding="utf-8"))
    context = json.loads((out / "context.jsonld").read_text(encoding="utf-8"))
    assert isinstance(document["@context"], dict)  # nothing to fetch
    assert document["@context"] == context["@context"]
    assert context["@context"]["ent"] == str(ENT)
    assert all(
        not isinstance(v, str) or not v.startswith("http") or k in context["@context"]
        for k, v in document["@context"].items()
    )
    ids = [node["@id"] for node in document["@graph"]]
    assert "ent:lenalidomide" in ids and "claim:KG-50" in ids  # compact IRIs


def _quads(path: Path) -> dict[str, Graph]:
    graphs: dict[str, Graph] = {}
    for quad in ox.parse(path=path, format=ox.RdfFormat.TRIG):
        graphs.setdefault(quad.graph_name.value, Graph()).add(
            (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
        )
    return graphs


def _nanopublications(path: Path) -> dict[str, tuple[URIRef, dict[str, Graph]]]:
    """Claim id -> (its nanopublication's IRI, its graphs by name: Head, assertion...), with
    the IRIs that stand for blank nodes (``np:X/RA…/_1``) as blank nodes again."""
    found: dict[str, tuple[URIRef, dict[str, Graph]]] = {}
    for name, graph in _quads(path).items():
        iri, _, part = name.rpartition("/")
        claim = iri.removeprefix(NANOPUB).split("/")[0]
        skolem = {}
        unskolemized = Graph()
        for triple in graph:
            unskolemized.add(
                tuple(
                    skolem.setdefault(t, BNode()) if isinstance(t, URIRef) and str(t).startswith(iri + "/_") else t
                    for t in triple
                )
            )
        found.setdefault(claim, (URIRef(iri), {}))[1][part] = unskolemized
    return found


def test_one_nanopublication_per_claim(release, kb):
    out, _ = release
    nanopubs = _nanopublications(out / "imid-kb.trig")
    claims = sorted(str(c).rsplit("/", 1)[-1] for c in set(kb.subjects(RDF.type, IMID.Claim)))
    assert sorted(nanopubs) == claims
    for c in claims:
        np_, graphs = nanopubs[c]
        assert re.fullmatch(rf"{re.escape(NANOPUB)}{re.escape(c)}/RA[\w-]{{43}}", str(np_)), np_  # a Trusty URI
        assert sorted(graphs) == sorted(("Head", "assertion", "provenance", "pubinfo"))
        assert set(graphs["Head"]) == {
            (np_, RDF.type, NP.Nanopublication),
            (np_, NP.hasAssertion, URIRef(f"{np_}/assertion")),
            (np_, NP.hasProvenance, URIRef(f"{np_}/provenance")),
            (np_, NP.hasPublicationInfo, URIRef(f"{np_}/pubinfo")),
        }
        assert (URIRef(f"{np_}/assertion"), None, None) in graphs["provenance"]
        assert (np_, None, None) in graphs["pubinfo"]


def test_nanopublications_keep_every_claim_triple_once_and_assert_only_what_stands(release, kb):
    out, _ = release
    nanopubs = _nanopublications(out / "imid-kb.trig")
    # KG-50: an established finding; its plain edge is asserted, its quote is provenance.
    _, graphs = nanopubs["KG-50"]
    assertion = graphs["assertion"]
    claim = (
        kb.value(CLAIM["KG-50"], RDF.subject),
        kb.value(CLAIM["KG-50"], RDF.predicate),
        kb.value(CLAIM["KG-50"], RDF.object),
    )
    assert claim in assertion
    assert (CLAIM["KG-50"], IMID.hasStatus, IMID.EstablishedFinding) in assertion
    exact = [str(o) for o in graphs["provenance"].objects(None, OA.exact)]
    assert exact == [
        "treatment with lenalidomide, and other agents in this class, through interaction with cereblon, "
        "do not inhibit, but rather selectively enhance the ubiquitination and degradation of Ikaros "
        "(IKZF1) and Aiolos (IKZF3)"
    ]
    # IB-70: an open question; the edge is not asserted as a fact, only as the claim it is.
    assertion = nanopubs["IB-70"][1]["assertion"]
    s, p, o = (kb.value(CLAIM["IB-70"], r) for r in (RDF.subject, RDF.predicate, RDF.object))
    assert (s, p, o) not in assertion
    assert (CLAIM["IB-70"], IMID.hasStatus, IMID.OpenQuestion) in assertion
    # Every triple of every claim (with its quote's blank nodes) is in exactly one content graph.
    for claim in set(kb.subjects(RDF.type, IMID.Claim)):
        c = str(claim).rsplit("/", 1)[-1]
        parts = [nanopubs[c][1][g] for g in ("assertion", "provenance", "pubinfo")]
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
    kb = knowledge_base_ontology(kb)  # what imid-kb.ttl holds
    void = read_graph(out / "void.ttl")
    dataset = URIRef("https://w3id.org/imid-onto/kb")
    assert int(void.value(dataset, VOID.triples)) == len(kb)
    assert int(void.value(dataset, VOID.properties)) == len(set(kb.predicates()))
    assert int(void.value(dataset, VOID.classes)) == len(set(kb.objects(None, RDF.type)))
    assert str(void.value(dataset, DCAT.version)) == "0.1.0"
    media = {
        ".ttl": "text/turtle",
        ".nt": "application/n-triples",
        ".jsonld": "application/ld+json",
        ".owl": "application/rdf+xml",
        ".trig": "application/trig",
    }
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
    from imid_onto.query import format_table

    for name, table in result.answers.items():
        assert (out / "answers" / f"{name}.csv").read_bytes() == format_table(table, "csv").encode("utf-8")
        document = json.loads((out / "answers" / f"{name}.json").read_text(encoding="utf-8"))
        assert document["head"]["vars"] == table.columns
        assert len(document["results"]["bindings"]) == len(table.rows)
    # the inferred triples are queried: lenalidomide is a molecular glue degrader by inference
    glues = (out / "answers" / "molecular-glues.csv").read_text(encoding="utf-8")
    assert "https://w3id.org/imid-onto/kb/entity/lenalidomide" in glues


def test_build_summary_answers_what_is_downstream_of_ikaros_loss(release):
    _, result = release
    downstream = result.downstream()
    assert sorted(downstream) == ["IKZF1", "IKZF3"]
    both = [
        "IRF4 down-regulation",
        "T-cell activation",
        "altered B-cell function",
        "altered T-cell function",
        "anti-myeloma activity",
        "derepression of the IL2 gene",
        "inhibition of myeloma cell proliferation",
        "myeloma cell death",
    ]
    # IKZF1's loss in ALL cells raises p21 (IB-73); that p21 inhibits CLL cell proliferation
    # (IB-36) is said of CLL: a walk stays in one disease, so the two do not chain
    ikzf1 = sorted([*both, "p21 up-regulation"])
    assert downstream["IKZF1"]["established finding"] == ikzf1
    assert downstream["IKZF3"]["established finding"] == both
    for protein in ("IKZF1", "IKZF3"):
        assert "p21 up-regulation" in downstream[protein]["open question"]  # after the drug's degradation: open
        assert downstream[protein]["hypothesis"] == ["IL-2 up-regulation"]


@pytest.mark.slow
def test_build_writes_the_ontology_and_knowledge_base_reproducibly(tmp_path):
    first = imid("build", "--out", str(tmp_path / "a"), "--no-reason")
    second = imid("build", "--out", str(tmp_path / "b"), "--no-reason")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    names = sorted(str(p.relative_to(tmp_path / "a")) for p in (tmp_path / "a").rglob("*") if p.is_file())
    top = sorted(name for name in names if "/" not in name)
    expected = [
        ".imid-onto-release",
        "context.jsonld",
        "imid-kb.jsonld",
        "imid-kb.nt",
        "imid-kb.owl",
        "imid-kb.trig",
        "imid-kb.ttl",
        "imid.owl",
        "imid.ttl",
        "validation-report.ttl",
        "void.ttl",
    ]
    if shutil.which("dot"):
        expected += ["mechanism.png", "mechanism.svg"]
    assert top == sorted(expected)  # no imid-inferred.ttl or imid-kb-full.ttl without the reasoner
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert "Built imid-onto" in first.stdout
    assert "Skipped: reasoner: not run (--no-reason)" in first.stdout
    # the summary's verdict is the report's sh:conforms (false while there is any result, an info too)
    report = read_graph(tmp_path / "a" / "validation-report.ttl")
    conforms = report.value(next(report.subjects(RDF.type, SH.ValidationReport)), SH.conforms).toPython()
    (verdict,) = [line.split(" (")[0] for line in first.stdout.splitlines() if line.startswith("Validation: ")]
    assert verdict == ("Validation: conforms" if conforms else "Validation: does not conform")
    # the shipped knowledge base's infos (studies without a PMID or DOI) are named as notes for curators
    assert "infos, notes for curators: imid-onto validate --infos; no violation, so the release" in first.stdout
    assert first.stdout.endswith(
        "Each chain, the loss it starts from and who showed each step: imid-onto query downstream-effects\n"
    )


@pytest.mark.slow
def test_build_outputs_parse_back_to_the_same_graphs(release):
    from imid_onto.io.rdf import read_graph
    from imid_onto.publish.release import ontology_graph

    out, _ = release
    assert isomorphic(read_graph(out / "imid.ttl"), ontology_graph())
    assert isomorphic(read_graph(out / "imid.owl"), ontology_graph())
    assert isomorphic(read_graph(out / "imid-kb.ttl"), knowledge_base_ontology(load_knowledge_base()))


@pytest.mark.slow  # a build of its own, beside the session's release
def test_failed_build_leaves_the_previous_output_as_it_was(tmp_path, monkeypatch):
    import importlib

    build_module = importlib.import_module("imid_onto.publish.release")  # the module, not the function

    out = tmp_path / "out"
    imid_onto.build(out, run_reasoner=False)
    before = {str(p): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(graph):
        raise RuntimeError("disk full")

    monkeypatch.setattr(build_module, "rdfxml_bytes", broken)
    with pytest.raises(RuntimeError):
        imid_onto.build(out, run_reasoner=False)
    assert {str(p): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "staging folder left behind"


@pytest.mark.slow
def test_build_with_reasoner_reports_consistency(tmp_path, java):
    done = cli("build", "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "the ontology with its entities is consistent; 5 inferred triples" in done.stdout
