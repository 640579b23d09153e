"""Query parameters: resolved from names, bound as terms; a hostile parameter can never change the query.

Property-based (hypothesis, derandomized): arbitrary strings (quotes, braces, angle
brackets, line breaks, ``#``, backslashes and ``\\u`` escapes, astral characters, SPARQL
keywords, strings that look like IRIs or CURIEs with something after them, empty and
blank) are given to every parameter of every named query, and

1. the texts sent to the engines (recorded at pyoxigraph's ``Store.query`` and rdflib's
   ``prepareQuery``, below ``Dataset.select``) are only ever the named query's own text,
   byte for byte, and the fixed texts of resolving a parameter and naming a node; the
   values reach the engine as RDF terms only. For a SPARQL endpoint (``with_values``), the
   text sent is the query's text with one block inserted, and pyoxigraph reads that block
   back as a VALUES of exactly the bound terms;
2. the answer is either the answer for the entity the string names (the same table as with
   that entity bound directly; and the string does name it: its IRI, a CURIE of it, one of
   its labels or synonyms, or its local name), or an ``InputError`` whose message is one
   line saying "no entity ...", "... is not a valid IRI" or "... names several entities".
   Nothing else is raised.
"""

from __future__ import annotations

import contextlib
import re
from unittest import mock

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from imid_onto.errors import InputError
from imid_onto.io.endpoint import Endpoint
from imid_onto.io.rdf import to_rdflib
from imid_onto.io.sparql_text import blank_out
from imid_onto.query import (
    Dataset,
    RemoteDataset,
    load_dataset,
    named_queries,
    named_query,
    resolve,
    run_query,
    with_values,
)
from imid_onto.query import run as queries
from imid_onto.vocab import PREFIXES, RDFS, SKOS, expand

from ..conftest import cli

QUERIES = named_queries()
PARAMS = [(q.name, p.name) for q in QUERIES.values() for p in q.params]
ENT = "https://w3id.org/imid-onto/kb/entity/"

# Deterministic and bounded: the same examples on every run, no example database written.
FAST = settings(
    derandomize=True, database=None, deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow]
)
SLOW = settings(FAST, max_examples=60)  # rdflib answers a query in up to 0.5 s

# --- what the strings are made of ---------------------------------------------------------

NAMES = [
    "IKZF1",
    "ikaros",
    "IKAROS",
    "Aiolos",
    "ent:IKZF1",
    "ent:IKZF3",
    f"<{ENT}IKZF1>",
    f"{ENT}IKZF1",
    "CRL4-CRBN",
    "myeloma cell death",
    "lu-2014-pubmed",
    "doc:lu-2014-pubmed",
    "lenalidomide",
    "CRBN",
    "cereblon",
    "claim:LUPM-01",
    "imid:Protein",
    "rdfs:label",
    "http://example.org/x",
    "<>",
    "<x>",
]
PIECES = [
    '"',
    "'",
    '"""',
    "'''",
    "{",
    "}",
    "<",
    ">",
    "\n",
    "\r",
    "\t",
    " ",
    "#",
    "\\",
    "\\u0022",
    '\\"',
    "\\n",
    ";",
    ".",
    ",",
    "?s",
    "$o",
    ":",
    "^^",
    "@en",
    "*",
    "(",
    ")",
    "|",
    "`",
    "\x00",
    "\x7f",
    "\u2028",
    "\U0001f9ea",
    "\U00010348",
    "é",
    "İ",
    "ß",
    "%22",
    "&quot;",
    "SELECT",
    "DROP ALL",
    "INSERT DATA",
    "DELETE WHERE",
    "SERVICE <http://127.0.0.1:9/>",
    "LOAD",
    "FROM",
    "CLEAR ALL",
    "UNION",
    "FILTER",
    "VALUES",
    "BIND",
    "OPTIONAL",
    "GRAPH",
    "WHERE",
    "LIMIT 1",
    "?s ?p ?o",
    "} ; DROP ALL #",
]
TEMPLATES = [
    "ent:IKZF1> } ; DROP ALL #",
    'IKZF1" } DROP ALL #',
    'x" } ; DROP ALL #',
    "IKZF1> . ?s ?p ?o",
    f"<{ENT}IKZF1> }} ; DROP ALL #",
    f"<{ENT}IKZF1> <{ENT}IKZF3>",
    "ent:IKZF1\n#",
    "IKZF1\\u0022",
    'x\n\\"',
    "ent:IKZF1 } UNION { ?s ?p ?o }",
    "ent:",
    "ent:IKZF1#",
    "ent:IKZF1?x",
    "",
    " ",
    "\n",
    " \t\n ",
    "\u2028",
    '"IKZF1"',
    "'IKZF1'",
    "IKZF1@en",
    '"IKZF1"@en',
    "ikzf1^^xsd:string",
]

