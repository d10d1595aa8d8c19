"""Whole-column checks that a set of tables is a consistent graph (for tables read from disk).

Readers of stored columns (the compiled cache, the ``.mtg`` folder format) cannot trust the file:
a row pointer out of range would index past an array, a word outside a closed vocabulary would
break every ``codes()`` caller. :func:`table_problems` finds such faults with a few vectorised
passes, naming the table, column and first bad row.

>>> import pyarrow as pa
>>> from mtorgraph.columnar.schema import SCHEMAS
>>> empty = {name: schema.empty_table() for name, schema in SCHEMAS.items()}
>>> table_problems(empty)
[]
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..model import KEY_PATTERN, REFERENCE_KEY_PATTERN
from ..vocab import ENTITY_KINDS
from .schema import OWNER_EDGE, OWNER_LINK, SCHEMAS

__all__ = ["VOCABULARIES", "table_problems"]

#: The closed vocabulary of each dictionary-encoded column (``source_graph`` is open: graph names).
VOCABULARIES: dict[tuple[str, str], frozenset[str]] = {
    ("entities", "kind"): frozenset(ENTITY_KINDS),
    ("entities", "id_status"): frozenset({"verified", "derived", "local", "unverified"}),
    ("references", "verified"): frozenset({"yes", "partial", "no"}),
    ("edges", "predicate"): frozenset({"activates", "inhibits", "increases", "decreases", "associated_with",
                                       "no_effect_on"}),
    ("links", "relation"): frozenset({"part_of", "participates_in", "subclass_of", "model_of"}),
    ("evidence", "kind"): frozenset({"rct", "clinical_observational", "postmortem_human", "animal_in_vivo", "in_vitro",
                                     "meta_analysis", "review", "regulatory", "hypothesis", "curator_inference"}),
    ("evidence", "direction"): frozenset({"supports", "refutes"}),
    ("evidence", "basis"): frozenset({"own_result", "cited_statement", "title_only"}),
    ("evidence", "species"): frozenset({"human", "mouse", "rat", "rodent"}),
}

#: Columns that may not hold nulls.
REQUIRED: dict[str, tuple[str, ...]] = {
    "entities": ("key", "id", "label", "name", "kind", "id_status"),
    "references": ("key", "title", "verified"),
    "edges": ("subject", "predicate", "object"),
    "links": ("subject", "relation", "object"),
    "evidence": ("owner", "row", "reference", "kind", "direction", "basis", "finding"),
}


def _first(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def table_problems(tables: dict[str, pa.Table]) -> list[tuple[str, int, str]]:
    """Faults in ``tables`` as ``(table, row, message)``, the first of each kind; empty when sound.

    Checked: every schema, required columns without nulls, closed vocabularies, unique keys
    (entities, references) matching the key pattern, row pointers in range, evidence owners and
    their order (sorted by owner then row), and every edge and link having evidence.
    """
    out: list[tuple[str, int, str]] = []
    for name, schema in SCHEMAS.items():
        if name not in tables:
            out.append((name, 0, "the table is missing"))
        elif not tables[name].schema.equals(schema):
            out.append((name, 0, f"the columns are not the {name} layout: {tables[name].schema.names}"))
    if out:
        return out
    for name, columns in REQUIRED.items():
        for column in columns:
            values = tables[name].column(column)
            if values.null_count:
                out.append((name, _first(values.is_null().to_numpy(zero_copy_only=False)), f"{column} is empty"))
    for (name, column), allowed in VOCABULARIES.items():
        values = tables[name].column(column)
        for chunk in values.chunks:
            words = set(chunk.dictionary.to_pylist()) - {None}
            used = set(pc.unique(chunk.indices).drop_null().to_pylist())
            bad = sorted(w for i, w in enumerate(chunk.dictionary.to_pylist()) if i in used and w not in allowed)
            if bad or not words:
                if bad:
                    out.append((name, 0, f"{column} holds {bad[0]!r}, not one of {', '.join(sorted(allowed))}"))
                break
    for name, pattern in (("entities", KEY_PATTERN), ("references", REFERENCE_KEY_PATTERN)):
        keys = tables[name].column("key")
        ok = pc.match_substring_regex(keys, pattern).to_numpy(zero_copy_only=False)
        if not ok.all():
            out.append((name, _first(~ok), "key does not match " + pattern))
        if pc.count_distinct(keys).as_py() != len(keys):
            counts = pc.value_counts(keys)
            dup = [v["values"] for v in counts.to_pylist() if v["counts"] > 1][0]
            out.append((name, keys.to_pylist().index(dup), f"key {dup!r} appears more than once"))
    n_entities, n_references = tables["entities"].num_rows, tables["references"].num_rows
    sizes = {OWNER_EDGE: tables["edges"].num_rows, OWNER_LINK: tables["links"].num_rows}
    for name in ("edges", "links"):
        for column in ("subject", "object"):
            rows = tables[name].column(column).to_numpy(zero_copy_only=False)
            bad = (rows < 0) | (rows >= n_entities)
            if bad.any():
                out.append((name, _first(bad), f"{column} points to entity row {rows[_first(bad)]}, "
                                               f"outside 0..{n_entities - 1}"))
    ev = tables["evidence"]
    owner = ev.column("owner").to_numpy(zero_copy_only=False)
    row = ev.column("row").to_numpy(zero_copy_only=False)
    ref = ev.column("reference").to_numpy(zero_copy_only=False)
    bad = (ref < 0) | (ref >= n_references)
    if bad.any():
        out.append(("evidence", _first(bad), f"reference points to row {ref[_first(bad)]}, "
                                             f"outside 0..{n_references - 1}"))
    bad = (owner != OWNER_EDGE) & (owner != OWNER_LINK)
    if bad.any():
        out.append(("evidence", _first(bad), f"owner is {owner[_first(bad)]}, not {OWNER_EDGE} or {OWNER_LINK}"))
        return out
    limit = np.where(owner == OWNER_EDGE, sizes[OWNER_EDGE], sizes[OWNER_LINK])
    bad = (row < 0) | (row >= limit)
    if bad.any():
        out.append(("evidence", _first(bad), f"row {row[_first(bad)]} is past the end of its table"))
        return out
    order = owner.astype(np.int64) * (2**32) + row.astype(np.int64)
    unsorted = np.diff(order) < 0
    if unsorted.any():
        out.append(("evidence", _first(unsorted) + 1, "rows are not sorted by (owner, row)"))
    for code, name in ((OWNER_EDGE, "edges"), (OWNER_LINK, "links")):
        has = np.zeros(sizes[code], dtype=bool)
        has[row[owner == code]] = True
        if not has.all():
            out.append((name, _first(~has), "has no evidence"))
    return out
