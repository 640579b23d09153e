"""The knowledge base from Python without SPARQL: the claims as a pandas DataFrame
(:func:`claims_frame`), a named query's answer as one (:func:`query_frame`), and the network
of claims as a networkx MultiDiGraph (:func:`causal_graph`).

Each is a view of what is already written once (the one claim reader, :func:`run_query`
with its parameters bound as RDF terms, the network the GraphML and CX2 exports write), its
terms as CURIEs; pandas and networkx are an optional extra (``pip install
'imid-onto[frames]'``), and without them each function says what to install. The columns
and the graph: ``docs/design/frames.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from imid_onto.errors import InputError
from imid_onto.model.claims import QUALIFIERS, STATUSES, Claim, label, read_claims
from imid_onto.publish.exports.base import Source, Tally, local_name, sign
from imid_onto.vocab import curie, expand

if TYPE_CHECKING:
    import networkx
    import pandas

__all__ = ["CLAIM_COLUMNS", "claims_frame", "query_frame", "causal_graph"]

#: The columns of :func:`claims_frame`, with their pandas dtypes ("object": a tuple of
#: strings, empty where the claim has none).
CLAIM_COLUMNS: dict[str, str] = {
    "claim": "string",  # the claim's CURIE, claim:KG-50
    "subject": "string",  # CURIE; <NA> for a question (it states no triple)
    "subject_label": "string",
    "relation": "string",
    "relation_label": "string",
    "object": "string",
    "object_label": "string",
    "status": "category",  # finding, hypothesis, open-question, interpretation, historical-proposal, superseded
    "negated": "boolean",
    "question": "boolean",  # an imid:Question: asks, about
    "asks": "string",  # the kind of question, imid:MechanismQuestion ...
    "about": "object",  # what a question asks about: claims and entities
    "qualifiers": "object",  # necessary, sufficient, dependent, independent, protein-level ...
    "sign": "Int8",  # of a causal relation: 1 positive, -1 negative, 0 unsaid; <NA> for another relation
    "stands": "boolean",  # an established finding, not negated: its plain edge is asserted
    "followed": "boolean",  # a step the causal walks follow
    "evidence": "string",  # the ECO class
    "studies": "object",  # who produced the evidence (prov:wasDerivedFrom)
    "reported_in": "string",  # the document that reports it (imid:reportedIn)
    "source": "string",  # the document its quote is from
    "quote": "string",  # the quote, verbatim
    "context": "object",  # (key, CURIE) pairs, key as a claims file writes it: cellLine, disease ...
    "replaced_by": "object",
    "contested_by": "object",
    "contradicts": "object",
    "contrasts_with": "object",
    "curated_by": "object",
    "curated_on": "datetime64[ns, UTC]",  # prov:generatedAtTime
}

_STATUS_NAMES: dict[Node, str] = {iri: name for name, iri in STATUSES.items()}
_QUALIFIER_NAMES: dict[Node, str] = {iri: name for name, iri in QUALIFIERS.items()}


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise InputError("this needs pandas: pip install 'imid-onto[frames]'") from None
    return pandas


def _networkx() -> Any:
    try:
        import networkx
    except ImportError:
        raise InputError("this needs networkx: pip install 'imid-onto[frames]'") from None
    return networkx


def _term(node: Node | None) -> str | None:
    """A term as the frames show it: a CURIE (an IRI outside the prefixes whole), a blank
    node as ``_:label``, a literal's lexical form; None stays None."""
    if node is None:
        return None
    if isinstance(node, BNode):
        return f"_:{node}"
    return curie(node)


def _terms(nodes: Iterable[Node]) -> tuple[str, ...]:
    return tuple(str(_term(n)) for n in nodes)


