"""Benchmark: RDF export of synthetic graphs with evidence, streaming writers against rdflib.

Graphs: ``E`` edges between ``E / 20`` process entities (GO-like ids), predicates drawn from the
closed set, one evidence per edge (reference from 1,000, kind cycling over rct / animal_in_vivo /
in_vitro / review, context species rat + anatomy prefrontal cortex + timepoint), fixed seed. Each
edge becomes about 30 triples: the direct triple, the association node (types, rdf:subject/
predicate/object, Biolink qualifiers, sign, belief, knowledge level) and the evidence node (ECO
type, publication IRIs, context). The models are built with ``model_construct`` (no validation),
so set-up stays short; the export code cannot tell the difference.

Implementations, all from the same in-memory graph and the same precomputed beliefs (belief
scoring is analysis, timed separately and reported once per size):

* ``stream nt`` / ``stream turtle``: :func:`mtorgraph.io.rdf_stream.write_ntriples` and
  ``write_turtle`` into a buffered file. No rdflib Graph is built.
* ``rdflib nt`` / ``rdflib turtle``: :func:`mtorgraph.io.rdf.to_rdf` (``Graph.add`` per triple)
  then ``Graph.serialize``. rdflib keeps ~1 kB per triple in memory, so at 1M edges (~30M
  triples) it would need ~30 GB: it runs on at most ``--rdflib-max`` edges (default 100k); larger
  sizes report that subsample's measurement (taken once, reused), marked "sub".

Each cell runs in a forked child (the graph is shared copy-on-write), so peak memory is that
cell's alone: a thread samples the child's RSS every 5 ms; "MB over base" is the peak minus the
RSS when the cell started. Times are wall-clock (rates use them), one run per cell, with the
child's CPU time beside them: when other jobs share the machine, wall time grows and CPU time
much less. Compare within a size.

Run: ``python bench/rdf.py`` (``make bench``), or ``--sizes 10000,100000`` for a subset.
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable

from mtorgraph.analysis.scoring import edge_belief
from mtorgraph.io.rdf import to_rdf
from mtorgraph.io.rdf_blocks import iter_blocks
from mtorgraph.io.rdf_stream import write_ntriples, write_turtle
from mtorgraph.model import Context, Edge, Entity, Evidence, MechanismGraph, Reference

PREDICATES = ["activates", "inhibits", "increases", "decreases", "associated_with", "no_effect_on"]
KINDS = ["rct", "animal_in_vivo", "in_vitro", "review"]
PAGE = os.sysconf("SC_PAGE_SIZE")


def synthetic_graph(edges: int, seed: int = 42) -> MechanismGraph:
    """A graph with ``edges`` unique edges, one evidence each (see the module docstring)."""
    rng = random.Random(seed)
    nodes = max(edges // 20, 50)
    entities = tuple(Entity.model_construct(key=f"n{i}", id=f"GO:{i:07d}", label=f"process {i}",
                                            name=f"process {i}", kind="process", id_status="verified",
                                            synonyms=(), xrefs=(), note=None) for i in range(nodes))
    references = tuple(Reference.model_construct(
        key=f"r{i}", title=f"Study {i}", authors="Alpha A, Beta B", year=2000 + i % 25, journal="J",
        volume=None, pages=None, doi=f"10.5555/bench.{i}", pmid=str(i + 1), pmcid=None, url=None,
        study_type=None, verified="yes", verification_note=None, seen_at=()) for i in range(1000))
    context = Context.model_construct(species="rat", anatomy="prefrontal cortex", cell_type=None, model=None,
                                      design=None, route=None, dose=None, timepoint="24 h", population=None, n=None)
    seen: set[tuple[int, int, int]] = set()
    out = []
    while len(out) < edges:
        s, p, o = rng.randrange(nodes), rng.randrange(6), rng.randrange(nodes)
        if (s, p, o) in seen:
            continue
        seen.add((s, p, o))
        evidence = Evidence.model_construct(reference=f"r{rng.randrange(1000)}", kind=KINDS[len(out) % 4],
                                            direction="supports", context=context,
                                            finding=f"Finding {len(out)}: the \"effect\" held.", effect=None,
                                            p_value="p < 0.05")
        out.append(Edge.model_construct(subject=f"n{s}", predicate=PREDICATES[p], object=f"n{o}",
                                        evidence=(evidence,), note=None))
    out.sort(key=lambda e: (e.subject, e.predicate, e.object))
    return MechanismGraph.model_construct(entities=entities, references=references, edges=tuple(out), claims=())


def _rss() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * PAGE


def in_child(cell: Callable[[], dict]) -> dict:
    """Run ``cell`` in a forked child; return its result with ``peak_mb`` (RSS over the child's base)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_end)
        base = _rss()
        peak = [base]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.005):
                peak[0] = max(peak[0], _rss())

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            result = cell()
        except BaseException as exc:  # report, never hang the parent
            result = {"error": repr(exc)}
        done.set()
        sampler.join()
        result["peak_mb"] = (max(peak[0], _rss()) - base) / 2**20
        with os.fdopen(write_end, "wb") as handle:
            pickle.dump(result, handle)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as handle:
        data = handle.read()
    os.waitpid(pid, 0)
    return pickle.loads(data)


