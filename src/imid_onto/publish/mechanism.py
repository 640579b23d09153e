"""``mechanism.svg`` / ``.png``: the mechanism of action as a diagram, drawn from the claims.

Drug -> CRBN and the CRL4-CRBN complex -> the neosubstrates whose degradation the drugs (or
the drug-bound receptors: each drawn with its drug and its receptor) induce -> the effects
causally downstream of their loss (degradation, or a decrease of their level), over any
number of steps. Every edge is drawn from
claims (negated ones, "independent" ones and questions, which state no link, are left out)
and styled by the best status among them: established finding solid, hypothesis dashed,
open question dotted, interpretation dashed purple, historical proposal dotted grey,
superseded dashed grey. Graphviz's ``dot`` lays it out, through the ``graphviz`` package; without ``dot`` the
diagram is skipped with the reason (MechanismUnavailable).
"""

from __future__ import annotations

from collections import deque

from rdflib import Graph, URIRef
from rdflib.term import Node

from imid_onto.errors import MechanismUnavailable
from imid_onto.model.claims import CAUSAL_RELATIONS, STATUS_ORDER, read_claims
from imid_onto.model.claims import label as label_of
from imid_onto.vocab import IMID, OBO, RDF, curie

__all__ = ["MechanismUnavailable", "mechanism_edges", "mechanism_dot", "render_mechanism", "STATUS_STYLE"]

_CAUSAL = {relation: {0: "", 1: "+", -1: "−"}[sign] for relation, sign in CAUSAL_RELATIONS.items()}
_CORE = {
    IMID.binds: "binds",
    IMID.inducesDegradationOf: "induces degradation of",
    IMID.isSubstrateReceptorOf: "substrate receptor of",
    OBO.BFO_0000050: "part of",
}

#: The events in which a neosubstrate is lost (as downstream-effects starts from them), and
#: the word on the edge from the protein to each.
_LOSS = {IMID.ProteasomalDegradation: "degraded", IMID.ExpressionDecrease: "decreased"}

#: Status -> Graphviz edge attributes (and the legend's words).
STATUS_STYLE: dict[URIRef, dict[str, str]] = {
    IMID.EstablishedFinding: {"style": "solid", "color": "black", "fontcolor": "black"},
    IMID.Hypothesis: {"style": "dashed", "color": "#1f5fbf", "fontcolor": "#1f5fbf"},
    IMID.OpenQuestion: {"style": "dotted", "color": "#b35900", "fontcolor": "#b35900"},
    IMID.Interpretation: {"style": "dashed", "color": "#7a3d99", "fontcolor": "#7a3d99"},
    IMID.HistoricalProposal: {"style": "dotted", "color": "#999999", "fontcolor": "#999999"},
    IMID.Superseded: {"style": "dashed", "color": "#999999", "fontcolor": "#999999"},
}


def _claimed_edges(graph: Graph) -> dict[tuple, URIRef]:
    """(subject, relation, object) -> the best status of the claims that say it (not negated,
    not qualified "independent": the object happens without the subject)."""
    best: dict[tuple, URIRef] = {}
    for claim in read_claims(graph):
        if claim.negated or claim.independent or claim.is_question or claim.status not in STATUS_ORDER:
            continue
        key, status = claim.edge, claim.status
        assert isinstance(status, URIRef)  # a status of STATUS_ORDER
        if key not in best or STATUS_ORDER.index(status) < STATUS_ORDER.index(best[key]):
            best[key] = status
    return best


def mechanism_edges(graph: Graph) -> list[tuple[Node, str, Node, URIRef | None]]:
    """The diagram's edges: (from, label, to, status), status None for a structural link
    (a protein to its degradation event). Sorted."""
    claimed = _claimed_edges(graph)
    edges: set[tuple[Node, str, Node, URIRef | None]] = {
        (s, _CORE[p], o, status) for (s, p, o), status in claimed.items() if p in _CORE
    }
    degraded = {o for (s, p, o) in claimed if p == IMID.inducesDegradationOf}
    for bound in sorted({s for (s, p, o) in claimed if p == IMID.inducesDegradationOf}, key=str):
        # a drug-bound receptor: its drug and the receptor it is the bound form of
        edges |= {(drug, "bound in", bound, None) for drug in graph.objects(bound, IMID.hasBoundDrug)}
        edges |= {(receptor, "drug-bound form", bound, None) for receptor in graph.objects(bound, IMID.isBoundFormOf)}
    by_source: dict = {}
    for (s, p, o), status in claimed.items():
        if p in _CAUSAL:
            by_source.setdefault(s, []).append((p, o, status))
    starts = []
    for protein in sorted(degraded, key=str):
        for event in sorted(graph.subjects(IMID.hasInput, protein), key=str):
            for kind, word in _LOSS.items():  # the protein's loss: degraded, or its level decreased
                if (event, RDF.type, kind) in graph and event in by_source:
                    edges.add((protein, word, event, None))
                    starts.append(event)
    seen, queue = set(starts), deque(starts)
    while queue:  # everything causally downstream of the losses
        node = queue.popleft()
        for p, o, status in by_source.get(node, []):
            edges.add((node, _CAUSAL[p], o, status))
            if o not in seen:
                seen.add(o)
                queue.append(o)
    return sorted(edges, key=lambda e: tuple(str(x) for x in e))


def mechanism_dot(graph: Graph):
    """The diagram as a ``graphviz.Digraph`` (its ``.source`` is the DOT text)."""
    import graphviz

    dot = graphviz.Digraph(
        "mechanism",
        graph_attr={
            "rankdir": "LR",
            "fontname": "Helvetica",
            "fontsize": "11",
            "label": "imid-onto: mechanism of action, from the claims",
            "labelloc": "t",
        },
        node_attr={"shape": "box", "style": "rounded", "fontname": "Helvetica", "fontsize": "10"},
        edge_attr={"fontname": "Helvetica", "fontsize": "9"},
    )
    edges = mechanism_edges(graph)
    nodes = sorted({n for e in edges for n in (e[0], e[2])}, key=str)
    ids = {node: f"n{i}" for i, node in enumerate(nodes)}  # DOT ids: a CURIE's colon would name a port
    for node in nodes:
        dot.node(ids[node], label_of(graph, node), tooltip=curie(node))
    for source, label, target, status in edges:
        attrs = (
            dict(STATUS_STYLE[status])
            if status is not None
            else {"style": "solid", "color": "#777777", "arrowhead": "none"}
        )
        dot.edge(ids[source], ids[target], label=label, **attrs)
    with dot.subgraph(name="cluster_legend", graph_attr={"label": "status of the claims", "fontsize": "10"}) as legend:
        for i, (status, attrs) in enumerate(STATUS_STYLE.items()):
            legend.node(f"legend{i}a", "", shape="point", width="0.05")
            legend.node(f"legend{i}b", "", shape="point", width="0.05")
            legend.edge(f"legend{i}a", f"legend{i}b", label=label_of(graph, status), **attrs)
    return dot


def render_mechanism(graph: Graph) -> tuple[bytes, bytes]:
    """The diagram as (SVG, PNG) bytes. Raises MechanismUnavailable without Graphviz's dot."""
    import graphviz

    dot = mechanism_dot(graph)
    try:
        return dot.pipe(format="svg"), dot.pipe(format="png")
    except graphviz.ExecutableNotFound:
        raise MechanismUnavailable("Graphviz's dot is not on PATH (Debian: apt-get install graphviz)") from None
