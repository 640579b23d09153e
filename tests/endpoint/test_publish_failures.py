"""A publish that the server refuses, cuts off, drips or floods says so in one line and never
reports success; a file that would empty or cut the published graph is never sent.

Publishing goes to a tiny HTTP server on 127.0.0.1 (raw sockets in a thread) that
misbehaves in one way per test and records what it received.
"""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from ..conftest import imid

GRAPH = "https://w3id.org/imid-onto/test/graph"


class Stub:
    """A one-behaviour HTTP server on 127.0.0.1. ``behave(stub, connection, request)``
    answers each request; ``requests`` records (method, path, headers, body bytes read)."""

    def __init__(self, behave) -> None:
        self.behave = behave
        self.requests: list[dict] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/store"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection: socket.socket) -> None:
        with connection:
            while True:
                request = self._read_head(connection)
                if request is None:
                    return
                self.requests.append(request)
                try:
                    if not self.behave(self, connection, request):
                        return
                except OSError:
                    return

    @staticmethod
    def _read_head(connection: socket.socket) -> dict | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        return {"method": method, "path": path, "headers": headers, "rest": rest, "read": len(rest)}

    @staticmethod
    def read_body(connection: socket.socket, request: dict, limit: int | None = None) -> None:
        """Read the request body (all of it, or ``limit`` bytes), counting it."""
        wanted = int(request["headers"].get("content-length", "0"))
        if limit is not None:
            wanted = min(wanted, limit)
        while request["read"] < wanted:
            chunk = connection.recv(min(65536, wanted - request["read"]))
            if not chunk:
                return
            request["read"] += len(chunk)

    @staticmethod
    def answer(connection: socket.socket, status: str, headers: dict | None = None, body: bytes = b"") -> None:
        lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", "Connection: close"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)

    def puts(self) -> list[dict]:
        return [r for r in self.requests if r["method"] == "PUT"]

    def close(self) -> None:
        self.listener.close()


def reset(connection: socket.socket) -> None:
    """Close with a TCP reset (RST), as a server that drops the connection does."""
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    connection.close()


DIGEST = 'Digest realm="SPARQL", nonce="4711", qop="auth", algorithm="MD5", opaque="x"'


def digest_refusing(stub, connection, request) -> bool:
    """Asks for Digest credentials and refuses any it is given, after reading the body."""
    Stub.read_body(connection, request)
    Stub.answer(connection, "401 Unauthorized", {"WWW-Authenticate": DIGEST}, b"Unauthorized: wrong credentials")
    return False


def refusing_without_reading(stub, connection, request) -> bool:
    """As Virtuoso: a 401 at once, without reading the body, and the connection closed."""
    if request["method"] == "PUT":
        Stub.answer(connection, "401 Unauthorized", {"WWW-Authenticate": DIGEST}, b"Unauthorized")
        reset(connection)
        return False
    return digest_refusing(stub, connection, request)


def error_500(stub, connection, request) -> bool:
    Stub.read_body(connection, request)
    Stub.answer(
        connection,
        "500 Internal Server Error",
        {"Content-Type": "text/plain"},
        b"Virtuoso 42000 Error SR008: Function exec needs a string\nmore detail\n",
    )
    return False


def basic_then(behaviour):
    """Basic credentials ("dba", "secret") are accepted, then ``behaviour`` answers the PUT."""
    import base64

    good = "Basic " + base64.b64encode(b"dba:secret").decode()

    def behave(stub, connection, request) -> bool:
        if request["headers"].get("authorization") != good:
            Stub.read_body(connection, request)
            Stub.answer(connection, "401 Unauthorized", {"WWW-Authenticate": 'Basic realm="store"'})
            return False
        if request["method"] == "HEAD":
            Stub.answer(connection, "200 OK")
            return False
        return behaviour(stub, connection, request)

    return behave


def reset_mid_upload(stub, connection, request) -> bool:
    Stub.read_body(connection, request, limit=65536)
    reset(connection)
    return False


def closed_before_answering(stub, connection, request) -> bool:
    Stub.read_body(connection, request)
    connection.shutdown(socket.SHUT_RDWR)
    return False


def silent(stub, connection, request) -> bool:
    Stub.read_body(connection, request)
    time.sleep(5)
    return False


def dripping(stub, connection, request) -> bool:
    """Answers a byte every 0.5 s for 20 s: no read ever waits long, the whole never ends."""
    Stub.read_body(connection, request)
    connection.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 40\r\nConnection: close\r\n\r\n")
    for _ in range(40):
        time.sleep(0.5)
        connection.sendall(b" ")
    return False


