"""Claim records (kb/claims/*.yaml, imid_onto.io.records): expanded to today's claim model,
errors at file:line, canonical form, and a new record to fill in."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from imid_onto import paths
from imid_onto.errors import InputError
from imid_onto.io import records
from imid_onto.io.rdf import read_graphs
from imid_onto.io.records import normalise, occurrences
from imid_onto.vocab import IMID, OA, RDF

from ..conftest import cli, imid, isomorphic

#: The 188 claims as they were written in Turtle before the records (kept to prove the conversion).
BEFORE = sorted((Path(__file__).parent / "fixtures" / "claims-before").glob("*.ttl"))
#: The records those 188 claims were converted to (the claims files before claim model 2's re-curation).
RECORDS_BEFORE = sorted((Path(__file__).parent / "fixtures" / "records-before").glob("*.yaml"))

needs_sources = pytest.mark.skipif(paths.sources_dir() is None, reason="source texts (../shared/sources) absent")


def _selected(graph: Graph, text: dict[URIRef, str]) -> dict[URIRef, list[int]]:
    """Where in its (normalised) document each claim's quote selector points."""
    found = {}
    for claim, quote in graph.subject_objects(IMID.hasQuote):
        selector = next(s for s in graph.objects(quote, OA.hasSelector) if (s, RDF.type, OA.TextQuoteSelector) in graph)
        source = graph.value(quote, OA.hasSource)
        exact, prefix, suffix = (graph.value(selector, p) for p in (OA.exact, OA.prefix, OA.suffix))
        found[claim] = records.occurrences(
            text[source], records.normalise(str(exact)), prefix and str(prefix), suffix and str(suffix)
        )
    return found


def _without_anchors(graph: Graph) -> Graph:
    """``graph`` less what the expansion derives: prefixes, suffixes and position selectors,
    and the reporting document (imid:reportedIn, claim model 2)."""
    kept = Graph()
    positions = set(graph.subjects(RDF.type, OA.TextPositionSelector))
    for s, p, o in graph:
        if p in (OA.prefix, OA.suffix, IMID.reportedIn) or s in positions or o in positions:
            continue
        kept.add((s, p, o))
    return kept


@needs_sources
def test_the_records_expand_to_the_claims_of_before():
    before, after = read_graphs(BEFORE), read_graphs(RECORDS_BEFORE)
    assert len(set(after.subjects(RDF.type, IMID.Claim))) == 188
    # every claim is reported in the document its quote is from (the file's document:)
    assert {(c, after.value(c, IMID.reportedIn)) for c in after.subjects(RDF.type, IMID.Claim)} == {
        (c, after.value(after.value(c, IMID.hasQuote), OA.hasSource)) for c in after.subjects(RDF.type, IMID.Claim)
    }
    assert isomorphic(_without_anchors(before), _without_anchors(after))
    # the derived prefix and suffix select the very occurrence the hand-typed ones did
    texts = {
        doc: records._source_text(doc).text  # type: ignore[union-attr]
        for doc in set(after.objects(None, OA.hasSource))
    }
    assert _selected(after, texts) == _selected(before, texts)
    assert all(len(where) == 1 for where in _selected(after, texts).values())
    assert len(set(after.subjects(RDF.type, OA.TextPositionSelector))) == 188


@needs_sources
def test_each_position_selects_the_quote_in_the_source_text():
    graph = read_graphs(paths.claim_files())
    for quote, position in graph.subject_objects(OA.hasSelector):
        if (position, RDF.type, OA.TextPositionSelector) not in graph:
            continue
        source = records._source_text(graph.value(quote, OA.hasSource))  # type: ignore[arg-type]
        exact = next(graph.objects(quote, OA.hasSelector / OA.exact))
        start, end = (int(graph.value(position, p)) for p in (OA.start, OA.end))  # type: ignore[arg-type]
        assert records.normalise(source.raw[start:end]) == records.normalise(str(exact))  # type: ignore[union-attr]
    quote = graph.value(URIRef("https://w3id.org/imid-onto/kb/claim/IB-01"), IMID.hasQuote)
    starts = [
        int(graph.value(s, OA.start))  # type: ignore[arg-type]
        for s in graph.objects(quote, OA.hasSelector)
        if (s, RDF.type, OA.TextPositionSelector) in graph
    ]
    raw = records._source_text(graph.value(quote, OA.hasSource)).raw  # type: ignore[arg-type, union-attr]
    assert starts == [raw.index("Fecteau et al show")]


HEAD = """\
document: doc:lu-2014-pubmed
study: doc:lu-2014
curators: https://w3id.org/imid-onto/kb/agent/curators
activity: https://w3id.org/imid-onto/kb/activity/curation-2026-11
date: 2026-11-21
claims:
"""
GOOD = """\
- X-01: Lenalidomide binds CRBN
  says: ent:lenalidomide imid:binds ent:CRBN
  status: imid:EstablishedFinding
  evidence: obo:ECO_0000304
  quote: Lenalidomide
"""


