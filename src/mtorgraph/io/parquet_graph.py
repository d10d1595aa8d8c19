"""The big-graph format: a folder ``NAME.mtg/`` holding the five tables as Parquet files.

Layout (the tables and their columns are :mod:`mtorgraph.columnar.schema`)::

    NAME.mtg/
      graph.json          {"format": "mtorgraph-parquet", "format_version": 1, "title": ...,
                           "questions": [...], "claims": [...], "open_questions": [...]}
      entities.parquet  references.parquet  edges.parquet  links.parquet  evidence.parquet

Rows point to rows of other tables by position, so the files are read as they are, with no
joins. Reading checks the folder over whole columns (row pointers in range, closed vocabularies,
unique keys, evidence in order, every edge with evidence) and names the file and row of the first
fault of each kind. Writing makes the whole folder at once (a reader sees the old folder or the
new one). ``--graph big.mtg`` reads it; ``export -o big.mtg`` writes it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from ..errors import InputError, OutputError
from ..model import Claim, OpenQuestion, Question
from .files import read_input_text, refuse

__all__ = ["FORMAT_VERSION", "SUFFIX", "open_parquet_graph", "write_parquet_graph"]

SUFFIX = ".mtg"
FORMAT = "mtorgraph-parquet"
#: Bump when the folder layout changes in a way older readers cannot read.
FORMAT_VERSION = 1
_META = "graph.json"


def _fault(path: Path, message: str, hint: str = "write the folder again with `mtorgraph export -o NAME.mtg`",
           code: str = "invalid-graph-folder") -> InputError:
    return refuse(path, code, message, hint)


def _small_parts(folder: Path) -> dict[str, Any]:
    from pydantic import ValidationError

    meta_path = folder / _META
    if not meta_path.exists():
        raise _fault(meta_path, "missing: a .mtg folder needs graph.json next to its Parquet files")
    try:
        meta = json.loads(read_input_text(meta_path))  # refuses FIFOs, devices, oversized files
    except (OSError, json.JSONDecodeError) as exc:
        raise _fault(meta_path, f"cannot read it as JSON ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise _fault(meta_path, f"not an mtorgraph graph folder (format is not {FORMAT!r})")
    if meta.get("format_version") != FORMAT_VERSION:
        raise _fault(meta_path, f"format_version {meta.get('format_version')!r}; this mtorgraph reads "
                                f"{FORMAT_VERSION}", "upgrade mtorgraph, or export the graph again")
    title = meta.get("title")
    if title is not None and not isinstance(title, str):
        raise _fault(meta_path, "title must be a string")
    parts: dict[str, Any] = {"title": title}
    for name, model in (("questions", Question), ("claims", Claim), ("open_questions", OpenQuestion)):
        items = meta.get(name, [])
        if not isinstance(items, list):
            raise _fault(meta_path, f"{name} must be a list")
        try:
            parts[name] = tuple(model.model_validate(item) for item in items)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise _fault(meta_path, f"{name}: {where}: {first['msg']}") from None
    return parts


def _read_table(path: Path, schema: pa.Schema) -> pa.Table:
    import pyarrow.parquet as pq

    if not path.is_file():
        raise _fault(path, "missing: a .mtg folder holds entities, references, edges, links and evidence .parquet")
    try:
        table = pq.read_table(path, memory_map=True)
    except (OSError, pa.ArrowException) as exc:
        raise _fault(path, f"cannot read it as Parquet ({' '.join(str(exc).split())})") from None
    if set(table.schema.names) != set(schema.names):
        missing = sorted(set(schema.names) - set(table.schema.names))
        extra = sorted(set(table.schema.names) - set(schema.names))
        detail = "; ".join(x for x in (f"missing {', '.join(missing)}" if missing else "",
                                       f"unknown {', '.join(extra)}" if extra else "") if x)
        raise _fault(path, f"columns do not match the {path.stem} table: {detail}")
    try:
        return table.select(schema.names).cast(schema)
    except (pa.ArrowException, ValueError) as exc:
        raise _fault(path, f"a column has the wrong type ({' '.join(str(exc).split())})") from None


def open_parquet_graph(path: str | os.PathLike[str]) -> Any:
    """Read a ``.mtg`` folder into a :class:`~mtorgraph.columnar.ColumnarGraph`, checking it.

    :raises InputError: naming the file (and row) of the first fault found.
    """
    from ..columnar import ColumnarGraph
    from ..columnar.checks import table_problems
    from ..columnar.schema import SCHEMAS

    folder = Path(path)
    if not folder.is_dir():
        raise _fault(folder, f"a {SUFFIX} graph is a folder", "give the folder `mtorgraph export` wrote")
    parts = _small_parts(folder)
    tables = {name: _read_table(folder / f"{name}.parquet", schema) for name, schema in SCHEMAS.items()}
    for table, row, message in table_problems(tables):
        raise _fault(folder / f"{table}.parquet", f"row {row}: {message}")
    graph = ColumnarGraph(tables, **parts)
    _check_keys(folder, graph)
    return graph


def _check_keys(folder: Path, graph: Any) -> None:
    """Edges and links unique by key; questions, open questions and claims naming what exists."""
    n = max(len(graph._entity_keys), 1)
    for table, column, words in (("edges", "predicate", 6), ("links", "relation", 4)):
        from ..columnar.checks import VOCABULARIES

        vocabulary = sorted(VOCABULARIES[(table, column)])
        code = graph.codes(table, column, vocabulary).astype(np.int64)
        key = (graph.array(table, "subject").astype(np.int64) * words + code) * n + graph.array(table, "object")
        unique, first = np.unique(key, return_index=True)
        if len(unique) != len(key):
            dup = np.setdiff1d(np.arange(len(key)), first)[0]
            raise _fault(folder / f"{table}.parquet", f"row {dup}: repeats the key of an earlier row")
    meta = folder / _META
    entities, references = set(graph._entity_keys), set(graph._reference_keys)
    for q in graph.questions:
        if q.source not in entities or q.target not in entities:
            raise _fault(meta, f"question {q.source} -> {q.target} names an entity the graph does not have")
    for oq in graph.open_questions:
        if oq.proposed_by not in references or not set(oq.entities) <= entities:
            raise _fault(meta, f"open question {oq.key} names an entity or reference the graph does not have")
    wanted = {label for c in graph.claims for label in c.edges}
    labels: set[str] = set()
    if wanted:
        keys = graph._entity_keys
        predicates = graph.tables["edges"].column("predicate").to_pylist()
        labels = {f"{keys[s]} {p} {keys[o]}" for s, p, o in
                  zip(graph.array("edges", "subject"), predicates, graph.array("edges", "object"))}
    for c in graph.claims:
        if not set(c.references) <= references or not set(c.edges) <= labels:
            raise _fault(meta, f"claim {c.id} names a reference or edge the graph does not have")


def write_parquet_graph(graph: Any, path: str | os.PathLike[str], beliefs: Any = None) -> Path:
    """Write ``graph`` (a model or columnar graph) as the folder ``path`` (``NAME.mtg``), atomically.

    Beliefs are not stored (they are computed from the evidence when read). An existing folder is
    replaced only if it is a graph folder (holds ``graph.json`` and Parquet files only).

    :raises OutputError: if the folder cannot be written or ``path`` is something else.
    """
    import pyarrow.parquet as pq

    from ..columnar import ColumnarGraph

    columns = graph if isinstance(graph, ColumnarGraph) else ColumnarGraph.from_model(graph)
    target = Path(os.path.abspath(path))
    if target.exists() and not (target.is_dir() and all(
            p.name == _META or p.suffix == ".parquet" for p in target.iterdir())):
        raise OutputError(f"{path}: exists and is not a {SUFFIX} graph folder; choose another name")
    meta = {"format": FORMAT, "format_version": FORMAT_VERSION, "title": columns.title,
            "questions": [q.model_dump() for q in columns.questions],
            "claims": [c.model_dump() for c in columns.claims],
            "open_questions": [q.model_dump() for q in columns.open_questions]}
    tmp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.write-", dir=target.parent))
        os.chmod(tmp, 0o777 & ~_umask())
        for name, table in columns.tables.items():
            pq.write_table(table, tmp / f"{name}.parquet", compression="zstd")
        (tmp / _META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.rename(target, old)
            os.rename(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, target)
        tmp = None
    except OSError as exc:
        raise OutputError(f"{exc.filename or path}: cannot write ({exc.strerror or exc}); "
                          "check the path and permissions") from exc
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return Path(path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


write_parquet_graph.writes_files = True  # type: ignore[attr-defined]
