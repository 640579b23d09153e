"""The coverage ledgers (kb/ledger/): every sentence of each source text, in order, with the
claims that quote it or why it bears none. The shipped ledgers cover their documents; each
kind of mistake in a copy of the Lu ledger is found, at its line."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest

from imid_onto import paths
from imid_onto.errors import InputError
from imid_onto.io.ledger import read_ledger
from imid_onto.model.claims import read_claims
from imid_onto.validation.ledger import check_ledger, check_ledgers
from imid_onto.vocab import IMID

from ..conftest import REPO, imid, one_error_line

LEDGER = REPO / "kb" / "ledger" / "lu-2014-pubmed.yaml"
CLAIMS = REPO / "kb" / "claims" / "lu-2014-pubmed.yaml"
TEXT = "002_1ea323a7021f1aac.txt"
S1 = "Thalidomide-like drugs such as lenalidomide"
S3 = "Thalidomide was recently shown"
S4 = "Cereblon loss in zebrafish"
HERE = "the sentence is not the source text of doc:lu-2014-pubmed here: "


def _entries(text: str) -> tuple[str, list[str]]:
    """The ledger's head and its sentences, each the lines from its ``- text:`` to the next."""
    head, *rest = text.split("\n- text: ")
    return head, ["- text: " + entry for entry in rest]


def _join(head: str, entries: list[str]) -> str:
    return "\n".join([head, *entries]).rstrip("\n") + "\n"


def _index(entries: list[str], start: str) -> int:
    return next(i for i, entry in enumerate(entries) if entry.startswith(f'- text: "{start}'))


def _line(text: str, start: str) -> int:
    """The line of the sentence beginning ``start`` in the ledger ``text``."""
    return text[: text.index(f'- text: "{start}')].count("\n") + 1


