"""A small client for standard SPARQL stores (Virtuoso, Fuseki, GraphDB, Oxigraph server).

Three operations, plain HTTP with the standard library: :func:`put_graph` replaces one
named graph in a single request (SPARQL 1.1 Graph Store HTTP Protocol; :func:`publish`
parses the file first), :func:`post_dataset` adds the graphs of a dataset (TriG: the
nanopublications) at the store's dataset endpoint, and :func:`select` runs a SELECT query
(SPARQL 1.1 Protocol) and returns the variables and the rows as rdflib terms. Each is bounded in time and bytes, and
every failure is one :class:`RemoteError` naming the URL, with the password never shown.
The bounds, authentication, and Virtuoso's ways: ``docs/design/endpoint.md``.
"""

from __future__ import annotations

import base64
import contextlib
import contextvars
import html
import http.client
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

from imid_onto.errors import InputError, RemoteError, printable, redact

__all__ = [
    "publish",
    "post_dataset",
    "Endpoint",
    "RemoteError",
    "Row",
    "json_term",
    "parse_results",
    "put_graph",
    "select",
]

RESULTS_JSON = "application/sparql-results+json"
_FORM = "application/x-www-form-urlencoded"  # a query, POSTed
MAX_ROWS_HEADER = "X-SPARQL-MaxRows"  # Virtuoso: ResultSetMaxRows capped these results
SQL_STATE_HEADER = "X-SQL-State"  # Virtuoso: "S1TAT" = an "anytime" query cut short by a timeout
PARTIAL_STATE = "S1TAT"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
TIMEOUT = 300.0  #: seconds for a whole exchange with the store, by default
MAX_BYTES = 1 << 30  #: the most bytes of an answer read, by default (1 GiB)

Row = tuple[Identifier | None, ...]


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL 1.1 Protocol query endpoint, e.g. ``http://127.0.0.1:8890/sparql``."""

    url: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = TIMEOUT  #: seconds for the whole exchange of each query
    max_bytes: int = MAX_BYTES  #: the most bytes of results read
    deadline: float | None = None  #: a time.monotonic() value by which every query must end (one limit for several)


def put_graph(
    store_url: str,
    graph_iri: str,
    data: bytes,
    content_type: str,
    *,
    user: str | None = None,
    password: str | None = None,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
) -> int:
    """Replace the graph ``graph_iri`` in the store with ``data`` (one ``PUT``).

    ``store_url`` is the Graph Store Protocol service (Virtuoso:
    ``http://host:8890/sparql-graph-crud-auth``; Fuseki: ``http://host:3030/ds/data``).
    Returns the HTTP status (201 Created or 200/204 by the protocol).
    """
    with _bounded(password, timeout, max_bytes) as limits:
        _check_url(store_url)
        try:
            pyoxigraph.NamedNode(graph_iri)  # strict: absolute, nothing a query string could be made of
        except ValueError:
            raise RemoteError(f"{_shown(store_url)}: {graph_iri!r} is not an absolute IRI to PUT to") from None
        separator = "&" if urllib.parse.urlsplit(store_url).query else "?"
        url = store_url + separator + urllib.parse.urlencode({"graph": graph_iri})
        request = urllib.request.Request(url, data=bytes(data), method="PUT", headers={"Content-Type": content_type})
        where = f"PUT {_shown(store_url)} (graph <{graph_iri}>)"
        unconfirmed = (
            "the graph may be as it was or, on a store whose PUT is not atomic, partly replaced: publish again"
        )
        return _upload(request, where, store_url, user, password, limits, unconfirmed)


