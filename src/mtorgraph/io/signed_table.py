"""Reading signed interaction tables (SIGNOR/OmniPath style CSV or TSV) into a graph.

A row says that ``source`` acts on ``target`` with a sign, given either as an ``effect`` word
(SIGNOR's ``up-regulates activity``, ``down-regulates quantity`` …, mapped by the ``effect`` rows
of :mod:`mtorgraph.io.predicate_map`) or as OmniPath's ``is_stimulation``/``is_inhibition`` flags
(1/0: stimulation alone activates, inhibition alone inhibits; both or neither is not a sign and the
row is reported). ``references`` lists publications separated by ``;``, ``|`` or ``,``: ``PMID:n``,
a bare PubMed number, OmniPath's ``Resource:PMID`` pairs, a ``doi:`` CURIE or a URL.

Which column is which comes from a :class:`ColumnMap` (options of ``mtorgraph import``, or a
small YAML file with the same keys); by default the usual names are tried. Ids that are not CURIEs
get ``id_prefix`` (``UniProtKB`` for OmniPath's accessions); without one such a row is an error.
Rows whose sign maps to nothing are counted by effect and listed by line, never dropped silently.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..columnar.graph import ColumnarGraph
from ..errors import MtorgraphError
from ..model import CURIE_PATTERN, MechanismGraph
from .columnar_build import ImportReport, assemble
from .files import display_path, read_input_text, refuse
from .predicate_map import lookup_effect
from .tabular_input import checked_bytes, read_delimited, record_lines

__all__ = ["ColumnMap", "load_signed_table", "open_signed_table", "read_column_map", "read_signed_table"]

#: Column names tried, in order, when the map does not name one.
DEFAULT_NAMES: dict[str, tuple[str, ...]] = {
    "source": ("source", "source_id", "subject", "IDA", "ida"),
    "target": ("target", "target_id", "object", "IDB", "idb"),
    "effect": ("effect", "EFFECT", "sign", "interaction"),
    "is_stimulation": ("is_stimulation", "consensus_stimulation"),
    "is_inhibition": ("is_inhibition", "consensus_inhibition"),
    "references": ("references", "PMID", "pmid", "publications", "pubmed"),
    "source_name": ("source_name", "source_genesymbol", "ENTITYA", "entitya"),
    "target_name": ("target_name", "target_genesymbol", "ENTITYB", "entityb"),
}


@dataclass(frozen=True)
class ColumnMap:
    """Which column holds what; ``None`` means try :data:`DEFAULT_NAMES`.

    :param id_prefix: CURIE prefix for ids that have none (``UniProtKB``).
    :param delimiter: cell separator; ``None``: tab for ``.tsv``/``.txt``, else the most common of
        tab, ``,`` and ``;`` in the header line.
    """

    source: str | None = None
    target: str | None = None
    effect: str | None = None
    is_stimulation: str | None = None
    is_inhibition: str | None = None
    references: str | None = None
    source_name: str | None = None
    target_name: str | None = None
    id_prefix: str | None = None
    delimiter: str | None = None


def read_column_map(path: str | os.PathLike[str]) -> ColumnMap:
    """A :class:`ColumnMap` from a small YAML file of ``key: column`` lines.

    :raises InputError: if it is not such a mapping or names an unknown key.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    text = read_input_text(path)
    try:
        data = YAML(typ="safe").load(text)
    except YAMLError as exc:
        raise refuse(path, "bad-yaml", f"is not YAML ({str(exc).splitlines()[0]})", "write one 'key: column' per line")
    known = {f.name for f in fields(ColumnMap)}
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise refuse(path, "bad-column-map", "is not a mapping of keys to column names",
                     f"write one 'key: column' per line; keys: {', '.join(sorted(known))}")
    unknown = sorted(set(data) - known)
    if unknown:
        raise refuse(path, "bad-column-map", f"unknown key {unknown[0]!r}", f"keys are: {', '.join(sorted(known))}")
    return ColumnMap(**data)


def _delimiter(path: Path, data: bytes, columns: ColumnMap) -> str:
    if columns.delimiter:
        return "\t" if columns.delimiter in ("tab", "\\t") else columns.delimiter
    if path.suffix.lower() in (".tsv", ".txt", ".tab"):
        return "\t"
    header = data.split(b"\n", 1)[0].decode("utf-8")
    return max(("\t", ",", ";"), key=header.count)


def _column(header: list[str], columns: ColumnMap, name: str) -> str | None:
    chosen = getattr(columns, name)
    if chosen is not None:
        return chosen
    return next((c for c in DEFAULT_NAMES[name] if c in header), None)


_PUBMED = re.compile(r"^(?:[A-Za-z0-9_.\-]+:)?(?:PMID:)?([1-9]\d{0,8})$")


def _citations(cell: str | None) -> list[str]:
    out = []
    for item in re.split(r"[;|,]", cell or ""):
        item = item.strip()
        if not item:
            continue
        pubmed = _PUBMED.match(item)
        if pubmed:
            out.append(f"PMID:{pubmed.group(1)}")
        elif item.lower().startswith(("doi:", "http://", "https://", "pmc:")) or item.upper().startswith("PMC"):
            out.append(item if ":" in item else f"PMC:{item[3:]}")
        else:
            out.append(item)
    return list(dict.fromkeys(out))


