"""OWL reasoning with HermiT, through owlready2.

The reasoner sees the ontology, the external terms, the entities and the plain edges of
standing claims; never the claim resources themselves, so its cost does not grow with
the number of claims. owlready2 reads N-Triples, not Turtle: the input is written to a
private temporary folder (which also catches the files owlready2 leaves behind when
HermiT fails) and everything there is removed afterwards.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from . import paths
from .errors import ReasonerUnavailable
from .kb import standing_edges
from .namespaces import OWL
from .rdfio import new_graph, read_graphs

__all__ = ["ReasoningResult", "reasoner_input", "reason", "java_available"]


@dataclass
class ReasoningResult:
    consistent: bool
    inferred: Graph
    reasoner: str
    input_sha256: str
    seconds: float
    unsatisfiable: list[str] = field(default_factory=list)


def java_available() -> bool:
    return shutil.which("java") is not None


def reasoner_input(extra: list[Path] | None = None) -> Graph:
    """Ontology + external terms + entities + plain edges of standing claims."""
    graph = read_graphs([paths.ontology_file(), paths.external_terms_file(), *paths.entity_files(), *(extra or [])])
    for triple in standing_edges(read_graphs(paths.claim_files())):
        graph.add(triple)
    return graph


def reason(graph: Graph | None = None) -> ReasoningResult:
    """Run HermiT over ``graph`` (default: the shipped reasoner input).

    Raises ReasonerUnavailable when Java is missing. An inconsistent input is not an
    exception: the result says ``consistent=False`` and lists unsatisfiable classes.
    """
    if not java_available():
        raise ReasonerUnavailable(
            "HermiT needs Java, and no 'java' is on PATH: install a Java runtime "
            "(Debian: apt-get install default-jre-headless) and run again"
        )
    import owlready2  # heavy: imported only when reasoning

    graph = graph if graph is not None else reasoner_input()
    source = new_graph()
    for triple in graph:
        if triple[1] != OWL.imports:  # never let owlready2 fetch anything
            source.add(triple)
    ntriples = source.serialize(format="nt", encoding="utf-8")
    lines = sorted(line for line in ntriples.decode("utf-8").splitlines() if line.strip())
    data = ("\n".join(lines) + "\n").encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()

    with tempfile.TemporaryDirectory(prefix="imid-reason-") as tmp:
        infile = Path(tmp) / "input.nt"
        infile.write_bytes(data)
        world = owlready2.World()
        world.get_ontology(infile.as_uri()).load()
        saved_tempdir = tempfile.tempdir
        tempfile.tempdir = tmp  # owlready2's own temp files land here and are removed
        started = time.perf_counter()
        consistent = True
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            consistent = False
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
    version = getattr(owlready2, "VERSION", "unknown")
    return ReasoningResult(
        consistent=consistent,
        inferred=inferred,
        reasoner=f"HermiT (bundled with owlready2 {version})",
        input_sha256=digest,
        seconds=seconds,
        unsatisfiable=unsatisfiable,
    )
