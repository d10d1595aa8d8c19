"""Arrow rows and columns as the Python values the model classes take."""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa

__all__ = ["construct", "drop_none", "pylist", "ranges", "rows"]


#: From this many rows on, a table is turned into dicts column by column: Arrow's own
#: ``to_pylist`` costs 9-12 µs a row (dictionary words are built per value), column lists zipped
#: 3.5-5 µs, but with a fixed cost per column that loses on a few rows.
_BY_COLUMNS = 16


def rows(table: pa.Table) -> list[dict[str, Any]]:
    """Every row of ``table`` as a dict."""
    if table.num_rows < _BY_COLUMNS:
        return table.to_pylist()
    names = table.column_names
    return [dict(zip(names, values)) for values in zip(*(pylist(table.column(name)) for name in names))]


def pylist(chunked: pa.ChunkedArray) -> list:
    """A column as a list; dictionary-encoded words decoded through their (small) dictionary."""
    out: list = []
    for chunk in chunked.chunks:
        if pa.types.is_dictionary(chunk.type):
            words = chunk.dictionary.to_pylist() + [None]
            out += [words[i] for i in chunk.indices.fill_null(-1).to_numpy(zero_copy_only=False).tolist()]
        else:
            out += chunk.to_pylist()
    return out


def ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The concatenation of ``range(start, start + count)`` for each pair, without a Python loop."""
    total = int(counts.sum())
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    return offsets + np.arange(total, dtype=np.int64)


def drop_none(record: dict[str, Any]) -> dict[str, Any]:
    """A row without its null fields, list fields as tuples: a model class's keyword arguments."""
    out = {k: v for k, v in record.items() if v is not None}
    for key in ("synonyms", "xrefs", "seen_at"):
        if key in out:
            out[key] = tuple(out[key])
    return out


@cache
def _defaults(cls: type) -> dict[str, Any]:
    return {name: info.get_default(call_default_factory=True)
            for name, info in cls.model_fields.items() if not info.is_required()}


def construct(cls: type, fields: dict[str, Any]) -> Any:
    """``cls.model_construct(**fields)`` (no validation) with the same result, but the defaults of
    the fields not given come from one dict per class: pydantic resolves each missing default
    anew on every call, which is most of the cost of building a record with few fields set."""
    return cls.model_construct(_fields_set=set(fields), **(_defaults(cls) | fields))  # type: ignore[attr-defined]
