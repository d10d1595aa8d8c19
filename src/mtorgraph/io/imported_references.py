"""References an import creates from citations: one record per PMID, DOI, PMC id, URL or other id.

A citation met one at a time (a publication node, mtorgraph's own evidence) becomes a Python
record; the many citations of generated evidence are turned into reference rows a column at a time
(:meth:`References.rows_for`), by the same rules as :func:`reference_record`: the key is the
citation folded to ``[a-z0-9_]``, the title says the real title is not known, ``pmid``/``doi``/
``pmcid``/``url`` are set when the citation is one, and ``verified`` is ``"no"``.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..columnar.schema import SCHEMAS
from ..model import DOI_PATTERN, PMCID_PATTERN, PMID_PATTERN

__all__ = ["References", "reference_record", "slug", "unique_keys"]

_NOT_KEY = re.compile(r"[^a-z0-9]+")


def slug(text: str, prefix: str = "n") -> str:
    """A key (``^[a-z][a-z0-9_]*$``) made from ``text``."""
    out = _NOT_KEY.sub("_", text.lower()).strip("_")[:60].strip("_")
    if not out or not out[0].isalpha():
        out = f"{prefix}_{out}" if out else prefix
    return out


def unique_keys(wanted: list[str]) -> list[str]:
    """``wanted`` with repeats made distinct by ``_2``, ``_3`` … suffixes."""
    seen: set[str] = set()
    out = []
    for key in wanted:
        candidate, n = key, 1
        while candidate in seen:
            n += 1
            candidate = f"{key}_{n}"
        seen.add(candidate)
        out.append(candidate)
    return out


def reference_record(cite: str, note: str) -> dict[str, Any]:
    """A reference row for a publication CURIE or URL that names no record of its own."""
    prefix, _, local = cite.partition(":")
    record: dict[str, Any] = {"key": slug(cite, "ref"), "title": f"{cite} (title not known: {note})",
                              "verified": "no",
                              "verification_note": "created by import from a citation alone; not checked"}
    upper = prefix.upper()
    if upper == "PMID" and re.fullmatch(PMID_PATTERN, local):
        record["pmid"] = local
    elif upper == "DOI" and re.fullmatch(DOI_PATTERN, local):
        record["doi"] = local
    elif upper in ("PMC", "PMCID"):
        pmcid = local if local.upper().startswith("PMC") else f"PMC{local}"
        if re.fullmatch(PMCID_PATTERN, pmcid):
            record["pmcid"] = pmcid
    elif upper in ("HTTP", "HTTPS") and re.fullmatch(r"^https?://\S+$", cite):
        record["url"] = cite
    return record


class References:
    """References met while reading, by citation, in the order first met.

    Citations met one at a time (publication nodes, mtorgraph's own evidence) are python records;
    the many citations of generated evidence are added a column at a time (:meth:`rows_for`).
    """

    def __init__(self, from_nodes: dict[str, dict[str, Any]]):
        self.records: list[dict[str, Any]] = []
        self.chunks: list[pa.Table] = []
        self.count = 0
        self.row_of_cite: dict[str, int] = {}
        self.row_of_key: dict[str, int] = {}
        self.pending = from_nodes
        for cite in from_nodes:  # publication nodes first, in file order
            self.row(cite, "")

    def row(self, cite: str, note: str) -> int:
        found = self.row_of_cite.get(cite)
        if found is not None:
            return found
        record = self.pending.get(cite) or reference_record(cite, note)
        key = record["key"]
        if key in self.row_of_key:  # two citations with one slug: keep both, apart
            record = {**record, "key": unique_keys([*self.row_of_key, key])[-1]}
        self.row_of_cite[cite] = self.row_of_key[record["key"]] = self.count
        self.records.append(record)
        self.count += 1
        return self.row_of_cite[cite]

    def by_key(self, key: str) -> int | None:
        return self.row_of_key.get(key)

    def rows_for(self, cites: pa.Array, note: str) -> np.ndarray:
        """The reference row of each citation, adding the new ones (as :func:`reference_record` would)."""
        if len(cites) == 0:
            return np.zeros(0, np.int64)
        unique = pc.unique(cites)
        known = pa.array(list(self.row_of_cite), pa.string())
        is_new = pc.invert(pc.is_in(unique, value_set=known))
        new = unique.filter(is_new)
        new_places = np.flatnonzero(is_new.to_numpy(zero_copy_only=False))
        new_rows: np.ndarray | None = None
        if len(new):
            table = _reference_columns(new, note)
            keys = table.column("key")
            clash = pc.any(pc.is_in(keys, value_set=pa.array(list(self.row_of_key), pa.string()))).as_py()
            valid = pc.all(pc.match_substring_regex(keys, r"^[a-z][a-z0-9_]*$")).as_py()
            if clash or not valid or pc.count_distinct(keys).as_py() != len(keys):
                for cite in new.to_pylist():  # rare: keys that need the careful path
                    self.row(cite, note)
            else:
                self._flush()
                rows = range(self.count, self.count + len(new))
                self.row_of_cite.update(zip(new.to_pylist(), rows))
                self.row_of_key.update(zip(keys.to_pylist(), rows))
                self.chunks.append(table)
                self.count += len(new)
                new_rows = np.arange(rows.start, rows.stop, dtype=np.int64)
        lookup = np.empty(len(unique), dtype=np.int64)
        old_places = np.setdiff1d(np.arange(len(unique)), new_places) if new_rows is not None else np.arange(len(unique))
        lookup[old_places] = [self.row_of_cite[c] for c in unique.take(pa.array(old_places, pa.int64())).to_pylist()]
        if new_rows is not None:
            lookup[new_places] = new_rows
        return lookup[pc.index_in(cites, value_set=unique).to_numpy(zero_copy_only=False)]

    def _flush(self) -> None:
        if self.records:
            rows = [{k: v for k, v in r.items() if k != "year" or isinstance(v, int)} for r in self.records]
            schema = SCHEMAS["references"]
            self.chunks.append(pa.Table.from_pydict({f.name: [r.get(f.name) for r in rows] for f in schema},
                                                    schema=schema))
            self.records = []

    def table(self) -> pa.Table:
        self._flush()
        if not self.chunks:
            return SCHEMAS["references"].empty_table()
        return pa.concat_tables(self.chunks)


def _reference_columns(cites: pa.Array, note: str) -> pa.Table:
    """Reference rows for citations, in columns (the rules of :func:`reference_record`)."""
    parts = pc.extract_regex(cites, r"^(?P<prefix>[^:]*):(?P<local>.*)$")
    prefix = pc.utf8_upper(pc.fill_null(pc.struct_field(parts, "prefix"), ""))
    local = pc.fill_null(pc.struct_field(parts, "local"), "")
    none = pa.nulls(len(cites), pa.string())

    def where(mask: Any, values: Any) -> pa.Array:
        return pc.if_else(pc.fill_null(mask, False), values, none)

    pmid = where(pc.and_(pc.equal(prefix, "PMID"), pc.match_substring_regex(local, r"^[1-9]\d{0,8}$")), local)
    doi = where(pc.and_(pc.equal(prefix, "DOI"), pc.match_substring_regex(local, r"^10\.\d{4,9}/\S+$")), local)
    pmc_local = pc.if_else(pc.starts_with(pc.utf8_upper(local), "PMC"), local, pc.binary_join_element_wise("PMC", local, ""))
    pmcid = where(pc.and_(pc.is_in(prefix, value_set=pa.array(["PMC", "PMCID"])),
                          pc.match_substring_regex(pmc_local, r"^PMC\d+$")), pmc_local)
    url = where(pc.match_substring_regex(cites, r"^https?://\S+$"), cites)
    key = pc.utf8_trim(pc.replace_substring_regex(pc.utf8_lower(cites), r"[^a-z0-9]+", "_"), "_")
    key = pc.utf8_rtrim(pc.utf8_slice_codeunits(key, 0, 60), "_")
    key = pc.if_else(pc.match_substring_regex(key, r"^[a-z]"), key, pc.binary_join_element_wise("ref", key, "_"))
    n = len(cites)
    columns = {"key": key, "title": pc.binary_join_element_wise(cites, f" (title not known: {note})", ""),
               "doi": doi, "pmid": pmid, "pmcid": pmcid, "url": url,
               "verified": pa.array(["no"] * n, pa.string()),
               "verification_note": pa.array(["created by import from a citation alone; not checked"] * n)}
    schema = SCHEMAS["references"]
    return pa.table({f.name: columns[f.name].cast(f.type) if f.name in columns else pa.nulls(n, f.type)
                     for f in schema}, schema=schema)


