"""A synthetic knowledge base shaped like the real one, for benchmarks and engine comparisons.

``generate(n_claims, seed)`` writes Turtle with: proteins (one of them a substrate
receptor, which about half of the drugs' binding claims name, so that the reasoner finds
molecular glue degraders and neosubstrates), drugs, cell lines and diseases typed under
the ontology's classes; molecular events and effects joined by causal claims
that form a DAG of pathways of 25 events each (an edge always goes from a lower to a higher
event number of the same pathway, so there is no cycle and no self-loop, and what is
downstream of an event stays within its pathway, as in curated mechanisms); studies with
PMID, DOI and year; source documents; and claims with the full provenance of a curated
claim (status, evidence type, study, quote with its selector, curator, activity, time,
context). Standing claims (established, not negated) also give their plain edge, as in a
built knowledge base. About 15 triples per claim.

Violations are injected at known places, one SHACL result each; ``Synthetic.expected``
lists them as (focus node, source shape, constraint component). Everything else conforms
to the shipped shapes. The output depends on ``n_claims`` and ``seed`` only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

IMID = "https://w3id.org/imid-onto/ontology#"
IMS = "https://w3id.org/imid-onto/shapes#"
SH = "http://www.w3.org/ns/shacl#"
BASE = "https://w3id.org/imid-onto/synthetic/"

PREFIXES = f"""\
@prefix bibo: <http://purl.org/ontology/bibo/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix imid: <{IMID}> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
@prefix oboInOwl: <http://www.geneontology.org/formats/oboInOwl#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix s: <{BASE}> .

