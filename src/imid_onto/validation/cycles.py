"""Causal cycles (``ims:CausalCycleShape``), checked natively for both SHACL engines: one query
for the causal steps the causal queries walk, then Tarjan's algorithm. See
``docs/design/causal-cycles.md``.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

import pyoxigraph as ox
from rdflib import URIRef

from imid_onto.model.claims import FOLLOWED_FILTER, causal_values
from imid_onto.vocab import IMS, RDF, SH, curie

# --- causal cycles, inside validation ------------------------------------------------------

CYCLE_SHAPE = IMS.CausalCycleShape
CYCLE_COMPONENT = IMS.CausalCycleComponent
#: The causal steps of the claims the causal walks follow (Claim.followed), and of plain edges.
_CLAIM_STEPS = f"""SELECT ?s ?o ?claim WHERE {{
    {causal_values("p")}
    ?claim <{RDF.predicate}> ?p ; <{RDF.subject}> ?s ; <{RDF.object}> ?o .
    {FOLLOWED_FILTER}
    FILTER (!sameTerm(?s, ?o) && !isLiteral(?s) && !isLiteral(?o))
}}"""
_PLAIN_STEPS = f"""SELECT DISTINCT ?s ?o WHERE {{
    {causal_values("p")}
    ?s ?p ?o .
    FILTER (!sameTerm(?s, ?o) && !isLiteral(?o))
}}"""


def causal_cycle_results(data, text):
    """The results of ``ims:CausalCycleShape`` over ``data`` (a pyoxigraph Store or an
    rdflib Graph, the two engines' data), in the engines' raw form: one per loop of the
    causal graph, on the claim of its first step (or on its first event, where that step
    is a plain edge without a claim), naming every event and claim of a shortest cycle.
    ``text(term) -> (name, kind)`` is the engine's own naming of a term (blank nodes by
    where they hang), so both engines give the same results."""
    claim_rows = [(row[0], row[1], row[2]) for row in data.query(_CLAIM_STEPS)]
    plain_rows = [(row[0], row[1], None) for row in data.query(_PLAIN_STEPS)]
    terms: dict[str, object] = {}
    named: dict = {}

    def name(term) -> str:
        if isinstance(term, ox.NamedNode):
            key = term.value
        elif isinstance(term, URIRef):
            key = str(term)
        else:  # a blank node: the engine names it by where it hangs
            if term not in named:
                named[term] = text(term)[0]
            key = named[term]
        terms.setdefault(key, term)
        return key

    steps: dict[tuple[str, str], set[str]] = defaultdict(set)  # (from, to) -> claims ("" for a plain edge)
    for s, o, claim in claim_rows + plain_rows:
        steps[(name(s), name(o))].add(name(claim) if claim is not None else "")
    graph: dict[str, list[str]] = defaultdict(list)
    for a, b in steps:
        graph[a].append(b)
    for children in graph.values():
        children.sort()
    results = []
    for component in _strongly_connected(graph):
        if len(component) < 2:
            continue
        cycle = _shortest_cycle(graph, min(component), component)
        witnesses = [min(steps[(a, b)], key=lambda c: (c == "", c)) for a, b in pairwise(cycle)]
        shown = [curie(c) if c else "a plain edge" for c in witnesses]
        extra = f"; {len(component)} events are in this loop" if len(component) > len(cycle) - 1 else ""
        through = ", ".join(shown[:-1]) + f" and {shown[-1]}"
        message = (
            f"{' -> '.join(curie(n) for n in cycle)} is a loop, through {through}{extra}: an event cannot "
            "be causally upstream of itself; one of these steps is reversed or wrong (a feedback loop "
            "needs an event for each turn)"
        )
        focus = terms[witnesses[0] or cycle[0]]
        results.append((text(focus), CYCLE_SHAPE, CYCLE_COMPONENT, SH.Violation, None, ("", ""), (message,)))
    return results


def _strongly_connected(graph: dict[str, list[str]]) -> list[set[str]]:
    """Tarjan's algorithm, without recursion."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[set[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(graph.get(root, ())))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, ()))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    found.append(component)
    return found


def _shortest_cycle(graph: dict[str, list[str]], start: str, within: set[str]) -> list[str]:
    """The shortest path from ``start`` back to itself inside ``within`` (breadth first):
    ``[start, ..., start]``."""
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in graph.get(node, ()):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), start]
                if child in within and child not in came_from:
                    came_from[child] = node
                    following.append(child)
        frontier = following
    raise AssertionError("no cycle in a strongly connected part")
