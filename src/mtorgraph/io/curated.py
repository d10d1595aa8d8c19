"""Read curated YAML into a :class:`~mtorgraph.model.MechanismGraph`, reporting every problem.

A curated graph is either a directory laid out as::

    entities.yaml     entities:   {key: {id, label, name, kind, ...}}
    references.yaml   references: {key: {title, authors, year, doi, pmid, pmcid, ...}}
    edges/*.yaml      edges:      [{subject, predicate, object, evidence: [...]}, ...]
    claims.yaml       claims:     [{id, section, statement, verdict, ...}]   (optional)
    links.yaml        links:      [{subject, relation, object, evidence: [...]}] (optional)
    open_questions.yaml  open_questions: {key: {question, proposed_by, statement, would_test}} (optional)
    graph.yaml        title: ...; questions: [{source, target, title}]        (optional)

or a single YAML file holding any of those top-level keys. Validation collects every problem with
its ``file:line:col`` before it stops (see :class:`~mtorgraph.errors.Problem`).
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import CurationError, Location, Problem, did_you_mean
from ..model import Claim, Edge, Entity, MechanismGraph, OpenQuestion, Question, Reference, StructuralLink
from ..vocab import ENTITY_KINDS, PREFIX_IRIS
from .curated_files import read_documents
from .files import display_path
from .limits import Limits, current_limits
from .records import explain_validation_error

__all__ = ["load_curated", "validate_curated"]

TOP_KEYS = ("title", "questions", "entities", "references", "edges", "links", "claims", "open_questions")
#: Sections that map a key to a record; the others are lists of records (``title`` is a string).
KEYED_SECTIONS = ("entities", "references", "open_questions")


@dataclass
class _Record:
    """A raw record with its YAML node and file, kept until validation is done."""

    file: str
    node: Any
    position: tuple[int, int]
    section: str
    label: str


@dataclass
class _Collected:
    problems: list[Problem] = field(default_factory=list)
    records: dict[str, list[_Record]] = field(default_factory=lambda: {k: [] for k in TOP_KEYS})
    title: str | None = None
    failed_edges: list[_Record] = field(default_factory=list)


def validate_curated(path: str | os.PathLike[str], limits: Limits | None = None) -> list[Problem]:
    """Every problem (errors and warnings) in the curated graph at ``path``, sorted by place.

    :param limits: file size, value length, alias and nesting limits (default: :func:`current_limits`).
    """
    _, problems = _load(Path(path), limits or current_limits())
    return sorted(problems)


def load_curated(path: str | os.PathLike[str], limits: Limits | None = None) -> MechanismGraph:
    """Load the curated graph at ``path`` (a directory or one YAML file).

    :param limits: see :func:`validate_curated`.
    :raises CurationError: carrying every problem, if any error was found (warnings alone pass).
    """
    graph, problems = _load(Path(path), limits or current_limits())
    if graph is None:
        raise CurationError(problems)
    return graph


def _collect(root: Path, limits: Limits) -> _Collected:
    found = _Collected()
    for name, data in read_documents(root, found.problems, limits):
        if not isinstance(data, CommentedMap):
            found.problems.append(Problem(Location(name, 1, 1), "invalid-document",
                                          "the document must be a mapping",
                                          f"start with one of: {', '.join(TOP_KEYS)}"))
            continue
        for top, value in data.items():
            line, col = data.lc.key(top)
            where = Location(name, line + 1, col + 1)
            if top not in TOP_KEYS:
                found.problems.append(Problem(where, "unknown-key", f"unknown top-level key {top!r}",
                                              _choices(str(top), TOP_KEYS)))
                continue
            if top == "title":
                if not isinstance(value, str) or not value.strip():
                    found.problems.append(Problem(where, "invalid-value", "title must be a non-empty string", ""))
                else:
                    found.title = str(value)
                continue
            keyed = top in KEYED_SECTIONS
            expected = CommentedMap if keyed else CommentedSeq
            if not isinstance(value, expected):
                shape = "a mapping from key to record" if keyed else "a list of records"
                found.problems.append(Problem(where, "invalid-value", f"{top} must be {shape}", ""))
                continue
            items = value.items() if keyed else enumerate(value)
            for k, node in items:
                pos = value.lc.key(k) if keyed else value.lc.item(k)
                label = f"{top}.{k}" if keyed else f"{top}[{k}]"
                found.records[top].append(_Record(name, node, (pos[0] + 1, pos[1] + 1), top, label))
    return found


def _choices(word: str, choices: Any) -> str:
    close = did_you_mean(word, choices)
    if close:
        return f"did you mean {close[0]!r}?"
    return f"allowed: {', '.join(sorted(choices))}"


def _plain(node: Any) -> Any:
    """Turn a ruamel tree into plain Python values (lists become tuples for the frozen models)."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return tuple(_plain(v) for v in node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def _position(record: _Record, loc: tuple[Any, ...], at_key: bool) -> tuple[int, int]:
    """Walk a pydantic error location through the YAML node to the line and column it names."""
    node, pos = record.node, record.position
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, CommentedMap) and part in node:
            line, col = node.lc.key(part) if (last and at_key) else node.lc.value(part)
            pos = (line + 1, col + 1)
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line, col = node.lc.item(part)
            pos = (line + 1, col + 1)
            node = node[part]
        else:
            break
    return pos


