"""One nanopublication per claim, as TriG, each with a Trusty URI.

:func:`nanopublications` makes, for each claim ``claim:X``, the nanopublication
``np:X/RA…`` (the RA artifact code of its content, :mod:`imid_onto.publish.trusty`): a
head, an assertion (the claim as said, with its plain edge only if it stands), a provenance
and a pubinfo graph, the claim's blank nodes named under the nanopublication's IRI. With a
user's RSA key (``imid-onto build --sign-key FILE``) each is also signed by the optional
``nanopub-sign`` package (``pip install 'imid-onto[sign]'``). What each graph holds, the
URIs, and why: ``docs/design/nanopublications.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.term import Node

from imid_onto.errors import InputError, printable
from imid_onto.io.rdf import to_oxigraph, to_rdflib
from imid_onto.model.claims import Claim, read_claims
from imid_onto.publish.kb_ontology import LICENSE
from imid_onto.publish.trusty import PLACEHOLDER, Quad, artifact_code, with_code
from imid_onto.vocab import DCTERMS, IMID, NP, PROV, RDF

__all__ = [
    "NANOPUB",
    "GRAPHS",
    "Nanopublication",
    "nanopub_base",
    "nanopublication",
    "nanopublications",
    "read_signing_key",
    "PROVENANCE_PROPERTIES",
    "PUBINFO_PROPERTIES",
]

NANOPUB = Namespace("https://w3id.org/imid-onto/np/")
#: The four graphs of a nanopublication, by the last part of their IRI.
GRAPHS = ("Head", "assertion", "provenance", "pubinfo")

#: Claim properties that go into the provenance graph (the study that produced the evidence,
#: the document that reports it, the evidence type, the quote); PUBINFO_PROPERTIES into
#: pubinfo; every other property of a claim belongs to its assertion (a question's asks and
#: isAbout, a claim's qualifiers and its relations to other claims included).
PROVENANCE_PROPERTIES = frozenset({IMID.evidenceType, PROV.wasDerivedFrom, IMID.reportedIn, IMID.hasQuote})
PUBINFO_PROPERTIES = frozenset({PROV.wasAttributedTo, PROV.wasGeneratedBy, PROV.generatedAtTime})


@dataclass(frozen=True)
class Nanopublication:
    """One claim's nanopublication: its Trusty URI (``np:X/RA…``), the claim, its quads."""

    iri: URIRef
    claim: Node
    quads: tuple[Quad, ...]

    @property
    def code(self) -> str:
        """The RA artifact code that ends its URI."""
        return str(self.iri).rsplit("/", 1)[-1]


def nanopub_base(claim: Node) -> str:
    """Where the nanopublications of ``claim`` (``claim:X``) lie: ``np:X/``, which its
    artifact code completes (``np:X/RA…``)."""
    return f"{NANOPUB}{str(claim).rsplit('/', 1)[-1]}/"


def _with_blank_nodes(graph: Graph, triple: tuple[Node, Node, Node]) -> Iterator[tuple[Node, Node, Node]]:
    """``triple`` and the triples of the blank nodes hanging from it (a quote, its selector)."""
    yield triple
    pending = [triple[2]]
    seen: set[Node] = set()
    while pending:
        node = pending.pop()
        if not isinstance(node, BNode) or node in seen:
            continue
        seen.add(node)
        for p, o in graph.predicate_objects(node):
            yield (node, p, o)
            pending.append(o)


def _draft(graph: Graph, claim: Claim, np_: URIRef, ns: str) -> list[Quad]:
    """The quads of ``claim``'s nanopublication ``np_``, its graphs ``ns`` + Head, assertion,
    provenance and pubinfo; blank nodes as ``graph`` has them."""
    head, assertion, provenance, pubinfo = (URIRef(ns + name) for name in GRAPHS)
    quads: list[Quad] = [
        (np_, RDF.type, NP.Nanopublication, head),
        (np_, NP.hasAssertion, assertion, head),
        (np_, NP.hasProvenance, provenance, head),
        (np_, NP.hasPublicationInfo, pubinfo, head),
    ]
    for p, o in graph.predicate_objects(claim.iri):  # every triple as written, by where it belongs
        target = provenance if p in PROVENANCE_PROPERTIES else pubinfo if p in PUBINFO_PROPERTIES else assertion
        quads += [(*triple, target) for triple in _with_blank_nodes(graph, (claim.iri, p, o))]
    if claim.stands and None not in claim.edge:  # a question states no triple
        quads.append((*claim.edge, assertion))  # type: ignore[arg-type]
    for study in claim.studies:
        quads.append((assertion, PROV.wasDerivedFrom, study, provenance))
    for quote in claim.quotes:
        if quote.source is not None:
            quads.append((assertion, PROV.wasQuotedFrom, quote.source, provenance))
    quads.append((np_, DCTERMS.license, LICENSE, pubinfo))
    for agent in claim.provenance.attributed_to:
        quads.append((np_, PROV.wasAttributedTo, agent, pubinfo))
    for moment in claim.provenance.generated_at:
        quads.append((np_, DCTERMS.created, moment, pubinfo))
    return quads


def _ox(quads: list[Quad]) -> list[ox.Quad]:
    return [
        ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), to_oxigraph(g))  # type: ignore[arg-type]
        for s, p, o, g in quads
    ]


