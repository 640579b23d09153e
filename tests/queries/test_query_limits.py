"""A user's query (``query --file``) is bounded: a cartesian product stops at the row cap,
an ORDER BY over it at the memory or the time limit, on both engines, with one line each;
the answer crosses from the forked process that enforces the limits intact."""

from __future__ import annotations

import pytest

from imid_onto.query import Limits, NamedQuery, run_query

from ..conftest import imid, one_error_line

ENGINES = ("oxigraph", "rdflib")


PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_cartesian_product_stops_at_the_row_cap(tmp_path, engine):
    path = tmp_path / "product.rq"
    path.write_text(PRODUCT)
    done = imid("query", "--file", str(path), "--engine", engine, "--asserted-only", "--max-rows", "1000", timeout=300)
    assert one_error_line(done, 2) == f"{path}: more than 1,000 rows (--max-rows)"
    path.write_text(PRODUCT + " LIMIT 1000")
    done = imid(
        "query",
        "--file",
        str(path),
        "--engine",
        engine,
        "--asserted-only",
        "--max-rows",
        "1000",
        "--format",
        "csv",
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 1001


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_an_ordered_cartesian_product_stops_at_the_memory_limit(tmp_path, engine):
    """pyoxigraph sorts in native code (5 GB in 10 s here): the forked process's address
    space is what stops it, and the native abort prints nothing."""
    path = tmp_path / "ordered.rq"
    path.write_text(PRODUCT + " ORDER BY ?a")
    done = imid(
        "query",
        "--file",
        str(path),
        "--engine",
        engine,
        "--asserted-only",
        "--max-memory",
        "150",
        "--timeout",
        "600",
        timeout=600,
    )
    assert one_error_line(done, 2) == f"{path}: the query needed more than 150 MB of memory (--max-memory)"


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_an_ordered_cartesian_product_stops_at_the_time_limit(tmp_path, engine):
    path = tmp_path / "ordered.rq"
    path.write_text(PRODUCT + " ORDER BY ?a")
    done = imid(
        "query",
        "--file",
        str(path),
        "--engine",
        engine,
        "--asserted-only",
        "--timeout",
        "1",
        "--max-memory",
        "100000",
        timeout=300,
    )
    assert one_error_line(done, 2) == f"{path}: the query ran past 1 s (--timeout)"


def test_the_answer_crosses_from_the_forked_process_intact(tiny):
    """Literals keep their lexical form and datatype, blank nodes their labels (a pickled
    rdflib Literal would come back normalized: "01" as "1")."""
    text = (
        'SELECT ?n ?d ?l ?t ?b WHERE { BIND("01"^^<http://www.w3.org/2001/XMLSchema#integer> AS ?n) '
        'BIND("1.0E0"^^<http://www.w3.org/2001/XMLSchema#double> AS ?d) BIND("x"@en-GB AS ?l) '
        'BIND("é\\n" AS ?t) BIND(BNODE("b") AS ?b) }'
    )
    for engine in ENGINES:
        plain = run_query(tiny, NamedQuery("q", "q", "", (), (), text), engine=engine)
        bounded = run_query(tiny, NamedQuery("q", "q", "", (), (), text, limits=Limits()), engine=engine)
        assert bounded.columns == plain.columns
        assert [
            [(type(t), str(t), getattr(t, "datatype", None), getattr(t, "language", None)) for t in row[:4]]
            for row in bounded.rows
        ] == [
            [(type(t), str(t), getattr(t, "datatype", None), getattr(t, "language", None)) for t in row[:4]]
            for row in plain.rows
        ]
    assert str(bounded.rows[0][0]) == "01"  # pyoxigraph keeps it as written (rdflib's parser normalizes it)


def test_the_limits_go_with_file_only():
    """(--timeout goes with --endpoint too: tests/endpoint/test_client.py)"""
    done = imid("query", "downstream-effects", "--max-memory", "5")
    assert done.returncode == 2 and "--max-rows and --max-memory go with --file" in done.stderr


def test_the_help_shows_the_limits():
    done = imid("query", "--help")
    assert done.returncode == 0
    for option in ("--timeout SECONDS", "--max-rows N", "--max-memory MB"):
        assert option in done.stdout
    text = " ".join(done.stdout.split())
    assert "(default 60); with --endpoint: the time limit for the whole command (default 300)" in text
    assert "[default: 100000" in text and "[default: 2048" in text
