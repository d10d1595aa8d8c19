"""What changed between two versions of a graph: entities, references, edges, links and evidence.

Records are matched by key: entities and references by their key, edges by ``subject predicate
object``, links by ``subject relation object``. An edge present in both versions is *changed* when
its note or its evidence differs; evidence items are compared by value (reference, kind,
direction, basis, experiment, finding, effect, p value and every context field), so an edited
finding shows as one item removed and one added.

>>> from mtorgraph.model import *
>>> ev = lambda f: Evidence(reference="r", kind="in_vitro", finding=f)
>>> def g(*findings):
...     return ColumnarGraph.from_model(MechanismGraph(
...         entities=(Entity(key="a", id="GO:1", label="a", name="A", kind="process"),
...                   Entity(key="b", id="GO:2", label="b", name="B", kind="process")),
...         references=(Reference(key="r", title="t", doi="10.1000/x", verified="yes"),),
...         edges=(Edge(subject="a", predicate="inhibits", object="b", evidence=tuple(map(ev, findings))),)))
>>> d = diff_graphs(g("x"), g("x", "y"))
>>> [(c.kind, c.change, c.key) for c in d.changes]
[('edge', 'changed', 'a inhibits b')]
>>> d.changes[0].evidence_added[0]["finding"]
'y'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .graph import ColumnarGraph
from .schema import EVIDENCE_CONTENT, OWNER_EDGE, OWNER_LINK

__all__ = ["Change", "GraphDiff", "diff_graphs", "diff_to_json"]


@dataclass(frozen=True)
class Change:
    """One record added, removed or changed. ``fields`` maps a changed field to ``(old, new)``."""

    kind: str
    change: str
    key: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    evidence_added: tuple[dict[str, Any], ...] = ()
    evidence_removed: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class GraphDiff:
    """Every change, in the order entities, references, edges, links (each sorted by key)."""

    changes: tuple[Change, ...]

    def counts(self) -> dict[str, dict[str, int]]:
        """``{kind: {added, removed, changed}}`` plus evidence items added and removed."""
        out: dict[str, dict[str, int]] = {}
        for kind in ("entity", "reference", "edge", "link"):
            mine = [c for c in self.changes if c.kind == kind]
            out[kind] = {what: sum(c.change == what for c in mine) for what in ("added", "removed", "changed")}
        out["evidence"] = {
            "added": sum(len(c.evidence_added) for c in self.changes),
            "removed": sum(len(c.evidence_removed) for c in self.changes),
        }
        return out


def _records(graph: ColumnarGraph, table: str) -> dict[str, dict[str, Any]]:
    return {r["key"]: r for r in graph.tables[table].to_pylist()}


def _items(graph: ColumnarGraph, table: str) -> dict[str, tuple[dict[str, Any], list[dict[str, Any]]]]:
    owner, word = (OWNER_EDGE, "predicate") if table == "edges" else (OWNER_LINK, "relation")
    keys = graph.tables["entities"].column("key").to_pylist()
    refs = graph.tables["references"].column("key").to_pylist()
    evidence = graph.tables["evidence"].to_pylist()
    out = {}
    for i, record in enumerate(graph.tables[table].to_pylist()):
        items = []
        for j in graph.evidence_rows(owner, i):
            ev = evidence[j]
            items.append({k: (refs[ev[k]] if k == "reference" else ev[k]) for k in EVIDENCE_CONTENT
                          if ev[k] is not None})
        record = {**record, "subject": keys[record["subject"]], "object": keys[record["object"]]}
        out[" ".join((record["subject"], record[word], record["object"]))] = (record, items)
    return out


def _field_changes(old: dict[str, Any], new: dict[str, Any], skip: tuple[str, ...] = ()) -> dict[str, tuple]:
    return {k: (old.get(k), new.get(k)) for k in sorted(set(old) | set(new))
            if k not in skip and old.get(k) != new.get(k)}


def _compare(kind: str, old: dict[str, Any], new: dict[str, Any], changes: list[Change]) -> None:
    for key in sorted(set(old) - set(new)):
        changes.append(Change(kind, "removed", key))
    for key in sorted(set(new) - set(old)):
        changes.append(Change(kind, "added", key))
    for key in sorted(set(old) & set(new)):
        fields = _field_changes(old[key], new[key])
        if fields:
            changes.append(Change(kind, "changed", key, fields))


def _compare_items(kind: str, old: dict, new: dict, changes: list[Change]) -> None:
    def frozen(ev: dict[str, Any]) -> tuple:
        return tuple(sorted(ev.items()))

    for key in sorted(set(old) - set(new)):
        changes.append(Change(kind, "removed", key, evidence_removed=tuple(old[key][1])))
    for key in sorted(set(new) - set(old)):
        changes.append(Change(kind, "added", key, evidence_added=tuple(new[key][1])))
    for key in sorted(set(old) & set(new)):
        (old_record, old_items), (new_record, new_items) = old[key], new[key]
        fields = _field_changes(old_record, new_record, skip=("subject", "object"))
        before, after = {frozen(e) for e in old_items}, {frozen(e) for e in new_items}
        added = tuple(e for e in new_items if frozen(e) not in before)
        removed = tuple(e for e in old_items if frozen(e) not in after)
        if fields or added or removed:
            changes.append(Change(kind, "changed", key, fields, added, removed))


def diff_graphs(old: ColumnarGraph, new: ColumnarGraph) -> GraphDiff:
    """The changes that turn ``old`` into ``new`` (see the module docstring)."""
    changes: list[Change] = []
    _compare("entity", _records(old, "entities"), _records(new, "entities"), changes)
    _compare("reference", _records(old, "references"), _records(new, "references"), changes)
    _compare_items("edge", _items(old, "edges"), _items(new, "edges"), changes)
    _compare_items("link", _items(old, "links"), _items(new, "links"), changes)
    return GraphDiff(tuple(changes))


def diff_to_json(diff: GraphDiff) -> dict[str, Any]:
    """The diff as JSON-ready data: counts, then every change."""
    return {
        "counts": diff.counts(),
        "changes": [{"kind": c.kind, "change": c.change, "key": c.key,
                     "fields": {k: {"old": a, "new": b} for k, (a, b) in c.fields.items()},
                     "evidence_added": list(c.evidence_added), "evidence_removed": list(c.evidence_removed)}
                    for c in diff.changes],
    }
