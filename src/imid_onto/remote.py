"""A small client for standard SPARQL stores (Virtuoso, Fuseki, GraphDB, Oxigraph server).

Two operations, both plain HTTP with the standard library:

- :func:`put_graph` replaces one named graph in a single request (SPARQL 1.1 Graph Store
  HTTP Protocol: ``PUT {store}?graph={iri}``);
- :func:`select` runs a SELECT query (SPARQL 1.1 Protocol, form-encoded POST) and returns
  the variables and the rows as rdflib terms.

Every failure (refused connection, timeout, HTTP error, a response that is not SPARQL JSON
results, results the server cut short) is one :class:`RemoteError` naming the URL; a
password never appears in a message or a repr.

A user name and password are offered with HTTP Digest or Basic authentication, whichever
the server asks for (Virtuoso's ``/sparql-graph-crud-auth`` asks for Digest). Each request
builds its own opener: urllib's digest handler keeps per-opener state (nonce count, retry
count) that must not leak from one request into the next. Proxy settings from the
environment are ignored, and redirects are reported rather than followed (urllib would
turn a redirected POST into a GET without the query).
"""

from __future__ import annotations

import base64
import html
import http.client
import json
import re
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

from imid_onto.errors import ImidError, InputError

__all__ = [
    "publish",
    "Endpoint",
    "RemoteError",
    "Row",
    "json_term",
    "parse_results",
    "put_graph",
    "select",
]

RESULTS_JSON = "application/sparql-results+json"
MAX_ROWS_HEADER = "X-SPARQL-MaxRows"  # Virtuoso: ResultSetMaxRows capped these results
SQL_STATE_HEADER = "X-SQL-State"  # Virtuoso: "S1TAT" = an "anytime" query cut short by a timeout
PARTIAL_STATE = "S1TAT"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Row = tuple[Identifier | None, ...]


class RemoteError(ImidError):
    """A SPARQL store could not be reached or did not answer as the protocol says."""

    exit_code = 2


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL 1.1 Protocol query endpoint, e.g. ``http://127.0.0.1:8890/sparql``."""

    url: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 60.0


def put_graph(
    store_url: str,
    graph_iri: str,
    data: bytes,
    content_type: str,
    *,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 60.0,
) -> int:
    """Replace the graph ``graph_iri`` in the store with ``data`` (one ``PUT``).

    ``store_url`` is the Graph Store Protocol service (Virtuoso:
    ``http://host:8890/sparql-graph-crud-auth``; Fuseki: ``http://host:3030/ds/data``).
    Returns the HTTP status (201 Created or 200/204 by the protocol).
    """
    _check_url(store_url)
    try:
        pyoxigraph.NamedNode(graph_iri)  # strict: absolute, nothing a query string could be made of
    except ValueError:
        raise RemoteError(f"{_shown(store_url)}: {graph_iri!r} is not an absolute IRI to PUT to") from None
    separator = "&" if urllib.parse.urlsplit(store_url).query else "?"
    url = store_url + separator + urllib.parse.urlencode({"graph": graph_iri})
    request = urllib.request.Request(
        url, data=bytes(data), method="PUT", headers={"Content-Type": content_type}
    )
    where = f"PUT {_shown(store_url)} (graph <{graph_iri}>)"
    with _send(request, where, store_url, user, password, timeout) as response:
        try:
            response.read()
        except (OSError, http.client.HTTPException) as err:
            raise RemoteError(f"{where}: reading the response failed: {_reason(err)}") from None
        return response.status


def publish(path: Path | str, store_url: str, graph_iri: str, *, user: str | None = None, password: str | None = None,
            timeout: float = 300.0) -> tuple[int, int]:
    """Upload the RDF file ``path`` as the graph ``graph_iri`` (one Graph Store Protocol
    PUT, replacing what the graph held). The file is parsed here first, strictly: a PUT
    is not atomic on every store (Virtuoso keeps the part before a syntax error and
    loses the old graph), so nothing that does not parse is sent. Returns (HTTP status,
    number of triples)."""
    from .lint import check_readable
    from .rdfio import FORMATS, load_store, read_bytes

    path = Path(path)
    # missing, empty, not UTF-8, RDF/XML cut short (which the parser would read in part):
    # an InputError naming the file, and nothing is sent
    check_readable([path])
    rdf_format = FORMATS[path.suffix.lower()]
    if rdf_format in (pyoxigraph.RdfFormat.TRIG, pyoxigraph.RdfFormat.N_QUADS):
        raise RemoteError(f"{path}: a dataset ({rdf_format.name}) cannot be uploaded as one graph")
    data = read_bytes(path)
    triples = len(load_store([path]))  # a syntax error: ParseError naming the file, line and column
    if triples == 0:
        raise InputError(f"{path}: no triples in it: refusing to replace <{graph_iri}> with an empty graph")
    if read_bytes(path) != data:
        raise InputError(f"{path}: changed while it was being read: nothing sent; publish it again once written")
    status = put_graph(store_url, graph_iri, data, rdf_format.media_type, user=user, password=password,
                       timeout=timeout)
    return status, triples