def stream_cell(graph: MechanismGraph, beliefs: dict, writer: Callable, path: str) -> Callable[[], dict]:
    def run() -> dict:
        start, cpu = time.perf_counter(), time.process_time()
        with open(path, "w", encoding="utf-8", buffering=1 << 20) as handle:
            writer(graph, handle, iter_blocks(graph, beliefs))
        return {"seconds": time.perf_counter() - start, "cpu_s": time.process_time() - cpu,
                "file_mb": os.path.getsize(path) / 2**20}
    return run


def rdflib_cell(graph: MechanismGraph, beliefs: dict, fmt: str, path: str) -> Callable[[], dict]:
    def run() -> dict:
        start, cpu = time.perf_counter(), time.process_time()
        rdf = to_rdf(graph, beliefs)
        built = time.perf_counter()
        rdf.serialize(destination=path, format=fmt, encoding="utf-8")
        end = time.perf_counter()
        return {"seconds": end - start, "cpu_s": time.process_time() - cpu, "build_s": built - start,
                "serialize_s": end - built,
                "triples": len(rdf), "file_mb": os.path.getsize(path) / 2**20}
    return run


def count_triples(graph: MechanismGraph, beliefs: dict) -> int:
    """Triples in the export (the N-Triples writer's count, into a null sink)."""
    class Null:
        def write(self, text: str) -> int:
            return len(text)
    return write_ntriples(graph, Null(), iter_blocks(graph, beliefs))  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="edge counts, comma-separated")
    parser.add_argument("--rdflib-max", type=int, default=100_000, help="largest graph rdflib is run on")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    rdflib_done: dict[tuple[str, str, int], dict] = {}  # a subsample is measured once
    with tempfile.TemporaryDirectory(prefix="mtorgraph-bench-") as tmp:
        for size in sizes:
            t0 = time.perf_counter()
            graph = synthetic_graph(size)
            t1 = time.perf_counter()
            beliefs = {e.key: edge_belief(graph, e) for e in graph.edges}
            t2 = time.perf_counter()
            triples = count_triples(graph, beliefs)
            print(f"\n{size:,} edges: {triples:,} triples ({triples / size:.1f} per edge); graph built in "
                  f"{t1 - t0:.1f} s, beliefs scored in {t2 - t1:.1f} s (not in the times below)", flush=True)
            cells = [("stream", "nt", stream_cell(graph, beliefs, write_ntriples, f"{tmp}/s.nt")),
                     ("stream", "turtle", stream_cell(graph, beliefs, write_turtle, f"{tmp}/s.ttl"))]
            sub = graph
            if size > args.rdflib_max:
                sub = MechanismGraph.model_construct(entities=graph.entities, references=graph.references,
                                                     edges=graph.edges[: args.rdflib_max], claims=())
            for fmt in ("nt", "turtle"):
                cells.append(("rdflib", fmt, rdflib_cell(sub, beliefs, fmt, f"{tmp}/r.{fmt}")))
            for impl, fmt, cell in cells:
                key = (impl, fmt, len(sub.edges))
                result = rdflib_done[key] if impl == "rdflib" and key in rdflib_done else in_child(cell)
                if impl == "rdflib":
                    rdflib_done[key] = result
                if "error" in result:
                    print(f"  {impl:6} {fmt:6}  failed: {result['error']}", flush=True)
                    continue
                n = result.get("triples", triples)
                rate = n / result["seconds"]
                note = f" (sub: {args.rdflib_max:,} edges)" if impl == "rdflib" and sub is not graph else ""
                detail = (f"; build {result['build_s']:.1f} s + serialize {result['serialize_s']:.1f} s"
                          if impl == "rdflib" else "")
                rows.append({"edges": size, "impl": impl, "fmt": fmt, "rate": rate, **result})
                print(f"  {impl:6} {fmt:6}  {result['seconds']:7.2f} s (cpu {result['cpu_s']:6.2f} s)  "
                      f"{rate / 1e3:6.0f} k triples/s  "
                      f"peak +{result['peak_mb']:7.1f} MB  file {result['file_mb']:7.1f} MB{detail}{note}",
                      flush=True)
            del graph, sub, beliefs
    print("\nspeed-up of the streaming writers over rdflib (triples/s, same size):")
    for size in sizes:
        rate = {(r["impl"], r["fmt"]): r["rate"] for r in rows if r["edges"] == size}
        parts = [f"{fmt} {rate[('stream', fmt)] / rate[('rdflib', fmt)]:.1f}x" for fmt in ("nt", "turtle")
                 if ("stream", fmt) in rate and ("rdflib", fmt) in rate]
        print(f"  {size:>9,} edges: " + ", ".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
