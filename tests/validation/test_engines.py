"""The fast validation engine (shapes compiled to SPARQL on pyoxigraph) gives exactly the
results of the reference engine (pySHACL): on every shape fixture, on the shipped knowledge
base, on a synthetic knowledge base with known injected violations, and on randomly broken
graphs. Results are compared whole: focus node, shape, component, severity, path, value and
message."""

from __future__ import annotations

import os
import random

import pyoxigraph as ox
import pytest
from benchmarks.synthetic import generate

from imid_onto.errors import InputError
from imid_onto.validation.report import validate

from ..conftest import FIXTURES, cli

SHAPE_FOLDERS = sorted(p for p in (FIXTURES / "shapes").iterdir() if p.is_dir())
XSD = "http://www.w3.org/2001/XMLSchema#"


def both(files, **options):
    fast = validate(files, engine="oxigraph", **options).results
    reference = validate(files, engine="pyshacl", **options).results
    return fast, reference


@pytest.mark.slow
@pytest.mark.parametrize("name", ["valid.ttl", "invalid.ttl"])
@pytest.mark.parametrize("folder", SHAPE_FOLDERS, ids=lambda p: p.name)
def test_same_results_as_pyshacl_on_every_fixture(folder, name):
    fast, reference = both([folder / name], derive_edges=False, with_ontology=not (folder / "standalone").exists())
    assert fast == reference


def test_same_results_as_pyshacl_on_the_shipped_knowledge_base():
    fast, reference = both(None)
    assert fast == reference
    assert {r.severity for r in fast} == {"info"}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("synthetic") / "kb.ttl", 300, seed=7)


@pytest.mark.slow
def test_synthetic_knowledge_base_gives_exactly_its_injected_violations(synthetic):
    fast, reference = both([synthetic.path])
    assert {(r.focus, r.shape, r.component) for r in fast} == synthetic.expected
    assert fast == reference


# Terms a mutation may put in place of an object: other nodes of the graph, and literals of
# every kind the shapes look at (ill-typed ones included).
LITERALS = [
    ox.Literal("x"),
    ox.Literal("x", language="en"),
    ox.Literal("x", language="fr"),
    ox.Literal(""),
    ox.Literal("2014", datatype=ox.NamedNode(XSD + "gYear")),
    ox.Literal("14", datatype=ox.NamedNode(XSD + "gYear")),
    ox.Literal("not a time", datatype=ox.NamedNode(XSD + "dateTime")),
    ox.Literal("2026-11-21T00:00:00Z", datatype=ox.NamedNode(XSD + "dateTime")),
    ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
    ox.Literal("yes", datatype=ox.NamedNode(XSD + "boolean")),
    ox.Literal("24292623"),
    ox.Literal("PMID:1"),
    ox.Literal("10.1126/science.1244917"),
    ox.Literal("UniProtKB:Q13422"),
    ox.Literal("CHEBI:x"),
    ox.Literal("1", datatype=ox.NamedNode(XSD + "integer")),
]


def break_graph(triples: list[ox.Triple], rng: random.Random, mutations: int) -> list[ox.Triple]:
    """Delete, replace, retype and duplicate at random."""
    triples = list(triples)
    nodes = sorted(
        {t.subject for t in triples} | {t.object for t in triples if not isinstance(t.object, ox.Literal)}, key=str
    )
    predicates = sorted({t.predicate for t in triples}, key=str)
    for _ in range(mutations):
        i = rng.randrange(len(triples))
        t = triples[i]
        kind = rng.randrange(6)
        if kind == 0:
            del triples[i]
        elif kind == 1:
            triples[i] = ox.Triple(t.subject, t.predicate, rng.choice(nodes))
        elif kind == 2:
            triples[i] = ox.Triple(t.subject, t.predicate, rng.choice(LITERALS))
        elif kind == 3:
            triples.append(ox.Triple(t.subject, t.predicate, rng.choice(nodes + LITERALS)))
        elif kind == 4:
            triples[i] = ox.Triple(t.subject, rng.choice(predicates), t.object)
        else:
            triples[i] = ox.Triple(rng.choice(nodes), t.predicate, t.subject if rng.random() < 0.5 else t.object)
    return triples


@pytest.fixture(scope="module")
def small_kb(tmp_path_factory):
    path = generate(tmp_path_factory.mktemp("small") / "kb.ttl", 40, seed=3, violations=0).path
    return [q.triple for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)]


@pytest.mark.slow
def test_same_results_as_pyshacl_on_randomly_broken_graphs(small_kb, tmp_path):
    fired = set()
    for seed in range(16):
        broken = break_graph(small_kb, random.Random(seed), mutations=2 + seed * 3)
        path = tmp_path / f"broken-{seed}.nt"
        path.write_bytes(ox.serialize(broken, format=ox.RdfFormat.N_TRIPLES))
        fast, reference = both([path], derive_edges=seed % 2 == 0)
        assert fast == reference, f"seed {seed}"
        fired |= {r.component.rsplit("#", 1)[1] for r in reference}
    # The mutations reach the constraints that matter (else equality would prove little).
    assert fired >= {
        "ClassConstraintComponent",
        "DatatypeConstraintComponent",
        "MinCountConstraintComponent",
        "MaxCountConstraintComponent",
        "PatternConstraintComponent",
        "NodeKindConstraintComponent",
        "SPARQLConstraintComponent",
        "NodeConstraintComponent",
        "InConstraintComponent",
    }, sorted(fired)


