"""Writing a graph as a curated YAML folder a curator can read, edit and validate.

``import`` uses it: a KGX file or a signed table becomes ``entities.yaml``, ``references.yaml``,
``edges/imported.yaml``, ``links.yaml`` and ``graph.yaml`` in the layout :mod:`mtorgraph.io.curated`
reads. Strings are written as JSON strings (valid YAML double-quoted scalars), so no value can
change meaning. The folder is checked with :func:`~mtorgraph.io.curated.validate_curated` in a
temporary place first and only then put in place, all at once (:func:`write_dir_atomic`).

The curated rules are stricter than the file formats: an entity id must be a CURIE with a prefix
mtorgraph knows, allowed for the entity's kind, and every edge's evidence must cite a reference a
reader can find (DOI, PMID, PMCID or URL). Entities that break the first rule are left out with
their edges and links; evidence that breaks the second is left out, and so is an edge left with
none. :class:`CuratedWrite` counts and lists them.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CurationError, MtorgraphError
from ..model import CURIE_PATTERN, Entity, Evidence, MechanismGraph
from ..vocab import ENTITY_KINDS, PREFIX_IRIS
from .atomic_dir import write_dir_atomic

__all__ = ["CuratedWrite", "curated_files", "write_curated"]


@dataclass
class CuratedWrite:
    """What :func:`write_curated` wrote and what it had to leave out."""

    folder: str = ""
    entities: int = 0
    edges: int = 0
    links: int = 0
    references: int = 0
    left_out_entities: list[dict[str, str]] = field(default_factory=list)
    left_out_edges: int = 0
    #: Evidence items citing a reference with no DOI, PMID, PMCID or URL (curated edges may not).
    left_out_evidence: int = 0
    #: Edges left with no evidence once those items are out.
    left_out_unpublished: int = 0
    dropped_xrefs: int = 0


def _s(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _list(values: Any) -> str:
    return "[" + ", ".join(_s(v) for v in values) + "]"


def _why_not(entity: Entity) -> str | None:
    if not re.fullmatch(CURIE_PATTERN, entity.id):
        return "the id is not a CURIE (PREFIX:local)"
    prefix = entity.prefix
    if prefix not in PREFIX_IRIS or prefix == "biolink":
        return f"mtorgraph does not know the prefix {prefix!r}"
    if prefix not in ENTITY_KINDS[entity.kind]:
        return f"prefix {prefix!r} is not allowed for kind {entity.kind!r} (allowed: {', '.join(ENTITY_KINDS[entity.kind])})"
    return None


def _evidence_lines(items: tuple[Evidence, ...]) -> list[str]:
    out = ["    evidence:"]
    for ev in items:
        out.append(f"      - reference: {ev.reference}")
        out.append(f"        kind: {ev.kind}")
        if ev.direction != "supports":
            out.append(f"        direction: {ev.direction}")
        if ev.basis != "own_result":
            out.append(f"        basis: {ev.basis}")
        if ev.experiment:
            out.append(f"        experiment: {_s(ev.experiment)}")
        context = [(k, v) for k, v in ev.context if v is not None]
        if context:
            out.append("        context:")
            out += [f"          {k}: {v if isinstance(v, int) else _s(v)}" for k, v in context]
        out.append(f"        finding: {_s(ev.finding)}")
        for name in ("effect", "p_value"):
            value = getattr(ev, name)
            if value:
                out.append(f"        {name}: {_s(value)}")
    return out


def curated_files(graph: MechanismGraph, source: str) -> tuple[dict[str, str], CuratedWrite]:
    """The files of a curated folder holding ``graph`` (name → text), and what was left out."""
    result = CuratedWrite()
    header = f"# Imported by `mtorgraph import` from {source}. Edit freely, then run `mtorgraph --graph DIR validate`.\n"
    bad: set[str] = set()
    ent = [header, "# yaml-language-server: $schema=schema.json\nentities:\n"]
    for e in graph.entities:
        why = _why_not(e)
        if why:
            bad.add(e.key)
            result.left_out_entities.append({"id": e.id, "key": e.key, "why": why})
            continue
        xrefs = [x for x in e.xrefs if re.fullmatch(CURIE_PATTERN, x)]
        result.dropped_xrefs += len(e.xrefs) - len(xrefs)
        ent.append(f"\n  {e.key}:\n    id: {_s(e.id)}\n    label: {_s(e.label)}\n    name: {_s(e.name)}\n"
                   f"    kind: {e.kind}\n    id_status: {e.id_status}\n")
        if e.synonyms:
            ent.append(f"    synonyms: {_list(e.synonyms)}\n")
        if xrefs:
            ent.append(f"    xrefs: {_list(xrefs)}\n")
        note = e.note or ("Imported with this id status; say where the id comes from."
                          if e.id_status in ("derived", "local") else None)
        if note:
            ent.append(f"    note: {_s(note)}\n")
        result.entities += 1
    refs = [header, "references:\n"]
    for r in graph.references:
        refs.append(f"\n  {r.key}:\n")
        for name, value in r.model_dump(exclude_none=True, exclude={"key"}).items():
            if name == "seen_at":
                if value:
                    refs.append(f"    seen_at: {_list(value)}\n")
            elif name == "year":
                refs.append(f"    year: {value}\n")
            else:
                refs.append(f"    {name}: {_s(value)}\n")
        result.references += 1
    edge_lines = [header.rstrip("\n"), "edges:"]
    findable = {r.key for r in graph.references if r.has_identifier}
    for edge in graph.edges:
        if edge.subject in bad or edge.object in bad:
            result.left_out_edges += 1
            continue
        evidence = tuple(ev for ev in edge.evidence if ev.reference in findable)
        result.left_out_evidence += len(edge.evidence) - len(evidence)
        if not evidence:
            result.left_out_unpublished += 1
            continue
        edge_lines += ["", f"  - subject: {edge.subject}", f"    predicate: {edge.predicate}", f"    object: {edge.object}"]
        if edge.note:
            edge_lines.append(f"    note: {_s(edge.note)}")
        edge_lines += _evidence_lines(evidence)
        result.edges += 1
    link_lines = [header.rstrip("\n"), "links:" if graph.links else "links: []"]
    for link in graph.links:
        if link.subject in bad or link.object in bad:
            result.left_out_edges += 1
            continue
        link_lines += ["", f"  - subject: {link.subject}", f"    relation: {link.relation}", f"    object: {link.object}"]
        if link.note:
            link_lines.append(f"    note: {_s(link.note)}")
        link_lines += _evidence_lines(link.evidence)
        result.links += 1
    if result.links == 0:
        link_lines = [header.rstrip("\n"), "links: []"]
    if result.edges == 0:
        edge_lines = [header.rstrip("\n"), "edges: []"]
    files = {"entities.yaml": "".join(ent), "references.yaml": "".join(refs),
             "edges/imported.yaml": "\n".join(edge_lines) + "\n", "links.yaml": "\n".join(link_lines) + "\n"}
    if graph.title:
        files["graph.yaml"] = f"{header}title: {_s(graph.title)}\n"
    return files, result


def write_curated(graph: MechanismGraph, folder: str | os.PathLike[str], source: str) -> CuratedWrite:
    """Write ``graph`` as a curated folder, validated before it replaces ``folder``.

    :raises CurationError: if the folder would not validate (nothing is written then).
    :raises OutputError: if ``folder`` holds other files or cannot be written.
    """
    from .curated import validate_curated

    files, result = curated_files(graph, source)
    if result.edges == 0 and result.links == 0 and (graph.edges or graph.links):
        raise MtorgraphError(
            f"{source}: none of its {len(graph.edges) + len(graph.links)} edges and links can be curated: "
            f"{result.left_out_unpublished} cite no publication (a curated edge's evidence must cite a DOI, PMID, "
            f"PMCID or URL) and {result.left_out_edges} join entities whose ids break the curated rules; nothing "
            "was written. Add publications to the rows, or read the file as it is with --graph")
    with tempfile.TemporaryDirectory(prefix="mtorgraph-import-") as tmp:
        trial = Path(tmp) / "graph"
        write_dir_atomic(trial, files)
        problems = [p for p in validate_curated(trial) if p.severity == "error"]
    if problems:
        raise CurationError(problems)
    write_dir_atomic(folder, files)
    result.folder = str(folder)
    return result