def _claim_row(graph: Graph, claim: Claim, names: dict[Node, str], contexts: dict[Node, str]) -> dict[str, Any]:
    def name(node: Node | None) -> str | None:
        if node is None:
            return None
        if node not in names:
            names[node] = label(graph, node)
        return names[node]

    quote = claim.quote
    return {
        "claim": _term(claim.iri),
        "subject": _term(claim.subject),
        "subject_label": name(claim.subject),
        "relation": _term(claim.relation),
        "relation_label": name(claim.relation),
        "object": _term(claim.object),
        "object_label": name(claim.object),
        "status": _STATUS_NAMES.get(claim.status, _term(claim.status)) if claim.status is not None else None,
        "negated": claim.negated,
        "question": claim.is_question,
        "asks": _term(claim.asks),
        "about": _terms(claim.about),
        "qualifiers": tuple(_QUALIFIER_NAMES.get(q, str(_term(q))) for q in claim.qualifiers),
        "sign": sign(claim),
        "stands": claim.stands,
        "followed": claim.followed,
        "evidence": _term(claim.evidence),
        "studies": _terms(claim.studies),
        "reported_in": _term(claim.reported_in),
        "source": _term(quote.source) if quote is not None else None,
        "quote": quote.exact if quote is not None else None,
        "context": tuple((contexts.get(p, str(_term(p))), str(_term(v))) for p, v in claim.context),
        "replaced_by": _terms(claim.replaced_by),
        "contested_by": _terms(claim.contested_by),
        "contradicts": _terms(claim.contradicts),
        "contrasts_with": _terms(claim.contrasts_with),
        "curated_by": _terms(claim.provenance.attributed_to),
        "curated_on": str(claim.provenance.generated_at[0]) if claim.provenance.generated_at else None,
    }


def claims_frame(graph: Graph | None = None) -> pandas.DataFrame:
    """Every claim of ``graph`` (default: the knowledge base, as :func:`load_knowledge_base`
    reads it) as a pandas DataFrame, one row per claim in the reader's order (by IRI), with
    the columns and dtypes of :data:`CLAIM_COLUMNS`: terms as CURIEs with their labels, the
    status as an ordered category (strongest first), what is multiple as tuples."""
    pd = _pandas()
    from imid_onto.io.records import CONTEXTS

    if graph is None:
        from imid_onto.model.kb import load_knowledge_base

        graph = load_knowledge_base()
    names: dict[Node, str] = {}
    contexts: dict[Node, str] = {iri: key for key, iri in CONTEXTS.items()}
    rows = [_claim_row(graph, claim, names, contexts) for claim in read_claims(graph)]
    found = [row["status"] for row in rows if row["status"] is not None and row["status"] not in STATUSES]
    statuses = pd.CategoricalDtype([*STATUSES, *sorted(set(found))], ordered=True)
    columns = {}
    for column, dtype in CLAIM_COLUMNS.items():
        values = [row[column] for row in rows]
        if dtype == "object":
            columns[column] = pd.Series(values, dtype="object")
        elif dtype.startswith("datetime64"):
            columns[column] = pd.Series(pd.to_datetime(values, utc=True, format="ISO8601"), dtype=dtype)
        else:
            columns[column] = pd.Series(values, dtype=statuses if dtype == "category" else dtype)
    return pd.DataFrame(columns)


def _value(term: Node | None) -> Any:
    """A query's term as a DataFrame cell: an IRI as its CURIE, a blank node as ``_:label``, a
    literal as its Python value where it has one (numbers, booleans), else its lexical form."""
    if term is None or not isinstance(term, Literal):
        return _term(term)
    value = term.toPython()
    if isinstance(value, bool | int | float | Decimal):
        return value
    return str(term)


def _dtype(values: list[Any]) -> str:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "Int64"
    if present and all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in present):
        return "Float64"
    return "string"