s:curators a prov:Agent ; rdfs:label "synthetic curators"@en .
s:curation a prov:Activity .
"""

EVENT_CLASSES = [
    "ProteasomalDegradation",
    "ExpressionDecrease",
    "ExpressionIncrease",
    "Cytotoxicity",
    "CellCycleArrest",
    "ImmuneModulation",
    "Ubiquitination",
    "Binding",
]
PATHWAY = 25  # events per pathway: causal steps stay within one, as in a curated mechanism
CAUSAL = ["causallyUpstreamOf", "causallyUpstreamOfPositiveEffect", "causallyUpstreamOfNegativeEffect"]
STATUSES = ["EstablishedFinding"] * 13 + ["Hypothesis"] * 4 + ["OpenQuestion"] * 2 + ["Superseded"]
#: ECO classes the ontology declares (ontology/external.ttl): another is a violation (ims:ClaimReferencesShape).
EVIDENCE = ["ECO_0000015", "ECO_0000204", "ECO_0000303", "ECO_0005648", "ECO_0000305"]
SYSTEMS = ["InVitro", "InVivo", "PrimaryPatientSamples", "ClinicalObservation"]

#: The kinds of injected violation, in turn: (shape, component) each gives.
INJECTIONS = [
    ("ClaimStatusShape", "MinCountConstraintComponent"),
    ("ClaimEvidenceShape", "PatternConstraintComponent"),
    ("SubjectDiffersFromObjectShape", "DisjointConstraintComponent"),
    ("SupportedEdgeShape", "SPARQLConstraintComponent"),
    ("DocumentPmidShape", "PatternConstraintComponent"),
    ("SupersededClaimShape", "OrConstraintComponent"),
    ("ClaimGeneratedAtShape", "DatatypeConstraintComponent"),
    ("ClaimCellLineShape", "ClassConstraintComponent"),
]


@dataclass
class Synthetic:
    path: Path
    claims: int
    triples: int = 0
    expected: set[tuple[str, str, str]] = field(default_factory=set)
    start_protein: str = ""  # the label of a protein whose degradation (event-0) has effects downstream


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(path: Path | str, n_claims: int, seed: int = 1, *, violations: int | None = None) -> Synthetic:
    """Write a synthetic knowledge base of ``n_claims`` claims to ``path`` (Turtle).

    ``violations`` defaults to one per thousand claims (at least one of each kind).
    """
    rng = random.Random(seed)
    path = Path(path)
    n_inject = violations if violations is not None else max(len(INJECTIONS), n_claims // 1000)
    n_events = max(20, n_claims // 5)
    n_proteins = max(10, n_claims // 10)
    n_drugs = max(3, n_claims // 1000)
    n_cells = max(3, n_claims // 2000)
    n_diseases = max(3, n_claims // 2000)
    n_studies = max(5, n_claims // 20)
    n_sources = max(2, n_claims // 200)
    out: list[str] = [PREFIXES]
    emit = out.append
    result = Synthetic(path=path, claims=n_claims)

    for i in range(n_proteins):  # protein-0 is a substrate receptor: drugs that bind it and degrade a protein are glues
        kind = "SubstrateReceptor" if i == 0 else "TranscriptionFactor" if i % 3 else "Protein"
        emit(
            f"s:protein-{i} a owl:NamedIndividual, imid:{kind} ; "
            f'rdfs:label "protein {i}"@en ; oboInOwl:hasDbXref "UniProtKB:Q{i % 100000:05d}", "HGNC:{i + 1}" .\n'
        )
    for name, cls, count, xref in (
        ("drug", "ImmunomodulatoryDrug", n_drugs, lambda i: f"CHEBI:{900000 + i}"),
        ("cell line", "CellLine", n_cells, lambda i: f"cellosaurus:CVCL_{i % 10000:04d}"),
        ("disease", "Disease", n_diseases, lambda i: f"MONDO:{i + 1:07d}"),
    ):
        for i in range(count):
            emit(
                f's:{name.replace(" ", "-")}-{i} a owl:NamedIndividual, imid:{cls} ; rdfs:label "{name} {i}"@en ; '
                f'oboInOwl:hasDbXref "{xref(i)}" .\n'
            )
    for i in range(n_events):
        kind = EVENT_CLASSES[i % len(EVENT_CLASSES)]
        protein = rng.randrange(n_proteins)
        if i == 0:  # event-0, a degradation, starts the longest chains
            result.start_protein = f"protein {protein}"
        emit(
            f's:event-{i} a owl:NamedIndividual, imid:{kind} ; rdfs:label "event {i}"@en ; '
            f"imid:hasInput s:protein-{protein} ; imid:occursIn s:cell-line-{rng.randrange(n_cells)} ; "
            f"imid:inDiseaseContext s:disease-{rng.randrange(n_diseases)} .\n"
        )
    for i in range(n_studies):
        emit(
            f's:study-{i} a bibo:AcademicArticle ; dcterms:title "Synthetic study {i}" ; '
            f'dcterms:date "{1990 + i % 35}"^^xsd:gYear ; bibo:pmid "{10000000 + i}" ; bibo:doi "10.5555/syn.{i}" .\n'
        )
    for i in range(n_sources):
        emit(
            f's:source-{i} a imid:SourceDocument ; dcterms:title "Synthetic source {i}" ; '
            f'imid:sourceTextFile "source-{i}.txt" .\n'
        )

    inject_at = {}
    if n_inject:
        step = max(1, n_claims // n_inject)
        for k in range(n_inject):
            inject_at[min(n_claims - 1, k * step + step // 2)] = k % len(INJECTIONS)
    edges: set[tuple[str, str, str]] = set()
    for i in range(n_claims):
        claim = f"s:claim-{i}"
        iri = BASE + f"claim-{i}"
        if i % 5 == 0:  # a drug binds or degrades a protein
            subject, predicate = f"s:drug-{rng.randrange(n_drugs)}", rng.choice(["binds", "inducesDegradationOf"])
            obj = f"s:protein-{rng.randrange(n_proteins) if predicate == 'inducesDegradationOf' or i % 2 else 0}"
        else:  # one causal step, from a lower to a higher event of the same pathway
            a = rng.randrange(n_events - 1)
            end = min(n_events, (a // PATHWAY + 1) * PATHWAY)
            a = min(a, end - 2)
            b = rng.randrange(a + 1, end)
            subject, predicate, obj = f"s:event-{a}", rng.choice(CAUSAL), f"s:event-{b}"
        status = rng.choice(STATUSES)
        negated = rng.random() < 0.04
        kind = inject_at.get(i)
        evidence = f"obo:{rng.choice(EVIDENCE)}"
        time = '"2026-11-21T00:00:00Z"^^xsd:dateTime'
        cell_line = f"s:cell-line-{rng.randrange(n_cells)}"
        lines = [f"{claim} a imid:Claim ;", f'rdfs:label "synthetic claim {i}"@en ;']
        if kind is not None:
            shape, component = INJECTIONS[kind]
            if shape == "ClaimStatusShape":
                status = None
            elif shape == "ClaimEvidenceShape":
                evidence = "obo:XCO_0000001"
            elif shape == "SubjectDiffersFromObjectShape":
                obj, status = subject, "Hypothesis"
                if predicate == "inducesDegradationOf":  # a drug that degrades itself would break the range too
                    predicate = "binds"
            elif shape == "SupersededClaimShape":
                status = "Superseded"
            elif shape == "ClaimGeneratedAtShape":
                time = '"the 21st of November"^^xsd:dateTime'
            elif shape == "ClaimCellLineShape":
                cell_line = f"s:disease-{rng.randrange(n_diseases)}"
            focus = {"SupportedEdgeShape": None, "DocumentPmidShape": None}.get(shape, iri)
            if focus is not None:
                result.expected.add((focus, IMS + shape, SH + component))
        lines.append(f"rdf:subject {subject} ; rdf:predicate imid:{predicate} ; rdf:object {obj} ;")
        if status is not None:
            lines.append(f"imid:hasStatus imid:{status} ;")
        if status == "Superseded" and not (kind is not None and INJECTIONS[kind][0] == "SupersededClaimShape"):
            lines.append(f"dcterms:isReplacedBy s:claim-{(i + 1) % n_claims} ;")
        if negated:
            lines.append("imid:isNegated true ;")
        lines.append(f"imid:evidenceType {evidence} ;")
        lines.append(f"imid:contextCellLine {cell_line} ; imid:contextSystem imid:{rng.choice(SYSTEMS)} ;")
        lines.append(f"prov:wasDerivedFrom s:study-{rng.randrange(n_studies)} ;")
        source = f"s:source-{rng.randrange(n_sources)}"
        quote = _literal(f"Synthetic sentence {i} of {source[2:]}.")
        lines.append(
            f"imid:hasQuote [ a oa:SpecificResource ; oa:hasSource {source} ; "
            f"oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact {quote} ] ] ;"
        )
        lines.append(
            f"prov:wasAttributedTo s:curators ; prov:wasGeneratedBy s:curation ; prov:generatedAtTime {time} ."
        )
        emit(" ".join(lines) + "\n")
        if status == "EstablishedFinding" and not negated:
            edges.add((subject, predicate, obj))
        if kind is not None and INJECTIONS[kind][0] == "SupportedEdgeShape":
            # An edge no claim supports, from an event no claim mentions.
            emit(
                f's:orphan-event-{i} a owl:NamedIndividual, imid:Cytotoxicity ; rdfs:label "orphan event {i}"@en ; '
                f"imid:causallyUpstreamOf s:event-{rng.randrange(n_events)} .\n"
            )
            result.expected.add(
                (BASE + f"orphan-event-{i}", IMS + "SupportedEdgeShape", SH + "SPARQLConstraintComponent")
            )
        if kind is not None and INJECTIONS[kind][0] == "DocumentPmidShape":
            emit(
                f's:bad-study-{i} a bibo:AcademicArticle ; dcterms:title "Badly identified study {i}" ; '
                f'bibo:pmid "PMID:{i}" .\n'
            )
            result.expected.add((BASE + f"bad-study-{i}", IMS + "DocumentPmidShape", SH + "PatternConstraintComponent"))
    for subject, predicate, obj in sorted(edges):
        emit(f"{subject} imid:{predicate} {obj} .\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(out), encoding="utf-8")
    return result


def edit_quote(path: Path, claim: int, out: Path | None = None) -> Path:
    """Write ``path`` with the quote of claim ``claim`` reworded (what a curator does) to
    ``out`` (default: ``path`` itself); return where it went."""
    text = path.read_text(encoding="utf-8")
    old = f"Synthetic sentence {claim} of"
    assert old in text, old
    out = out or path
    out.write_text(text.replace(old, f"Synthetic sentence number {claim} of"), encoding="utf-8")
    return out
