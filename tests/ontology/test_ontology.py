"""The ontology: parses, is complete in its header, every term documented OBO-style,
every term used declared, labels unique, canonical form, version in step with the package."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
import rdflib
from rdflib import URIRef

import imid_onto
from imid_onto import paths
from imid_onto.io.canonical import is_canonical
from imid_onto.vocab import DCTERMS, IMID, ONTOLOGY_IRI, OWL, RDF, RDFS, SKOS, VANN

ONTOLOGY = URIRef(ONTOLOGY_IRI)
TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)


def own_terms(graph):
    return sorted({s for s in graph.subjects(RDFS.isDefinedBy, ONTOLOGY) if isinstance(s, URIRef)})


def test_plain_rdflib_parses_the_ontology_turtle():
    graph = rdflib.Graph().parse(paths.ontology_file(), format="turtle")
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in graph


def test_header_is_complete(ontology_graph):
    g = ontology_graph
    assert g.value(ONTOLOGY, OWL.versionIRI) == URIRef(
        f"https://w3id.org/imid-onto/releases/{imid_onto.__version__}/ontology"
    )
    assert str(g.value(ONTOLOGY, OWL.versionInfo)) == imid_onto.__version__
    assert g.value(ONTOLOGY, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert str(g.value(ONTOLOGY, VANN.preferredNamespacePrefix)) == "imid"
    assert str(g.value(ONTOLOGY, VANN.preferredNamespaceUri)) == str(IMID)
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.creator):
        assert g.value(ONTOLOGY, prop) is not None, f"header lacks {prop}"


def test_no_example_org_and_no_imports(ontology_graph):
    assert not list(ontology_graph.triples((None, OWL.imports, None)))
    text = paths.ontology_file().read_text() + paths.external_terms_file().read_text()
    assert "example.org" not in text


def test_required_classes_are_present(ontology_graph):
    required = [
        "MolecularGlue",
        "ImmunomodulatoryDrug",
        "CrbnModulator",
        "SmallMoleculeDrug",
        "E3UbiquitinLigaseComplex",
        "Crl4Complex",
        "Crl4CrbnComplex",
        "SubstrateReceptor",
        "AdaptorProtein",
        "CullinScaffold",
        "RingBoxProtein",
        "Protein",
        "TranscriptionFactor",
        "IkarosFamilyZincFingerTranscriptionFactor",
        "Neosubstrate",
        "Degron",
        "Binding",
        "Ubiquitination",
        "ProteasomalDegradation",
        "ExpressionDecrease",
        "ExpressionIncrease",
        "Cytotoxicity",
        "InhibitionOfProliferation",
        "CellCycleArrest",
        "TCellCostimulation",
        "Teratogenicity",
        "Disease",
        "CellLine",
        "CellType",
        "Organism",
        "Claim",
        "SourceDocument",
        "Evidence",
        "EpistemicStatus",
        "MolecularGlueDegrader",
        # claim model 2
        "Question",
        "QuestionKind",
        "Qualifier",
        "PatientSubgroup",
        "ExperimentalCondition",
        "GenomicVariant",
        "GeneRegion",
        "Drug",
        "DrugCombination",
        "TherapeuticAntibody",
        "DrugBoundSubstrateReceptor",
        "DevelopmentalPhenotype",
        "MolecularActivity",
        "UbiquitinLigaseActivity",
    ]
    missing = [name for name in required if (IMID[name], RDF.type, OWL.Class) not in ontology_graph]
    assert missing == []
    assert set(ontology_graph.subjects(RDF.type, IMID.EpistemicStatus)) == {
        IMID.EstablishedFinding,
        IMID.Hypothesis,
        IMID.OpenQuestion,
        IMID.Interpretation,
        IMID.HistoricalProposal,
        IMID.Superseded,
    }


def test_relations_carry_the_logic_reasoning_needs(ontology_graph):
    g = ontology_graph
    obo = rdflib.Namespace("http://purl.obolibrary.org/obo/")
    assert (IMID.causallyUpstreamOf, RDF.type, OWL.TransitiveProperty) in g
    assert (IMID.causallyUpstreamOf, RDFS.subPropertyOf, obo.RO_0002411) in g
    assert (IMID.causallyUpstreamOfPositiveEffect, RDFS.subPropertyOf, obo.RO_0002304) in g
    assert (IMID.causallyUpstreamOfNegativeEffect, RDFS.subPropertyOf, obo.RO_0002305) in g
    assert (IMID.binds, RDFS.subPropertyOf, obo.RO_0002436) in g
    assert (IMID.inducesDegradationOf, OWL.inverseOf, IMID.isDegradedVia) in g
    assert (IMID.isSubstrateReceptorOf, RDFS.subPropertyOf, obo.BFO_0000050) in g
    assert (obo.BFO_0000050, OWL.inverseOf, obo.BFO_0000051) in g
    assert (IMID.hasInput, RDFS.subPropertyOf, obo.RO_0002233) in g
    # claim model 2: RO's acts-upstream family for continuants, enabled by, quoted from
    assert (IMID.actsUpstreamOfPositiveEffect, RDFS.subPropertyOf, obo.RO_0004034) in g
    assert (IMID.actsUpstreamOfNegativeEffect, RDFS.subPropertyOf, obo.RO_0004035) in g
    assert (IMID.actsUpstreamOf, RDFS.domain, IMID.MolecularEntity) in g
    assert (IMID.actsUpstreamOf, RDFS.range, IMID.BiologicalEvent) in g
    assert (IMID.enabledBy, RDFS.subPropertyOf, obo.RO_0002333) in g
    assert (IMID.reportedIn, RDFS.subPropertyOf, rdflib.URIRef("http://www.w3.org/ns/prov#wasQuotedFrom")) in g
    for symmetric in (IMID.contradicts, IMID.contrastsWith, IMID.mechanisticallyDistinctFrom):
        assert (symmetric, RDF.type, OWL.SymmetricProperty) in g
    assert (IMID.UbiquitinLigaseActivity, rdflib.URIRef(str(SKOS) + "closeMatch"), obo.GO_0061630) in g
    for defined in (IMID.Neosubstrate, IMID.MolecularGlueDegrader):
        assert g.value(defined, OWL.equivalentClass) is not None, f"{defined} is not a defined class"


def test_every_own_term_has_label_definition_and_is_defined_by(ontology_graph):
    problems = []
    for term in own_terms(ontology_graph):
        for prop in (RDFS.label, SKOS.definition):
            values = list(ontology_graph.objects(term, prop))
            if len(values) != 1 or getattr(values[0], "language", None) != "en":
                problems.append(f"{term}: needs exactly one {prop} in English, has {values}")
    assert problems == []
    declared = {t for kind in TERM_KINDS for t in ontology_graph.subjects(RDF.type, kind)}
    undocumented = sorted(t for t in declared if str(t).startswith(str(IMID)) and t not in own_terms(ontology_graph))
    assert undocumented == []


def _ancestors(graph, cls):
    seen, todo = set(), [cls]
    while todo:
        for parent in graph.objects(todo.pop(), RDFS.subClassOf):
            if isinstance(parent, URIRef) and parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def test_definitions_are_genus_differentia(ontology_graph):
    """'A <ancestor> that ...': classes with an imid parent start with an ancestor's label;
    properties say what kind of relation they are; individuals start with their class."""
    g = ontology_graph
    problems = []
    for term in own_terms(g):
        definition = str(g.value(term, SKOS.definition))
        if (term, RDF.type, OWL.Class) in g:
            genera = [str(g.value(a, RDFS.label)) for a in _ancestors(g, term) if str(a).startswith(str(IMID))]
        elif (term, RDF.type, OWL.NamedIndividual) in g:
            genera = [str(g.value(c, RDFS.label)) for c in g.objects(term, RDF.type) if str(c).startswith(str(IMID))]
        else:
            genera = [r"[\w -]*(relation|property)"]
        if not genera:
            continue  # a root class: its genus is outside the ontology
        pattern = r"^An? (" + "|".join(g_ if g_.endswith(")") else re.escape(g_) for g_ in genera) + r")\b"
        if not re.match(pattern, definition, flags=re.IGNORECASE):
            problems.append(f"{term}: definition should start 'A <one of {genera}> ...': {definition[:60]}")
    assert problems == []


@pytest.mark.parametrize("namespace", [str(IMID), "https://w3id.org/imid-onto/kb/entity/"])
def test_labels_are_unique(kb_graph, namespace):
    """Unique among the ontology's terms, and among the entities (an entity may share its
    label with the external class it matches, e.g. ent:B-cell and CL:0000236)."""
    by_label = defaultdict(set)
    for term, label in kb_graph.subject_objects(RDFS.label):
        if isinstance(term, URIRef) and str(term).startswith(namespace):
            by_label[str(label).casefold()].add(term)
    duplicates = {label: sorted(terms) for label, terms in by_label.items() if len(terms) > 1}
    assert duplicates == {}


def test_every_imid_term_used_is_declared(kb_graph, ontology_graph):
    declared = {
        t
        for kind in (*TERM_KINDS, OWL.TransitiveProperty, OWL.FunctionalProperty)
        for t in ontology_graph.subjects(RDF.type, kind)
    }
    used = {t for triple in kb_graph for t in triple if isinstance(t, URIRef) and str(t).startswith(str(IMID))}
    assert sorted(used - declared) == []


def test_every_obo_term_used_is_declared_in_the_external_module(kb_graph):
    from imid_onto.io.rdf import read_graph

    external = read_graph(paths.external_terms_file())
    declared = set(external.subjects(RDFS.label, None))
    obo = "http://purl.obolibrary.org/obo/"
    used = {t for triple in kb_graph for t in triple if isinstance(t, URIRef) and str(t).startswith(obo)}
    assert sorted(used - declared) == []


def test_external_term_labels_match_the_identifier_table(identifier_table):
    from imid_onto.io.rdf import read_graph
    from imid_onto.model.identifiers import read_identifier_table
    from imid_onto.vocab import OBOINOWL

    rows = read_identifier_table(identifier_table)
    external = read_graph(paths.external_terms_file())
    problems = []
    for term, curie in sorted(external.subject_objects(OBOINOWL.id)):
        row = rows.get(str(curie))
        if row is None or not row.verified:
            problems.append(f"{curie}: not a verified row of the identifier table")
        elif not row.label.startswith(str(external.value(term, RDFS.label))):
            problems.append(f"{curie}: label {external.value(term, RDFS.label)!r} differs from {row.label!r}")
    assert problems == []


@pytest.mark.parametrize("name", ["imid.ttl", "external.ttl"])
def test_ontology_files_are_in_canonical_form(name):
    path = paths.data_dir() / "ontology" / name
    assert is_canonical(path), f"{path} is not in canonical form: run `imid-onto fmt {path}`"