hostile = st.one_of(
    st.sampled_from(TEMPLATES + NAMES),
    st.text(max_size=40),  # any characters but lone surrogates
    st.text(st.characters(min_codepoint=0x10000), max_size=8),  # astral
    st.lists(st.one_of(st.sampled_from(PIECES + NAMES), st.text(max_size=4)), max_size=8).map("".join),
    st.builds(
        lambda before, name, after: before + name + after,  # a real name with something around it
        st.sampled_from(["", "", " ", "\n", "<", '"', "ent:", "\t "]),
        st.sampled_from(NAMES),
        st.one_of(st.sampled_from(["", "", " ", "\n", " \t", ">", '"', "#", "> } ; DROP ALL #"]), st.text(max_size=6)),
    ),
    st.builds(
        lambda before, name, upper, after: before + (name.upper() if upper else name) + after,  # real names
        st.sampled_from(["", " ", "\n", "\t", "\u2028", " \r\n"]),
        st.sampled_from(NAMES),
        st.booleans(),
        st.sampled_from(["", " ", "\n", "\t", "\u3000", "\x0b"]),
    ),
)

# --- the data, and what reaches the engines ---------------------------------------------------

SENT: list[tuple[str, str]] = []  # (engine, text) as the engines got them
SELECTS: list[tuple[str, dict]] = []  # (text, bindings) as Dataset.select / RemoteDataset.select got them
REMOTE: list[tuple[str, dict, str]] = []  # (text, bindings, text sent to the endpoint)


class RecordingStore:
    """pyoxigraph's store as Dataset.select uses it, recording each query text it runs."""

    def __init__(self, store: ox.Store):
        self._store = store

    def __getattr__(self, name):  # index lookups (quads_for_pattern) carry no query text
        return getattr(self._store, name)

    def query(self, text, **options):
        SENT.append(("oxigraph", text))
        for variable, term in (options.get("substitutions") or {}).items():
            assert isinstance(variable, ox.Variable) and isinstance(term, (ox.NamedNode, ox.Literal)), (variable, term)
        return self._store.query(text, **options)


class RecordingDataset(Dataset):
    def select(self, text, bindings=None, *, engine="oxigraph"):
        SELECTS.append((text, dict(bindings or {})))
        return super().select(text, bindings, engine=engine)


class LocalEndpoint(RemoteDataset):
    """A RemoteDataset whose endpoint is the local store: the real with_values path, run by pyoxigraph."""

    def select(self, text, bindings=None, *, engine="remote"):
        SELECTS.append((text, dict(bindings or {})))
        return super().select(text, bindings, engine=engine)


@pytest.fixture(scope="module")
def base() -> Dataset:
    data = load_dataset(asserted_only=True)
    _ = data.graph  # the rdflib graph, made once
    return data


@pytest.fixture(scope="module")
def spied(base):
    """The same data behind recording engines; and a SPARQL endpoint that is that data."""
    from rdflib.plugins import sparql

    real_prepare = sparql.prepareQuery

    def prepare(text, *args, **kwargs):
        SENT.append(("rdflib", text))
        return real_prepare(text, *args, **kwargs)

    def endpoint_select(endpoint, text, *, default_graphs=()):
        REMOTE.append((*SELECTS[-1], text))
        return base.select(text)  # no bindings: only the text carries them

    local = RecordingDataset(RecordingStore(base.store), base.inference)
    local._graph = base.graph
    remote = LocalEndpoint(Endpoint("http://127.0.0.1:9/sparql"))
    with (
        mock.patch.object(sparql, "prepareQuery", prepare),
        mock.patch("imid_onto.io.endpoint.select", endpoint_select),
    ):
        yield local, remote


