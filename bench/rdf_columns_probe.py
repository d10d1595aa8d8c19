"""Probe: N-Triples/Turtle export from an in-memory ColumnarGraph, and pyoxigraph parse floors.

Builds a ColumnarGraph of N edges column by column (no model objects), writes it with the
column writer (and, with --old, the block writer it replaces), and reports CPU seconds, triples
per CPU second and peak RSS. Run one size per process so peak RSS means something::

    python bench/rdf_columns_probe.py 1000000 --format nt

Without a size it runs at 100,000 edges (as ``make bench`` runs it).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile

import numpy as np
import pyarrow as pa

from mtorgraph.analysis.beliefs import BeliefColumns
from mtorgraph.columnar import ColumnarGraph
from mtorgraph.columnar.schema import SCHEMAS
from mtorgraph.vocab import EVIDENCE_KINDS, PREDICATES


def _words(codes: np.ndarray, words: list[str]) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int16()), pa.array(words, pa.string()))


def generate(edges: int, seed: int = 7) -> ColumnarGraph:
    """A synthetic graph: edges/5 entities, edges/10 references, 2 evidence items per edge."""
    rng = np.random.default_rng(seed)
    n_ent, n_ref = max(2, edges // 5), max(1, edges // 10)
    null = pa.nulls
    entities = pa.table({
        "key": pa.array([f"e{i}" for i in range(n_ent)]), "id": pa.array([f"CHEBI:{i + 1}" for i in range(n_ent)]),
        "label": pa.array([f"entity {i}" for i in range(n_ent)]), "name": pa.array([f"Entity {i}" for i in range(n_ent)]),
        "kind": _words(np.zeros(n_ent, np.int16), ["chemical"]),
        "id_status": _words(np.zeros(n_ent, np.int16), ["verified"]),
        "synonyms": null(n_ent, pa.list_(pa.string())), "xrefs": null(n_ent, pa.list_(pa.string())),
        "note": null(n_ent, pa.string())}, schema=SCHEMAS["entities"])
    ref_cols = {f.name: null(n_ref, f.type) for f in SCHEMAS["references"]}
    ref_cols.update(key=pa.array([f"r{i}" for i in range(n_ref)]), title=pa.array([f"Study {i}" for i in range(n_ref)]),
                    pmid=pa.array([str(i + 1) for i in range(n_ref)]), year=pa.array(np.full(n_ref, 2020, np.int32)),
                    verified=_words(np.zeros(n_ref, np.int16), ["yes"]))
    references = pa.table(ref_cols, schema=SCHEMAS["references"])
    predicates = sorted(PREDICATES)
    subject = rng.integers(0, n_ent, edges, dtype=np.int32)
    obj = rng.integers(0, n_ent, edges, dtype=np.int32)
    edge_table = pa.table({"subject": subject, "predicate": _words(rng.integers(0, len(predicates), edges), predicates),
                           "object": obj, "note": null(edges, pa.string()), "source_graph": _words(
                               np.zeros(edges, np.int16), ["g"]).fill_null("g") if False else
                           pa.DictionaryArray.from_arrays(pa.nulls(edges, pa.int16()), pa.array([], pa.string()))},
                          schema=SCHEMAS["edges"])
    n_ev = 2 * edges
    kinds = sorted(k for k in EVIDENCE_KINDS if k != "hypothesis")
    ev_cols = {f.name: null(n_ev, f.type) for f in SCHEMAS["evidence"]}
    ev_cols.update(owner=pa.array(np.zeros(n_ev, np.int8)), row=pa.array(np.repeat(np.arange(edges, dtype=np.int32), 2)),
                   reference=pa.array(rng.integers(0, n_ref, n_ev, dtype=np.int32)),
                   kind=_words(rng.integers(0, len(kinds), n_ev), kinds),
                   direction=_words(np.zeros(n_ev, np.int16), ["supports"]),
                   basis=_words(np.zeros(n_ev, np.int16), ["own_result"]),
                   finding=pa.array([f"finding {i} with \"quotes\"" for i in range(n_ev)]),
                   species=_words(rng.integers(0, 2, n_ev), ["human", "mouse"]),
                   n=pa.array(rng.integers(5, 500, n_ev, dtype=np.int32)))
    evidence = pa.table(ev_cols, schema=SCHEMAS["evidence"])
    links = pa.table({f.name: null(0, f.type) for f in SCHEMAS["links"]}, schema=SCHEMAS["links"])
    return ColumnarGraph({"entities": entities, "references": references, "edges": edge_table, "links": links,
                          "evidence": evidence})


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    # optional, so `make bench` (which runs every script here without arguments) runs it at 100k
    parser.add_argument("edges", type=int, nargs="?", default=100_000, help="edges to generate (default 100,000)")
    parser.add_argument("--format", choices=["nt", "turtle"], default="nt")
    parser.add_argument("--old", action="store_true", help="the block writer this replaces")
    parser.add_argument("--parse", action="store_true", help="also parse the file with pyoxigraph (floor)")
    args = parser.parse_args()
    t0 = _cpu()
    graph = generate(args.edges)
    beliefs = BeliefColumns(np.random.default_rng(1).random(args.edges), np.zeros(0))
    t_gen = _cpu() - t0
    rss_graph = _peak_mb()
    path = os.path.join(tempfile.gettempdir(), f"probe-{args.edges}.{'nt' if args.format == 'nt' else 'ttl'}")
    t1 = _cpu()
    if args.old:
        from mtorgraph.io.rdf_blocks import iter_blocks
        from mtorgraph.io.rdf_stream import write_ntriples, write_turtle

        with open(path, "w", encoding="utf-8", newline="") as out:
            (write_ntriples if args.format == "nt" else write_turtle)(graph, out, iter_blocks(graph, beliefs))
    else:
        from mtorgraph.io import write_graph

        write_graph(graph, path, args.format, beliefs)
    t_write = _cpu() - t1
    size = os.path.getsize(path)
    import pyoxigraph

    t2 = _cpu()
    fmt = pyoxigraph.RdfFormat.N_TRIPLES if args.format == "nt" else pyoxigraph.RdfFormat.TURTLE
    with open(path, "rb") as handle:
        triples = sum(1 for _ in pyoxigraph.parse(handle, fmt))
    t_parse = _cpu() - t2
    print(f"edges={args.edges:,} format={args.format} writer={'old' if args.old else 'columns'} "
          f"generate={t_gen:.1f}s write_cpu={t_write:.1f}s triples={triples:,} "
          f"triples/s={triples / t_write:,.0f} bytes={size:,} rss_after_generate={rss_graph:.0f}MB "
          f"peak_rss={_peak_mb():.0f}MB oxigraph_parse_cpu={t_parse:.1f}s ({triples / t_parse:,.0f}/s)")
    os.unlink(path)


if __name__ == "__main__":
    sys.exit(main())
