"""The part of a graph that ``view --focus X --depth N`` draws, found through the graph's adjacency.

The walk reads only the focus's surroundings: on a :class:`~mtorgraph.columnar.ColumnarGraph` the
edge rows from and to each entity (``edge_rows_from`` / ``edge_rows_to``), so only the drawn edges
ever become model objects; on a :class:`~mtorgraph.model.MechanismGraph` its subject and object
indexes (``edges_from`` / ``edges_to``). Structural links connect like edges.

A neighbourhood larger than ``max_nodes`` entities is cut, never silently: entities are taken
nearest first (every entity at distance 1 before any at distance 2), and within one distance by the
belief of their strongest edge or link to the entities already taken (ties by key). The drawn graph
holds every edge among the entities taken (so parallel and null edges on a drawn pair are all
there and beliefs computed on it equal the whole graph's); :class:`Neighbourhood` counts what was
left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..analysis.beliefs import belief_columns, use_columns
from ..analysis.scoring import edge_belief
from ..columnar.subset import take_subgraph
from ..model import Edge, MechanismGraph, StructuralLink

__all__ = ["Neighbourhood", "find_capped_neighbourhood"]


@dataclass(frozen=True)
class Neighbourhood:
    """The drawn part of a neighbourhood and what the cap left out of it."""

    graph: MechanismGraph
    focus: str
    depth: int
    entities_total: int   # entities within ``depth`` of the focus
    edges_total: int      # edges among those entities
    max_nodes: int | None

    @property
    def entities_left_out(self) -> int:
        """Entities of the neighbourhood that are not drawn."""
        return self.entities_total - len(self.graph.entities)

    @property
    def edges_left_out(self) -> int:
        """Edges among the neighbourhood's entities that are not drawn."""
        return self.edges_total - len(self.graph.edges)

    def left_out_note(self, focus_name: str) -> str | None:
        """What was left out and how to see it, in one sentence (``None`` when nothing was)."""
        if not self.entities_left_out:
            return None
        return (f"Capped at {len(self.graph.entities):,} entities: {self.entities_left_out:,} entities and "
                f"{self.edges_left_out:,} edges within depth {self.depth} of {focus_name} are not drawn "
                f"(kept: the nearest entities, those with the strongest edges by belief first). To see them: "
                f"raise --max-nodes, lower --depth, or --focus on one of the drawn entities.")


class _Walk:
    """Neighbours of an entity with a handle for each edge (an ``Edge`` or a columnar row)."""

    def __init__(self, graph: Any):
        self.graph = graph
        self.columnar = hasattr(graph, "edge_rows_from") and hasattr(graph, "to_model")
        if self.columnar:
            self.subject = graph.array("edges", "subject")
            self.object = graph.array("edges", "object")
            self.keys = graph.tables["entities"].column("key").to_pylist()
        self.linked: dict[str, list[StructuralLink]] = defaultdict(list)
        for link in graph.links:
            self.linked[link.subject].append(link)
            self.linked[link.object].append(link)

    def out(self, key: str) -> Iterator[tuple[Any, str]]:
        """``(handle, object key)`` of the edges whose subject is ``key``."""
        if self.columnar:
            for row in self.graph.edge_rows_from(key):
                yield row, self.keys[self.object[row]]
        else:
            for edge in self.graph.edges_from(key):
                yield edge, edge.object

    def edges_among(self, keys: set[str]) -> int:
        """How many edges have both ends in ``keys`` (on columns: one pass over the edge arrays)."""
        if self.columnar:
            inside = np.zeros(len(self.keys), dtype=bool)
            inside[[self.graph.entity_row(k) for k in keys]] = True
            return int(np.count_nonzero(inside[self.subject] & inside[self.object]))
        return sum(1 for key in keys for _, other in self.out(key) if other in keys)

    def incident(self, key: str) -> Iterator[tuple[Any, str]]:
        """``(handle, other end)`` of every edge from or to ``key`` and every link touching it."""
        yield from self.out(key)
        if self.columnar:
            for row in self.graph.edge_rows_to(key):
                yield row, self.keys[self.subject[row]]
        else:
            for edge in self.graph.edges_to(key):
                yield edge, edge.subject
        for link in self.linked.get(key, ()):
            yield link, link.object if link.subject == key else link.subject

    def edges(self, handles: Iterable[Any]) -> list[Edge]:
        """The edges behind edge handles (columnar rows become objects here, and only here)."""
        if self.columnar:
            from ..analysis.lookup import edges_at

            built = edges_at(self.graph, sorted(set(handles)))  # one pass over the columns for all
            return [built[row] for row in sorted(built)]
        return list(handles)


