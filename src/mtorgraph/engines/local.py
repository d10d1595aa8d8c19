"""The embedded atlas engine: one process, or worker processes on this machine's cores.

Workers are forked after the search index is built, so every worker reads the parent's index
arrays through shared copy-on-write pages: nothing is pickled per task but the source key going
out and its records coming back.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from typing import Any

from ..analysis.atlas import source_conflicts
from ..analysis.paths import GraphIndex
from .job import AtlasJob, AtlasResult, order_records

__all__ = ["default_workers", "run_local"]

_SHARED: dict[str, Any] = {}


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _scan(source: str) -> tuple[str, list[dict[str, Any]]]:
    job: AtlasJob = _SHARED["job"]
    return source, source_conflicts(_SHARED["gindex"], source, job.targets, **job.search_options())


def run_local(gindex: GraphIndex, job: AtlasJob, workers: int = 1) -> AtlasResult:
    """Scan every source of ``job``; ``workers`` > 1 forks that many processes (Linux, macOS)."""
    started = time.monotonic()
    deadline = started + job.budget if job.budget is not None else None
    records: list[dict[str, Any]] = []
    done: set[str] = set()
    _SHARED.update(gindex=gindex, job=job)
    try:
        if workers <= 1 or len(job.sources) <= 1:
            for source in job.sources:
                if deadline is not None and time.monotonic() > deadline:
                    break
                records += _scan(source)[1]
                done.add(source)
        else:
            context = multiprocessing.get_context("fork")
            with context.Pool(workers) as pool:
                for source, found in pool.imap_unordered(_scan, job.sources, chunksize=1):
                    records += found
                    done.add(source)
                    if deadline is not None and time.monotonic() > deadline:
                        pool.terminate()
                        break
    finally:
        _SHARED.clear()
    skipped = tuple(s for s in job.sources if s not in done)
    return AtlasResult(order_records(records), skipped, "local", max(1, workers), time.monotonic() - started)