def post_dataset(
    store_url: str,
    data: bytes,
    content_type: str,
    *,
    user: str | None = None,
    password: str | None = None,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
) -> int:
    """Add the graphs of the dataset ``data`` (TriG or N-Quads) to the store (one ``POST``
    to its dataset endpoint, no ``graph`` parameter: the Graph Store Protocol's service,
    which Oxigraph, ``http://host:7878/store``, and Fuseki, ``http://host:3030/ds``, take a
    dataset at). What the store held is kept. Returns the HTTP status (200, 201 or 204)."""
    with _bounded(password, timeout, max_bytes) as limits:
        _check_url(store_url)
        request = urllib.request.Request(
            store_url, data=bytes(data), method="POST", headers={"Content-Type": content_type}
        )
        where = f"POST {_shown(store_url)} (a dataset)"
        unconfirmed = "the store may hold all, part or none of it: publish again (what is there already is added once)"
        return _upload(request, where, store_url, user, password, limits, unconfirmed)


def _upload(request, where: str, url: str, user, password, limits: _Limits, unconfirmed: str) -> int:
    """Send the upload ``request`` and read the answer; the HTTP status. ``unconfirmed``
    says what the store may hold when no answer comes (:func:`_send`)."""
    with _send(request, where, url, user, password, limits, unconfirmed) as response:
        _read(response, f"{where}: reading the response", limits)
        return response.status


def publish(
    path: Path | str,
    store_url: str,
    graph_iri: str | None = None,
    *,
    user: str | None = None,
    password: str | None = None,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
) -> tuple[int, int]:
    """Upload the RDF file ``path`` as the graph ``graph_iri`` (one Graph Store Protocol
    PUT, replacing what the graph held), or, for a dataset (TriG, N-Quads: the release's
    nanopublications, ``imid-kb.trig``), add its graphs to the store (:func:`post_dataset`;
    no ``graph_iri``: each graph is named in the file). The file is parsed here first,
    strictly: a PUT is not atomic on every store (Virtuoso keeps the part before a syntax
    error and loses the old graph), so nothing that does not parse is sent. ``timeout``
    bounds the upload and the store's answer together (seconds), ``max_bytes`` the answer.
    Returns (HTTP status, number of triples, or of quads for a dataset)."""
    from imid_onto.io.inputs import check_readable
    from imid_onto.io.rdf import format_of, load_store, read_bytes, read_quads

    path = Path(path)
    # missing, empty, not UTF-8, RDF/XML cut short (which the parser would read in part):
    # an InputError naming the file, and nothing is sent
    check_readable([path])
    rdf_format = format_of(path)  # a claims file (claim records) is published through the release
    dataset = rdf_format in (pyoxigraph.RdfFormat.TRIG, pyoxigraph.RdfFormat.N_QUADS)
    if dataset and graph_iri is not None:
        raise InputError(
            f"{path}: a dataset ({rdf_format.name}) names its own graphs: publish it without a graph IRI "
            "(it is added to the store's dataset endpoint)"
        )
    if not dataset and graph_iri is None:
        raise InputError(f"{path}: a graph file needs the IRI of the graph it replaces (--graph IRI)")
    data = read_bytes(path)
    # a syntax error: ParseError naming the file, line and column
    count = len(read_quads(path)) if dataset else len(load_store([path]))
    if count == 0:
        if dataset:
            raise InputError(f"{path}: no quads in it: nothing to publish")
        raise InputError(f"{path}: no triples in it: refusing to replace <{graph_iri}> with an empty graph")
    if read_bytes(path) != data:
        raise InputError(f"{path}: changed while it was being read: nothing sent; publish it again once written")
    if graph_iri is None:  # a dataset
        status = post_dataset(
            store_url, data, rdf_format.media_type, user=user, password=password, timeout=timeout, max_bytes=max_bytes
        )
    else:
        status = put_graph(
            store_url,
            graph_iri,
            data,
            rdf_format.media_type,
            user=user,
            password=password,
            timeout=timeout,
            max_bytes=max_bytes,
        )
    return status, count