def _named_blank_nodes(quads: list[Quad], ns: str) -> list[Quad]:
    """``quads`` with each blank node as the IRI ``ns_1``, ``ns_2``…, numbered by their
    canonical labels (RDFC-1.0) over these quads alone, so that the names, and the code,
    depend on the nanopublication's own content only."""
    if not any(isinstance(term, BNode) for quad in quads for term in quad):
        return quads
    dataset = ox.Dataset(_ox(quads))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)  # labels c14n0, c14n1, ...

    def named(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph) -> Node:
        if isinstance(term, ox.BlankNode):
            return URIRef(f"{ns}_{int(term.value.removeprefix('c14n')) + 1}")
        assert not isinstance(term, ox.DefaultGraph)
        return to_rdflib(term)

    return [(named(q.subject), named(q.predicate), named(q.object), named(q.graph_name)) for q in dataset]


def nanopublication(graph: Graph, claim: Claim, *, key: str | None = None) -> Nanopublication:
    """``claim``'s nanopublication, read from ``graph``, with its Trusty URI; signed with the
    RSA private ``key`` (base64 PKCS#8, as :func:`read_signing_key` reads it) if given."""
    if key is not None:
        return _signed(graph, claim, key)
    draft = nanopub_base(claim.iri) + PLACEHOLDER
    quads = _named_blank_nodes(_draft(graph, claim, URIRef(draft), draft + "/"), draft + "/")
    code = artifact_code(quads)
    return Nanopublication(URIRef(nanopub_base(claim.iri) + code), claim.iri, _in_order(with_code(quads, code)))


def _in_order(quads: list[Quad]) -> tuple[Quad, ...]:
    """``quads`` without repeats, by graph, subject, predicate and object (N-Triples forms)."""
    return tuple(sorted(set(quads), key=lambda q: (q[3].n3(), q[0].n3(), q[1].n3(), q[2].n3())))


def _signed(graph: Graph, claim: Claim, key: str) -> Nanopublication:
    """Signed and made trusty by nanopub-sign: it is given the nanopublication at ``np:X/``
    (graphs ``np:X/Head``...), which it turns into ``np:X/RA…`` over the content and the
    signature (an RSA signature of the normal form, in pubinfo, with the public key)."""
    nanopub_sign = _nanopub_sign()
    if not claim.provenance.generated_at:  # nanopub-sign would add the time of signing: not reproducible
        raise InputError(
            f"{claim.iri}: no prov:generatedAtTime, so its signed nanopublication would not be reproducible"
        )
    base = nanopub_base(claim.iri)
    # named here: nanopub-sign would number blank nodes in an order that changes from run to
    # run; it doubles the underscore of these names (np:X/RA…/__1), as it does for any IRI
    # shaped like the names it gives blank nodes
    quads = _named_blank_nodes(_draft(graph, claim, URIRef(base), base), base)
    text = ox.serialize(sorted(_ox(quads), key=str), format=ox.RdfFormat.TRIG)
    assert text is not None
    try:
        profile = nanopub_sign.NpProfile(key)
        signed = nanopub_sign.Nanopub(text.decode("utf-8")).sign(profile).rdf()
    except Exception as err:  # noqa: BLE001 - nanopub-sign raises its own bare Exception for every failure
        raise InputError(f"signing the nanopublication of {claim.iri}: {printable(str(err))}") from None
    result: list[Quad] = []
    iri: URIRef | None = None
    for q in ox.parse(signed, format=ox.RdfFormat.TRIG):
        assert not isinstance(q.graph_name, ox.DefaultGraph)
        s, p, o, g = (to_rdflib(t) for t in (q.subject, q.predicate, q.object, q.graph_name))
        result.append((s, p, o, g))
        if p == RDF.type and o == NP.Nanopublication and isinstance(s, URIRef):
            iri = s
    assert iri is not None and str(iri).startswith(base)
    return Nanopublication(iri, claim.iri, _in_order(result))


def _nanopub_sign():
    try:
        import nanopub_sign
    except ImportError:
        raise InputError(
            "signing nanopublications needs the nanopub-sign package: pip install 'imid-onto[sign]'"
        ) from None
    return nanopub_sign


def read_signing_key(path: Path | str) -> str:
    """The RSA private key in ``path`` (base64 PKCS#8 as ``~/.nanopub/id_rsa`` holds it, or
    PEM), for :func:`nanopublications`. Read before anything is built: an InputError naming
    the file where it cannot be read or is not such a key, or where nanopub-sign is missing."""
    nanopub_sign = _nanopub_sign()
    path = Path(path)
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read the signing key: {getattr(err, 'strerror', None) or err}") from None
    body = "".join(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("-----"))
    try:
        nanopub_sign.NpProfile(body)
    except Exception:  # noqa: BLE001 - nanopub-sign raises a bare Exception for a key it cannot read
        raise InputError(f"{path}: not an RSA private key (expected base64 PKCS#8, as ~/.nanopub/id_rsa)") from None
    return body


def nanopublications(knowledge_base: Graph, *, key: str | None = None) -> list[Quad]:
    """The quads of one nanopublication per claim of ``knowledge_base``, each with its Trusty
    URI (:func:`nanopublication`; signed with ``key`` if given). The same knowledge base
    gives the same quads in every run."""
    quads: list[Quad] = []
    for claim in sorted(read_claims(knowledge_base), key=lambda c: str(c.iri)):
        quads += nanopublication(knowledge_base, claim, key=key).quads
    return quads
