"""Writing a graph as KGX: a nodes file and an edges file, as TSV or JSON Lines.

KGX is the Biolink interchange format (github biolink/kgx, ``docs/kgx_format.md``): node records
with ``id``, ``category``, ``name``, ``synonym``, ``xref``; edge records with ``subject``,
``predicate``, ``object``, ``knowledge_level``, ``agent_type``, ``primary_knowledge_source`` and
``publications``; multi-valued TSV cells joined with ``|``; a JSON Lines bundle named
``{name}_nodes.jsonl`` + ``{name}_edges.jsonl``. mtorgraph names a TSV pair the same way
(``{name}_nodes.tsv`` + ``{name}_edges.tsv``), and either file of a pair names the graph.

How mtorgraph maps onto it (slots and values from github biolink/biolink-model,
``src/biolink_model/schema/biolink_model.yaml``, 4.4.4, and its prefix map
``src/biolink_model/prefixmaps/biolink_model_prefix_map.json``):

- an entity is a node: ``category`` from :data:`mtorgraph.vocab.BIOLINK_CATEGORY`, ``name`` its
  ontology label, ``synonym``, ``xref``, ``description`` its note, ``provided_by``;
- a reference is a node of category ``biolink:Publication`` whose id is the CURIE edges cite in
  ``publications``: ``PMID:``, else ``doi:`` (the Biolink prefix map's spelling), else ``PMC:``
  (number only, as that map expands it); a reference with only a URL is cited by its URL, one
  known by its title alone by a local ``mtorgraph:reference_<key>``;
- an edge is one edge record: the predicate and qualifiers of its ``export=yes`` row in
  :mod:`mtorgraph.io.predicate_map` (``biolink:affects`` with ``qualified_predicate``
  ``biolink:causes``, ``object_direction_qualifier`` and, for activates/inhibits,
  ``object_aspect_qualifier`` ``activity``; ``negated`` for ``no_effect_on``);
  ``knowledge_level`` ``knowledge_assertion`` (``prediction`` when every evidence item is a
  hypothesis); ``agent_type`` ``manual_agent`` (the edges are curated by people);
- a structural link is an edge record with ``biolink:part_of``, ``participates_in`` or
  ``subclass_of``; ``model_of`` has no Biolink predicate and is written as ``biolink:related_to``
  with ``mtorgraph_relation``;
- ``primary_knowledge_source`` is ``infores:mtorgraph``, an id we chose for this graph: it is
  **not registered** in the Translator infores catalog.

What KGX has no slot for goes into declared extra columns (KGX allows non-Biolink properties),
all named ``mtorgraph_…``: on nodes the entity key, display name and id status, on publication
nodes the whole reference record (JSON); on edges the belief, the evidence count and kinds, the
note and every evidence item (JSON). Reading an export back (:mod:`mtorgraph.io.kgx_read`) gives
the same entities, references, edges and links; the title, questions, claims and open questions
are not written.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from ..vocab import BIOLINK_CATEGORY, LOCAL_PREFIX
from .atomic import open_atomic
from .predicate_map import export_row

if TYPE_CHECKING:
    from ..model import Entity, MechanismGraph, Reference

__all__ = ["INFORES", "KGX_SUFFIXES", "NODE_COLUMNS", "EDGE_COLUMNS", "kgx_format_of", "kgx_pair",
           "kgx_records", "publication_curie", "write_kgx_jsonl", "write_kgx_tsv"]

#: The knowledge source id of this graph. Ours, not registered in the infores catalog.
INFORES = "infores:mtorgraph"

#: File name endings of a KGX pair, by format: (nodes, edges).
KGX_SUFFIXES: dict[str, tuple[str, str]] = {
    "kgx-tsv": ("_nodes.tsv", "_edges.tsv"),
    "kgx-jsonl": ("_nodes.jsonl", "_edges.jsonl"),
}

#: Node columns, in TSV order (multi-valued ones are lists).
NODE_COLUMNS = ("id", "category", "name", "synonym", "xref", "description", "provided_by",
                "mtorgraph_key", "mtorgraph_name", "mtorgraph_id_status", "mtorgraph_reference")
#: Edge columns, in TSV order.
EDGE_COLUMNS = ("subject", "predicate", "object", "qualified_predicate", "object_aspect_qualifier",
                "object_direction_qualifier", "negated", "knowledge_level", "agent_type",
                "primary_knowledge_source", "publications", "mtorgraph_relation", "mtorgraph_belief",
                "mtorgraph_evidence_count", "mtorgraph_evidence_kinds", "mtorgraph_note", "mtorgraph_evidence")
#: Columns that hold lists.
MULTIVALUED = frozenset({"category", "synonym", "xref", "provided_by", "publications", "mtorgraph_evidence_kinds"})

_LINK_PREDICATES = {"model_of": "biolink:related_to"}


def kgx_format_of(path: str | os.PathLike[str]) -> str | None:
    """``kgx-tsv`` or ``kgx-jsonl`` when ``path`` names a file of a KGX pair, else ``None``.

    (Here, with the file names, not with the reader: finding a cached KGX graph's files must not
    import the reader's pyarrow and models, a quarter of a second of every warm ``info``.)
    """
    name = Path(path).name.lower()
    return next((fmt for fmt, ends in KGX_SUFFIXES.items() if name.endswith(ends)), None)


def kgx_pair(path: str | os.PathLike[str], fmt: str) -> tuple[Path, Path]:
    """The (nodes, edges) files a KGX path names: either file of the pair, or the common stem.

    >>> [p.name for p in kgx_pair("out/g_edges.tsv", "kgx-tsv")]
    ['g_nodes.tsv', 'g_edges.tsv']
    >>> [p.name for p in kgx_pair("out/g", "kgx-jsonl")]
    ['g_nodes.jsonl', 'g_edges.jsonl']
    >>> [p.name for p in kgx_pair("g.tsv", "kgx-tsv")]
    ['g_nodes.tsv', 'g_edges.tsv']
    """
    target = Path(path)
    name = target.name
    extension = KGX_SUFFIXES[fmt][0].rpartition(".")[1:]
    for suffix in (*KGX_SUFFIXES[fmt], "".join(extension)):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    nodes, edges = KGX_SUFFIXES[fmt]
    return target.with_name(name + nodes), target.with_name(name + edges)


def publication_curie(ref: Reference) -> str:
    """How edges cite ``ref`` in ``publications``: PMID, else DOI, else PMC, else its URL, else a
    local ``mtorgraph:reference_<key>`` (a reference known by its title alone)."""
    if ref.pmid:
        return f"PMID:{ref.pmid}"
    if ref.doi:
        return f"doi:{ref.doi}"
    if ref.pmcid:
        return f"PMC:{ref.pmcid.removeprefix('PMC')}"
    return ref.url or f"{LOCAL_PREFIX}:reference_{ref.key}"


def _entity_node(entity: Entity) -> dict[str, Any]:
    return {"id": entity.id, "category": [BIOLINK_CATEGORY[entity.kind]], "name": entity.label,
            "synonym": list(entity.synonyms), "xref": list(entity.xrefs), "description": entity.note,
            "provided_by": [INFORES], "mtorgraph_key": entity.key, "mtorgraph_name": entity.name,
            "mtorgraph_id_status": entity.id_status}


def _reference_node(ref: Reference, curie: str) -> dict[str, Any]:
    record = ref.model_dump(exclude_none=True)
    record["seen_at"] = list(ref.seen_at)
    return {"id": curie, "category": ["biolink:Publication"], "name": ref.title, "provided_by": [INFORES],
            "mtorgraph_reference": json.dumps(record, ensure_ascii=False, sort_keys=True)}


def _evidence_json(items: Any) -> str:
    out = []
    for ev in items:
        record = ev.model_dump(exclude_none=True, exclude_defaults=True)
        record["reference"] = ev.reference
        record["kind"] = ev.kind
        record["finding"] = ev.finding
        out.append(record)
    return json.dumps(out, ensure_ascii=False, sort_keys=True)


def kgx_records(graph: MechanismGraph, beliefs: Any = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The node and edge records of ``graph`` (plain dicts, lists for multi-valued slots).

    :param beliefs: each edge's and link's belief by key (``None``: the column is left empty).
    """
    nodes = [_entity_node(e) for e in graph.entities]
    cites: dict[str, str] = {}
    seen_ids = {e.id for e in graph.entities}
    for ref in graph.references:
        curie = publication_curie(ref)
        cites[ref.key] = curie
        if curie not in seen_ids:
            seen_ids.add(curie)
            nodes.append(_reference_node(ref, curie))
    ids = {e.key: e.id for e in graph.entities}
    if hasattr(beliefs, "by_key"):  # beliefs by row (analysis.beliefs.BeliefColumns)
        beliefs = beliefs.by_key(graph)
    belief = beliefs or {}
    edges = []
    for edge in graph.edges:
        row = export_row(edge.predicate)
        record = _edge_base(ids[edge.subject], row.term, ids[edge.object], edge, cites, belief.get(edge.key))
        if row.direction:
            record.update(qualified_predicate="biolink:causes", object_direction_qualifier=row.direction)
        if row.aspect:
            record["object_aspect_qualifier"] = row.aspect
        if row.negated:
            record["negated"] = True
        hypothesis_only = all(ev.kind == "hypothesis" for ev in edge.evidence)
        record["knowledge_level"] = "prediction" if hypothesis_only else "knowledge_assertion"
        edges.append(record)
    for link in graph.links:
        predicate = _LINK_PREDICATES.get(link.relation) or export_row(f"link:{link.relation}").term
        record = _edge_base(ids[link.subject], predicate, ids[link.object], link, cites, belief.get(link.key))
        record["mtorgraph_relation"] = link.relation
        edges.append(record)
    return nodes, edges


def _edge_base(subject: str, predicate: str, obj: str, item: Any, cites: dict[str, str],
               belief: float | None) -> dict[str, Any]:
    publications = list(dict.fromkeys(cites[ev.reference] for ev in item.evidence if ev.reference in cites))
    return {"subject": subject, "predicate": predicate, "object": obj, "knowledge_level": "knowledge_assertion",
            "agent_type": "manual_agent", "primary_knowledge_source": INFORES, "publications": publications,
            "mtorgraph_belief": None if belief is None else round(float(belief), 6),
            "mtorgraph_evidence_count": len(item.evidence),
            "mtorgraph_evidence_kinds": list(dict.fromkeys(ev.kind for ev in item.evidence)),
            "mtorgraph_note": item.note, "mtorgraph_evidence": _evidence_json(item.evidence)}


def _columns(graph: Any) -> Any:
    """``graph`` as a :class:`~mtorgraph.columnar.ColumnarGraph` (a model graph is converted once)."""
    if hasattr(graph, "tables"):
        return graph
    from ..columnar import ColumnarGraph

    return ColumnarGraph.from_model(graph)


def _publications(graph: Any) -> tuple[list[str], list[dict[str, Any]]]:
    """Each reference row's publication CURIE, and the publication node records (a CURIE that is
    also an entity id, or already written, gets no second node)."""
    cites: list[str] = []
    nodes: list[dict[str, Any]] = []
    seen_ids = set(graph.tables["entities"].column("id").to_pylist())
    for row in graph.tables["references"].to_pylist():
        record = {k: v for k, v in row.items() if v is not None}
        record["seen_at"] = list(row["seen_at"] or ())
        curie = publication_curie(SimpleNamespace(**row))
        cites.append(curie)
        if curie not in seen_ids:
            seen_ids.add(curie)
            nodes.append({"id": curie, "category": ["biolink:Publication"], "name": row["title"],
                          "provided_by": [INFORES],
                          "mtorgraph_reference": json.dumps(record, ensure_ascii=False, sort_keys=True)})
    return cites, nodes


def _write_pair(graph: Any, path: str | os.PathLike[str], fmt: str, beliefs: Any) -> Path:
    from .kgx_columns import KgxColumns

    columns = _columns(graph)
    cites, reference_nodes = _publications(columns)
    kgx = KgxColumns(columns, cites, reference_nodes, beliefs)
    if fmt == "kgx-tsv":
        problem = kgx.tsv_problem(NODE_COLUMNS, EDGE_COLUMNS, MULTIVALUED)
        if problem is not None:
            raise problem  # before either file is written
    nodes_path, edges_path = kgx_pair(path, fmt)
    kind = "tsv" if fmt == "kgx-tsv" else "jsonl"
    with open_atomic(nodes_path, binary=True) as out:
        kgx.write_nodes(out, kind, NODE_COLUMNS, MULTIVALUED)
    with open_atomic(edges_path, binary=True) as out:
        kgx.write_edges(out, kind, EDGE_COLUMNS)
    return edges_path


def write_kgx_tsv(graph: MechanismGraph, path: str | os.PathLike[str], beliefs: Any = None) -> Path:
    """Write ``graph`` as a KGX TSV pair named by ``path``; returns the edges file.

    Written column by column (:mod:`mtorgraph.io.kgx_columns`), streamed to each file; the same
    bytes as :func:`kgx_records` joined with tabs and ``|``.

    :raises OutputError: if a value cannot be a TSV cell (nothing is written then).
    """
    return _write_pair(graph, path, "kgx-tsv", beliefs)


def write_kgx_jsonl(graph: MechanismGraph, path: str | os.PathLike[str], beliefs: Any = None) -> Path:
    """Write ``graph`` as a KGX JSON Lines pair named by ``path``; returns the edges file (one
    :func:`kgx_records` record per line, without empty slots)."""
    return _write_pair(graph, path, "kgx-jsonl", beliefs)


write_kgx_tsv.writes_files = True  # type: ignore[attr-defined]
write_kgx_jsonl.writes_files = True  # type: ignore[attr-defined]