def _error(tmp_path: Path, text: str) -> str:
    path = tmp_path / "claims.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_graphs([path])
    return str(raised.value).replace(str(path), "FILE")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            HEAD + GOOD + "  colour: red\n",
            "FILE:12: claim X-01: unknown key 'colour' (known: says, asks, about, negated, qualifiers, status, "
            "evidence, study, context, quote, occurrence, comment, replacedBy, contestedBy, contradicts, "
            "contrastsWith, curators, activity, date)",
        ),
        (HEAD + GOOD.replace("  status: imid:EstablishedFinding\n", ""), "FILE:7: claim X-01: missing status:"),
        (
            HEAD + GOOD.replace("ent:CRBN", "ent:CRBN ent:IKZF1"),
            "FILE:8: claim X-01: says: expected 'subject relation object', not "
            "'ent:lenalidomide imid:binds ent:CRBN ent:IKZF1'",
        ),
        (
            HEAD + GOOD.replace("ent:CRBN", "xyz:CRBN"),
            "FILE:8: says: 'xyz:CRBN' is not prefix:name with a known prefix",
        ),
        (
            HEAD + GOOD.replace("ent:CRBN", "ent:<object>"),
            "FILE:8: says: 'ent:<object>' is still a placeholder: fill it in",
        ),
        (HEAD + GOOD + GOOD, "FILE:12: claim X-01 is already defined at line 7"),
        (HEAD.replace("date: 2026-11-21", "date: 2026-02-30"), "FILE:5: syntax error: 2026-02-30 is not a date"),
        (HEAD.replace("document:", "documents:"), "FILE:1: unknown key 'documents'"),
        (HEAD + GOOD.replace("  quote:", "  quote: [unclosed\n  quote:"), "FILE:"),
        ("a: &x [1]\nb: *x\n", "FILE:1: syntax error: YAML anchors and aliases (& and *) are not read"),
        ("a: !!python/object:os.system x\n", "FILE:1: syntax error: YAML tag"),
    ],
)
def test_a_record_that_cannot_be_read_is_named_by_file_and_line(tmp_path, text, message):
    assert _error(tmp_path, text).startswith(message)


@needs_sources
def test_a_quote_that_repeats_must_say_which_occurrence(tmp_path):
    text = (Path(paths.sources_dir()) / "002_1ea323a7021f1aac.txt").read_text()  # type: ignore[arg-type]
    word = next(w for w in text.split() if len(w) > 6 and text.count(w) == 2)
    repeated = HEAD + GOOD.replace("quote: Lenalidomide", f"quote: {word}")
    assert _error(tmp_path, repeated) == (
        "FILE:11: claim X-01: the quote occurs 2 times in the document: say which with occurrence: 1 (to 2)"
    )
    path = tmp_path / "claims.yaml"
    path.write_text(repeated + "  occurrence: 2\n")
    graph = read_graphs([path])
    prefix, suffix = (next(graph.objects(None, p), None) for p in (OA.prefix, OA.suffix))
    assert (str(prefix), suffix) == ("10.1038/nrclinonc.2013.237.", None)
    # the second occurrence, picked out by the fewest words around it
    assert occurrences(normalise(text), word, str(prefix)) == occurrences(normalise(text), word)[1:]


def test_an_alias_bomb_is_refused_before_it_is_built(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20)
    )
    assert _error(tmp_path, bomb).startswith("FILE:1: syntax error: YAML anchors and aliases")


def test_every_shipped_claims_file_is_in_canonical_form():
    done = cli("fmt", "--check", *map(str, paths.claim_files()))
    assert done.returncode == 0, done.stdout + done.stderr


