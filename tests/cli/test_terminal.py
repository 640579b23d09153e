"""Nothing forged on the terminal: a file name, a label or a quote from the user's data
cannot print a line of its own, retitle the terminal or reverse the text, in an error, a
warning, a report or a table; each is shown escaped."""

from __future__ import annotations

import shutil

import pytest

from ..conftest import REPO, cli, one_error_line

#: A file name that would print a line of its own, retitle the terminal and reverse the text.
EVIL = "evil\nimid-onto: validation passed\x1b]0;pwned\x07\r\u202e\x9b.ttl"


SHOWN = "evil\\nimid-onto: validation passed\\x1b]0;pwned\\x07\\r\\u202e\\x9b.ttl"  # as it is shown


@pytest.mark.parametrize(
    "command",
    [("validate",), ("query", "neosubstrates", "--data"), ("claims", "--data"), ("check",), ("fmt", "--check")],
    ids=" ".join,
)
def test_a_file_name_cannot_forge_a_line_in_an_error(tmp_path, command):
    path = tmp_path / EVIL
    path.write_text("this is not Turtle\n", encoding="utf-8")
    done = cli(*command, str(path))
    line = one_error_line(done, 2)
    assert line.startswith(f"{tmp_path}/{SHOWN}:1:1: syntax error: ") and line.isprintable(), line
    assert done.stdout == ""


IMPORTS = (
    "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
    "<https://w3id.org/imid-onto/test/o> a owl:Ontology ; owl:imports <https://w3id.org/imid-onto/test/x> .\n"
)


def test_a_file_name_cannot_forge_a_line_in_a_warning(tmp_path):
    path = tmp_path / EVIL
    path.write_text(IMPORTS, encoding="utf-8")
    done = cli("query", "neosubstrates", "--data", str(path), "--no-cache", "--asserted-only")
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        f"imid-onto: warning: {tmp_path}/{SHOWN}: owl:imports <https://w3id.org/imid-onto/test/x> "
        "not followed (imid-onto reads nothing over the network; give the imported ontology as a "
        "file)\n"
    )


def test_a_file_name_cannot_forge_a_line_in_checks_report(tmp_path, sources_dir, identifier_table):
    path = tmp_path / EVIL
    shutil.copy(REPO / "tests" / "fixtures" / "broken" / "quote-not-in-document.ttl", path)
    done = cli("check", str(path))
    problem = (
        f"{tmp_path}/{SHOWN}:36: claim https://w3id.org/imid-onto/test/claim-quote: quote not found in "
        "https://w3id.org/imid-onto/test/source: 'lenalidomide destroys Ikaros within minutes in every cell "
        "line tested'"
    )
    assert one_error_line(done, 1) == problem
    assert done.stdout.splitlines()[0] == problem and len(done.stdout.splitlines()) == 2


def test_a_file_name_cannot_forge_a_line_in_the_output(tmp_path):
    path = tmp_path / EVIL
    path.write_text(
        "<https://w3id.org/imid-onto/test/b>   <https://w3id.org/imid-onto/test/p> 2 .\n"
        "<https://w3id.org/imid-onto/test/a> <https://w3id.org/imid-onto/test/p> 1 .\n",
        encoding="utf-8",
    )  # valid, not canonical
    done = cli("fmt", "--check", str(path))
    assert one_error_line(done, 1) == "1 file(s) not in canonical form"
    assert done.stdout == f"{tmp_path}/{SHOWN}: not in canonical form (run: imid-onto fmt {tmp_path}/{SHOWN})\n"


@pytest.mark.slow
def test_text_from_the_users_data_cannot_forge_a_line_in_claims_or_a_table(tmp_path):
    """A label or quote in the user's own data is shown escaped in `claims` and in a query's
    table (csv, tsv and json are for programs: their own escaping holds)."""
    small = (REPO / "tests" / "fixtures" / "queries" / "small.ttl").read_text(encoding="utf-8")
    evil = "drug one\\nimid-onto: validation passed\\u001b]0;pwned\\u0007"
    path = tmp_path / "data.ttl"
    path.write_text(
        small.replace('rdfs:label "drug one"@en', f'rdfs:label "{evil}"@en').replace(
            'rdfs:label "drug one has protein Q degraded"@en', f'rdfs:label "{evil}"@en'
        ),
        encoding="utf-8",
    )
    shown = "drug one\\nimid-onto: validation passed\\x1b]0;pwned\\x07"
    done = cli("claims", "--data", str(path), "--no-cache")
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert done.stdout.splitlines()[0] == f"k1  [established finding]  {shown} induces degradation of protein Q"
    query = tmp_path / "q.rq"
    query.write_text(
        "SELECT ?label WHERE { <https://w3id.org/imid-onto/test/drug> "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label }\n",
        encoding="utf-8",
    )
    done = cli("query", "--file", str(query), "--data", str(path), "--no-cache", "--asserted-only")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["label", shown, "(1 rows)"]


def test_validates_report_cannot_be_forged_by_a_file_name_or_a_value(tmp_path):
    """The text report names the file of each focus node and shows offending values: both
    come from the user, and are shown escaped."""
    small = (REPO / "tests" / "fixtures" / "queries" / "small.ttl").read_text(encoding="utf-8")
    path = tmp_path / EVIL
    path.write_text(
        small.replace('rdfs:label "drug one"@en', 'rdfs:label "drug\\u001b]0;pwned\\u0007"@fr'), encoding="utf-8"
    )  # not an English label: a violation, on this file's line
    done = cli("validate", str(path), "--no-cache")
    assert done.returncode == 1, done.stderr
    assert all(line.isprintable() for line in done.stdout.splitlines()), done.stdout
    assert f"({tmp_path}/{SHOWN}:" in done.stdout
