"""The causal walk of the ``paths`` queries: causal steps turned into one row per reached node,
with its shortest chain, composed direction and weakest status, breadth-first, in a loop.
"""

from __future__ import annotations

from collections import defaultdict, deque
from typing import TYPE_CHECKING, Any

from rdflib import Literal
from rdflib.term import Node

from imid_onto.model.claims import CAUSAL_RELATIONS, STATUS_ORDER
from imid_onto.vocab import IMID, curie

if TYPE_CHECKING:
    pass
from imid_onto.query.dataset import Dataset, RemoteDataset
from imid_onto.query.named import NamedQuery
from imid_onto.query.results import Table, _sort_key

__all__ = ["walk"]


#: The statuses a chain can have, best first (the walk follows no superseded claim); a step
#: of any other status counts as an open question.
_CHAIN_STATUSES = tuple(status for status in STATUS_ORDER if status != IMID.Superseded)


def _rank(status: Node) -> int:
    return _CHAIN_STATUSES.index(status) if status in _CHAIN_STATUSES else _CHAIN_STATUSES.index(IMID.OpenQuestion)


#: A chain of more than this many steps is shown by its first and last _CHAIN_ENDS steps.
_FULL_CHAIN = 100
_CHAIN_ENDS = 10


def walk(dataset: Dataset | RemoteDataset, query: NamedQuery, steps: Table) -> Table:
    """Turn the causal steps of a ``paths`` query into one row per reached node.

    A node's shortest chain is its predecessor's plus one step, so its number of steps,
    direction and status come from the predecessor's in constant time: no recursion, and no
    walking every chain back to its start, so the walk takes time in proportion to the steps.
    A chain of more than ``_FULL_CHAIN`` steps is shown (path, claims, studies) by its first
    and last ``_CHAIN_ENDS`` steps with a count of the steps left out between them: written
    in full, n rows down one chain would hold n²/2 steps (a 100,000-step chain, hundreds of
    gigabytes), and each step left out is in full in the row of the node it reaches."""
    forward = query.paths == "forward"
    col = {n: i for i, n in enumerate(steps.columns)}
    edges: dict[Any, dict[Any, list[tuple[Any, ...]]]] = defaultdict(lambda: defaultdict(list))
    anchors: set[tuple] = set()
    for row in steps.rows:
        a, b = row[col["from"]], row[col["to"]]
        if forward:
            edges[a][b].append(row)
            anchors.add((row[col["protein"]], row[col["start"]]))
        else:
            edges[b][a].append(row)
            anchors.add((row[col["effect"]], row[col["effect"]]))
    texts: dict[tuple[Node, Node], tuple[str, str]] = {}  # a step's claims and studies

    def step_texts(a: Node, b: Node) -> tuple[str, str]:
        if (a, b) not in texts:
            rows = edges[a][b]
            texts[a, b] = (
                " ".join(sorted({curie(r[col["claim"]]) for r in rows})),
                " ".join(sorted({curie(r[col["study"]]) for r in rows if r[col["study"]]})),
            )
        return texts[a, b]

    out: list[tuple[Any, ...]] = []
    for key, anchor in sorted(anchors, key=_sort_key):
        # Breadth-first: the first time a node is reached is by a shortest chain.
        previous: dict[Node, Node] = {anchor: anchor}
        # per node: steps, sign, status rank, and the node _CHAIN_ENDS steps from the anchor on its chain
        state: dict[Node, tuple[int, int, int, Node | None]] = {anchor: (0, 1, 0, None)}
        into: dict[Node, tuple[str, str]] = {}  # the claims and studies of the step that reaches a node
        queue = deque([anchor])
        while queue:
            node = queue.popleft()
            hops, sign, rank, head_end = state[node]
            for nxt in sorted(edges[node], key=str):
                if nxt in previous:
                    continue
                rows = edges[node][nxt]
                relations = {r[col["relation"]] for r in rows}
                step_sign = CAUSAL_RELATIONS.get(min(relations, key=str), 0) if len(relations) == 1 else 0
                step_rank = min(_rank(r[col["status"]]) for r in rows)
                previous[nxt] = node
                state[nxt] = (
                    hops + 1,
                    sign * step_sign,
                    max(rank, step_rank),
                    nxt if hops + 1 == _CHAIN_ENDS else head_end,
                )
                into[nxt] = step_texts(node, nxt)
                queue.append(nxt)

        for reached in sorted(previous, key=str):
            if reached == anchor:
                continue
            hops, sign, rank, head_end = state[reached]
            if hops <= _FULL_CHAIN:
                parts = [_back(previous, reached, hops)]
            else:
                assert head_end is not None  # set on every chain longer than _CHAIN_ENDS
                parts = [_back(previous, head_end, _CHAIN_ENDS), _back(previous, reached, _CHAIN_ENDS)]
            shown: list[tuple[str, str, str]] = []  # path, claims, studies of each part
            for part in parts:
                labels = [dataset.label(n) for n in part]  # remembered per dataset
                reach = [into[n] for n in part[1:]]
                if not forward:  # the output reads from cause to effect: against the walk
                    labels.reverse()
                    reach.reverse()
                shown.append((" -> ".join(labels), " ; ".join(c for c, _ in reach), " ; ".join(s for _, s in reach)))
            if not forward:
                shown.reverse()
            left_out = hops - 2 * _CHAIN_ENDS  # steps between the two parts, when there are two
            path = f" -> ... ({left_out - 1} more) ... -> ".join(p for p, _, _ in shown)
            claims = f" ; ... ({left_out} more steps) ... ; ".join(c for _, c, _ in shown)
            studies = f" ; ... ({left_out} more steps) ... ; ".join(s for _, _, s in shown)
            direction = {1: "increase", -1: "decrease", 0: "unknown"}[sign]
            status = _CHAIN_STATUSES[rank]
            if forward:
                out.append(
                    (
                        key,
                        anchor,
                        reached,
                        Literal(hops),
                        Literal(direction),
                        status,
                        Literal(path),
                        Literal(claims),
                        Literal(studies),
                    )
                )
            else:
                out.append(
                    (
                        anchor,
                        reached,
                        Literal(hops),
                        Literal(direction),
                        status,
                        Literal(path),
                        Literal(claims),
                        Literal(studies),
                    )
                )
    # (start, effect) or (effect, cause) is unique in a row: sorting by it sorts by the whole row
    return Table(list(query.columns), sorted(out, key=lambda row: _sort_key(row[:3] if forward else row[:2])))


def _back(previous: dict[Node, Node], node: Node, count: int) -> list[Node]:
    """``node`` and the ``count`` nodes before it on its chain (``previous``: each node's
    predecessor), in walking order."""
    nodes = [node]
    for _ in range(count):
        nodes.append(previous[nodes[-1]])
    nodes.reverse()
    return nodes
