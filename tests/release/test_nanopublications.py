"""The nanopublications' Trusty URIs, checked by an independent implementation: nanopub-sign
(the Python binding of nanopub-rs, the nanopublication tools' Rust library, from PyPI, in
the test extra; offline). Every nanopublication of the release is trusty; a one-word edit,
anywhere, is rejected; the codes depend on a nanopublication's own content only; signing
with a user's key is an option, and what it signs nanopub-sign verifies.

nanopub-sign prints a line on stdout for each nanopublication it finds valid (Rust's
println!), which pytest captures."""

from __future__ import annotations

import re
from collections import defaultdict

import nanopub_sign
import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef

import imid_onto
from imid_onto.io.rdf import trig_bytes
from imid_onto.model.claims import read_claims
from imid_onto.publish.nanopub import NANOPUB, nanopub_base, nanopublication, nanopublications, read_signing_key
from imid_onto.publish.trusty import PLACEHOLDER, artifact_code, is_artifact_code, normal_form, with_code
from imid_onto.vocab import CLAIM, IMID, NP, OA, RDF, XSD

from ..conftest import FIXTURES, imid, one_error_line

MODEL2 = FIXTURES / "exports" / "model2.ttl"


def split(trig: bytes) -> dict[str, str]:
    """The TriG of each nanopublication of ``trig`` (a release's imid-kb.trig), by its IRI."""
    by_nanopub: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in ox.parse(trig, format=ox.RdfFormat.TRIG):
        by_nanopub[quad.graph_name.value.rsplit("/", 1)[0]].append(quad)
    return {iri: ox.serialize(quads, format=ox.RdfFormat.TRIG).decode("utf-8") for iri, quads in by_nanopub.items()}


def accepted(text: str) -> bool:
    """Whether nanopub-sign finds the nanopublication valid: its Trusty URI (and its signature, if signed)."""
    try:
        nanopub_sign.Nanopub(text).check()
    except Exception as err:  # noqa: BLE001 - nanopub-sign raises a bare Exception
        assert "hash of the nanopublication is different" in str(err) or "signature" in str(err).lower(), err
        return False
    return True


@pytest.fixture(scope="module")
def kb():
    return imid_onto.load_knowledge_base()


@pytest.fixture(scope="module")
def shipped(kb) -> dict[str, str]:
    return split(trig_bytes(nanopublications(kb)))


def test_every_nanopublication_of_the_release_has_a_trusty_uri_nanopub_sign_accepts(release, kb):
    out, _ = release
    nanopubs = split((out / "imid-kb.trig").read_bytes())
    claims = read_claims(kb)
    assert len(nanopubs) == len(claims)
    assert sorted(iri.rsplit("/", 1)[0] for iri in nanopubs) == sorted(nanopub_base(c.iri)[:-1] for c in claims)
    for iri, text in nanopubs.items():
        assert is_artifact_code(iri.rsplit("/", 1)[1]), iri
        assert accepted(text), iri


def test_a_one_word_edit_is_rejected(shipped):
    [(iri, text)] = [(iri, text) for iri, text in shipped.items() if iri.startswith(f"{NANOPUB}KG-50/")]
    assert accepted(text)
    for word, other in (
        ("selectively", "strongly"),  # the quote (provenance)
        ("ontology#EstablishedFinding", "ontology#Hypothesis"),  # the status (assertion)
        ("2026-11-21T00:00:00Z", "2026-11-22T00:00:00Z"),  # the date (pubinfo)
    ):
        assert text.count(word) >= 1, word
        edited = text.replace(word, other, 1)
        assert not accepted(edited), word


def test_a_triple_added_or_removed_is_rejected(shipped):
    iri, text = next((iri, text) for iri, text in shipped.items() if iri.startswith(f"{NANOPUB}KG-50/"))
    quads = list(ox.parse(text, format=ox.RdfFormat.TRIG))
    assertion = ox.NamedNode(f"{iri}/assertion")
    added = [
        *quads,
        ox.Quad(ox.NamedNode(str(CLAIM["KG-50"])), ox.NamedNode(str(IMID.isNegated)), ox.Literal(True), assertion),
    ]
    removed = [q for q in quads if q.predicate.value != str(OA.exact)]
    assert len(removed) == len(quads) - 1
    for changed in (added, removed):
        assert not accepted(ox.serialize(changed, format=ox.RdfFormat.TRIG).decode("utf-8"))


def test_the_code_is_the_same_in_every_run_and_depends_on_the_nanopublications_own_content(kb):
    claims = {str(c.iri).rsplit("/", 1)[-1]: c for c in read_claims(kb)}
    claim = claims["KG-50"]
    whole = nanopublication(kb, claim)
    assert nanopublication(kb, claim) == whole
    alone = Graph()  # the claim's own triples and blank nodes only, nothing else of the knowledge base
    pending: list = [claim.iri]
    while pending:
        node = pending.pop()
        for p, o in kb.predicate_objects(node):
            alone.add((node, p, o))
            if isinstance(o, BNode):
                pending.append(o)
    alone.add(claim.edge)  # type: ignore[arg-type]
    assert nanopublication(alone, read_claims(alone)[0]).iri == whole.iri


