"""Benchmark: whole CLI processes on synthetic graphs read from files, against floors.

This measures what a user waits for: a fresh ``mtorgraph`` process that reads a graph file and
answers one command. Each cell is one subprocess; its wall time (median of ``--runs``) and its peak
resident memory (``ru_maxrss`` of that child, from ``os.wait4``) are recorded.

Graphs (generated once per size into ``--cache``, default ``bench/.cache/e2e``, and reused):

* **curated**: the project's curated layout, a directory with ``entities.yaml``,
  ``references.yaml`` and ``edges/*.yaml`` (at most 5,000 edges per file). ``E`` edges between
  ``E / 8`` entities; the endpoints are drawn Chung-Lu style (expected degree ∝ (rank+1)^(-1/1.3),
  the same weight for in and out, so hubs are hubs both ways); about 2 % of pairs also carry the
  opposite sign (conflicting pairs), a few % are ``associated_with`` or ``no_effect_on``. Each edge
  has 1-5 evidence items (mean ≈ 1.8) with a context (species, anatomy, design, sometimes a
  timepoint or n), a finding sentence, and a reference from a pool of ``min(300, max(50, E/20))``
  references (Zipf-like reuse). Kinds: 2 % chemicals (CHEBI), 2 % diseases/phenotypes
  (MONDO/HP), the rest genes (NCBIGene) and processes (GO). Every identifier is synthetic
  (DOIs use the 10.5555 test prefix); the graph validates with 0 errors.
* **nt**, **ttl**, **parquet**, **kgx**: what ``mtorgraph --graph DIR export --to X`` makes of that
  directory (N-Triples, Turtle, the Parquet graph folder, the KGX TSV pair), listed as data in
  :data:`INPUTS` and re-made when ``src/mtorgraph/io`` changes; a format the build cannot export is
  skipped with a note.
* ``evidence.csv``, ``entities.csv``, ``references.csv``: the same content as flat tables, one row
  per evidence item (edge columns repeated), for the columnar floor.

Commands, each ``mtorgraph --graph G ...`` for every input format: ``open`` (``info`` with an empty
compiled cache, ``MTORGRAPH_CACHE_DIR``; every other command runs with the cache warm), ``info``, ``validate`` (curated
only: it checks the curated layout), ``paths A B`` (with the derived arrays stored by an earlier command),
``paths-first`` (the same ``paths A B`` with the cache's derived arrays removed before each run: the
first search after a graph is opened, which computes and stores beliefs, steps and index), ``conflicts A B``, the unpaired conflict scan
``conflicts --timeout 1`` (every chemical × disease/phenotype pair; the timeout bounds each side of
each pair, so only the process budget bounds the whole scan: shown as "scan (1 s/side)"),
``export --to nt`` and ``--to turtle``, ``view --focus X --depth 2``, ``build``. A is a hub-ish
chemical, B a disease (keyed ``rapamycin`` and ``depression``, since ``build``
writes its report for that pair), X an entity near the 90th degree percentile (all in ``meta.json``).

Floors, measured in the same run, also whole processes: ``python -c pass``, ``mtorgraph --help``;
``pyarrow.csv`` read of the three tables (the columnar floor); libyaml's C loader
(``yaml.CSafeLoader``) over every YAML file (the YAML floor); ``pyoxigraph.parse`` iterating every
triple of the export (the RDF floor); pyarrow reading the Parquet or TSV files of the input (the
table floor). Ratios are to the floor of the same input format and to the columnar floor. Issue 11's
target table (:data:`TARGETS`) is printed first, filled from the run.

Budgets: a cell that runs longer than ``--budget`` seconds is killed and shown as "> budget"; it
is not repeated, and it is not run at larger sizes (shown "> budget (skipped)"). A cell is also
skipped when even linear growth from the previous size would exceed the budget (at least linear
is a safe assumption for reading a bigger file). Cells slower than ``--single-above`` seconds run
once. The exponent x in time ∝ edges^x is a least-squares fit of log time over sizes ≥ 10k; when
the largest size exceeded the budget, a lower bound "≥ x" from the last measured size is shown.

Run: ``python bench/e2e.py`` (``make bench``: 1k, 10k, 100k); ``--max-edges 1000000`` adds 1M;
``--sizes 1000,10000`` for a subset; ``--help`` for the rest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import importlib.util
import json
import math
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GENERATOR_VERSION = 3
DEFAULT_SIZES = (1_000, 10_000, 100_000)
SCAN_TIMEOUT = 1.0


@dataclass(frozen=True)
class InputFormat:
    """One input the commands read: how it is made from the curated graph and which floor it has.

    :param export_to: the ``mtorgraph export --to`` value that writes it (``None``: the generated
        curated folder itself). A build whose ``export`` does not know the value (exit 2) has no such
        input: its cells are skipped with a note, so formats can be listed before they land.
    :param file: the path given to ``--graph`` (and to ``export -o``), inside the input's folder.
    :param floor: the floor its ratios compare with (``yaml``, ``rdf`` or ``table``).
    """

    export_to: str | None
    file: str
    floor: str


#: Every input format, in table order. Add a format here when a reader and writer land.
INPUTS: dict[str, InputFormat] = {
    "curated": InputFormat(None, "graph", "yaml"),
    "nt": InputFormat("nt", "graph.nt", "rdf"),
    "ttl": InputFormat("turtle", "graph.ttl", "rdf"),
    "parquet": InputFormat("parquet", "graph.mtg", "table"),   # the core-io Parquet graph folder
    "kgx": InputFormat("kgx-tsv", "graph_edges.tsv", "table"),  # KGX TSV pair (graph_nodes.tsv too)
}
FORMATS = tuple(INPUTS)
#: ``open`` is ``info`` with an empty compiled cache (the first open of a file); every other command
#: runs with a warm cache (``MTORGRAPH_CACHE_DIR`` primed by the ``open`` runs).
COMMANDS = ("open", "info", "validate", "paths-first", "paths", "conflicts", "scan", "export-nt", "export-ttl", "view", "build")
FLOORS = ("python", "help", "arrow", "yaml", "rdf", "table")
EDGES_PER_FILE = 5_000

EVIDENCE_KINDS = (("animal_in_vivo", 40), ("in_vitro", 25), ("clinical_observational", 10), ("rct", 5),
                  ("review", 8), ("postmortem_human", 4), ("meta_analysis", 3), ("curator_inference", 5))
SPECIES = ("human", "mouse", "rat", "rodent")
ANATOMY = ("prefrontal cortex", "hippocampus", "amygdala", "liver", "skeletal muscle", "blood", "striatum")
DESIGNS = ("acute dose, behavioural test", "chronic stress model", "knockdown by siRNA",
           "cultured neurons, western blot", "case-control cohort", "randomised crossover trial")


# ---------------------------------------------------------------------------------------- graphs

@dataclass
class GraphFiles:
    """Where one size's inputs live, and the entities the commands ask about."""

    edges: int
    root: Path
    source: str = ""
    target: str = ""
    focus: str = ""
    meta: dict = field(default_factory=dict)

    @property
    def curated(self) -> Path:
        return self.root / "graph"

    def input(self, fmt: str) -> Path:
        """The ``--graph`` path of input ``fmt`` (made by :func:`make_input`)."""
        return self.curated if fmt == "curated" else self.root / f"in-{fmt}" / INPUTS[fmt].file

    def cache_dir(self, fmt: str) -> Path:
        """The warm compiled cache (``MTORGRAPH_CACHE_DIR``) of input ``fmt``."""
        return self.root / f"cache-{fmt}"


def _weights(n: int, gamma: float = 2.3) -> np.ndarray:
    """Chung-Lu weights of ranks 0..n-1 (expected degree ∝ (rank+1)^(-1/(γ-1))), summing to 1."""
    w = (np.arange(1, n + 1, dtype=np.float64)) ** (-1 / (gamma - 1))
    return w / w.sum()


