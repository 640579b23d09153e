"""A user's query (``query --file``) is offline by construction: the SPARQL text is checked
from its parse (imid_onto.io.sparql_text), and what reaches the network is refused.

1. Property-based (hypothesis, derandomized): queries with ``SERVICE <http://127.0.0.1:PORT/...>``
   hidden in every lexical context SPARQL 1.1 allows (the four string forms with their escapes,
   comments ending in LF, CR or CRLF, IRIs, prefixed names with escapes, ``\\u`` and ``\\U``
   escapes of any character, any letter case, SILENT, inside OPTIONAL, UNION, MINUS, GRAPH,
   FILTER EXISTS and sub-selects) are given to the API (in this process) and, for a handful,
   to the command line, on both engines. A socket listening on 127.0.0.1 counts the
   connections: every query is refused (one line) or answered with none.
2. The bypasses found by the old check, through the command line; what the checker refuses
   and where it says the problem is; network keywords refused, and allowed where they are
   only words (in comments, strings, IRIs and names).

(The limits on rows, memory and time: tests/queries/test_query_limits.py.)
"""

from __future__ import annotations

import os
import socket
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from rdflib import Literal

from imid_onto.errors import InputError
from imid_onto.io.sparql_text import check_query
from imid_onto.query import Dataset, Limits, run_query, user_query

from ..conftest import cli, one_error_line

ENGINES = ("oxigraph", "rdflib")


class Listener:
    """A socket on 127.0.0.1 that accepts connections, counts them and closes them at once
    (so a client waiting for an answer gets none and goes on)."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port = self.socket.getsockname()[1]
        self.accepted: list[int] = []  # the client ports, in the order accepted
        self.markers: set[int] = set()  # where our own marker connections stand in ``accepted``
        self.lock = threading.Condition()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, (_, port) = self.socket.accept()
            except OSError:
                return
            with self.lock:
                self.accepted.append(port)
                self.lock.notify_all()
            connection.close()

    def connections(self) -> int:
        """The connections so far, not counting ours: a marker connection is made and waited
        for, and connections are accepted in the order they were made. The marker is found by
        its place, not its port alone: a client port is reused once its connection is closed,
        so an earlier connection may have had the marker's port (while the marker is open, no
        other connection has it, so it is the last with that port)."""
        with self.lock:
            start = len(self.accepted)
        with socket.create_connection(("127.0.0.1", self.port)) as marker:
            port = marker.getsockname()[1]
            with self.lock:
                assert self.lock.wait_for(lambda: port in self.accepted[start:], timeout=60), "the listener stopped"
                self.markers.add(len(self.accepted) - 1 - self.accepted[::-1].index(port))
                return len(self.accepted) - len(self.markers)


@pytest.fixture(scope="module")
def listener():
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.lower().endswith("_proxy")}
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = ""  # so no client goes through a proxy instead
    listening = Listener()
    yield listening
    listening.socket.close()
    for name in ("NO_PROXY", "no_proxy"):
        os.environ.pop(name, None)
    os.environ.update(saved)


def service(listener: Listener, body: str = "?a ?b ?c", silent: bool = True) -> str:
    return f"SERVICE {'SILENT ' if silent else ''}<http://127.0.0.1:{listener.port}/sparql> {{ {body} }}"


# --- the listener sees both engines ------------------------------------------------------------


def test_the_listener_sees_each_engine_reach_it_when_nothing_checks(listener, tiny):
    """Not vacuous: unchecked, pyoxigraph (native HTTP) and rdflib (urllib) do connect.
    (rdflib calls only ``SERVICE <IRI>``, without SILENT; pyoxigraph calls every form.)"""
    before = listener.connections()
    list(tiny.store.query(f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ {service(listener)} }} }}"))
    assert listener.connections() == before + 1
    with pytest.raises(OSError):  # the listener closes the connection unanswered
        list(tiny.graph.query(f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ {service(listener, silent=False)} }} }}"))
    assert listener.connections() == before + 2


# --- the property ------------------------------------------------------------------------------

QUOTES = ['"""', "'''", '"', "'"]
LINE_ENDS = ["\n", "\r", "\r\n", "\\u000A", "\\u000D", "\\u000D\\u000A", "\\U0000000A", "\\u000d"]