def answering_at_length(stub, connection, request) -> bool:
    """Answers the PUT with 64 MiB (read whole into memory, before)."""
    Stub.read_body(connection, request)
    size = 64 << 20
    connection.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % size)
    chunk = b" " * 65536
    for _ in range(size // len(chunk)):
        connection.sendall(chunk)
    return False


def answer_cut_short(stub, connection, request) -> bool:
    Stub.read_body(connection, request)
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\npartial")
    reset(connection)
    return False


def accepting(stub, connection, request) -> bool:
    Stub.read_body(connection, request)
    Stub.answer(connection, "201 Created")
    return False


@pytest.fixture(scope="module")
def upload(tmp_path_factory) -> Path:
    """A Turtle file of about 8 MB: larger than the socket buffers, so a server that stops
    reading cuts the upload short."""
    path = tmp_path_factory.mktemp("upload") / "big.ttl"
    filler = "y" * 480
    path.write_text(
        "".join(
            f'<https://w3id.org/imid-onto/test/s{i}> <https://w3id.org/imid-onto/test/p> "{filler}" .\n'
            for i in range(16000)
        ),
        encoding="utf-8",
    )
    return path


def publish(
    stub: Stub, path: Path, *, user: str | None = None, password: str = "secret", options: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """``imid-onto publish`` in a process of its own."""
    args = ["publish", "--endpoint", stub.url, "--graph", GRAPH, "--file", str(path), *options]
    if user is not None:
        args += ["--user", user, "--password-env", "IMID_TEST_PASSWORD"]
    return imid(*args, env=dict(os.environ, IMID_TEST_PASSWORD=password), timeout=120)


def failed_in_one_line(done: subprocess.CompletedProcess[str], stub: Stub, *words: str) -> str:
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Published" not in done.stdout and done.stdout == ""
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    line = done.stderr.strip()
    assert line.startswith(f"imid-onto: error: PUT {stub.url} (graph <{GRAPH}>): "), line
    for word in words:
        assert word in line, line
    assert "secret" not in line
    return line


@pytest.mark.slow
@pytest.mark.parametrize(
    "case",
    [
        "refused after authenticating",
        "refused without reading the upload",
        "server error 500",
        "connection reset mid-upload",
        "connection closed before the answer",
        "no answer (timeout)",
        "answer cut short",
        "answer dripped (the overall time limit)",
        "answer too long (the byte limit)",
    ],
)
def test_a_failed_upload_is_one_line_and_never_success(upload, case):
    limit = "timed out: no complete answer within 1 s (the limit for the whole exchange)"
    behave, user, options, words = {
        "refused after authenticating": (digest_refusing, "dba", (), ("HTTP 401", "'dba' was refused")),
        "refused without reading the upload": (refusing_without_reading, "dba", (), ("HTTP 401", "'dba' was refused")),
        "server error 500": (error_500, None, (), ("HTTP 500", "SR008: Function exec needs a string")),
        "connection reset mid-upload": (basic_then(reset_mid_upload), "dba", (), ("reset the connection",)),
        "connection closed before the answer": (closed_before_answering, None, (), ("without an answer",)),
        "no answer (timeout)": (silent, None, ("--timeout", "1"), (limit, "the upload was not confirmed")),
        "answer cut short": (answer_cut_short, None, (), ("reading the response failed",)),
        "answer dripped (the overall time limit)": (
            dripping,
            None,
            ("--timeout", "1"),
            (f"reading the response failed: {limit}",),
        ),
        "answer too long (the byte limit)": (
            answering_at_length,
            None,
            ("--max-bytes", "1000000"),
            ("reading the response stopped: the answer is larger than 1,000,000 bytes (the limit on what is read)",),
        ),
    }[case]
    stub = Stub(behave)
    try:
        done = publish(stub, upload, user=user, options=options)
        failed_in_one_line(done, stub, *words)
    finally:
        stub.close()
    size = upload.stat().st_size
    [put] = stub.puts()  # one PUT: the upload is never sent twice
    if case == "connection reset mid-upload":
        assert put["read"] < size  # the server really took only part of it
    elif case != "refused without reading the upload":
        assert put["read"] == size
    if user is not None:  # a bodiless probe for the challenge first, so the body goes once, authorized
        assert stub.requests[0]["method"] == "HEAD" and "authorization" in put["headers"]


def test_an_accepted_upload_is_reported_with_what_was_sent(upload):
    stub = Stub(accepting)
    try:
        done = publish(stub, upload)
    finally:
        stub.close()
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Published {upload} (16,000 triples) to <{GRAPH}> at {stub.url}: HTTP 201"
    [put] = stub.puts()
    assert put["read"] == upload.stat().st_size and put["headers"]["content-type"] == "text/turtle"


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("empty.ttl", b"", "empty file (0 bytes)"),
        ("prefixes-only.ttl", b"@prefix ex: <https://w3id.org/imid-onto/test/> .\n", "refusing to replace"),
        (
            "truncated.owl",
            b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            b'xmlns:t="https://w3id.org/imid-onto/test/">\n<rdf:Description rdf:about="https://w3id.org/'
            b'imid-onto/test/a"><t:p>kept</t:p></rdf:Description>\n<rdf:Description rdf:about="https://'
            b'w3id.org/imid-onto/test/b"><t:p>lost</t:p>\n',
            "truncated?",
        ),
    ],
)
def test_an_upload_that_would_empty_or_cut_the_graph_is_never_sent(tmp_path, name, content, words):
    """An empty file, or RDF/XML cut short (which the parser would read in part), would
    replace the published graph with nothing or with a part: refused before any request."""
    path = tmp_path / name
    path.write_bytes(content)
    stub = Stub(accepting)
    try:
        done = publish(stub, path)
    finally:
        stub.close()
    assert done.returncode == 2 and done.stdout == "" and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"imid-onto: error: {path}") and words in done.stderr
    assert stub.requests == []
