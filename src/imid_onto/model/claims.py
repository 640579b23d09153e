"""What a claim is: the :class:`Claim` type, its one reader (:func:`read_claims`), and the
rules about claims, each written once: the order of statuses, when a claim stands (and gives
its plain edge), which claims a causal walk follows, the causal relations and their signs,
and what a node is called (:func:`label`). The SPARQL that applies a rule is generated here
from the same constants; the query files and the shapes keep their own copies, which
``tests/claims/test_claim_model.py`` proves equal to these (see ``docs/design/claim-model.md``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

import pyoxigraph as ox
from rdflib import BNode, ConjunctiveGraph, Graph, Literal, URIRef
from rdflib.plugins.stores.memory import Memory
from rdflib.term import Node

from imid_onto.vocab import CLAIM_LINKS, DCTERMS, DOC, IMID, OA, PROV, QUALIFIERS, QUESTION_KINDS, RDF, RDFS, curie

__all__ = [
    "Quote",
    "Provenance",
    "Claim",
    "read_claims",
    "standing_claims",
    "STATUSES",
    "STATUS_ORDER",
    "STANDING_STATUS",
    "CAUSAL_RELATIONS",
    "NOT_FOLLOWED_STATUSES",
    "QUESTION_KINDS",
    "QUALIFIERS",
    "CLAIM_LINKS",
    "CONTEXTS",
    "IDENTIFYING",
    "STANDING_EDGE_PATTERN",
    "FOLLOWED_FILTER",
    "causal_values",
    "label",
    "label_from",
    "ClaimRow",
    "claim_rows",
]

# --- the rules ---------------------------------------------------------------------------

#: Status names a user types, and the individuals they stand for, strongest first: the
#: order in which a diagram or a chain takes "the best status" of several claims.
STATUSES: dict[str, URIRef] = {
    "finding": IMID.EstablishedFinding,
    "hypothesis": IMID.Hypothesis,
    "open-question": IMID.OpenQuestion,
    "interpretation": IMID.Interpretation,
    "historical-proposal": IMID.HistoricalProposal,
    "superseded": IMID.Superseded,
}
STATUS_ORDER: tuple[URIRef, ...] = tuple(STATUSES.values())
#: The status of a claim that stands (when it is not negated).
STANDING_STATUS = IMID.EstablishedFinding

#: The statuses whose claims the causal walks do not follow: the document's own reading or
#: prospect, an earlier model it reports, and what its own document says is replaced.
NOT_FOLLOWED_STATUSES: tuple[URIRef, ...] = (IMID.Interpretation, IMID.HistoricalProposal, IMID.Superseded)
#: The withdrawn statuses (replaced, an earlier model): the conflicts and neosubstrates queries leave them out.
WITHDRAWN_STATUSES: tuple[URIRef, ...] = (IMID.Superseded, IMID.HistoricalProposal)

#: The causal relations, with the sign each gives a chain (0: the direction is not said):
#: process -> process (causally upstream of, RO:0002411 and below) and continuant -> process
#: (acts upstream of, RO:0004034/RO:0004035). Both families are walked.
CAUSAL_RELATIONS: dict[URIRef, int] = {
    IMID.causallyUpstreamOf: 0,
    IMID.causallyUpstreamOfPositiveEffect: 1,
    IMID.causallyUpstreamOfNegativeEffect: -1,
    IMID.actsUpstreamOf: 0,
    IMID.actsUpstreamOfPositiveEffect: 1,
    IMID.actsUpstreamOfNegativeEffect: -1,
}

#: The context properties of a claim, in the order pages show them.
CONTEXTS: tuple[URIRef, ...] = (
    IMID.contextCellLine,
    IMID.contextCellType,
    IMID.contextDisease,
    IMID.contextOrganism,
    IMID.contextSystem,
    IMID.contextGenotype,
    IMID.contextPatientSubgroup,
    IMID.contextCondition,
    IMID.contextCombination,
)

#: The predicates that say which claim a description is of: two descriptions of one claim
#: IRI that differ in one of them describe two claims (imid_onto.validation.duplicates).
IDENTIFYING: tuple[URIRef, ...] = (RDF.subject, RDF.predicate, RDF.object, IMID.hasStatus, IMID.hasQuote)

#: SPARQL group pattern binding ?s ?p ?o to the plain edge of every claim ?claim that stands
#: (:attr:`Claim.stands`). Used on rdflib graphs and on pyoxigraph stores.
STANDING_EDGE_PATTERN = f"""
    ?claim <{IMID.hasStatus}> <{STANDING_STATUS}> ;
        <{RDF.subject}> ?s ; <{RDF.predicate}> ?p ; <{RDF.object}> ?o .
    FILTER NOT EXISTS {{ ?claim <{IMID.isNegated}> true }}
    FILTER NOT EXISTS {{ ?claim <{IMID.hasQualifier}> <{IMID.Independent}> }}