class _PairEdges:
    """``edges_from`` over a set of edges that holds every edge on each pair it touches: all the
    belief rules read (null findings on the same pair), without the whole graph."""

    def __init__(self, edges: Iterable[Edge]):
        self.edges = list(edges)  # what the pair index of the belief rules walks
        self._from: dict[str, list[Edge]] = defaultdict(list)
        for edge in self.edges:
            self._from[edge.subject].append(edge)

    def edges_from(self, key: str) -> list[Edge]:
        return self._from.get(key, [])


def _layers(walk: _Walk, focus: str, depth: int) -> dict[str, int]:
    """Every entity within ``depth`` of ``focus`` and its distance."""
    distance = {focus: 0}
    frontier = [focus]
    for d in range(1, depth + 1):
        nxt = []
        for key in frontier:
            for _, other in walk.incident(key):
                if other not in distance:
                    distance[other] = d
                    nxt.append(other)
        frontier = nxt
    return distance


def _strongest_first(walk: _Walk, distance: dict[str, int], depth: int, max_nodes: int) -> set[str]:
    """The entities kept under the cap (see the module docstring for the order)."""
    focus = next(iter(distance))
    kept = {focus}
    previous = [focus]
    for d in range(1, depth + 1):
        if len(kept) >= max_nodes:
            break
        reach: list[tuple[Any, str]] = [(h, other) for key in previous for h, other in walk.incident(key)
                                        if distance.get(other) == d]
        edge_handles = [h for h, _ in reach if not isinstance(h, StructuralLink)]
        has_links = len(edge_handles) < len(reach)
        # every edge between a kept entity and a candidate is here, so the pair view is complete; on
        # columns an edge's belief on that view is its belief in the whole graph (by row, computed
        # once per graph or read from its derived store), so edge objects are built only for links
        by_handle = dict(zip(sorted(set(edge_handles), key=_order), walk.edges(edge_handles))) \
            if walk.columnar and has_links else {}
        edges = list(by_handle.values()) if walk.columnar else edge_handles
        pairs = _PairEdges(edges)
        by_row = belief_columns(walk.graph).edges if walk.columnar else None
        best: dict[str, float] = {}
        for handle, other in reach:
            if by_row is not None and not isinstance(handle, StructuralLink):
                belief = float(by_row[int(handle)])
            else:
                belief = edge_belief(pairs, handle)  # type: ignore[arg-type]
            if belief > best.get(other, -1.0):
                best[other] = belief
        order = sorted(best, key=lambda k: (-best[k], k))
        previous = order[:max_nodes - len(kept)]
        kept.update(previous)
    return kept


def _order(handle: Any) -> int:
    return int(handle)


def find_capped_neighbourhood(graph: Any, focus: str, depth: int, max_nodes: int | None = None) -> Neighbourhood:
    """The entities within ``depth`` edges or links of ``focus`` (an entity key; either direction)
    and every edge and link among them, cut to ``max_nodes`` entities (``None``: no cap).

    Claims, questions and open questions are left out (they may name what lies outside);
    references are kept.

    :raises ValueError: if ``depth`` is negative or ``max_nodes`` below 1.
    """
    if depth < 0:
        raise ValueError("depth must be 0 or more")
    if max_nodes is not None and max_nodes < 1:
        raise ValueError("max_nodes must be 1 or more")
    walk = _Walk(graph)
    distance = _layers(walk, focus, depth)
    capped = max_nodes is not None and len(distance) > max_nodes
    kept = _strongest_first(walk, distance, depth, max_nodes) if capped else set(distance)  # type: ignore[arg-type]
    inside = set(distance)
    edges_total = walk.edges_among(inside)
    handles = sorted({h for key in kept for h, other in walk.out(key) if other in kept}, key=_edge_order)
    by_key = sorted(zip(walk.edges(handles), handles), key=lambda pair: pair[0].key)
    entity_rows = sorted(graph.entity_row(k) for k in kept) if walk.columnar else []
    entities = ([graph.entity_at(row) for row in entity_rows] if walk.columnar
                else [e for e in graph.entities if e.key in kept])
    links = {link.key: link for key in kept for link in walk.linked.get(key, ())
             if link.subject in kept and link.object in kept}
    link_rows = [i for i, link in enumerate(graph.links) if link.key in links]
    drawn = MechanismGraph(entities=tuple(entities), references=graph.references,
                           edges=tuple(edge for edge, _ in by_key), links=tuple(graph.links[i] for i in link_rows))
    if walk.columnar:
        # the analyses of the drawn graph (beliefs, conflicts) read columns: taken from the large
        # graph's, which is cheaper than converting the drawn objects back
        use_columns(drawn, take_subgraph(graph, entity_rows=entity_rows, edge_rows=[row for _, row in by_key],
                                         link_rows=link_rows))
    return Neighbourhood(drawn, focus, depth, len(distance), edges_total, max_nodes)


def _edge_order(handle: Any) -> Any:
    """Edge handles in a fixed order: rows by number, objects by key."""
    return handle.key if isinstance(handle, Edge) else int(handle)