def test_the_normal_form_and_code_agree_with_nanopub_sign_on_every_kind_of_term():
    """Literals with a language, a datatype, a line feed, a backslash, quotes, non-ASCII and
    characters outside the BMP; IRIs with the placeholder inside; every graph."""
    np_ = URIRef(f"{NANOPUB}T-1/{PLACEHOLDER}")
    head, assertion, provenance, pubinfo = (
        URIRef(f"{np_}/{g}") for g in ("Head", "assertion", "provenance", "pubinfo")
    )
    ex = "https://w3id.org/imid-onto/test/"
    quads = [
        (np_, RDF.type, NP.Nanopublication, head),
        (np_, NP.hasAssertion, assertion, head),
        (np_, NP.hasProvenance, provenance, head),
        (np_, NP.hasPublicationInfo, pubinfo, head),
        (URIRef(ex + "a"), URIRef(ex + "p"), URIRef(ex + "b"), assertion),
        (URIRef(ex + "a"), URIRef(ex + "p"), Literal('two\nlines, a \\ and "quotes"'), assertion),
        (URIRef(ex + "a"), URIRef(ex + "p"), Literal("Céréblon 𝔸", lang="fr"), assertion),
        (URIRef(ex + "a"), URIRef(ex + "p"), Literal("Cereblon", lang="en"), assertion),
        (URIRef(ex + "a"), URIRef(ex + "p"), Literal("007", datatype=XSD.integer, normalize=False), assertion),
        (URIRef(f"{np_}/_1"), URIRef(ex + "q"), URIRef(f"{np_}/_2"), assertion),
        (assertion, URIRef(ex + "from"), URIRef(ex + "study"), provenance),
        (np_, URIRef(ex + "created"), Literal("2026-11-21T00:00:00Z", datatype=XSD.dateTime), pubinfo),
    ]
    code = artifact_code(quads)
    assert is_artifact_code(code)
    form = normal_form(quads)
    assert f"{NANOPUB}T-1/ \n" in form and f"{NANOPUB}T-1/ /assertion\n" in form  # the code stands as a space
    assert "@fr Céréblon 𝔸\n" in form and 'two\\nlines, a \\\\ and "quotes"' in form
    assert f"^{XSD.integer} 007\n" in form
    final = with_code(quads, code)
    assert accepted(trig_bytes(final).decode("utf-8"))
    assert not accepted(trig_bytes(with_code(quads, artifact_code(quads[:-1]))).decode("utf-8"))


def test_claim_model_2_nanopublications_are_trusty_a_question_asserts_no_edge():
    graph = imid_onto.load_knowledge_base([MODEL2])
    claims = {str(c.iri).rsplit("/", 1)[-1]: c for c in read_claims(graph)}
    for name in ("X-01", "X-04", "X-06", "X-07", "X-11"):
        nanopub = nanopublication(graph, claims[name])
        assert accepted(trig_bytes(nanopub.quads).decode("utf-8")), name
    question = nanopublication(graph, claims["X-06"])
    assertion = URIRef(f"{question.iri}/assertion")
    asserted = {(s, p, o) for s, p, o, g in question.quads if g == assertion}
    assert {s for s, _, _ in asserted} == {CLAIM["X-06"]}  # the question itself, no edge
    assert (CLAIM["X-06"], IMID.asks, IMID.MechanismQuestion) in asserted


# --- signing with a user's key (an option) -----------------------------------------------


@pytest.fixture(scope="module")
def key_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("key") / "id_rsa"
    path.write_text(nanopub_sign.KeyPair().private + "\n", encoding="ascii")
    return path


def test_signed_nanopublications_are_verified_by_nanopub_sign_and_reproducible(kb, key_file):
    key = read_signing_key(key_file)
    claims = {str(c.iri).rsplit("/", 1)[-1]: c for c in read_claims(kb)}
    for name in ("KG-50", "IB-70"):
        signed = nanopublication(kb, claims[name], key=key)
        text = trig_bytes(signed.quads).decode("utf-8")
        assert re.search(r"<http://purl.org/nanopub/x/hasSignature> \"[A-Za-z0-9+/=]{300,}\"", text)
        assert accepted(text), name
        assert nanopublication(kb, claims[name], key=key) == signed  # RSA PKCS#1 v1.5: the same bytes
        assert signed.iri != nanopublication(kb, claims[name]).iri  # the signature is part of the content
        assert str(signed.iri).startswith(nanopub_base(claims[name].iri)) and is_artifact_code(signed.code)
        assert not accepted(text.replace('"RSA"', '"DSA"', 1))


def test_a_key_that_is_not_one_is_refused_before_anything_is_built(tmp_path):
    bad = tmp_path / "not-a-key"
    bad.write_text("hello\n", encoding="ascii")
    out = tmp_path / "out"
    done = imid("build", "--out", str(out), "--no-reason", "--sign-key", str(bad))
    assert one_error_line(done, 2) == f"{bad}: not an RSA private key (expected base64 PKCS#8, as ~/.nanopub/id_rsa)"
    assert not out.exists()
    done = imid("build", "--out", str(out), "--no-reason", "--sign-key", str(tmp_path / "missing"))
    assert one_error_line(done, 2).startswith(f"{tmp_path / 'missing'}: cannot read the signing key: ")


@pytest.mark.slow
def test_a_signed_release_is_reproducible(tmp_path, key_file):
    first = imid("build", "--out", str(tmp_path / "a"), "--no-reason", "--sign-key", str(key_file))
    second = imid("build", "--out", str(tmp_path / "b"), "--no-reason", "--sign-key", str(key_file))
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "nanopublications (signed, with Trusty URIs)" in first.stdout
    trig = (tmp_path / "a" / "imid-kb.trig").read_bytes()
    assert trig == (tmp_path / "b" / "imid-kb.trig").read_bytes()
    nanopubs = split(trig)
    assert all(accepted(text) for text in nanopubs.values())
    assert all("hasSignature" in text for text in nanopubs.values())
