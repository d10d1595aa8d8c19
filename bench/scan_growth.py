"""How the unpaired scan's answer grows: pairs a scan must report, per graph size.

For each curated graph given, one signed reachability pass per chemical marks the (chemical,
disease or phenotype) pairs reached by walks of both net signs (the scan's candidates), and the
exact two-sided search runs on a random sample of them. The share of sampled candidates that are
conflicts, times the candidates, estimates how many records ``mtorgraph conflicts`` (no pair) must
print: a scan cannot grow more slowly than its output. CPU seconds, this process.

    python bench/scan_growth.py bench/.cache/e2e/e10000-s42-v3/graph bench/.cache/e2e/e100000-s42-v3/graph

Without graphs it reads those two, as ``make bench`` runs it after ``e2e.py`` made them.
"""

from __future__ import annotations

import argparse
import math
import random
import time
from pathlib import Path

import numpy as np

from mtorgraph.analysis.conflicts import SOURCE_KINDS, TARGET_KINDS, path_conflict
from mtorgraph.analysis.paths import to_graph_index
from mtorgraph.analysis.source_scan import two_sided_targets
from mtorgraph.io.registry import open_graph


def measure(path: str, sample: int, seed: int) -> dict:
    """Counts for one graph: sources, targets, candidates, sampled conflicts, CPU per exact pair."""
    graph = open_graph(path)
    gindex = to_graph_index(graph)
    entities = gindex.graph.entities
    sources = sorted(e.key for e in entities if e.kind in SOURCE_KINDS)
    targets = sorted(e.key for e in entities if e.kind in TARGET_KINDS)
    wanted = np.array([gindex.ids[k] for k in targets], dtype=np.int64)
    started = time.process_time()
    candidates = [(s, t) for s in sources for t in two_sided_targets(gindex.index, gindex.ids[s], wanted, 4)]
    reach_cpu = time.process_time() - started
    chosen = random.Random(seed).sample(candidates, min(sample, len(candidates)))
    started = time.process_time()
    hits = sum(path_conflict(gindex, s, gindex.keys[t], {"max_length": 4, "limit": 20, "timeout": 1}) is not None
               for s, t in chosen)
    per_pair = (time.process_time() - started) / max(len(chosen), 1)
    return {"edges": len(gindex.graph.edges), "sources": len(sources), "targets": len(targets),
            "candidates": len(candidates), "sampled": len(chosen), "conflicts_in_sample": hits,
            "estimated_conflicts": round(len(candidates) * hits / max(len(chosen), 1)),
            "reach_cpu_s": round(reach_cpu, 2), "exact_cpu_ms_per_pair": round(per_pair * 1000, 1)}


def _e2e_graphs() -> list[str]:
    """The curated folders of bench/e2e.py's 10k and 100k graphs (its newest generator version), if made."""
    cache = Path(__file__).resolve().parent / ".cache" / "e2e"
    found = []
    for edges in (10_000, 100_000):
        made = sorted(cache.glob(f"e{edges}-s42-v*/graph"), key=lambda p: int(p.parent.name.rsplit("-v", 1)[1]))
        if made:
            found.append(str(made[-1]))
    return found if len(found) == 2 else []


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("graphs", nargs="*", help="curated graph folders (or any --graph input), smallest first; "
                   "default: the 10k and 100k graphs bench/e2e.py generated (as `make bench` runs it)")
    p.add_argument("--sample", type=int, default=200, help="candidate pairs searched exactly (default 200)")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    graphs = args.graphs or _e2e_graphs()
    if not graphs:
        p.error("no graph given, and bench/e2e.py has not generated its 10k and 100k graphs yet: "
                "run it first (make bench does), or name graph folders")
    rows = [measure(g, args.sample, args.seed) for g in graphs]
    print("| edges | chemicals × targets | candidates | conflicts in sample | estimated conflicts | reach CPU | exact per pair |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['edges']:,} | {r['sources']} × {r['targets']} | {r['candidates']:,} | "
              f"{r['conflicts_in_sample']} of {r['sampled']} | {r['estimated_conflicts']:,} | {r['reach_cpu_s']} s | "
              f"{r['exact_cpu_ms_per_pair']} ms |")
    for a, b in zip(rows, rows[1:]):
        if a["estimated_conflicts"] and b["estimated_conflicts"]:
            x = math.log(b["estimated_conflicts"] / a["estimated_conflicts"]) / math.log(b["edges"] / a["edges"])
            print(f"output growth {a['edges']:,} -> {b['edges']:,} edges: exponent {x:.2f}")


if __name__ == "__main__":
    main()