def _validate_records(found: _Collected) -> dict[str, list[tuple[_Record, BaseModel]]]:
    valid: dict[str, list[tuple[_Record, BaseModel]]] = {k: [] for k in TOP_KEYS}
    model_for = {"entities": Entity, "references": Reference, "edges": Edge, "claims": Claim,
                 "links": StructuralLink, "open_questions": OpenQuestion, "questions": Question}
    for section, records in found.records.items():
        for record in records:
            if not isinstance(record.node, CommentedMap):
                found.problems.append(Problem(Location(record.file, *record.position), "invalid-value",
                                              f"{record.label} must be a mapping of fields", ""))
                continue
            data = _plain(record.node)
            if section == "entities" and "id_status" not in data:
                found.problems.append(Problem(
                    Location(record.file, *record.position), "id-status-unstated",
                    f"{record.label} does not state its id_status, so it is shown as unverified",
                    "add id_status: verified, derived or local (with a note saying where the id comes from)",
                    severity="warning"))
            if section in KEYED_SECTIONS:
                if "key" in data:
                    found.problems.append(Problem(
                        Location(record.file, *_position(record, ("key",), True)), "unknown-key",
                        f"{record.label}: 'key' is taken from the mapping key", "remove the 'key' field"))
                    continue
                data["key"] = record.label.split(".", 1)[1]
            try:
                model = model_for[section].model_validate(data)
            except ValidationError as exc:
                for err in exc.errors():
                    explained = explain_validation_error(section, err, record.label)
                    if explained is None:
                        continue
                    code, message, hint, at_key = explained
                    pos = _position(record, tuple(err["loc"]), at_key)
                    if section in KEYED_SECTIONS and tuple(err["loc"]) == ("key",):
                        pos = record.position
                    found.problems.append(
                        Problem(Location(record.file, *pos), code, message, hint))
                if section == "edges":
                    found.failed_edges.append(record)
                continue
            valid[section].append((record, model))
    return valid


def _at(record: _Record, *loc: Any) -> Location:
    return Location(record.file, *_position(record, loc, False))


def _check_entities(valid: dict[str, list[tuple[_Record, Any]]], problems: list[Problem]) -> None:
    seen_ids: dict[str, _Record] = {}
    for record, entity in valid["entities"]:
        prefix = entity.prefix
        if prefix not in PREFIX_IRIS or prefix == "biolink":
            problems.append(Problem(_at(record, "id"), "unknown-prefix",
                                    f"{record.label}.id prefix {prefix!r} is not known",
                                    _choices(prefix, [p for p in PREFIX_IRIS if p != "biolink"])))
        elif prefix not in ENTITY_KINDS[entity.kind]:
            allowed = ", ".join(ENTITY_KINDS[entity.kind])
            problems.append(Problem(_at(record, "id"), "prefix-not-allowed",
                                    f"{record.label}.id prefix {prefix!r} is not allowed for kind {entity.kind!r}",
                                    f"use one of: {allowed}, or change the kind"))
        if entity.id_status in ("derived", "local") and not entity.note:
            problems.append(Problem(_at(record, "id_status"), "missing-note",
                                    f"{record.label} has a {entity.id_status} id but no note",
                                    "add a note saying where the id comes from and why it is not verified"))
        if entity.id in seen_ids:
            first = seen_ids[entity.id]
            problems.append(Problem(_at(record, "id"), "duplicate-id",
                                    f"{record.label}.id {entity.id!r} is also used by {first.label}",
                                    "one entity per identifier; merge the two"))
        else:
            seen_ids[entity.id] = record


#: Cyrillic letters drawn like Latin ones (the pairs that make look-alike names).
_CYRILLIC_LOOKALIKES = str.maketrans("аеорсухіјѕԁԛԝвкмнтАЕОРСУХІЈЅВКМНТ", "aeopcyxijsdqwbkmhtAEOPCYXIJSBKMHT")