def test_fmt_puts_a_claims_file_in_canonical_form_keeping_comments_and_order(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_text(
        "# the file's comment\n"
        "claims:\n"
        "- X-02: second in the text\n"
        "  quote:   'Lenalidomide'   # a comment on the quote (its column kept)\n"
        "  says: ent:lenalidomide imid:binds ent:CRBN\n"
        "  status: imid:EstablishedFinding\n"
        "  evidence: obo:ECO_0000304\n"
        "  study:\n"
        "  - doc:lu-2014\n"
        "  - doc:kronke-2014\n"
        "# between the records\n"
        "- X-01: first in the text\n"
        "  evidence: obo:ECO_0000304\n"
        "  status: imid:Hypothesis\n"
        "  says: ent:lenalidomide imid:binds ent:CRBN\n"
        "  quote: Lenalidomide\n" + HEAD.replace("claims:\n", "")
    )
    done = cli("fmt", str(path))
    assert done.returncode == 0, done.stderr
    assert path.read_text() == (
        "# the file's comment\n" + HEAD + "- X-02: second in the text\n"
        "  says: ent:lenalidomide imid:binds ent:CRBN\n"
        "  status: imid:EstablishedFinding\n"
        "  evidence: obo:ECO_0000304\n"
        "  study: [doc:lu-2014, doc:kronke-2014]\n"
        "  quote: Lenalidomide       # a comment on the quote (its column kept)\n"
        "# between the records\n"
        "- X-01: first in the text\n"
        "  says: ent:lenalidomide imid:binds ent:CRBN\n"
        "  status: imid:Hypothesis\n"
        "  evidence: obo:ECO_0000304\n"
        "  quote: Lenalidomide\n"
    )
    assert cli("fmt", "--check", str(path)).returncode == 0


def test_new_claim_prints_a_record_with_the_next_free_id():
    done = cli("new-claim", "--source", "lu-2014-pubmed")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1] == "- LUPM-18: <what the sentence says, in a few words>"
    assert "  study: doc:lu-2014  # the study that made the claim" in lines
    assert f"  date: {date.today().isoformat()}" in lines


def test_new_claim_appended_and_not_filled_in_is_an_error_at_its_line(tmp_path):
    path = tmp_path / "lu.yaml"
    path.write_text(HEAD + GOOD)
    record = records.new_record(path, date(2027, 1, 5))
    line = records.append_record(path, record)
    assert line == 12
    assert record.splitlines()[0] == "- X-02: <what the sentence says, in a few words>"
    with pytest.raises(InputError, match=rf"{path}:13: says: 'ent:<subject>' is still a placeholder"):
        read_graphs([path])


def test_without_the_source_texts_the_loss_is_said_once(tmp_path):
    """The positions and anchors are made from the source texts; where they are not there,
    the claims still load, and the command says once what they lack."""
    env = dict(os.environ, IMID_SOURCES=str(tmp_path / "no-such-folder"))
    done = imid("claims", "--status", "historical-proposal", env=env)
    assert done.returncode == 0
    assert done.stderr == (
        "imid-onto: warning: the source texts are not here ($IMID_SOURCES or ../shared/sources): quotes are read "
        "without their positions and their prefix/suffix anchors\n"
    )
    assert done.stdout.splitlines()[-1] == "19 claims"


def _positions(path: Path) -> list[tuple[int, int]]:
    graph = read_graphs([path])
    return sorted(
        (int(graph.value(s, OA.start)), int(graph.value(s, OA.end)))  # type: ignore[arg-type]
        for s in graph.subjects(RDF.type, OA.TextPositionSelector)
    )


def test_an_expansion_kept_in_the_process_is_made_again_when_what_it_was_made_from_changes(tmp_path, monkeypatch):
    """A claims file is expanded once in a process (a build reads the claims three times) and
    again when its bytes, the documents or its source text change (even under the same size);
    the files it was made from are recorded at every read, as the kept stores are named by them."""
    from imid_onto.io.rdf import recording_reads

    kb, sources = tmp_path / "kb", tmp_path / "sources"
    (kb / "claims").mkdir(parents=True)
    sources.mkdir()
    documents = kb / "documents.ttl"
    documents.write_bytes((paths.kb_dir() / "documents.ttl").read_bytes())
    text = sources / "002_1ea323a7021f1aac.txt"  # the text file of doc:lu-2014-pubmed
    text.write_text("Lenalidomide and lenalidomide.\n", encoding="utf-8")
    claims = kb / "claims" / "lu.yaml"
    claims.write_text(HEAD + GOOD, encoding="utf-8")
    monkeypatch.setenv("IMID_KB", str(kb))
    monkeypatch.setenv("IMID_SOURCES", str(sources))

    with recording_reads() as first:
        assert _positions(claims) == [(0, 12)]
    with recording_reads() as again:
        assert _positions(claims) == [(0, 12)]
    assert again == first and set(first) == {str(p.resolve()) for p in (claims, documents, text)}

    text.write_text("xLenalidomide and lenalidomide\n", encoding="utf-8")  # the same size
    assert _positions(claims) == [(1, 13)]
    claims.write_text(HEAD + GOOD.replace("quote: Lenalidomide", "quote: lenalidomide"), encoding="utf-8")
    assert _positions(claims) == [(18, 30)]
    documents.write_text(documents.read_text(encoding="utf-8").replace("002_1ea323a7021f1aac", "002_1ea323a7021f1aaX"))
    assert _positions(claims) == []  # the document names a text that is not there
    (sources / "002_1ea323a7021f1aaX.txt").write_text("so: lenalidomide", encoding="utf-8")
    assert _positions(claims) == [(4, 16)]
