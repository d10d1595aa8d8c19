"""The atlas on a Spark cluster (``pip install 'mtorgraph[spark]'``): the same per-source scan, spread
over executors.

The driver sends the graph once, as an Arrow IPC broadcast (:mod:`mtorgraph.columnar.ipc`); each
executor's Python worker rebuilds the search index from it once and keeps it for every source it
is given. Sources are partitioned across executors; the records come back as a DataFrame
(``source``, ``target``, ``score``, ``partial``, ``record`` as JSON), which :func:`run_spark` can
write as Parquet and as JSON Lines. No scheduling of our own: Spark places the tasks.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from typing import Any

from .job import AtlasJob, AtlasResult, order_records

__all__ = ["run_spark", "spark_available"]

_INDEXES: dict[str, Any] = {}
_SKIPPED = "__skipped__"


def spark_available() -> bool:
    """Whether PySpark can be imported."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return True


def _scan(payload: Any, job: dict[str, Any], deadline: float | None, source: str) -> list[tuple]:
    from ..analysis.atlas import source_conflicts
    from ..analysis.paths import to_graph_index
    from ..columnar.ipc import from_ipc_bytes

    if deadline is not None and time.time() > deadline:
        return [(source, _SKIPPED, 0.0, True, "")]
    gindex = _INDEXES.get(job["token"])
    if gindex is None:
        _INDEXES.clear()
        gindex = _INDEXES[job["token"]] = to_graph_index(from_ipc_bytes(payload.value), **job["index_options"])
    found = source_conflicts(gindex, source, job["targets"], max_length=job["max_length"], limit=job["limit"],
                             timeout=job["timeout"])
    return [(r["source"], r["target"], r["score"], r["partial"], json.dumps(r, sort_keys=True)) for r in found]


def run_spark(graph: Any, job: AtlasJob, *, master: str | None = None, out_dir: str | None = None) -> AtlasResult:
    """Run the atlas on the Spark session in reach (``master`` starts one, e.g. ``local[2]``).

    With ``out_dir``, the DataFrame is written there as ``atlas.parquet`` and ``atlas.jsonl`` (Spark
    output folders of part files).
    """
    from pyspark.sql import SparkSession
    from pyspark.sql.types import BooleanType, DoubleType, StringType, StructField, StructType

    from ..columnar import ColumnarGraph
    from ..columnar.ipc import to_ipc_bytes

    started = time.monotonic()
    builder = SparkSession.builder.appName("mtorgraph-atlas").config("spark.ui.enabled", "false")
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):  # executors on this machine run this interpreter
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = builder.config("spark.pyspark.python", sys.executable)
    spark = builder.getOrCreate()
    context = spark.sparkContext
    columns = graph if isinstance(graph, ColumnarGraph) else ColumnarGraph.from_model(graph)
    payload = context.broadcast(to_ipc_bytes(columns))
    deadline = time.time() + job.budget if job.budget is not None else None
    spec = {"targets": list(job.targets), "max_length": job.max_length, "limit": job.limit,
            "timeout": job.timeout, "index_options": job.index_options, "token": uuid.uuid4().hex}
    slices = max(1, min(len(job.sources), context.defaultParallelism * 4))
    rows = context.parallelize(list(job.sources), slices).flatMap(lambda s: _scan(payload, spec, deadline, s))
    schema = StructType([StructField("source", StringType()), StructField("target", StringType()),
                         StructField("score", DoubleType()), StructField("partial", BooleanType()),
                         StructField("record", StringType())])
    frame = spark.createDataFrame(rows, schema).cache()
    found = frame.filter(frame.target != _SKIPPED)
    if out_dir:
        found.write.mode("overwrite").parquet(f"{out_dir}/atlas.parquet")
        found.select("record").write.mode("overwrite").text(f"{out_dir}/atlas.jsonl")
    collected = frame.collect()
    payload.unpersist()
    records = [json.loads(r["record"]) for r in collected if r["target"] != _SKIPPED]
    skipped = tuple(sorted(r["source"] for r in collected if r["target"] == _SKIPPED))
    return AtlasResult(order_records(records), skipped, "spark", context.defaultParallelism,
                       time.monotonic() - started)