def _skeleton(name: str) -> str:
    """A name folded for comparison: NFKC, Cyrillic look-alikes as Latin, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).translate(_CYRILLIC_LOOKALIKES).casefold().split())


def _mixes_scripts(name: str) -> bool:
    """Whether a word of ``name`` mixes Latin and Cyrillic letters (a sign of a look-alike)."""
    for word in name.split():
        scripts = {unicodedata.name(ch, "").split(" ", 1)[0] for ch in word if ch.isalpha()}
        if {"LATIN", "CYRILLIC"} <= scripts:
            return True
    return False


def _check_names(valid: dict[str, list[tuple[_Record, Any]]], problems: list[Problem]) -> None:
    """Warn when two entities share a name up to case or look-alike letters, or a name mixes scripts.

    Commands resolve names case-insensitively, so such a pair makes a name ambiguous.
    """
    owner: dict[str, tuple[str, str]] = {}
    for record, entity in valid["entities"]:
        names = dict.fromkeys([entity.label, entity.name, *entity.synonyms])
        for name in names:
            if _mixes_scripts(name):
                problems.append(Problem(_at(record), "mixed-script",
                                        f"{record.label}: name {name!r} mixes Latin and Cyrillic letters",
                                        "retype it in one script", severity="warning"))
            folded = _skeleton(name)
            first = owner.setdefault(folded, (entity.key, name))
            if first[0] != entity.key:
                problems.append(Problem(_at(record), "ambiguous-name",
                                        f"{record.label}: name {name!r} is also {first[1]!r} of entity {first[0]!r} "
                                        "(they differ only in case or look-alike letters)",
                                        "give each entity names of its own", severity="warning"))


def _keys(found: _Collected, section: str) -> set[str]:
    """Keys of every record in a keyed section, valid or not (so one mistake is reported once)."""
    return {r.label.split(".", 1)[1] for r in found.records[section]}


def _check_failed_edges(found: _Collected) -> None:
    """Report unknown entities even on edges that failed other checks, so one pass shows all."""
    entity_keys = _keys(found, "entities")
    if not entity_keys:
        return
    for record in found.failed_edges:
        for end in ("subject", "object"):
            key = record.node.get(end)
            if isinstance(key, str) and key not in entity_keys:
                found.problems.append(Problem(_at(record, end), "unknown-entity",
                                              f"{record.label}.{end} {key!r} is not an entity",
                                              _choices(key, entity_keys)))


def _check_ends(problems: list[Problem], record: _Record, item: Any, ends: tuple[str, str],
                entity_keys: Any, fallback: str) -> None:
    """Report each of ``item``'s two entity fields (``ends``) that names no entity."""
    for end in ends:
        key = getattr(item, end)
        if key not in entity_keys:
            problems.append(Problem(_at(record, end), "unknown-entity",
                                    f"{record.label}.{end} {key!r} is not an entity",
                                    _choices(key, entity_keys) if entity_keys else fallback))


def _check_repeat(problems: list[Problem], seen: dict[tuple[str, str, str], _Record], record: _Record,
                  item: Any, code: str, what: str) -> None:
    """Report ``item`` if an earlier record has its key; remember it otherwise."""
    if item.key in seen:
        first = seen[item.key]
        problems.append(Problem(Location(record.file, *record.position), code,
                                f"{record.label} repeats {first.label} at {first.file}:{first.position[0]} ({item.label})",
                                f"merge their evidence lists into one {what}"))
    else:
        seen[item.key] = record


def _check_edges(found: _Collected, valid: dict[str, list[tuple[_Record, Any]]]) -> None:
    problems = found.problems
    entity_keys = _keys(found, "entities")
    reference_keys = _keys(found, "references")
    references = {r.key: r for _, r in valid["references"]}
    seen: dict[tuple[str, str, str], _Record] = {}
    for record, edge in valid["edges"]:
        _check_ends(problems, record, edge, ("subject", "object"), entity_keys, "add it to entities.yaml")
        for i, ev in enumerate(edge.evidence):
            ref = references.get(ev.reference)
            if ev.reference not in reference_keys:
                problems.append(Problem(_at(record, "evidence", i, "reference"), "unknown-reference",
                                        f"{record.label}.evidence[{i}].reference {ev.reference!r} is not in references",
                                        _choices(ev.reference, reference_keys) if reference_keys else "add it to references.yaml"))
            elif ref is not None and not ref.has_identifier:
                problems.append(Problem(_at(record, "evidence", i, "reference"), "reference-without-identifier",
                                        f"{record.label}.evidence[{i}] cites {ev.reference!r}, which has no DOI, PMID, PMCID or URL",
                                        "add a verified identifier to the reference, or cite another source"))
        _check_repeat(problems, seen, record, edge, "duplicate-edge", "edge")
        cited = [references[ev.reference] for ev in edge.evidence if ev.reference in references]
        if cited and all(r.verified != "yes" for r in cited):
            problems.append(Problem(Location(record.file, *record.position), "unverified-only",
                                    f"{record.label} ({edge.label}) cites only partially verified or unverified references",
                                    "find a verified source, or keep it and let views mark it unverified",
                                    severity="warning"))


