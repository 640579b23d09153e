"""Deep graphs: a causal chain of 100,000 steps.

A user's data file, written here: a drug that induces the degradation of protein DEEP1,
DEEP1's degradation event, and a chain of 100,000 events, one claim per step (established
findings), with full provenance as in kb/claims/; plus a hypothesis from the degradation
straight to the event halfway (a row of its own: a chain never mixes statuses), a negated
and a superseded claim off the chain (not walked). ``downstream-effects`` walks it in
Python, breadth-first and without recursion, and gives one row per event and status with
its exact number of steps, direction, status, path, claims and studies. A chain of more
than 100 steps is shown by its first and last 10 steps (the full paths of 100,000 rows down
one chain would take hundreds of gigabytes).

rdflib follows the query's ``*`` path by recursion and runs out of stack after about 1,000
steps: the rdflib engine then refuses with an InputError that names the oxigraph engine,
and answers as oxigraph does on a chain it can follow (one that loops back too: a cycle is
invalid data, which the shapes report, but a query over it must still end).
"""

from __future__ import annotations

import csv
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from imid_onto.errors import InputError
from imid_onto.query import load_dataset, named_query, run_query
from imid_onto.vocab import IMID

from ..conftest import KB_LINE, imid

STEPS = 100_000
HYPOTHESIS_AT = 50_000  # a hypothesis leads from the degradation straight to this event
FULL, ENDS = 100, 10  # chains of more than FULL steps are shown by their first and last ENDS steps
ENT = "https://w3id.org/imid-onto/kb/entity/"

PREFIXES = """\
@prefix bibo: <http://purl.org/ontology/bibo/> .
@prefix claim: <https://w3id.org/imid-onto/kb/claim/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix doc: <https://w3id.org/imid-onto/kb/doc/> .
@prefix ent: <https://w3id.org/imid-onto/kb/entity/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix imid: <https://w3id.org/imid-onto/ontology#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

"""

HEADER = """\
ent:deepamide a owl:NamedIndividual, imid:ImmunomodulatoryDrug ;
    rdfs:label "deepamide"@en .

ent:DEEP1 a owl:NamedIndividual, imid:Protein ;
    rdfs:label "DEEP1"@en .

ent:DEEP1-degradation a owl:NamedIndividual, imid:ProteasomalDegradation ;
    rdfs:label "DEEP1 degradation"@en ;
    imid:hasInput ent:DEEP1 .

ent:off-negated a owl:NamedIndividual, imid:ExpressionDecrease ;
    rdfs:label "reached only by a negated claim"@en .

ent:off-superseded a owl:NamedIndividual, imid:ExpressionDecrease ;
    rdfs:label "reached only by a superseded claim"@en .

doc:deep-notes a imid:SourceDocument, bibo:Document ;
    rdfs:label "Notes on a deep chain"@en ;
    dcterms:title "A synthetic causal chain"@en ;
    dcterms:isPartOf doc:deep-2026 ;
    imid:sourceTextFile "deep-notes.txt" .

doc:deep-2026 a bibo:AcademicArticle ;
    rdfs:label "Deep et al. 2026"@en ;
    dcterms:title "A synthetic causal chain"@en ;
    dcterms:date "2026"^^xsd:gYear .

<https://w3id.org/imid-onto/kb/agent/curators> a prov:Agent, foaf:Organization ;
    rdfs:label "imid-onto curators"@en .

<https://w3id.org/imid-onto/kb/activity/curation-deep> a prov:Activity ;
    rdfs:label "Curation of the deep chain"@en ;
    prov:wasAssociatedWith <https://w3id.org/imid-onto/kb/agent/curators> ;
    prov:used doc:deep-notes ;
    prov:startedAtTime "2026-11-21T00:00:00Z"^^xsd:dateTime .

"""


