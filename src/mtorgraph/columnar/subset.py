"""Part of a :class:`~mtorgraph.columnar.ColumnarGraph` as a new one, taken on the columns.

A view that draws a few hundred entities of a large graph runs the analyses (beliefs, conflicts)
on what it draws. Converting the drawn model objects back to columns costs a Python dict per
edge and evidence item; taking the rows from the large graph's tables costs a few array passes.

>>> from mtorgraph.model import *
>>> ev = (Evidence(reference="r", kind="in_vitro", finding="f"),)
>>> g = MechanismGraph(
...     entities=tuple(Entity(key=k, id=f"GO:{i}", label=k, name=k, kind="process") for i, k in enumerate("abc")),
...     references=(Reference(key="r", title="t", doi="10.1000/x", verified="yes"),),
...     edges=(Edge(subject="a", predicate="inhibits", object="b", evidence=ev),
...            Edge(subject="b", predicate="increases", object="c", evidence=ev)))
>>> from mtorgraph.columnar import ColumnarGraph
>>> part = take_subgraph(ColumnarGraph.from_model(g), entity_rows=[1, 2], edge_rows=[1])
>>> [(e.subject, e.predicate, e.object) for e in part.edges], [e.key for e in part.entities]
([('b', 'increases', 'c')], ['b', 'c'])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from .arrow_rows import ranges
from .graph import ColumnarGraph
from .schema import OWNER_EDGE, OWNER_LINK

__all__ = ["take_subgraph"]


def take_subgraph(graph: ColumnarGraph, *, entity_rows: Sequence[int], edge_rows: Sequence[int] = (),
                  link_rows: Sequence[int] = ()) -> ColumnarGraph:
    """The entities, edges and links at these rows of ``graph``, in the order given, with their
    evidence and every reference; no title, claims or questions.

    The result's rows follow the order given, so a model graph built from the same objects in the
    same order has the same rows (``ColumnarGraph.from_model`` of it would equal this).

    :raises ValueError: if an edge or link has an end outside ``entity_rows``, or a row repeats.
    """
    entities = np.asarray(entity_rows, dtype=np.int64)
    position = np.full(graph.tables["entities"].num_rows, -1, dtype=np.int64)
    position[entities] = np.arange(len(entities))
    if len(np.unique(entities)) != len(entities):
        raise ValueError("an entity row is given twice")
    tables = dict(graph.tables)
    tables["entities"] = graph.tables["entities"].take(entities)
    evidence_parts = []
    for name, owner, rows in (("edges", OWNER_EDGE, edge_rows), ("links", OWNER_LINK, link_rows)):
        index = np.asarray(rows, dtype=np.int64)
        if len(np.unique(index)) != len(index):
            raise ValueError(f"a row of {name} is given twice")
        table = graph.tables[name].take(index)
        for end in ("subject", "object"):
            moved = position[table.column(end).to_numpy()]
            if (moved < 0).any():
                raise ValueError(f"a row of {name} has its {end} outside the entities taken")
            field = table.schema.field(end)
            table = table.set_column(table.schema.get_field_index(end), field, pa.array(moved, field.type))
        tables[name] = table
        ptr = graph.evidence_offsets(owner)
        counts = ptr[index + 1] - ptr[index]
        items = graph.tables["evidence"].take(ranges(ptr[index], counts))
        field = items.schema.field("row")
        renumbered = pa.array(np.repeat(np.arange(len(index)), counts), field.type)
        evidence_parts.append(items.set_column(items.schema.get_field_index("row"), field, renumbered))
    tables["evidence"] = pa.concat_tables(evidence_parts)
    return ColumnarGraph(tables)