def select(endpoint: Endpoint, query: str, *, default_graphs: Iterable[str] = ()) -> tuple[list[str], list[Row]]:
    """Run a SELECT query; return its variables and its rows (``None`` where unbound).

    ``default_graphs`` are sent as ``default-graph-uri`` parameters: on Virtuoso, without
    them the default graph is the union of every graph in the store, system graphs
    included. Raises :class:`RemoteError` rather than return incomplete results: when the
    server says it capped them (``X-SPARQL-MaxRows``, Virtuoso's ``ResultSetMaxRows``) and
    the cap was reached, or that it cut the query short at a time limit
    (``X-SQL-State: S1TAT``, Virtuoso's "anytime" answers: 200 OK and partial rows).
    """
    with _bounded(endpoint.password, endpoint.timeout, endpoint.max_bytes, endpoint.deadline) as limits:
        return _select(endpoint, query, list(default_graphs), limits)


def _select(endpoint: Endpoint, query: str, default_graphs: list[str], limits: _Limits) -> tuple[list[str], list[Row]]:
    _check_url(endpoint.url)
    fields = [("query", query)] + [("default-graph-uri", g) for g in default_graphs]
    request = urllib.request.Request(
        endpoint.url,
        data=urllib.parse.urlencode(fields).encode("ascii"),
        method="POST",
        headers={
            "Content-Type": _FORM,
            "Accept": RESULTS_JSON,
        },
    )
    where = _shown(endpoint.url)
    with _send(request, where, endpoint.url, endpoint.user, endpoint.password, limits) as response:
        body = _read(response, f"{where}: reading the results", limits)
        content_type = response.headers.get("Content-Type", "")
        max_rows = response.headers.get(MAX_ROWS_HEADER)
        sql_state = response.headers.get(SQL_STATE_HEADER)
        sql_message = response.headers.get("X-SQL-Message", "")
    if sql_state and sql_state.strip().upper() == PARTIAL_STATE:
        raise RemoteError(
            f"{where}: the server stopped the query at its time limit and returned partial "
            f"results ({SQL_STATE_HEADER}: {PARTIAL_STATE}"
            + (f", {_clip(' '.join(sql_message.split()), 200)}" if sql_message.strip() else "")
            + "; a Virtuoso 'anytime' query cut short): refusing to return them"
        )
    variables, rows = parse_results(body, source=where, content_type=content_type)
    if max_rows is not None:
        try:
            cap = int(max_rows.strip())
        except ValueError:
            cap = None
        if cap is not None and len(rows) >= cap:
            raise RemoteError(
                f"{where}: the results were truncated at {cap} rows by the server "
                f"({MAX_ROWS_HEADER}; Virtuoso's ResultSetMaxRows): refusing to return capped "
                "results; raise the server's limit or narrow the query"
            )
    return variables, rows


def parse_results(
    body: bytes | str | Mapping[str, Any], *, source: str = "response", content_type: str = ""
) -> tuple[list[str], list[Row]]:
    """Parse SPARQL 1.1 JSON SELECT results (bytes, text or the decoded object)."""
    if isinstance(body, Mapping):
        document: Any = body
    else:
        try:
            document = json.loads(body)
        except RecursionError:
            raise RemoteError(
                f"{source}: the response is not SPARQL JSON results: its JSON is nested too deeply to read"
            ) from None
        except (ValueError, UnicodeDecodeError) as err:
            kind = f" (Content-Type: {content_type})" if content_type else ""
            first = _first_line(body if isinstance(body, bytes) else body.encode("utf-8", "replace"))
            detail = f": {first}" if first else ""
            raise RemoteError(f"{source}: the response is not SPARQL JSON results{kind}: {err}{detail}") from None
    if not isinstance(document, Mapping):
        raise RemoteError(f"{source}: the response is not SPARQL JSON results (not a JSON object)")
    if "boolean" in document and "results" not in document:
        raise RemoteError(f"{source}: expected SELECT results, got an ASK (boolean) result")
    head, results = document.get("head"), document.get("results")
    if not isinstance(head, Mapping) or not isinstance(results, Mapping):
        raise RemoteError(f"{source}: the response is not SPARQL JSON results (no head or results)")
    variables = head.get("vars", [])
    bindings = results.get("bindings")
    if not isinstance(variables, list) or not all(isinstance(v, str) for v in variables):
        raise RemoteError(f"{source}: malformed SPARQL JSON results: head.vars is not a list of names")
    if not isinstance(bindings, list):
        raise RemoteError(f"{source}: malformed SPARQL JSON results: results.bindings is not a list")
    rows: list[Row] = []
    for number, binding in enumerate(bindings, 1):
        if not isinstance(binding, Mapping):
            raise RemoteError(f"{source}: malformed SPARQL JSON results: row {number} is not an object")
        try:
            rows.append(tuple(_term_or_none(binding.get(v)) for v in variables))
        except RemoteError as err:
            raise RemoteError(f"{source}: row {number}: {err}") from None
    return list(variables), rows