def claim(name: str, subject: str, relation: str, obj: str, status: str, text: str, extra: str = "") -> str:
    return f"""claim:{name} a imid:Claim ;
    rdfs:label "{text}"@en ;
    rdf:subject {subject} ;
    rdf:predicate imid:{relation} ;
    rdf:object {obj} ;
    imid:hasStatus imid:{status} ;{extra}
    imid:evidenceType obo:ECO_0000204 ;
    prov:wasDerivedFrom doc:deep-2026 ;
    imid:hasQuote [ a oa:SpecificResource ; oa:hasSource doc:deep-notes ;
        oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "{text}." ] ] ;
    prov:wasAttributedTo <https://w3id.org/imid-onto/kb/agent/curators> ;
    prov:wasGeneratedBy <https://w3id.org/imid-onto/kb/activity/curation-deep> ;
    prov:generatedAtTime "2026-11-21T00:00:00Z"^^xsd:dateTime .

"""


def sign(step: int) -> str:
    return "Negative" if step % 3 == 0 else "Positive"


def write_chain(path: Path, steps: int, *, cycle: bool = False) -> Path:
    """The data file: events e1 .. e<steps>, claim DEEP-i the step e<i-1> -> e<i> (e0 is
    DEEP1's degradation), lowering every third step and raising the others; with ``cycle``,
    a claim back from the last event to the first."""
    parts = [
        PREFIXES,
        HEADER,
        claim(
            "DEEP-0",
            "ent:deepamide",
            "inducesDegradationOf",
            "ent:DEEP1",
            "EstablishedFinding",
            "deepamide induces the degradation of DEEP1",
        ),
    ]
    before = "ent:DEEP1-degradation"
    for i in range(1, steps + 1):
        parts.append(f'ent:e{i} a owl:NamedIndividual, imid:ExpressionIncrease ;\n    rdfs:label "event {i}"@en .\n\n')
        parts.append(
            claim(
                f"DEEP-{i}",
                before,
                f"causallyUpstreamOf{sign(i)}Effect",
                f"ent:e{i}",
                "EstablishedFinding",
                f"step {i}",
            )
        )
        before = f"ent:e{i}"
    if steps >= HYPOTHESIS_AT:
        parts.append(
            claim(
                "DEEP-hypothesis",
                "ent:DEEP1-degradation",
                "causallyUpstreamOfPositiveEffect",
                f"ent:e{HYPOTHESIS_AT}",
                "Hypothesis",
                "the degradation may lead straight to the event halfway",
            )
        )
    parts.append(
        claim(
            "DEEP-negated",
            "ent:e1",
            "causallyUpstreamOf",
            "ent:off-negated",
            "EstablishedFinding",
            "event 1 does not lead off the chain",
            "\n    imid:isNegated true ;",
        )
    )
    parts.append(
        claim(
            "DEEP-superseded",
            "ent:e2",
            "causallyUpstreamOf",
            "ent:off-superseded",
            "Superseded",
            "event 2 was thought to lead off the chain",
            "\n    dcterms:isReplacedBy claim:DEEP-3 ;",
        )
    )
    if cycle:
        parts.append(
            claim(
                "DEEP-cycle",
                f"ent:e{steps}",
                "causallyUpstreamOfPositiveEffect",
                "ent:e1",
                "EstablishedFinding",
                "the last event feeds the first",
            )
        )
    path.write_text("".join(parts), encoding="utf-8")
    return path


