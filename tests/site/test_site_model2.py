"""The site in claim model 2, on the query rules' fixture graph (tests/fixtures/queries/model2.ttl):
a question's page says what it asks and what it is about (no triple, no crash), the claim it
is about lists it, the entity it is about lists it; a claim's page shows its qualifiers,
the document that reports it and its relations to other claims (contested by, contests,
contradicts, from either side)."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph

from imid_onto.publish.site import write_site

from ..conftest import FIXTURES


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    graph = Graph().parse(FIXTURES / "queries" / "model2.ttl")
    out = tmp_path_factory.mktemp("site")
    write_site(graph, out, version="0", generated="2026-12-03")
    return lambda name: (out / name).read_text(encoding="utf-8")


def facts(html: str) -> dict[str, str]:
    """The claim page's facts, as text: heading -> value."""
    found = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html, re.S)
    return {dt: re.sub(r"<[^>]+>", "", dd).strip() for dt, dd in found}


def statement(html: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r'<p class="claim">(.*?)</p>', html, re.S).group(1))


def test_a_question_says_what_it_asks_about(pages):
    q1 = pages("claims/q1.html")
    assert statement(q1) == "asks: imid:MechanismQuestion about https://w3id.org/imid-onto/test/a1"
    shown = facts(q1)
    assert (shown["Asks"], shown["About"], shown["Reported in"]) == (
        "imid:MechanismQuestion",
        "https://w3id.org/imid-onto/test/a1",
        "document A",
    )
    assert "Negated" not in shown  # a question states nothing to deny
    assert 'href="../claims/q1.html"' in pages("claims/a1.html").split('<section id="questions">')[1]
    entity = pages("entities/IL.html")
    assert 'href="../claims/q2.html"' in entity and "asks: " in entity


def test_claim_pages_show_qualifiers_documents_and_claim_relations(pages):
    assert statement(pages("claims/x1.html")).endswith("(imid:Independent)")
    assert facts(pages("claims/x1.html"))["Qualifiers"] == "imid:Independent"
    a3, a2 = facts(pages("claims/a3.html")), facts(pages("claims/a2.html"))
    assert (a3["Contested by"], a3["Reported in"]) == ("https://w3id.org/imid-onto/test/a2", "document B")
    assert a2["Contests"] == "https://w3id.org/imid-onto/test/a3"
    k1, k2 = facts(pages("claims/k1.html")), facts(pages("claims/k2.html"))
    assert (k1["Contradicts"], k2["Contradicts"]) == (  # symmetric: stated on k2 only
        "https://w3id.org/imid-onto/test/k2",
        "https://w3id.org/imid-onto/test/k1",
    )
