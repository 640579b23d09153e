"""A throwaway Oxigraph server for tests (the ``oxigraph`` binary of the ``oxigraph`` PyPI
package, in the test extra): its own store in a temporary directory, on a free port of
127.0.0.1, stopped by PID when done (and by the kernel if the test process dies first).

    with Oxigraph(tmp_path, binary=shutil.which("oxigraph")) as server:
        post_dataset(server.store_url, trig, "application/trig")
        select(Endpoint(server.query_url), "SELECT ...")

What Oxigraph 0.5's server does, found by experiment: ``POST /store`` with a dataset
(application/trig, application/n-quads) adds its quads, each in its graph, and answers 204;
the same quads again change nothing; ``PUT /store?graph=IRI`` replaces one graph (201 new,
204 replaced); ``/query`` answers SPARQL 1.1 Protocol queries, the default graph being the
store's default graph only (not the union of the named graphs).
"""

from __future__ import annotations

import atexit
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from .virtuoso import _die_with_parent, _free_ports

__all__ = ["Oxigraph"]

STARTUP_TIMEOUT = 30.0
LAUNCH_ATTEMPTS = 3


class Oxigraph:
    """An Oxigraph server of its own, its store in ``directory``."""

    def __init__(self, directory: Path, *, binary: str) -> None:
        self.directory = Path(directory)
        self.binary = binary
        self.port = 0
        self.process: subprocess.Popen | None = None

    @property
    def store_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/store"

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    def start(self) -> Oxigraph:
        for attempt in range(1, LAUNCH_ATTEMPTS + 1):
            [self.port] = _free_ports(1)
            log = (self.directory / "server.log").open("wb")
            self.process = subprocess.Popen(
                [self.binary, "serve", "--location", str(self.directory / "store"), "--bind", f"127.0.0.1:{self.port}"],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent(),
            )
            log.close()
            atexit.register(self.stop)
            if self._ready():
                return self
            self.stop()  # the port picked as free may have been taken meanwhile: pick again
            if attempt == LAUNCH_ATTEMPTS:
                log_text = (self.directory / "server.log").read_text(encoding="utf-8", errors="replace")
                raise RuntimeError(f"the Oxigraph server did not start: {log_text[-2000:]}")
        raise AssertionError("unreachable")

    def _ready(self) -> bool:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(f"{self.query_url}?query=ASK%7B%7D", timeout=2):
                    return True
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        return False

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def __enter__(self) -> Oxigraph:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
