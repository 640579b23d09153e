"""Publishing the release to a real Virtuoso (Graph Store Protocol PUT) and answering every
named query there: the answers must equal the local ones. The server is Debian's
virtuoso-opensource, started for this module by tests/virtuoso.py (CI installs it)."""

from __future__ import annotations

import os

import pytest

from imid_onto.io.endpoint import Endpoint, publish, select
from imid_onto.query import RemoteDataset, named_queries, run_query

from ..conftest import FIXTURES, imid
from ..virtuoso import Virtuoso

GRAPH = "https://w3id.org/imid-onto/kb"

#: Starting Virtuoso and publishing the whole release take a while: none of this is in the inner loop.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def virtuoso(virtuoso_binary, tmp_path_factory):
    with Virtuoso(tmp_path_factory.mktemp("virtuoso"), binary=virtuoso_binary, max_rows=100000) as server:
        yield server


@pytest.fixture(scope="module")
def published(virtuoso, release):
    out, _ = release
    env = dict(os.environ, IMID_TEST_PASSWORD=virtuoso.password)
    done = imid(
        "publish",
        "--endpoint",
        virtuoso.crud_url,
        "--graph",
        GRAPH,
        "--file",
        str(out / "imid-kb-full.ttl"),
        "--user",
        virtuoso.user,
        "--password-env",
        "IMID_TEST_PASSWORD",
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return done


def count(virtuoso) -> int:
    _, rows = select(
        Endpoint(virtuoso.sparql_url), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graphs=[GRAPH]
    )
    return int(rows[0][0])


def test_publish_uploads_the_whole_release_in_one_put(published, virtuoso, release):
    out, _ = release
    from imid_onto.io.rdf import read_graph

    triples = len(read_graph(out / "imid-kb-full.ttl"))
    assert published.stdout.strip() == (
        f"Published {out / 'imid-kb-full.ttl'} ({triples:,} triples) to <{GRAPH}> at {virtuoso.crud_url}: HTTP 201"
    )
    assert count(virtuoso) == triples


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_gives_the_same_answer_on_virtuoso(published, virtuoso, release, name):
    _, result = release
    remote = RemoteDataset(Endpoint(virtuoso.sparql_url), (GRAPH,))
    table = run_query(remote, named_queries()[name])
    assert table.columns == result.answers[name].columns
    assert table.rows == result.answers[name].rows
    assert table.rows, "every named query has an answer on the shipped data"


@pytest.fixture(scope="module")
def released(release):
    """The published file, queried locally (pyoxigraph): the reference for other parameters."""
    from imid_onto.io.rdf import read_graph
    from imid_onto.query import dataset_from_graph

    out, _ = release
    return dataset_from_graph(read_graph(out / "imid-kb-full.ttl"))


@pytest.mark.parametrize(
    ("name", "param", "value"),
    [
        ("evidence-for", "entity", "IKZF3"),
        ("evidence-for", "entity", "CRBN"),
        ("evidence-for", "entity", "ent:lenalidomide"),
        ("upstream-causes", "effect", "IL-2 up-regulation"),
        ("claims-by-source", "source", "kurtz-gotlib-2014"),
        ("downstream-effects", "protein", "CRBN"),
        ("downstream-effects", "protein", "Aiolos"),
        ("complex-components", "complex", "ent:CRL4-CRBN"),
    ],
)
def test_other_parameter_values_give_the_same_answer_on_virtuoso(published, virtuoso, released, name, param, value):
    remote = RemoteDataset(Endpoint(virtuoso.sparql_url), (GRAPH,))
    query = named_queries()[name]
    here, there = run_query(released, query, {param: [value]}), run_query(remote, query, {param: [value]})
    assert (there.columns, there.rows) == (here.columns, here.rows)
    assert here.rows or (name, value) == ("downstream-effects", "CRBN")  # CRBN is not degraded: no chain


# Every value a parameter can usefully take on the shipped data, found by a query.
PARAMETER_VALUES = {
    "evidence-for": (
        "entity",
        "SELECT DISTINCT ?v WHERE { { ?c rdf:subject ?v } UNION { ?c rdf:object ?v } ?c a imid:Claim }",
    ),
    "claims-by-source": (
        "source",
        "SELECT DISTINCT ?v WHERE { { ?c imid:hasQuote/oa:hasSource ?v } UNION { ?c prov:wasDerivedFrom ?v } }",
    ),
    "upstream-causes": ("effect", "SELECT DISTINCT ?v WHERE { ?c a imid:Claim ; rdf:object ?v }"),
    "downstream-effects": ("protein", "SELECT DISTINCT ?v WHERE { ?d imid:hasInput ?v }"),
    "complex-components": (
        "complex",
        "SELECT DISTINCT ?v WHERE { { ?v obo:BFO_0000051 ?x } UNION { ?x obo:BFO_0000050 ?v } }",
    ),
}


@pytest.mark.parametrize("name", sorted(PARAMETER_VALUES))
def test_every_parameter_value_gives_the_same_answer_on_virtuoso(published, virtuoso, released, name):
    param, values_query = PARAMETER_VALUES[name]
    prefixes = "".join(
        f"PREFIX {p}: <{iri}> "
        for p, iri in [
            ("imid", "https://w3id.org/imid-onto/ontology#"),
            ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
            ("oa", "http://www.w3.org/ns/oa#"),
            ("prov", "http://www.w3.org/ns/prov#"),
            ("obo", "http://purl.obolibrary.org/obo/"),
        ]
    )
    values = sorted(str(row[0]) for row in released.select(prefixes + values_query)[1])
    assert values
    remote = RemoteDataset(Endpoint(virtuoso.sparql_url), (GRAPH,))
    query = named_queries()[name]
    differ = [
        value
        for value in values
        if run_query(remote, query, {param: [f"<{value}>"]}).rows
        != run_query(released, query, {param: [f"<{value}>"]}).rows
    ]
    assert differ == [], f"{name}: {len(differ)} of {len(values)} values answer differently on Virtuoso"


def test_query_endpoint_on_the_command_line_matches_the_release_answers(published, virtuoso, release):
    out, _ = release
    done = imid(
        "query",
        "downstream-effects",
        "--param",
        "protein=Ikaros",
        "--format",
        "csv",
        "--endpoint",
        virtuoso.sparql_url,
        "--graph",
        GRAPH,
    )
    assert done.returncode == 0, done.stderr
    local = imid("query", "downstream-effects", "--param", "protein=Ikaros", "--format", "csv")
    assert done.stdout == local.stdout
    assert "https://w3id.org/imid-onto/kb/entity/myeloma-cell-death" in done.stdout


def test_publishing_again_replaces_the_graph(published, virtuoso, release):
    out, _ = release
    before = count(virtuoso)
    status, triples = publish(
        out / "imid-kb.ttl", virtuoso.crud_url, GRAPH, user=virtuoso.user, password=virtuoso.password
    )
    assert status == 200 and count(virtuoso) == triples < before  # the inferred triples are gone
    status, triples = publish(
        out / "imid-kb-full.ttl", virtuoso.crud_url, GRAPH, user=virtuoso.user, password=virtuoso.password
    )
    assert status == 200 and count(virtuoso) == triples == before


def test_a_file_that_does_not_parse_is_never_sent(published, virtuoso, tmp_path):
    before = count(virtuoso)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<https://w3id.org/imid-onto/test/a> <https://w3id.org/imid-onto/test/b> .\n", encoding="utf-8")
    env = dict(os.environ, IMID_TEST_PASSWORD=virtuoso.password)
    done = imid(
        "publish",
        "--endpoint",
        virtuoso.crud_url,
        "--graph",
        GRAPH,
        "--file",
        str(bad),
        "--user",
        virtuoso.user,
        "--password-env",
        "IMID_TEST_PASSWORD",
        env=env,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"imid-onto: error: {bad}:1:") and "Traceback" not in done.stderr
    assert count(virtuoso) == before  # the published graph is untouched


def test_a_wrong_password_is_refused_without_showing_it(published, virtuoso, release):
    out, _ = release
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    before = sorted(select(Endpoint(virtuoso.sparql_url), query, default_graphs=[GRAPH])[1], key=repr)
    env = dict(os.environ, IMID_TEST_PASSWORD="not-the-password-4711")
    done = imid(
        "publish",
        "--endpoint",
        virtuoso.crud_url,
        "--graph",
        GRAPH,
        "--file",
        str(out / "imid-kb.ttl"),
        "--user",
        virtuoso.user,
        "--password-env",
        "IMID_TEST_PASSWORD",
        env=env,
    )
    assert done.returncode == 2 and done.stdout == ""  # no "Published"
    assert "401" in done.stderr and "not-the-password-4711" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    # the refused upload (imid-kb.ttl, without the inferred triples) left the graph exactly as it was
    assert sorted(select(Endpoint(virtuoso.sparql_url), query, default_graphs=[GRAPH])[1], key=repr) == before


def test_a_missing_password_variable_is_a_usage_error(release):
    out, _ = release
    env = {k: v for k, v in os.environ.items() if k != "IMID_NO_SUCH_VARIABLE"}
    done = imid(
        "publish",
        "--endpoint",
        "http://127.0.0.1:9/crud",
        "--graph",
        GRAPH,
        "--file",
        str(out / "imid-kb.ttl"),
        "--user",
        "dba",
        "--password-env",
        "IMID_NO_SUCH_VARIABLE",
        env=env,
    )
    assert done.returncode == 2 and "IMID_NO_SUCH_VARIABLE" in done.stderr


# The rules of the named queries (tests/queries/test_query_rules.py), on their fixture graph:
# the same rows on Virtuoso as on pyoxigraph, for every parameter value the rules test uses.
RULES_GRAPH = "https://w3id.org/imid-onto/test/rules"
RULES_FIXTURE = FIXTURES / "queries" / "model2.ttl"
RULES_PARAMETERS = [
    ("conflicts", {}),
    ("neosubstrates", {}),
    ("open-questions", {}),
    ("downstream-effects", {"protein": ["protein P"]}),
    *(("upstream-causes", {"effect": [effect]}) for effect in ("cell death", "L up-regulation", "flare")),
    *(
        ("evidence-for", {"entity": [entity]})
        for entity in ("interleukin L", "drug one", "receptor R", "complex X", "protein T", "cell death")
    ),
]


@pytest.fixture(scope="module")
def rules_remote(virtuoso):
    status, _ = publish(RULES_FIXTURE, virtuoso.crud_url, RULES_GRAPH, user=virtuoso.user, password=virtuoso.password)
    assert status == 201
    return RemoteDataset(Endpoint(virtuoso.sparql_url), (RULES_GRAPH,))


@pytest.mark.parametrize(("name", "params"), RULES_PARAMETERS, ids=lambda v: v if isinstance(v, str) else "")
def test_the_query_rules_give_the_same_answers_on_virtuoso(rules_remote, name, params):
    from imid_onto.io.rdf import read_graph
    from imid_onto.query import dataset_from_graph

    local = dataset_from_graph(read_graph(RULES_FIXTURE))
    here, there = (
        run_query(local, named_queries()[name], params),
        run_query(rules_remote, named_queries()[name], params),
    )
    assert (there.columns, there.rows) == (here.columns, here.rows)
    assert here.rows
