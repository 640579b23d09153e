"""OWL reasoning with HermiT, through owlready2.

The reasoner sees the ontology, the external terms, the entities and the plain edges of
standing claims, never the claim resources themselves: :func:`infer` gives it the
summary made by imid_onto.reasoning.reduce (falling back to OWL 2 RL, :func:`infer_rl`,
without Java), :func:`run_hermit` the input as it is; :func:`reason` is what
``imid-onto reason`` does, and :func:`provenance_graph` describes the result with PROV-O.
How HermiT is run (its temporary folder, its JVM, its failures, the kept result):
``docs/design/reasoning.md``.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.collection import Collection

from imid_onto import __version__
from imid_onto.errors import InputError, ReasonerUnavailable
from imid_onto.io.leftovers import die_with_parent, owned_prefix, remove_dead
from imid_onto.io.rdf import new_graph, ntriples_bytes, to_graph, to_store
from imid_onto.model.kb import open_store, sources
from imid_onto.reasoning.reduce import summarize, without_claims
from imid_onto.vocab import IMID, OWL, RDF, RDFS, curie

__all__ = [
    "Inference",
    "reason",
    "reasoner_input",
    "infer_store",
    "run_hermit",
    "infer",
    "infer_rl",
    "provenance_graph",
    "write_inferred",
    "java_available",
    "inconsistency_causes",
    "disjointness_clashes",
    "INFERRED_GRAPH",
    "RL_LOSS",
]

#: The IRI of the graph of inferred triples.
INFERRED_GRAPH = URIRef("https://w3id.org/imid-onto/kb/inferred")


@dataclass
class Inference:
    """What a reasoner made of its input: whether it is consistent, the inferred triples (new
    class memberships and subclass axioms), which reasoner (and a ``warning`` when OWL 2 RL
    stood in for HermiT), the SHA-256 of its input, and for an inconsistent input the
    unsatisfiable classes and, from :func:`reason`, the ``causes`` in one line each."""

    inferred: Graph
    reasoner: str
    input_sha256: str
    consistent: bool
    warning: str = ""
    unsatisfiable: list[str] = field(default_factory=list)
    causes: list[str] = field(default_factory=list)


def reason(files: Iterable[Path] = ()) -> Inference:
    """What ``imid-onto reason`` does: classify the ontology and the shipped knowledge base
    with ``files`` beside it (:func:`infer_store`: HermiT, or OWL 2 RL with a warning where
    Java is missing); an inconsistent result names its causes (:func:`inconsistency_causes`)."""
    if not java_available():
        warnings.warn("no Java for HermiT; falling back to OWL 2 RL", stacklevel=2)
    store = open_store([*sources(), *files])
    result = infer_store(store)
    if not result.consistent:
        result.causes = inconsistency_causes(store, result)
    return result


def java_available() -> bool:
    return shutil.which("java") is not None


def reasoner_input(extra: list[Path] | None = None, *, files: list[Path] | None = None) -> Graph:
    """The ontology + external terms + ``files`` (default: the shipped entities, documents
    and claims) + ``extra``, with the plain edges of standing claims but without the claims,
    their quotes and selectors. :func:`infer` reduces it further (imid_onto.reasoning.reduce);
    :func:`run_hermit` gives it to HermiT as it is."""
    return to_graph(without_claims(open_store([*sources(files), *(extra or [])])))


def run_hermit(graph: Graph, *, keep: bool = False) -> Inference:
    """Run HermiT over ``graph`` as it is (no summary; :func:`infer` summarizes first).

    Raises ReasonerUnavailable when Java is missing. An inconsistent input is not an
    exception: the result says ``consistent=False`` and lists unsatisfiable classes.

    With ``keep``, the result is kept in the cache folder (imid_onto.io.cache) under the
    SHA-256 of the input's canonical N-Triples and the reasoner's version, and read back
    for the same input: editing claims leaves the reasoner's (claim-free, summarized) input
    as it was. Canonical blank-node labels take bounded time (rdfio.ntriples_bytes: RDFC-1.0
    where its search is small, else tree labels, else InputError). HermiT failing (a stack
    overflow on a large enumeration, say) is an InputError in one line.
    """
    if not java_available():
        raise ReasonerUnavailable(
            "HermiT needs Java, and no 'java' is on PATH: install a Java runtime "
            "(Debian: apt-get install default-jre-headless) and run again"
        )
    import owlready2  # heavy: imported only when reasoning

    data = ntriples_bytes(t for t in graph if t[1] != OWL.imports)  # never let owlready2 fetch anything
    digest = hashlib.sha256(data).hexdigest()
    reasoner = f"HermiT (bundled with owlready2 {getattr(owlready2, 'VERSION', 'unknown')})"
    kept = None
    if keep:
        from imid_onto.io.cache import kept_path

        kept = kept_path(
            "reasoner", "hermit-" + hashlib.sha256(f"imid-onto {__version__} {reasoner} {digest}".encode()).hexdigest()
        )
        if (result := _read_result(kept)) is not None:
            return result

    remove_dead(Path(tempfile.gettempdir()), "imid-reason-")  # the folders of runs that were killed
    with tempfile.TemporaryDirectory(prefix=owned_prefix("imid-reason-")) as tmp:
        infile = Path(tmp) / "input.nt"
        infile.write_bytes(data)
        world = owlready2.World()
        world.get_ontology(infile.as_uri()).load()
        saved_tempdir = tempfile.tempdir
        tempfile.tempdir = tmp  # owlready2's own temp files land here and are removed
        started = time.perf_counter()
        consistent = True
        try:
            with _java_dies_with_us():
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            consistent = False
        except owlready2.OwlReadyJavaError as err:  # its message is Java's whole stack trace
            raise InputError(f"HermiT failed on this input: {_java_failure(str(err))}") from None
        finally:
            tempfile.tempdir = saved_tempdir
        seconds = time.perf_counter() - started
        inferred = new_graph()
        unsatisfiable: list[str] = []
        if consistent:
            outfile = Path(tmp) / "inferred.nt"
            world.get_ontology("http://inferrences/").save(file=str(outfile), format="ntriples")
            for s, p, o in Graph().parse(outfile, format="nt"):
                if s == URIRef("http://inferrences"):
                    continue
                inferred.add((s, p, o))
            unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
        world.close()
    result = Inference(
        consistent=consistent, inferred=inferred, reasoner=reasoner, input_sha256=digest, unsatisfiable=unsatisfiable
    )
    if kept is not None:
        from imid_onto.io.cache import write_kept

        write_kept(
            kept,
            {
                "consistent": result.consistent,
                "reasoner": result.reasoner,
                "input_sha256": digest,
                "seconds": seconds,
                "unsatisfiable": unsatisfiable,
                "inferred": ntriples_bytes(inferred).decode("utf-8"),
            },
        )
    return result


@contextmanager
def _java_dies_with_us() -> Iterator[None]:
    """While in the block, the JVM that owlready2 starts (with ``subprocess``, passing its
    module's ``_subprocess_kargs``) is killed by the system if this process dies."""
    import owlready2.reasoning as owlready_reasoning

    arrange = die_with_parent()
    saved = getattr(owlready_reasoning, "_subprocess_kargs", None)
    if arrange is None or not isinstance(saved, dict):
        yield
        return
    owlready_reasoning._subprocess_kargs = {**saved, "preexec_fn": arrange}
    try:
        yield
    finally:
        owlready_reasoning._subprocess_kargs = saved


def _java_failure(message: str) -> str:
    """The Java exception in HermiT's output, in one line, with a hint for a stack overflow."""
    found = re.search(r"Exception in thread \S+ (\S+?)(?::|\s|$)", message)
    name = found.group(1) if found else (message.strip().splitlines() or ["unknown error"])[-1]
    if name.endswith("StackOverflowError"):
        name += (
            " (an enumeration or class expression too large or nested too deep for it; "
            "query --asserted-only leaves the reasoner out)"
        )
    return name


def _read_result(path: Path | None) -> Inference | None:
    """The kept result, or None where there is none or it is damaged (said in a warning;
    HermiT then runs again and replaces it)."""
    from imid_onto.io.cache import damaged, read_kept

    record = read_kept(path)
    if path is None or record is None:
        return None
    try:
        inferred = new_graph()
        inferred.parse(data=record["inferred"], format="nt")
        return Inference(
            inferred,
            str(record["reasoner"]),
            str(record["input_sha256"]),
            bool(record["consistent"]),
            unsatisfiable=[str(c) for c in record["unsatisfiable"]],
        )
    except Exception:  # noqa: BLE001 - whatever is wrong with it, it is not used
        damaged(path)
        return None


#: What OWL 2 RL misses here, said when it stands in for HermiT.
RL_LOSS = (
    "OWL 2 RL (owlrl) stands in for HermiT: its rules type individuals into the defined classes, "
    "but they do not classify classes (no new subclass axioms), miss what needs reasoning by cases "
    "or about unnamed individuals, and check consistency only as far as the rules go"
)


def _entailed_by_hierarchy(graph: Graph, triple) -> bool:
    """Is (s rdf:type C) already given by an asserted type and the asserted subclass closure?"""
    s, _, cls = triple
    for asserted in graph.objects(s, RDF.type):
        if asserted == cls or cls in graph.transitive_objects(asserted, RDFS.subClassOf):
            return True
    return False


def infer_rl(graph: Graph) -> Inference:
    """OWL 2 RL forward chaining (owlrl): the fallback when Java is missing."""
    import owlrl  # imported only when needed

    closure = new_graph()
    for triple in graph:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    inferred = new_graph()
    for s, p, o in closure:
        if (s, p, o) in graph or not isinstance(s, URIRef) or not isinstance(o, URIRef):
            continue
        if (
            p == RDF.type
            and str(o).startswith(str(IMID))
            and not _entailed_by_hierarchy(graph, (s, p, o))
            or (
                p == RDFS.subClassOf
                and s != o
                and str(s).startswith(str(IMID))
                and str(o).startswith(str(IMID))
                and o not in graph.transitive_objects(s, RDFS.subClassOf)
            )
        ):
            inferred.add((s, p, o))
    inconsistent = any(closure.subjects(RDF.type, OWL.Nothing))
    return Inference(
        inferred,
        f"owlrl {getattr(owlrl, '__version__', '')} (OWL 2 RL)".replace("  ", " "),
        hashlib.sha256(ntriples_bytes(graph)).hexdigest(),
        not inconsistent,
        RL_LOSS,
    )


def infer(graph: Graph) -> Inference:
    """HermiT where Java is present, else OWL 2 RL with a warning that says what is lost,
    over ``graph`` (a knowledge base, claims and all) reduced by imid_onto.reasoning.reduce."""
    return infer_store(to_store(graph))


def infer_store(store: ox.Store, *, keep: bool = False) -> Inference:
    """:func:`infer` over a store holding the knowledge base (claims may be in it: they are
    left out), without going through an rdflib Graph of all of it. ``keep``: see
    :func:`run_hermit`."""
    summary = summarize(store)
    if java_available():
        result = run_hermit(summary.graph, keep=keep)
        result.inferred = summary.expand(result.inferred)
        return result
    fallback = infer_rl(summary.graph)
    fallback.inferred = summary.expand(fallback.inferred)
    return fallback


def provenance_graph(inference: Inference, *, generated: str | None = None) -> Graph:
    """The inferred triples with a PROV-O description of how they were made: the reasoner
    (and its version), the SHA-256 of its input, and the time (``generated``, else
    SOURCE_DATE_EPOCH, else now)."""
    import datetime
    import os

    from rdflib import Literal

    from imid_onto.vocab import PROV, XSD

    graph = new_graph()
    for triple in inference.inferred:
        graph.add(triple)
    if generated is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        moment = (
            datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
            if epoch and epoch.isdigit()
            else datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        )
        generated = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    document = INFERRED_GRAPH
    activity = URIRef(f"{INFERRED_GRAPH}/reasoning")
    graph.add((document, RDF.type, PROV.Entity))
    graph.add((document, PROV.wasGeneratedBy, activity))
    graph.add((document, PROV.generatedAtTime, Literal(generated, datatype=XSD.dateTime, normalize=False)))
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add((activity, RDFS.label, Literal(f"classification by {inference.reasoner}")))
    graph.add((activity, PROV.used, URIRef(f"urn:sha256:{inference.input_sha256}")))
    if inference.warning:
        graph.add((activity, RDFS.comment, Literal(inference.warning)))
    return graph


def write_inferred(inference: Inference, path: Path) -> None:
    """Write the inferred triples with their provenance (:func:`provenance_graph`) to
    ``path`` as canonical Turtle, atomically."""
    from imid_onto.io.canonical import canonical_turtle
    from imid_onto.io.rdf import write_atomic

    write_atomic(path, canonical_turtle(provenance_graph(inference)).encode("utf-8"))


def inconsistency_causes(store: ox.Store, inference: Inference) -> list[str]:
    """What made the knowledge base in ``store`` inconsistent, one line each: the
    unsatisfiable classes ``inference`` names, then the individuals typed with two disjoint
    classes (:func:`disjointness_clashes`, over the reasoner's input without the claims)."""
    causes = [f"unsatisfiable class {curie(c)}" for c in inference.unsatisfiable]
    return causes + disjointness_clashes(to_graph(without_claims(store)))


def disjointness_clashes(graph: Graph) -> list[str]:
    """The individuals typed with two classes declared disjoint (directly or through their
    superclasses): the usual cause of an inconsistency, said in one line each."""
    pairs: set[frozenset] = set()
    for a, b in graph.subject_objects(OWL.disjointWith):
        pairs.add(frozenset((a, b)))
    for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        first = graph.value(axiom, OWL.members)
        members = list(Collection(graph, first)) if first is not None else []
        pairs |= {frozenset((x, y)) for i, x in enumerate(members) for y in members[i + 1 :]}
    found = []
    for individual in sorted(set(graph.subjects(RDF.type, OWL.NamedIndividual)), key=str):
        types = [t for t in graph.objects(individual, RDF.type) if t != OWL.NamedIndividual]
        closure = {t: {t, *graph.transitive_objects(t, RDFS.subClassOf)} for t in types}
        for i, x in enumerate(sorted(types, key=str)):
            for y in sorted(types, key=str)[i + 1 :]:
                if any(frozenset((a, b)) in pairs for a in closure[x] for b in closure[y]):
                    found.append(f"{individual} is both {x} and {y}, which are disjoint")
    return found
