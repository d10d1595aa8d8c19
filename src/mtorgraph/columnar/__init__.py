"""Graphs held as Arrow columns, for graphs too large to be one object per record (see :mod:`.graph`)."""

from .graph import ColumnarGraph, EdgeSequence

__all__ = ["ColumnarGraph", "EdgeSequence"]
