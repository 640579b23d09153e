"""A user's query run within its limits (time, memory) in a forked process; the answer comes
back through a pipe. See docs/design/user-queries.md.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from imid_onto.errors import InputError
from imid_onto.io.sparql_text import Limits

if TYPE_CHECKING:
    pass
from imid_onto.query.results import Table

__all__ = ["bounded"]


def bounded(limits: Limits, origin: str, work: Callable[[], Table]) -> Table:
    """``work()`` in a forked process, killed after ``limits.seconds`` and refused address
    space past ``limits.memory_mb`` more than this process has mapped: the only bounds that
    hold while pyoxigraph materializes a product in native code (ORDER BY over a cartesian
    product took 5 GB in 10 s). The answer comes back through a pipe, its terms as plain
    tuples (a pickled rdflib Literal would lose its lexical form: "01" comes back "1").
    Without fork (Windows), ``work()`` runs here, bounded by the rows only."""
    if not hasattr(os, "fork"):
        return work()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer, send, and leave without cleanup handlers
        try:
            os.close(read_end)
            os.dup2(os.open(os.devnull, os.O_WRONLY), 2)  # a native abort prints nothing
            _limit_memory(limits.memory_mb)
            try:
                table = work()
                outcome: tuple = ("ok", table.columns, [tuple(map(_plain, row)) for row in table.rows])
            except InputError as err:
                outcome = ("error", str(err))
            except MemoryError:
                outcome = ("memory",)
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(outcome, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as err:  # noqa: BLE001 - reported to the parent, which raises it
            try:
                with os.fdopen(write_end, "wb", closefd=False) as pipe:
                    pickle.dump(("internal", f"{type(err).__name__}: {err}"), pipe)
            except BaseException:  # noqa: BLE001
                pass
        os._exit(0)
    os.close(write_end)
    chunks, finished = [], False
    deadline = time.monotonic() + limits.seconds
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_end], [], [], left)[0]:
                raise InputError(f"{origin}: the query ran past {limits.seconds:g} s (--timeout)")
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        finished = True
    finally:
        os.close(read_end)
        if not finished:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    try:
        outcome = pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001 - nothing, or a part: the child died while answering
        outcome = (
            ("memory",)
            if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGABRT, signal.SIGKILL)
            else ("internal", f"the query's process ended without an answer (status {status})")
        )
    if outcome[0] == "ok":
        return Table(outcome[1], [tuple(map(_term, row)) for row in outcome[2]])
    if outcome[0] == "error":
        raise InputError(outcome[1])
    if outcome[0] == "memory":
        raise InputError(f"{origin}: the query needed more than {limits.memory_mb:,} MB of memory (--max-memory)")
    raise RuntimeError(outcome[1])


def _limit_memory(megabytes: int) -> None:
    """Limit this process's address space to what it has mapped plus ``megabytes`` (Linux,
    where /proc says what is mapped; elsewhere nothing is limited)."""
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as status:
            mapped = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError):
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = mapped + megabytes * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))


def _plain(term: Node | None) -> tuple | None:
    if term is None:
        return None
    if isinstance(term, Literal):
        return ("literal", str(term), term.language, str(term.datatype) if term.datatype else None)
    return ("blank" if isinstance(term, BNode) else "iri", str(term))


def _term(plain: tuple | None) -> Node | None:
    if plain is None:
        return None
    if plain[0] == "iri":
        return URIRef(plain[1])
    if plain[0] == "blank":
        return BNode(plain[1])
    _, value, language, datatype = plain
    if language or datatype is None:
        return Literal(value, lang=language)
    return Literal(value, datatype=URIRef(datatype), normalize=False)  # keep the lexical form