def test_a_shape_the_fast_engine_cannot_compile_is_refused_with_advice(tmp_path, monkeypatch):
    from imid_onto import paths

    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "closed.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<https://w3id.org/imid-onto/shapes#Closed> a sh:NodeShape ; sh:closed true ;\n"
        "    sh:targetClass <https://w3id.org/imid-onto/ontology#Claim> .\n"
    )
    monkeypatch.setattr(paths, "shapes_dir", lambda: shapes)
    with pytest.raises(InputError, match="sh:closed|shacl#closed.*--engine pyshacl"):
        validate(engine="oxigraph")
    assert validate(engine="pyshacl").results  # the reference engine handles it


MALFORMED_SHAPES = [
    (
        "ex:S sh:node ex:T ; sh:in (ex:a) . ex:T sh:property ex:P . ex:P sh:minCount 1 .",
        "property shape http://e/P has no sh:path",
    ),  # nested: it was compiled, its path taken from a list
    (
        'ex:S sh:property ex:P . ex:P sh:path ex:p ; sh:minCount "one" .',
        "shape http://e/P: sh:minCount one is not an integer",
    ),
    ("ex:S sh:nodeKind ex:Nope .", "shape http://e/S: sh:nodeKind http://e/Nope is not a SHACL node kind"),
    ('ex:S sh:nodeKind sh:IRI ; sh:severity "high" .', "shape http://e/S: sh:severity high is not an IRI"),
]


@pytest.mark.parametrize("turtle, message", MALFORMED_SHAPES)
def test_a_malformed_shape_is_one_input_error_naming_it(turtle, message):
    """Not a ValueError or KeyError from inside the compiler, nor a query that checks something else."""
    from rdflib import Graph

    from imid_onto.validation.shacl_sparql import compile_shapes

    shapes = Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> .\n"
        f"ex:S a sh:NodeShape ; sh:targetClass ex:C . {turtle}",
        format="turtle",
    )
    with pytest.raises(InputError) as caught:
        compile_shapes(shapes)
    assert str(caught.value) == message


def essentials(results):
    return [(r.focus, r.shape, r.component, r.severity, r.path, r.value, r.message) for r in results]


@pytest.mark.parametrize("engine", ["oxigraph", "pyshacl"])
def test_a_dataset_is_validated_as_one_graph(tmp_path, engine):
    source = FIXTURES / "shapes" / "ClaimShape" / "invalid.ttl"
    quads = [
        ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode("https://w3id.org/imid-onto/test/graph"))
        for q in ox.parse(path=source, format=ox.RdfFormat.TURTLE)
    ]
    trig = tmp_path / "invalid.trig"
    trig.write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG))
    as_turtle = validate([source], derive_edges=False, engine=engine).results
    assert as_turtle
    assert essentials(validate([trig], derive_edges=False, engine=engine).results) == essentials(as_turtle)


@pytest.mark.slow
def test_cli_engines_print_the_same_report(tmp_path):
    import json

    source = FIXTURES / "shapes" / "EntityShape" / "invalid.ttl"
    reports = {}
    for engine in ("oxigraph", "pyshacl"):
        done = cli("validate", str(source), "--format", "json", "--engine", engine)
        assert done.returncode == 1 and done.stderr == ""
        reports[engine] = json.loads(done.stdout)
    assert reports["oxigraph"] == reports["pyshacl"]
    assert reports["oxigraph"]["summary"]["violation"] > 0


@pytest.fixture(scope="module")
def checked(synthetic):
    """The compiled shapes and the synthetic data in a store, as validate() has them (evaluate
    leaves the store as it found it)."""
    from imid_onto.io.rdf import load_store
    from imid_onto.model.kb import sources
    from imid_onto.validation.report import load_shapes
    from imid_onto.validation.shacl_sparql import compile_shapes

    return compile_shapes(load_shapes()), load_store(sources([synthetic.path]))


def test_forked_workers_give_the_same_results_as_one_process(synthetic, checked, tmp_path):
    from imid_onto.validation.shacl_sparql import evaluate

    plan, store = checked

    def key(results):
        return sorted((str(r.focus), str(r.shape), str(r.component), str(r.value), r.messages) for r in results)

    # the caller's own check runs once, in this process, whether the checks are shared or not
    log = tmp_path / "meanwhile.log"

    def meanwhile():
        with open(log, "a", encoding="utf-8") as out:  # a file: a forked child's calls would show too
            out.write(f"{os.getpid()}\n")

    one = evaluate(store, plan, workers=1, meanwhile=meanwhile)
    two = evaluate(store, plan, workers=2, meanwhile=meanwhile)
    assert key(two) == key(one)
    assert {(r.focus.value, str(r.shape), str(r.component)) for r in two} == synthetic.expected
    assert log.read_text().split() == [str(os.getpid())] * 2


def test_a_failing_check_of_the_callers_own_is_raised_and_the_forked_process_reaped(synthetic, checked, monkeypatch):
    from imid_onto.validation import shacl_sparql
    from imid_onto.validation.shacl_sparql import evaluate

    plan, store = checked
    open_before = sorted(os.listdir("/proc/self/fd"))
    children, real_fork = [], os.fork

    def fork():
        pid = real_fork()
        if pid:
            children.append(pid)
        return pid

    def meanwhile():
        raise LookupError("the caller's check failed")

    monkeypatch.setattr(shacl_sparql.os, "fork", fork)  # os's own: shacl_sparql.os is the os module
    with pytest.raises(LookupError, match="the caller's check failed"):
        evaluate(store, plan, workers=2, meanwhile=meanwhile)
    monkeypatch.undo()
    assert len(children) == 1
    with pytest.raises(ChildProcessError):  # reaped already
        os.waitpid(children[0], os.WNOHANG)
    assert sorted(os.listdir("/proc/self/fd")) == open_before  # no pipe left open
    found = evaluate(store, plan, workers=2)  # and the store is as it was
    assert {(r.focus.value, str(r.shape), str(r.component)) for r in found} == synthetic.expected
