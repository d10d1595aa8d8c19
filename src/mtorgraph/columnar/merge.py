"""Several graphs as one: entities meet by CURIE, edges keep the graph they came from.

Rules, in the order they apply:

* **Entities** with the same CURIE are one entity. The first graph's record wins; synonyms and
  cross-references are pooled, and a different label, name or kind in a later graph is reported
  (never silently overwritten). An entity whose *key* is taken by a different CURIE is renamed
  ``<key>_<graph>`` and reported.
* **References** naming the same document (the same DOI, PMID or PMCID) are one, under the first
  graph's key (a later key is reported as renamed to it); the same key naming a different document
  is renamed ``<key>_<graph>`` and reported.
* **Edges** with the same subject, predicate and object are one edge carrying the evidence of
  each graph (an evidence item already there is not repeated); ``source_graph`` names every graph
  that states it, comma-separated, in the order the graphs were given. Links likewise.
* Claims, questions and open questions come along with keys renamed; a claim or open question
  whose id is already taken is left out and reported. The title is the first graph's.

>>> from mtorgraph.model import *
>>> ev = Evidence(reference="r", kind="in_vitro", finding="f")
>>> def g(kind, label):
...     return ColumnarGraph.from_model(MechanismGraph(
...         entities=(Entity(key="a", id="GO:1", label="a", name="A", kind="process"),
...                   Entity(key="b", id="GO:2", label=label, name="B", kind=kind)),
...         references=(Reference(key="r", title="t", doi="10.1000/x", verified="yes"),),
...         edges=(Edge(subject="a", predicate="inhibits", object="b", evidence=(ev,)),)))
>>> merged, report = merge_graphs([("one", g("process", "b")), ("two", g("disease", "bee"))])
>>> merged.edge_count, merged.edges[0].source_graph
(1, 'one,two')
>>> [(c.curie, c.field) for c in report.entity_conflicts]
[('GO:2', 'label'), ('GO:2', 'kind')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from .graph import ColumnarGraph
from .schema import EVIDENCE_CONTENT, OWNER_EDGE, OWNER_LINK, SCHEMAS

__all__ = ["EntityConflict", "MergeReport", "Renamed", "graph_name", "merge_graphs"]

_REFERENCE_IDENTITY = ("title", "doi", "pmid", "pmcid", "url")


@dataclass(frozen=True)
class EntityConflict:
    """One CURIE whose ``field`` differs between graphs: ``values`` maps graph name → value."""

    curie: str
    field: str
    values: dict[str, str]


@dataclass(frozen=True)
class Renamed:
    """A key renamed on merging: ``what`` is ``entity``, ``reference``, ``claim`` or ``open question``."""

    what: str
    graph: str
    old: str
    new: str | None
    reason: str


@dataclass
class MergeReport:
    """What merging did that a curator should know."""

    graphs: tuple[str, ...]
    entity_conflicts: list[EntityConflict] = field(default_factory=list)
    renamed: list[Renamed] = field(default_factory=list)
    shared_edges: int = 0
    shared_links: int = 0

    def lines(self) -> list[str]:
        """The report as sentences, one per finding (empty when nothing needs saying)."""
        out = [f"{c.curie}: {c.field} differs: " + "; ".join(f"{g} says {v!r}" for g, v in c.values.items())
               for c in self.entity_conflicts]
        for r in self.renamed:
            fate = f"renamed {r.new}" if r.new else "left out"
            out.append(f"{r.graph}: {r.what} {r.old} {fate} ({r.reason})")
        return out


def graph_name(path: str, taken: set[str]) -> str:
    """A short name for a graph file or folder: its stem in lower case, made unique among ``taken``."""
    stem = re.sub(r"[^a-z0-9_]+", "_", path.rstrip("/").rsplit("/", 1)[-1].split(".", 1)[0].lower()).strip("_")
    name = stem if stem and stem[0].isalpha() else f"g_{stem}" if stem else "graph"
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    return candidate


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


class _Merger:
    def __init__(self, names: Sequence[str]):
        self.report = MergeReport(tuple(names))
        self.entities: list[dict[str, Any]] = []
        self.entity_by_id: dict[str, int] = {}
        self.entity_keys: set[str] = set()
        self.references: list[dict[str, Any]] = []
        self.reference_by_key: dict[str, int] = {}
        self.reference_by_id: dict[tuple[str, str], int] = {}
        self.items: dict[str, list[dict[str, Any]]] = {"edges": [], "links": []}
        self.item_by_key: dict[str, dict[tuple, int]] = {"edges": {}, "links": {}}
        self.evidence: dict[str, list[list[dict[str, Any]]]] = {"edges": [], "links": []}

    def add_entities(self, name: str, graph: ColumnarGraph) -> tuple[list[int], dict[str, str]]:
        rows, renames = [], {}
        for record in graph.tables["entities"].to_pylist():
            at = self.entity_by_id.get(record["id"])
            if at is not None:
                self._pool(name, self.entities[at], record)
                rows.append(at)
                if record["key"] != self.entities[at]["key"]:
                    renames[record["key"]] = self.entities[at]["key"]
                continue
            if record["key"] in self.entity_keys:
                new = _unique(f"{record['key']}_{name}", self.entity_keys)
                self.report.renamed.append(Renamed("entity", name, record["key"], new,
                                                   f"the key names {self._id_of(record['key'])} in an earlier graph"))
                renames[record["key"]] = new
                record = {**record, "key": new}
            self.entity_by_id[record["id"]] = len(self.entities)
            self.entity_keys.add(record["key"])
            rows.append(len(self.entities))
            self.entities.append({**record, "_from": name})
        return rows, renames

    def _id_of(self, key: str) -> str:
        return next(e["id"] for e in self.entities if e["key"] == key)

    def _pool(self, name: str, kept: dict[str, Any], record: dict[str, Any]) -> None:
        for field_name in ("label", "name", "kind"):
            if kept[field_name] != record[field_name]:
                existing = next((c for c in self.report.entity_conflicts
                                 if c.curie == kept["id"] and c.field == field_name), None)
                if existing is None:
                    existing = EntityConflict(kept["id"], field_name, {kept["_from"]: kept[field_name]})
                    self.report.entity_conflicts.append(existing)
                existing.values[name] = record[field_name]
        for pooled in ("synonyms", "xrefs"):
            have = kept[pooled] or []
            kept[pooled] = have + [v for v in record[pooled] or [] if v not in have]

    def _same_document(self, record: dict[str, Any]) -> int | None:
        for field_name in ("doi", "pmid", "pmcid"):
            value = record[field_name]
            if value:
                at = self.reference_by_id.get((field_name, value.lower()))
                if at is not None:
                    return at
        return None

    def add_references(self, name: str, graph: ColumnarGraph) -> tuple[list[int], dict[str, str]]:
        rows, renames = [], {}
        for record in graph.tables["references"].to_pylist():
            same = self._same_document(record)
            if same is not None and self.references[same]["key"] != record["key"]:
                kept = self.references[same]["key"]
                self.report.renamed.append(Renamed("reference", name, record["key"], kept,
                                                   "the same document (DOI, PMID or PMCID) as an earlier graph's"))
                renames[record["key"]] = kept
                rows.append(same)
                continue
            at = self.reference_by_key.get(record["key"])
            if at is not None:
                kept = self.references[at]
                if all(kept[k] == record[k] for k in _REFERENCE_IDENTITY):
                    rows.append(at)
                    continue
                new = _unique(f"{record['key']}_{name}", set(self.reference_by_key))
                self.report.renamed.append(Renamed("reference", name, record["key"], new,
                                                   "the key names another document in an earlier graph"))
                renames[record["key"]] = new
                record = {**record, "key": new}
            self.reference_by_key[record["key"]] = len(self.references)
            for field_name in ("doi", "pmid", "pmcid"):
                if record[field_name]:
                    self.reference_by_id.setdefault((field_name, record[field_name].lower()), len(self.references))
            rows.append(len(self.references))
            self.references.append(record)
        return rows, renames

    def add_items(self, table: str, name: str, graph: ColumnarGraph, entity_rows: list[int],
                  reference_rows: list[int]) -> None:
        owner = OWNER_EDGE if table == "edges" else OWNER_LINK
        word = "predicate" if table == "edges" else "relation"
        by_key = self.item_by_key[table]
        evidence = graph.tables["evidence"].to_pylist()
        for i, record in enumerate(graph.tables[table].to_pylist()):
            subject, obj = entity_rows[record["subject"]], entity_rows[record["object"]]
            items = [{**ev, "reference": reference_rows[ev["reference"]]}
                     for ev in (evidence[j] for j in graph.evidence_rows(owner, i))]
            key = (subject, record[word], obj)
            at = by_key.get(key)
            if at is None:
                by_key[key] = len(self.items[table])
                self.items[table].append({**record, "subject": subject, "object": obj,
                                          "source_graph": record["source_graph"] or name})
                self.evidence[table].append(items)
                continue
            kept = self.items[table][at]
            sources = kept["source_graph"].split(",")
            for source in (record["source_graph"] or name).split(","):
                if source not in sources:
                    sources.append(source)
            kept["source_graph"] = ",".join(sources)
            if table == "edges":
                self.report.shared_edges += 1
            else:
                self.report.shared_links += 1
            seen = {tuple(ev[k] for k in EVIDENCE_CONTENT) for ev in self.evidence[table][at]}
            self.evidence[table][at] += [ev for ev in items if tuple(ev[k] for k in EVIDENCE_CONTENT) not in seen]

    def tables(self) -> dict[str, pa.Table]:
        evidence = []
        for table, owner in (("edges", OWNER_EDGE), ("links", OWNER_LINK)):
            for row, items in enumerate(self.evidence[table]):
                evidence += [{**ev, "owner": owner, "row": row} for ev in items]

        def build(name: str, rows: list[dict[str, Any]]) -> pa.Table:
            schema = SCHEMAS[name]
            return pa.Table.from_pydict({f.name: [r.get(f.name) for r in rows] for f in schema}, schema=schema)

        return {"entities": build("entities", self.entities), "references": build("references", self.references),
                "edges": build("edges", self.items["edges"]), "links": build("links", self.items["links"]),
                "evidence": build("evidence", evidence)}


def _renamed(key: str, renames: dict[str, str]) -> str:
    return renames.get(key, key)


def merge_graphs(parts: Sequence[tuple[str, ColumnarGraph]]) -> tuple[ColumnarGraph, MergeReport]:
    """Merge named graphs (see the module docstring). One graph comes back with its edges marked.

    :raises ValueError: if no graph is given or two share a name.
    """
    names = [name for name, _ in parts]
    if not names:
        raise ValueError("merge_graphs needs at least one graph")
    if len(set(names)) != len(names):
        raise ValueError(f"graph names must differ: {', '.join(names)}")
    merger = _Merger(names)
    claims, questions, open_questions = [], [], []
    claim_ids: set[str] = set()
    question_keys: set[str] = set()
    for name, graph in parts:
        entity_rows, entity_renames = merger.add_entities(name, graph)
        reference_rows, reference_renames = merger.add_references(name, graph)
        merger.add_items("edges", name, graph, entity_rows, reference_rows)
        merger.add_items("links", name, graph, entity_rows, reference_rows)
        for claim in graph.claims:
            edges = tuple(" ".join((_renamed(s, entity_renames), p, _renamed(o, entity_renames)))
                          for s, p, o in (label.split(" ") for label in claim.edges))
            moved = claim.model_copy(update={
                "references": tuple(_renamed(r, reference_renames) for r in claim.references), "edges": edges})
            if claim.id in claim_ids:
                if moved not in claims:
                    merger.report.renamed.append(Renamed("claim", name, claim.id, None, "its id is taken"))
                continue
            claim_ids.add(claim.id)
            claims.append(moved)
        for question in graph.questions:
            moved = question.model_copy(update={"source": _renamed(question.source, entity_renames),
                                                "target": _renamed(question.target, entity_renames)})
            if moved not in questions:
                questions.append(moved)
        for oq in graph.open_questions:
            moved_oq = oq.model_copy(update={"proposed_by": _renamed(oq.proposed_by, reference_renames),
                                             "entities": tuple(_renamed(k, entity_renames) for k in oq.entities)})
            if oq.key in question_keys:
                if moved_oq not in open_questions:
                    merger.report.renamed.append(Renamed("open question", name, oq.key, None, "its key is taken"))
                continue
            question_keys.add(oq.key)
            open_questions.append(moved_oq)
    for record in merger.entities:
        record.pop("_from", None)
    merged = ColumnarGraph(merger.tables(), title=parts[0][1].title, questions=tuple(questions),
                           claims=tuple(claims), open_questions=tuple(open_questions))
    return merged, merger.report
