"""The claims as a network: GraphML and CX2 (Cytoscape, NDEx).

A node per entity a claim links; an edge per claim (parallel edges where several claims
say the same thing), carrying what the claim is: its IRI, relation, whether it is causal
and its sign, its status, negation, qualifiers, evidence type, studies (and their PMIDs),
the document that reported it, its quote and its context. Every status is carried,
marked on its edge (``status``, ``hypothesis``: not an established finding, ``negated``),
never shown as a finding; a question (no triple) and an ``independent`` claim (not a
causal edge) are left out (docs/design/exports.md).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib.term import Node

from imid_onto.model.claims import STANDING_STATUS, Claim
from imid_onto.publish.exports.base import (
    Export,
    Source,
    Tally,
    evidence_curie,
    local_name,
    marks,
    no_edge_reason,
    qualifier_names,
    sign,
)
from imid_onto.vocab import IMID, RDF, curie

__all__ = ["export_graphml", "export_cx2", "NODE_ATTRIBUTES", "EDGE_ATTRIBUTES", "network"]

#: Node attribute -> its type (GraphML's attr.type; CX2's by _CX2_TYPES).
NODE_ATTRIBUTES: dict[str, str] = {
    "name": "string",
    "iri": "string",
    "curie": "string",
    "kind": "string",
    "xrefs": "list",
}
#: Edge attribute -> its type.
EDGE_ATTRIBUTES: dict[str, str] = {
    "claim": "string",
    "interaction": "string",
    "relation": "string",
    "causal": "boolean",
    "sign": "int",
    "status": "string",
    "hypothesis": "boolean",
    "negated": "boolean",
    "qualifiers": "list",
    "evidence": "string",
    "studies": "list",
    "pmids": "list",
    "reported_in": "string",
    "quote": "string",
    "context": "list",
    "replaced_by": "list",
    "contested_by": "list",
    "contradicts": "list",
    "contrasts_with": "list",
}


@dataclass(frozen=True)
class Network:
    """Nodes (IRI -> attributes) and edges (source IRI, target IRI, attributes), in order."""

    nodes: dict[str, dict[str, Any]]
    edges: list[tuple[str, str, dict[str, Any]]]


def _kind(source: Source, node: Node) -> str:
    """The entity's most specific imid class (the least by name where it has several)."""
    direct = sorted(local_name(c) for c in source.graph.objects(node, RDF.type) if str(c).startswith(str(IMID)))
    return direct[0] if direct else ""


def _node(source: Source, node: Node) -> dict[str, Any]:
    term = source.term(node)
    return {
        "name": term.label,
        "iri": str(node),
        "curie": term.curie,
        "kind": _kind(source, node),
        "xrefs": list(term.xrefs),
    }


def _edge(source: Source, claim: Claim) -> dict[str, Any]:
    signed = sign(claim)
    quoted = source.quoted(claim)
    reported = source.reported_in(claim)
    studies = source.studies(claim)
    relation = source.term(claim.relation) if claim.relation is not None else None
    return {
        "claim": str(claim.iri),
        "interaction": relation.label if relation else "",
        "relation": curie(claim.relation),
        "causal": signed is not None,
        "sign": signed or 0,
        "status": local_name(claim.status),
        "hypothesis": claim.status != STANDING_STATUS,
        "negated": claim.negated,
        "qualifiers": list(qualifier_names(claim)),
        "evidence": evidence_curie(claim),
        "studies": [curie(d.node) for d in studies],
        "pmids": [d.pmid for d in studies if d.pmid],
        "reported_in": curie(reported.node) if reported else "",
        "quote": quoted.text if quoted else "",
        "context": [f"{local_name(p)}={curie(v)}" for p, v in claim.context],
        "replaced_by": [curie(r) for r in claim.replaced_by],
        "contested_by": [curie(r) for r in claim.contested_by],
        "contradicts": [curie(r) for r in claim.contradicts],
        "contrasts_with": [curie(r) for r in claim.contrasts_with],
    }


def network(source: Source, tally: Tally) -> Network:
    """The claims' network (tally records what was carried, marked and left out)."""
    nodes: dict[str, dict[str, Any]] = {}
    edges = []
    for claim in source.claims:
        if reason := no_edge_reason(claim):
            tally.leave_out(claim, reason)
            continue
        assert claim.subject is not None and claim.object is not None
        for node in (claim.subject, claim.object):
            nodes.setdefault(str(node), _node(source, node))
        edges.append((str(claim.subject), str(claim.object), _edge(source, claim)))
        tally.carry(marks(claim))
    return Network(dict(sorted(nodes.items())), edges)


