"""The documentation site: a page for every claim, entity, term and document; every
relative link resolving; escaping; the same bytes for the same graph; and, with Chromium,
every page rendering from the file system without an error or a network request."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from rdflib import Graph, Literal, URIRef

from imid_onto.publish.site import file_names, write_site
from imid_onto.vocab import BIBO, CLAIM, DOC, ENT, IMID, ONTOLOGY_IRI, OWL, RDF, RDFS

GENERATED = "2026-11-30"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
EVIL = "<script>alert(1)</script>"
#: Evaluated in each page: a title, a visible h1, some text in the body.
RENDERED = """() => document.title.trim().length > 0
    && document.querySelector("h1") !== null && document.querySelector("h1").checkVisibility()
    && document.body.innerText.trim().length > 0"""
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Page(HTMLParser):
    """What the tests need of one HTML page, and where its tags do not nest."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.title = ""
        self.lang = None
        self.charset = None
        self.h1 = 0
        self.text: list[str] = []
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed {self.stack}")

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        if tag not in VOID:
            self.stack.append(tag)
        if "id" in attributes:
            if attributes["id"] in self.ids:
                self.errors.append(f"duplicate id {attributes['id']}")
            self.ids.add(attributes["id"])
        self.refs += [(tag, name, attributes[name] or "") for name in ("href", "src") if name in attributes]
        self.handlers += [name for name in attributes if name.startswith("on")]
        if tag == "html":
            self.lang = attributes.get("lang")
        if tag == "meta" and "charset" in attributes:
            self.charset = attributes["charset"]
        self.h1 += tag == "h1"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            return
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "title":
            self.title += data
        self.text.append(data)

    def plain_text(self) -> str:
        return " ".join("".join(self.text).split())