def expected_row(k: int) -> tuple[str, ...]:
    """Event k's row, as text: effect, steps, direction, status, path, claims, studies."""
    decrease = (k // 3) % 2 == 1  # one lowering step in three
    status = "EstablishedFinding"
    if k <= FULL:
        path = " -> ".join(["DEEP1 degradation"] + [f"event {i}" for i in range(1, k + 1)])
        claims = " ; ".join(f"claim:DEEP-{i}" for i in range(1, k + 1))
        studies = " ; ".join(["doc:deep-2026"] * k)
    else:
        head = ["DEEP1 degradation"] + [f"event {i}" for i in range(1, ENDS + 1)]
        tail = [f"event {i}" for i in range(k - ENDS, k + 1)]
        path = " -> ".join(head) + f" -> ... ({k - 2 * ENDS - 1} more) ... -> " + " -> ".join(tail)
        claims = (
            " ; ".join(f"claim:DEEP-{i}" for i in range(1, ENDS + 1))
            + f" ; ... ({k - 2 * ENDS} more steps) ... ; "
            + " ; ".join(f"claim:DEEP-{i}" for i in range(k - ENDS + 1, k + 1))
        )
        studies = (
            " ; ".join(["doc:deep-2026"] * ENDS)
            + f" ; ... ({k - 2 * ENDS} more steps) ... ; "
            + " ; ".join(["doc:deep-2026"] * ENDS)
        )
    return (f"{ENT}e{k}", str(k), "decrease" if decrease else "increase", str(IMID[status]), path, claims, studies)


def as_text(row) -> tuple[str, ...]:
    """A downstream-effects row (protein, start, effect, ...) as expected_row() writes it."""
    assert (str(row[0]), str(row[1])) == (f"{ENT}DEEP1", f"{ENT}DEEP1-degradation")
    return tuple(str(v) for v in row[2:])


@pytest.fixture(scope="module")
def chain_file(tmp_path_factory) -> Path:
    return write_chain(tmp_path_factory.mktemp("deep") / "deep-chain.ttl", STEPS)


@pytest.fixture(scope="module")
def chain_data(chain_file):
    started = time.perf_counter()
    data = load_dataset(files=[chain_file], asserted_only=True)
    print(f"\n{STEPS}-step chain: {len(data.store):,} triples loaded in {time.perf_counter() - started:.1f} s")
    return data


def test_the_generated_data_is_valid(tmp_path):
    """The same generator at 30 steps passes the shapes (no violation; warnings only for the
    made-up drug's and protein's missing ChEBI / UniProtKB ids)."""
    from imid_onto.validation.report import validate

    report = validate([write_chain(tmp_path / "small.ttl", 30)])
    assert report.count("violation") == 0, report.as_text()
    assert {r.shape_name for r in report.results if r.severity == "warning"} <= {
        "drug ChEBI xref",
        "protein UniProtKB xref",
    }


@pytest.mark.slow
def test_downstream_effects_of_a_100000_step_chain(chain_data):
    started = time.perf_counter()
    table = run_query(chain_data, named_query("downstream-effects"), {"protein": ["DEEP1"]})
    print(f"\ndownstream-effects answered in {time.perf_counter() - started:.1f} s")
    assert table.columns == ["protein", "start", "effect", "steps", "direction", "status", "path", "claims", "studies"]
    assert len(table.rows) == STEPS + 1  # every event once, the event halfway twice; nothing off the chain
    by_effect = {str(row[2]): row for row in table.rows if row[5] == IMID.EstablishedFinding}
    assert [tuple(str(v) for v in row[2:8]) for row in table.rows if row[5] == IMID.Hypothesis] == [
        (
            f"{ENT}e{HYPOTHESIS_AT}",
            "1",
            "increase",
            str(IMID.Hypothesis),
            f"DEEP1 degradation -> event {HYPOTHESIS_AT}",
            "claim:DEEP-hypothesis",
        )
    ]
    assert f"{ENT}off-negated" not in by_effect and f"{ENT}off-superseded" not in by_effect
    deepest = max(table.rows, key=lambda row: int(row[3]))
    assert deepest[3] == Literal(STEPS) and deepest[2] == URIRef(f"{ENT}e{STEPS}")
    # every row exactly: steps, composed direction, status, path, claims, studies
    for k in range(1, STEPS + 1):
        assert as_text(by_effect[f"{ENT}e{k}"]) == expected_row(k), k
    assert [str(row[2]) for row in table.rows] == sorted(str(row[2]) for row in table.rows)  # sorted rows


@pytest.mark.slow
def test_upstream_causes_of_the_end_of_a_100000_step_chain(chain_data):
    started = time.perf_counter()
    table = run_query(chain_data, named_query("upstream-causes"), {"effect": [f"event {STEPS}"]})
    print(f"\nupstream-causes answered in {time.perf_counter() - started:.1f} s")
    assert len(table.rows) == STEPS + 1  # e1 .. e99999, the degradation event and the drug that induces it
    by_cause = {str(row[1]): row for row in table.rows}
    start = by_cause[f"{ENT}DEEP1-degradation"]
    assert int(start[2]) == STEPS
    # the same chain, read from its cause: the same text as downstream-effects writes for it
    assert tuple(str(v) for v in start[3:]) == expected_row(STEPS)[2:]
    farthest = max(table.rows, key=lambda row: int(row[2]))
    assert farthest[1] == URIRef(f"{ENT}deepamide") and int(farthest[2]) == STEPS + 1
    assert str(farthest[5]).startswith("deepamide -> DEEP1 degradation -> event 1 -> ")
    assert str(farthest[6]).startswith("claim:DEEP-0 ; claim:DEEP-1 ; ")
    one = by_cause[f"{ENT}e{STEPS - 1}"]
    assert (int(one[2]), str(one[3]), str(one[5]), str(one[6])) == (
        1,
        "increase" if sign(STEPS) == "Positive" else "decrease",
        f"event {STEPS - 1} -> event {STEPS}",
        f"claim:DEEP-{STEPS}",
    )


@pytest.mark.slow
def test_the_cli_answers_over_the_users_file(chain_file, tmp_path):
    out = tmp_path / "answer.csv"
    with out.open("wb") as sink:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "imid_onto.cli",
                "query",
                "downstream-effects",
                "--data",
                str(chain_file),
                "-p",
                "protein=DEEP1",
                "--asserted-only",
                "--no-cache",
                "--format",
                "csv",
            ],
            stdout=sink,
            stderr=subprocess.PIPE,
            text=False,
            timeout=600,
        )
    assert done.returncode == 0 and KB_LINE.fullmatch(done.stderr.decode()), done.stderr.decode()  # only the kb named
    with out.open(newline="", encoding="utf-8") as source:
        rows = list(csv.reader(source))
    assert rows[0] == ["protein", "start", "effect", "steps", "direction", "status", "path", "claims", "studies"]
    assert len(rows) == STEPS + 2  # the header, every event once, the event halfway twice
    by_effect = {row[2]: row for row in rows[1:] if row[5] == str(IMID.EstablishedFinding)}
    for k in (1, FULL, FULL + 1, HYPOTHESIS_AT - 1, HYPOTHESIS_AT, STEPS):
        assert tuple(by_effect[f"{ENT}e{k}"][2:]) == expected_row(k)