def escaped(char: str) -> list[str]:
    return [f"\\u{ord(char):04X}", f"\\U{ord(char):08x}"]


@st.composite
def string_body(draw, quote: str) -> str:
    """What may stand inside a string of the form ``quote``, and what looks as if it may:
    quotes (as written, escaped, and as escapes that become quotes), backslashes, line ends,
    comment and group signs."""
    q, other = quote[0], "'" if quote[0] == '"' else '"'
    pieces = [
        "a",
        " ",
        "#",
        "{",
        "}",
        ")",
        "\\n",
        "\\\\",
        f"\\{q}",
        f"\\{other}",
        other,
        other * 3,
        *escaped(q),
        *escaped(other),
        *escaped("\\"),
        "\\u005C\\u005C",
        f"\\u005C{q}",
        *escaped("#"),
        *escaped("\n"),
        *escaped("\r"),
    ]
    if len(quote) == 3:
        pieces += [q, q * 2, "\n", "\r\n", "\r", f"\\{q * 3}", f"{q}\\{q}", f"{q * 2}\\{q}"]
    return "".join(draw(st.lists(st.sampled_from(pieces), max_size=4)))


@st.composite
def in_strings(draw) -> tuple[str, str]:
    """Strings around the SERVICE clause: it is inside one (as written, or as the escapes
    make it), or between two; a string often ends in an escape that may or may not end it."""
    first = draw(st.sampled_from(QUOTES))
    second = draw(st.sampled_from([first, *QUOTES]))

    def body(quote: str) -> str:
        end = draw(st.sampled_from([f"\\{quote[0]}", "", f"\\u005C{quote[0]}", "\\\\", *escaped(quote[0])]))
        return draw(string_body(quote)) + end

    if draw(st.booleans()):  # opened before the clause, closed after it
        return f"FILTER(?o != {first}{body(first)}", f"{body(first)}{first}) "
    return f"FILTER(?o != {first}{body(first)}{first}) ", f" FILTER(?o != {second}{body(second)}{second}) "


@st.composite
def in_comment(draw) -> tuple[str, str]:
    """A comment before the clause, ended (by a line end, or an escape of one) before it or
    after it."""
    junk = draw(st.sampled_from(["", "x", "\\", '"', "'''", "<", *escaped("\n"), *escaped('"')]))
    if draw(st.booleans()):
        return f"# {junk}{draw(st.sampled_from(LINE_ENDS))}", ""
    return f"# {junk} ", draw(st.sampled_from(LINE_ENDS))


#: (before, after) around the SERVICE clause: the lexical context it is hidden in, or not.
contexts = st.one_of(
    st.just(("", "")),
    in_comment(),
    in_comment(),
    in_strings(),
    in_strings(),
    in_strings(),
    st.tuples(
        st.sampled_from(
            [
                "?s <http://example.org/#> ?o . ",
                "?s <http://example.org/a\\u003E ?o . ",
                "?s <http://example.org/a#b\\u003E ?o .#\n",
                "?s <http://example.org/'> ?o . ",
                "?s <http://example.org/\\u0022> ?o . ",
                '?s <http://example.org/"> ?o . ',
            ]
        ),
        st.just(""),
    ),
    st.tuples(
        st.sampled_from(
            [
                "?s ex:a\\# ?o . ",
                "?s ex:a\\' ?o . ",
                "?s ex:\\#b ?o . ",
                "?s ex:a\\u005C# ?o . ",
                "?s ex:a ?o . #",
                "?s ex:a\\#b ?o #",
            ]
        ),
        st.sampled_from(["", "\n"]),
    ),
)
WRAPPERS = [
    "{}",
    "OPTIONAL {{ {} }}",
    "{{ {} }} UNION {{ ?s ?p ?o }}",
    "{{ ?s ?p ?o }} UNION {{ {} }}",
    "FILTER EXISTS {{ {} }}",
    "FILTER NOT EXISTS {{ {} }}",
    "MINUS {{ {} }}",
    "GRAPH ?g {{ {} }}",
    "{{ SELECT * WHERE {{ {} }} }}",
    "BIND(EXISTS {{ {} }} AS ?e)",
    "FILTER(?o = 1 || NOT EXISTS {{ {} }})",
    "OPTIONAL {{ ?s ?p ?o FILTER EXISTS {{ {{ SELECT ?a WHERE {{ {} }} }} }} }}",
]
ENDPOINTS = [
    "<http://127.0.0.1:PORT/sparql>",
    "svc:sparql",
    "svc:",
    "?ep",
    "<http://127.0.0.1:PORT/sp\\u0061rql>",
    "svc:sp\\-arql",
]
keyword = st.builds(
    lambda word, flags: "".join(c.lower() if f else c for c, f in zip(word, flags, strict=False)),
    st.sampled_from(
        ["SERVICE", "\\u0053ERVICE", "SERVIC\\u0045", "\\U00000053ERVICE", "\\u0073ervice", "SERV\\u0049CE"]
    ),
    st.lists(st.booleans(), min_size=16, max_size=16),
)


