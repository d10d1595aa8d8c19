"""A deterministic force-directed layout, for graphs too large to lay out in the browser.

vis-network's physics needs about a minute to settle 1,000 nodes in a headless browser, while a
page with fixed positions and physics off draws 1,000 nodes in under a second. So the HTML view
lays out large graphs once, here, and switches physics off.

The method is Fruchterman–Reingold with cut-off repulsion (only nodes closer than twice the ideal
edge length repel; they are found through a grid of cells of that size, so an iteration costs about
the number of such close pairs, not n²). Every iteration is a handful of numpy operations over all
nodes and pairs at once. The initial positions are seeded, so the same graph always gets the same
positions.

>>> from mtorgraph.model import *
>>> ev = (Evidence(reference="r", kind="review", finding="f"),)
>>> g = MechanismGraph(
...     entities=tuple(Entity(key=k, id=f"GO:{i}", label=k, name=k, kind="process")
...                    for i, k in enumerate("abc", 1)),
...     references=(Reference(key="r", title="t", doi="10.1000/x", verified="yes"),),
...     edges=(Edge(subject="a", predicate="increases", object="b", evidence=ev),
...            Edge(subject="b", predicate="increases", object="c", evidence=ev)))
>>> pos = find_layout(g)
>>> sorted(pos)
['a', 'b', 'c']
>>> pos == find_layout(g)
True
"""

from __future__ import annotations

import math

import numpy as np

from ..model import MechanismGraph

__all__ = ["IDEAL_EDGE_LENGTH", "find_layout"]

#: The distance (in vis-network canvas pixels) that the layout aims for between linked nodes.
IDEAL_EDGE_LENGTH = 120.0


def _iterations_for(n: int) -> int:
    if n <= 300:
        return 120
    if n <= 2000:
        return 60
    return 30


def _close_pairs(pos: np.ndarray, cell: float) -> tuple[np.ndarray, np.ndarray]:
    """Every pair ``(i, j)`` of distinct nodes in the same or neighbouring grid cells, each once."""
    n = len(pos)
    c = np.floor(pos / cell).astype(np.int64)
    c -= c.min(axis=0)
    width = int(c[:, 1].max()) + 3
    cid = (c[:, 0] + 1) * width + (c[:, 1] + 1)
    order = np.argsort(cid, kind="stable")
    ordered = cid[order]
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n)
    firsts, seconds = [], []
    # the cell itself (later members only) and the four neighbours "ahead": each pair once
    for ox, oy in ((0, 0), (0, 1), (1, -1), (1, 0), (1, 1)):
        wanted = cid + ox * width + oy
        start = np.searchsorted(ordered, wanted, side="left")
        if ox == oy == 0:
            start = rank + 1
        counts = np.searchsorted(ordered, wanted, side="right") - start
        counts[counts < 0] = 0
        total = int(counts.sum())
        if not total:
            continue
        within = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        firsts.append(np.repeat(np.arange(n), counts))
        seconds.append(order[np.repeat(start, counts) + within])
    if not firsts:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(firsts), np.concatenate(seconds)


def find_layout(graph: MechanismGraph, *, seed: int = 7, iterations: int | None = None,
                edge_length: float = IDEAL_EDGE_LENGTH) -> dict[str, tuple[float, float]]:
    """Positions ``{entity key: (x, y)}`` for every entity, in canvas pixels, centred on 0.

    :param seed: seeds the initial positions; the result depends only on the graph and the seed.
    :param iterations: force iterations; by default 120 up to 300 nodes, 60 up to 2,000, else 30.
    :param edge_length: the ideal distance between linked nodes.
    """
    keys = sorted(e.key for e in graph.entities)
    n = len(keys)
    if n == 0:
        return {}
    if n == 1:
        return {keys[0]: (0.0, 0.0)}
    index = {key: i for i, key in enumerate(keys)}
    pairs = np.array(sorted({(min(index[e.subject], index[e.object]), max(index[e.subject], index[e.object]))
                             for e in graph.edges if e.subject != e.object}), dtype=np.int64).reshape(-1, 2)
    a, b = pairs[:, 0], pairs[:, 1]
    k = edge_length
    side = k * math.sqrt(n)
    pos = np.random.default_rng(seed).uniform(-side / 2, side / 2, size=(n, 2))
    rounds = iterations if iterations is not None else _iterations_for(n)
    cell = 2 * k
    start_t = side / 8
    for step in range(rounds):
        t = start_t * (1 - step / rounds) + 1.0
        i, j = _close_pairs(pos, cell)
        dx, dy = pos[i, 0] - pos[j, 0], pos[i, 1] - pos[j, 1]
        d2 = dx * dx + dy * dy
        coincident = d2 < 1e-4
        if coincident.any():  # push apart in a fixed direction
            dx[coincident] = np.where(i[coincident] < j[coincident], 0.01, -0.01)
            dy[coincident] = 0.0
            d2[coincident] = 1e-4
        f = np.where(d2 < cell * cell, k * k / d2, 0.0)
        fx, fy = dx * f, dy * f
        e = pos[a] - pos[b]
        pull = np.sqrt(e[:, 0] * e[:, 0] + e[:, 1] * e[:, 1]) / k
        px, py = e[:, 0] * pull, e[:, 1] * pull
        disp = np.column_stack([
            np.bincount(i, fx, n) - np.bincount(j, fx, n) + np.bincount(b, px, n) - np.bincount(a, px, n),
            np.bincount(i, fy, n) - np.bincount(j, fy, n) + np.bincount(b, py, n) - np.bincount(a, py, n)])
        disp -= pos * 0.05  # a weak pull to the centre keeps separate components from drifting off
        length = np.hypot(disp[:, 0], disp[:, 1])
        moving = length > 0
        pos[moving] += disp[moving] / length[moving, None] * np.minimum(length[moving], t)[:, None]
    pos -= pos.mean(axis=0)
    return {key: (round(float(x), 1), round(float(y), 1)) for key, (x, y) in zip(keys, pos)}
