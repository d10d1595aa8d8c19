"""KGX node records become entities by the rules of :mod:`mtorgraph.io.columnar_build` (read on
columns): checked on random node files against the rules stated record by record."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtorgraph.io.imported_references import reference_record, slug, unique_keys
from mtorgraph.io.kgx_read import read_kgx
from mtorgraph.io.predicate_map import lookup_category

_IDS = ["CHEBI:1", "NCBIGene:2", "MONDO:3", "HP:4", "foo:5", "bar:6", "PMID:7", "doi:10.1/x", ""]
_CATEGORIES = [None, [], ["biolink:Gene"], ["biolink:Nonsense"], ["biolink:Nonsense", "biolink:Disease"],
               ["biolink:Publication"], ["biolink:Gene", "biolink:Publication"]]
_TEXT = st.sampled_from([None, "", "mTOR", "a name", "Ketamine (racemic)"])
_PREFIX_KIND = {"CHEBI": "chemical", "NCBIGene": "gene", "MONDO": "disease", "HP": "phenotype"}

_node = st.fixed_dictionaries({
    "id": st.sampled_from(_IDS),
    "category": st.sampled_from(_CATEGORIES),
    "name": _TEXT,
    "description": _TEXT,
    "mtorgraph_key": st.sampled_from([None, "", "mtor", "mtor", "Bad Key", "k_1", "1abc"]),
    "mtorgraph_name": _TEXT,
    "mtorgraph_id_status": st.sampled_from([None, "verified", "derived", "unverified", "nonsense"]),
}).map(lambda record: {k: v for k, v in record.items() if v is not None})


def _expected(nodes: list[dict], edge_ends: list[str]) -> tuple[list[dict], list[str]]:
    """The entities and reference ids the rules give, record by record."""
    seen, kept, references = set(), [], []
    for node in nodes:
        node_id = node["id"]
        if node_id in seen:
            continue
        seen.add(node_id)
        if "biolink:Publication" in (node.get("category") or []):
            references.append(node_id)
            if node_id not in edge_ends:
                continue
        kept.append(node)
    extra = [end for end in dict.fromkeys(edge_ends) if end not in seen]
    entities = []
    for node in kept + [{"id": end, "extra": True} for end in extra]:
        node_id, name = node["id"], node.get("name") or None
        kind = lookup_category(tuple(node.get("category") or ())) or _PREFIX_KIND.get(node_id.partition(":")[0])
        note = node.get("description")
        if kind is None:
            kind = "process"
            note = f"{note} {_DEFAULTED}" if note else _DEFAULTED
        if node.get("extra"):
            note = _EXTRA
        own_key = node.get("mtorgraph_key")
        status = node.get("mtorgraph_id_status")
        entities.append({
            "key": own_key if own_key and re.fullmatch(r"[a-z][a-z0-9_]*", own_key) else slug(name or node_id),
            "id": node_id, "label": name or node_id,
            "name": node.get("mtorgraph_name") or name or node_id, "kind": kind,
            "id_status": status if status in ("verified", "derived", "local", "unverified") else "unverified",
            "note": note})
    for entity, key in zip(entities, unique_keys([e["key"] for e in entities])):
        entity["key"] = key
    return entities, references


_DEFAULTED = ("Imported: neither the category nor the id prefix names an mtorgraph kind, so the kind was set "
              "to 'process'; check it.")
_EXTRA = ("Imported: an edge names this id but the file has no node record for it; label, name, kind and id "
          "status are defaults.")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(nodes=st.lists(_node, max_size=12),
       edges=st.lists(st.tuples(st.sampled_from(_IDS[:-1]), st.sampled_from(_IDS[:-1])), min_size=1, max_size=6))
def test_node_records_become_entities_by_the_rules(tmp_path_factory, nodes, edges):
    folder: Path = tmp_path_factory.mktemp("kgx")
    nodes = [n for n in nodes if n["id"]]  # (an empty id is refused: a required field)
    (folder / "g_nodes.jsonl").write_text("".join(json.dumps(n) + "\n" for n in nodes), encoding="utf-8")
    (folder / "g_edges.jsonl").write_text("".join(
        json.dumps({"subject": s, "predicate": "biolink:related_to", "object": o, "publications": ["PMID:9"]}) + "\n"
        for s, o in edges), encoding="utf-8")
    graph, report = read_kgx(folder / "g_nodes.jsonl")
    entities, references = _expected(nodes, [end for pair in edges for end in pair])
    got = graph.tables["entities"].select(["key", "id", "label", "name", "kind", "id_status", "note"]).to_pylist()
    assert sorted(got, key=lambda e: e["id"]) == sorted(entities, key=lambda e: e["id"])
    titles = {n["id"]: n.get("name") for n in reversed(nodes)}
    cited = set(graph.tables["references"].column("title").to_pylist())
    for cite in references:
        title = titles[cite] or reference_record(cite, "publication node without a title")["title"]
        assert title in cited
    assert report.nodes_without_record == len([e for e in entities if e["note"] == _EXTRA])
