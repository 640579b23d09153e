"""The causal walk of the ``paths`` queries: causal steps turned into one row per reached node
and status, with its shortest chain of claims of that status and its composed direction,
breadth-first, in a loop (docs/design/named-queries.md).
"""

from __future__ import annotations

from collections import defaultdict, deque
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from imid_onto.model.claims import CAUSAL_RELATIONS, NOT_FOLLOWED_STATUSES, STATUS_ORDER
from imid_onto.vocab import IMID, curie

if TYPE_CHECKING:
    pass
from imid_onto.query.dataset import Dataset, RemoteDataset
from imid_onto.query.named import NamedQuery
from imid_onto.query.results import Table, _sort_key

__all__ = ["walk", "WALKED_STATUSES", "BOUND_DRUG_STEP"]


#: The statuses of the claims a causal walk follows (Claim.followed: all but
#: NOT_FOLLOWED_STATUSES), in the order a node's rows are given; the query files keep the
#: same list. A row's steps all have one of them: a chain never mixes statuses.
WALKED_STATUSES: tuple[URIRef, ...] = tuple(s for s in STATUS_ORDER if s not in NOT_FOLLOWED_STATUSES)
#: Statuses whose claims stand alone: a chain holds one such claim and no other claim, so
#: the walk never joins two claims into a question that no text asks.
_ALONE = frozenset({IMID.Hypothesis, IMID.OpenQuestion})
#: The sign of each step: the causal relations', a degradation induced (the step to the
#: protein's degradation event), and a drug's step to its drug-bound receptor.
_SIGNS: dict[URIRef, int] = {
    **CAUSAL_RELATIONS,
    IMID.inducesDegradationOf: 1,
    IMID.hasBoundDrug: 1,
}
#: What the claims column shows for a step that no claim makes (a drug to its drug-bound receptor).
BOUND_DRUG_STEP = "(bound drug)"

#: A chain of more than this many steps is shown by its first and last _CHAIN_ENDS steps.
_FULL_CHAIN = 100
_CHAIN_ENDS = 10

#: A state of the walk: a node, whether the chain to it holds a claim yet, and the disease
#: context of the chain's claims (None while none of them names one).
_State = tuple[Node, bool, Node | None]