@st.composite
def hidden_service(draw) -> tuple[str, list[tuple[int, int]]]:
    """A query template (PORT for the listener's port) and where to write characters as
    ``\\u`` / ``\\U`` escapes once the port is in: (position, form)."""
    before, after = draw(contexts)
    endpoint = draw(st.sampled_from(ENDPOINTS))
    silent = draw(st.sampled_from(["", "SILENT ", "silent ", "\\u0053ILENT "]))
    clause = f"{draw(keyword)} {silent}{endpoint} {{ ?a ?b ?c }}"
    wrapped = draw(st.sampled_from(WRAPPERS)).format(clause)
    bind = "VALUES ?ep { <http://127.0.0.1:PORT/sparql> } " if endpoint == "?ep" else ""
    text = (
        f"PREFIX svc: <http://127.0.0.1:PORT/>\nPREFIX ex: <http://example.org/>\n"
        f"SELECT * WHERE {{ {bind}?s ?p ?o . {before}{wrapped}{after} }}\n"
    )
    escapes = draw(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 3)), max_size=3))
    return text, escapes


def materialize(template: str, escapes: list[tuple[int, int]], port: int) -> str:
    text = template.replace("PORT", str(port))
    for position, form in sorted(escapes, reverse=True):
        position %= len(text)
        code = ord(text[position])
        written = [f"\\u{code:04X}", f"\\u{code:04x}", f"\\U{code:08X}", f"\\U{code:08x}"][form]
        if code <= 0xFFFF or form >= 2:
            text = text[:position] + written + text[position + 1 :]
    return text


def one_line(err: InputError) -> str:
    message = str(err)
    assert message and "\n" not in message and "\r" not in message, message
    return message


def refused_or_offline(listener: Listener, dataset: Dataset, path: Path, text: str) -> str:
    """Through the API: the query is refused (one line) or each engine answers it (or fails
    in one line) with no connection made. Returns what happened."""
    path.write_bytes(text.encode("utf-8"))
    before = listener.connections()
    try:
        query = user_query(path, Limits(seconds=120))
    except InputError as err:
        assert listener.connections() == before
        return "refused: " + one_line(err).split(": ", 1)[1][:40]
    outcome = "answered"
    for engine in ENGINES:
        for limits in (query.limits, None):  # in a forked process, and in this one
            try:
                run_query(dataset, replace(query, limits=limits), engine=engine)
            except InputError as err:
                one_line(err)
                outcome = "failed"
            finally:
                assert listener.connections() == before, (engine, limits, text)
    return outcome