def _line_in(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


@pytest.fixture(scope="module")
def source(sources_dir) -> str:
    return (sources_dir / TEXT).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def claims(kb_graph):
    return read_claims(kb_graph)


def _problems(tmp_path: Path, text: str, claims, source: str | None) -> list[tuple[int | None, str]]:
    path = tmp_path / "lu-2014-pubmed.yaml"
    path.write_text(text, encoding="utf-8")
    return [(p.line, p.message) for p in check_ledger(read_ledger(path), claims, source)]


# --- the shipped ledgers ---------------------------------------------------------------------


@pytest.mark.parametrize("path", paths.ledger_files(), ids=lambda p: p.stem)
def test_each_shipped_ledger_covers_its_document(path, kb_graph, sources_dir):
    ledger = read_ledger(path)
    (name,) = kb_graph.objects(ledger.document, IMID.sourceTextFile)
    text = (sources_dir / str(name)).read_text(encoding="utf-8")
    assert check_ledger(ledger, read_claims(kb_graph), text) == []


def test_every_document_with_claims_has_a_ledger_and_each_covers_it(kb_graph, sources_dir):
    assert check_ledgers(kb_graph, sources_dir) == []


def test_the_lu_ledger_accounts_for_every_sentence_of_the_record(source):
    ledger = read_ledger(LEDGER)
    assert len(ledger.sentences) == 35
    assert sum(1 for s in ledger.sentences if s.claims) == 7
    assert sorted({c for s in ledger.sentences for c in s.claims}) == [f"LUPM-{n:02d}" for n in range(1, 18) if n != 12]


# --- each mistake found, at its line ---------------------------------------------------------


def test_a_dropped_sentence_is_found_where_the_texts_part(tmp_path, claims, source):
    head, entries = _entries(LEDGER.read_text(encoding="utf-8"))
    del entries[_index(entries, S3)]
    text = _join(head, entries)
    assert _problems(tmp_path, text, claims, source) == [
        (
            _line(text, S4),
            HERE + "the ledger has 'Cereblon loss in zebrafish causes fin defects reminiscent...', "
            "the text has 'Thalidomide was recently shown to bind to, and inhibit, the...'",
        ),
        (None, f"claim claim:LUPM-04 is named by no sentence of {tmp_path / 'lu-2014-pubmed.yaml'}"),
        (None, f"claim claim:LUPM-05 is named by no sentence of {tmp_path / 'lu-2014-pubmed.yaml'}"),
    ]


def test_two_sentences_in_the_wrong_order_are_found_at_the_first(tmp_path, claims, source):
    head, entries = _entries(LEDGER.read_text(encoding="utf-8"))
    three, four = _index(entries, S3), _index(entries, S4)
    entries[three], entries[four] = entries[four], entries[three]
    text = _join(head, entries)
    assert _problems(tmp_path, text, claims, source) == [
        (
            _line(text, S4),
            HERE + "the ledger has 'Cereblon loss in zebrafish causes fin defects reminiscent...', "
            "the text has 'Thalidomide was recently shown to bind to, and inhibit, the...'",
        )
    ]


def test_a_changed_word_is_shown_from_that_word(tmp_path, claims, source):
    text = LEDGER.read_text(encoding="utf-8").replace("clinically important", "clinically importnat")
    assert _problems(tmp_path, text, claims, source) == [
        (
            _line(text, S1),
            HERE + "the ledger has 'importnat treatments for multiple myeloma and show promise...', "
            "the text has 'important treatments for multiple myeloma and show promise...'",
        )
    ]


def test_a_ledger_that_stops_early_says_how_the_text_goes_on(tmp_path, claims, source):
    head, entries = _entries(LEDGER.read_text(encoding="utf-8"))
    text = _join(head, entries[:-1])
    assert _problems(tmp_path, text, claims, source) == [
        (
            _line(text, "PMCID"),
            "the ledger ends before the source text of doc:lu-2014-pubmed does: the text goes on with "
            "'PMID: 24292623 [Indexed for MEDLINE]'",
        )
    ]


def test_a_ledger_longer_than_the_text_is_found(tmp_path, claims, source):
    text = LEDGER.read_text(encoding="utf-8") + '- text: "PMID: 24292623"\n  none: bibliographic\n'
    assert _problems(tmp_path, text, claims, source) == [
        (text.count("\n") - 1, HERE + "the ledger has 'PMID: 24292623', the text has ended")
    ]


def test_a_claim_named_at_the_wrong_sentence_is_found(tmp_path, claims, source):
    text = (
        LEDGER.read_text(encoding="utf-8")
        .replace("claims: [LUPM-04, LUPM-05]", "claims: [LUPM-05]")
        .replace("claims: [LUPM-06,", "claims: [LUPM-04, LUPM-06,")
    )
    assert _problems(tmp_path, text, claims, source) == [
        (
            _line(text, S4),
            "claim LUPM-04's quote is not in this sentence: "
            "'Thalidomide was recently shown to bind to, and inhibit, the...'",
        )
    ]


def test_a_claim_not_named_is_found_and_placed_at_its_record(tmp_path, claims, source):
    text = LEDGER.read_text(encoding="utf-8").replace("claims: [LUPM-01, LUPM-02]", "claims: [LUPM-01]")
    assert _problems(tmp_path, text, claims, source) == [
        (None, f"claim claim:LUPM-02 is named by no sentence of {tmp_path / 'lu-2014-pubmed.yaml'}")
    ]
    kb = tmp_path / "kb"
    shutil.copytree(REPO / "kb", kb)
    for other in [*(kb / "claims").glob("*.yaml"), *(kb / "ledger").glob("*.yaml")]:  # the Lu record alone
        if other.name != CLAIMS.name:
            other.unlink()
    (kb / "ledger" / "lu-2014-pubmed.yaml").write_text(text, encoding="utf-8")
    done = imid("--kb", str(kb), "check")
    record = kb / "claims" / "lu-2014-pubmed.yaml"
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"{record}:{_line_in(record, '- LUPM-02:')}: claim claim:LUPM-02 is named by no sentence of "
        f"{kb / 'ledger' / 'lu-2014-pubmed.yaml'}"
    ]


def test_a_claim_that_does_not_exist_or_quotes_another_document_is_found(tmp_path, claims, source):
    text = LEDGER.read_text(encoding="utf-8").replace(
        "claims: [LUPM-01, LUPM-02]", "claims: [LUPM-01, LUPM-02, LUPM-99, IB-01]"
    )
    line = _line(text, S1)
    assert _problems(tmp_path, text, claims, source) == [
        (line, "claim LUPM-99 does not exist"),
        (line, "claim IB-01 is quoted from doc:inside-blood-2014, not from doc:lu-2014-pubmed"),
    ]


def test_a_document_with_claims_and_no_ledger_is_found(kb_graph, sources_dir):
    problems = check_ledgers(kb_graph, sources_dir, [])
    assert [(p.focus, p.message) for p in problems if p.focus.endswith("lu-2014-pubmed")] == [
        (
            "https://w3id.org/imid-onto/kb/doc/lu-2014-pubmed",
            "doc:lu-2014-pubmed has claims but no coverage ledger (kb/ledger/*.yaml, document: doc:lu-2014-pubmed)",
        )
    ]
    assert len(problems) == 3  # the three source documents


def test_two_ledgers_of_one_document_are_found(tmp_path, kb_graph, sources_dir):
    copy = tmp_path / "again.yaml"
    shutil.copy(LEDGER, copy)
    problems = check_ledgers(kb_graph, sources_dir, [LEDGER, copy])
    assert [(p.file, p.line, p.message) for p in problems if p.file == str(copy)] == [
        (str(copy), _line_in(copy, "document:"), f"doc:lu-2014-pubmed has a ledger already: {LEDGER}")
    ]