def parse(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def local(iri) -> str:
    return re.split(r"[/#]", str(iri))[-1]


@pytest.fixture(scope="module")
def site(tmp_path_factory, kb_graph) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("site")
    return out, write_site(kb_graph, out, version="0.1.0", generated=GENERATED)


@pytest.fixture(scope="module")
def pages(site) -> dict[Path, Page]:
    out, _ = site
    return {path: parse(path) for path in sorted(out.rglob("*.html"))}


def test_files_written_are_returned_sorted(site):
    out, written = site
    assert written == sorted(written)
    assert set(written) == {p for p in out.rglob("*") if p.is_file()}
    assert {p.relative_to(out).as_posix() for p in written} >= {
        "index.html",
        "terms.html",
        "entities.html",
        "claims.html",
        "documents.html",
        "style.css",
    }


def test_one_page_per_claim_entity_term_and_document(site, kb_graph):
    out, _ = site
    g = kb_graph
    claims = set(g.subjects(RDF.type, IMID.Claim))
    assert claims and all(str(c).startswith(str(CLAIM)) for c in claims)
    assert {p.stem for p in (out / "claims").glob("*.html")} == {local(c) for c in claims}

    documents = set(g.subjects(RDF.type, IMID.SourceDocument))
    documents |= {s for s, t in g.subject_objects(RDF.type) if str(t).startswith(str(BIBO))}
    assert {p.stem for p in (out / "documents").glob("*.html")} == {local(d) for d in documents}

    own = {t for t in g.subjects(RDFS.isDefinedBy, URIRef(ONTOLOGY_IRI)) if isinstance(t, URIRef)}
    for term in own:
        assert (out / "terms" / f"{local(term)}.html").is_file(), term
    external = {t for t in g.subjects(RDFS.isDefinedBy, URIRef(ONTOLOGY_IRI + "/external"))}
    assert len(list((out / "terms").glob("*.html"))) == len(own) + len(external)

    entities = {e for e in g.subjects(RDF.type, OWL.NamedIndividual) if e not in claims | documents | own}
    assert entities and all(str(e).startswith(str(ENT)) for e in entities)
    assert {p.stem for p in (out / "entities").glob("*.html")} == {local(e) for e in entities}


def test_every_page_is_well_formed_and_complete(pages):
    assert len(pages) > 300
    for path, page in pages.items():
        assert not page.errors, (path, page.errors)
        assert page.lang == "en", path
        assert (page.charset or "").lower() == "utf-8", path
        assert page.title.strip(), path
        assert page.h1 == 1, path
        assert "script" not in page.tags and not page.handlers, path


def test_every_relative_link_resolves(site, pages):
    out, _ = site
    root = out.resolve()
    for path, page in pages.items():
        for tag, _attribute, value in page.refs:
            parts = urlsplit(value)
            if parts.scheme in ("http", "https"):
                assert tag == "a", (path, value)  # a link out, never a resource the page loads
                continue
            if parts.scheme == "data":
                assert tag == "link", (path, value)
                continue
            assert not parts.scheme and not parts.netloc and not value.startswith("/"), (path, value)
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path.resolve()
            assert target.is_file() and target.is_relative_to(root), (path, value)
            if parts.fragment:
                assert parts.fragment in pages[Path(out / target.relative_to(root))].ids, (path, value)


def test_same_graph_same_bytes(site, kb_graph, tmp_path):
    out, written = site
    again = tmp_path / "again"
    again.mkdir()
    rewritten = write_site(kb_graph, again, version="0.1.0", generated=GENERATED)
    assert [p.relative_to(again) for p in rewritten] == [p.relative_to(out) for p in written]
    for first, second in zip(written, rewritten, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.relative_to(out)


def test_claim_page_shows_its_quote_document_study_and_replacement(site, pages):
    out, _ = site
    page = pages[out / "claims" / "LUPM-07.html"]
    text = page.plain_text()
    assert (
        "lenalidomide-bound cereblon acquires the ability to target for proteasomal degradation two specific B cell "
        "transcription factors, Ikaros family zinc finger proteins 1 and 3 (IKZF1 and IKZF3)."
    ) in text
    hrefs = {value for _, _, value in page.refs}
    assert "../documents/lu-2014-pubmed.html" in hrefs  # the document quoted
    assert "../documents/lu-2014.html" in hrefs  # the study
    assert {
        "../entities/lenalidomide-bound-CRBN.html",
        "../terms/inducesDegradationOf.html",
        "../entities/IKZF1.html",
    } <= hrefs
    assert "../terms/obo.ECO_0000204.html" in hrefs  # the evidence type
    assert "established finding" in text

    with_prefix = pages[out / "claims" / "KG-25.html"].plain_text()
    assert "1). Immune Modulators and Myleoma." in with_prefix  # the prefix derived from the source text
    replaced = {value for _, _, value in pages[out / "claims" / "LUPM-03.html"].refs}
    assert {"../claims/LUPM-07.html", "../claims/LUPM-09.html"} <= replaced
    negated = pages[out / "claims" / "KG-47.html"].plain_text()
    assert "yes: the text denies the statement" in negated


def test_entity_and_term_pages(site, pages):
    out, _ = site
    crbn = pages[out / "entities" / "CRBN.html"]
    assert "UniProtKB:Q96SW2" in crbn.plain_text()
    assert "../terms/SubstrateReceptor.html" in {v for _, _, v in crbn.refs}
    assert "../claims/LUPM-04.html" in {v for _, _, v in crbn.refs}

    glue = pages[out / "terms" / "MolecularGlue.html"]
    glue_links = {v for _, _, v in glue.refs}
    assert {f"../terms/{n}.html" for n in ("SmallMolecule", "CrbnModulator", "MolecularGlueDegrader")} <= glue_links
    binds = pages[out / "terms" / "binds.html"]
    assert "Claims as the relation" in binds.plain_text()
    assert "external" in pages[out / "terms" / "obo.ECO_0000204.html"].plain_text().lower()


def test_text_from_the_graph_is_escaped(kb_graph, tmp_path):
    graph = Graph()
    for triple in kb_graph:
        graph.add(triple)
    graph.set((ENT.CRBN, RDFS.label, Literal(EVIL, lang="en")))
    graph.set((CLAIM["LUPM-07"], RDFS.label, Literal('" onmouseover="alert(1)', lang="en")))
    graph.add((DOC["lu-2014"], RDFS.comment, Literal("a & b <i>c</i>")))
    write_site(graph, tmp_path, version="<b>v</b>", generated=GENERATED)
    for path in tmp_path.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text and "<b>v" not in text and 'onmouseover="' not in text, path
        page = Page(text)
        assert not page.errors and not page.handlers, path
    crbn = (tmp_path / "entities" / "CRBN.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in crbn
    assert EVIL in Page(crbn).plain_text()
    assert "a &amp; b &lt;i&gt;c&lt;/i&gt;" in (tmp_path / "documents" / "lu-2014.html").read_text(encoding="utf-8")


def test_inferred_types_are_shown(kb_graph, tmp_path):
    """The release adds the reasoner's inferred types; the pages show them both ways."""
    graph = Graph()
    for triple in kb_graph:
        graph.add(triple)
    graph.add((ENT.lenalidomide, RDF.type, IMID.MolecularGlueDegrader))
    write_site(graph, tmp_path, version="0.1.0", generated=GENERATED)
    degrader = parse(tmp_path / "terms" / "MolecularGlueDegrader.html")
    assert "../entities/lenalidomide.html" in {v for _, _, v in degrader.refs}
    assert "Claims about an instance" in degrader.plain_text()
    drug = parse(tmp_path / "entities" / "lenalidomide.html")
    assert "../terms/MolecularGlueDegrader.html" in {v for _, _, v in drug.refs}


def test_file_names_are_safe_and_distinct():
    home = "https://example.org/x/"
    nodes = [URIRef(home + name) for name in ("A", "a", "b c", "../up", "con", "ok-1", "é", "-")]
    names = file_names(nodes, home)
    assert names[URIRef(home + "ok-1")] == "ok-1.html"
    assert len({n.casefold() for n in names.values()}) == len(nodes)
    assert all(re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\.html", n) for n in names.values()), names
    assert names[URIRef(home + "A")] != "A.html"  # clashes with "a" where case is ignored


@pytest.mark.slow
def test_pages_render_in_chromium(site, chromium):
    sync_api = pytest.importorskip("playwright.sync_api")
    out, written = site
    html_pages = [p for p in written if p.suffix == ".html"]
    problems: list[str] = []
    off_site: list[str] = []

    def on_request(request):
        if not request.url.startswith(("file://", "data:")):
            off_site.append(request.url)

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=BROWSER_ARGS)
        try:
            context = browser.new_context()
            context.route(re.compile(r"^(https?|wss?|ftp)://"), lambda route: route.abort())
            page = context.new_page()
            page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
            page.on("request", on_request)
            for path in html_pages:
                page.goto(path.as_uri(), wait_until="load")
                assert page.evaluate(RENDERED), path
                assert not problems and not off_site, (path, problems, off_site)

            index = out / "index.html"
            page.goto(index.as_uri())
            assert (
                page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")
                != "rgba(0, 0, 0, 0)"
            )  # the stylesheet applied
            links = page.locator("a[href]")
            hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
            internal = [i for i, href in enumerate(hrefs) if not re.match(r"^[a-z]+:", href or "")]
            assert len(internal) >= 10
            for i in internal:
                page.goto(index.as_uri())
                page.locator("a[href]").nth(i).click()
                page.wait_for_load_state("load")
                assert page.url == urljoin(index.as_uri(), hrefs[i]), hrefs[i]
                assert page.title().strip() and page.locator("h1").first.is_visible(), hrefs[i]
            assert not problems and not off_site, (problems, off_site)
        finally:
            browser.close()