def json_term(value: Mapping[str, Any]) -> Identifier:
    """One RDF term from its SPARQL JSON form (also Virtuoso's ``typed-literal``).

    Virtuoso's blank-node labels ``nodeID://b10000`` become ``BNode("b10000")``.
    """
    if not isinstance(value, Mapping):
        raise RemoteError(f"malformed RDF term {_short(value)}")
    kind, text = value.get("type"), value.get("value")
    if not isinstance(text, str):
        raise RemoteError(f"RDF term without a string value: {_short(value)}")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        for prefix in ("nodeID://", "_:"):
            if text.startswith(prefix):
                text = text[len(prefix) :]
                break
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        lang = value.get("xml:lang")
        datatype = value.get("datatype")
        if not isinstance(lang, (str, type(None))) or not isinstance(datatype, (str, type(None))):
            raise RemoteError(f"literal with a language tag or datatype that is not a string: {_short(value)}")
        if lang:
            if datatype not in (None, RDF_LANGSTRING):
                raise RemoteError(f"literal with both a language tag and datatype <{datatype}>: {_short(value)}")
            return Literal(text, lang=lang)
        if datatype:
            return Literal(text, datatype=URIRef(datatype))
        return Literal(text)
    raise RemoteError(f"unsupported RDF term type {_short(kind)}")


def _short(value: Any, limit: int = 200) -> str:
    """``repr(value)`` for a message: a server's term may be megabytes long."""
    return _clip(repr(value), limit)


def _clip(text: str, limit: int) -> str:
    """A server's ``text`` for a message: the password redacted before it is cut at
    ``limit`` characters (the cut could leave a part of it that no longer matches),
    control characters escaped."""
    text = printable(redact(text, [_PASSWORD.get()]))
    return text if len(text) <= limit else text[:limit] + "..."


def _term_or_none(value: Any) -> Identifier | None:
    return None if value is None else json_term(value)


class _Limits:
    """The bounds of one operation, over all its requests: each connection is shut down
    by a watchdog ``timeout`` seconds from the start, or at ``deadline`` (a
    ``time.monotonic()`` value) if that comes first (a server that drips a byte at a time
    cannot hold it), and no answer is read past ``max_bytes``."""

    def __init__(self, timeout: float, max_bytes: int, deadline: float | None = None) -> None:
        if not timeout > 0 or not max_bytes > 0:
            raise InputError(f"the time limit ({timeout}) and the byte limit ({max_bytes}) must be more than 0")
        self.timeout, self.max_bytes = timeout, max_bytes
        self.end = time.monotonic() + timeout
        self.overall = False
        if deadline is not None and deadline < self.end:  # the deadline comes first
            self.overall, self.end = True, deadline
        self.expired = self.end <= time.monotonic()  # a deadline passed already: no connection lives
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(self.end - time.monotonic(), 0.0), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        """Seconds left (at least a millisecond: a socket timeout of 0 would mean non-blocking)."""
        return max(self.end - time.monotonic(), 0.001)

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if not self.expired:
                return
        self._expire()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):  # closed already
                # the plain socket's shutdown (an SSLSocket's own would drop its state under a reader)
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def timed_out(self, err: object = None) -> bool:
        return self.expired or isinstance(err, TimeoutError) or time.monotonic() >= self.end

    def why(self, err: object) -> str:
        """What went wrong: the time limit, if that is what ended the exchange."""
        if self.timed_out(err) and self.overall:
            return "timed out: the overall time limit ran out before a complete answer"
        if self.timed_out(err):
            return f"timed out: no complete answer within {self.timeout:g} s (the limit for the whole exchange)"
        return _reason(err)

    def close(self) -> None:
        self._timer.cancel()