#: Queries that got past the old check (strings and comments blanked out with regular
#: expressions, then keywords searched): the blanking took the escaped quote before a long
#: string's closing quotes for its end, and the rest of the line for a short string.
BYPASSES = {
    "optional-service-silent": 'SELECT * WHERE { ?s ?p ?o FILTER(?o != """x\\"""") OPTIONAL { SERVICE SILENT '
    '<http://127.0.0.1:PORT/sparql> { ?a ?b ?c } } FILTER(?o != "") }\n',
    "service": 'SELECT * WHERE { ?s ?p ?o FILTER(?o != """x\\"""") SERVICE <http://127.0.0.1:PORT/sparql> '
    '{ ?a ?b ?c } FILTER(?o != "") }\n',
    "single-quotes": "SELECT * WHERE { ?s ?p ?o FILTER(?o != '''x\\'''') SERVICE SILENT "
    "<http://127.0.0.1:PORT/sparql> { ?a ?b ?c } FILTER(?o != '') }\n",
}

#: Where the engines read a text differently unless they run the checker's text: a comment
#: ended by a carriage return (for pyoxigraph) or not (rdflib); an escaped quote that ends a
#: string for rdflib, which replaces the escapes first, and not for pyoxigraph; an escape
#: that a second replacement would read.
TRICKS = [
    "SELECT * WHERE { ?s ?p ?o # a comment\r"
    "OPTIONAL { SERVICE SILENT <http://127.0.0.1:PORT/sparql> { ?a ?b ?c } }\n}\n",
    'SELECT * WHERE { ?s ?p ?o FILTER(?o != "x\\u0022) SERVICE <http://127.0.0.1:PORT/sparql> { ?a ?b ?c } '
    'FILTER(?o != \\u0022") }\n',
    'SELECT * WHERE { ?s ?p "x\\u0022 . ?a ?b " SERVICE SILENT <http://127.0.0.1:PORT/sparql> { ?a ?b ?c } #"\n}\n',
    "SELECT * WHERE { ?s ?p ?o . \\u005Cu0053ERVICE SILENT <http://127.0.0.1:PORT/sparql> { } }\n",
    "SELECT * WHERE { ?s ?p ?o . FILTER(?o != '\\U00000027') SERVICE <http://127.0.0.1:PORT/sparql> { ?a ?b ?c } "
    "FILTER(?o != '\\U00000027') }\n",
]


@pytest.mark.slow
@settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=500,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=hidden_service())
@example(case=(BYPASSES["optional-service-silent"], []))
@example(case=(BYPASSES["service"], []))
@example(case=(TRICKS[0], []))
@example(case=(TRICKS[1], []))
@example(case=(TRICKS[2], []))
@example(case=(TRICKS[3], []))
@example(case=(TRICKS[4], []))
def test_a_hidden_service_is_refused_or_makes_no_connection_api(listener, tiny, tmp_path, case):
    template, escapes = case
    outcome = refused_or_offline(listener, tiny, tmp_path / "hidden.rq", materialize(template, escapes, listener.port))
    event(outcome)


def test_the_generated_queries_are_not_all_refused(listener, tiny, tmp_path):
    """The property is not vacuous: a SERVICE only written in a string, a comment or an IRI
    lets the query run (both engines answer), a real one is refused."""
    hidden = [
        f'SELECT * WHERE {{ ?s ?p ?o FILTER(?o != """{service(listener)} \\"""") }}',
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o != '{service(listener)}\\'') }}",
        f"SELECT * WHERE {{ ?s ?p ?o # {service(listener)}\r\n}}",
        f"SELECT * WHERE {{ ?s ?p ?o # {service(listener)} \\u0041 \\U00000042\n}}",
    ]
    for text in hidden:
        assert refused_or_offline(listener, tiny, tmp_path / "q.rq", text) == "answered", text
    for text in [
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o != '''x\\'''') {service(listener)} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o != 'x\\u0027) {service(listener)} #')\n}}",
        f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ ?s ex:a\\# ?o . {service(listener)} }}",
    ]:
        with pytest.raises(InputError, match="SERVICE is refused|does not parse"):  # rdflib fails on some
            check_query(text, "q.rq")


@pytest.mark.slow
@settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=4,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=hidden_service(), engine=st.sampled_from(ENGINES))
def test_a_hidden_service_is_refused_or_makes_no_connection_cli(listener, tmp_path, case, engine):
    path = tmp_path / "hidden.rq"
    path.write_bytes(materialize(*case, listener.port).encode("utf-8"))
    before = listener.connections()
    done = cli("query", "--file", str(path), "--engine", engine, "--asserted-only")
    assert listener.connections() == before
    if done.returncode != 0:
        one_error_line(done, 2)


