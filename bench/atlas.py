"""Benchmark: the paradox atlas on synthetic graphs, one process vs local workers vs Spark local mode.

Graphs are built in memory as columns (no files: the atlas's cost is the scan, which this isolates;
bench/e2e.py measures reading files). ``E`` edges among ``E/8`` entities, Chung-Lu endpoints
(power-law expected degrees, γ = 2.3, hubs both ways), 48 % activates/increases, 48 %
inhibits/decreases, 3 % associated_with, 1 % no_effect_on; 1–5 evidence items per edge (mean 1.8)
from a few hundred references (Zipf), species and kinds drawn at random. Sources: ``--sources``
chemicals (default 1,000) placed at random ranks of the degree sequence; targets: 2 % of entities
as diseases and 2 % as phenotypes.

A full atlas over 1,000 sources at 10^5–10^6 edges runs for hours on two cores, so each engine
scans a sample of sources (``--sample``, the same sources for every engine) and the figures are
pairs per second (source × target pairs examined, whether or not they conflict) and seconds per
source; the full-run time is extrapolated from them and marked as such.

Run: ``python bench/atlas.py`` (100k); ``--sizes 100000,1000000``; ``--engines local,spark``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time

import numpy as np
import pyarrow as pa

from mtorgraph.columnar import ColumnarGraph
from mtorgraph.columnar.schema import SCHEMAS

PREDICATES = np.array(["activates", "increases", "inhibits", "decreases", "associated_with", "no_effect_on"])
PREDICATE_P = [0.24, 0.24, 0.24, 0.24, 0.03, 0.01]
KINDS = np.array(["animal_in_vivo", "in_vitro", "rct", "clinical_observational", "review"])
SPECIES = np.array(["mouse", "rat", "human"])


def _dictionary(values: np.ndarray) -> pa.DictionaryArray:
    return pa.array(values.astype(object), pa.string()).dictionary_encode().cast(pa.dictionary(pa.int16(), pa.string()))


def synthetic_graph(edges: int, sources: int, seed: int = 42, gamma: float = 2.3) -> ColumnarGraph:
    """A random signed graph with ``edges`` edges and ``sources`` chemicals, as columns."""
    rng = np.random.default_rng(seed)
    n = max(edges // 8, sources * 2)
    weights = (np.arange(n) + 1.0) ** (-1 / (gamma - 1))
    weights /= weights.sum()
    want = int(edges * 1.3)
    subject = rng.choice(n, want, p=weights)
    obj = rng.choice(n, want, p=weights)
    predicate = rng.choice(len(PREDICATES), want, p=PREDICATE_P)
    keep = subject != obj
    subject, obj, predicate = subject[keep], obj[keep], predicate[keep]
    _, first = np.unique((subject.astype(np.int64) * n + obj) * 8 + predicate, return_index=True)
    first = np.sort(first)[:edges]
    subject, obj, predicate = subject[first].astype(np.int32), obj[first].astype(np.int32), predicate[first]
    m = len(subject)
    kinds = np.full(n, "process", dtype=object)
    ranks = rng.permutation(n)
    kinds[ranks[:sources]] = "chemical"
    kinds[ranks[sources:sources + n // 50]] = "disease"
    kinds[ranks[sources + n // 50:sources + 2 * (n // 50)]] = "phenotype"
    keys = np.array([f"e{i}" for i in range(n)], dtype=object)
    entities = pa.table({
        "key": keys, "id": np.array([f"GO:{i:07d}" for i in range(n)], dtype=object), "label": keys, "name": keys,
        "kind": _dictionary(kinds), "id_status": _dictionary(np.full(n, "local", dtype=object)),
        "synonyms": pa.nulls(n, pa.list_(pa.string())), "xrefs": pa.nulls(n, pa.list_(pa.string())),
        "note": pa.nulls(n, pa.string())}, schema=SCHEMAS["entities"])
    n_refs = max(50, min(2000, edges // 300))
    refs = np.array([f"r{i}" for i in range(n_refs)], dtype=object)
    null_text = pa.nulls(n_refs, pa.string())
    references = pa.table({
        "key": refs, "title": refs, "authors": null_text, "year": pa.nulls(n_refs, pa.int32()), "journal": null_text,
        "volume": null_text, "pages": null_text, "doi": np.array([f"10.5555/{r}" for r in refs], dtype=object),
        "pmid": null_text, "pmcid": null_text, "url": null_text, "study_type": null_text,
        "verified": _dictionary(np.full(n_refs, "yes", dtype=object)), "verification_note": null_text,
        "seen_at": pa.nulls(n_refs, pa.list_(pa.string()))}, schema=SCHEMAS["references"])
    edges_table = pa.table({
        "subject": subject, "predicate": _dictionary(PREDICATES[predicate]), "object": obj,
        "note": pa.nulls(m, pa.string()), "source_graph": pa.nulls(m, pa.dictionary(pa.int16(), pa.string()))},
        schema=SCHEMAS["edges"])
    per_edge = np.minimum(rng.geometric(0.55, m), 5)
    rows = np.repeat(np.arange(m, dtype=np.int32), per_edge)
    k = len(rows)
    zipf = np.minimum(rng.zipf(1.3, k) - 1, n_refs - 1).astype(np.int32)
    null_text = pa.nulls(k, pa.string())
    evidence = pa.table({
        "owner": np.zeros(k, dtype=np.int8), "row": rows, "reference": zipf,
        "kind": _dictionary(KINDS[rng.integers(0, len(KINDS), k)]),
        "direction": _dictionary(np.full(k, "supports", dtype=object)),
        "basis": _dictionary(np.full(k, "own_result", dtype=object)), "experiment": null_text,
        "finding": np.array([f"finding {i}" for i in range(k)], dtype=object), "effect": null_text,
        "p_value": null_text, "species": _dictionary(SPECIES[rng.integers(0, len(SPECIES), k)]),
        "anatomy": null_text, "cell_type": null_text, "model": null_text, "design": null_text, "route": null_text,
        "dose": null_text, "timepoint": null_text, "population": null_text, "n": pa.nulls(k, pa.int32())},
        schema=SCHEMAS["evidence"])
    links = SCHEMAS["links"].empty_table()
    return ColumnarGraph({"entities": entities, "references": references, "edges": edges_table, "links": links,
                          "evidence": evidence})


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime


def run(size: int, sources: int, sample: int, engines: list[str], max_length: int, workers: list[int]) -> dict:
    from mtorgraph.analysis.atlas import atlas_pairs
    from mtorgraph.analysis.paths import to_graph_index
    from mtorgraph.engines.job import AtlasJob
    from mtorgraph.engines.local import run_local

    out: dict = {"edges": size, "max_length": max_length}
    t0 = time.perf_counter()
    graph = synthetic_graph(size, sources)
    out["generate_s"] = round(time.perf_counter() - t0, 2)
    t0, c0 = time.perf_counter(), _cpu()
    gindex = to_graph_index(graph)
    out["index_s"], out["index_cpu_s"] = round(time.perf_counter() - t0, 2), round(_cpu() - c0, 2)
    all_sources, targets = atlas_pairs(graph)
    rng = np.random.default_rng(7)
    chosen = sorted(rng.choice(all_sources, min(sample, len(all_sources)), replace=False).tolist())
    out.update(sources=len(all_sources), targets=len(targets), sampled_sources=len(chosen))
    job = AtlasJob(tuple(chosen), tuple(targets), max_length=max_length, limit=5)
    pairs = len(chosen) * len(targets)
    results = {}
    reference = None
    for engine in engines:
        for w in (workers if engine == "local" else [2]):
            name = f"{engine}×{w}" if engine == "local" else "spark local[2]"
            t0, c0 = time.perf_counter(), _cpu()
            if engine == "local":
                result = run_local(gindex, job, w)
            else:
                from mtorgraph.engines.spark import run_spark

                result = run_spark(graph, job, master="local[2]")
            wall = time.perf_counter() - t0
            same = None if reference is None else result.records == reference
            reference = reference if reference is not None else result.records
            results[name] = {"wall_s": round(wall, 2), "cpu_s": round(_cpu() - c0, 2), "records": len(result.records),
                             "pairs_per_s": round(pairs / wall, 1), "s_per_source": round(wall / len(chosen), 3),
                             "full_run_s_extrapolated": round(wall / len(chosen) * len(all_sources), 1),
                             "same_records_as_first": same}
            print(f"{size:>9,} {name:<16} {wall:8.2f} s  {pairs / wall:10.1f} pairs/s  "
                  f"{len(result.records):6d} records  same={same}", file=sys.stderr)
    out["engines"] = results
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=20, help="sources scanned per engine (same for all)")
    parser.add_argument("--engines", default="local,spark")
    parser.add_argument("--workers", default="1,2", help="local worker counts to compare")
    parser.add_argument("--max-length", type=int, default=3)
    parser.add_argument("--out", default="bench/results-atlas.json")
    args = parser.parse_args()
    engines = [e for e in args.engines.split(",") if e]
    if "spark" in engines:
        try:
            import pyspark  # noqa: F401
        except ImportError:
            print("pyspark not installed: the spark engine is skipped", file=sys.stderr)
            engines.remove("spark")
    runs = [run(int(s), args.sources, args.sample, engines, args.max_length,
                [int(w) for w in args.workers.split(",")]) for s in args.sizes.split(",")]
    report = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                          "load_average": os.getloadavg()}, "date": time.strftime("%Y-%m-%d"), "runs": runs}
    with open(args.out, "w") as handle:
        json.dump(report, handle, indent=2)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