#: The password of the operation under way: :func:`_first_line` redacts it from a server's
#: text before rendering it (stripping HTML tags could cut an echoed password apart).
_PASSWORD: contextvars.ContextVar[str | None] = contextvars.ContextVar("password", default=None)


@contextlib.contextmanager
def _bounded(password: str | None, timeout: float, max_bytes: int, deadline: float | None = None):
    """The one place every RemoteError of an operation passes: bounded by :class:`_Limits`,
    rendered in one line with the password redacted in every form."""
    limits = _Limits(timeout, max_bytes, deadline)
    token = _PASSWORD.set(password)
    try:
        yield limits
    except RemoteError as err:
        raise RemoteError(printable(redact(str(err), [password]))) from None
    finally:
        _PASSWORD.reset(token)
        limits.close()


def _read(response, what: str, limits: _Limits) -> bytes:
    """The body of ``response``, read in chunks: refused past ``limits.max_bytes``, and an
    error if cut short (fewer bytes than its Content-Length) or ended by the time limit."""
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := response.read1(65536):
            size += len(chunk)
            if size > limits.max_bytes:
                raise RemoteError(
                    f"{what} stopped: the answer is larger than {limits.max_bytes:,} bytes (the limit on what is read)"
                )
            chunks.append(chunk)
    except (OSError, http.client.HTTPException) as err:
        raise RemoteError(f"{what} failed: {limits.why(err)}") from None
    if limits.expired:
        raise RemoteError(f"{what} failed: {limits.why(None)}")
    if response.length:  # bytes the Content-Length promised that never came
        raise RemoteError(f"{what} failed: the answer was cut short ({size:,} bytes, {response.length:,} missing)")
    return b"".join(chunks)


def _watched(http_class, limits: _Limits):
    """``http_class`` whose connections are shut down by ``limits``' watchdog."""

    def connection(*args, **kwargs):
        made = http_class(*args, **kwargs)
        connect = made.connect

        def watched_connect() -> None:
            connect()
            limits.watch(made.sock)

        made.connect = watched_connect
        return made

    return connection


class _Watching(urllib.request.AbstractHTTPHandler):
    """An HTTP(S) handler whose connections ``limits``' watchdog shuts down."""

    def __init__(self, limits: _Limits) -> None:
        super().__init__()
        self.limits = limits

    def do_open(self, http_class, req, **kwargs):
        return super().do_open(_watched(http_class, self.limits), req, **kwargs)


class _WatchedHTTP(_Watching, urllib.request.HTTPHandler):
    pass


class _WatchedHTTPS(_Watching, urllib.request.HTTPSHandler):
    pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect as the HTTP error it is: urllib would resend a POST as a bare GET."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class _DigestOnce(urllib.request.HTTPDigestAuthHandler):
    """Digest auth that answers a challenge once: urllib would retry a refused password
    five more times, re-sending the whole body each time. A stale nonce is retried."""

    def http_error_401(self, req, fp, code, msg, headers):
        challenge = headers.get("WWW-Authenticate", "") or ""
        if req.has_header(self.auth_header) and "stale=true" not in challenge.replace('"', "").lower():
            # Refused with our answer: report the server's 401 (returning None would hand
            # the Digest challenge to the Basic handler, which raises ValueError on it).
            raise urllib.error.HTTPError(req.full_url, code, msg, headers, fp)
        return super().http_error_401(req, fp, code, msg, headers)