@pytest.fixture(scope="module")
def fixed_texts(spied):
    """Every text sent while answering each query that has parameters with its defaults,
    and resolving names of each kind (label, synonym, CURIE, IRI, local name, unknown)."""
    local, remote = spied
    SENT.clear()
    SELECTS.clear()
    REMOTE.clear()
    for data, engines in ((local, ("oxigraph", "rdflib")), (remote, ("remote",))):
        for name in sorted({name for name, _ in PARAMS}):
            for engine in engines:
                run_query(data, QUERIES[name], engine=engine)
        for value in ("Ikaros", "ent:IKZF1", f"<{ENT}IKZF1>", "lu-2014-pubmed", "no such thing", "ent:nothing"):
            with contextlib.suppress(InputError):
                resolve(data, value)
    texts = {text for _, text in SENT} | {text for text, _ in SELECTS}
    assert {QUERIES[name].text for name, _ in PARAMS} <= texts
    assert not any("Ikaros" in t or "no such thing" in t for t in texts)  # the values went as terms
    return texts


_EXPECTED: dict[tuple, tuple] = {}


def expected(base, query, param, term, engine):
    """The answer with ``term`` bound directly: run_query with resolve() replaced by it."""
    key = (query.name, param, term, engine)
    if key not in _EXPECTED:
        with mock.patch.object(queries, "resolve", lambda dataset, value: term):
            table = run_query(base, query, {param: ["(replaced)"]}, engine=engine)
        _EXPECTED[key] = (table.columns, table.rows)
    return _EXPECTED[key]


def names(graph, value: str, term: URIRef) -> bool:
    """Whether ``value`` names ``term``: its IRI, a CURIE of it, a label or synonym (any
    case), or its local name as a document or entity."""
    value = value.strip()
    iri = str(term)
    if value in (f"<{iri}>", iri) or (":" in value and expand(value) == iri):
        return True
    labels = {str(o).lower() for p in (RDFS.label, SKOS.altLabel, SKOS.hiddenLabel) for o in graph.objects(term, p)}
    if value.lower() in labels:
        return True
    return any(iri == str(PREFIXES[prefix]) + value for prefix in ("doc", "ent"))


ERROR = re.compile(r"no entity |is not a valid IRI|names several entities")


def check_error(err: InputError, value: str) -> None:
    message = str(err)
    assert type(err) is InputError, type(err)
    assert ERROR.search(message), message
    assert len(message.splitlines()) == 1 and "\n" not in message and "\r" not in message, message
    assert "Traceback" not in message
    assert repr(value.strip()) in message  # it says which value


def check_sent(fixed_texts, query, answered: bool) -> None:
    """Only fixed texts reached the engines, with terms for values; the named query ran
    (its own text, byte for byte) if and only if there is an answer."""
    for engine, text in SENT:
        assert text in fixed_texts, (engine, text)
    for text, bindings in SELECTS:
        assert text in fixed_texts, text
        assert all(isinstance(t, (URIRef, Literal)) for t in bindings.values()), bindings
    ran = [text for text, _ in SELECTS if text.encode() == query.text.encode()]
    assert bool(ran) == answered
    if SENT and answered:  # a local engine: it got the text itself
        assert any(text.encode() == query.text.encode() for _, text in SENT)


def check_values_blocks() -> None:
    """Each text sent to the endpoint is the query's text with one block inserted at its
    first syntactic brace, and that block is a VALUES of exactly the bound terms."""
    for text, bindings, sent in REMOTE:
        if not bindings:
            assert sent == text
            continue
        brace = blank_out(text).find("{") + 1
        tail = len(text) - brace
        assert sent[:brace] == text[:brace] and sent[len(sent) - tail :] == text[brace:]
        block = sent[brace : len(sent) - tail]
        assert block.startswith(" { SELECT * WHERE { VALUES (") and block.endswith(" } } } ")
        solutions = ox.Store().query("SELECT * WHERE {" + block + "}")
        variables = [v.value for v in solutions.variables]
        rows = [{name: to_rdflib(row[name]) for name in variables} for row in solutions]
        assert sorted(variables) == sorted(bindings) and rows == [bindings], (block, bindings)
        # the whole text parses too, as one SELECT
        assert isinstance(ox.Store().query(sent), ox.QuerySolutions)


def attempt(base, data, fixed_texts, query_name, param, value, engine):
    query = QUERIES[query_name]
    SENT.clear()
    SELECTS.clear()
    REMOTE.clear()
    try:
        table = run_query(data, query, {param: [value]}, engine=engine)
    except InputError as err:
        check_sent(fixed_texts, query, answered=False)
        check_values_blocks()
        check_error(err, value)
        with pytest.raises(InputError) as again:  # the value, not the query, is what failed
            resolve(base, value)
        assert str(again.value) == str(err)
        return
    check_sent(fixed_texts, query, answered=True)
    check_values_blocks()
    term = resolve(base, value)
    assert names(base.graph, value, term), (value, term)
    engine_used = "oxigraph" if engine == "remote" else engine
    assert (table.columns, table.rows) == expected(base, query, param, term, engine_used)


