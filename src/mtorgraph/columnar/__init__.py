"""Graphs held as Arrow columns, for graphs too large to be one object per record (see :mod:`.graph`).

The classes are imported on first use, so a process that only names a compiled entry
(:mod:`.version`) does not import pyarrow, numpy or the model.
"""

from typing import Any

__all__ = ["ColumnarGraph", "EdgeSequence"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import graph

        return getattr(graph, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
