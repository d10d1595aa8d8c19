"""Benchmark: signed path queries on synthetic scale-free graphs, against networkx.

Graphs are directed Chung-Lu (expected-degree) graphs with power-law weights
w_i ∝ (i+1)^(-1/(γ-1)), γ = 2.3, the same weight for in- and out-degree (hubs are hubs both ways,
as genes are in Hetionet or PrimeKG); self-loops and duplicate pairs dropped; 60 % of edges +1,
the rest -1; beliefs uniform in [0.3, 0.95]; fixed seed. Sizes: 10k, 100k and 1M edges (mean
out-degree 20) and Hetionet's size (47,031 nodes, 2,250,197 edges).

Query pairs: 20 (source, target) pairs drawn from nodes whose total degree lies between the 70th
and 95th percentile. Each query asks for the top 20 paths of any sign with at most k edges.

Baseline: ``networkx.all_simple_paths(G, s, t, cutoff=k)`` on a DiGraph, sign = product of the
edges' ``sign`` attributes, all paths enumerated then ranked. networkx runs on fewer pairs at the
larger sizes, each query stopped after a timeout (SIGALRM); a stopped query counts as the
timeout, so the speed-up shown is then a lower bound (marked ≥). Where networkx finished, its
path count is checked against ours (``limit=None``).

Run: ``python bench/paths.py`` (``make bench``); ``--sizes 10k,100k`` for a subset; ``--cpu`` times
our queries in process CPU time instead of wall time (networkx stays on wall time), for a shared
machine.

``--columns 100k,1M`` instead measures what comes before a query on a graph held as columns:
``belief_columns`` (every edge's belief) and ``build_graph_index`` (steps, their beliefs, the
index) on synthetic ``ColumnarGraph``s built in memory (Chung-Lu endpoints as above over E/8
entities, the six predicates, 1–5 evidence items per edge with 4 % refuting, 7 % not weighed,
random species and experiments), in CPU seconds (``resource.getrusage``: the machine may be
shared), with the growth exponent between the smallest and largest size.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import random
import signal
import statistics
import sys
import time
import tracemalloc

from mtorgraph.analysis.signed_index import SignedIndex
from mtorgraph.analysis.signed_search import find_index_paths

SIZES = {  # name: (nodes, edges)
    "10k": (500, 10_000),
    "100k": (5_000, 100_000),
    "1M": (50_000, 1_000_000),
    "hetionet": (47_031, 2_250_197),
}
#: networkx baseline per (size, k): (pairs, timeout seconds); None = not run (said in the output).
NX_PLAN = {
    ("10k", 3): (20, 10.0), ("10k", 4): (5, 10.0),
    ("100k", 3): (20, 10.0), ("100k", 4): (3, 10.0),
    ("1M", 3): (10, 10.0), ("1M", 4): (3, 10.0),
    ("hetionet", 3): (3, 10.0), ("hetionet", 4): None,
}
PAIRS = 20
LIMIT = 20
#: (max length, net sign) per query row; the signed row runs on the signed-node projection.
QUERIES = [(3, "any"), (4, "any"), (4, "negative")]
SIGNS = {"any": (1, -1, 0), "negative": (-1,)}
TRACEMALLOC_MAX_EDGES = 1_000_000


def _arrays(index: SignedIndex):
    return (index.out_ptr, index.out_dst, index.out_sgn, index.out_bel,
            index.in_ptr, index.in_src, index.in_sgn, index.in_eid)


def generate(n: int, m: int, seed: int = 42, gamma: float = 2.3):
    """Edges of a directed Chung-Lu graph as plain lists (src, dst, sign, belief)."""
    rng = random.Random(seed)
    cum = list(itertools.accumulate((i + 1) ** (-1 / (gamma - 1)) for i in range(n)))
    seen: set[int] = set()
    src: list[int] = []
    dst: list[int] = []
    nodes = range(n)
    while len(src) < m:
        need = int((m - len(src)) * 1.1) + 10
        for u, v in zip(rng.choices(nodes, cum_weights=cum, k=need), rng.choices(nodes, cum_weights=cum, k=need)):
            if u == v or u * n + v in seen:
                continue
            seen.add(u * n + v)
            src.append(u)
            dst.append(v)
            if len(src) == m:
                break
    del seen
    sign = [1 if rng.random() < 0.6 else -1 for _ in range(m)]
    belief = [round(rng.uniform(0.3, 0.95), 3) for _ in range(m)]
    return src, dst, sign, belief


def pick_pairs(n: int, src, dst, count: int, seed: int = 7):
    degree = [0] * n
    for u, v in zip(src, dst):
        degree[u] += 1
        degree[v] += 1
    ordered = sorted(degree)
    lo, hi = ordered[int(0.70 * n)], ordered[int(0.95 * n)]
    candidates = [i for i in range(n) if lo <= degree[i] <= hi]
    rng = random.Random(seed)
    pairs = []
    while len(pairs) < count:
        s, t = rng.sample(candidates, 2)
        pairs.append((s, t))
    return pairs, (lo, hi), max(degree)


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout


def nx_query(graph, s: int, t: int, k: int, timeout: float):
    """All simple paths with networkx, signed and ranked; (seconds, path count or None)."""
    import networkx as nx

    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    start = time.perf_counter()
    try:
        found = []
        for path in nx.all_simple_paths(graph, s, t, cutoff=k):
            sign, score = 1, 1.0
            for u, v in zip(path, path[1:]):
                data = graph[u][v]
                sign *= data["sign"]
                score *= data["belief"]
            found.append((-score, len(path), sign, path))
        found.sort()
        top = found[:LIMIT]
        del top
        return time.perf_counter() - start, len(found)
    except _Timeout:
        return timeout, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _num(value) -> str:
    return "-" if value is None else f"{value:.1f}"


def pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered))) - 1))]


def fmt_ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


#: the query clock: wall time by default, process CPU time with ``--cpu`` (for a shared machine).
CLOCK = time.perf_counter


def run_size(name: str, with_nx: bool):
    n, m = SIZES[name]
    t0 = time.perf_counter()
    src, dst, sign, belief = generate(n, m)
    gen_s = time.perf_counter() - t0
    pairs, (lo, hi), max_deg = pick_pairs(n, src, dst, PAIRS)
    gc.collect()
    t0 = time.perf_counter()
    index = SignedIndex.from_arrays(n, src, dst, sign, belief)
    build_s = time.perf_counter() - t0
    held = None
    if m <= TRACEMALLOC_MAX_EDGES:  # tracing slows the build ~3x; the layout is the same at every size
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        traced = SignedIndex.from_arrays(n, src, dst, sign, belief)
        held = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        del traced
    build = {"size": name, "nodes": n, "edges": m, "max_degree": max_deg, "pair_degree": f"{lo}-{hi}",
             "generate_s": gen_s, "index_build_s": build_s,
             "bytes_per_edge": held / m if held is not None else None,
             "array_bytes_per_edge": sum(sys.getsizeof(a) for a in _arrays(index)) / m}
    rows = []
    for k, wanted in QUERIES:
        times, found, relevant = [], [], []
        for s, t in pairs:
            start = CLOCK()
            result = find_index_paths(index, s, t, max_length=k, limit=LIMIT, signs=SIGNS[wanted])
            times.append(CLOCK() - start)
            found.append(len(result.paths))
            relevant.append(result.relevant_edges)
        rows.append({"size": name, "k": k, "sign": wanted, "times": times, "found": found, "relevant": relevant,
                     "nx": None})
    if with_nx:
        import networkx as nx

        t0 = time.perf_counter()
        graph = nx.DiGraph()
        graph.add_nodes_from(range(n))
        graph.add_edges_from((u, v, {"sign": sg, "belief": b}) for u, v, sg, b in zip(src, dst, sign, belief))
        build["nx_build_s"] = time.perf_counter() - t0
        for row in rows:
            plan = NX_PLAN.get((name, row["k"])) if row["sign"] == "any" else None
            if plan is None:
                continue
            count, timeout = plan
            nx_times, ours, mismatches, completed = [], [], 0, 0
            for s, t in pairs[:count]:
                elapsed, total = nx_query(graph, s, t, row["k"], timeout)
                nx_times.append(elapsed)
                start = CLOCK()
                find_index_paths(index, s, t, max_length=row["k"], limit=LIMIT)
                ours.append(CLOCK() - start)
                if total is not None:
                    completed += 1
                    mine = len(find_index_paths(index, s, t, max_length=row["k"], limit=None).paths)
                    mismatches += mine != total
            row["nx"] = {"pairs": count, "timeout": timeout, "completed": completed, "times": nx_times,
                         "ours": ours, "mismatches": mismatches}
        del graph
    else:
        build["nx_build_s"] = None
    del index, src, dst, sign, belief
    gc.collect()
    return build, rows


def synthetic_columnar(m: int, seed: int = 42, refs: int = 500):
    """A ``ColumnarGraph`` of about ``m`` edges (see the module docstring), built with numpy."""
    import numpy as np
    import pyarrow as pa

    from mtorgraph.columnar import ColumnarGraph
    from mtorgraph.columnar.schema import SCHEMAS
    from mtorgraph.vocab import EVIDENCE_KINDS, PREDICATES

    PRED, KINDS = tuple(PREDICATES), tuple(EVIDENCE_KINDS)

    def _dict(codes, words):
        codes = np.asarray(codes, dtype=np.int16)
        mask = codes < 0
        return pa.DictionaryArray.from_arrays(pa.array(np.where(mask, 0, codes), pa.int16(), mask=mask),
                                              pa.array(list(words), pa.string()))

    def _table(name, cols, rows):
        schema = SCHEMAS[name]
        arrays = []
        for f in schema:
            if f.name in cols:
                arrays.append(cols[f.name])
            else:
                arrays.append(pa.nulls(rows, f.type))
        return pa.Table.from_arrays(arrays, schema=schema)

    rng = np.random.default_rng(seed)
    n = max(m // 8, 16)
    w = (np.arange(n) + 1.0) ** (-1 / 1.3)
    p = w / w.sum()
    need = int(m * 1.4) + 100
    s = rng.choice(n, need, p=p)
    o = rng.choice(n, need, p=p)
    pred = rng.choice(6, need, p=[.3, .2, .25, .21, .03, .01])
    ok = s != o
    s, o, pred = s[ok], o[ok], pred[ok]
    key = (s.astype(np.int64) * n + o) * 6 + pred
    _, first = np.unique(key, return_index=True)
    first = np.sort(first)[:m]
    s, o, pred = s[first], o[first], pred[first]
    m = len(s)
    kinds = rng.choice(5, n, p=[.02, .02, .02, .04, .90])
    kind_words = ("chemical", "disease", "phenotype", "gene", "process")
    ent = _table("entities", {
        "key": pa.array([f"e{i}" for i in range(n)]),
        "id": pa.array([f"GO:{i:07d}" for i in range(n)]),
        "label": pa.array([f"e{i}" for i in range(n)]),
        "name": pa.array([f"entity {i}" for i in range(n)]),
        "kind": _dict(kinds, kind_words),
        "id_status": _dict(np.zeros(n), ("local",)),
        "synonyms": pa.array([[] for _ in range(n)], pa.list_(pa.string())),
        "xrefs": pa.array([[] for _ in range(n)], pa.list_(pa.string())),
    }, n)
    ref = _table("references", {
        "key": pa.array([f"r{i}" for i in range(refs)]),
        "title": pa.array([f"title {i}" for i in range(refs)]),
        "doi": pa.array([f"10.5555/r{i}" for i in range(refs)]),
        "verified": _dict(np.zeros(refs), ("yes",)),
        "seen_at": pa.array([[] for _ in range(refs)], pa.list_(pa.string())),
    }, refs)
    edges = _table("edges", {"subject": pa.array(s.astype(np.int32)), "predicate": _dict(pred, PRED),
                             "object": pa.array(o.astype(np.int32))}, m)
    counts = np.clip(1 + rng.poisson(0.8, m), 1, 5)
    row = np.repeat(np.arange(m, dtype=np.int32), counts)
    k = len(row)
    rw = 1.0 / (np.arange(refs) + 1.0)
    kind = rng.choice(len(KINDS), k, p=np.array([3, 2, 1, 6, 6, 1, 2, 1, 1, 1], float) / 24)
    direction = (rng.random(k) < 0.04).astype(np.int16)
    basis = np.where(rng.random(k) < 0.05, 1, np.where(rng.random(k) < 0.02, 2, 0))
    species = rng.choice(5, k) - 1
    experiment = pa.array(np.where(rng.random(k) < 0.1, "e1", None).tolist(), pa.string())
    ev = _table("evidence", {
        "owner": pa.array(np.zeros(k, np.int8)), "row": pa.array(row),
        "reference": pa.array(rng.choice(refs, k, p=rw / rw.sum()).astype(np.int32)),
        "kind": _dict(kind, KINDS), "direction": _dict(direction, ("supports", "refutes")),
        "basis": _dict(basis, ("own_result", "cited_statement", "title_only")),
        "experiment": experiment, "finding": pa.array(np.full(k, "f").tolist(), pa.string()),
        "species": _dict(species, ("human", "mouse", "rat", "rodent")),
    }, k)
    links = _table("links", {"subject": pa.array([], pa.int32()), "relation": _dict([], ("part_of",)),
                             "object": pa.array([], pa.int32())}, 0)
    return ColumnarGraph({"entities": ent, "references": ref, "edges": edges, "links": links, "evidence": ev})


def run_columns(names) -> None:
    import resource

    from mtorgraph.analysis.beliefs import belief_columns
    from mtorgraph.analysis.paths import build_graph_index

    def cpu() -> float:
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime

    print(f"{'edges':>9} {'evidence':>9} {'beliefs cpu s':>13} {'index cpu s':>11}", flush=True)
    rows = []
    for name in names:
        graph = synthetic_columnar(SIZES[name][1])
        gc.collect()
        t = cpu()
        belief_columns(graph)
        beliefs = cpu() - t
        t = cpu()
        build_graph_index(graph)
        index = cpu() - t
        rows.append((graph.edge_count, beliefs, index))
        print(f"{graph.edge_count:>9} {graph.evidence_count:>9} {beliefs:>13.2f} {index:>11.2f}", flush=True)
        del graph
    if len(rows) > 1:
        import math

        (m0, b0, i0), (m1, b1, i1) = rows[0], rows[-1]
        span = math.log(m1 / m0)
        print(f"exponent (time ∝ edges^x): beliefs {math.log(b1 / b0) / span:.2f}, index {math.log(i1 / i0) / span:.2f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="comma-separated subset of " + ", ".join(SIZES))
    parser.add_argument("--no-networkx", action="store_true", help="skip the networkx baseline")
    parser.add_argument("--columns", metavar="SIZES",
                        help="measure belief_columns and the index build on columnar graphs of these sizes instead")
    parser.add_argument("--cpu", action="store_true",
                        help="time our queries in process CPU time (time.process_time) instead of wall time")
    args = parser.parse_args(argv)
    global CLOCK
    if args.cpu:
        CLOCK = time.process_time
    if args.columns:
        names = [s for s in args.columns.split(",") if s]
        for s in names:
            if s not in SIZES:
                parser.error(f"unknown size {s!r}")
        run_columns(names)
        return 0
    names = [s for s in args.sizes.split(",") if s]
    for s in names:
        if s not in SIZES:
            parser.error(f"unknown size {s!r}")
    print(f"signed path queries: top {LIMIT} paths of any sign, {PAIRS} pairs per graph, "
          f"Python {sys.version.split()[0]}", flush=True)
    builds, results = [], []
    for name in names:
        t0 = time.perf_counter()
        build, rows = run_size(name, not args.no_networkx)
        builds.append(build)
        results += rows
        print(f"  {name}: done in {time.perf_counter() - t0:.0f} s", flush=True)

    print("\nBuild")
    print(f"{'graph':<9} {'nodes':>7} {'edges':>9} {'max deg':>7} {'pair deg':>9} {'generate s':>10} "
          f"{'index s':>7} {'B/edge traced':>13} {'B/edge arrays':>13} {'networkx s':>10}")
    for b in builds:
        nxs = f"{b['nx_build_s']:.1f}" if b["nx_build_s"] is not None else "-"
        print(f"{b['size']:<9} {b['nodes']:>7} {b['edges']:>9} {b['max_degree']:>7} {b['pair_degree']:>9} "
              f"{b['generate_s']:>10.1f} {b['index_build_s']:>7.1f} "
              f"{_num(b['bytes_per_edge']):>13} {b['array_bytes_per_edge']:>13.1f} {nxs:>10}")
    print("B/edge traced: memory the index build leaves allocated (tracemalloc, graphs up to "
          f"{TRACEMALLOC_MAX_EDGES:,} edges); B/edge arrays: sys.getsizeof of the index arrays.")

    print(f"\nQueries ({'CPU' if args.cpu else 'wall'} ms; ours over all pairs; networkx over the first pairs, same pairs for the speed-up)")
    print(f"{'graph':<9} {'k':>1} {'sign':<8} {'median':>7} {'p90':>7} {'paths':>5} {'relevant':>8}   "
          f"{'nx ok/run':>9} {'nx median':>9} {'ours same':>9} {'speed-up':>9} {'counts':>6}")
    for r in results:
        line = (f"{r['size']:<9} {r['k']:>1} {r['sign']:<8} {fmt_ms(statistics.median(r['times'])):>7} {fmt_ms(pct(r['times'], 0.9)):>7} "
                f"{statistics.median(r['found']):>5.0f} {statistics.median(r['relevant']):>8.0f}   ")
        x = r["nx"]
        if x is None:
            line += f"{'-':>9}"
        else:
            nx_med, ours_med = statistics.median(x["times"]), statistics.median(x["ours"])
            bound = "≥" if x["completed"] < x["pairs"] else ""
            counts = "ok" if x["mismatches"] == 0 else f"{x['mismatches']} differ"
            line += (f"{x['completed']:>5}/{x['pairs']:<3} {bound + fmt_ms(nx_med):>9} {fmt_ms(ours_med):>9} "
                     f"{bound + format(nx_med / ours_med, '.0f') + '×':>9} {counts:>6}")
        print(line)
    print("\nnetworkx: a query stopped at its timeout counts as the timeout (≥: a lower bound); "
          "'counts' compares networkx's number of paths with ours (limit=None) where networkx finished; "
          "networkx is not run at Hetionet size with k=4 (every query times out), nor for the signed rows "
          "(it would enumerate the same paths and filter).")

    print("\nTargets")
    by = {(r["size"], r["k"]): r for r in results if r["sign"] == "any"}
    checks = []
    if ("1M", 3) in by and by[("1M", 3)]["nx"]:
        x = by[("1M", 3)]["nx"]
        checks.append(("≥ 100× faster than networkx, 1M edges, k=3",
                       statistics.median(x["times"]) / statistics.median(x["ours"]) >= 100,
                       f"{statistics.median(x['times']) / statistics.median(x['ours']):.0f}×"))
    if ("1M", 4) in by:
        med = statistics.median(by[("1M", 4)]["times"])
        checks.append(("≤ 50 ms median, 1M edges, k=4, top 20", med <= 0.05, f"{med * 1000:.1f} ms"))
    if ("hetionet", 4) in by:
        med = statistics.median(by[("hetionet", 4)]["times"])
        checks.append(("≤ 150 ms median at Hetionet's size, k=4, top 20", med <= 0.15, f"{med * 1000:.1f} ms"))
    for b in builds:
        size = b["bytes_per_edge"] if b["bytes_per_edge"] is not None else b["array_bytes_per_edge"]
        checks.append((f"index ≤ 200 bytes per edge ({b['size']})", size <= 200, f"{size:.1f} B/edge"))
    for label, ok, value in checks:
        print(f"  [{'met' if ok else 'MISSED'}] {label}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