def select(
    endpoint: Endpoint, query: str, *, default_graphs: Iterable[str] = ()
) -> tuple[list[str], list[Row]]:
    """Run a SELECT query; return its variables and its rows (``None`` where unbound).

    ``default_graphs`` are sent as ``default-graph-uri`` parameters: on Virtuoso, without
    them the default graph is the union of every graph in the store, system graphs
    included. Raises :class:`RemoteError` rather than return incomplete results: when the
    server says it capped them (``X-SPARQL-MaxRows``, Virtuoso's ``ResultSetMaxRows``) and
    the cap was reached, or that it cut the query short at a time limit
    (``X-SQL-State: S1TAT``, Virtuoso's "anytime" answers: 200 OK and partial rows).
    """
    _check_url(endpoint.url)
    fields = [("query", query)] + [("default-graph-uri", g) for g in default_graphs]
    request = urllib.request.Request(
        endpoint.url,
        data=urllib.parse.urlencode(fields).encode("ascii"),
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": RESULTS_JSON,
        },
    )
    where = _shown(endpoint.url)
    with _send(request, where, endpoint.url, endpoint.user, endpoint.password, endpoint.timeout) as response:
        try:
            body = response.read()
        except (OSError, http.client.HTTPException) as err:
            raise RemoteError(f"{where}: reading the results failed: {_reason(err)}") from None
        content_type = response.headers.get("Content-Type", "")
        max_rows = response.headers.get(MAX_ROWS_HEADER)
        sql_state = response.headers.get(SQL_STATE_HEADER)
        sql_message = response.headers.get("X-SQL-Message", "")
    if sql_state and sql_state.strip().upper() == PARTIAL_STATE:
        raise RemoteError(
            f"{where}: the server stopped the query at its time limit and returned partial "
            f"results ({SQL_STATE_HEADER}: {PARTIAL_STATE}"
            + (f", {' '.join(sql_message.split())[:200]}" if sql_message.strip() else "")
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
        except (ValueError, UnicodeDecodeError) as err:
            kind = f" (Content-Type: {content_type})" if content_type else ""
            first = _first_line(body if isinstance(body, bytes) else body.encode("utf-8", "replace"))
            detail = f": {first}" if first else ""
            raise RemoteError(f"{source}: the response is not SPARQL JSON results{kind}: {err}{detail}")
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
        raise RemoteError(f"malformed RDF term {value!r}")
    kind, text = value.get("type"), value.get("value")
    if not isinstance(text, str):
        raise RemoteError(f"RDF term without a string value: {value!r}")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        for prefix in ("nodeID://", "_:"):
            if text.startswith(prefix):
                text = text[len(prefix):]
                break
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        lang = value.get("xml:lang")
        datatype = value.get("datatype")
        if lang:
            if datatype not in (None, RDF_LANGSTRING):
                raise RemoteError(f"literal with both a language tag and datatype <{datatype}>: {value!r}")
            return Literal(text, lang=lang)
        if datatype:
            return Literal(text, datatype=URIRef(datatype))
        return Literal(text)
    raise RemoteError(f"unsupported RDF term type {kind!r}")


def _term_or_none(value: Any) -> Identifier | None:
    return None if value is None else json_term(value)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect as the HTTP error it is: urllib would resend a POST as a bare GET."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102
        return None


class _DigestOnce(urllib.request.HTTPDigestAuthHandler):
    """Digest auth that answers a challenge once: urllib would retry a refused password
    five more times, re-sending the whole body each time. A stale nonce is retried."""

    def http_error_401(self, req, fp, code, msg, headers):  # noqa: D102
        challenge = headers.get("WWW-Authenticate", "") or ""
        if req.has_header(self.auth_header) and "stale=true" not in challenge.replace('"', "").lower():
            # Refused with our answer: report the server's 401 (returning None would hand
            # the Digest challenge to the Basic handler, which raises ValueError on it).
            raise urllib.error.HTTPError(req.full_url, code, msg, headers, fp)
        return super().http_error_401(req, fp, code, msg, headers)


def _preauthorize(request, user: str, password: str | None, timeout: float) -> str | None:
    """The Authorization header for ``request``, from the challenge to a bodiless probe.

    Answering a 401 the usual way sends the body twice, and a server that closes the
    connection on its 401 (Virtuoso does) breaks the first send of any body over about a
    megabyte ("Broken pipe"). So a request with a body and credentials is preceded by a
    HEAD on the same URL (its own fresh opener), and the request goes out already
    authorized. None when the probe draws no usable challenge: the request then takes
    the ordinary path.
    """
    challenges = _challenges(request.full_url, timeout)
    return _authorization(challenges, request, user, password) if challenges else None


def _challenges(full_url: str, timeout: float, authorization: str | None = None) -> list[str]:
    """The WWW-Authenticate challenges of a 401 to a HEAD on ``full_url`` ([] otherwise)."""
    probe = urllib.request.Request(full_url, method="HEAD")
    if authorization:
        probe.add_unredirected_header("Authorization", authorization)
    try:
        with _opener(full_url, None, None).open(probe, timeout=timeout):
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
            fields = urllib.request.parse_keqv_list(
                filter(None, urllib.request.parse_http_list(rest))
            )
            try:
                answer = urllib.request.HTTPDigestAuthHandler(manager).get_authorization(request, fields)
            except (urllib.error.URLError, ValueError, KeyError):
                answer = None
            if answer:
                return f"Digest {answer}"
        elif scheme.lower() == "basic":
            token = base64.b64encode(f"{user}:{password or ''}".encode("utf-8")).decode("ascii")
            return f"Basic {token}"
    return None


def _credentials_refused(full_url: str, user: str, password: str | None, timeout: float) -> bool:
    """Whether the server refuses these credentials on a bodiless, authorized HEAD."""
    authorization = _preauthorize(urllib.request.Request(full_url, method="HEAD"), user, password, timeout)
    return bool(authorization) and bool(_challenges(full_url, timeout, authorization))


def _opener(url: str, user: str | None, password: str | None) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({}), _NoRedirect()]
    if user is not None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        parts = urllib.parse.urlsplit(url)
        manager.add_password(None, f"{parts.scheme}://{parts.netloc}/", user, password or "")
        handlers += [
            _DigestOnce(manager),
            urllib.request.HTTPBasicAuthHandler(manager),
        ]
    return urllib.request.build_opener(*handlers)