def _preauthorize(request, user: str, password: str | None, limits: _Limits) -> str | None:
    """The Authorization header for ``request``, from the challenge to a bodiless probe.

    Answering a 401 the usual way sends the body twice, and a server that closes the
    connection on its 401 (Virtuoso does) breaks the first send of any body over about a
    megabyte ("Broken pipe"). So a request with a body and credentials is preceded by a
    HEAD on the same URL (its own fresh opener), and the request goes out already
    authorized. None when the probe draws no usable challenge: the request then takes
    the ordinary path.
    """
    challenges = _challenges(request.full_url, limits)
    return _authorization(challenges, request, user, password) if challenges else None


def _challenges(full_url: str, limits: _Limits, authorization: str | None = None) -> list[str]:
    """The WWW-Authenticate challenges of a 401 to a HEAD on ``full_url`` ([] otherwise)."""
    probe = urllib.request.Request(full_url, method="HEAD")
    if authorization:
        probe.add_unredirected_header("Authorization", authorization)
    try:
        with _opener(full_url, None, None, limits).open(probe, timeout=limits.remaining()):
            return []
    except urllib.error.HTTPError as err:
        err.close()
        if err.code != 401 or err.headers is None:
            return []
        return err.headers.get_all("WWW-Authenticate") or [""]
    except (OSError, http.client.HTTPException, ValueError):
        return []


def _authorization(challenges: list[str], request, user: str, password: str | None) -> str | None:
    """An Authorization header answering the first Digest or Basic challenge."""
    for challenge in challenges:
        scheme, _, rest = challenge.strip().partition(" ")
        if scheme.lower() == "digest":
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, request.full_url, user, password or "")
            fields = urllib.request.parse_keqv_list([item for item in urllib.request.parse_http_list(rest) if item])
            try:
                answer = urllib.request.HTTPDigestAuthHandler(manager).get_authorization(request, fields)
            except (urllib.error.URLError, ValueError, KeyError):
                answer = None
            if answer:
                return f"Digest {answer}"
        elif scheme.lower() == "basic":
            token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
            return f"Basic {token}"
    return None


def _credentials_refused(full_url: str, user: str, password: str | None, limits: _Limits) -> bool:
    """Whether the server refuses these credentials on a bodiless, authorized HEAD."""
    authorization = _preauthorize(urllib.request.Request(full_url, method="HEAD"), user, password, limits)
    return bool(authorization) and bool(_challenges(full_url, limits, authorization))


def _opener(url: str, user: str | None, password: str | None, limits: _Limits) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [
        urllib.request.ProxyHandler({}),
        _NoRedirect(),
        _WatchedHTTP(limits),
        _WatchedHTTPS(limits),
    ]
    if user is not None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        parts = urllib.parse.urlsplit(url)
        manager.add_password(None, f"{parts.scheme}://{parts.netloc}/", user, password or "")
        handlers += [
            _DigestOnce(manager),
            urllib.request.HTTPBasicAuthHandler(manager),
        ]
    return urllib.request.build_opener(*handlers)


def _send(request, where: str, url: str, user, password, limits: _Limits, unconfirmed: str = ""):
    """Open ``request`` with a fresh opener; every failure becomes one RemoteError. An
    upload gives ``unconfirmed``: what the store may hold when no answer comes (its body
    may have arrived in full, in part or not at all)."""
    if user is not None and request.data:
        authorization = _preauthorize(request, user, password, limits)
        if authorization:
            request.add_unredirected_header("Authorization", authorization)
    try:
        return _opener(url, user, password, limits).open(request, timeout=limits.remaining())
    except urllib.error.HTTPError as err:
        raise RemoteError(_http_error_message(where, err, user, limits)) from None
    except urllib.error.URLError as err:
        reason = err.reason
    except (OSError, http.client.HTTPException, ValueError) as err:
        reason = err
    if (
        isinstance(reason, (BrokenPipeError, ConnectionResetError))
        and not limits.timed_out(reason)
        and user is not None
        and request.has_header("Authorization")
        and _credentials_refused(request.full_url, user, password, limits)
    ):
        # The server answered 401 and hung up while the body was still being sent.
        raise RemoteError(f"{where}: HTTP 401 Unauthorized (user {user!r} was refused: wrong user name or password?)")
    if unconfirmed:
        raise RemoteError(f"{where}: {limits.why(reason)}: the upload was not confirmed; {unconfirmed}")
    raise RemoteError(f"{where}: {limits.why(reason)}")