def test_without_the_source_texts_one_warning_and_the_claims_still_checked(tmp_path, kb_graph):
    head, entries = _entries(LEDGER.read_text(encoding="utf-8"))
    del entries[_index(entries, S3)]
    path = tmp_path / "lu-2014-pubmed.yaml"
    path.write_text(_join(head, entries), encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        problems = check_ledgers(kb_graph, None, [path])
    assert [str(w.message) for w in caught] == [
        "the source texts are not here ($IMID_SOURCES or ../shared/sources): the ledgers' sentences are not "
        "compared with them"
    ]
    assert [p.message for p in problems if p.focus.endswith(("LUPM-04", "LUPM-05"))] == [
        f"claim claim:LUPM-04 is named by no sentence of {path}",
        f"claim claim:LUPM-05 is named by no sentence of {path}",
    ]
    assert not [p for p in problems if p.file]


# --- what cannot be read: one line, file:line ------------------------------------------------


SENTENCE_1 = "  claims: [LUPM-01, LUPM-02]\n"
UNREADABLE = {
    "an unknown reason": (
        "  none: heading\n",
        "  none: obvious\n",
        0,
        "none: unknown reason 'obvious' (known: bibliographic, heading, repeated, no-assertion)",
    ),
    "an unknown key": (
        "  none: heading\n",
        "  none: heading\n  note: x\n",
        1,
        "unknown key 'note' (known: text, claims, none, why)",
    ),
    "an unknown key of the head": (
        "document:",
        "source: doc:x\ndocument:",
        0,
        "unknown key 'source' (known: document, sentences)",
    ),
    "neither claims nor none": (
        SENTENCE_1,
        "",
        -1,
        "a sentence names its claims (claims: [ID, ...]) or says why it has none (none:)",
    ),
    "both claims and none": (
        SENTENCE_1,
        SENTENCE_1 + "  none: heading\n",
        -1,
        "a sentence names its claims (claims: [ID, ...]) or says why it has none (none:)",
    ),
    "why beside claims": (
        SENTENCE_1,
        SENTENCE_1 + "  why: because\n",
        1,
        "why: is said of a sentence without claims (none:)",
    ),
    "no claim": (SENTENCE_1, "  claims: []\n", 0, "claims: empty list (say why the sentence has none with none:)"),
    "not a claim id": (
        SENTENCE_1,
        "  claims: [LUPM 01]\n",
        0,
        "claims: expected claim ids (e.g. LUPM-01), not 'LUPM 01'",
    ),
    "a claim twice": (SENTENCE_1, "  claims: [LUPM-01, LUPM-01]\n", 0, "claims: a claim is named twice"),
    "not YAML": (SENTENCE_1, "  claims: [LUPM-01, LUPM-02\n", None, None),
}


@pytest.mark.parametrize("old, new, offset, message", UNREADABLE.values(), ids=UNREADABLE)
def test_a_ledger_that_cannot_be_read_is_one_error_at_its_line(tmp_path, old, new, offset, message):
    text = LEDGER.read_text(encoding="utf-8")
    at = text.index(old)
    changed = text[:at] + new + text[at + len(old) :]
    path = tmp_path / "lu-2014-pubmed.yaml"
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_ledger(path)
    if message is None:  # ruamel.yaml's own message: the place is the file and a line
        assert str(raised.value).startswith(f"{path}:") and "\n" not in str(raised.value)
        return
    assert str(raised.value) == f"{path}:{text[:at].count(chr(10)) + 1 + offset}: {message}"


@pytest.mark.parametrize(
    "reason, what", [("repeated", "what it repeats"), ("no-assertion", "why the sentence asserts nothing")]
)
def test_repeated_and_no_assertion_must_say_why(tmp_path, reason, what):
    text = LEDGER.read_text(encoding="utf-8").replace(
        '- text: "Epub 2013 Nov 29."\n  none: bibliographic\n', f'- text: "Epub 2013 Nov 29."\n  none: {reason}\n'
    )
    path = tmp_path / "lu-2014-pubmed.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_ledger(path)
    assert str(raised.value) == f"{path}:{_line(text, 'Epub') + 1}: none: {reason} needs why: ({what})"


def test_check_says_an_unreadable_ledger_in_one_line(tmp_path, sources_dir, identifier_table):
    kb = tmp_path / "kb"
    shutil.copytree(REPO / "kb", kb)
    path = kb / "ledger" / "lu-2014-pubmed.yaml"
    text = path.read_text(encoding="utf-8").replace("  none: heading\n", "  none: obvious\n", 1)
    path.write_text(text, encoding="utf-8")
    line = _line_in(path, "none: obvious")
    assert one_error_line(imid("--kb", str(kb), "check"), 2) == (
        f"{path}:{line}: none: unknown reason 'obvious' (known: bibliographic, heading, repeated, no-assertion)"
    )