"""

#: SPARQL filters keeping the claims ?claim a causal walk follows (:attr:`Claim.followed`,
#: less the relation, which :func:`causal_values` binds).
FOLLOWED_FILTER = f"""FILTER NOT EXISTS {{ ?claim <{IMID.isNegated}> true }}
    FILTER NOT EXISTS {{ ?claim <{IMID.hasStatus}> ?notFollowedStatus .
        FILTER (?notFollowedStatus IN ({", ".join(f"<{s}>" for s in NOT_FOLLOWED_STATUSES)})) }}
    FILTER NOT EXISTS {{ ?claim <{IMID.hasQualifier}> <{IMID.Independent}> }}
    FILTER NOT EXISTS {{ ?claim a <{IMID.Question}> }}"""


def causal_values(variable: str) -> str:
    """A SPARQL ``VALUES`` block binding ``?variable`` to each causal relation."""
    return f"VALUES ?{variable} {{ {' '.join(f'<{r}>' for r in sorted(CAUSAL_RELATIONS, key=str))} }}"


def label_from(node: Node | None, labels: Iterable[tuple[str, str | None]]) -> str:
    """The label rule: what imid-onto calls ``node``, given its ``(text, language)``
    rdfs:labels: the least English (or untagged) one, else its CURIE ("(anonymous)" for a
    blank node)."""
    english = [text for text, language in labels if (language or "en").lower().startswith("en")]
    if english:
        return min(english)
    return "(anonymous)" if isinstance(node, BNode) else curie(node)


def label(graph: Graph, node: Node | None) -> str:
    """What imid-onto calls ``node`` in ``graph`` (:func:`label_from`)."""
    return label_from(node, ((str(x), x.language) for x in graph.objects(node, RDFS.label) if isinstance(x, Literal)))


# --- the claim ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """The passage a claim is curated from: a W3C Web Annotation specific resource, its
    document (``oa:hasSource``) and its ``oa:TextQuoteSelector`` (exact, prefix, suffix)."""

    source: Node | None
    exact: str | None
    prefix: str | None = None
    suffix: str | None = None


@dataclass(frozen=True)
class Provenance:
    """Who curated a claim, in which activity, and when (``prov:``), as the knowledge base holds it."""

    attributed_to: tuple[Node, ...] = ()
    generated_by: tuple[Node, ...] = ()
    generated_at: tuple[Literal, ...] = ()


@dataclass(frozen=True)
class Claim:
    """One claim of the knowledge base (an ``imid:Claim``): the statement ``subject relation
    object``, its status, negation, evidence type (an ECO class), the studies it is derived
    from, its quotes, its context (``(property, value)`` pairs), the claims that replaced it
    (``dcterms:isReplacedBy``) and its curation provenance. A field the shapes allow once
    holds the least value in N-Triples order where the data gives several; None where absent.

    Claim model 2 adds (all additive, empty where absent): ``asks`` (the kind of question,
    e.g. imid:MechanismQuestion, for an ``imid:Question``, which has no subject, relation or
    object) and ``about`` (the claims and entities it asks about); ``qualifiers``
    (imid:Necessary, imid:Independent, ...); the claim-to-claim links ``contested_by``,
    ``contradicts`` and ``contrasts_with`` (the last two symmetric: both directions, whichever
    claim states them); and ``reported_in``, the document that reports the claim (the claims
    file's ``document:``), as against ``studies``, who produced the evidence."""

    iri: Node
    subject: Node | None = None
    relation: Node | None = None
    object: Node | None = None
    status: Node | None = None
    negated: bool = False
    evidence: Node | None = None
    studies: tuple[Node, ...] = ()
    quotes: tuple[Quote, ...] = ()
    context: tuple[tuple[URIRef, Node], ...] = ()
    replaced_by: tuple[Node, ...] = ()
    provenance: Provenance = Provenance()
    asks: Node | None = None
    about: tuple[Node, ...] = ()
    qualifiers: tuple[Node, ...] = ()
    contested_by: tuple[Node, ...] = ()
    contradicts: tuple[Node, ...] = ()
    contrasts_with: tuple[Node, ...] = ()
    reported_in: Node | None = None
    is_question: bool = False

    @property
    def quote(self) -> Quote | None:
        """The claim's quote (the least, by document then text, where it has several)."""
        return self.quotes[0] if self.quotes else None

    @property
    def edge(self) -> tuple[Node | None, Node | None, Node | None]:
        """The plain ``subject relation object`` triple the claim states."""
        return (self.subject, self.relation, self.object)

    @property
    def independent(self) -> bool:
        """Qualified "independent of" (imid:Independent): the object happens without the subject."""
        return IMID.Independent in self.qualifiers

    @property
    def stands(self) -> bool:
        """An established finding, not negated, not a question, not qualified independent:
        its edge is also asserted as a plain triple."""
        return self.status == STANDING_STATUS and not self.negated and not self.is_question and not self.independent

    @property
    def followed(self) -> bool:
        """A causal step that the causal walks (queries, the cycle check) follow: a causal
        relation, not negated, not a question, not qualified independent, and not of a status
        of NOT_FOLLOWED_STATUSES (interpretation, historical proposal, superseded)."""
        return (
            self.relation in CAUSAL_RELATIONS
            and not self.negated
            and not self.is_question
            and not self.independent
            and self.status not in NOT_FOLLOWED_STATUSES
        )


#: The claim's own predicates the reader takes, by the field they fill.
_FIELDS: dict[Node, str] = {
    RDF.subject: "subject",
    RDF.predicate: "relation",
    RDF.object: "object",
    IMID.hasStatus: "status",
    IMID.isNegated: "negated",
    IMID.evidenceType: "evidence",
    PROV.wasDerivedFrom: "studies",
    IMID.hasQuote: "quotes",
    DCTERMS.isReplacedBy: "replaced_by",
    IMID.asks: "asks",
    IMID.isAbout: "about",
    IMID.hasQualifier: "qualifiers",
    IMID.contestedBy: "contested_by",
    IMID.contradicts: "contradicts",
    IMID.contrastsWith: "contrasts_with",
    IMID.reportedIn: "reported_in",
    RDF.type: "types",
    PROV.wasAttributedTo: "attributed_to",
    PROV.wasGeneratedBy: "generated_by",
    PROV.generatedAtTime: "generated_at",
    **{p: "context" for p in CONTEXTS},
}
_QUOTE_FIELDS: dict[Node, str] = {OA.hasSource: "source", OA.exact: "exact", OA.prefix: "prefix", OA.suffix: "suffix"}

#: One row per triple of a claim (?claim ?p ?o); where ?o is its quote, one row per value of
#: the quote (its source) or of its selector (exact, prefix, suffix) instead. OPTIONAL, so
#: that rdflib's engine evaluates the quote's part with ?o bound.
_READ = f"""SELECT ?claim ?p ?o ?field ?value WHERE {{
    ?claim a <{IMID.Claim}> ; ?p ?o .
    OPTIONAL {{
        ?claim <{IMID.hasQuote}> ?o .
        {{ ?o <{OA.hasSource}> ?value . BIND (<{OA.hasSource}> AS ?field) }}
        UNION {{ ?o <{OA.hasSelector}> ?selector . ?selector ?field ?value .
                 FILTER (?field IN (<{OA.exact}>, <{OA.prefix}>, <{OA.suffix}>)) }}
    }}
}}"""


_Row = tuple[Node, Node, Node, Node | None, Node | None]


def _rows(data: Graph | ox.Store) -> Iterable[_Row]:
    """The reader's rows from an rdflib Graph or a pyoxigraph Store, as rdflib terms (None where unbound)."""
    if isinstance(data, Graph):
        if type(data.store) is Memory and not isinstance(data, ConjunctiveGraph):
            return _memory_rows(data)
        return (cast(_Row, tuple(cast(Iterable[Node], row))) for row in data.query(_READ))
    from imid_onto.io.rdf import to_rdflib

    solutions = data.query(_READ)
    assert isinstance(solutions, ox.QuerySolutions)
    return (cast(_Row, tuple(to_rdflib(term) if term is not None else None for term in row)) for row in solutions)


def _memory_rows(graph: Graph) -> Iterator[_Row]:
    """The rows of :data:`_READ` from the triples of an rdflib Graph in memory, read from its
    index (rdflib's SPARQL engine takes ten times as long on the shipped knowledge base)."""
    for claim in set(graph.subjects(RDF.type, IMID.Claim)):
        for p, o in graph.predicate_objects(claim):
            quoted: list[tuple[Node, Node]] = []
            if (claim, IMID.hasQuote, o) in graph:
                quoted += [(OA.hasSource, value) for value in graph.objects(o, OA.hasSource)]
                for selector in graph.objects(o, OA.hasSelector):
                    quoted += [(f, v) for f, v in graph.predicate_objects(selector) if f in _SELECTOR_FIELDS]
            if not quoted:
                yield claim, p, o, None, None
            for field, value in quoted:
                yield claim, p, o, field, value


_SELECTOR_FIELDS = (OA.exact, OA.prefix, OA.suffix)


def _n3(node: Node) -> str:
    return node.n3()


def _least(values: Iterable[Node]) -> Node | None:
    return min(values, key=_n3, default=None)


def _text(values: Iterable[Node]) -> str | None:
    least = _least(values)
    return None if least is None else str(least)


def read_claims(data: Graph | ox.Store) -> list[Claim]:
    """Every claim in ``data`` (an rdflib Graph, or a pyoxigraph Store), in IRI order (blank
    nodes last): one SELECT, answered by the graph's or the store's own engine."""
    values: dict[Node, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    quotes: dict[Node, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for claim, p, o, field, value in _rows(data):
        values[claim]  # every claim, even one with none of the fields
        if p in _FIELDS:
            values[claim][_FIELDS[p]].append((p, o) if _FIELDS[p] == "context" else o)
        if field is not None:
            quotes[o][_QUOTE_FIELDS[field]].append(value)
    for iri in list(values):  # the symmetric links, whichever claim states them
        for name in ("contradicts", "contrasts_with"):
            for other in values[iri][name]:
                if other in values and iri not in values[other][name]:
                    values[other][name].append(iri)
    claims = []
    for iri in sorted(values, key=lambda n: (isinstance(n, BNode), str(n))):
        v = values[iri]
        keyed = []
        for node in set(v["quotes"]):
            q = quotes.get(node, {})
            source, exact = _least(q.get("source", ())), _least(q.get("exact", ()))
            keyed.append(
                (
                    (_n3(source) if source is not None else "", _n3(exact) if exact is not None else ""),
                    Quote(
                        source,
                        None if exact is None else str(exact),
                        _text(q.get("prefix", ())),
                        _text(q.get("suffix", ())),
                    ),
                )
            )
        claims.append(
            Claim(
                iri=iri,
                subject=_least(v["subject"]),
                relation=_least(v["relation"]),
                object=_least(v["object"]),
                status=_least(v["status"]),
                negated=Literal(True) in v["negated"],
                evidence=_least(v["evidence"]),
                studies=tuple(sorted(set(v["studies"]), key=_n3)),
                quotes=tuple(quote for _, quote in sorted(keyed, key=lambda pair: pair[0])),
                context=tuple(sorted(set(v["context"]), key=lambda pair: (_n3(pair[0]), _n3(pair[1])))),
                replaced_by=tuple(sorted(set(v["replaced_by"]), key=_n3)),
                provenance=Provenance(
                    tuple(sorted(set(v["attributed_to"]), key=_n3)),
                    tuple(sorted(set(v["generated_by"]), key=_n3)),
                    tuple(sorted(set(v["generated_at"]), key=_n3)),
                ),
                asks=_least(v["asks"]),
                about=tuple(sorted(set(v["about"]), key=_n3)),
                qualifiers=tuple(sorted(set(v["qualifiers"]), key=_n3)),
                contested_by=tuple(sorted(set(v["contested_by"]), key=_n3)),
                contradicts=tuple(sorted(set(v["contradicts"]), key=_n3)),
                contrasts_with=tuple(sorted(set(v["contrasts_with"]), key=_n3)),
                reported_in=_least(v["reported_in"]),
                is_question=IMID.Question in v["types"],
            )
        )
    return claims


def standing_claims(graph: Graph) -> list[Node]:
    """The IRIs of the claims that stand (:attr:`Claim.stands`), in IRI order."""
    return [claim.iri for claim in read_claims(graph) if claim.stands]


# --- the claim listing (``imid-onto claims``) --------------------------------------------


@dataclass(frozen=True)
class ClaimRow:
    """A claim as the listing shows it: its terms by name (:func:`label`), its quote's text
    with white space folded."""

    iri: str
    statement: str
    status: str
    negated: bool
    studies: tuple[str, ...]
    source: str
    quote: str


def claim_rows(graph: Graph, *, source: str | None = None, status: str | None = None) -> list[ClaimRow]:
    """The claims of ``graph`` for review, in IRI order; ``source`` is a document's local
    name (e.g. ``kurtz-gotlib-2014``) or IRI, ``status`` one of STATUSES. Read by
    :func:`read_claims`, so a Graph over a persistent store (io.rdf.graph_view) answers in
    its own engine."""
    wanted_status = STATUSES[status] if status else None
    wanted_source = URIRef(source) if source and ":" in source else (DOC[source] if source else None)
    names: dict[Node, str] = {}

    def name(node: Node | None) -> str:
        if node is None:
            return "?"
        if node not in names:
            names[node] = label(graph, node)
        return names[node]

    rows = []
    for claim in read_claims(graph):
        quote = claim.quote or Quote(None, None)
        if wanted_status is not None and claim.status != wanted_status:
            continue
        if wanted_source is not None and quote.source != wanted_source:
            continue
        rows.append(
            ClaimRow(
                iri=str(claim.iri),
                statement=(
                    f"{name(claim.asks)} about {', '.join(name(a) for a in claim.about) or '?'}"
                    if claim.is_question
                    else " ".join(name(t) for t in claim.edge)
                ),
                status=name(claim.status),
                negated=claim.negated,
                studies=tuple(sorted(name(s) for s in claim.studies)),
                source=name(quote.source),
                quote=" ".join((quote.exact or "").split()),
            )
        )
    return rows
