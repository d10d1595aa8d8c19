"""A deterministic force-directed layout, for graphs too large to lay out in the browser.

vis-network's physics needs about a minute to settle 1,000 nodes in a headless browser, while a
page with fixed positions and physics off draws 1,000 nodes in under a second. So the HTML view
lays out large graphs once, here, and switches physics off.

The method is Fruchterman–Reingold with grid-approximated repulsion (only nodes in neighbouring
grid cells repel), which keeps each iteration close to linear in the number of nodes. It is pure
Python (networkx's spring layout needs numpy, which the project does not depend on) and seeded,
so the same graph always gets the same positions.

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
import random
from collections import defaultdict

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
    pairs = sorted({(min(index[e.subject], index[e.object]), max(index[e.subject], index[e.object]))
                    for e in graph.edges if e.subject != e.object})
    k = edge_length
    side = k * math.sqrt(n)
    rng = random.Random(seed)
    xs = [rng.uniform(-side / 2, side / 2) for _ in range(n)]
    ys = [rng.uniform(-side / 2, side / 2) for _ in range(n)]
    rounds = iterations if iterations is not None else _iterations_for(n)
    cell = 2 * k
    reach2 = cell * cell
    k2 = k * k
    start_t = side / 8
    for step in range(rounds):
        t = start_t * (1 - step / rounds) + 1.0
        dx = [0.0] * n
        dy = [0.0] * n
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in range(n):
            grid[(math.floor(xs[i] / cell), math.floor(ys[i] / cell))].append(i)
        for (cx, cy), members in grid.items():
            near = [j for ox in (-1, 0, 1) for oy in (-1, 0, 1) for j in grid.get((cx + ox, cy + oy), ())]
            for i in members:
                xi, yi = xs[i], ys[i]
                fx = fy = 0.0
                for j in near:
                    if j == i:
                        continue
                    ddx, ddy = xi - xs[j], yi - ys[j]
                    d2 = ddx * ddx + ddy * ddy
                    if d2 < 1e-4:  # coincident nodes: push apart in a fixed direction
                        ddx, ddy, d2 = (0.01 if i < j else -0.01), 0.0, 1e-4
                    if d2 < reach2:
                        f = k2 / d2
                        fx += ddx * f
                        fy += ddy * f
                dx[i] += fx
                dy[i] += fy
        for i, j in pairs:
            ddx, ddy = xs[i] - xs[j], ys[i] - ys[j]
            f = math.sqrt(ddx * ddx + ddy * ddy) / k
            dx[i] -= ddx * f
            dy[i] -= ddy * f
            dx[j] += ddx * f
            dy[j] += ddy * f
        for i in range(n):
            # a weak pull to the centre keeps separate components from drifting off
            dx[i] -= xs[i] * 0.05
            dy[i] -= ys[i] * 0.05
            disp = math.hypot(dx[i], dy[i])
            if disp > 0:
                move = min(disp, t)
                xs[i] += dx[i] / disp * move
                ys[i] += dy[i] / disp * move
    mx, my = sum(xs) / n, sum(ys) / n
    return {key: (round(xs[i] - mx, 1), round(ys[i] - my, 1)) for i, key in enumerate(keys)}