# --- the bypasses of the issue, through the command line ------------------------------------------


@pytest.mark.parametrize("name", sorted(BYPASSES))
@pytest.mark.parametrize("engine", ENGINES)
def test_the_bypasses_are_refused_without_a_connection(listener, tmp_path, name, engine):
    """Each got past the old check (blanking strings and comments with regular expressions):
    pyoxigraph or rdflib sent the request, and with SILENT the command exited 0."""
    path = tmp_path / f"{name}.rq"
    path.write_bytes(BYPASSES[name].replace("PORT", str(listener.port)).encode())
    before = listener.connections()
    done = cli("query", "--file", str(path), "--engine", engine, "--asserted-only")
    assert listener.connections() == before
    message = one_error_line(done, 2)
    assert message.startswith(str(path)), message
    assert (
        message == f"{path}: SERVICE is refused (federated queries reach the network); imid-onto runs queries "
        "offline over its own data"
    )


# --- what is refused, and where --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ("ASK { ?s ?p ?o }", "q.rq: only SELECT queries are supported, not ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "q.rq: only SELECT queries are supported, not CONSTRUCT"),
        ("DESCRIBE <http://example.org/a>", "q.rq: only SELECT queries are supported, not DESCRIBE"),
        ("SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?o = ) }", "q.rq:3:3: the query does not parse as SPARQL 1.1 ("),
        ("SELECT * WHERE {\n ?s ?p ?o .\\u0020FILTER(?o = ) }", "q.rq:2:18: the query does not parse as SPARQL 1.1 ("),
        ("SELECT * WHERE { ?s ?p ?o }\n# \\uD800", "q.rq:2:3: \\uD800 is not a character"),
        ("SELECT * WHERE { ?s ?p ?o }\n#  \\u005Cu0041", "q.rq:2:4: \\u0041 is an escape still there"),
        ("SELECT * WHERE { ?s ?p ?o }\n# x\r", "q.rq:2:4: a carriage return without a line feed after it is refused"),
        ("", "q.rq:1:1: the query does not parse as SPARQL 1.1 ("),
        ("LOAD <http://127.0.0.1:9/x.ttl> ; CLEAR ALL", "q.rq: LOAD is refused (LOAD reads from the network)"),
        ("CLEAR ALL ; LOAD <http://127.0.0.1:9/x.ttl>", "q.rq: LOAD is refused (LOAD reads from the network)"),
        ("DELETE WHERE { ?s ?p ?o }", "q.rq: DELETE is refused (queries may not change data)"),
        ("INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "q.rq: INSERT is refused (queries may not change data)"),
        ("DELETE { ?s ?p 1 } WHERE { ?s ?p ?o }", "q.rq: DELETE is refused (queries may not change data)"),
        ("DROP GRAPH <http://example.org/g>", "q.rq: DROP is refused (queries may not change data)"),
        ("CREATE GRAPH <http://example.org/g>", "q.rq: CREATE is refused (queries may not change data)"),
        ("ADD <http://example.org/g> TO DEFAULT", "q.rq: ADD is refused (queries may not change data)"),
        ("MOVE DEFAULT TO <http://example.org/g>", "q.rq: MOVE is refused (queries may not change data)"),
        ("COPY <http://example.org/g> TO DEFAULT", "q.rq: COPY is refused (queries may not change data)"),
        ("SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { }", "q.rq: FROM is refused (FROM names a remote dataset)"),
        ("SELECT (EXISTS { SERVICE <http://127.0.0.1:9/> { } } AS ?e) WHERE { }", "q.rq: SERVICE is refused"),
        ("SELECT ?s WHERE { ?s ?p ?o } ORDER BY (NOT EXISTS { SERVICE ?x { } })", "q.rq: SERVICE is refused"),
        (
            "SELECT ?s WHERE { ?s ?p ?o } GROUP BY ?s HAVING (EXISTS { MINUS { SERVICE <x:y> { } } })",
            "q.rq: SERVICE is refused",
        ),
        (
            "SELECT * WHERE { { SELECT ?s WHERE { GRAPH ?g { SERVICE <x:y> { ?s ?p ?o } } } } }",
            "q.rq: SERVICE is refused",
        ),
    ],
)
def test_what_the_checker_refuses_and_where(text, message):
    with pytest.raises(InputError) as caught:
        check_query(text, "q.rq")
    assert one_line(caught.value).startswith(message), caught.value