# --- GraphML ---------------------------------------------------------------------------

_GRAPHML_TYPES = {"string": "string", "list": "string", "boolean": "boolean", "int": "int"}


#: Characters XML 1.0 does not allow (C0 controls but tab, line feed, carriage return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _graphml_value(value: Any) -> str:
    """The value as GraphML text: booleans as XML Schema's, lists ``; ``-joined, and a
    character XML cannot hold as U+FFFD (the quotes are normalized text: none is expected)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return _NOT_XML.sub("\ufffd", "; ".join(str(v) for v in value))
    return _NOT_XML.sub("\ufffd", str(value))


def export_graphml(source: Source) -> Export:
    """The claims' network as GraphML (lists as ``; ``-separated strings)."""
    tally = Tally()
    net = network(source, tally)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
        ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    for scope, attributes in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
        for name, kind in attributes.items():
            lines.append(
                f'  <key id="{scope}_{name}" for="{scope}" attr.name="{name}" attr.type="{_GRAPHML_TYPES[kind]}"/>'
            )
    lines.append('  <graph id="imid-onto" edgedefault="directed">')
    for iri, attributes in net.nodes.items():
        lines.append(f"    <node id={quoteattr(iri)}>")
        lines += [f'      <data key="node_{k}">{escape(_graphml_value(v))}</data>' for k, v in attributes.items()]
        lines.append("    </node>")
    for subject, obj, attributes in net.edges:
        lines.append(
            f"    <edge id={quoteattr(curie(attributes['claim']))} source={quoteattr(subject)} target={quoteattr(obj)}>"
        )
        lines += [f'      <data key="edge_{k}">{escape(_graphml_value(v))}</data>' for k, v in attributes.items()]
        lines.append("    </edge>")
    lines += ["  </graph>", "</graphml>"]
    return tally.export("graphml", "\n".join(lines) + "\n")


# --- CX2 -------------------------------------------------------------------------------

_CX2_TYPES = {"string": "string", "list": "list_of_string", "boolean": "boolean", "int": "integer"}


def export_cx2(source: Source) -> Export:
    """The claims' network as CX2 (the JSON NDEx and Cytoscape exchange)."""
    from imid_onto import __version__

    tally = Tally()
    net = network(source, tally)
    ids = {iri: n for n, iri in enumerate(net.nodes)}
    nodes = [{"id": ids[iri], "v": attributes} for iri, attributes in net.nodes.items()]
    edges = [
        {"id": n, "s": ids[subject], "t": ids[obj], "v": attributes}
        for n, (subject, obj, attributes) in enumerate(net.edges)
    ]
    network_attributes = {
        "name": "imid-onto claims",
        "description": "The claims of the imid-onto knowledge base (molecular glue drugs, cereblon and its "
        "neosubstrates): one edge per claim, with its status, sign, studies and quote. An edge whose "
        "status is not EstablishedFinding, or that is negated, is not a finding.",
        "version": __version__,
        "rights": "CC BY 4.0",
    }
    declarations = {
        "networkAttributes": {k: {"d": "string"} for k in network_attributes},
        "nodes": {k: {"d": _CX2_TYPES[t]} for k, t in NODE_ATTRIBUTES.items()},
        "edges": {k: {"d": _CX2_TYPES[t]} for k, t in EDGE_ATTRIBUTES.items()},
    }
    aspects = [
        {"CXVersion": "2.0", "hasFragments": False},
        {
            "metaData": [
                {"name": "attributeDeclarations", "elementCount": 1},
                {"name": "networkAttributes", "elementCount": 1},
                {"name": "nodes", "elementCount": len(nodes)},
                {"name": "edges", "elementCount": len(edges)},
            ]
        },
        {"attributeDeclarations": [declarations]},
        {"networkAttributes": [network_attributes]},
        {"nodes": nodes},
        {"edges": edges},
        {"status": [{"error": "", "success": True}]},
    ]
    return tally.export("cx2", json.dumps(aspects, indent=1, ensure_ascii=False) + "\n")
