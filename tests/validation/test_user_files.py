"""A user's files, as ``validate FILES`` and ``check FILES`` read them: with the ontology and
the knowledge base's entities and documents (``--alone``: the files by themselves); the
text report shows violations and warnings, and counts the infos (``--infos`` shows them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imid_onto.validation.report import TEXT_LIMIT

from ..conftest import REPO, cli, one_error_line

#: The shipped claims as they were written in full Turtle before the records (a user may write so).
SHIPPED = REPO / "tests" / "claims" / "fixtures" / "claims-before" / "lu-2014-pubmed.ttl"


@pytest.fixture
def one_good_claim(tmp_path: Path) -> Path:
    """A file of its own with one good claim: the first shipped claim of lu-2014-pubmed
    under a new IRI, using the shipped entities, study and document."""
    text = SHIPPED.read_text(encoding="utf-8")
    end = text.index("\n\n", text.index("claim:LUPM-01 a imid:Claim")) + 1
    path = tmp_path / "my-claims.ttl"
    path.write_text(text[:end].replace("claim:LUPM-01", "claim:MY-01"), encoding="utf-8")
    return path


def test_one_good_claim_in_a_file_of_its_own_has_no_violations(one_good_claim):
    done = cli("validate", "--no-cache", str(one_good_claim))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "0 violations, 0 warnings, 0 infos in 0 nodes\n"


def test_validate_and_check_read_the_same_files(one_good_claim, sources_dir, identifier_table):
    done = cli("check", str(one_good_claim))
    assert (done.returncode, done.stdout) == (0, "all quotes found; all external ids verified\n"), done.stderr
    # alone, the claim's document is not there: check cannot find its text, validate its parts
    assert one_error_line(cli("check", "--alone", str(one_good_claim)), 1).startswith(
        f"{one_good_claim}:17: claim claim:MY-01: source text not found in doc:lu-2014-pubmed: "
    )
    alone = cli("validate", "--alone", "--format", "json", str(one_good_claim))
    assert alone.returncode == 1
    assert json.loads(alone.stdout)["summary"] == {"violation": 8, "warning": 0, "info": 1}


def test_a_file_of_the_knowledge_base_is_not_read_twice():
    entities = REPO / "kb" / "entities.ttl"
    done = cli("validate", "--no-cache", "--format", "json", str(entities))
    assert done.returncode == 0, done.stdout[-2000:]
    assert json.loads(done.stdout)["summary"]["violation"] == 0  # no "label also of" itself


def test_the_text_report_counts_the_infos_and_shows_them_when_asked():
    done = cli("validate")
    assert done.returncode == 0 and done.stderr == ""
    report = json.loads(cli("validate", "--format", "json").stdout)
    infos = report["summary"]["info"]
    nodes = {result["focus"] for result in report["results"]}
    assert infos > TEXT_LIMIT  # the shipped infos are more than the text shows
    assert done.stdout.splitlines() == [
        f"{infos} infos not shown (--infos shows them)",
        f"0 violations, 0 warnings, {infos} infos in {len(nodes)} nodes",
    ]
    shown = cli("validate", "--infos").stdout.splitlines()
    assert sum(1 for line in shown if line.startswith("  INFO ")) == TEXT_LIMIT
    assert shown[-2] == f"... and {infos - TEXT_LIMIT} more infos (--format json for all)"
    assert shown[-1] == done.stdout.splitlines()[-1]


def _focus_lines(done) -> list[str]:
    return [line for line in done.stdout.splitlines()[:-1] if not line.startswith(" ")]


def test_violations_and_warnings_are_shown_and_the_infos_counted(one_good_claim):
    done = cli("validate", "--alone", str(one_good_claim))  # alone: no curator, study ... in the file
    assert done.returncode == 1
    assert [line.split(":")[0] for line in done.stdout.splitlines()] == [
        "claim",  # claim:MY-01  (FILE:17)
        "  VIOLATION claim curation activity",
        "  VIOLATION claim curator",
        "  VIOLATION claim context disease",
        "  VIOLATION claim quote",
        "  VIOLATION claim references",  # the quoted document: not in the files
        "  VIOLATION claim study",
        "  VIOLATION declared term",  # the subject and object: not in the files
        "  VIOLATION declared term",
        "1 info not shown (--infos shows them)",
        "8 violations, 0 warnings, 1 infos in 1 nodes",
    ]
    shown = cli("validate", "--alone", "--infos", str(one_good_claim)).stdout.splitlines()
    assert shown[0] == f"claim:MY-01  ({one_good_claim}:17)"
    assert shown[9].startswith("  INFO      claim study identifier: Claim's study has no PMID or DOI")
    assert shown[10:] == ["8 violations, 0 warnings, 1 infos in 1 nodes"]
