"""Offline by construction: no command, on the shipped data or a hostile input, reaches the network.

The whole CLI runs in subprocesses under a guard: a ``sitecustomize.py`` on PYTHONPATH that
records and refuses every socket connection or name lookup that is not AF_UNIX
(``socket.socket.connect`` / ``connect_ex`` / ``sendto``, ``socket.create_connection``,
``getaddrinfo``, ``gethostbyname``). That sees Python only: pyoxigraph's native code (which
runs a SPARQL SERVICE over HTTP itself) and the JVM that owlready2 starts for HermiT are out
of its reach. So where strace works, every run is also traced (``strace -f``, children
included) and any connect, sendto or sendmsg to an AF_INET / AF_INET6 address counts as an
attempt.

Java: we found no JVM option that denies network on Java 17 short of the Security Manager,
deprecated (JEP 411) and refused outright from Java 24, so none is set. The JVM is given one local
N-Triples file without ``owl:imports`` (imid-onto strips them before owlready2 loads the
input, and owlready2 filters them again when it writes HermiT's input); strace follows it
like any child and finds no connection. (Without strace, as where ptrace is not allowed,
only the Python guard runs, and the test of the strace layer skips.)

The readers on their own: tests/rdf/test_offline_reading.py; the SPARQL checks on their own:
tests/queries/test_user_queries.py.
"""

from __future__ import annotations

import os
import resource
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from imid_onto.errors import InputError
from imid_onto.io.rdf import load_store, read_graph

from ..conftest import knowledge_base_line, one_error_line
from ..rdf.test_offline_reading import IMPORTS, INLINE_CONTEXT, REMOTE_CONTEXTS

GUARD = '''\
"""Test guard (tests/cli/test_offline.py): record and refuse every non-AF_UNIX network attempt."""
import os
import socket

_LOG = os.environ["IMID_NET_GUARD_LOG"]
with open(_LOG + ".loaded", "a") as _marker:
    _marker.write(f"{os.getpid()}\\n")


def _refuse(what, detail):
    with open(_LOG, "a") as log:
        log.write(f"python {what} {detail!r}\\n")
    raise ConnectionRefusedError(f"network refused by the test guard: {what} {detail!r}")


def _guarded(name):
    original = getattr(socket.socket, name)

    def method(self, *args):
        if self.family != socket.AF_UNIX:
            _refuse(f"socket.{name}", args[-1] if args else None)
        return original(self, *args)

    setattr(socket.socket, name, method)


for _name in ("connect", "connect_ex", "sendto"):
    _guarded(_name)
socket.create_connection = lambda address, *a, **k: _refuse("create_connection", address)
socket.getaddrinfo = lambda host, *a, **k: _refuse("getaddrinfo", host)
socket.gethostbyname = lambda host: _refuse("gethostbyname", host)
socket.gethostbyname_ex = lambda host: _refuse("gethostbyname_ex", host)
'''


RDF_OPEN = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
RDF_BODY = '<rdf:Description rdf:about="http://example.org/a"><ex:p>{}</ex:p></rdf:Description></rdf:RDF>\n'


def rdfxml(doctype: str, value: str) -> str:
    return f'<?xml version="1.0"?>\n{doctype}\n{RDF_OPEN}\n{RDF_BODY.format(value)}'


def laughs(levels: int) -> str:
    """The "billion laughs": each entity ten of the one before; ``levels`` = 9 is 3 GB of text."""
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels + 1)]
    return rdfxml(f"<!DOCTYPE rdf:RDF [ {' '.join(entities)} ]>", f"&lol{levels};")


# --- the guard ------------------------------------------------------------------------------


def _strace() -> list[str] | None:
    """The strace command that records network syscalls of a process and its children, or
    None where strace is missing or cannot trace here (no ptrace in some containers)."""
    found = shutil.which("strace")
    if found is None:
        return None
    command = [found, "-f", "-qq", "--seccomp-bpf", "-e", "trace=connect,sendto,sendmsg", "-e", "signal=none"]
    probe = subprocess.run([*command, "-o", os.devnull, "true"], capture_output=True)
    return command if probe.returncode == 0 else None