def _kind_of(rank: int) -> tuple[str, str, str]:
    """(kind, key prefix, CURIE prefix) for the entity at degree rank ``rank``."""
    if rank % 50 == 5:
        return "chemical", "chem", "CHEBI"
    if rank % 50 == 7:
        return "disease", "dis", "MONDO"
    if rank % 100 == 31:
        return "phenotype", "phen", "HP"
    if rank % 3 == 0:
        return "process", "proc", "GO"
    return "gene", "gene", "NCBIGene"


#: Predicate codes of the generated edges (index into this tuple).
PREDICATE_CODES = ("activates", "increases", "inhibits", "decreases", "associated_with", "no_effect_on")
#: The opposite-sign predicate of each signed code.
OPPOSITE_CODE = np.array([2, 3, 0, 1, 4, 5])


def _sample_edges(rng: np.random.Generator, n: int, edges: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """``edges`` distinct (subject, predicate, object) rows: Chung-Lu endpoints, no self-loops, one
    edge per ordered pair except the ~2 % conflicting pairs, which also carry the opposite sign."""
    weights = _weights(n)
    us, vs = np.empty(0, np.int64), np.empty(0, np.int64)
    while True:  # distinct ordered pairs, in drawing order
        need = int((edges - len(us)) * 1.3) + 64
        u = rng.choice(n, size=need, p=weights)
        v = rng.choice(n, size=need, p=weights)
        us, vs = np.concatenate([us, u]), np.concatenate([vs, v])
        keep = us != vs
        us, vs = us[keep], vs[keep]
        _, first = np.unique(us * n + vs, return_index=True)
        first.sort()
        us, vs = us[first], vs[first]
        if len(us) >= edges:
            us, vs = us[:edges], vs[:edges]
            break
    pairs = len(us)
    roll = rng.random(pairs)
    major = rng.random(pairs) < 0.6
    predicate = np.where(roll < 0.5, np.where(major, 0, 2), np.where(major, 1, 3))
    predicate[roll < 0.04] = 5
    predicate[roll < 0.03] = 4
    twin = (roll >= 0.04) & (rng.random(pairs) < 0.02)
    # each pair's edge, then its opposite-sign twin where it has one; cut at ``edges``
    repeat = 1 + twin.astype(np.int64)
    subject, obj = np.repeat(us, repeat), np.repeat(vs, repeat)
    code = np.repeat(predicate, repeat)
    starts = np.cumsum(repeat) - repeat
    twin_rows = starts[twin] + 1
    code[twin_rows] = OPPOSITE_CODE[code[twin_rows]]
    conflicting = int(np.count_nonzero(twin_rows < edges))
    return subject[:edges], code[:edges], obj[:edges], conflicting


def generate(edges: int, out: Path, seed: int = 42) -> dict:
    """Write the curated directory and the flat tables for ``edges`` edges; return the metadata.

    Everything random is drawn with numpy in whole columns and the YAML is written with plain string
    formatting, one part file at a time, so generating takes a small part of what reading it takes.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed * 1_000_003 + edges)
    n = max(edges // 8, 60)
    kinds = [_kind_of(r) for r in range(n)]
    keys = [f"{p}_{r}" for r, (_, p, _) in enumerate(kinds)]
    n_refs = min(300, max(50, edges // 20))
    subject, code, obj, conflicting = _sample_edges(rng, n, edges)
    count = len(subject)

    out_deg = np.bincount(subject, minlength=n)
    in_deg = np.bincount(obj, minlength=n)
    # The pair and the focus: the chemical with most out-edges, the disease with most in-edges, and
    # an entity near the 90th degree percentile (a depth-2 view of the top hub is the whole graph).
    chems = sorted((r for r in range(n) if kinds[r][0] == "chemical"), key=lambda r: -out_deg[r])
    diseases = sorted((r for r in range(n) if kinds[r][0] == "disease"), key=lambda r: -in_deg[r])
    by_degree = sorted(range(n), key=lambda r: -(out_deg[r] + in_deg[r]))
    focus = by_degree[len(by_degree) // 10]
    # `build` writes the report for rapamycin -> depression (hard-coded in build.py), so the pair
    # carries those two keys; their ids and labels stay synthetic.
    keys[chems[0]], keys[diseases[0]] = "rapamycin", "depression"

    # evidence columns: 1-5 items per edge (mean ≈ 1.8), in edge order
    per_edge = 1 + np.minimum(4, rng.exponential(1.3, count).astype(np.int64))
    owner = np.repeat(np.arange(count), per_edge)
    items = len(owner)
    ref = rng.choice(n_refs, size=items, p=_weights(n_refs, gamma=3.0))
    kind_weights = np.array([w for _, w in EVIDENCE_KINDS], dtype=np.float64)
    kind = rng.choice(len(EVIDENCE_KINDS), size=items, p=kind_weights / kind_weights.sum())
    human_only = np.isin(kind, [i for i, (k, _) in enumerate(EVIDENCE_KINDS)
                                if k in ("rct", "clinical_observational", "postmortem_human")])
    species = np.where(human_only, 0, rng.integers(0, len(SPECIES), items))
    anatomy = rng.integers(0, len(ANATOMY), items)
    design = rng.integers(0, len(DESIGNS), items)
    refutes = (rng.random(items) < 0.03) & (code[owner] != PREDICATE_CODES.index("no_effect_on"))
    hours = np.where(rng.random(items) < 0.3, rng.integers(1, 73, items), 0)
    sizes = np.where(rng.random(items) < 0.3, rng.integers(4, 201, items), 0)

    graph = out / "graph"
    (graph / "edges").mkdir(parents=True)
    entity_rows = []
    with open(graph / "entities.yaml", "w") as fh:
        fh.write("entities:\n")
        for r, (kind_name, _, curie) in enumerate(kinds):
            local = f"{r:07d}" if curie in ("GO", "MONDO", "HP") else str(9_000_000 + r)
            label = f"{kind_name} {r}"
            fh.write(f"  {keys[r]}:\n    id: \"{curie}:{local}\"\n    label: \"{label}\"\n"
                     f"    name: \"{label}\"\n    kind: {kind_name}\n    id_status: verified\n")
            entity_rows.append((keys[r], f"{curie}:{local}", label, label, kind_name, "verified"))
    ref_keys = [f"ref{i:04d}" for i in range(n_refs)]
    ref_rows = []
    with open(graph / "references.yaml", "w") as fh:
        fh.write("references:\n")
        for i, key in enumerate(ref_keys):
            year, title = 1995 + i % 30, f"Synthetic study {i} of signalling in a model system"
            fh.write(f"  {key}:\n    authors: \"Author{i} A, Second B, Third C\"\n    year: {year}\n"
                     f"    title: \"{title}\"\n    journal: \"Journal {i % 40}\"\n"
                     f"    doi: \"10.5555/bench.{i}\"\n    verified: \"yes\"\n")
            ref_rows.append((key, title, f"Author{i} A, Second B, Third C", year, f"Journal {i % 40}",
                             f"10.5555/bench.{i}", "yes"))

    # one part file (and one batch of the evidence table) at a time: the YAML by string formatting
    words = [p.replace("_", " ") for p in PREDICATE_CODES]
    kind_names = [k for k, _ in EVIDENCE_KINDS]
    key_array = np.array(keys, dtype=object)
    subject_l, obj_l, code_l = subject.tolist(), obj.tolist(), code.tolist()
    bounds = np.concatenate([[0], np.cumsum(per_edge)])
    evidence_schema = pa.schema([(name, pa.string()) for name in (
        "subject", "predicate", "object", "reference", "kind", "direction", "species", "anatomy", "design",
        "timepoint", "n", "finding")])
    with pacsv.CSVWriter(out / "evidence.csv", evidence_schema) as table:
        for start in range(0, count, EDGES_PER_FILE):
            stop = min(count, start + EDGES_PER_FILE)
            lo, hi = int(bounds[start]), int(bounds[stop])
            findings, item_text = [], []
            for e, r, k, sp, an, de, rf, h, sz in zip(
                    owner[lo:hi].tolist(), ref[lo:hi].tolist(), kind[lo:hi].tolist(), species[lo:hi].tolist(),
                    anatomy[lo:hi].tolist(), design[lo:hi].tolist(), refutes[lo:hi].tolist(), hours[lo:hi].tolist(),
                    sizes[lo:hi].tolist()):
                finding = (f"In {SPECIES[sp]} {ANATOMY[an]}, {keys[subject_l[e]]} {words[code_l[e]]} "
                           f"{keys[obj_l[e]]} ({DESIGNS[de]}).")
                findings.append(finding)
                item_text.append(
                    f"      - reference: {ref_keys[r]}\n        kind: {kind_names[k]}\n"
                    + ("        direction: refutes\n" if rf else "")
                    + f"        context:\n          species: {SPECIES[sp]}\n          anatomy: \"{ANATOMY[an]}\"\n"
                      f"          design: \"{DESIGNS[de]}\"\n"
                    + (f"          timepoint: \"{h} h\"\n" if h else "")
                    + (f"          n: {sz}\n" if sz else "")
                    + f"        finding: \"{finding}\"\n")
            parts = ["edges:\n"]
            for e in range(start, stop):
                parts.append(f"  - subject: {keys[subject_l[e]]}\n    predicate: {PREDICATE_CODES[code_l[e]]}\n"
                             f"    object: {keys[obj_l[e]]}\n    evidence:\n")
                parts.extend(item_text[int(bounds[e]) - lo:int(bounds[e + 1]) - lo])
            (graph / "edges" / f"part{start // EDGES_PER_FILE:04d}.yaml").write_text("".join(parts))
            rows = slice(lo, hi)
            table.write_table(pa.table({
                "subject": key_array[subject[owner[rows]]].tolist(),
                "predicate": [PREDICATE_CODES[c] for c in code[owner[rows]].tolist()],
                "object": key_array[obj[owner[rows]]].tolist(),
                "reference": [ref_keys[r] for r in ref[rows].tolist()],
                "kind": [kind_names[k] for k in kind[rows].tolist()],
                "direction": ["refutes" if rf else "supports" for rf in refutes[rows].tolist()],
                "species": [SPECIES[sp] for sp in species[rows].tolist()],
                "anatomy": [ANATOMY[a] for a in anatomy[rows].tolist()],
                "design": [DESIGNS[d] for d in design[rows].tolist()],
                "timepoint": [f"{h} h" if h else "" for h in hours[rows].tolist()],
                "n": [str(sz) if sz else "" for sz in sizes[rows].tolist()], "finding": findings},
                schema=evidence_schema))
    pacsv.write_csv(pa.table(list(zip(*entity_rows)), names=["key", "id", "label", "name", "kind", "id_status"]),
                    out / "entities.csv")
    pacsv.write_csv(pa.table([list(c) for c in zip(*ref_rows)],
                             names=["key", "title", "authors", "year", "journal", "doi", "verified"]),
                    out / "references.csv")

    meta = {
        "generator_version": GENERATOR_VERSION, "seed": seed, "edges": count, "entities": n,
        "references": n_refs, "evidence": items, "conflicting_pairs": conflicting,
        "files": math.ceil(count / EDGES_PER_FILE),
        "max_out_degree": int(out_deg.max()), "max_in_degree": int(in_deg.max()),
        "source": keys[chems[0]], "source_out_degree": int(out_deg[chems[0]]),
        "target": keys[diseases[0]], "target_in_degree": int(in_deg[diseases[0]]),
        "focus": keys[focus], "focus_degree": int(out_deg[focus] + in_deg[focus]),
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1))
    return meta


def _io_fingerprint() -> str:
    """A hash of the installed reader/writer code, so RDF exports are re-made when it changes."""
    import mtorgraph

    io_dir = Path(mtorgraph.__file__).parent / "io"
    digest = hashlib.sha256()
    for path in sorted(io_dir.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def prepare(edges: int, cache: Path, seed: int, log) -> GraphFiles:
    """The curated graph and flat tables for ``edges``, generated into the cache unless already there."""
    root = cache / f"e{edges}-s{seed}-v{GENERATOR_VERSION}"
    if not (root / "meta.json").exists():
        tmp = cache / f".tmp-{root.name}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        started = time.perf_counter()
        generate(edges, tmp, seed)
        shutil.rmtree(root, ignore_errors=True)
        tmp.rename(root)
        log(f"  generated {edges:,} edges in {time.perf_counter() - started:.1f} s -> {root}")
    files = GraphFiles(edges, root, meta=json.loads((root / "meta.json").read_text()))
    files.source, files.target, files.focus = files.meta["source"], files.meta["target"], files.meta["focus"]
    return files


#: Inputs whose format this build of mtorgraph cannot write (``export`` said exit 2), with why.
UNAVAILABLE: dict[str, str] = {}


def make_input(files: GraphFiles, fmt: str, export_budget: float, log) -> bool:
    """Make input ``fmt`` with ``mtorgraph export`` unless the cache has it from this io code.

    :returns: whether the input is there; a format the build cannot export is noted in
        :data:`UNAVAILABLE` and logged once.
    """
    if fmt == "curated":
        return True
    if fmt in UNAVAILABLE:
        return False
    spec = INPUTS[fmt]
    folder = files.input(fmt).parent
    stamp = folder / ".io"
    fingerprint = _io_fingerprint()
    if not (files.input(fmt).exists() and stamp.exists() and stamp.read_text() == fingerprint):
        part = files.root / f".part-{fmt}"
        shutil.rmtree(part, ignore_errors=True)
        part.mkdir(parents=True)
        run = run_process([_mtorgraph(), "--graph", str(files.curated), "export", "--to", spec.export_to,
                           "-o", str(part / spec.file)], export_budget, 0, env=_env(files.root / ".cache-export"))
        files.meta[f"{fmt}_export"] = {"status": run.status, "seconds": round(run.seconds, 2),
                                       "cpu": round(run.cpu, 2), "peak_mb": round(run.peak_mb)}
        if run.status != "ok" or not (part / spec.file).exists():
            shutil.rmtree(part, ignore_errors=True)
            if run.status == "exit 2":
                UNAVAILABLE[fmt] = f"this build cannot `export --to {spec.export_to}` ({run.detail})"
                log(f"  {fmt} input skipped: {UNAVAILABLE[fmt]}")
            else:
                log(f"  export {fmt} of {files.edges:,} edges: {run.status} {run.detail}; {fmt} input not measured")
            return False
        shutil.rmtree(folder, ignore_errors=True)
        part.rename(folder)
        stamp.write_text(fingerprint)
        log(f"  exported {fmt} ({_size(folder) / 1e6:.0f} MB) in {run.seconds:.1f} s ({run.cpu:.1f} cpu s)")
    files.meta[f"{fmt}_bytes"] = _size(folder)
    if fmt == "nt":
        with open(files.input(fmt), "rb") as fh:
            files.meta["nt_triples"] = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 24), b""))
    return True


def _size(path: Path) -> int:
    """Bytes in ``path`` (a file, or every file under a folder), without its stamp."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and p.name != ".io")


def _env(cache_dir: Path) -> dict[str, str]:
    """The children's environment: the compiled cache in ``cache_dir``, never the user's own."""
    return {**os.environ, "MTORGRAPH_CACHE_DIR": str(cache_dir)}


# ---------------------------------------------------------------------------------------- running

@dataclass
class Run:
    """One process: wall seconds, peak RSS in MB, and how it ended."""

    status: str  # ok | exit N | > budget
    seconds: float
    peak_mb: float
    detail: str = ""
    cpu: float = 0.0


#: Process ids of the children running now (each leads its own process group).
LIVE: set[int] = set()


def run_process(argv: list[str], budget: float, mem_limit_gb: float, env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` to completion or until ``budget`` seconds; the child's own peak RSS."""
    def limit() -> None:
        if mem_limit_gb:
            cap = int(mem_limit_gb * 2**30)
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL,
                                start_new_session=True, preexec_fn=limit, env=env)
        killed = threading.Event()
        LIVE.add(proc.pid)

        def kill() -> None:
            killed.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(budget, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # interrupted (Ctrl-C, SIGTERM): take the child down too
            kill()
            os.waitpid(proc.pid, 0)
            raise
        finally:
            timer.cancel()
            LIVE.discard(proc.pid)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        peak_mb = usage.ru_maxrss / 1024
        cpu = usage.ru_utime + usage.ru_stime
        if killed.is_set():
            return Run("> budget", budget, peak_mb, cpu=cpu)
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode(errors="replace").strip().splitlines()[-1:] or [""]
            return Run(f"exit {proc.returncode}", seconds, peak_mb, tail[0][:200], cpu)
        return Run("ok", seconds, peak_mb, cpu=cpu)


@functools.cache  # the script and its check once per run, not once per cell
def _mtorgraph() -> str:
    found = Path(sys.executable).parent / "mtorgraph"
    script = str(found) if found.exists() else (shutil.which("mtorgraph") or "mtorgraph")
    _check_entry_point(script)
    _compile_package()
    return script


def _compile_package() -> None:
    """Compile the bytecode of the mtorgraph the children import, as ``pip install`` does.

    Where ``PYTHONDONTWRITEBYTECODE`` is set (this bench machine sets it) and the package is a
    source tree (an editable install, a worktree on ``PYTHONPATH``), no process ever writes it,
    and every child compiled mtorgraph's modules from source: about 0.09 s per process in the
    runs of 2026-11-29 12:58 UTC (`paths` at 10k, six alternated pairs). A tree it cannot write to
    is left as it is, and said."""
    code = ("import compileall, os, mtorgraph; "
            "raise SystemExit(0 if compileall.compile_dir(os.path.dirname(mtorgraph.__file__), quiet=2) else 1)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode != 0:
        print("  note: mtorgraph's bytecode could not be compiled; children may compile its source each run",
              flush=True)


def _check_entry_point(script: str) -> None:
    """Stop if the console script calls another function than ``pyproject.toml`` names: an editable
    install keeps the script it was made with, and an old one (``mtorgraph.cli:main``, before the
    entry that keeps pandas out) made every command ~0.2 s slower in the runs of 2026-11-28 22:11
    to 2026-11-29 05:59."""
    import re

    project = Path(__file__).resolve().parent.parent / "pyproject.toml"
    named = re.search(r'^mtorgraph\s*=\s*"([\w.]+):(\w+)"', project.read_text(encoding="utf-8"), re.MULTILINE)
    try:
        text = Path(script).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return  # not a file we can read (found on PATH by name only): nothing to compare
    if named and f"from {named.group(1)} import {named.group(2)}" not in text:
        raise SystemExit(f"{script} does not call {named.group(1)}:{named.group(2)} as pyproject.toml says; "
                         "reinstall the package (pip install -e .) so the figures measure the current entry point")


def command_argv(command: str, graph: str, files: GraphFiles, scratch: Path) -> list[str]:
    """The argv of one benchmarked command on ``graph``."""
    base = [_mtorgraph(), "--graph", graph]
    return base + {
        "open": ["info"],
        "info": ["info"],
        "validate": ["validate"],
        "paths": ["paths", files.source, files.target],
        "paths-first": ["paths", files.source, files.target],
        "conflicts": ["conflicts", files.source, files.target],
        "scan": ["conflicts", "--timeout", str(SCAN_TIMEOUT)],
        "export-nt": ["export", "--to", "nt", "-o", str(scratch / "out.nt")],
        "export-ttl": ["export", "--to", "turtle", "-o", str(scratch / "out.ttl")],
        "view": ["view", "--focus", files.focus, "--depth", "2", "-o", str(scratch / "view.html")],
        "build": ["build", "--out", str(scratch / "build")],
    }[command]


FLOOR_CODE = {
    "arrow": ("import sys, pyarrow.csv as c\n"
              "for name in ('evidence', 'entities', 'references'):\n"
              "    t = c.read_csv(f'{sys.argv[1]}/{name}.csv')\n"),
    "yaml": ("import sys, pathlib, yaml\n"
             "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):\n"
             "    yaml.load(p.read_text(), Loader=yaml.CSafeLoader)\n"),
    "table": ("import sys, pathlib, pyarrow.csv as c, pyarrow.parquet as pq, pyarrow.ipc as ipc\n"
              "p = pathlib.Path(sys.argv[1])\n"
              "files = [p] if p.is_file() else sorted(f for f in p.rglob('*') if f.is_file())\n"
              "if p.name.endswith('_edges.tsv'):\n"
              "    files = [p, p.with_name(p.name[:-len('_edges.tsv')] + '_nodes.tsv')]\n"
              "for f in files:\n"
              "    if f.suffix == '.parquet': pq.read_table(f)\n"
              "    elif f.suffix in ('.arrow', '.feather'): ipc.open_file(f).read_all()\n"
              "    elif f.suffix == '.tsv': c.read_csv(f, parse_options=c.ParseOptions(delimiter='\\t', quote_char=False))\n"),
    "rdf": ("import sys, pyoxigraph\n"
            "fmt = pyoxigraph.RdfFormat.N_TRIPLES if sys.argv[1].endswith('.nt') else pyoxigraph.RdfFormat.TURTLE\n"
            "n = sum(1 for _ in pyoxigraph.parse(path=sys.argv[1], format=fmt))\n"),
}


def floor_argv(name: str, files: GraphFiles, fmt: str) -> list[str] | None:
    """The argv of one floor; None when its input is missing."""
    py = sys.executable
    needs = {"arrow": "pyarrow", "yaml": "yaml", "rdf": "pyoxigraph", "table": "pyarrow"}.get(name)
    if needs and importlib.util.find_spec(needs) is None:
        return None
    if name == "python":
        return [py, "-c", "pass"]
    if name == "help":
        return [_mtorgraph(), "--help"]
    if name == "arrow":
        return [py, "-c", FLOOR_CODE["arrow"], str(files.root)]
    if name == "yaml":
        return [py, "-c", FLOOR_CODE["yaml"], str(files.curated)]
    if name in ("rdf", "table") and fmt != "curated" and files.input(fmt).exists():
        return [py, "-c", FLOOR_CODE[name], str(files.input(fmt))]
    return None


@dataclass
class Cell:
    """A measured (or skipped) cell: command × format × size."""

    command: str
    fmt: str
    edges: int
    status: str
    seconds: float | None = None
    peak_mb: float | None = None
    runs: int = 0
    all_seconds: list[float] = field(default_factory=list)
    detail: str = ""
    cpu: float | None = None


def measure(argv: list[str], runs: int, budget: float, single_above: float, mem_limit_gb: float,
            scratch: Path, cache: Path | None = None, empty_cache: bool = False,
            forget_derived: bool = False) -> Cell:
    """Median wall time and max peak RSS of up to ``runs`` runs of ``argv``.

    :param cache: the children's ``MTORGRAPH_CACHE_DIR``; ``empty_cache`` empties it before each run
        (a first open), otherwise it is used as it is (warm); ``forget_derived`` removes only the
        arrays derived from the graph (every ``derived`` folder in it) before each run.
    """
    times, peaks, cpus = [], [], []
    for _ in range(runs):
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        if cache is not None and empty_cache:
            shutil.rmtree(cache, ignore_errors=True)
            cache.mkdir(parents=True)
        if cache is not None and forget_derived:
            for folder in [p for p in cache.rglob("derived") if p.is_dir()]:
                shutil.rmtree(folder, ignore_errors=True)
        run = run_process(argv, budget, mem_limit_gb, env=_env(cache) if cache is not None else None)
        if run.status != "ok":
            return Cell("", "", 0, run.status, run.seconds if run.status == "> budget" else None,
                        run.peak_mb, len(times) + 1, times, run.detail, run.cpu)
        times.append(run.seconds)
        peaks.append(run.peak_mb)
        cpus.append(run.cpu)
        if run.seconds > single_above:
            break
    return Cell("", "", 0, "ok", statistics.median(times), max(peaks), len(times), times,
                cpu=statistics.median(cpus))


def applicable(command: str, fmt: str) -> bool:
    """``validate`` checks the curated layout only; every other command reads any format."""
    return not (command == "validate" and fmt != "curated")


def floor_for(fmt: str) -> str:
    """The floor of input ``fmt``: parsing the same file with the fastest plain reader."""
    return INPUTS[fmt].floor


# ---------------------------------------------------------------------------------------- results

def exponent(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(seconds) against log(edges)."""
    if len(points) < 2:
        return None
    xs = [math.log(e) for e, _ in points]
    ys = [math.log(s) for _, s in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else None


def growth(cells: list[Cell], command: str, fmt: str, sizes: list[int], budget: float,
           metric: str = "seconds") -> str:
    """``x`` fitted over sizes ≥ 10k (or all sizes when fewer are there), ``≥ x`` past the budget.

    ``metric`` is ``seconds`` (wall) or ``cpu`` (the child's user + system time, steadier when other
    jobs share the machine). The lower bound past the budget is on wall time.
    """
    mine = {c.edges: c for c in cells if c.command == command and c.fmt == fmt}
    floor_size = 10_000 if sum(1 for s in sizes if s >= 10_000) >= 2 else min(sizes)
    ok = [(e, getattr(mine[e], metric)) for e in sizes
          if e >= floor_size and e in mine and mine[e].status == "ok" and getattr(mine[e], metric)]
    over = [e for e in sizes if e in mine and mine[e].status.startswith("> budget")]
    if over and ok:
        last_e = ok[-1][0]
        last_s = mine[last_e].seconds
        first_over = min(e for e in over if e > last_e) if any(e > last_e for e in over) else None
        if first_over:
            return f"≥ {math.log(budget / last_s) / math.log(first_over / last_e):.2f}"
    x = exponent(ok)
    return "–" if x is None else f"{x:.2f}"


def small_growth(cells: list[Cell], floors: dict, command: str, fmt: str, sizes: list[int]) -> str:
    """``x`` over the sizes up to 10k of the time above start-up (``mtorgraph --help``).

    Whole-process time at 1k is mostly start-up, which flattens the fit; taking start-up off shows
    how the work itself grows where the larger sizes are out of budget. CPU time is used.
    """
    points = []
    for e in sizes:
        cell = next((c for c in cells if c.command == command and c.fmt == fmt and c.edges == e), None)
        start = floors.get(("help", fmt, e))
        if e <= 10_000 and cell and cell.status == "ok" and start and start.status == "ok":
            work = (cell.cpu or 0) - (start.cpu or 0)
            if work > 0:
                points.append((e, work))
    x = exponent(points)
    return "–" if x is None else f"{x:.2f}"


def size_name(edges: int) -> str:
    if edges >= 1_000_000 and edges % 1_000_000 == 0:
        return f"{edges // 1_000_000}M"
    if edges >= 1_000 and edges % 1_000 == 0:
        return f"{edges // 1_000}k"
    return str(edges)


def fmt_seconds(cell: Cell | None) -> str:
    if cell is None:
        return "–"
    if cell.status == "ok":
        return f"{cell.seconds:.2f}" if cell.seconds < 100 else f"{cell.seconds:.0f}"
    return cell.status


def fmt_cpu(cell: Cell | None) -> str:
    return f"{cell.cpu:.2f}" if cell and cell.status == "ok" and cell.cpu is not None else "–"


#: How a command's row is named in the tables.
ROW_NAMES = {"open": "open (first: empty cache) = info", "paths-first": "paths, derived arrays not stored yet",
             "scan": f"scan ({SCAN_TIMEOUT:g} s/side)"}


@dataclass(frozen=True)
class Target:
    """A line of issue 11's target table: which cells measure it and the goal they are held to.

    :param cells: (command, input) pairs that measure it, each shown when it was run.
    :param at: the size it is stated for (``None``: the largest size run; 30k and 100k rows use
        that size, interpolated log-log between the sizes around it when it was not run).
    """

    what: str
    goal: str
    cells: tuple[tuple[str, str], ...]
    seconds: float | None
    bytes_per_edge: float | None = None
    at: int | None = None
    triples: bool = False


TARGETS = (
    Target("open the graph (compiled/columnar)", "≤ 5 s, ≤ 400 B per edge resident",
           (("info", "parquet"), ("info", "curated"), ("info", "kgx"), ("info", "nt")), 5.0, 400),
    Target("first open from KGX TSV / N-Triples", "≤ 30 s (≥ 1.5M triples/s with pyoxigraph)",
           (("open", "kgx"), ("open", "nt")), 30.0, triples=True),
    Target("`paths A B` end to end", "≤ 6 s cold, of which search ≤ 50 ms (bench/paths.py)",
           (("paths-first", "parquet"), ("paths-first", "curated"), ("paths-first", "kgx"),
            ("paths", "parquet"), ("paths", "curated"), ("paths", "kgx")), 6.0),
    Target("`export` N-Triples end to end", "≤ 40 s, flat memory (≥ 1M triples/s including load)",
           (("export-nt", "parquet"), ("export-nt", "curated"), ("export-nt", "kgx")), 40.0,
           triples=True),
    Target("`view --focus X --depth 2`", "≤ 8 s", (("view", "parquet"), ("view", "curated")), 8.0),
    Target("curated YAML, 30k edges, `validate`", "≤ 5 s (61 s when filed)", (("validate", "curated"),), 5.0,
           at=30_000),
    Target("`view` on a 100k-edge graph with `--focus`", "≤ 5 s", (("view", "parquet"), ("view", "curated")), 5.0,
           at=100_000),
)


def _at(cells: dict[tuple[str, str, int], Cell], command: str, fmt: str, edges: int,
        sizes: list[int]) -> tuple[Cell | None, str]:
    """The cell at ``edges``, or one interpolated log-log between the measured sizes around it."""
    if (command, fmt, edges) in cells:
        return cells[(command, fmt, edges)], ""
    below = [e for e in sizes if e < edges and cells.get((command, fmt, e)) and cells[(command, fmt, e)].status == "ok"]
    above = [e for e in sizes if e > edges and cells.get((command, fmt, e)) and cells[(command, fmt, e)].status == "ok"]
    if not below or not above:
        return None, ""
    lo, hi = cells[(command, fmt, max(below))], cells[(command, fmt, min(above))]
    t = math.log(edges / lo.edges) / math.log(hi.edges / lo.edges)

    def mix(a: float | None, b: float | None) -> float | None:
        return a * (b / a) ** t if a and b else None

    return (Cell(command, fmt, edges, "ok", mix(lo.seconds, hi.seconds), mix(lo.peak_mb, hi.peak_mb),
                 cpu=mix(lo.cpu, hi.cpu)),
            f" (interpolated {size_name(lo.edges)}–{size_name(hi.edges)})")


def render_targets(cells: list[Cell], floors: dict[tuple[str, str, int], Cell], sizes: list[int],
                   metas: dict[int, dict], ratio_on: str = "seconds") -> str:
    """Issue 11's target table filled from this run: goal, measured (wall and CPU), floor, ratio."""
    index = {(c.command, c.fmt, c.edges): c for c in cells}
    largest = max(sizes)
    out = [f"| command on a file of {size_name(largest)} edges | goal | input | measured | floor | ratio |",
           "|---|---|---|---|---|---|"]
    for target in TARGETS:
        shown = 0
        for command, fmt in target.cells:
            edges = target.at or largest
            if target.at and target.at > largest:
                continue
            cell, note = _at(index, command, fmt, edges, sizes)
            if cell is None:
                continue
            shown += 1
            what = f"{target.what}" + (f" (at {size_name(edges)})" if target.at is None and edges != largest else "")
            if cell.status != "ok":
                out.append(f"| {what} | {target.goal} | {fmt} | {cell.status} | – | – |")
                continue
            measured = f"{cell.seconds:.2f} s wall, {cell.cpu:.2f} s cpu{note}"
            verdict = []
            if target.seconds is not None:
                verdict.append("meets" if cell.seconds <= target.seconds else "over")
            if cell.peak_mb:
                per_edge = cell.peak_mb * 2**20 / edges
                measured += f"; {cell.peak_mb:.0f} MB ({per_edge:,.0f} B/edge)"
                if target.bytes_per_edge is not None:
                    verdict.append("meets" if per_edge <= target.bytes_per_edge else "over")
            triples = metas.get(edges, {}).get("nt_triples")
            if target.triples and triples and cell.seconds:
                measured += f"; {triples / cell.seconds:,.0f} triples/s ({triples:,} triples)"
            measured += f" — {'meets' if verdict and all(v == 'meets' for v in verdict) else 'over' if verdict else ''}"
            base = floors.get((floor_for(fmt), fmt, edges))
            if base and base.status == "ok" and getattr(base, ratio_on) and getattr(cell, ratio_on):
                floor_text = f"{floor_for(fmt)}: {base.seconds:.2f} s wall, {base.cpu:.2f} s cpu"
                ratio = f"{getattr(cell, ratio_on) / getattr(base, ratio_on):.1f}×"
            else:
                floor_text, ratio = "–", "–"
            out.append(f"| {what} | {target.goal} | {fmt} | {measured} | {floor_text} | {ratio} |")
        if not shown:
            out.append(f"| {target.what} | {target.goal} | – | not measured in this run | – | – |")
    out.append("| search kernel, Hetionet size, k=4, top-20 | ≤ 150 ms median on a quiet machine | – | "
               "measured by bench/paths.py, not here | – | – |")
    return "\n".join(out)


def render_summary(cells: list[Cell], floors: dict[tuple[str, str, int], Cell], sizes: list[int],
                   formats: list[str], commands: list[str], budget: float, ratio_on: str = "seconds") -> str:
    """Every command × input against "within 3× of the floor at every size, exponent ≤ 1.15"."""
    out = ["| command | input | worst ×floor (size) | x wall | x cpu | ≤ 3× and x ≤ 1.15 |", "|---|---|---|---|---|---|"]
    index = {(c.command, c.fmt, c.edges): c for c in cells}
    for command in commands:
        for fmt in formats:
            if not applicable(command, fmt) or not any((command, fmt, e) in index for e in sizes):
                continue
            worst, where = None, ""
            for e in sizes:
                cell, base = index.get((command, fmt, e)), floors.get((floor_for(fmt), fmt, e))
                if cell and cell.status == "ok" and base and base.status == "ok" \
                        and getattr(cell, ratio_on) and getattr(base, ratio_on):
                    ratio = getattr(cell, ratio_on) / getattr(base, ratio_on)
                    if worst is None or ratio > worst:
                        worst, where = ratio, size_name(e)
            x_wall, x_cpu = growth(cells, command, fmt, sizes, budget), growth(cells, command, fmt, sizes, budget, "cpu")
            statuses = {index[(command, fmt, e)].status for e in sizes if (command, fmt, e) in index}
            try:
                steep = float(x_cpu.lstrip("≥ ")) > 1.15 if x_cpu != "–" else None
            except ValueError:
                steep = None
            if statuses - {"ok"}:
                verdict = "no (" + ", ".join(sorted(statuses - {"ok"})) + ")"
            elif worst is None or steep is None:
                verdict = "–"
            else:
                verdict = "yes" if worst <= 3 and not steep else "no"
            out.append(f"| {ROW_NAMES.get(command, command)} | {fmt} | "
                       f"{f'{worst:.1f} ({where})' if worst is not None else '–'} | {x_wall} | {x_cpu} | {verdict} |")
    return "\n".join(out)


def render(cells: list[Cell], floors: dict[tuple[str, str, int], Cell], sizes: list[int],
           formats: list[str], commands: list[str], budget: float, ratio_on: str = "seconds") -> str:
    """The table (Markdown): one row per command × format, per size seconds, MB and ratios.

    ``ratio_on``: ``seconds`` (wall) or ``cpu``, the time the ×floor and ×arrow ratios compare.
    """
    out = []
    head = ["command", "input"]
    for e in sizes:
        n = size_name(e)
        head += [f"{n} s", f"{n} cpu s", f"{n} MB", f"{n} ×floor", f"{n} ×arrow"]
    head += ["x wall", "x cpu", "x work ≤10k"]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))
    index = {(c.command, c.fmt, c.edges): c for c in cells}
    for fmt in formats:
        for name in FLOORS:
            if name in ("python", "help", "arrow") and fmt != formats[0]:
                continue
            if name in ("yaml", "rdf", "table") and name != floor_for(fmt):
                continue
            row = [f"floor: {name}", fmt if name in ("yaml", "rdf", "table") else "–"]
            for e in sizes:
                cell = floors.get((name, fmt, e))
                row += [fmt_seconds(cell), fmt_cpu(cell), f"{cell.peak_mb:.0f}" if cell and cell.peak_mb else "–",
                        "", ""]
            pseudo = [Cell(name, fmt, e, c.status, c.seconds, cpu=c.cpu) for e in sizes
                      if (c := floors.get((name, fmt, e))) is not None]
            row.append(growth(pseudo, name, fmt, sizes, budget) if name not in ("python", "help") else "")
            row.append(growth(pseudo, name, fmt, sizes, budget, "cpu") if name not in ("python", "help") else "")
            row.append("")
            out.append("| " + " | ".join(row) + " |")
    for command in commands:
        for fmt in formats:
            if not applicable(command, fmt):
                continue
            row = [ROW_NAMES.get(command, command), fmt]
            for e in sizes:
                cell = index.get((command, fmt, e))
                row.append(fmt_seconds(cell))
                row.append(fmt_cpu(cell))
                row.append(f"{cell.peak_mb:.0f}" if cell and cell.peak_mb else "–")
                for floor in (floor_for(fmt), "arrow"):
                    base = floors.get((floor, fmt, e))
                    if cell and cell.status == "ok" and base and base.status == "ok" \
                            and getattr(cell, ratio_on) and getattr(base, ratio_on):
                        row.append(f"{getattr(cell, ratio_on) / getattr(base, ratio_on):.1f}")
                    elif cell and cell.status.startswith("> budget") and base and base.status == "ok":
                        row.append(f"> {budget / base.seconds:.0f}")
                    else:
                        row.append("–")
            row.append(growth(cells, command, fmt, sizes, budget))
            row.append(growth(cells, command, fmt, sizes, budget, "cpu"))
            row.append(small_growth(cells, floors, command, fmt, sizes))
            out.append("| " + " | ".join(row) + " |")
    return "\n".join(out)


def machine() -> dict:
    """nproc, CPU model, RAM, Python and the library versions that matter here."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = int(line.split()[1]) / 2**20
    except OSError:
        pass
    versions = {}
    for name in ("mtorgraph", "rdflib", "pydantic", "ruamel.yaml", "networkx", "pyoxigraph", "pyarrow", "PyYAML"):
        try:
            from importlib.metadata import version
            versions[name] = version(name)
        except Exception:  # noqa: BLE001 - a missing package is just not listed
            pass
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    return {"nproc": os.cpu_count(), "cpu": model, "ram_gib": round(ram, 1), "python": platform.python_version(),
            "versions": versions, "commit": commit, "load_average": os.getloadavg()}


# ---------------------------------------------------------------------------------------- profiling

PROFILE_CODE = """
import cProfile, sys, time
from mtorgraph.cli import main
out, argv = sys.argv[1], sys.argv[2:]
profile = cProfile.Profile(time.process_time)
profile.enable()
try:
    main(argv, standalone_mode=False)
finally:
    profile.disable()
    profile.dump_stats(out)
"""


def profile_commands(args: argparse.Namespace, log) -> int:
    """``--profile``: each command in-process under cProfile (CPU time) at every size, then the
    functions that cost most at the largest size with how their cost grows (time ∝ edges^x)."""
    import pstats

    commands = [c for c in args.profile.split(",") if c]
    if len(args.sizes) < 2 or any(c not in COMMANDS for c in commands):
        log("--profile needs commands from the list and at least two --sizes")
        return 2
    out_dir = args.cache / "profiles"
    out_dir.mkdir(parents=True, exist_ok=True)
    for command in commands:
        stats = {}
        for edges in args.sizes:
            files = prepare(edges, args.cache, args.seed, log)
            fmt = args.formats[0]
            if not make_input(files, fmt, args.export_budget, log):
                return 1
            graph = str(files.input(fmt))
            scratch = Path(tempfile.mkdtemp(prefix="mtorgraph-prof-"))
            target = out_dir / f"{command}-{fmt}-{size_name(edges)}.prof"
            argv = command_argv(command, graph, files, scratch)[1:]
            run = run_process([sys.executable, "-c", PROFILE_CODE, str(target), *argv], args.budget,
                              args.mem_limit_gb, env=_env(files.cache_dir(fmt)))
            shutil.rmtree(scratch, ignore_errors=True)
            log(f"  profiled {command} {fmt} {size_name(edges)}: {run.status}, {run.cpu:.1f} cpu s -> {target}")
            if run.status != "ok":
                break
            stats[edges] = pstats.Stats(str(target)).stats  # {(file, line, func): (cc, nc, tt, ct, callers)}
        if len(stats) < 2:
            continue
        small, large = min(stats), max(stats)
        total = max(ct for (_, _, _, ct, _) in stats[large].values())
        ratio = math.log(large / small)

        def grow(a: float, b: float) -> str:
            return f"{math.log(b / a) / ratio:.2f}" if a > 0 and b > 0 else "–"

        def where(key: tuple) -> str:
            file, line, func = key
            return f"{file.split('site-packages/')[-1].split('src/')[-1]}:{line}({func})"

        print(f"\n### {command} ({args.formats[0]}): {size_name(small)} → {size_name(large)} edges, "
              f"{total:.1f} cpu s at {size_name(large)} (under cProfile)")
        ours = [kv for kv in stats[large].items() if "mtorgraph/" in kv[0][0]]
        for title, rows in (("our functions by cumulative time", sorted(ours, key=lambda kv: -kv[1][3])),
                            ("all functions by own time", sorted(stats[large].items(), key=lambda kv: -kv[1][2]))):
            print(f"\n{title}:\n")
            print("| function | calls | x calls | own s | x own | cum s | x cum |")
            print("|---|---|---|---|---|---|---|")
            for key, (_, nc, tt, ct, _) in rows[:args.profile_rows]:
                before = stats[small].get(key)
                print(f"| {where(key)} | {nc:,} | {grow(before[1], nc) if before else '–'} | {tt:.2f} | "
                      f"{grow(before[2], tt) if before else '–'} | {ct:.2f} | "
                      f"{grow(before[3], ct) if before else '–'} |")
    return 0


# ---------------------------------------------------------------------------------------- main

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", help="comma-separated edge counts (default 1000,10000,100000 up to --max-edges)")
    p.add_argument("--max-edges", type=int, default=100_000, help="largest default size (1000000 adds 1M)")
    p.add_argument("--runs", type=int, default=3, help="runs per cell; the median is shown (default 3)")
    p.add_argument("--budget", type=float, default=120.0, help="seconds before a cell is killed (default 120)")
    p.add_argument("--single-above", type=float, default=20.0,
                   help="a cell slower than this runs once (default 20 s)")
    p.add_argument("--export-budget", type=float, default=1800.0,
                   help="seconds allowed for making each RDF input with `mtorgraph export` (default 1800)")
    p.add_argument("--jobs", type=int, default=1,
                   help="cells of one size and format run at once (default 1; more only for CPU-time "
                        "figures on a busy machine: parallel cells disturb each other's wall time)")
    p.add_argument("--mem-limit-gb", type=float, default=16.0, help="address-space cap per child (0 = none)")
    p.add_argument("--commands", default=",".join(COMMANDS), help=f"subset of {','.join(COMMANDS)}")
    p.add_argument("--formats", default=",".join(FORMATS), help=f"subset of {','.join(FORMATS)}")
    p.add_argument("--floors", default=",".join(FLOORS), help=f"subset of {','.join(FLOORS)}")
    p.add_argument("--cache", type=Path, default=HERE / ".cache" / "e2e", help="where generated graphs are kept")
    p.add_argument("--json", type=Path, default=HERE / "results-e2e.json", help="where the figures are written")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--ratio-on", choices=("wall", "cpu"), default="wall",
                   help="which time the floor ratios compare (default wall; cpu on a busy machine)")
    p.add_argument("--render", type=Path, metavar="JSON",
                   help="print the table of a saved results file instead of measuring")
    p.add_argument("--profile", metavar="COMMANDS",
                   help="instead of timing: profile these commands (cProfile, CPU time) at each size on the first "
                        "--formats input and print the costliest functions with their growth exponents")
    p.add_argument("--profile-rows", type=int, default=25, help="functions shown per profile (default 25)")
    args = p.parse_args(argv)
    if args.sizes:
        args.sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",")})
    else:
        args.sizes = [s for s in DEFAULT_SIZES if s <= args.max_edges]
        if args.max_edges > DEFAULT_SIZES[-1]:
            args.sizes.append(args.max_edges)
    args.commands = [c for c in args.commands.split(",") if c]
    args.formats = [f for f in args.formats.split(",") if f]
    args.floors = [f for f in args.floors.split(",") if f]
    bad = [c for c in args.commands if c not in COMMANDS] + [f for f in args.formats if f not in FORMATS]
    bad += [f for f in args.floors if f not in FLOORS]
    if bad or not args.sizes or args.runs < 1 or args.jobs < 1:
        p.error(f"unknown command or format: {', '.join(bad)}" if bad else "need at least one size and run")
    return args


RATIO_ON = {"wall": "seconds", "cpu": "cpu"}


def render_saved(args: argparse.Namespace) -> int:
    """``--render FILE``: the table of a results file written by an earlier run."""
    saved = json.loads(args.render.read_text())
    cells = [Cell(**c) for c in saved["cells"]]
    floors: dict[tuple[str, str, int], Cell] = {}
    formats = saved["settings"]["formats"]
    for data in saved["floors"]:
        cell = Cell(**data)
        for f in (formats if cell.command in ("python", "help", "arrow") else [cell.fmt]):
            floors[(cell.command, f, cell.edges)] = cell
    sizes = [int(e) for e in saved["graphs"]]
    metas = {int(e): meta for e, meta in saved["graphs"].items()}
    print(render_all(cells, floors, sizes, formats, saved["settings"]["commands"], saved["settings"]["budget"],
                     metas, RATIO_ON[args.ratio_on]))
    for fmt, why in saved.get("unavailable", {}).items():
        print(f"Not measured: {fmt} input: {why}.")
    return 0


def render_all(cells: list[Cell], floors: dict[tuple[str, str, int], Cell], sizes: list[int], formats: list[str],
               commands: list[str], budget: float, metas: dict[int, dict], ratio_on: str) -> str:
    """The three tables: issue 11's targets, every cell with its floors, and the per-command summary."""
    on = "CPU" if ratio_on == "cpu" else "wall"
    return "\n\n".join([
        f"### Targets (issue 11), ratios on {on} time\n\n" + render_targets(cells, floors, sizes, metas, ratio_on),
        f"### Every cell (s = wall, cpu s = the child's user + system, MB = its peak RSS; ratios on {on} time)\n\n"
        + render(cells, floors, sizes, formats, commands, budget, ratio_on),
        "### Within 3× of the floor at every size, exponent ≤ 1.15 (fitted on the sizes ≥ 10k)\n\n"
        + render_summary(cells, floors, sizes, formats, commands, budget, ratio_on)])


def _stop(signum: int, frame: object) -> None:
    """SIGTERM: kill every running child (they run in their own sessions), then exit."""
    for pid in list(LIVE):
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _stop)
    if args.profile:
        return profile_commands(args, lambda text: print(text, file=sys.stderr, flush=True))
    if args.render:
        return render_saved(args)

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    started = dt.datetime.now(dt.timezone.utc)
    info = machine()
    log(f"e2e bench: sizes {', '.join(map(size_name, args.sizes))}; {info['nproc']} CPUs ({info['cpu']}), "
        f"{info['ram_gib']} GiB; runs {args.runs}, budget {args.budget:.0f} s")
    cells: list[Cell] = []
    floors: dict[tuple[str, str, int], Cell] = {}
    over: set[tuple[str, str]] = set()   # (command, fmt) that exceeded the budget at a smaller size
    last: dict[tuple[str, str], tuple[int, float]] = {}
    metas = {}
    interrupted = False
    try:
        with tempfile.TemporaryDirectory(prefix="mtorgraph-e2e-") as tmp:
            scratch = Path(tmp) / "out"
            for edges in args.sizes:
                log(f"== {size_name(edges)} edges")
                files = prepare(edges, args.cache, args.seed, log)
                metas[edges] = files.meta

                def floor(name: str, fmt: str, shared: list[str]) -> None:
                    if name not in args.floors:
                        return
                    argv = floor_argv(name, files, fmt)
                    if argv is None:
                        log(f"  floor {name:<8} not measured: its package is missing (pip install -e '.[bench]')")
                        return
                    cell = measure(argv, args.runs, args.budget, args.single_above, args.mem_limit_gb, scratch)
                    cell.command, cell.fmt, cell.edges = name, fmt, edges
                    for f in shared:
                        floors[(name, f, edges)] = cell
                    log(f"  floor {name:<8} {fmt:<8} {fmt_seconds(cell):>9} s {cell.peak_mb or 0:7.0f} MB {cell.detail}")

                for name in ("python", "help", "arrow"):
                    floor(name, "–", args.formats)
                if "curated" in args.formats:
                    floor("yaml", "curated", ["curated"])
                for fmt in args.formats:
                    if fmt in UNAVAILABLE:
                        continue
                    plan = {}
                    for command in (c for c in args.commands if applicable(c, fmt)):
                        key = (command, fmt)
                        if key in over:
                            plan[command] = Cell(command, fmt, edges, "> budget (skipped)")
                        elif key in last and last[key][1] * edges / last[key][0] > args.budget:
                            predicted = last[key][1] * edges / last[key][0]
                            plan[command] = Cell(command, fmt, edges, "> budget (skipped)",
                                                 detail=f"linear growth from {size_name(last[key][0])} "
                                                        f"predicts {predicted:.0f} s")
                            over.add(key)
                        else:
                            plan[command] = None
                    have_input = (any(v is None for v in plan.values()) or files.input(fmt).exists()) \
                        and make_input(files, fmt, args.export_budget, log)
                    if fmt != "curated" and have_input:
                        floor(floor_for(fmt), fmt, [fmt])
                    graph = str(files.input(fmt))
                    cache = files.cache_dir(fmt)
                    todo = [c for c, cell in plan.items() if cell is None and have_input]

                    def timed(command: str) -> Cell:
                        where = scratch / f"{command}-{fmt}"
                        return measure(command_argv(command, graph, files, where), args.runs, args.budget,
                                       args.single_above, args.mem_limit_gb, where, cache, command == "open",
                                       command == "paths-first")

                    # first opens run first, one at a time: their last run leaves the cache warm
                    measured = {c: timed(c) for c in todo if c == "open"}
                    if any(c != "open" for c in todo) and not (measured.get("open") and measured["open"].status == "ok"):
                        shutil.rmtree(cache, ignore_errors=True)
                        cache.mkdir(parents=True)
                        run_process(command_argv("info", graph, files, scratch), args.budget, args.mem_limit_gb,
                                    env=_env(cache))
                    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
                        rest = [c for c in todo if c != "open"]
                        measured.update(zip(rest, pool.map(timed, rest)))
                    for command, cell in plan.items():
                        key = (command, fmt)
                        if cell is None and not have_input:
                            cell = Cell(command, fmt, edges, "no input", detail=UNAVAILABLE.get(fmt, ""))
                        elif cell is None:
                            cell = measured[command]
                            if cell.status == "> budget":
                                over.add(key)
                            elif cell.status == "ok":
                                last[key] = (edges, cell.seconds)
                        cell.command, cell.fmt, cell.edges = command, fmt, edges
                        cells.append(cell)
                        if fmt in UNAVAILABLE:
                            continue
                        log(f"  {command:<10} {fmt:<8} {fmt_seconds(cell):>18} s {fmt_cpu(cell):>8} cpu s "
                            f"{cell.peak_mb or 0:7.0f} MB  {cell.detail}")
    except (KeyboardInterrupt, SystemExit):
        interrupted = True
        log("interrupted: the figures measured so far follow")
    sizes = [e for e in args.sizes if e in metas]
    formats = [f for f in args.formats if f not in UNAVAILABLE]
    cells = [c for c in cells if c.fmt in formats]
    if sizes:
        print(render_all(cells, floors, sizes, formats, args.commands, args.budget, metas, RATIO_ON[args.ratio_on]))
    for fmt, why in UNAVAILABLE.items():
        print(f"Not measured: {fmt} input: {why}.")
    print()
    for edges, meta in metas.items():
        print(f"{size_name(edges)}: {meta['edges']:,} edges, {meta['entities']:,} entities, "
              f"{meta['evidence']:,} evidence, {meta['references']} references, {meta['conflicting_pairs']} "
              f"conflicting pairs; paths {meta['source']} → {meta['target']}, view --focus {meta['focus']} "
              f"(degree {meta['focus_degree']})")
    result = {
        "date": started.isoformat(timespec="seconds"), "machine": info, "interrupted": interrupted,
        "settings": {**{k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
                     "formats": formats},
        "unavailable": UNAVAILABLE,
        "graphs": {str(k): v for k, v in metas.items()},
        "floors": [asdict(c) for c in {id(c): c for c in floors.values()}.values()],
        "cells": [asdict(c) for c in cells],
        "exponents": {f"{c}/{f}": growth(cells, c, f, sizes, args.budget)
                      for c in args.commands for f in args.formats if applicable(c, f)},
        "cpu_exponents": {f"{c}/{f}": growth(cells, c, f, sizes, args.budget, "cpu")
                          for c in args.commands for f in args.formats if applicable(c, f)},
        "work_exponents_to_10k": {f"{c}/{f}": small_growth(cells, floors, c, f, sizes)
                                  for c in args.commands for f in args.formats if applicable(c, f)},
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    log(f"figures written to {args.json}")
    return 130 if interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
