"""INDRA Statements JSON, writing: each signed edge as one Statement (see :mod:`.indra`).

What INDRA has no field for travels in each Evidence's ``annotations["mtorgraph"]``; the provenance
an import kept in an edge note (``INDRA provenance: {...}``) goes back into the Evidence fields it
came from.
"""

from __future__ import annotations

import io
import json
import uuid
from collections import Counter
from typing import Any, TextIO

from ..model import Edge, Entity, Evidence, Reference
from ..vocab import KG_IRI
from .export_rows import beliefs_by_row
from .indra_grounding import db_ref_of

__all__ = ["BLOCK", "OUR_SOURCE", "PREDICATE_OF_TYPE", "PROVENANCE_MARK", "TYPE_OF_PREDICATE", "statement_id",
           "statement_json", "to_indra", "unwritable_edges", "write_indra"]

#: INDRA Statement type → mtorgraph predicate.
PREDICATE_OF_TYPE: dict[str, str] = {"Activation": "activates", "Inhibition": "inhibits",
                                     "IncreaseAmount": "increases", "DecreaseAmount": "decreases"}
#: mtorgraph predicate → INDRA Statement type (the signed predicates only).
TYPE_OF_PREDICATE: dict[str, str] = {p: t for t, p in PREDICATE_OF_TYPE.items()}

#: The marker of the provenance line an import writes into an edge note.
PROVENANCE_MARK = "INDRA provenance: "
#: The key of our own block in each Evidence's ``annotations``.
BLOCK = "mtorgraph"
#: ``source_api`` of Evidence our export writes (dropped again on import).
OUR_SOURCE = "mtorgraph"


def statement_id(key: tuple[str, str, str]) -> str:
    """A stable Statement id for an edge (the same edge always gets the same id)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, KG_IRI + "assertion/" + "/".join(key)))


def _agent(entity: Entity) -> dict[str, Any]:
    db_refs: dict[str, str] = {}
    for curie in (entity.id, *entity.xrefs):
        ns, value = db_ref_of(curie)
        db_refs.setdefault(ns, value)
    return {"name": entity.name, "db_refs": db_refs}


def _entity_block(entity: Entity) -> dict[str, Any]:
    block: dict[str, Any] = {"key": entity.key, "id": entity.id, "kind": entity.kind, "label": entity.label,
                             "id_status": entity.id_status}
    if entity.synonyms:
        block["synonyms"] = list(entity.synonyms)
    if entity.note:
        block["note"] = entity.note
    return block


def _split_note(note: str | None) -> tuple[str | None, dict[str, Any]]:
    """An edge note without its provenance line, and that line's data."""
    if not note:
        return None, {}
    kept, provenance = [], {}
    for line in note.split("\n"):
        if line.startswith(PROVENANCE_MARK):
            try:
                provenance = json.loads(line[len(PROVENANCE_MARK):])
            except json.JSONDecodeError:
                kept.append(line)
        else:
            kept.append(line)
    data = provenance if isinstance(provenance, dict) else {}
    return ("\n".join(kept) or None), data


def _evidence_json(ev: Evidence, reference: Reference, edge: Edge, graph: Any, note: str | None,
                   provenance: dict[str, Any], first: bool, merged: list[str]) -> dict[str, Any]:
    block: dict[str, Any] = {
        "evidence": ev.model_dump(exclude={"reference", "direction", "finding"}, exclude_defaults=True),
        "reference": reference.model_dump(exclude_defaults=True),
    }
    if first:
        block["subj"] = _entity_block(graph.entity(edge.subject))
        block["obj"] = _entity_block(graph.entity(edge.object))
        if note:
            block["edge_note"] = note
        if len(merged) > 1:
            block["statements"] = merged
    annotations = dict(provenance.get("annotations") or {})
    annotations[BLOCK] = block
    out: dict[str, Any] = {"source_api": provenance.get("source_api") or OUR_SOURCE}
    if reference.pmid:
        out["pmid"] = reference.pmid
    if provenance.get("source_id"):
        out["source_id"] = str(provenance["source_id"])
    out["text"] = ev.finding
    out["annotations"] = annotations
    epistemics = dict(provenance.get("epistemics") or {})
    if ev.direction == "refutes":
        epistemics["negated"] = True
    if ev.kind == "hypothesis":
        epistemics["hypothesis"] = True
    if epistemics:
        out["epistemics"] = epistemics
    text_refs = {name: value for name, value in (("PMID", reference.pmid), ("DOI", reference.doi),
                                                 ("PMCID", reference.pmcid)) if value}
    if text_refs:
        out["text_refs"] = text_refs
    return out


def statement_json(graph: Any, edge: Edge, belief: float | None) -> dict[str, Any]:
    """One signed edge as an INDRA Statement JSON object."""
    note, provenance = _split_note(edge.note)
    per_evidence = provenance.get("evidence") if isinstance(provenance.get("evidence"), list) else []
    ids = provenance.get("statements") if isinstance(provenance.get("statements"), list) else []
    stmt: dict[str, Any] = {"type": TYPE_OF_PREDICATE[edge.predicate], "subj": _agent(graph.entity(edge.subject)),
                            "obj": _agent(graph.entity(edge.object))}
    if edge.predicate in ("activates", "inhibits"):
        stmt["obj_activity"] = "activity"  # INDRA's default activity type for Activation and Inhibition
    if belief is not None:
        stmt["belief"] = round(float(belief), 6)
    stmt["evidence"] = [
        _evidence_json(ev, graph.reference(ev.reference), edge, graph, note,
                       per_evidence[j] if j < len(per_evidence) and isinstance(per_evidence[j], dict) else {},
                       j == 0, ids)
        for j, ev in enumerate(edge.evidence)]
    stmt["id"] = ids[0] if len(ids) == 1 and isinstance(ids[0], str) else statement_id(edge.key)
    return stmt


def unwritable_edges(graph: Any) -> Counter[str]:
    """Edges and links INDRA's signed types cannot hold, by predicate (what an export leaves out)."""
    out: Counter[str] = Counter(e.predicate for e in graph.edges if e.predicate not in TYPE_OF_PREDICATE)
    if graph.links:
        out["structural links"] = len(graph.links)
    return out


def write_indra(graph: Any, stream: TextIO, beliefs: Any = None) -> int:
    """Write the signed edges of ``graph`` to ``stream`` as an INDRA Statements JSON list.

    :param beliefs: from the caller (``analysis.beliefs.belief_columns(graph)`` or a dict by key).
    :returns: how many Statements were written.
    """
    edge_beliefs, _ = beliefs_by_row(graph, beliefs)
    written = 0
    stream.write("[")
    for i, edge in enumerate(graph.edges):
        if edge.predicate not in TYPE_OF_PREDICATE:
            continue
        stream.write(",\n" if written else "\n")
        stream.write(json.dumps(statement_json(graph, edge, edge_beliefs[i]), ensure_ascii=False))
        written += 1
    stream.write("\n]\n")
    return written


def to_indra(graph: Any, beliefs: Any = None) -> str:
    """The INDRA Statements JSON text of ``graph`` (the registry's text-returning writer)."""
    out = io.StringIO()
    write_indra(graph, out, beliefs)
    return out.getvalue()
