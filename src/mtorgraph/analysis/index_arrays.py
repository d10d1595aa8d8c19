"""A path index as plain arrays and back, so it can be kept in a graph's derived store.

The step table (:class:`.step_table.StepTable`) and the :class:`.signed_index.SignedIndex` built
from it are numbers only, apart from the entity keys (read again from the graph's columns) and the
graph itself. :func:`index_to_arrays` flattens both; :func:`index_from_arrays` rebuilds them for the
same graph without sorting, grouping or scoring anything. Only an index of the unfiltered graph is
kept (an evidence filter makes a new graph, which has no store).
"""

from __future__ import annotations

from array import array
from typing import Any

import numpy as np

from .signed_index import SignedIndex
from .step_table import StepTable

__all__ = ["INDEX_ARRAYS", "STEP_ARRAYS", "index_from_arrays", "index_to_arrays"]

#: The arrays of a step table (besides the keys and the graph).
STEP_ARRAYS = ("entity_id", "src", "dst", "sign", "belief", "edge_ptr", "edge_rows", "link_row")
#: The arrays of a SignedIndex, with the typecode its constructor is given each as.
INDEX_ARRAYS = {"out_ptr": "q", "out_dst": "i", "out_sgn": "b", "out_bel": "d", "in_ptr": "q", "in_src": "i",
                "in_sgn": "b", "in_eid": "i"}


def index_to_arrays(table: StepTable, index: SignedIndex) -> dict[str, np.ndarray]:
    """The step table's and the index's arrays by name (the index's prefixed ``index.``)."""
    out = {name: np.asarray(getattr(table, name)) for name in STEP_ARRAYS}
    out.update({f"index.{name}": np.asarray(getattr(index, name)) for name in INDEX_ARRAYS})
    out["index.n"] = np.array([index.n], dtype=np.int64)
    return out


def index_from_arrays(graph: Any, arrays: dict[str, np.ndarray]) -> tuple[StepTable, SignedIndex]:
    """The step table and index of the unfiltered ``graph`` (a ``ColumnarGraph``) from
    :func:`index_to_arrays` output.

    :raises ValueError: if the arrays do not fit the graph (then build the index afresh).
    """
    entity_id = arrays["entity_id"]
    entity_keys = graph.tables["entities"].column("key").to_pylist()
    if len(entity_id) != len(entity_keys):
        raise ValueError("stored index: entity count differs")
    by_node = np.empty(len(entity_id), dtype=np.int64)
    by_node[entity_id] = np.arange(len(entity_id))
    keys = tuple(entity_keys[i] for i in by_node.tolist())
    steps = {name: arrays[name] for name in STEP_ARRAYS}
    table = StepTable(keys, **steps, columns=graph, graph=graph)
    parts = {}
    for name, typecode in INDEX_ARRAYS.items():
        values = array(typecode)
        values.frombytes(np.ascontiguousarray(arrays[f"index.{name}"]).tobytes())
        parts[name] = values
    n = int(arrays["index.n"][0])
    if n != len(keys) or len(parts["out_dst"]) != len(table.src):
        raise ValueError("stored index: sizes differ")
    return table, SignedIndex(n, **parts)
