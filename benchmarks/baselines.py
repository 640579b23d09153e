"""The work the benchmark times in a process of its own, imid-onto's way and the plain way.

    python -m benchmarks.baselines STAGE FILE [IRI]

Each stage prints one line (what it found), so that the runner can check that the ways
agree. Stages:

- query-rdflib: rdflib parses FILE, derives the plain edges and runs the downstream-effects
  SPARQL with ?protein bound to IRI (rdflib in-memory SPARQL, no reasoning);
- query-pyoxigraph: the same with pyoxigraph's in-memory store used directly;
- reason: imid-onto's reasoning path: the knowledge base in a store, summarized
  (imid_onto.reasoning.reduce), HermiT, the inferred triples expanded;
- reason-hermit-all: HermiT through owlready2 on all of the reasoner input (everything but
  the claims: entities, the plain edges with the transitive causal relations), not summarized.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _downstream_text() -> str:
    from imid_onto.query import named_query

    return named_query("downstream-effects").text


def query_rdflib(data: Path, iri: str) -> str:
    from rdflib import Graph, URIRef

    from imid_onto.model.kb import derive_plain_edges, sources

    graph = Graph()
    for path in sources([data]):
        graph.parse(path, format="turtle")
    derive_plain_edges(graph)
    rows = list(graph.query(_downstream_text(), initBindings={"protein": URIRef(iri)}))
    return f"{len({row[3] for row in rows})} nodes reached"  # ?to


def query_pyoxigraph(data: Path, iri: str) -> str:
    import pyoxigraph as ox

    from imid_onto.model.claims import STANDING_EDGE_PATTERN
    from imid_onto.model.kb import sources

    store = ox.Store()
    for path in sources([data]):  # pyoxigraph used directly (as imid_onto.model.kb.open_store does, without its checks)
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    store.update(f"INSERT {{ ?s ?p ?o }} WHERE {{ {STANDING_EDGE_PATTERN} }}")
    rows = list(store.query(_downstream_text(), substitutions={ox.Variable("protein"): ox.NamedNode(iri)}))
    return f"{len({row['to'] for row in rows})} nodes reached"


def reason(data: Path) -> str:
    from imid_onto.model.kb import open_store, sources
    from imid_onto.reasoning.infer import infer_store

    result = infer_store(open_store(sources([data])))
    return f"consistent={result.consistent} inferred={len(result.inferred)}"


def reason_hermit_all(data: Path) -> str:
    from imid_onto.reasoning.infer import reasoner_input
    from imid_onto.reasoning.infer import run_hermit as hermit

    result = hermit(reasoner_input(files=[data]))
    return f"consistent={result.consistent} inferred={len(result.inferred)}"


def main(argv: list[str]) -> None:
    stage, data, *rest = argv
    runs = {
        "query-rdflib": lambda: query_rdflib(Path(data), rest[0]),
        "query-pyoxigraph": lambda: query_pyoxigraph(Path(data), rest[0]),
        "reason": lambda: reason(Path(data)),
        "reason-hermit-all": lambda: reason_hermit_all(Path(data)),
    }
    print(runs[stage]())


if __name__ == "__main__":
    main(sys.argv[1:])