def _send(request, where: str, url: str, user, password, timeout: float):
    """Open ``request`` with a fresh opener; every failure becomes one RemoteError."""
    if user is not None and request.data:
        authorization = _preauthorize(request, user, password, timeout)
        if authorization:
            request.add_unredirected_header("Authorization", authorization)
    try:
        return _opener(url, user, password).open(request, timeout=timeout)
    except urllib.error.HTTPError as err:
        raise RemoteError(_http_error_message(where, err, user, password)) from None
    except urllib.error.URLError as err:
        reason = err.reason
    except (OSError, http.client.HTTPException, ValueError) as err:
        reason = err
    if (
        isinstance(reason, (BrokenPipeError, ConnectionResetError))
        and user is not None
        and request.has_header("Authorization")
        and _credentials_refused(request.full_url, user, password, timeout)
    ):
        # The server answered 401 and hung up while the body was still being sent.
        raise RemoteError(
            f"{where}: HTTP 401 Unauthorized (user {user!r} was refused: wrong user name or password?)"
        )
    if request.get_method() == "PUT":  # it may have arrived in full, in part or not at all
        raise RemoteError(f"{where}: {_reason(reason)}: the upload was not confirmed; the graph may be as it was "
                          "or, on a store whose PUT is not atomic, partly replaced: publish again")
    raise RemoteError(f"{where}: {_reason(reason)}")


def _http_error_message(
    where: str, err: urllib.error.HTTPError, user: str | None, password: str | None
) -> str:
    try:
        first = _first_line(err.read())
    except (OSError, http.client.HTTPException):
        first = ""
    finally:
        err.close()
    if password and password in first:  # whatever the server echoes, never show a password
        first = first.replace(password, "***")
    reason = err.reason if isinstance(err.reason, str) else ""
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
        message += f" (redirected to {location}; use that URL)" if location else " (redirect not followed)"
    return message


def _reason(err: object) -> str:
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


def _first_line(body: bytes, limit: int = 300) -> str:
    """What a server's error answer says, in one line: the first non-blank line of plain
    text; of an HTML page, its ``<xmp>``/``<pre>`` block (Virtuoso puts the reason there)
    or else its title."""
    text = body[:16384].decode("utf-8", "replace")
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
            return line if len(line) <= limit else line[:limit] + "..."
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
        raise RemoteError(
            f"{_shown(url)}: give the user name and password separately, not inside the URL"
        )
