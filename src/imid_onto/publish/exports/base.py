"""What every export reads, once: the claims (model.claims.read_claims), what each entity
is (its classes, names, external ids and matches), each document's verified ids, and the
record of what an export carried, marked and left out (:class:`Export`).

An export never changes what a claim says: a claim a format cannot carry is left out, or
carried with its status, negation and qualifiers marked, and :class:`Export` counts both,
with the reason (``docs/design/exports.md``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from imid_onto.model.claims import CAUSAL_RELATIONS, STANDING_STATUS, Claim, read_claims
from imid_onto.model.claims import label as label_of
from imid_onto.vocab import BIBO, IMID, OBOINOWL, OWL, RDF, RDFS, SKOS, curie

__all__ = [
    "Export",
    "Tally",
    "Term",
    "Document",
    "Quoted",
    "Source",
    "local_name",
    "evidence_curie",
    "qualifier_names",
    "sign",
    "is_question",
    "not_standing_reason",
    "marks",
    "INDEPENDENT",
    "QUESTION",
]


@dataclass(frozen=True)
class Export:
    """One export: its text, and what it did with the claims.

    ``exported``: how many claims (for SSSOM: mappings) the text carries; ``marked``: of
    those, how many carry a mark the reader must heed (a status other than established
    finding, a negation, a qualifier), by reason; ``left_out``: the claims the format cannot
    carry, by reason; ``left_out_claims``: each of them with its reason, in claim order."""

    format: str
    text: str
    exported: int
    unit: str = "claims"
    marked: dict[str, int] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)
    left_out_claims: tuple[tuple[str, str], ...] = ()

    def summary(self) -> list[str]:
        """The lines ``imid-onto export`` prints on stderr: the count, then each reason."""
        total = sum(self.left_out.values())
        lines = [f"{self.format}: {self.exported} {self.unit} exported, {total} left out"]
        lines += [f"  left out {n:>4}: {reason}" for reason, n in sorted(self.left_out.items())]
        lines += [f"  marked   {n:>4}: {reason}" for reason, n in sorted(self.marked.items())]
        return lines


class Tally:
    """Collects what an exporter does with each claim, then gives the :class:`Export`."""

    def __init__(self) -> None:
        self.exported = 0
        self.marked: Counter[str] = Counter()
        self.left: list[tuple[str, str]] = []

    def leave_out(self, claim: Claim, reason: str) -> None:
        self.left.append((curie(claim.iri), reason))

    def carry(self, marks: Iterable[str] = ()) -> None:
        self.exported += 1
        self.marked.update(set(marks))

    def export(self, fmt: str, text: str, unit: str = "claims") -> Export:
        return Export(
            format=fmt,
            text=text,
            exported=self.exported,
            unit=unit,
            marked=dict(sorted(self.marked.items())),
            left_out=dict(sorted(Counter(reason for _, reason in self.left).items())),
            left_out_claims=tuple(self.left),
        )


def local_name(iri: Node | None) -> str:
    """The local name of an IRI (a status ``EstablishedFinding``, a qualifier ``Necessary``,
    a property ``contextDisease``); "" for None."""
    return "" if iri is None else str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def evidence_curie(claim: Claim) -> str:
    """The claim's evidence type as a CURIE, ECO's as ``ECO:0000303``; "" where it has none."""
    return curie(claim.evidence).replace("obo:ECO_", "ECO:")


def qualifier_names(claim: Claim) -> tuple[str, ...]:
    """The claim's qualifiers by local name (``Necessary``, ``MRNALevel``...), sorted."""
    return tuple(sorted(local_name(q) for q in claim.qualifiers))


def sign(claim: Claim) -> int | None:
    """The sign a causal claim gives (1, -1, 0 unsigned); None for a relation that is not causal."""
    return CAUSAL_RELATIONS.get(claim.relation) if isinstance(claim.relation, URIRef) else None


def is_question(claim: Claim) -> bool:
    """A question (``imid:Question``, ``asks:``), or any claim without a whole triple."""
    return claim.is_question or claim.subject is None or claim.relation is None or claim.object is None