def query_frame(name: str, /, **params: str | Iterable[str]) -> pandas.DataFrame:
    """The answer of the named query ``name`` (see ``imid-onto query --list``) over the
    knowledge base, as a pandas DataFrame with the query's columns: IRIs as CURIEs, numbers
    and booleans as such (Int64, Float64, boolean), other literals as strings, <NA> where
    unbound. ``params`` are the query's parameters, each a value or several (an IRI, a CURIE
    or a label), resolved and bound as RDF terms exactly as ``imid-onto query NAME --param``
    binds them; the query's text is never changed. It runs over the persistent store that
    ``imid-onto query`` keeps (the reasoner runs once, the first time)."""
    pd = _pandas()
    from imid_onto.query import named_query, run_query, with_dataset

    query = named_query(name)
    values: dict[str, list[str]] = {}
    for key, given in params.items():
        query.param(key)  # unknown parameter: an InputError naming the query's parameters
        values[key] = [given] if isinstance(given, str) else [str(v) for v in given]
    table = with_dataset(lambda dataset: run_query(dataset, query, values), cache=True)
    columns = {}
    for i, column in enumerate(table.columns):
        cells = [_value(row[i]) for row in table.rows]
        dtype = _dtype(cells)
        if dtype == "string":
            cells = [None if v is None else str(v) for v in cells]
        columns[column] = pd.Series(cells, dtype=dtype)
    return pd.DataFrame(columns, columns=table.columns)


def _status_names(statuses: str | Iterable[str] | None) -> set[str] | None:
    """The statuses asked for by local name, as the edges' ``status`` attribute names them."""
    if statuses is None:
        return None
    wanted = set()
    for given in [statuses] if isinstance(statuses, str) else statuses:
        text = str(given)
        iri = STATUSES.get(text) or (expand(text) if ":" in text and "://" not in text else text)
        if iri is None or URIRef(iri) not in STATUSES.values():
            raise InputError(f"unknown status {text!r}: one of {', '.join(STATUSES)} (or their IRIs)")
        wanted.add(local_name(URIRef(iri)))
    return wanted


def causal_graph(
    statuses: str | Iterable[str] | None = None, *, causal_only: bool = False, graph: Graph | None = None
) -> networkx.MultiDiGraph:
    """The network of claims as a networkx MultiDiGraph: a node per entity a claim links
    (keyed by IRI), an edge per claim (keyed by the claim's IRI), with exactly the node and
    edge attributes the GraphML and CX2 exports write (``imid-onto export --format graphml``):
    on each edge the claim, its relation, ``causal`` and ``sign``, ``status`` and
    ``hypothesis``, ``negated``, ``qualifiers``, the evidence, ``studies`` and ``pmids``, the
    reporting document, the ``quote`` and the ``context``; lists as Python lists.

    ``statuses`` keeps only the claims of these statuses (names as ``imid-onto claims
    --status`` takes them: finding, hypothesis, open-question, interpretation,
    historical-proposal, superseded; or their IRIs); ``causal_only`` keeps only the causal
    relations (the steps the causal walks take, positive, negative or unsigned). Nodes left
    without an edge are dropped. Questions and claims qualified ``independent`` are never
    edges; the graph's ``left_out`` attribute names them with the reason. ``graph``: the
    knowledge base (default: as :func:`load_knowledge_base` reads it)."""
    nx = _networkx()
    wanted = _status_names(statuses)
    from imid_onto.publish.exports.network import network

    if graph is None:
        from imid_onto.model.kb import load_knowledge_base

        graph = load_knowledge_base()
    tally = Tally()
    net = network(Source(graph), tally)
    result = nx.MultiDiGraph(name="imid-onto claims", left_out=dict(tally.left))
    for iri, attributes in net.nodes.items():
        result.add_node(iri, **attributes)
    for subject, obj, attributes in net.edges:
        if wanted is not None and attributes["status"] not in wanted:
            continue
        if causal_only and not attributes["causal"]:
            continue
        result.add_edge(subject, obj, key=attributes["claim"], **attributes)
    result.remove_nodes_from([node for node in list(result.nodes) if result.degree(node) == 0])
    return result