def read_signed_table(path: str | os.PathLike[str], columns: ColumnMap | None = None
                      ) -> tuple[ColumnarGraph, ImportReport]:
    """The graph a signed table holds, and the report of what was read and not mapped.

    :raises InputError: for a refused or malformed file, a missing column, or an id that is not a
        CURIE when no ``id_prefix`` is given (with its line).
    """
    target_path = Path(path)
    columns = columns or ColumnMap()
    data = checked_bytes(target_path, "a signed interaction table")
    delimiter = _delimiter(target_path, data, columns)
    header = [c.strip() for c in data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r").split(delimiter)]
    names = {k: _column(header, columns, k) for k in DEFAULT_NAMES}
    for needed in ("source", "target"):
        if names[needed] is None:
            raise refuse(target_path, "wrong-header", f"no {needed} column (the header names "
                         f"{', '.join(repr(c) for c in header[:8])})",
                         f"name it with --{needed} COLUMN, or call a column one of {', '.join(DEFAULT_NAMES[needed])}", 1)
    if names["effect"] is None and (names["is_stimulation"] is None or names["is_inhibition"] is None):
        raise refuse(target_path, "wrong-header", "no effect column and no is_stimulation/is_inhibition pair",
                     "name the sign column with --effect COLUMN (or --is-stimulation and --is-inhibition)", 1)
    required = [c for c in names.values() if c is not None]
    table = read_delimited(target_path, data, delimiter, [c for c in required if c in header] or required,
                           "a signed interaction table")
    missing = [c for c in required if c not in table.column_names]
    if missing:
        raise refuse(target_path, "wrong-header", f"the header has no {missing[0]!r} column",
                     "check the column names given in the options or the column map", 1)
    get = lambda key: table.column(names[key]).to_pylist() if names[key] else [None] * table.num_rows  # noqa: E731
    sources, targets = get("source"), get("target")
    effects, stim, inhib = get("effect"), get("is_stimulation"), get("is_inhibition")
    refs = get("references")
    shown = display_path(target_path)
    predicate, relation, subjects, objects, pubs, findings = [], [], [], [], [], []
    lines = record_lines(data, True)
    for i, (s, t) in enumerate(zip(sources, targets)):
        line = lines[i]
        ends = []
        for what, value in (("source", s), ("target", t)):
            if value is None:
                raise refuse(target_path, "missing-field", f"line {line} has an empty {what}",
                             "every row needs a source and a target", line)
            value = value.strip()
            if not re.fullmatch(CURIE_PATTERN, value):
                if not columns.id_prefix:
                    raise refuse(target_path, "not-a-curie", f"line {line}: {what} {value!r} is not a CURIE",
                                 "write ids as PREFIX:local, or import with `mtorgraph import FILE --id-prefix UniProtKB`", line)
                value = f"{columns.id_prefix}:{value}"
            ends.append(value)
        if names["effect"]:
            word = effects[i] or ""
            predicate.append(lookup_effect(word))
            relation.append(f"effect={word}")
        else:
            up, down = _flag(stim[i]), _flag(inhib[i])
            predicate.append("activates" if up and not down else "inhibits" if down and not up else None)
            relation.append(f"is_stimulation={int(up)} is_inhibition={int(down)}")
        subjects.append(ends[0])
        objects.append(ends[1])
        pubs.append(_citations(refs[i]))
        findings.append(f"Signed table {shown}, line {line}: {relation[-1]}")
    edges = pa.table({"subject": subjects, "object": objects, "target": pa.array(predicate, pa.string()),
                      "relation": relation, "publications": pa.array(pubs, pa.list_(pa.string())),
                      "source": [f"table {shown}"] * len(subjects), "finding": findings,
                      "evidence": pa.nulls(len(subjects), pa.string()), "note": pa.nulls(len(subjects), pa.string())})
    nodes = _nodes(subjects + objects, get("source_name") + get("target_name"))
    report = ImportReport(files=[shown])
    graph = assemble(nodes, edges, report, row_lines=lambda rows: record_lines(data, True, rows))
    return graph, report


def _flag(value: Any) -> bool:
    return str(value or "").strip().lower() in ("1", "true", "yes", "t")


def _nodes(ids: list[str], names: list[str | None]) -> pa.Table:
    first: dict[str, str | None] = {}
    for node_id, name in zip(ids, names):
        if node_id not in first or (first[node_id] is None and name):
            first[node_id] = name
    return pa.table({"id": list(first), "name": pa.array(list(first.values()), pa.string())})


def open_signed_table(path: str | os.PathLike[str]) -> Any:
    """A signed table with the default column names, as columns (what ``open_graph`` returns)."""
    graph, report = read_signed_table(path)
    if report.edges == 0 and report.rows:
        raise MtorgraphError(f"{display_path(path)}: none of its {report.rows} rows has a sign mtorgraph maps "
                             "(see `mtorgraph import` for the report)")
    return graph


def load_signed_table(path: str | os.PathLike[str]) -> MechanismGraph:
    """A signed table with the default column names, as a model graph (what ``load_graph`` returns)."""
    return open_signed_table(path).to_model()
