"""The documentation site: static HTML pages for the ontology terms, entities, claims and
documents of the knowledge base, made with jinja2 templates (autoescaped).

``write_site(graph, out, version=..., generated=...)`` writes ``index.html``, four list
pages (terms, entities, claims, documents), one page per term, entity, claim and document
in the folders ``terms/``, ``entities/``, ``claims/`` and ``documents/``, and one
stylesheet. Links are relative, so the site opens from the file system; nothing is
loaded from the network and no script runs. The same graph gives the same bytes: every
list is sorted and the only date is ``generated``.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import quote as url_quote

import jinja2
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from imid_onto.model.claims import CONTEXTS, Claim, read_claims
from imid_onto.model.claims import label as kb_label
from imid_onto.vocab import (
    BIBO,
    CLAIM,
    DCTERMS,
    DOC,
    ENT,
    IMID,
    OBO,
    OBOINOWL,
    ONTOLOGY_IRI,
    OWL,
    RDF,
    RDFS,
    SKOS,
    curie,
)

__all__ = ["write_site"]

TEMPLATES = Path(__file__).parent / "templates"
ONTOLOGY = URIRef(ONTOLOGY_IRI)
DEFINITION = OBO.IAO_0000115
#: imid-onto's own IRIs: linked only where the site has a page for them (they need not resolve).
BASE = "https://w3id.org/imid-onto/"

#: Term kinds: the anchor on the terms page, the heading, one of them, the rdf:types that make it.
KINDS: list[tuple[str, str, str, tuple[URIRef, ...]]] = [
    ("classes", "Classes", "Class", (OWL.Class, RDFS.Class)),
    ("object-properties", "Object properties", "Object property", (OWL.ObjectProperty,)),
    ("datatype-properties", "Datatype properties", "Datatype property", (OWL.DatatypeProperty,)),
    ("annotation-properties", "Annotation properties", "Annotation property", (OWL.AnnotationProperty,)),
    ("individuals", "Individuals", "Individual", (OWL.NamedIndividual,)),
    ("other-terms", "Other terms", "Term", ()),
]
SYNONYMS = [
    SKOS.altLabel,
    OBOINOWL.hasExactSynonym,
    OBOINOWL.hasRelatedSynonym,
    OBOINOWL.hasBroadSynonym,
    OBOINOWL.hasNarrowSynonym,
]
MAPPINGS = {
    SKOS.exactMatch: "Exact match",
    SKOS.closeMatch: "Close match",
    SKOS.broadMatch: "Broader match",
    SKOS.narrowMatch: "Narrower match",
    SKOS.relatedMatch: "Related match",
}
#: Bibliographic fields of a document page, in order: heading, predicate.
BIBLIOGRAPHY = [
    ("Title", DCTERMS.title),
    ("Authors", DCTERMS.creator),
    ("Date", DCTERMS.date),
    ("Part of", DCTERMS.isPartOf),
    ("Publisher", DCTERMS.publisher),
    ("Volume", BIBO.volume),
    ("Issue", BIBO.issue),
    ("Pages", None),
    ("PMID", BIBO.pmid),
    ("DOI", BIBO.doi),
    ("Identifier", DCTERMS.identifier),
    ("Citation", DCTERMS.bibliographicCitation),
    ("Source text file", IMID.sourceTextFile),
    ("See also", RDFS.seeAlso),
]
#: Predicates shown in their own place on term and entity pages, not among "relations".
SHOWN = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    RDFS.isDefinedBy,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    OWL.equivalentClass,
    OWL.inverseOf,
    OWL.disjointWith,
    DCTERMS.source,
    SKOS.definition,
    SKOS.hiddenLabel,
    DEFINITION,
    OBO.IAO_0000119,  # the definition's source: dcterms:source, shown in its own place
    OBOINOWL.hasDbXref,
    OBOINOWL.id,
    RDF.subject,
    RDF.object,
    *SYNONYMS,
    *MAPPINGS,
}
#: Predicates whose triples a page shows from the object's side in their own place.
SHOWN_REVERSE = {
    RDF.type,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    OWL.inverseOf,
    OWL.disjointWith,
    DCTERMS.references,
    DCTERMS.isPartOf,
    DCTERMS.isReplacedBy,
    RDF.subject,
    RDF.object,
    RDF.predicate,
    *CONTEXTS,
}
#: Names no file may have on some file systems (Windows), whatever the extension.
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")


@dataclass(frozen=True)
class Link:
    """Text, with where it points: a page of the site (a path from the site's root), an
    http(s) address (``external``), or nowhere (``href`` None)."""

    text: str
    href: str | None = None
    title: str = ""
    external: bool = False

    def key(self) -> tuple[tuple[int | str, ...], str]:
        return (_natural(self.text.casefold()), self.href or "")


@dataclass
class ClaimLine:
    """A claim as a line of a list page, its terms as links: its statement (subject,
    predicate, object), or for a question (no triple) the kind of question it asks and what
    it is about; its qualifiers ("necessary", "independent" ...)."""

    link: Link
    subject: Link
    predicate: Link
    object: Link
    negated: bool
    status: Link
    status_class: str
    studies: list[Link] = field(default_factory=list)
    asks: Link | None = None
    about: list[Link] = field(default_factory=list)
    qualifiers: list[Link] = field(default_factory=list)


def write_site(graph: Graph, out: Path, *, version: str, generated: str) -> list[Path]:
    """Write the documentation site of ``graph`` into the folder ``out``; return the files
    written, sorted. ``generated`` is the date printed in every page's footer."""
    site = _Site(graph)
    env = _environment()
    common = {"version": version, "generated": generated, "site_title": site.title}
    pages = [*site.list_pages(), *site.item_pages()]
    written = []
    for path, template, context in pages:
        root = "../" * path.count("/")
        html = env.get_template(template).render(**common, **context, root=root)
        written.append(_write(out, path, html))
    written.append(_write(out, "style.css", (TEMPLATES / "style.css").read_text(encoding="utf-8")))
    return sorted(written)


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _write(out: Path, relative: str, text: str) -> Path:
    target = out / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return target


def _natural(text: str) -> tuple[int | str, ...]:
    """Sort key that puts "KG-9" before "KG-10"."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def _iri_key(node: Node) -> tuple:
    return _natural(str(node))


def _hash(node: Node) -> str:
    return hashlib.sha256(str(node).encode("utf-8")).hexdigest()[:10]


def _stem(node: URIRef, home: str) -> str:
    """The file name (without .html) a node would have in the folder of namespace ``home``."""
    text = str(node)
    if text.startswith(home) and len(text) > len(home):
        return text[len(home) :]
    short = curie(node)
    if short != text:
        return short.replace(":", ".", 1)
    return re.split(r"[/#?]", text.rstrip("/#?"))[-1]


def file_names(nodes: list[URIRef], home: str) -> dict[URIRef, str]:
    """A file name for each node, unique in the folder even where the file system ignores
    case: the local name where it is safe and unique, else the local name made safe with
    a hash of the IRI appended."""
    stems = {node: _stem(node, home) for node in nodes}
    seen: dict[str, int] = defaultdict(int)
    for stem in stems.values():
        seen[stem.casefold()] += 1
    names = {}
    for node, stem in stems.items():
        clean = SAFE_NAME.fullmatch(stem) and stem.split(".")[0].casefold() not in RESERVED
        if not clean or seen[stem.casefold()] > 1:
            stem = (re.sub(r"[^A-Za-z0-9_.-]", "_", stem).lstrip(".-")[:60] or "page") + "-" + _hash(node)
        names[node] = stem + ".html"
    if len({name.casefold() for name in names.values()}) != len(names):
        raise ValueError(f"two IRIs would share a page in the folder for {home}")
    return names


def _doi_url(doi: str) -> str:
    """The resolver address of a DOI (also how definition sources name a work)."""
    return "https://doi.org/" + url_quote(doi, safe="/:;()")


def _pubmed_url(pmid: str) -> str:
    return "https://pubmed.ncbi.nlm.nih.gov/" + url_quote(pmid, safe="") + "/"


class _Site:
    """What the pages show, read from the graph once."""

    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self._labels: dict[Node | None, str] = {}
        self.claim_of: dict[Node, Claim] = {c.iri: c for c in read_claims(graph) if isinstance(c.iri, URIRef)}
        self.claims: list[URIRef] = sorted(self.claim_of, key=_iri_key)  # type: ignore[arg-type]
        # the claims by the terms they name: subject, relation, object, what a question is
        # about, context value, study, quoted document (once per quote)
        self.by_subject, self.by_relation, self.by_object, self.by_about, self.by_context, self.by_study = (
            defaultdict(set),
            defaultdict(set),
            defaultdict(set),
            defaultdict(set),
            defaultdict(set),
            defaultdict(set),
        )
        self.by_quoted: defaultdict[Node | None, list[Node]] = defaultdict(list)
        for iri, claim in self.claim_of.items():
            if not claim.is_question:
                self.by_subject[claim.subject].add(iri)
                self.by_relation[claim.relation].add(iri)
                self.by_object[claim.object].add(iri)
            for about in claim.about:
                self.by_about[about].add(iri)
            for _, value in claim.context:
                self.by_context[value].add(iri)
            for study in claim.studies:
                self.by_study[study].add(iri)
            for quote in claim.quotes:
                self.by_quoted[quote.source].append(iri)
        self.documents = self._find_documents()
        self.own_terms, self.external_terms = self._find_terms()
        self.own_set, self.claim_set = set(self.own_terms), set(self.claims)
        self.entities = self._find_entities()
        self.paths: dict[Node, str] = {}
        for folder, home, nodes in [
            ("claims", str(CLAIM), self.claims),
            ("documents", str(DOC), self.documents),
            ("terms", str(IMID), self.own_terms + self.external_terms),
            ("entities", str(ENT), self.entities),
        ]:
            self.paths.update({n: f"{folder}/{name}" for n, name in file_names(nodes, home).items()})
        self.aliases = self._document_aliases()
        self.rows = {claim: self._claim_row(claim) for claim in self.claims}

    # -- what is in the graph ---------------------------------------------------------

    def _find_documents(self) -> list[URIRef]:
        g = self.g
        claims = set(self.claims)
        found = {d for d in g.subjects(RDF.type, IMID.SourceDocument)}
        found |= {d for d, t in g.subject_objects(RDF.type) if isinstance(t, URIRef) and str(t).startswith(str(BIBO))}
        for claim in self.claim_of.values():
            found |= set(claim.studies)
            found |= {q.source for q in claim.quotes if q.source is not None}
        found |= {o for d in list(found) for o in g.objects(d, DCTERMS.references)}
        return sorted((d for d in found if isinstance(d, URIRef) and d not in claims), key=_iri_key)

    def _find_terms(self) -> tuple[list[URIRef], list[URIRef]]:
        own: set[URIRef] = set()
        external: set[URIRef] = set()
        for term, ontology in self.g.subject_objects(RDFS.isDefinedBy):
            if not isinstance(term, URIRef) or term in (ONTOLOGY, ONTOLOGY + "/external"):
                continue
            (own if ontology == ONTOLOGY else external).add(term)
        taken = set(self.claims) | set(self.documents)
        return (sorted(own - taken, key=_iri_key), sorted(external - own - taken, key=_iri_key))

    def _find_entities(self) -> list[URIRef]:
        g = self.g
        found = set(g.subjects(RDF.type, OWL.NamedIndividual))
        for claim in self.claim_of.values():
            found |= {node for node in (claim.subject, claim.object) if node is not None}
            found |= {value for _, value in claim.context}
            found |= {node for node in claim.about if node not in self.claim_of}
        taken = set(self.claims) | set(self.documents) | set(self.own_terms) | set(self.external_terms)
        return sorted((e for e in found if isinstance(e, URIRef) and e not in taken), key=_iri_key)

    def _document_aliases(self) -> dict[Node, URIRef]:
        """Addresses that stand for a document (its DOI address, its rdfs:seeAlso), so that a
        definition source given as a DOI links to the document's page."""
        aliases: dict[Node, URIRef] = {}
        for document in self.documents:
            for other in self.g.objects(document, RDFS.seeAlso):
                aliases.setdefault(other, document)
            for doi in self.g.objects(document, BIBO.doi):
                aliases.setdefault(URIRef(_doi_url(str(doi))), document)
        return {alias: document for alias, document in aliases.items() if alias not in self.paths}

    @cached_property
    def title(self) -> str:
        title = self._literal(ONTOLOGY, DCTERMS.title)
        return title or "imid-onto"

    # -- small readers ----------------------------------------------------------------

    def label(self, node: Node | None) -> str:
        """rdfs:label in English (or without a language), else the CURIE."""
        if node not in self._labels:
            self._labels[node] = kb_label(self.g, node)
        return self._labels[node]

    def _literal(self, node: Node, predicate: URIRef) -> str:
        values = self.texts(node, predicate)
        return values[0] if values else ""

    def texts(self, node: Node, predicate: URIRef) -> list[str]:
        """The literal values, English or untagged first, sorted."""
        values = [x for x in self.g.objects(node, predicate) if isinstance(x, Literal)]
        return [str(x) for x in sorted(values, key=lambda x: ((x.language or "en")[:2] != "en", str(x)))]

    def link(self, node: Node | None, *, alias: bool = True) -> Link:
        """A link to the node's page; to the page of the document it stands for (``alias``);
        out to its address where it is http(s) and not imid-onto's; else its label alone."""
        if isinstance(node, Literal):
            return Link(str(node))
        if node is None:
            return Link(self.label(None), None, "")
        if alias and node in self.aliases:
            return self.link(self.aliases[node])
        title = curie(node) if isinstance(node, URIRef) else ""
        href = self.paths.get(node)
        if node in self.claim_set:
            return Link(self.claim_id(node), href, self.label(node))
        if href is not None:
            return Link(self.label(node), href, title)
        address = str(node)
        if isinstance(node, URIRef) and address.startswith(("http://", "https://")) and not address.startswith(BASE):
            return Link(self.label(node), address, title, external=True)
        return Link(self.label(node), None, title)

    def links(self, nodes) -> list[Link]:
        return sorted({self.link(n) for n in nodes}, key=Link.key)

    def objects(self, node: Node, predicate: URIRef) -> list[Link]:
        return self.links(self.g.objects(node, predicate))

    def named_subjects(self, predicate: URIRef, node: Node) -> list[URIRef]:
        return sorted((s for s in self.g.subjects(predicate, node) if isinstance(s, URIRef)), key=_iri_key)

    def mappings(self, node: Node) -> list[tuple[str, list[Link]]]:
        return [(heading, self.objects(node, p)) for p, heading in MAPPINGS.items() if (node, p, None) in self.g]

    def claim_id(self, claim: Node) -> str:
        return curie(claim).removeprefix("claim:")

    def expression(self, node: Node, depth: int = 0) -> list[str | Link]:
        """A class expression as text and links: ``A or B``, ``binds some Protein``, ..."""
        g = self.g
        if not isinstance(node, BNode) or depth > 6:
            return [self.link(node)]
        for predicate, word in ((OWL.unionOf, " or "), (OWL.intersectionOf, " and "), (OWL.oneOf, ", ")):
            members = g.value(node, predicate)
            if members is not None:
                return self._joined(
                    [self.expression(m, depth + 1) for m in Collection(g, members)],
                    word,
                    "{}" if predicate == OWL.oneOf else "()",
                )
        complement = g.value(node, OWL.complementOf)
        if complement is not None:
            return ["not ", *self.expression(complement, depth + 1)]
        on = g.value(node, OWL.onProperty)
        if on is not None:
            return self._restriction(node, on, depth)
        return ["(anonymous class)"]

    def _joined(self, pieces: list[list[str | Link]], word: str, brackets: str) -> list[str | Link]:
        out: list[str | Link] = [brackets[0]]
        for i, piece in enumerate(pieces):
            out += ([word] if i else []) + piece
        return out + [brackets[1]]

    def _restriction(self, node: Node, on: Node, depth: int) -> list[str | Link]:
        words = [
            (OWL.someValuesFrom, "some"),
            (OWL.allValuesFrom, "only"),
            (OWL.hasValue, "value"),
            (OWL.minCardinality, "min"),
            (OWL.maxCardinality, "max"),
            (OWL.cardinality, "exactly"),
            (OWL.minQualifiedCardinality, "min"),
            (OWL.maxQualifiedCardinality, "max"),
            (OWL.qualifiedCardinality, "exactly"),
        ]
        for predicate, word in words:
            value = self.g.value(node, predicate)
            if value is None:
                continue
            filler = self.g.value(node, OWL.onClass)
            tail = [" ", *self.expression(filler, depth + 1)] if filler is not None else []
            return ["(", *self.expression(on, depth + 1), f" {word} ", *self.expression(value, depth + 1), *tail, ")"]
        return ["(restriction on ", *self.expression(on, depth + 1), ")"]

    # -- claims -----------------------------------------------------------------------

    def _claim_row(self, claim: URIRef) -> ClaimLine:
        c = self.claim_of[claim]
        return ClaimLine(
            link=self.link(claim),
            subject=self.link(c.subject),
            predicate=self.link(c.relation),
            object=self.link(c.object),
            negated=c.negated,
            status=self.link(c.status) if c.status is not None else Link("no status"),
            status_class=re.sub(r"[^A-Za-z0-9]", "", curie(c.status).split(":")[-1]) if c.status is not None else "",
            studies=self.links(c.studies),
            asks=(self.link(c.asks) if c.asks is not None else Link("a question")) if c.is_question else None,
            about=self.links(c.about),
            qualifiers=self.links(c.qualifiers),
        )

    def claim_rows(self, claims) -> list[ClaimLine]:
        return [self.rows[c] for c in sorted(set(claims), key=_iri_key) if c in self.rows]

    def quotes(self, claim: URIRef) -> list[dict]:
        found = [
            {
                "exact": q.exact or "",
                "prefix": q.prefix or "",
                "suffix": q.suffix or "",
                "sources": self.links([q.source] if q.source is not None else []),
            }
            for q in self.claim_of[claim].quotes
        ]
        return sorted(found, key=lambda q: (q["exact"], q["prefix"], q["suffix"], [s.key() for s in q["sources"]]))

    def claim_context(self, claim: URIRef) -> dict:
        c = self.claim_of[claim]
        contexts = defaultdict(list)
        for predicate, value in c.context:
            contexts[predicate].append(value)
        return {
            "title": f"Claim {self.claim_id(claim)}",
            "row": self.rows[claim],
            "iri": str(claim),
            "label": self._literal(claim, RDFS.label),
            "comments": self.texts(claim, RDFS.comment),
            "quotes": self.quotes(claim),
            "evidence": self.links([c.evidence] if c.evidence is not None else []),
            "contexts": [(self.link(p), self.links(contexts[p])) for p in CONTEXTS if p in contexts],
            "replaced_by": self.links(c.replaced_by),
            "replaces": self.links(self.named_subjects(DCTERMS.isReplacedBy, claim)),
            "reported_in": self.links([c.reported_in] if c.reported_in is not None else []),
            "contested_by": self.links(c.contested_by),
            "contests": self.links(self.named_subjects(IMID.contestedBy, claim)),
            "contradicts": self.links(c.contradicts),
            "contrasts_with": self.links(c.contrasts_with),
            "questions": self.claim_rows(self.by_about[claim]),
            "curators": self.links(c.provenance.attributed_to),
            "activity": self.links(c.provenance.generated_by),
            "generated_at": sorted(str(t) for t in c.provenance.generated_at),
        }

    # -- terms ------------------------------------------------------------------------

    def kind(self, term: URIRef) -> tuple[str, str]:
        """The anchor of the term's section on the terms page, and what the term is."""
        types = set(self.g.objects(term, RDF.type))
        for anchor, _, one, kinds in KINDS:
            if types & set(kinds) or not kinds:
                return anchor, one
        raise AssertionError("unreachable")

    def descendants(self, term: URIRef, predicate: URIRef = RDFS.subClassOf) -> set[URIRef]:
        found, todo = {term}, [term]
        while todo:
            for sub in self.g.subjects(predicate, todo.pop()):
                if isinstance(sub, URIRef) and sub not in found:
                    found.add(sub)
                    todo.append(sub)
        return found

    def disjoint(self, term: URIRef) -> list[Link]:
        g = self.g
        others = set(g.objects(term, OWL.disjointWith)) | set(g.subjects(OWL.disjointWith, term))
        for group in g.subjects(RDF.type, OWL.AllDisjointClasses):
            first = g.value(group, OWL.members)
            members = list(Collection(g, first)) if first else []
            if term in members:
                others |= set(members)
        return self.links(o for o in others if o != term and isinstance(o, URIRef))

    def term_context(self, term: URIRef) -> dict:
        g = self.g
        anchor, kind = self.kind(term)
        definitions = self.texts(term, DEFINITION) or self.texts(term, SKOS.definition)
        return {
            "title": self.label(term),
            "iri": str(term),
            "curie": curie(term),
            "kind": kind,
            "kind_anchor": anchor,
            "external": term not in self.own_set,
            "defined_by": self.objects(term, RDFS.isDefinedBy),
            "definitions": definitions,
            "definition_sources": self.objects(term, DCTERMS.source),
            "synonyms": sorted({s for p in SYNONYMS for s in self.texts(term, p)}),
            "comments": self.texts(term, RDFS.comment),
            "mappings": self.mappings(term),
            "characteristics": self.links(
                t
                for t in g.objects(term, RDF.type)
                if t
                not in (
                    OWL.Class,
                    OWL.ObjectProperty,
                    OWL.DatatypeProperty,
                    OWL.AnnotationProperty,
                    OWL.NamedIndividual,
                )
            ),
            "superclasses": sorted((self.expression(o) for o in g.objects(term, RDFS.subClassOf)), key=_parts_key),
            "equivalents": sorted((self.expression(o) for o in g.objects(term, OWL.equivalentClass)), key=_parts_key),
            "subclasses": self.links(self.named_subjects(RDFS.subClassOf, term)),
            "disjoint": self.disjoint(term),
            "domains": sorted((self.expression(o) for o in g.objects(term, RDFS.domain)), key=_parts_key),
            "ranges": sorted((self.expression(o) for o in g.objects(term, RDFS.range)), key=_parts_key),
            "superproperties": self.objects(term, RDFS.subPropertyOf),
            "subproperties": self.links(self.named_subjects(RDFS.subPropertyOf, term)),
            "inverses": self.links([*g.objects(term, OWL.inverseOf), *g.subjects(OWL.inverseOf, term)]),
            "instances": self.links(self.instances(term)),
            "claim_groups": self.term_claim_groups(term),
            "referenced_by": self.referenced_by(term),
        }

    def instances(self, term: URIRef) -> set[Node]:
        """Individuals typed with the class or one of its subclasses, that have a page."""
        return {i for c in self.descendants(term) for i in self.g.subjects(RDF.type, c) if i in self.paths}

    def term_claim_groups(self, term: URIRef) -> list[tuple[str, list[ClaimLine]]]:
        g = self.g
        instances = self.instances(term)
        groups = [
            ("as the relation", self.by_relation[term]),
            (
                "about an instance (the subject is one; subclasses included)",
                (c for i in instances for c in self.by_subject[i]),
            ),
            ("with an instance as object (subclasses included)", (c for i in instances for c in self.by_object[i])),
        ]
        by_property = defaultdict(set)
        for claim, predicate in g.subject_predicates(term):
            if claim in self.rows and predicate not in (RDF.predicate, RDF.type):
                by_property[predicate].add(claim)
        for predicate in sorted(by_property, key=lambda p: (self.label(p), str(p))):
            groups.append((f"with it as {self.label(predicate)}", by_property[predicate]))
        return [(heading, rows) for heading, claims in groups if (rows := self.claim_rows(claims))]

    def referenced_by(self, node: Node) -> list[tuple[Link, Link]]:
        """(subject, property) of the triples that point at ``node`` from a page other than a
        claim's, leaving out what the page shows elsewhere."""
        found = {
            (self.link(s), self.link(p))
            for s, p in self.g.subject_predicates(node)
            if s in self.paths and s not in self.claim_set and p not in SHOWN_REVERSE
        }
        return sorted(found, key=lambda pair: (pair[0].key(), pair[1].key()))

    def class_tree(self) -> list[dict]:
        """The ontology's own classes as a tree under their own named superclasses."""
        classes = {t for t in self.own_terms if self.kind(t)[0] == "classes"}
        children = defaultdict(set)
        for c in classes:
            for parent in self.g.objects(c, RDFS.subClassOf):
                if parent in classes and parent != c:
                    children[parent].add(c)
        roots = [c for c in classes if not any(c in kids for kids in children.values())]
        reached: set[URIRef] = set()

        def grow(node: URIRef, path: frozenset) -> dict:
            reached.add(node)
            kids = sorted((k for k in children[node] if k not in path), key=lambda k: self.link(k).key())
            return {"link": self.link(node), "children": [grow(k, path | {k}) for k in kids]}

        tree = [grow(r, frozenset({r})) for r in sorted(roots, key=lambda k: self.link(k).key())]
        for rest in sorted(classes - reached, key=lambda k: self.link(k).key()):  # cycles
            if rest not in reached:
                tree.append(grow(rest, frozenset({rest})))
        return tree

    # -- entities ---------------------------------------------------------------------

    def entity_context(self, entity: URIRef) -> dict:
        g = self.g
        about = self.by_subject[entity] | self.by_object[entity] | self.by_about[entity]
        in_context = self.by_context[entity]
        return {
            "title": self.label(entity),
            "iri": str(entity),
            "curie": curie(entity),
            "types": self.links(t for t in g.objects(entity, RDF.type) if t != OWL.NamedIndividual),
            "synonyms": sorted({s for p in SYNONYMS for s in self.texts(entity, p)}),
            "hidden": self.texts(entity, SKOS.hiddenLabel),
            "definitions": self.texts(entity, DEFINITION) or self.texts(entity, SKOS.definition),
            "comments": self.texts(entity, RDFS.comment),
            "mappings": self.mappings(entity),
            "xrefs": sorted(set(self.texts(entity, OBOINOWL.hasDbXref)), key=_natural),
            "outgoing": self.relations_from(entity),
            "incoming": self.referenced_by(entity),
            "claims": self.claim_rows(about),
            "context_claims": self.claim_rows(in_context - about),
        }

    def relations_from(self, node: Node) -> list[tuple[Link, Link]]:
        found = {
            (self.link(p), self.link(o))
            for p, o in self.g.predicate_objects(node)
            if p not in SHOWN and isinstance(o, URIRef)
        }
        return sorted(found, key=lambda pair: (pair[0].key(), pair[1].key()))

    # -- documents --------------------------------------------------------------------

    def bibliography(self, document: URIRef) -> list[tuple[str, list[Link]]]:
        g = self.g
        fields = []
        for heading, predicate in BIBLIOGRAPHY:
            if predicate is None:
                values = self._pages(document)
            elif predicate == DCTERMS.creator:
                values = [Link(t) for t in self.authors(document)]
            elif predicate in (BIBO.pmid, BIBO.doi):
                address = _pubmed_url if predicate == BIBO.pmid else _doi_url
                values = [Link(t, address(t), external=True) for t in self.texts(document, predicate)]
            elif predicate == RDFS.seeAlso:
                values = sorted({self.link(o, alias=False) for o in g.objects(document, predicate)}, key=Link.key)
            else:
                values = self.links(g.objects(document, predicate))
            if values:
                fields.append((heading, values))
        return fields

    def authors(self, document: URIRef) -> list[str]:
        """The creators in the order the citation names them (RDF keeps no order), the others
        after them in alphabetical order."""
        citation = self._literal(document, DCTERMS.bibliographicCitation)

        def place(name: str) -> tuple[int, str]:
            found = citation.find(name)
            return (found if found >= 0 else len(citation), name)

        return sorted(self.texts(document, DCTERMS.creator), key=place)

    def _pages(self, document: URIRef) -> list[Link]:
        start, end = self._literal(document, BIBO.pageStart), self._literal(document, BIBO.pageEnd)
        text = "–".join(x for x in (start, end) if x)
        return [Link(text)] if text else []

    def document_context(self, document: URIRef) -> dict:
        g = self.g
        quoted = self.by_quoted[document]
        return {
            "title": self.label(document),
            "iri": str(document),
            "curie": curie(document),
            "types": self.links(g.objects(document, RDF.type)),
            "fields": self.bibliography(document),
            "comments": self.texts(document, RDFS.comment),
            "references": self.objects(document, DCTERMS.references),
            "cited_by": self.links(self.named_subjects(DCTERMS.references, document)),
            "parts": self.links(self.named_subjects(DCTERMS.isPartOf, document)),
            "quoted": self.claim_rows(quoted),
            "derived": self.claim_rows(self.by_study[document]),
            "referenced_by": self.referenced_by(document),
        }

    def document_row(self, document: URIRef) -> dict:
        quoted = len(self.by_quoted[document])
        derived = len(self.by_study[document])
        return {
            "link": self.link(document),
            "title": self._literal(document, DCTERMS.title),
            "date": self._literal(document, DCTERMS.date),
            "quoted": quoted,
            "derived": derived,
        }

    # -- pages ------------------------------------------------------------------------

    def item_pages(self) -> list[tuple[str, str, dict]]:
        pages = [(self.paths[c], "claim.html", self.claim_context(c)) for c in self.claims]
        pages += [(self.paths[d], "document.html", self.document_context(d)) for d in self.documents]
        pages += [(self.paths[t], "term.html", self.term_context(t)) for t in self.own_terms + self.external_terms]
        pages += [(self.paths[e], "entity.html", self.entity_context(e)) for e in self.entities]
        return pages

    def term_sections(self) -> list[dict]:
        sections = []
        for anchor, heading, _, _ in KINDS:
            terms = [t for t in self.own_terms if self.kind(t)[0] == anchor]
            if terms:
                sections.append(
                    {
                        "anchor": anchor,
                        "heading": heading,
                        "links": self.links(terms),
                        "tree": self.class_tree() if anchor == "classes" else None,
                    }
                )
        return sections

    def list_pages(self) -> list[tuple[str, str, dict]]:
        sources = [d for d in self.documents if (d, RDF.type, IMID.SourceDocument) in self.g]
        studies = [d for d in self.documents if d not in set(sources)]
        external = [(self.link(t), self.kind(t)[1], curie(t)) for t in self.external_terms]
        entities = [
            (
                self.link(e),
                self.links(t for t in self.g.objects(e, RDF.type) if t != OWL.NamedIndividual),
                len(self.by_subject[e] | self.by_object[e] | self.by_about[e]),
            )
            for e in self.entities
        ]
        by_status: defaultdict[Link, int] = defaultdict(int)
        for row in self.rows.values():
            by_status[row.status] += 1
        term_sections = self.term_sections()
        index = {
            "title": self.title,
            "description": self._literal(ONTOLOGY, DCTERMS.description),
            "term_sections": [(s["anchor"], s["heading"], len(s["links"])) for s in term_sections],
            "external_count": len(external),
            "entity_count": len(entities),
            "claim_count": len(self.claims),
            "by_status": sorted(by_status.items(), key=lambda item: item[0].key()),
            "source_count": len(sources),
            "study_count": len(studies),
        }
        return [
            ("index.html", "index.html", index),
            (
                "terms.html",
                "terms.html",
                {
                    "title": "Ontology terms",
                    "sections": term_sections,
                    "external": sorted(external, key=lambda x: _natural(x[2])),
                },
            ),
            (
                "entities.html",
                "entities.html",
                {"title": "Entities", "entities": sorted(entities, key=lambda x: x[0].key())},
            ),
            ("claims.html", "claims.html", {"title": "Claims", "groups": self.claims_by_source()}),
            (
                "documents.html",
                "documents.html",
                {
                    "title": "Source documents and studies",
                    "sources": [self.document_row(d) for d in sources],
                    "studies": [self.document_row(d) for d in studies],
                },
            ),
        ]

    def claims_by_source(self) -> list[tuple[Link, list[ClaimLine]]]:
        """The claims grouped by the document they are quoted from (claims without a quote last)."""
        groups: dict[Link, list[URIRef]] = defaultdict(list)
        for claim in self.claims:
            sources = {q.source for q in self.claim_of[claim].quotes if q.source is not None}
            key = self.link(min(sources, key=_iri_key)) if sources else Link("Claims without a quote")
            groups[key].append(claim)
        ordered = sorted(groups, key=lambda link: (link.href is None, link.key()))
        return [(link, self.claim_rows(groups[link])) for link in ordered]


def _parts_key(parts: list[str | Link]) -> tuple:
    return tuple(p if isinstance(p, str) else p.text + "\0" + (p.href or "") for p in parts)