@dataclass(frozen=True)
class Term:
    """An entity as the exports name it: its CURIE and label, its classes (with their
    superclasses), its external ids (``oboInOwl:hasDbXref``) and SKOS matches, and the
    links the exports follow (an event's inputs, a bound receptor's drug and receptor, a
    combination's components, an activity's enabler)."""

    node: Node
    curie: str
    label: str
    kinds: frozenset[Node]
    xrefs: tuple[str, ...]
    exact: tuple[str, ...]
    close: tuple[str, ...]
    broad: tuple[str, ...]
    narrow: tuple[str, ...]
    inputs: tuple[Node, ...]
    gene_of: Node | None
    bound_drug: Node | None
    bound_form_of: Node | None
    components: tuple[Node, ...]
    enabled_by: tuple[Node, ...]
    class_matches: tuple[str, ...]

    def is_a(self, kind: URIRef) -> bool:
        return kind in self.kinds

    def xref(self, prefix: str) -> str | None:
        """The local part of the first ``prefix:...`` external id (``xref("HGNC")`` -> ``13176``)."""
        for x in self.xrefs:
            if x.split(":", 1)[0].lower() == prefix.lower():
                return x.split(":", 1)[1]
        return None

    @property
    def direction(self) -> int:
        """-1 for a decrease (ExpressionDecrease, ProteasomalDegradation), 1 for an increase, 0 else."""
        if self.is_a(IMID.ExpressionDecrease) or self.is_a(IMID.ProteasomalDegradation):
            return -1
        return 1 if self.is_a(IMID.ExpressionIncrease) else 0


@dataclass(frozen=True)
class Document:
    """A document's label and its ids as the knowledge base holds them (verified only)."""

    node: Node
    label: str
    pmid: str | None
    doi: str | None


@dataclass(frozen=True)
class Quoted:
    """A quote and the document it is from."""

    text: str
    document: Document | None