class Guard:
    """Runs ``imid-onto`` (or ``python`` with other arguments) in a subprocess under the
    guard: :meth:`run` gives the finished process and the attempts recorded (none is good)."""

    def __init__(self, folder: Path):
        self.folder = folder
        (folder / "guard").mkdir()
        (folder / "guard" / "sitecustomize.py").write_text(GUARD)
        self.cache = folder / "cache"
        self.strace = _strace()
        self.runs = 0

    def run(self, *args: str, memory: int | None = None, timeout: float = 600, python: list[str] | None = None):
        self.runs += 1
        log = self.folder / f"attempts-{self.runs}.log"
        trace = self.folder / f"strace-{self.runs}.log"
        env = dict(
            os.environ,
            IMID_NET_GUARD_LOG=str(log),
            IMID_CACHE=str(self.cache),
            PYTHONPATH=os.pathsep.join(filter(None, [str(self.folder / "guard"), os.environ.get("PYTHONPATH")])),
        )
        command = [sys.executable, *(python or ["-m", "imid_onto.cli", *args])]
        if self.strace:
            command = [*self.strace, "-o", str(trace), "--", *command]

        def limit():
            if memory is not None:
                resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

        done = knowledge_base_line(
            subprocess.run(
                command, capture_output=True, text=True, env=env, cwd=self.folder, timeout=timeout, preexec_fn=limit
            )
        )
        assert Path(f"{log}.loaded").is_file(), f"the guard was not loaded: {done.stderr}"
        attempts = log.read_text().splitlines() if log.exists() else []
        if self.strace:
            attempts += [line for line in trace.read_text().splitlines() if "sa_family=AF_INET" in line]
        return done, attempts


@pytest.fixture(scope="module")
def guard(tmp_path_factory) -> Guard:
    return Guard(tmp_path_factory.mktemp("offline"))


@pytest.fixture(scope="module")
def hostile(guard) -> Path:
    """A folder of hostile inputs."""
    folder = guard.folder / "hostile"
    folder.mkdir()
    (folder / "imports.ttl").write_text(IMPORTS)
    (folder / "user.ttl").write_text(IMPORTS.replace("; owl:imports <http://127.0.0.1:9/go.owl>", ""))
    for name, text in REMOTE_CONTEXTS.items():
        (folder / f"context-{name}.jsonld").write_text(text)
    (folder / "inline.jsonld").write_text(INLINE_CONTEXT)
    secret = folder / "secret.txt"
    secret.write_text("TOP-SECRET-7f3a\n")
    (folder / "xxe.rdf").write_text(rdfxml(f'<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM "{secret.as_uri()}"> ]>', "&x;"))
    (folder / "internal-entity.owl").write_text(rdfxml('<!DOCTYPE rdf:RDF [ <!ENTITY v "value"> ]>', "&v;"))
    (folder / "laughs.rdf").write_text(laughs(9))
    (folder / "external-dtd.rdf").write_text(rdfxml('<!DOCTYPE rdf:RDF SYSTEM "http://127.0.0.1:9/rdf.dtd">', "v"))
    (folder / "service.rq").write_text("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }\n")
    (folder / "escaped-service.rq").write_text(
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }\n"
    )
    (folder / "from.rq").write_text("SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }\n")
    (folder / "mentions-service.rq").write_text(
        "# uses no SERVICE, no FROM\nSELECT ?label WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label "
        'FILTER (?label != "SERVICE <http://127.0.0.1:9/> and LOAD") } LIMIT 3\n'
    )
    return folder


def test_the_guard_catches_python_connections(guard):
    """Not vacuous: a Python connection attempt is recorded and refused."""
    done, attempts = guard.run(python=["-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9/')"])
    assert done.returncode != 0
    assert any(line.startswith("python ") for line in attempts), attempts


