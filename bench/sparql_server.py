"""Benchmark: push to, and paths from, a local Oxigraph SPARQL server.

A synthetic graph (uniform random: ``edges / 20`` process entities, six predicates, one evidence
per edge citing one of 1,000 references, fixed seed) is exported as N-Triples and pushed with
:meth:`SparqlClient.put_graph` (one streamed Graph Store PUT) into a fresh Oxigraph server on
127.0.0.1 (``oxigraph serve --location <tmp>``). Reported per size:

* **push**: triples, wall seconds, triples per wall second, and CPU seconds of this process
  (export + upload) and of the server (parsing + indexing, from /proc).
* **paths**: for a few (source, target) pairs and bounds, the remote answer (fetch the
  neighbourhood with batched ``VALUES`` queries, then the local search on it) against the local
  answer on the whole in-memory graph (``find_paths``, which builds its index each call, as the
  command does); wall and CPU per query, the edges fetched, and a check that the JSON is equal.

The machine may be shared: CPU seconds are the figures to compare; wall times are inflated.

Run: ``python bench/sparql_server.py`` (10k and 100k edges); ``--sizes 10k,100k,1M`` adds 1M.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mtorgraph.analysis.beliefs import belief_columns
from mtorgraph.analysis.paths import find_paths, paths_to_json
from mtorgraph.io import write_graph
from mtorgraph.io.remote_graph import neighbourhood
from mtorgraph.io.sparql_client import SparqlClient
from mtorgraph.model import Context, Edge, Entity, Evidence, MechanismGraph, Reference

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
PREDICATES = ["activates", "inhibits", "increases", "decreases", "associated_with", "no_effect_on"]
KINDS = ["rct", "animal_in_vivo", "in_vitro", "review"]
GRAPH_IRI = "https://example.org/bench"
TICK = os.sysconf("SC_CLK_TCK")


def synthetic_graph(edges: int, seed: int = 42) -> MechanismGraph:
    """``edges`` unique random edges over ``edges // 20`` entities, one evidence each."""
    rng = random.Random(seed)
    nodes = max(edges // 20, 50)
    entities = tuple(Entity.model_construct(key=f"n{i}", id=f"GO:{i:07d}", label=f"process {i}",
                                            name=f"process {i}", kind="process", id_status="verified",
                                            synonyms=(), xrefs=(), note=None) for i in range(nodes))
    references = tuple(Reference.model_construct(
        key=f"r{i}", title=f"Study {i}", authors="A B", year=2000 + i % 25, journal="J", volume=None, pages=None,
        doi=f"10.5555/bench.{i}", pmid=None, pmcid=None, url=None, study_type=None, verified="yes",
        verification_note=None, seen_at=()) for i in range(1000))
    context = Context.model_construct(species="rat", anatomy=None, cell_type=None, model=None, design=None,
                                      route=None, dose=None, timepoint=None, population=None, n=None)
    seen: set[tuple[int, int, int]] = set()
    out = []
    while len(out) < edges:
        s, p, o = rng.randrange(nodes), rng.randrange(6), rng.randrange(nodes)
        if s == o or (s, p, o) in seen:
            continue
        seen.add((s, p, o))
        evidence = Evidence.model_construct(reference=f"r{rng.randrange(1000)}", kind=KINDS[len(out) % 4],
                                            direction="supports", context=context, finding=f"Finding {len(out)}",
                                            effect=None, p_value=None, experiment=None, basis="own_result")
        out.append(Edge.model_construct(subject=f"n{s}", predicate=PREDICATES[p], object=f"n{o}",
                                        evidence=(evidence,), note=None))
    out.sort(key=lambda e: (e.subject, e.predicate, e.object))
    return MechanismGraph.model_construct(entities=entities, references=references, edges=tuple(out), claims=(),
                                          links=(), open_questions=(), title=None, questions=())


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _server_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _start(folder: Path) -> tuple[subprocess.Popen, str]:
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if binary is None:
        raise SystemExit("oxigraph is not installed (pip install -e '.[test]')")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            SparqlClient(f"{base}/query", graph_iri=None, retries=0, timeout=1).select("ASK {}")
            return process, base
        except Exception:  # noqa: BLE001 (not up yet)
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the Oxigraph server did not start")


def run_size(name: str, edges: int, pairs: int) -> None:
    graph = synthetic_graph(edges)
    beliefs = belief_columns(graph).by_key(graph)
    with tempfile.TemporaryDirectory(prefix="bench-sparql-") as tmp:
        process, base = _start(Path(tmp) / "store")
        try:
            client = SparqlClient(f"{base}/query", store=f"{base}/store", graph_iri=GRAPH_IRI, timeout=3600)
            wall, cpu, server = time.perf_counter(), _cpu(), _server_cpu(process.pid)
            path = write_graph(graph, Path(tmp) / "graph.nt", "nt", beliefs)
            export_wall = time.perf_counter() - wall

            def chunks():
                with path.open("rb") as handle:
                    while chunk := handle.read(1 << 20):
                        yield chunk
            client.put_graph(GRAPH_IRI, chunks)
            wall, cpu = time.perf_counter() - wall, _cpu() - cpu
            server = _server_cpu(process.pid) - server
            triples = client.count(GRAPH_IRI)
            print(f"{name}: push {triples:,} triples ({path.stat().st_size / 2**20:.0f} MiB) in {wall:.1f} s wall "
                  f"(export {export_wall:.1f} s) = {triples / wall:,.0f} triples/s; CPU: client {cpu:.1f} s, "
                  f"server {server:.1f} s")
            rng = random.Random(7)
            keys = [e.key for e in graph.entities]
            for max_length in (3, 4):
                remote_walls, remote_cpus, local_walls, local_cpus, fetched, equal = [], [], [], [], [], 0
                for _ in range(pairs):
                    s, t = rng.sample(keys, 2)
                    wall, cpu = time.perf_counter(), _cpu()
                    part = neighbourhood(client, [s], [t], max_length)
                    remote = paths_to_json(find_paths(part, s, t, max_length=max_length))
                    remote_walls.append(time.perf_counter() - wall)
                    remote_cpus.append(_cpu() - cpu)
                    fetched.append(len(part.edges))
                    wall, cpu = time.perf_counter(), _cpu()
                    local = paths_to_json(find_paths(graph, s, t, max_length=max_length))
                    local_walls.append(time.perf_counter() - wall)
                    local_cpus.append(_cpu() - cpu)
                    equal += remote == local
                mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
                print(f"{name}: paths max-length {max_length}, {pairs} pairs: remote {mean(remote_walls):.2f} s wall "
                      f"/ {mean(remote_cpus):.2f} s CPU (fetched {mean(fetched):,.0f} of {edges:,} edges); local "
                      f"{mean(local_walls):.2f} s wall / {mean(local_cpus):.2f} s CPU; equal JSON {equal}/{pairs}")
        finally:
            process.terminate()
            process.wait(30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated: 10k, 100k, 1M")
    parser.add_argument("--pairs", type=int, default=3, help="(source, target) pairs per bound")
    args = parser.parse_args(argv)
    for name in args.sizes.split(","):
        if name not in SIZES:
            parser.error(f"unknown size {name!r}; choose from {', '.join(SIZES)}")
        run_size(name, SIZES[name], args.pairs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