class Source:
    """The knowledge base as the exporters read it: its claims, terms and documents."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._terms: dict[Node, Term] = {}
        self._documents: dict[Node, Document] = {}

    @cached_property
    def claims(self) -> list[Claim]:
        return read_claims(self.graph)

    @cached_property
    def _supers(self) -> dict[Node, frozenset[Node]]:
        direct: dict[Node, set[Node]] = {}
        for sub, sup in self.graph.subject_objects(RDFS.subClassOf):
            if not isinstance(sup, BNode):
                direct.setdefault(sub, set()).add(sup)
        closed: dict[Node, frozenset[Node]] = {}

        def up(cls: Node, seen: frozenset[Node] = frozenset()) -> frozenset[Node]:
            if cls in closed:
                return closed[cls]
            found = {cls}
            for sup in direct.get(cls, ()):
                if sup not in seen:
                    found |= up(sup, seen | {cls})
            closed[cls] = frozenset(found)
            return closed[cls]

        for cls in list(direct):
            up(cls)
        return closed

    def _sorted(self, predicate: URIRef, node: Node) -> tuple[Node, ...]:
        return tuple(sorted(self.graph.objects(node, predicate), key=str))

    def term(self, node: Node) -> Term:
        if node not in self._terms:
            g = self.graph
            kinds: set[Node] = set()
            for cls in g.objects(node, RDF.type):
                if cls != OWL.NamedIndividual and not isinstance(cls, BNode):
                    kinds |= self._supers.get(cls, frozenset({cls}))

            def first(predicate: URIRef) -> Node | None:
                found = self._sorted(predicate, node)
                return found[0] if found else None

            self._terms[node] = Term(
                node=node,
                curie=curie(node),
                label=label_of(g, node),
                kinds=frozenset(kinds),
                xrefs=tuple(sorted(str(x) for x in g.objects(node, OBOINOWL.hasDbXref) if isinstance(x, Literal))),
                exact=tuple(str(x) for x in self._sorted(SKOS.exactMatch, node)),
                close=tuple(str(x) for x in self._sorted(SKOS.closeMatch, node)),
                broad=tuple(str(x) for x in self._sorted(SKOS.broadMatch, node)),
                narrow=tuple(str(x) for x in self._sorted(SKOS.narrowMatch, node)),
                inputs=self._sorted(IMID.hasInput, node),
                gene_of=first(IMID.isGeneOf),
                bound_drug=first(IMID.hasBoundDrug),
                bound_form_of=first(IMID.isBoundFormOf),
                components=self._sorted(IMID.hasComponent, node),
                enabled_by=self._sorted(IMID.enabledBy, node),
                class_matches=tuple(
                    sorted(
                        str(m)
                        for cls in g.objects(node, RDF.type)
                        for p in (SKOS.exactMatch, SKOS.closeMatch)
                        for m in g.objects(cls, p)
                    )
                ),
            )
        return self._terms[node]

    def document(self, node: Node) -> Document:
        if node not in self._documents:
            g = self.graph
            pmid = min((str(x) for x in g.objects(node, BIBO.pmid)), default=None)
            doi = min((str(x) for x in g.objects(node, BIBO.doi)), default=None)
            self._documents[node] = Document(node, label_of(g, node), pmid, doi)
        return self._documents[node]

    def quoted(self, claim: Claim) -> Quoted | None:
        quote = claim.quote
        if quote is None or quote.exact is None:
            return None
        return Quoted(" ".join(quote.exact.split()), None if quote.source is None else self.document(quote.source))

    def studies(self, claim: Claim) -> list[Document]:
        return [self.document(s) for s in claim.studies]

    def reported_in(self, claim: Claim) -> Document | None:
        """The document that reported the claim (``imid:reportedIn``; else its quote's)."""
        if claim.reported_in is not None:
            return self.document(claim.reported_in)
        quoted = self.quoted(claim)
        return None if quoted is None else quoted.document

    def protein_input(self, term: Term) -> Term | None:
        """An event's one protein input (None where it has none, or several)."""
        proteins = [self.term(n) for n in term.inputs if self.term(n).is_a(IMID.Protein)]
        return proteins[0] if len(proteins) == 1 else None


#: Why a claim is left out of a format that states only what stands (BEL, GO-CAM), by its
#: status; the format's name is filled in.
NOT_STANDING = {
    "Hypothesis": "hypothesis: {fmt} has no epistemic status, so it would read as a finding",
    "OpenQuestion": "open question: {fmt} has no epistemic status, so it would read as a finding",
    "Superseded": "superseded: {fmt} has no epistemic status, so it would read as a finding",
    "Interpretation": "interpretation (the document's own reading): {fmt} has no epistemic status",
    "HistoricalProposal": "historical proposal: {fmt} has no epistemic status, so it would read as a finding",
}


#: Why every format leaves out a claim qualified ``independent``.
INDEPENDENT = "qualifier independent (the object happens without the subject): not a causal edge"
#: Why every format leaves out a question.
QUESTION = "question (no subject, relation and object to state)"


def no_edge_reason(claim: Claim) -> str | None:
    """Why no format carries the claim as an edge: a question, or a claim qualified
    "independent" (None for any other claim)."""
    if is_question(claim):
        return QUESTION
    if claim.independent:
        return INDEPENDENT
    return None


def not_standing_reason(claim: Claim, fmt: str) -> str | None:
    """Why a format without epistemics or negation leaves the claim out (None if it stands)."""
    if reason := no_edge_reason(claim):
        return reason
    if claim.status != STANDING_STATUS:
        name = local_name(claim.status)
        return NOT_STANDING.get(name, f"status {name}: {{fmt}} has no epistemic status").format(fmt=fmt)
    if claim.negated:
        return f"negated: {fmt} cannot state a negation"
    return None


def marks(claim: Claim) -> list[str]:
    """What a reader must heed about a claim carried with its marks (formats with epistemics)."""
    found = []
    if claim.status != STANDING_STATUS:
        found.append(f"status {local_name(claim.status)} (not an established finding)")
    if claim.negated:
        found.append("negated")
    found += [f"qualifier {q}" for q in qualifier_names(claim)]
    if claim.contested_by:
        found.append("contested by another claim (its status kept)")
    if claim.contradicts:
        found.append("contradicted by another claim")
    return found