def _http_error_message(where: str, err: urllib.error.HTTPError, user: str | None, limits: _Limits) -> str:
    try:
        first = _first_line(err.read(_FIRST_BYTES))
    except (OSError, http.client.HTTPException):
        first = ""
    finally:
        err.close()
    reason = printable(err.reason)
    message = f"{where}: HTTP {err.code}" + (f" {reason}" if reason else "")
    if first:
        message += f": {first}"
    if err.code == 401:
        message += (
            f" (user {user!r} was refused: wrong user name or password?)"
            if user is not None
            else " (the server wants a user name and password)"
        )
    elif 300 <= err.code < 400:
        location = err.headers.get("Location") if err.headers else None
        message += f" (redirected to {printable(location)}; use that URL)" if location else " (redirect not followed)"
    return message


def _reason(err: object) -> str:
    if isinstance(err, UnicodeEncodeError):  # its text would show a character of the password, and where
        return (
            "a character that is not ASCII cannot be sent (in the URL, or in the user name or password, "
            "which HTTP Digest as urllib sends it takes in ASCII only)"
        )
    if isinstance(err, TimeoutError):
        return "timed out"
    if isinstance(err, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(err, http.client.RemoteDisconnected):
        return "the server closed the connection without an answer"
    if isinstance(err, ConnectionResetError):
        return f"the server reset the connection ({err})"
    if isinstance(err, BrokenPipeError):
        return f"the server closed the connection while the request was being sent ({err})"
    text = str(err) or type(err).__name__
    return text


_FIRST_BYTES = 16384  # what is read of an error answer, to quote its first line


def _first_line(body: bytes, limit: int = 300) -> str:
    """What a server's error answer says, in one line: the first non-blank line of plain
    text; of an HTML page, its ``<xmp>``/``<pre>`` block (Virtuoso puts the reason there)
    or else its title. Control characters are escaped (:func:`printable`)."""
    text = redact(body[:_FIRST_BYTES].decode("utf-8", "replace"), [_PASSWORD.get()])
    if re.match(r"\s*<(!DOCTYPE|html)", text, re.IGNORECASE):
        for tag in ("xmp", "pre", "title", "h1"):
            found = re.search(rf"<{tag}[^>]*>(.*?)</{tag}>", text, re.IGNORECASE | re.DOTALL)
            if found and found.group(1).strip():
                inner = found.group(1)
                if tag != "xmp":  # <xmp> holds raw text; the others hold markup
                    inner = html.unescape(re.sub(r"<[^>]+>", " ", inner))
                text = " ".join(inner.split())
                break
    for line in text.splitlines():
        line = line.strip()
        if line:
            return _clip(line, limit)
    return ""


def _shown(url: str) -> str:
    """The URL as it may appear in a message: without any user:password@ part."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return repr(url)
    if "@" in parts.netloc:
        return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    return url


def _check_url(url: str) -> None:
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError as err:
        raise RemoteError(f"{_shown(url)}: not a URL ({err})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise RemoteError(f"{_shown(url)}: only http and https URLs are accepted for a SPARQL store")
    if not parts.hostname:
        raise RemoteError(f"{_shown(url)}: no host in the URL")
    if "@" in parts.netloc:
        raise RemoteError(f"{_shown(url)}: give the user name and password separately, not inside the URL")