@pytest.mark.slow
@pytest.mark.parametrize("query_name,param", PARAMS)
@FAST
@given(value=hostile)
def test_a_hostile_parameter_on_oxigraph(base, spied, fixed_texts, query_name, param, value):
    attempt(base, spied[0], fixed_texts, query_name, param, value, "oxigraph")


@pytest.mark.slow
@pytest.mark.parametrize("query_name,param", PARAMS)
@SLOW
@given(value=hostile)
def test_a_hostile_parameter_on_rdflib(base, spied, fixed_texts, query_name, param, value):
    attempt(base, spied[0], fixed_texts, query_name, param, value, "rdflib")


@pytest.mark.slow
@pytest.mark.parametrize("query_name,param", PARAMS)
@FAST
@given(value=hostile)
def test_a_hostile_parameter_sent_to_an_endpoint(base, spied, fixed_texts, query_name, param, value):
    attempt(base, spied[1], fixed_texts, query_name, param, value, "remote")


@FAST
@given(name=st.sampled_from(sorted(QUERIES)), param=hostile)
def test_a_hostile_parameter_name_is_an_unknown_parameter(base, name, param):
    query = QUERIES[name]
    if param in {p.name for p in query.params}:
        return
    with pytest.raises(InputError) as err:
        run_query(base, query, {param: ["IKZF1"]})
    message = str(err.value)
    assert f"has no parameter {param!r}" in message and len(message.splitlines()) == 1


def test_the_examples_include_real_answers_and_each_kind_of_error(base, spied, fixed_texts):
    """The property is not vacuous: some hostile-looking values do name an entity."""
    local, remote = spied
    for value in (" Ikaros\n", "ent:IKZF1 ", f"\t<{ENT}IKZF1>"):
        attempt(base, local, fixed_texts, "evidence-for", "entity", value, "oxigraph")
        assert resolve(base, value) == URIRef(f"{ENT}IKZF1")
    kinds = {}
    for value in ("ent:IKZF1> } ; DROP ALL #", "ent:IKZF1>", "<x>", 'x" } ; DROP ALL #', "ent:nothing"):
        with pytest.raises(InputError) as err:
            run_query(local, QUERIES["evidence-for"], {"entity": [value]})
        check_error(err.value, value)
        kinds[value] = ERROR.search(str(err.value)).group(0)
    assert kinds == {
        "ent:IKZF1> } ; DROP ALL #": "no entity ",
        "ent:IKZF1>": "is not a valid IRI",
        "<x>": "is not a valid IRI",
        'x" } ; DROP ALL #': "no entity ",
        "ent:nothing": "no entity ",
    }


def test_a_name_of_several_entities_is_a_one_line_error(tmp_path):
    twins = tmp_path / "twins.ttl"
    twins.write_text(
        f"""@prefix ent: <{ENT}> .
@prefix imid: <https://w3id.org/imid-onto/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ent:twin-a a imid:Protein ; rdfs:label "Twin"@en .
ent:twin-b a imid:Protein ; rdfs:label "Twin"@en .
""",
        encoding="utf-8",
    )
    data = load_dataset([twins], asserted_only=True)
    for value in ("twin", " TWIN\n", "Twin"):
        with pytest.raises(InputError) as err:
            run_query(data, QUERIES["evidence-for"], {"entity": [value]})
        check_error(err.value, value)
        assert "names several entities: ent:twin-a, ent:twin-b; use an IRI or CURIE" in str(err.value)
    assert resolve(data, "ent:twin-a") == URIRef(f"{ENT}twin-a")


def test_a_literal_that_rdflib_would_write_wrongly_reaches_an_endpoint_intact(base, spied, fixed_texts):
    """rdflib's n3() writes 'x<newline>\\\\"' as \"\"\"x<newline>\\\\\\\\\"\"\"\" (the last quote
    unescaped): with_values used it, and the endpoint got a query that does not parse."""
    attempt(base, spied[1], fixed_texts, "evidence-for", "entity", 'x\n\\"', "remote")
    assert any(bindings.get("wanted") == Literal('x\n\\"') for _, bindings, _ in REMOTE)


