"""A throwaway Virtuoso for tests: its own database in a temporary directory, on free
ports of 127.0.0.1, with a fresh random dba password, stopped by PID when done.

    with Virtuoso(tmp_path, binary="/usr/bin/virtuoso-t") as server:
        put_graph(server.crud_url, graph, data, "text/turtle", user=server.user, password=server.password)
        select(Endpoint(server.sparql_url), query, default_graphs=[graph])

The server can never outlive the test session: ``stop()`` runs on leaving the ``with``
block (whatever the test did), at interpreter exit (``atexit``), and the kernel sends
the server SIGTERM if the process that started it dies without either
(``PR_SET_PDEATHSIG`` on Linux).

What Debian's Virtuoso 7.2.5 (07.20.3229) does, each found by experiment against this
helper:

Setup
- The ini needs only [Database], [TempDatabase], [Parameters], [HTTPServer] and
  [SPARQL]; no [Plugins] (the hosting plugins are for wikis) and no VAD: /sparql and
  /sparql-graph-crud-auth are built in. "ServerPort = 127.0.0.1:PORT" binds one address.
- The SQL port comes up a moment after the HTTP port: wait for both.
- ``isql-vt PORT dba dba exec='set password "dba" "NEW";'`` changes the password
  (SET PASSWORD old new; quote both, an unquoted word with "-" or a leading digit is a
  syntax error). isql exits 0 even when the statement fails: look for "*** Error" and
  log in with the new password to be sure.
- dba needs no grant for Graph Store writes: /sparql-graph-crud-auth accepts dba with
  HTTP Digest (realm "SPARQL", qop=auth, MD5). Basic is refused there (401).

Graph Store Protocol (PUT)
- 201 Created for a new graph, 200 OK when replacing one, 204 for an empty body.
- text/turtle and application/n-triples both work; so does RDF/XML. Virtuoso sniffs the
  body and ignores the Content-Type (N-Triples sent as application/rdf+xml loads; a body
  it cannot recognize is "rejected: the submitted resource is of unsupported type
  text/plain"). Long triple-quoted strings, non-ASCII (also outside the BMP), \\r\\n,
  control characters, 20 000-character strings round-trip exactly, from rdflib's
  turtle, longturtle, nt and xml output alike.
- A PUT is NOT atomic: a syntax error on line 3 leaves the graph holding lines 1-2 (the
  old content is gone). Parse locally before uploading.
- On a 401 Virtuoso closes the connection without reading the body: answering the
  Digest challenge the usual way (send, get 401, resend) breaks with "Broken pipe" for
  any body above about 1 MB. remote.put_graph therefore probes with a bodiless HEAD to
  get the challenge and sends the body once, already authorized.

Queries (/sparql)
- Without default-graph-uri the default graph is the union of ALL graphs, Virtuoso's
  system graphs included (virtrdf#: ~2 500 triples, ldp#, localuriqaserver/sparql).
  default-graph-uri restricts it to the given graph(s) (several are merged).
- JSON results: datatyped literals come as "typed-literal" (never "literal" with a
  datatype); xsd:string is KEPT and distinct from a plain literal ("a" and
  "a"^^xsd:string are different terms: a plain "a" in a query does not match stored
  "a"^^xsd:string, DISTINCT keeps both, sameTerm is false), while DATATYPE("a") is
  xsd:string. Stored booleans come back as "1"/"0"^^xsd:boolean (rdflib normalizes to
  "true"/"false"); boolean expressions and the constants true/false come back as
  "1"/"0"^^xsd:integer. Integers are canonical ("007" -> "7"); 1.0e3 -> "1000.0";
  dates unchanged; a BIND-ed dateTime "...Z" comes back as "...+00:00" (stored ones
  keep "Z"). Language tags are lowercased ("en-GB" -> "en-gb"). Blank nodes are
  "nodeID://b10000". COUNT gives xsd:integer; GROUP_CONCAT a plain literal ("" for an
  empty group). BNODE() is not implemented (SP031).
- Property paths with * or + need a bound start: a constant, or a variable bound by a
  triple pattern before it (``?c a owl:Class . ?c rdfs:subClassOf* ?sup``) or by a
  sub-SELECT with VALUES. A start bound only by VALUES in the same group (before or
  after), by FILTER IN, or not at all fails: "TR...: transitive start not given" (a
  trailing VALUES outside the braces: "neither end of it is bound"). VALUES on the
  OBJECT side works. This holds for rdfs:subClassOf* and (^rdf:subject/rdf:object)*
  alike. Where * runs, the answers are the standard ones (zero-length pairs included,
  also for a start that is in no triple).
- An alternative path under * whose later item is a single inverse step after a sequence,
  ``(^rdf:subject/rdf:object | ^imid:hasInput)*``, fails to compile ("SP031: Internal
  error: Weird '|' ppath: second item is "0 or '!'" but not '!'"); with the single steps
  first, ``(^imid:hasInput | ^rdf:subject/rdf:object)*``, it runs and answers as the
  standard says.
- A + path never returns its start, even when a cycle leads back to it: with K1 ⊑ K2 ⊑
  K1, ``ex:K1 rdfs:subClassOf+ ?y`` gives K2 only (the standard, and rdflib: K1 and
  K2); over A->B->C->A, ``?x (^rdf:subject/rdf:object)+ ?y`` lacks (A,A), (B,B), (C,C).
  ``?x rdfs:subClassOf+ ?x`` fails ("SQ156: Internal Optimized compiler error"); with
  both ends constant, ``ex:K1 rdfs:subClassOf+ ex:K1`` does hold. Cycle checks must be
  written with constants or without + on Virtuoso.
- FILTER NOT EXISTS, OPTIONAL (unbound -> absent in JSON), GROUP_CONCAT (with
  separator) and COALESCE behave normally.
- ResultSetMaxRows caps results silently except for the header X-SPARQL-MaxRows: N,
  sent exactly when the answer has N rows: whether more existed or not (N available,
  N+1 available, LIMIT N, LIMIT 10N: header; N-1 rows or LIMIT N-1: none). So N rows
  are ambiguous, and remote.select refuses them. An OFFSET beyond N fails:
  "SR350: TOP parameter < 0".
- A query given the "timeout" request parameter runs as an "anytime" query: cut short,
  it answers 200 with PARTIAL results (a wrong COUNT) and the header X-SQL-State:
  S1TAT; remote.select refuses those too. The same query past MaxQueryExecutionTime
  fails instead (HTTP 500 "SR171: Transaction timed out"); one whose estimated cost
  exceeds MaxQueryCostEstimationTime fails at once (HTTP 500).
- Errors: HTTP 400 for a syntax error, 500 for the rest, with a text/plain body whose
  first line says it all ("Virtuoso 37000 Error SP030: SPARQL compiler, line 2: syntax
  error at '}'"); Graph Store errors are HTML pages with the reason in <xmp>.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

__all__ = ["Virtuoso", "VirtuosoError", "ini_text"]

STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
LAUNCH_ATTEMPTS = 3


class VirtuosoError(RuntimeError):
    """The throwaway server could not be started or set up."""


def ini_text(directory: Path, sql_port: int, http_port: int, max_rows: int = 10000) -> str:
    """A minimal virtuoso.ini keeping everything in ``directory`` and on 127.0.0.1."""
    d = Path(directory).resolve()
    return f"""\
