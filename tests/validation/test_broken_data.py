"""Data that reads but is wrong, each file of tests/fixtures/broken/ giving one clear message
that names the file and the thing (claim, entity, cycle), a non-zero exit, and never a
traceback.

Where each check lives: a claim IRI described twice is imid_onto.validation.duplicates'; two
labels are a shape (EntityLabelShape, sh:maxCount 1); a causal cycle is
ims:CausalCycleShape, checked natively for both engines (imid_onto.validation.cycles).
"""

from __future__ import annotations

from unittest import mock

import pytest

from ..conftest import FIXTURES, cli, one_error_line

BROKEN = "tests/fixtures/broken"
T = "https://w3id.org/imid-onto/test/"


def test_a_claim_iri_used_twice_in_one_file_names_both_lines():
    done = cli("validate", f"{BROKEN}/duplicate-claim.ttl")
    assert one_error_line(done, 1) == (
        f"{BROKEN}/duplicate-claim.ttl:51: claim {T}claim-1 is described a second time (first at line 36), as a "
        "different claim (rdf:predicate imid:binds and imid:inducesDegradationOf): a claim IRI names one claim "
        "(give the second the next free IRI)"
    )
    assert done.stdout == ""  # the shapes' "no single relation" etc. are not shown: this says why


def test_a_claim_iri_described_in_two_files_names_both():
    done = cli("validate", f"{BROKEN}/duplicate-claim-a.ttl", f"{BROKEN}/duplicate-claim-b.ttl")
    assert one_error_line(done, 1) == (
        f"{BROKEN}/duplicate-claim-b.ttl:16: claim {T}claim-2 is already described in "
        f"{BROKEN}/duplicate-claim-a.ttl:35: a claim IRI names one claim, described in one file "
        "(give this one the next free IRI, or merge them)"
    )


def test_an_entity_with_two_english_labels_is_one_violation():
    done = cli("validate", "--alone", f"{BROKEN}/two-labels.ttl")  # beside the shipped ones, its label is taken
    assert done.returncode == 1 and done.stderr == ""
    assert done.stdout.splitlines() == [
        f"{T}multiple-myeloma  ({BROKEN}/two-labels.ttl:15)",
        "  VIOLATION entity label: Entity needs exactly one rdfs:label: keep one name there and put the others in "
        "skos:altLabel",
        "1 violations, 0 warnings, 0 infos in 1 nodes",
    ]


CYCLE = (
    f"{T}event-a -> {T}event-b -> {T}event-c -> {T}event-a is a loop, through {T}claim-ab, {T}claim-bc and "
    f"{T}claim-ca: an event cannot be causally upstream of itself; one of these steps is reversed or wrong "
    "(a feedback loop needs an event for each turn)"
)


@pytest.mark.parametrize("name, line", [("cycle-plain-edges.ttl", 49), ("cycle-claims.ttl", 45)])
@pytest.mark.parametrize("engine", ["oxigraph", "pyshacl"])
def test_a_causal_cycle_is_one_violation_naming_its_events_and_claims(name, line, engine):
    done = cli("validate", "--engine", engine, f"{BROKEN}/{name}")
    assert done.returncode == 1 and done.stderr == ""
    assert done.stdout.splitlines() == [
        f"{T}claim-ab  ({BROKEN}/{name}:{line})",
        f"  VIOLATION causal cycle: {CYCLE}",
        "1 violations, 0 warnings, 0 infos in 1 nodes",
    ]


def test_a_causal_cycle_is_found_when_the_checks_are_shared_with_a_forked_process(monkeypatch):
    """On a large store the cycle check runs in this process while a forked child takes the
    first SPARQL checks (shacl_sparql.evaluate's ``meanwhile``); here forced on a small file."""
    from imid_onto.validation import shacl_sparql
    from imid_onto.validation.report import validate

    monkeypatch.setattr(shacl_sparql, "PARALLEL_FROM", 0)
    monkeypatch.setattr(shacl_sparql.os, "cpu_count", lambda: 2)  # it forks only with more than one CPU
    monkeypatch.setattr(shacl_sparql, "_evaluate_forked", counted := mock.Mock(wraps=shacl_sparql._evaluate_forked))
    report = validate([FIXTURES / "broken" / "cycle-claims.ttl"])
    assert counted.call_count == 1
    assert [(r.focus, r.message) for r in report.results] == [(f"{T}claim-ab", CYCLE)]


def test_the_shipped_knowledge_base_passes_every_check(sources_dir, identifier_table):
    from imid_onto.io import inputs
    from imid_onto.model.kb import data_files
    from imid_onto.validation import cycles, duplicates
    from imid_onto.validation.report import validate

    inputs.precheck(data_files())
    report = validate()
    assert report.duplicates == []
    assert not [r for r in report.results if r.shape == str(cycles.CYCLE_SHAPE)]
    scanned = [duplicates.scan(path) for path in data_files()]
    assert duplicates.duplicate_claims(scanned) == []
    done = cli("check")
    assert done.returncode == 0 and done.stdout.strip() == (
        "all quotes found; all external ids verified; every sentence of the source texts accounted for"
    )


def test_cycles_are_found_in_a_large_loop_with_a_shortest_cycle_named():
    """Tarjan's algorithm on its own: one result per loop, the shortest cycle through its
    first event, self-loops left to the self-loop shapes."""
    from imid_onto.validation import cycles

    graph = {"a": ["b"], "b": ["c", "a2"], "c": ["d"], "d": ["a"], "a2": ["a"], "x": ["x"], "y": ["z"]}
    parts = sorted(sorted(p) for p in cycles._strongly_connected(graph) if len(p) > 1)
    assert parts == [["a", "a2", "b", "c", "d"]]
    assert cycles._shortest_cycle(graph, "a", set(parts[0])) == ["a", "b", "a2", "a"]
    chain = {str(i): [str(i + 1)] for i in range(20000)}  # deep: no recursion limit
    chain["20000"] = ["0"]
    assert len(cycles._strongly_connected(chain)) == 1
