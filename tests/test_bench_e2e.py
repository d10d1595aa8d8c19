"""Smoke test of bench/e2e.py at a tiny size, so the benchmark cannot rot.

It runs the script as ``make bench`` does (a subprocess), on a 200-edge graph, with one run per
cell: the generated curated graph must validate, its N-Triples export must be made and read back,
every measured cell and floor must report a time and a peak memory, the first open (empty cache)
is its own row, the target table is printed, and an input format this build cannot export is
skipped with a note. No timing is asserted.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "e2e.py"


def test_e2e_bench_runs_at_the_smallest_size(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--sizes", "200", "--runs", "1", "--budget", "60",
         "--commands", "open,info,validate", "--formats", "curated,nt,parquet",
         "--cache", str(tmp_path / "cache"), "--json", str(out)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "| info | curated |" in done.stdout and "| info | nt |" in done.stdout
    assert "| open (first: empty cache) = info | nt |" in done.stdout
    assert "| command on a file of 200 edges | goal | input | measured | floor | ratio |" in done.stdout
    assert "| first open from KGX TSV / N-Triples |" in done.stdout

    result = json.loads(out.read_text())
    cells = {(c["command"], c["fmt"]): c for c in result["cells"]}
    parquet = "parquet" not in result["unavailable"]
    if not parquet:  # the Parquet graph folder has not landed in this build: said, not measured
        assert "Not measured: parquet input: this build cannot `export --to parquet`" in done.stdout
    expected = {("open", "curated"), ("info", "curated"), ("validate", "curated"), ("open", "nt"), ("info", "nt")}
    assert set(cells) == expected | ({("open", "parquet"), ("info", "parquet")} if parquet else set())
    for cell in cells.values():
        assert cell["status"] == "ok", cell
        assert cell["seconds"] > 0 and cell["peak_mb"] > 0 and cell["runs"] == 1

    graph = result["graphs"]["200"]
    assert graph["edges"] == 200 and graph["evidence"] > 200 and graph["nt_bytes"] > 0
    assert graph["source"] == "rapamycin" and graph["target"] == "depression"

    floors = {(f["command"], f["fmt"]): f for f in result["floors"]}
    expected = {"python", "help", "yaml", "rdf"} | ({"arrow"} if importlib.util.find_spec("pyarrow") else set())
    expected |= {"table"} if parquet else set()
    if importlib.util.find_spec("yaml") is None:
        expected.discard("yaml")
    assert {name for name, _ in floors} == expected
    assert all(f["status"] == "ok" and f["seconds"] > 0 for f in floors.values())

    # The cache is reused: a second run generates and exports nothing.
    again = subprocess.run(
        [sys.executable, str(SCRIPT), "--sizes", "200", "--runs", "1", "--commands", "info",
         "--formats", "nt", "--floors", "", "--cache", str(tmp_path / "cache"), "--json", str(out)],
        capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "generated" not in again.stderr and "exported" not in again.stderr


def test_first_paths_forgets_the_derived_arrays_and_warm_paths_reads_them(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--sizes", "200", "--runs", "2", "--single-above", "60", "--budget", "60",
         "--commands", "paths-first,paths", "--formats", "curated", "--floors", "python",
         "--cache", str(tmp_path / "cache"), "--json", str(out)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "| paths, derived arrays not stored yet | curated |" in done.stdout
    cells = {c["command"]: c for c in json.loads(out.read_text())["cells"]}
    assert cells["paths-first"]["status"] == "ok" and cells["paths"]["status"] == "ok"
    # the warm run left the arrays in the cache entry: what paths-first removes before each run
    assert list((tmp_path / "cache").rglob("derived/*/arrays.json"))
