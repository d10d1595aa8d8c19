"""Benchmark: first open of a KGX TSV graph into a ColumnarGraph (issue #11 target: 1M edges ≤ 30 s).

Usage::

    python bench/kgx_import.py                        # 100k edges
    python bench/kgx_import.py --sizes 100000,1000000 # and 1M

Each size gets a synthetic KGX TSV pair in ``bench/.cache/kgx/`` (made once): ``E`` edges among
``E/10`` nodes (``biolink:Gene``, ids ``mtorgraph:gene_N``), five relation shapes in turn
(affects + increased + activity, affects + decreased, associated_with, negated affects, and
``biolink:treats``, which maps to nothing and is counted), 0–2 publications per edge as DOIs under
the 10.5555 test prefix. Every identifier is synthetic. Each run reads the pair with
:func:`mtorgraph.io.kgx_read.read_kgx` in a fresh process and prints its user and system CPU time
(the machine may be shared, so CPU time is the figure to compare), wall time and peak memory.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache" / "kgx"
TARGET_SECONDS = 30.0
SHAPES = (("biolink:affects", "activity", "increased", ""), ("biolink:affects", "", "decreased", ""),
          ("biolink:associated_with", "", "", ""), ("biolink:affects", "", "", "true"),
          ("biolink:treats", "", "", ""))

CHILD = """
import json, resource, sys, time
t = time.perf_counter()
from mtorgraph.io.kgx_read import read_kgx
graph, report = read_kgx(sys.argv[1])
wall = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"edges": graph.edge_count, "evidence": graph.evidence_count, "references": report.references,
                  "unmapped": report.unmapped_rows, "wall": wall, "user": ru.ru_utime, "sys": ru.ru_stime,
                  "peak_mb": ru.ru_maxrss / 1024}))
"""


def make(size: int) -> Path:
    """The edges file of a synthetic pair of ``size`` edges (written once)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    edges = CACHE / f"g{size}_edges.tsv"
    if edges.exists():
        return edges
    rng = random.Random(size)
    nodes = max(size // 10, 2)
    with open(CACHE / f"g{size}_nodes.tsv", "w", encoding="utf-8") as out:
        out.write("id\tcategory\tname\n")
        for i in range(nodes):
            out.write(f"mtorgraph:gene_{i}\tbiolink:Gene\tgene {i}\n")
    part = CACHE / f"g{size}_edges.tsv.part"
    with open(part, "w", encoding="utf-8") as out:
        out.write("subject\tpredicate\tobject\tobject_aspect_qualifier\tobject_direction_qualifier\tnegated\t"
                  "knowledge_level\tagent_type\tprimary_knowledge_source\tpublications\n")
        for i in range(size):
            predicate, aspect, direction, negated = SHAPES[i % len(SHAPES)]
            pubs = "|".join(f"doi:10.5555/kgx.{rng.randrange(size)}" for _ in range(rng.randrange(3)))
            out.write(f"mtorgraph:gene_{rng.randrange(nodes)}\t{predicate}\tmtorgraph:gene_{rng.randrange(nodes)}\t"
                      f"{aspect}\t{direction}\t{negated}\tknowledge_assertion\tautomated_agent\tinfores:example\t{pubs}\n")
    part.rename(edges)
    return edges


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000", help="comma-separated edge counts")
    args = parser.parse_args()
    print(f"{'edges':>9}  {'read':>9}  {'evidence':>9}  {'user s':>7}  {'sys s':>6}  {'wall s':>7}  {'peak MB':>8}  target")
    for size in (int(s) for s in args.sizes.split(",")):
        path = make(size)
        out = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        cpu = r["user"] + r["sys"]
        verdict = "ok" if cpu <= TARGET_SECONDS else "OVER"
        print(f"{size:>9,}  {r['edges']:>9,}  {r['evidence']:>9,}  {r['user']:>7.1f}  {r['sys']:>6.1f}  "
              f"{r['wall']:>7.1f}  {r['peak_mb']:>8.0f}  {verdict} (CPU ≤ {TARGET_SECONDS:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