def test_the_cli_refuses_a_hostile_parameter_in_one_line():
    done = cli("query", "downstream-effects", "-p", 'protein=x" } ; DROP ALL #')
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    # without Java the reasoner's stand-in adds one warning line first; nothing else may appear
    lines = [line for line in done.stderr.splitlines() if not line.startswith("imid-onto: warning: ")]
    assert len(lines) == 1 and lines[0].startswith("imid-onto: error: no entity named 'x\" } ; DROP ALL #'"), (
        done.stderr
    )


# --- other hostile parameters, and VALUES for an endpoint ----------------------------------


@pytest.mark.parametrize("value", ['IKZF1" } DROP ALL #', "IKZF1> . ?s ?p ?o", "{ }", "ent:IKZF1\n#", "IKZF1\\u0022"])
def test_a_hostile_parameter_is_only_ever_a_missing_entity(asserted, value):
    query = named_query("evidence-for")
    text = query.text
    with pytest.raises(InputError, match="no entity|not a valid IRI"):
        run_query(asserted, query, {"entity": [value]})
    assert query.text == text == named_query("evidence-for").text


def test_values_are_written_from_terms_not_from_user_text():
    from rdflib import Literal, URIRef

    text = "SELECT ?x WHERE { ?x ?p ?name }"
    hostile = 'x" } ; DROP ALL ; SELECT * { "'
    bound = with_values(text, {"name": Literal(hostile), "p": URIRef("https://w3id.org/imid-onto/test/p")})
    import pyoxigraph as ox

    store = ox.Store()
    store.add(
        ox.Quad(
            ox.NamedNode("https://w3id.org/imid-onto/test/s"),
            ox.NamedNode("https://w3id.org/imid-onto/test/p"),
            ox.Literal(hostile),
        )
    )
    rows = list(store.query(bound))
    assert [r["x"].value for r in rows] == ["https://w3id.org/imid-onto/test/s"]  # one query, the literal matched
    with pytest.raises(InputError, match="is not an IRI"):
        with_values(text, {"p": URIRef("https://w3id.org/imid-onto/test/> } DROP ALL {")})


def test_values_bind_like_pre_binding_on_every_parameterized_query():
    """The text with_values sends answers what the local pre-binding answers: the block lands
    in the WHERE group (not in the header comments before it) and binds the parameter."""
    import pyoxigraph as ox

    from imid_onto.io.rdf import to_oxigraph
    from imid_onto.query import load_dataset, resolve

    dataset = load_dataset(asserted_only=True)
    checked = 0
    for query in named_queries().values():
        for param in query.params:
            for default in param.defaults:
                term = resolve(dataset, default)
                bound = with_values(query.text, {param.name: term})
                assert bound.count("{ SELECT * WHERE { VALUES") == 1
                head, _, body = bound.partition("{ SELECT * WHERE { VALUES")
                assert head.rstrip().endswith("WHERE {"), query.name  # opens the WHERE group
                prebound = list(
                    dataset.store.query(query.text, substitutions={ox.Variable(param.name): to_oxigraph(term)})
                )
                joined = list(dataset.store.query(bound))
                assert prebound and [tuple(s) for s in joined] == [tuple(s) for s in prebound], query.name
                checked += 1
    assert checked >= 6


def test_values_refuse_what_is_not_an_iri_or_literal():
    from rdflib import BNode, Literal, URIRef

    from imid_onto.errors import InputError

    text = "SELECT ?x WHERE { ?x ?p ?o }"
    with pytest.raises(InputError):
        with_values(text, {"o": Literal("1", datatype=URIRef("https://w3id.org/imid-onto/test/> } DROP ALL {"))})
    with pytest.raises(InputError):
        with_values(text, {"o": BNode()})
    with pytest.raises(InputError):
        with_values(text, {"o } DROP ALL {": Literal("x")})
    with pytest.raises(InputError):
        with_values("# { not a group\nASK", {"o": Literal("x")})


def test_values_go_into_the_where_group_past_strings_with_escaped_quotes():
    """The old blanking read \\" before a long string's closing quotes as its end, and took a
    brace inside the next string for the group's."""
    text = 'SELECT ("""a\\"""" AS ?x) ("{" AS ?y) ?s WHERE { ?s ?p ?o }'
    bound = with_values(text, {"s": URIRef("http://example.org/s")})
    assert bound == (
        'SELECT ("""a\\"""" AS ?x) ("{" AS ?y) ?s WHERE { { SELECT * WHERE { VALUES (?s) '
        "{ (<http://example.org/s>) } } }  ?s ?p ?o }"
    )