def _check_claims(found: _Collected, valid: dict[str, list[tuple[_Record, Any]]]) -> None:
    problems = found.problems
    references = _keys(found, "references")
    edge_labels = {e.label for _, e in valid["edges"]}
    seen: set[str] = set()
    for record, claim in valid["claims"]:
        if claim.id in seen:
            problems.append(Problem(_at(record, "id"), "duplicate-claim",
                                    f"{record.label}: claim id {claim.id!r} is used twice", "number claims uniquely"))
        seen.add(claim.id)
        for i, ref in enumerate(claim.references):
            if ref not in references:
                problems.append(Problem(_at(record, "references", i), "unknown-reference",
                                        f"{record.label}.references[{i}] {ref!r} is not in references",
                                        _choices(ref, references) if references else ""))
        for i, label in enumerate(claim.edges):
            if label not in edge_labels:
                problems.append(Problem(_at(record, "edges", i), "unknown-edge",
                                        f"{record.label}.edges[{i}] {label!r} is not an edge of the graph",
                                        _choices(label, edge_labels) if edge_labels else "write 'subject predicate object'"))


def _check_links(found: _Collected, valid: dict[str, list[tuple[_Record, Any]]]) -> None:
    problems = found.problems
    entity_keys = _keys(found, "entities")
    reference_keys = _keys(found, "references")
    seen: dict[tuple[str, str, str], _Record] = {}
    for record, link in valid["links"]:
        _check_ends(problems, record, link, ("subject", "object"), entity_keys, "add it to entities.yaml")
        if link.subject == link.object:
            problems.append(Problem(Location(record.file, *record.position), "self-link",
                                    f"{record.label} links {link.subject!r} to itself", "remove it"))
        for i, ev in enumerate(link.evidence):
            if ev.reference not in reference_keys:
                problems.append(Problem(_at(record, "evidence", i, "reference"), "unknown-reference",
                                        f"{record.label}.evidence[{i}].reference {ev.reference!r} is not in references",
                                        _choices(ev.reference, reference_keys) if reference_keys else "add it to references.yaml"))
        _check_repeat(problems, seen, record, link, "duplicate-link", "link")


def _check_questions(found: _Collected, valid: dict[str, list[tuple[_Record, Any]]]) -> None:
    problems = found.problems
    entity_keys = _keys(found, "entities")
    reference_keys = _keys(found, "references")
    for record, oq in valid["open_questions"]:
        if oq.proposed_by not in reference_keys:
            problems.append(Problem(_at(record, "proposed_by"), "unknown-reference",
                                    f"{record.label}.proposed_by {oq.proposed_by!r} is not in references",
                                    _choices(oq.proposed_by, reference_keys) if reference_keys else ""))
        for i, key in enumerate(oq.entities):
            if key not in entity_keys:
                problems.append(Problem(_at(record, "entities", i), "unknown-entity",
                                        f"{record.label}.entities[{i}] {key!r} is not an entity",
                                        _choices(key, entity_keys) if entity_keys else ""))
    for record, q in valid["questions"]:
        _check_ends(problems, record, q, ("source", "target"), entity_keys, "")


def _load(root: Path, limits: Limits) -> tuple[MechanismGraph | None, list[Problem]]:
    found = _collect(root, limits)
    valid = _validate_records(found)
    _check_entities(valid, found.problems)
    _check_names(valid, found.problems)
    _check_edges(found, valid)
    _check_failed_edges(found)
    _check_links(found, valid)
    _check_questions(found, valid)
    _check_claims(found, valid)
    if not found.records["entities"] and not any(p.severity == "error" for p in found.problems):
        found.problems.append(Problem(Location(display_path(root)), "empty-graph", "the graph has no entities",
                                      "add an entities: section (see README, 'How to add an edge')"))
    problems = sorted(found.problems)
    if any(p.severity == "error" for p in problems):
        return None, problems
    graph = MechanismGraph(
        entities=tuple(sorted((e for _, e in valid["entities"]), key=lambda e: e.key)),
        references=tuple(sorted((r for _, r in valid["references"]), key=lambda r: r.key)),
        edges=tuple(sorted((e for _, e in valid["edges"]), key=lambda e: e.key)),
        claims=tuple(sorted((c for _, c in valid["claims"]), key=lambda c: int(c.id[1:]))),
        links=tuple(sorted((link for _, link in valid["links"]), key=lambda link: link.key)),
        open_questions=tuple(sorted((q for _, q in valid["open_questions"]), key=lambda q: q.key)),
        title=found.title,
        questions=tuple(q for _, q in valid["questions"]),
    )
    return graph, problems

