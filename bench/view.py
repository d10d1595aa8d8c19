"""Benchmark: ``mtorgraph view`` as users run it, whole process, on a generated curated graph.

The graph: ``E`` edges among ``E / 20`` entities (at least 200), of which 1 % are chemicals and
1 % diseases, the rest processes; predicates drawn from the closed set; one evidence per edge
(reference from 1,000; kind cycling over rct / animal_in_vivo / in_vitro / review), fixed seed.
It is written as a curated directory (entities.yaml, references.yaml, edges/edges.yaml), so each
run reads it the way ``--graph DIR`` does.

Each command runs in its own process under ``/usr/bin/time -v``: wall-clock seconds, CPU seconds
(user + system: the figure to compare when other jobs share the machine) and peak resident memory
of the whole process (loading included), one run per cell. ``render`` is the
time inside :func:`mtorgraph.views.html.render_html` alone, measured in-process on the loaded graph.

Run: ``python bench/view.py`` (10k edges), ``--edges 100000`` for the issue-11 size.
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PREDICATES = ["activates", "inhibits", "increases", "decreases", "associated_with", "no_effect_on"]
KINDS = ["rct", "animal_in_vivo", "in_vitro", "review"]
#: Synthetic ids in each kind's allowed prefix: well-formed, not claims about real records.
PREFIX = {"chemical": "CHEBI", "disease": "MONDO", "process": "GO"}


def kind_of(i: int, nodes: int) -> str:
    """Entity ``n<i>``'s kind: the first 1 % chemicals, the next 1 % diseases, then processes."""
    share = max(nodes // 100, 2)
    return "chemical" if i < share else ("disease" if i < 2 * share else "process")


def write_curated(folder: Path, edges: int, seed: int = 42) -> Path:
    """Write a curated graph directory with ``edges`` unique edges; return it."""
    rng = random.Random(seed)
    nodes = max(edges // 20, 200)
    (folder / "edges").mkdir(parents=True, exist_ok=True)
    with open(folder / "entities.yaml", "w", encoding="utf-8") as out:
        out.write("entities:\n")
        for i in range(nodes):
            kind = kind_of(i, nodes)
            out.write(f'  n{i}: {{id: "{PREFIX[kind]}:{i:07d}", label: "entity {i}", name: "entity {i}", '
                      f'kind: {kind}, id_status: verified}}\n')
    with open(folder / "references.yaml", "w", encoding="utf-8") as out:
        out.write("references:\n")
        for i in range(1000):
            out.write(f'  r{i}: {{title: "Study {i}", authors: "Alpha A, Beta B", year: {2000 + i % 25}, '
                      f'doi: "10.5555/bench.{i}", verified: "yes"}}\n')
    seen: set[tuple[int, int, int]] = set()
    with open(folder / "edges" / "edges.yaml", "w", encoding="utf-8") as out:
        out.write("edges:\n")
        while len(seen) < edges:
            s, p, o = rng.randrange(nodes), rng.randrange(6), rng.randrange(nodes)
            if s == o or (s, p, o) in seen:
                continue
            seen.add((s, p, o))
            out.write(f"  - {{subject: n{s}, predicate: {PREDICATES[p]}, object: n{o}, evidence: "
                      f"[{{reference: r{rng.randrange(1000)}, kind: {KINDS[len(seen) % 4]}, "
                      f'context: {{species: rat}}, finding: "Finding {len(seen)}."}}]}}\n')
    return folder


def timed(argv: list[str]) -> tuple[float, float, float, str]:
    """Run ``argv`` under ``/usr/bin/time -v``: (wall s, CPU s = user + system, peak RSS MB, error)."""
    done = subprocess.run(["/usr/bin/time", "-v", *argv], capture_output=True, text=True)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", done.stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    if done.returncode != 0 or not (wall and user and system and rss):
        return float("nan"), float("nan"), float("nan"), done.stderr.strip().splitlines()[0] if done.stderr else "?"
    h, m, s = (float(x) if x else 0.0 for x in wall.groups())
    cpu = float(user.group(1)) + float(system.group(1))
    return h * 3600 + m * 60 + s, cpu, int(rss.group(1)) / 1024, ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edges", type=int, default=10_000)
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument("--whole", action="store_true", help="also draw the whole graph (no --focus)")
    parser.add_argument("--view-only", action="store_true", help="time only the view command(s)")
    args = parser.parse_args(argv)
    exe = str(Path(sys.executable).with_name("mtorgraph"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_curated(Path(tmp) / "graph", args.edges)
        if not args.view_only:
            base, base_cpu, base_rss, _ = timed([exe, "--graph", str(folder), "info"])
            print(f"{args.edges} edges; `info` (load only): {base:.1f} s wall, {base_cpu:.1f} s CPU, "
                  f"{base_rss:.0f} MB", flush=True)
        cells = [("view --focus n0 --depth %d" % args.depth, ["--focus", "n0", "--depth", str(args.depth)])]
        if args.whole:
            cells.append(("view (whole graph)", []))
        for label, extra in cells:
            wall, cpu, rss, err = timed([exe, "--graph", str(folder), "view", "-o", str(Path(tmp) / "v.html"), *extra])
            print(f"{args.edges} edges; {label}: {wall:.1f} s wall, {cpu:.1f} s CPU, {rss:.0f} MB"
                  + (f"  FAILED: {err}" if err else ""), flush=True)
        if args.view_only:
            return 0
        from mtorgraph.io import load_graph
        from mtorgraph.views.html import render_html

        graph = load_graph(folder)
        started = time.perf_counter()
        page = render_html(graph, focus="n0", depth=args.depth)
        print(f"render_html(focus n0, depth {args.depth}) alone: {time.perf_counter() - started:.2f} s, "
              f"{len(page) / 1e6:.1f} MB page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