@pytest.mark.slow
def test_rdflib_refuses_a_chain_it_cannot_follow(tmp_path):
    steps = 2_000
    chain = write_chain(tmp_path / "chain.ttl", steps)
    data = load_dataset(files=[chain], asserted_only=True)
    with pytest.raises(InputError) as err:
        run_query(data, named_query("downstream-effects"), {"protein": ["DEEP1"]}, engine="rdflib")
    message = str(err.value)
    assert "use the oxigraph engine (--engine oxigraph, the default)" in message and "\n" not in message
    assert len(run_query(data, named_query("downstream-effects"), {"protein": ["DEEP1"]}).rows) == steps
    done = imid(
        "query",
        "downstream-effects",
        "--data",
        str(chain),
        "-p",
        "protein=DEEP1",
        "--asserted-only",
        "--no-cache",
        "--engine",
        "rdflib",
    )
    assert done.returncode == 2 and done.stdout == "" and done.stderr == f"imid-onto: error: {message}\n", done.stderr


@pytest.mark.slow
def test_rdflib_answers_as_oxigraph_does_on_a_chain_it_can_follow(tmp_path):
    data = load_dataset(files=[write_chain(tmp_path / "chain.ttl", 300, cycle=True)], asserted_only=True)
    for name, params, count in (
        ("downstream-effects", {"protein": ["DEEP1"]}, 300),
        ("upstream-causes", {"effect": ["event 300"]}, 301),  # e1 .. e299, the degradation, the drug
    ):
        on_rdflib = run_query(data, named_query(name), params, engine="rdflib")
        on_oxigraph = run_query(data, named_query(name), params)
        assert on_rdflib.rows == on_oxigraph.rows and len(on_oxigraph.rows) == count
    rows = run_query(data, named_query("downstream-effects"), {"protein": ["DEEP1"]}).rows
    assert [as_text(row) for row in rows] == sorted((expected_row(k) for k in range(1, 301)), key=lambda r: r[0])
