"""The ``mtorgraph`` console script: the command line, without pandas where no command needs it.

pyarrow imports pandas the first time it converts any Python or numpy value, only to ask whether the
value is a pandas object. None of ours is, so where pandas is installed every command paid its import
(0.3–0.5 s of CPU) for nothing. The console script tells pyarrow that pandas is absent, except for
``atlas``, whose Spark engine hands data to pyspark, which may use it. Code that imports
mtorgraph as a library, and the click group itself (``mtorgraph.cli.main``), are left alone.

For the same commands it also asks OpenBLAS (numpy's linear algebra) for one thread, unless the
user chose a number: mtorgraph never calls linear algebra, and starting OpenBLAS's thread pool
and probing the processor when numpy is imported cost ~80 ms of every process (0.17 → 0.09 s
for ``import numpy`` here).

On Linux with glibc it asks malloc to keep freed memory for reuse (:func:`keep_freed_memory`):
reading a big file allocates and frees arrays of tens of MB per block, and by default many of
them came fresh from the kernel, page by page. Alternated first opens of a 100k-edge N-Triples
file took 4.98-5.38 s instead of 5.66-6.22 s (system time 1.0-1.2 s instead of 1.6-1.8 s) and
peaked 70-90 MB higher; at 1M edges the system time fell from 13.7 to 11.4-11.8 s, the wall time
within the hour's noise.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec

__all__ = ["keep_freed_memory", "needs_pandas", "run"]

#: Commands that may hand data to a library that uses pandas.
PANDAS_COMMANDS = frozenset({"atlas"})
#: glibc's ``mallopt`` settings (``malloc.h``), and the values the command line asks for: blocks
#: up to 32 MB (the most glibc allows) come from the heap, not a fresh mapping each, and up to
#: 128 MB freed at the heap's top stays for reuse. (Keeping 1 GB and growing the heap 256 MB at a
#: time was no faster at 100k edges and held 50-130 MB more.)
_MALLOPT = {-3: 32 * 2**20, -1: 128 * 2**20}  # M_MMAP_THRESHOLD, M_TRIM_THRESHOLD
#: Environment variables by which a user tunes glibc's malloc; if any is set, it is left alone.
MALLOC_VARIABLES = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "GLIBC_TUNABLES")


class _PandasAbsent:
    """A meta-path finder that makes ``import pandas`` fail, so pyarrow takes pandas as absent."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> ModuleSpec | None:
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("the mtorgraph command line does not use pandas")
        return None


def needs_pandas(argv: Sequence[str]) -> bool:
    """Whether the command line ``argv`` (without the program name) may need pandas: any word naming
    a command in :data:`PANDAS_COMMANDS` counts, wherever it stands (a cheap and safe overcount)."""
    return any(word in PANDAS_COMMANDS for word in argv)


def keep_freed_memory() -> bool:
    """Ask glibc's malloc to keep freed memory for reuse (see :data:`_MALLOPT`); whether it was asked.

    Only on Linux, with a C library that has ``mallopt``, and when the user set none of
    :data:`MALLOC_VARIABLES`. Up to 128 MB of freed memory stays the process's until it needs it again.
    """
    if not sys.platform.startswith("linux") or any(name in os.environ for name in MALLOC_VARIABLES):
        return False
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # (musl has no mallopt)
        return False
    return all(mallopt(parameter, value) == 1 for parameter, value in _MALLOPT.items())


def run() -> None:
    """Run the command line for ``sys.argv``; the ``mtorgraph`` script and ``python -m mtorgraph``."""
    keep_freed_memory()
    if not needs_pandas(sys.argv[1:]):
        if "numpy" not in sys.modules:
            os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        if "pandas" not in sys.modules:
            sys.meta_path.insert(0, _PandasAbsent())
    from . import main

    main()