def walk(dataset: Dataset | RemoteDataset, query: NamedQuery, steps: Table) -> Table:
    """Turn the causal steps of a ``paths`` query into one row per reached node and status.

    The walk runs once per status of :data:`WALKED_STATUSES`, over the claims of that status
    and the steps no claim makes (a drug to its drug-bound receptor), so that every step of
    a row has the row's status; a hypothesis or an open question is never chained with
    another claim. A node's shortest chain is its predecessor's plus one step, so its number
    of steps and direction come from the predecessor's in constant time: no recursion, and
    the walk takes time in proportion to the steps. A chain of more than ``_FULL_CHAIN``
    steps is shown (path, claims, studies) by its first and last ``_CHAIN_ENDS`` steps with
    a count of the steps left out between them: written in full, n rows down one chain
    would hold n²/2 steps, and each step left out is in full in the row of the node it
    reaches. See docs/design/named-queries.md."""
    forward = query.paths == "forward"
    col = {n: i for i, n in enumerate(steps.columns)}
    # edges[status][a][b]: the rows of the claims of that status for the step a -> b (in the
    # walk's direction); status None: the steps no claim makes
    edges: dict[Any, dict[Any, dict[Any, list[tuple[Any, ...]]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    anchors: set[tuple] = set()
    for row in steps.rows:
        a, b = row[col["from"]], row[col["to"]]
        status = row[col["status"]] if row[col["claim"]] is not None else None
        if status is not None and status not in WALKED_STATUSES:
            continue
        if forward:
            edges[status][a][b].append(row)
            anchors.add((row[col["protein"]], row[col["start"]]))
        else:
            edges[status][b][a].append(row)
            anchors.add((row[col["effect"]], row[col["effect"]]))
    structural = edges[None]

    def step_texts(rows: list[tuple[Any, ...]], status: Node | None) -> tuple[str, str]:
        """A step's claims and studies: those of ``rows``, its claims that the chain takes."""
        if status is None:
            return (BOUND_DRUG_STEP, "")
        return (
            " ".join(sorted({curie(r[col["claim"]]) for r in rows})),
            " ".join(sorted({curie(r[col["study"]]) for r in rows if r[col["study"]]})),
        )

    def step_sign(rows: list[tuple[Any, ...]]) -> int:
        relations = {r[col["relation"]] for r in rows}
        return _SIGNS.get(next(iter(relations)), 0) if len(relations) == 1 else 0

    out: list[tuple[Any, ...]] = []
    for key, anchor in sorted(anchors, key=_sort_key):
        for status in WALKED_STATUSES:
            if not edges[status]:
                continue
            claimed = edges[status]
            alone = status in _ALONE
            # Breadth-first: the first time a state is reached is by a shortest chain.
            start: _State = (anchor, False, None)
            previous: dict[_State, _State] = {start: start}
            # per state: steps, sign, and the state _CHAIN_ENDS steps from the anchor on its chain
            state: dict[_State, tuple[int, int, _State | None]] = {start: (0, 1, None)}
            into: dict[_State, tuple[str, str]] = {}  # the claims and studies of the step that reaches a state
            queue = deque([start])
            while queue:
                here = queue.popleft()
                node, holds_claim, disease = here
                hops, sign, head_end = state[here]
                moves: list[tuple[Node, bool, Node | None, list[tuple[Any, ...]], Node | None]] = [
                    (nxt, holds_claim, None, rows, disease) for nxt, rows in structural[node].items()
                ]
                if not (alone and holds_claim):
                    for nxt, rows in claimed[node].items():
                        # a chain stays in one disease: a step is taken by its claims of the
                        # chain's disease or of none (IKZF1 loss -> p21 up in ALL does not
                        # chain into p21 up -> inhibition of CLL proliferation)
                        fits = [r for r in rows if disease is None or r[col["disease"]] in (None, disease)]
                        named = {r[col["disease"]] for r in fits} - {None}
                        if fits:
                            within = disease or (min(named) if len(named) == 1 else None)
                            moves.append((nxt, True, status, fits, within))
                for nxt, holds, by, rows, within in sorted(moves, key=lambda m: (str(m[0]), m[1], str(m[4]))):
                    there = (nxt, holds, within)
                    if there in previous:
                        continue
                    previous[there] = here
                    state[there] = (hops + 1, sign * step_sign(rows), there if hops + 1 == _CHAIN_ENDS else head_end)
                    into[there] = step_texts(rows, by)
                    queue.append(there)

            # each node by the state that reached it first (breadth-first: by a shortest chain)
            first: dict[Node, _State] = {}
            for s in previous:
                if s[1] and s[0] != anchor:
                    first.setdefault(s[0], s)
            for reached in sorted(first.values(), key=lambda s: str(s[0])):
                hops, sign, head_end = state[reached]
                if hops <= _FULL_CHAIN:
                    parts = [_back(previous, reached, hops)]
                else:
                    assert head_end is not None  # set on every chain longer than _CHAIN_ENDS
                    parts = [_back(previous, head_end, _CHAIN_ENDS), _back(previous, reached, _CHAIN_ENDS)]
                shown: list[tuple[str, str, str]] = []  # path, claims, studies of each part
                for part in parts:
                    labels = [dataset.label(n) for n, _, _ in part]  # remembered per dataset
                    reach = [into[s] for s in part[1:]]
                    if not forward:  # the output reads from cause to effect: against the walk
                        labels.reverse()
                        reach.reverse()
                    shown.append(
                        (" -> ".join(labels), " ; ".join(c for c, _ in reach), " ; ".join(s for _, s in reach))
                    )
                if not forward:
                    shown.reverse()
                left_out = hops - 2 * _CHAIN_ENDS  # steps between the two parts, when there are two
                path = f" -> ... ({left_out - 1} more) ... -> ".join(p for p, _, _ in shown)
                claims = f" ; ... ({left_out} more steps) ... ; ".join(c for _, c, _ in shown)
                studies = f" ; ... ({left_out} more steps) ... ; ".join(s for _, _, s in shown)
                direction = {1: "increase", -1: "decrease", 0: "unknown"}[sign]
                found = (Literal(hops), Literal(direction), status, Literal(path), Literal(claims), Literal(studies))
                out.append((key, anchor, reached[0], *found) if forward else (anchor, reached[0], *found))
    # (start, effect, status) or (effect, cause, status) is unique in a row: sorting by it sorts by the whole row
    width = 3 if forward else 2
    return Table(
        list(query.columns),
        sorted(out, key=lambda row: (_sort_key(row[:width]), WALKED_STATUSES.index(row[width + 2]))),
    )


def _back(previous: dict[_State, _State], node: _State, count: int) -> list[_State]:
    """``node`` and the ``count`` states before it on its chain (``previous``: each state's
    predecessor), in walking order."""
    nodes = [node]
    for _ in range(count):
        nodes.append(previous[nodes[-1]])
    nodes.reverse()
    return nodes
