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
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec

__all__ = ["needs_pandas", "run"]

#: Commands that may hand data to a library that uses pandas.
PANDAS_COMMANDS = frozenset({"atlas"})


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


def run() -> None:
    """Run the command line for ``sys.argv``; the ``mtorgraph`` script and ``python -m mtorgraph``."""
    if not needs_pandas(sys.argv[1:]):
        if "numpy" not in sys.modules:
            os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        if "pandas" not in sys.modules:
            sys.meta_path.insert(0, _PandasAbsent())
    from . import main

    main()
