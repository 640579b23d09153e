"""Hostile input to the reasoner, bounded: blank nodes described alike (a list of one
repeated item, a list nested 20,000 deep) change nothing it infers and get the same input
digest in two processes; alike blank nodes it cannot name, and input that overflows
HermiT's stack, are one line. (How the blank nodes are named: tests/rdf/test_hostile_input.py.)

Each runs the command line in a subprocess with a timeout, so the old behaviour (a hang)
fails the test instead of holding the suite.
"""

from __future__ import annotations

import pytest

from ..conftest import REPO, imid, one_error_line
from ..rdf.test_hostile_input import BOUND, PREFIXES, _nested, _repeated

LISTS = {"repeated.ttl": _repeated(2000), "nested.ttl": _nested(20_000)}


@pytest.fixture(scope="module")
def lists(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lists")
    for name, text in LISTS.items():
        (folder / name).write_text(text)
    return folder


@pytest.fixture(scope="module")
def plain_reason(java):
    """``imid-onto reason``'s inferred triples over the shipped data alone."""
    done = imid("reason", timeout=BOUND)
    assert done.returncode == 0, done.stderr
    return done.stdout.split("Inferred triples:", 1)[1]


@pytest.mark.slow
@pytest.mark.parametrize("name", LISTS)
def test_reason_over_lists_of_alike_blank_nodes(lists, plain_reason, name):
    """The lists change nothing the reasoner infers; the input's digest is the same in two
    processes (the kept result is found by it)."""
    first = imid("reason", str(lists / name), timeout=BOUND)
    assert first.returncode == 0, first.stderr[-2000:]
    assert first.stdout.split("Inferred triples:", 1)[1] == plain_reason
    again = imid("reason", str(lists / name), timeout=BOUND)
    digest = [line for line in first.stdout.splitlines() if line.startswith("Input: sha256 ")]
    assert len(digest) == 1 and digest[0] in again.stdout.splitlines()


@pytest.mark.slow
@pytest.mark.parametrize("name", LISTS)
def test_query_and_claims_over_lists_of_alike_blank_nodes(lists, java, name):
    entities = str(REPO / "kb" / "entities.ttl")
    plain = imid("query", "molecular-glues", "--data", entities, "--format", "csv", timeout=BOUND)
    assert plain.returncode == 0, plain.stderr
    done = imid(
        "query", "molecular-glues", "--data", entities, "--data", str(lists / name), "--format", "csv", timeout=BOUND
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == plain.stdout
    assert "lenalidomide" in done.stdout
    claims = imid("claims", "--data", str(lists / name), timeout=BOUND)
    assert (claims.returncode, claims.stdout) == (0, "0 claims\n"), claims.stderr[-2000:]


def test_reason_refuses_alike_blank_nodes_it_cannot_name_in_one_line(tmp_path, java):
    """10 anonymous individuals, each the same as every other: RDFC-1.0 ran for minutes."""
    path = tmp_path / "clique.ttl"
    path.write_text(PREFIXES + "".join(f"_:b{i} owl:sameAs _:b{j} .\n" for i in range(10) for j in range(10) if i != j))
    done = imid("reason", str(path), timeout=BOUND)
    assert one_error_line(done, 2).startswith("blank nodes described alike are linked to each other in a cycle")


@pytest.mark.slow
def test_hermit_failing_is_one_line(tmp_path, java):
    """An enumeration of 3,000 individuals overflows HermiT's stack: one line, not Java's
    stack trace as an "internal error"."""
    members = " ".join(f":a{i}" for i in range(3000))
    path = tmp_path / "enumeration.ttl"
    path.write_text(PREFIXES + f":C a owl:Class ; owl:equivalentClass [ a owl:Class ; owl:oneOf ( {members} ) ] .\n")
    done = imid("reason", str(path), timeout=BOUND)
    assert one_error_line(done, 2) == (
        "HermiT failed on this input: java.lang.StackOverflowError (an enumeration or class expression too large "
        "or nested too deep for it; query --asserted-only leaves the reasoner out)"
    )