@pytest.mark.strace
def test_strace_catches_native_connections_that_the_python_guard_cannot(guard):
    """Why the strace layer: pyoxigraph runs SERVICE over HTTP from native code (here to a
    closed port on this machine), unseen by Python."""
    if guard.strace is None:
        if os.environ.get("IMID_REQUIRE_STRACE"):
            pytest.fail("strace is required here (IMID_REQUIRE_STRACE is set) but missing or cannot trace")
        pytest.skip("strace is missing or cannot trace here: native code is not watched")
    with socket.socket() as free:  # a closed port (pyoxigraph will not try port 9, "dedicated to an other use")
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    done, attempts = guard.run(python=["-c", f"import pyoxigraph; list(pyoxigraph.Store().query({query!r}))"])
    assert done.returncode != 0
    assert attempts and not any(line.startswith("python ") for line in attempts), attempts


# --- the whole CLI on the shipped data, under the guard ----------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["info"],
        ["claims"],
        ["validate"],
        ["build", "--out", "release"],
        ["reason"],
        *(
            ["export", "--format", fmt, "--out", f"claims-{fmt}"]
            for fmt in ("indra", "bel", "gocam", "graphml", "cx2", "sssom")
        ),
    ],
    ids=lambda args: " ".join(args[:3]),
)
def test_shipped_commands_make_no_connection(guard, args):
    done, attempts = guard.run(*args)
    assert done.returncode == 0, done.stderr
    assert attempts == []
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_queries_with_and_without_the_store_cache_make_no_connection(guard):
    shutil.rmtree(guard.cache, ignore_errors=True)  # cold: build (above) wrote the store
    runs = [("cold cache", []), ("warm cache", []), ("no cache", ["--no-cache"]), ("rdflib", ["--engine", "rdflib"])]
    for what, extra in runs:
        done, attempts = guard.run("query", "downstream-effects", "--param", "protein=Ikaros", *extra)
        assert done.returncode == 0, (what, done.stderr)
        assert attempts == [], what
        assert "IRF4" in done.stdout, what
        if what == "cold cache":
            assert any(guard.cache.iterdir()), "the query built no store in the cache"


def test_validate_a_user_file_makes_no_connection(guard, hostile):
    for engine in ("oxigraph", "pyshacl"):
        done, attempts = guard.run("validate", str(hostile / "user.ttl"), "--engine", engine)
        assert done.returncode == 0, done.stderr
        assert attempts == []
        assert done.stderr == ""


# --- owl:imports ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [["validate"], ["validate", "--engine", "pyshacl"], ["reason"]],
    ids=["validate", "validate-pyshacl", "reason"],
)
def test_owl_imports_is_not_followed_and_the_user_is_told(guard, hostile, args):
    """The import is kept as a triple, never fetched (not by rdflib, pyshacl, owlready2 or
    HermiT); stderr says so in exactly one line. Not vacuous: owlready2's ``load()`` given
    the import would fetch it through urllib, which the guard records."""
    done, attempts = guard.run(*args, str(hostile / "imports.ttl"))
    assert done.returncode == 0, done.stderr
    assert attempts == []
    warning = (
        f"imid-onto: warning: {hostile / 'imports.ttl'}: owl:imports <http://127.0.0.1:9/go.owl> not followed "
        "(imid-onto reads nothing over the network; give the imported ontology as a file)\n"
    )
    assert done.stderr.count(warning) == 1
    assert all(line.startswith("imid-onto: warning: ") for line in done.stderr.splitlines())  # one line each


#: A file with the release's knowledge-base header: it imports imid-onto's own ontology.
IMPORTS_OWN = """\
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/imid-onto/kb> a owl:Ontology ; owl:imports <https://w3id.org/imid-onto/ontology> .
<https://example.org/mine#Thing> a owl:Class ; rdfs:label "thing"@en .
"""