[Database]
DatabaseFile       = {d}/virtuoso.db
ErrorLogFile       = {d}/virtuoso.log
LockFile           = {d}/virtuoso.lck
TransactionFile    = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {d}/virtuoso-temp.db
TransactionFile    = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
AllowOSCalls         = 0
DirsAllowed          = {d}
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {d}/www
MaxClientConnections = 5
ServerThreads        = 5
DavRoot              = DAV
EnabledDavVSP        = 0
HTTPProxyEnabled     = 0
MaxKeepAlives        = 5
KeepAliveTimeout     = 10
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows           = {max_rows}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 60
"""


def _free_ports(count: int) -> list[int]:
    """Distinct free TCP ports on 127.0.0.1 (the sockets stay open until all are picked)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _die_with_parent():
    """A preexec_fn asking the kernel to SIGTERM the child when its parent dies (Linux)."""
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError, ImportError):
        return None
    pr_set_pdeathsig = 1

    def preexec() -> None:
        prctl(pr_set_pdeathsig, signal.SIGTERM)

    return preexec


class Virtuoso:
    """A Virtuoso server of its own in ``directory`` (created if needed)."""

    user = "dba"

    def __init__(
        self,
        directory: Path,
        *,
        binary: str = "virtuoso-t",
        isql: str | None = None,
        max_rows: int = 10000,
        startup_timeout: float = STARTUP_TIMEOUT,
    ) -> None:
        self.directory = Path(directory)
        self.binary = shutil.which(binary) or binary
        self.isql = isql or shutil.which("isql-vt") or str(Path(self.binary).with_name("isql-vt"))
        self.max_rows = max_rows
        self.startup_timeout = startup_timeout
        self.password = ""
        self.sql_port = 0
        self.http_port = 0
        self.process: subprocess.Popen | None = None
        self._console = None

    # -- public -------------------------------------------------------------------------

    @property
    def ini_path(self) -> Path:
        return self.directory / "virtuoso.ini"

    @property
    def sparql_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def crud_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud-auth"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def start(self) -> Virtuoso:
        if self.process is not None:
            raise VirtuosoError("already started")
        if not Path(self.isql).is_file():
            raise VirtuosoError(f"isql-vt not found (looked for {self.isql})")
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / "www").mkdir(exist_ok=True)
        for attempt in range(1, LAUNCH_ATTEMPTS + 1):
            try:
                self._launch()
                self._wait_until_ready()
                break
            except VirtuosoError as err:
                self.stop()
                # a port picked as free may have been taken meanwhile: pick again
                if attempt == LAUNCH_ATTEMPTS or "listen" not in str(err):
                    raise
            except BaseException:
                self.stop()
                raise
        try:
            self._set_password()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """SIGTERM the server by its PID, SIGKILL it if it is still there after a while."""
        process, self.process = self.process, None
        try:
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=STOP_TIMEOUT)
        finally:
            if self._console is not None:
                self._console.close()
                self._console = None
            atexit.unregister(self.stop)

    def __enter__(self) -> Virtuoso:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def log_tail(self, lines: int = 30) -> str:
        texts = []
        for name in ("virtuoso.log", "console.log"):
            path = self.directory / name
            if path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace").splitlines()
                texts.append(f"--- {path}\n" + "\n".join(text[-lines:]))
        return "\n".join(texts) or "(no log)"

    # -- internals ----------------------------------------------------------------------

    def _launch(self) -> None:
        """A new database in ``directory`` (any earlier attempt's removed), on new ports."""
        for old in self.directory.glob("virtuoso*"):
            old.unlink()
        self.sql_port, self.http_port = _free_ports(2)
        self.ini_path.write_text(
            ini_text(self.directory, self.sql_port, self.http_port, self.max_rows), encoding="utf-8"
        )
        self._console = open(self.directory / "console.log", "wb")  # noqa: SIM115 - open while the server runs; stop() closes it
        atexit.register(self.stop)
        self.process = subprocess.Popen(
            [self.binary, "+foreground", "+configfile", str(self.ini_path)],
            cwd=self.directory,
            stdin=subprocess.DEVNULL,
            stdout=self._console,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent(),
        )

    def _died(self, what: str) -> VirtuosoError:
        code = self.process.poll() if self.process is not None else None
        return VirtuosoError(f"Virtuoso {what} (exit status {code}):\n{self.log_tail()}")

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        http_up = sql_up = False
        while True:
            if self.process.poll() is not None:
                raise self._died("exited during startup")
            if not http_up:
                try:
                    with opener.open(self.sparql_url + "?query=ASK%7B%7D", timeout=2) as response:
                        http_up = response.status == 200
                except (OSError, urllib.error.URLError):
                    pass
            if http_up and not sql_up:
                try:
                    socket.create_connection(("127.0.0.1", self.sql_port), timeout=2).close()
                    sql_up = True
                except OSError:
                    pass
            if http_up and sql_up:
                return
            if time.monotonic() > deadline:
                raise self._died(
                    f"not answering on ports {self.http_port}/{self.sql_port} after {self.startup_timeout:.0f} s"
                )
            time.sleep(0.1)

    def _isql(self, password: str, statement: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [self.isql, f"127.0.0.1:{self.sql_port}", self.user, password, f"exec={statement}"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "LC_ALL": "C"},
        )
        return result

    def _set_password(self) -> None:
        new = "t" + secrets.token_hex(16)
        deadline = time.monotonic() + self.startup_timeout
        while True:  # the SQL listener can lag behind its port for a moment
            changed = self._isql("dba", f'set password "dba" "{new}";')
            failed = changed.returncode != 0 or "*** Error" in changed.stdout + changed.stderr
            if not failed or time.monotonic() > deadline or self.process.poll() is not None:
                break
            time.sleep(0.2)
        check = self._isql(new, "select 1;")
        if failed or check.returncode != 0 or "*** Error" in check.stdout + check.stderr:
            detail = (changed.stderr or changed.stdout).strip().replace(new, "***")
            raise VirtuosoError(f"could not set the dba password with {self.isql}: {detail}")
        self.password = new