def test_the_engines_are_given_the_text_as_checked(tiny, tmp_path):
    """pyoxigraph gets the text with its escapes replaced, rdflib the parsed query itself."""
    path = tmp_path / "q.rq"
    path.write_text('SELECT ?o WHERE { ?s <http://example.org/\\u0070> ?o FILTER(?o = "\\u006F") }')
    query = user_query(path)
    assert query.checked.text == 'SELECT ?o WHERE { ?s <http://example.org/p> ?o FILTER(?o = "o") }'
    for engine in ENGINES:
        assert run_query(tiny, query, engine=engine).rows == [(Literal("o"),)]


@pytest.mark.parametrize(
    "engine, text, message",
    [
        (
            "rdflib",
            "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
            "the rdflib engine cannot answer this query "
            "(Exception: You performed a query operation requiring a dataset",
        ),
        (
            "oxigraph",
            "SELECT * WHERE { ?s skos:prefLabel ?o }",
            "the query does not parse: error at 1:35: expected one of",
        ),
    ],
)
def test_what_an_engine_cannot_answer_is_one_line(tmp_path, engine, text, message):
    """rdflib raised a bare Exception ("internal error"); pyoxigraph's message ran over lines."""
    path = tmp_path / "q.rq"
    path.write_text(text)
    done = cli("query", "--file", str(path), "--engine", engine, "--asserted-only")
    assert one_error_line(done, 2).startswith(f"{path}: {message}")


# --- network keywords, decided from the parse -----------------------------------------------


REFUSED_QUERIES = {
    "service": ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
    "service-lowercase": ("select * where { service <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
    "service-silent": ("SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
    "service-variable": ("SELECT * WHERE { VALUES ?e { <http://127.0.0.1:9/> } SERVICE ?e { ?s ?p ?o } }", "SERVICE"),
    "service-no-space": ("SELECT * WHERE { ?a ?b ?c .SERVICE<http://127.0.0.1:9/>{ ?s ?p ?o } }", "SERVICE"),
    "service-escaped": ("SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
    "from": ("SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }", "FROM"),
    "from-lowercase": ("select * from <http://127.0.0.1:9/data.ttl> where { ?s ?p ?o }", "FROM"),
    "from-named": ("SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM"),
    "load": ("LOAD <http://127.0.0.1:9/data.ttl>", "LOAD"),
    "load-lowercase": ("load silent <http://127.0.0.1:9/data.ttl> into graph <http://example.org/g>", "LOAD"),
    "insert": ("INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }", "INSERT"),
}


ALLOWED_QUERIES = {
    "comment": "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/> FROM <http://127.0.0.1:9/>",
    "string": 'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { } LOAD FROM" }',
    "long-string": "SELECT * WHERE { ?s ?p '''a\nservice\nfrom''' }",
    "iri": "SELECT * WHERE { ?s <http://example.org/service/from/load> ?o }",
    "variables": "SELECT ?service ?from WHERE { ?service ?load $from }",
    "prefixed-names": (
        "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:from ?o ; service:web-service ?x }"
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSED_QUERIES))
def test_network_keywords_are_refused(name):
    text, keyword = REFUSED_QUERIES[name]
    with pytest.raises(InputError, match=rf"^q\.rq: {keyword} is refused \(") as caught:
        check_query(text, "q.rq")
    assert "offline" in str(caught.value)


@pytest.mark.parametrize("name", sorted(ALLOWED_QUERIES))
def test_keywords_in_comments_strings_iris_and_names_are_not_refused(name):
    check_query(ALLOWED_QUERIES[name], "q.rq")