@pytest.mark.slow
@pytest.mark.parametrize("args", [["validate"], ["reason"]], ids=["validate", "reason"])
def test_an_import_of_imid_ontos_own_ontology_is_read_locally(guard, hostile, args):
    """The release's imid-kb.ttl imports the ontology (docs/design/owl.md): imid-onto reads
    the ontology from its own files beside every file, so the import is neither fetched (not
    by owlready2, not by HermiT) nor warned about."""
    path = hostile / "imports-own.ttl"
    path.write_text(IMPORTS_OWN)
    done, attempts = guard.run(*args, str(path))
    assert done.returncode == 0, done.stderr
    assert attempts == []
    assert "not followed" not in done.stderr


# --- JSON-LD contexts -------------------------------------------------------------------------


def test_cli_refuses_remote_contexts_without_a_connection(guard, hostile):
    for name in ("string", "import"):
        path = hostile / f"context-{name}.jsonld"
        done, attempts = guard.run("validate", str(path))
        assert attempts == []
        assert one_error_line(done, 2).startswith(f"{path}: external JSON-LD context refused")
    done, attempts = guard.run("validate", str(hostile / "inline.jsonld"))
    assert done.returncode == 0, done.stderr
    assert attempts == []


# --- RDF/XML entities -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["xxe.rdf", "internal-entity.owl", "laughs.rdf"])
def test_xml_entity_declarations_are_refused_in_little_memory(guard, hostile, name):
    """Under a 1 GiB address-space limit (the process is stopped after 120 s): the 9-level
    billion laughs would be a 3 GB literal. The file named by an external entity never shows."""
    path = hostile / name
    done, attempts = guard.run("validate", str(path), memory=1 << 30, timeout=120)
    assert attempts == []
    assert one_error_line(done, 2).startswith(f"{path}:2: XML entity declarations refused")
    assert "TOP-SECRET" not in done.stdout + done.stderr


def test_entity_declarations_are_refused_in_python_too(hostile):
    for name in ("xxe.rdf", "laughs.rdf"):
        with pytest.raises(InputError, match="XML entity declarations refused"):
            read_graph(hostile / name)
        with pytest.raises(InputError, match="XML entity declarations refused"):
            load_store([hostile / name])


def test_pyoxigraph_expands_nested_entities_and_reads_no_external_one(hostile):
    """Why entities are refused, not left to the parser (pyoxigraph 0.5): a few hundred
    bytes of declarations in 4 levels become 30,000 characters (each level ten times the
    last, without bound), while an external entity is rejected unread."""
    document = laughs(4).encode()
    (quad,) = ox.parse(document, format=ox.RdfFormat.RDF_XML)
    assert len(quad.object.value) == 3 * 10**4
    with pytest.raises(SyntaxError) as caught:
        list(ox.parse((hostile / "xxe.rdf").read_bytes(), format=ox.RdfFormat.RDF_XML))
    assert "TOP-SECRET" not in str(caught.value)


def test_an_external_dtd_is_not_fetched(guard, hostile):
    """A DOCTYPE naming an external DTD, without entities, is harmless: pyoxigraph does not load it."""
    done, attempts = guard.run("validate", str(hostile / "external-dtd.rdf"))
    assert done.returncode == 0, done.stderr
    assert attempts == []


# --- SPARQL (decided from the parse: tests/queries/test_user_queries.py) ---------------------------


@pytest.mark.parametrize(
    "name, engine", [("service.rq", "oxigraph"), ("escaped-service.rq", "rdflib"), ("from.rq", "oxigraph")]
)
def test_cli_refuses_network_queries_without_a_connection(guard, hostile, name, engine):
    path = hostile / name
    done, attempts = guard.run("query", "--file", str(path), "--engine", engine)
    assert attempts == []
    assert one_error_line(done, 2).startswith(f"{path}: ")
    assert "is refused" in done.stderr and "offline" in done.stderr


def test_a_query_that_only_mentions_service_in_a_string_runs(guard, hostile):
    done, attempts = guard.run("query", "--file", str(hostile / "mentions-service.rq"), "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert attempts == []
    assert done.stdout.splitlines()[0] == "label"
    assert len(done.stdout.splitlines()) == 4
