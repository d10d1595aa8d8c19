"""INDRA Statements JSON: read the signed Statement types into a graph, write our edges as Statements.

The format is a JSON list of Statement objects (``indra.statements.stmts_to_json``; schema in
INDRA's ``indra/resources/statements_schema.json``). Four types carry a sign and become edges:

=================  ==============
INDRA type         mtorgraph edge
=================  ==============
Activation         activates
Inhibition         inhibits
IncreaseAmount     increases
DecreaseAmount     decreases
=================  ==============

Every other type (Complex, Phosphorylation, Association, …) is counted by type in the
:class:`IndraReport`, never dropped unsaid. Reading, decided here and documented in the README:

- An agent's id comes from its ``db_refs`` (:mod:`.indra_grounding`); other groundings become
  xrefs, ``TEXT`` a synonym. An agent with no namespace mtorgraph can use as an id (only
  ``TEXT``, or only FamPlex) cannot be an entity: its Statement is skipped and counted by name.
- Each Evidence becomes one evidence item: ``text`` is the finding; ``pmid`` (or a PMID, DOI or
  PMCID in ``text_refs``) a reference with ``verified: "no"``; ``epistemics.negated`` makes the
  item ``refutes`` the signed edge (a null finding stays on the edge it denies, so export gives the
  same Statement back); ``epistemics.hypothesis`` makes its kind ``hypothesis``; any other item is
  ``curator_inference`` (a machine or database reading, one step removed from the study).
- ``source_api``, ``source_id``, ``annotations``, other epistemics (``direct``) and the Statement
  ids have no field in the model: they are kept, per evidence item, as one JSON line in the edge's
  note (``INDRA provenance: {...}``), which export reads back.
- Agent states (modifications, mutations, bound conditions, activity, location) and
  ``obj_activity`` have no place in an edge: they are counted in the report.

Writing: each signed edge becomes one Statement, evidence in order, our belief as ``belief``;
``associated_with`` and ``no_effect_on`` edges and structural links have no signed INDRA type and
are not written (:func:`unwritable_edges` counts them for the caller to say). What INDRA has no
field for (entity key and kind, evidence kind, context, the whole reference) travels in each
Evidence's ``annotations["mtorgraph"]``, so an export reads back into the same edges and evidence.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from pydantic import ValidationError

from ..errors import InputError
from ..model import PMID_PATTERN, Edge, Entity, Evidence, MechanismGraph, Reference
from ..vocab import ENTITY_KINDS, LOCAL_PREFIX
from .files import CONTROL_CHARACTERS, read_input_text, refuse
from .indra_grounding import NAMESPACES, NON_GROUNDING, curie_of, namespace
from .indra_report import IndraReport
from .indra_write import (BLOCK, OUR_SOURCE, PREDICATE_OF_TYPE, PROVENANCE_MARK, TYPE_OF_PREDICATE, statement_id,
                          statement_json, to_indra, unwritable_edges, write_indra)
from .limits import ENVIRONMENT, Limits, current_limits

__all__ = ["PREDICATE_OF_TYPE", "PROVENANCE_MARK", "TYPE_OF_PREDICATE", "IndraImportWarning", "IndraReport",
           "load_indra", "parse_statements", "read_indra", "statement_json", "to_indra", "unwritable_edges",
           "write_indra"]

_TAXA = {"9606": "human", "10090": "mouse", "10116": "rat"}
_STATE_FIELDS = ("mods", "mutations", "bound_conditions", "activity", "location")
_PMID = re.compile(PMID_PATTERN)
_SLUG = re.compile(r"[^a-z0-9]+")


# -- reading --------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, path: str | os.PathLike[str], limits: Limits):
        self.path = path
        self.limits = limits
        self.report = IndraReport()
        self.entities: dict[str, dict[str, Any]] = {}  # CURIE → entity fields
        self.keys: set[str] = set()
        self.references: dict[str, dict[str, Any]] = {}
        self.edges: dict[tuple[str, str, str], dict[str, Any]] = {}

    # errors and typed access ----------------------------------------------------------------

    def fail(self, where: str, message: str, hint: str = "fix the statement, or export it again from INDRA "
             "(indra.statements.stmts_to_json)") -> InputError:
        return refuse(self.path, "invalid-indra", f"{where}: {message}", hint)

    def obj(self, value: Any, where: str, optional: bool = False) -> dict[str, Any]:
        if value is None and optional:
            return {}
        if not isinstance(value, dict):
            raise self.fail(where, f"expected a JSON object, found {_json_kind(value)}")
        return value

    def text(self, value: Any, where: str, optional: bool = True) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise self.fail(where, f"expected a string, found {_json_kind(value)}")
        bad = CONTROL_CHARACTERS.search(value)
        if bad:
            raise self.fail(where, f"holds the control character U+{ord(bad.group()):04X}",
                            "remove control characters from the text")
        return value

    def shallow(self, value: Any, where: str) -> Any:
        """``value`` if it nests no deeper than the depth limit (it is kept in a note)."""
        stack = [(value, 1)]
        while stack:
            item, depth = stack.pop()
            if depth > self.limits.max_depth:
                raise refuse(self.path, "too-deep", f"{where}: nests deeper than {self.limits.max_depth} levels",
                             f"flatten it, or raise the limit with {ENVIRONMENT['max_depth']}")
            if isinstance(item, dict):
                stack.extend((v, depth + 1) for v in item.values())
            elif isinstance(item, list):
                stack.extend((v, depth + 1) for v in item)
        return value

    # agents -----------------------------------------------------------------------------------

    def entity_key(self, agent: dict[str, Any], where: str, stated: dict[str, Any]) -> str | None:
        name = self.text(agent.get("name"), f"{where}.name", optional=False)
        assert name is not None
        if not name.strip():
            raise self.fail(f"{where}.name", "is empty", "give every agent a name")
        db_refs = self.obj(agent.get("db_refs"), f"{where}.db_refs", optional=True)
        refs: list[tuple[str, str]] = []
        for ns, raw in db_refs.items():
            values = raw if isinstance(raw, list) else [raw]
            for value in values:
                text = self.text(value, f"{where}.db_refs.{ns}", optional=True)
                if text:
                    refs.append((ns, text))
        for state in _STATE_FIELDS:
            if agent.get(state):
                self.report.dropped_states[state] += 1
        primary = None
        for ns, value in refs:
            space = namespace(ns)
            curie = curie_of(ns, value) if space else None
            if curie and curie == stated.get("id"):
                primary = (ns, curie)
                break
            if curie and (primary is None or _rank(ns) < _rank(primary[0])):
                primary = (ns, curie)
        if primary is None:
            self.report.ungrounded[name] += 1
            return None
        ns, curie = primary
        if curie in self.entities:
            return self.entities[curie]["key"]
        space = namespace(ns)
        assert space is not None
        kind = stated.get("kind") if stated.get("kind") in ENTITY_KINDS else space.kind
        if space.prefix not in ENTITY_KINDS[kind]:
            kind = space.kind
        xrefs = [c for n, v in refs if n not in NON_GROUNDING and (c := curie_of(n, v)) and c != curie]
        synonyms = [v for n, v in refs if n in NON_GROUNDING and v.casefold() != name.casefold()]
        if isinstance(stated.get("synonyms"), list):
            synonyms = [self.text(v, f"{where} synonyms", optional=False) for v in stated["synonyms"]] + synonyms
        record: dict[str, Any] = {
            "key": self.new_key(stated.get("key"), name), "id": curie, "label": stated.get("label") or name,
            "name": name, "kind": kind, "xrefs": tuple(dict.fromkeys(xrefs)),
            "synonyms": tuple(dict.fromkeys(synonyms)),
        }
        if stated.get("id_status"):
            record["id_status"] = stated["id_status"]
            if stated.get("note"):
                record["note"] = stated["note"]
        elif space.prefix == LOCAL_PREFIX:
            record["id_status"] = "local"
            record["note"] = "local id from an mtorgraph INDRA export; the file does not say how it was checked"
        try:
            Entity.model_validate(record)
        except ValidationError as exc:
            raise self.fail(where, f"does not make an entity: {_first_error(exc)}") from None
        self.entities[curie] = record
        return record["key"]

    def new_key(self, stated: Any, name: str) -> str:
        base = stated if isinstance(stated, str) and re.fullmatch(r"[a-z][a-z0-9_]*", stated) else None
        if base is None:
            base = _SLUG.sub("_", name.lower()).strip("_") or "agent"
            if not base[0].isalpha():
                base = "e_" + base
        key, n = base, 2
        while key in self.keys:
            key, n = f"{base}_{n}", n + 1
        self.keys.add(key)
        return key

    # evidence ---------------------------------------------------------------------------------

    def reference_key(self, ev: dict[str, Any], where: str, stated: dict[str, Any]) -> str:
        if stated:
            try:
                ref = Reference.model_validate(stated)
            except ValidationError as exc:
                raise self.fail(f"{where}.annotations.{BLOCK}.reference", _first_error(exc)) from None
            self.references.setdefault(ref.key, ref.model_dump(exclude_defaults=True))
            return ref.key
        text_refs = self.obj(ev.get("text_refs"), f"{where}.text_refs", optional=True)
        pmid = self.text(ev.get("pmid"), f"{where}.pmid") or self.text(text_refs.get("PMID"), f"{where}.text_refs.PMID")
        doi = self.text(text_refs.get("DOI"), f"{where}.text_refs.DOI")
        pmcid = self.text(text_refs.get("PMCID"), f"{where}.text_refs.PMCID")
        fields: dict[str, Any] = {}
        if pmid and _PMID.fullmatch(pmid.strip()):
            fields["pmid"] = pmid.strip()
        if doi:
            fields["doi"] = doi.strip()
        if pmcid:
            fields["pmcid"] = pmcid.strip()
        source = self.text(ev.get("source_api"), f"{where}.source_api") or "unknown source"
        if "pmid" in fields:
            key, title = f"pmid_{fields['pmid']}", f"PubMed {fields['pmid']}"
        elif "doi" in fields:
            key, title = "doi_" + _SLUG.sub("_", fields["doi"].lower()).strip("_"), f"DOI {fields['doi']}"
        elif "pmcid" in fields:
            key, title = f"pmc_{fields['pmcid'].lower()}", fields["pmcid"]
        else:
            key = "indra_" + (_SLUG.sub("_", source.lower()).strip("_") or "source")
            title = f"{source} (via INDRA; the evidence names no publication)"
            fields = {}
        if key not in self.references:
            record = {"key": key, "title": title, "verified": "no",
                      "verification_note": f"imported from INDRA Statements ({source}); title, authors and "
                                           "identifiers not checked", **fields}
            try:
                Reference.model_validate(record)
            except ValidationError as exc:
                raise self.fail(where, f"does not make a reference: {_first_error(exc)}") from None
            self.references[key] = record
        return key

    def evidence(self, ev: dict[str, Any], where: str) -> tuple[Evidence, dict[str, Any]]:
        annotations = dict(self.obj(ev.get("annotations"), f"{where}.annotations", optional=True))
        block = self.obj(annotations.pop(BLOCK, None), f"{where}.annotations.{BLOCK}", optional=True)
        epistemics = dict(self.obj(ev.get("epistemics"), f"{where}.epistemics", optional=True))
        negated = epistemics.pop("negated", False) is True
        hypothesis = epistemics.pop("hypothesis", False) is True
        self.report.negated += negated
        self.report.hypothesis += hypothesis
        source = self.text(ev.get("source_api"), f"{where}.source_api")
        source_id = ev.get("source_id")
        source_id = None if source_id is None else str(self.text(str(source_id), f"{where}.source_id"))
        text = self.text(ev.get("text"), f"{where}.text")
        stated = self.obj(block.get("evidence"), f"{where}.annotations.{BLOCK}.evidence", optional=True)
        record: dict[str, Any] = {"reference": self.reference_key(
            ev, where, self.obj(block.get("reference"), f"{where}.annotations.{BLOCK}.reference", optional=True))}
        if stated:
            record.update(stated)
        else:
            record["kind"] = "hypothesis" if hypothesis else "curator_inference"
            species = self.species(ev, where)
            if species:
                record["context"] = {"species": species}
        record["direction"] = "refutes" if negated else "supports"
        record["finding"] = text if text and text.strip() else (
            f"stated by {source or 'an unnamed source'}"
            f"{f' (entry {source_id})' if source_id else ''}; the INDRA evidence gives no sentence")
        try:
            item = Evidence.model_validate(record)
        except ValidationError as exc:
            raise self.fail(where, f"does not make an evidence item: {_first_error(exc)}") from None
        provenance: dict[str, Any] = {}
        if source and source != OUR_SOURCE:
            provenance["source_api"] = source
        if source_id:
            provenance["source_id"] = source_id
        if annotations:
            provenance["annotations"] = self.shallow(annotations, f"{where}.annotations")
        if epistemics:
            provenance["epistemics"] = self.shallow(epistemics, f"{where}.epistemics")
        return item, provenance

    def species(self, ev: dict[str, Any], where: str) -> str | None:
        context = self.obj(ev.get("context"), f"{where}.context", optional=True)
        species = self.obj(context.get("species"), f"{where}.context.species", optional=True)
        refs = self.obj(species.get("db_refs"), f"{where}.context.species.db_refs", optional=True)
        taxon = refs.get("TAXONOMY")
        return _TAXA.get(str(taxon)) if isinstance(taxon, (str, int)) else None

    # statements -------------------------------------------------------------------------------

    def statement(self, stmt: Any, i: int) -> None:
        where = f"statement {i} (JSON path $[{i}])"
        stmt = self.obj(stmt, where)
        kind = self.text(stmt.get("type"), f"{where}.type", optional=False)
        predicate = PREDICATE_OF_TYPE.get(kind or "")
        if predicate is None:
            self.report.other_types[kind or "(no type)"] += 1
            return
        evidence = stmt.get("evidence") or []
        if not isinstance(evidence, list):
            raise self.fail(f"{where}.evidence", f"expected a JSON list, found {_json_kind(evidence)}")
        if not evidence:
            self.report.skipped["no evidence (an mtorgraph edge needs at least one item)"] += 1
            return
        if stmt.get("subj") is None:
            self.report.skipped["no subject agent"] += 1
            return
        subj = self.obj(stmt.get("subj"), f"{where}.subj")
        obj = self.obj(stmt.get("obj"), f"{where}.obj")
        first = self.obj(evidence[0], f"{where}.evidence[0]")
        first_block = self.obj(self.obj(first.get("annotations"), f"{where}.evidence[0].annotations",
                                        optional=True).get(BLOCK), f"{where}.evidence[0].annotations.{BLOCK}",
                               optional=True)
        activity = stmt.get("obj_activity")
        if activity not in (None, "activity"):
            self.report.dropped_states[f"obj_activity {activity}"] += 1
        s = self.entity_key(subj, f"{where}.subj", self.obj(first_block.get("subj"), where, optional=True))
        o = self.entity_key(obj, f"{where}.obj", self.obj(first_block.get("obj"), where, optional=True))
        if s is None or o is None:
            self.report.skipped["an agent has no usable grounding"] += 1
            return
        edge = self.edges.setdefault((s, predicate, o), {"evidence": [], "provenance": [], "statements": [],
                                                          "note": None})
        for j, ev in enumerate(evidence):
            item, provenance = self.evidence(self.obj(ev, f"{where}.evidence[{j}]"), f"{where}.evidence[{j}]")
            edge["evidence"].append(item)
            edge["provenance"].append(provenance)
        note = first_block.get("edge_note")
        if isinstance(note, str) and edge["note"] is None:
            edge["note"] = self.text(note, f"{where}.evidence[0].annotations.{BLOCK}.edge_note")
        stmt_id = stmt.get("id")
        merged = first_block.get("statements")  # the INDRA statements an exported edge was merged from
        if isinstance(merged, list) and all(isinstance(x, str) for x in merged):
            edge["statements"].extend(merged)
        elif isinstance(stmt_id, str) and stmt_id != statement_id((s, predicate, o)):
            edge["statements"].append(stmt_id)
        self.report.imported += 1

    def graph(self) -> MechanismGraph:
        edges = []
        for key, parts in self.edges.items():
            note = parts["note"]
            if parts["statements"] or any(parts["provenance"]):
                line = PROVENANCE_MARK + json.dumps(
                    {"statements": parts["statements"], "evidence": parts["provenance"]},
                    ensure_ascii=False, sort_keys=True)
                note = f"{note}\n{line}" if note else line
            edges.append(Edge(subject=key[0], predicate=key[1], object=key[2], evidence=tuple(parts["evidence"]),
                              note=note))
        self.report.edges = len(edges)
        self.report.evidence = sum(len(e.evidence) for e in edges)
        return MechanismGraph(entities=tuple(Entity.model_validate(e) for e in self.entities.values()),
                              references=tuple(Reference.model_validate(r) for r in self.references.values()),
                              edges=tuple(edges), title=None)


def _rank(ns: str) -> int:
    return next(i for i, space in enumerate(NAMESPACES) if space.indra == ns)


def _json_kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    place = ".".join(str(p) for p in err.get("loc", ()))
    return f"{place}: {err.get('msg')}" if place else str(err.get("msg"))


def parse_statements(path: str | os.PathLike[str], limits: Limits | None = None) -> list[Any]:
    """The JSON list in an INDRA Statements file, refused fast when it is hostile or not a list.

    :raises InputError: if the file is missing, too large, not UTF-8, not JSON, nested too deep, or
        not a JSON list.
    """
    limits = limits or current_limits()
    text = read_input_text(path, limits)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise refuse(path, "invalid-json", f"not JSON: {exc.msg}", "check the file is INDRA Statements JSON",
                     exc.lineno, exc.colno) from None
    except RecursionError:
        raise refuse(path, "too-deep", "JSON nested too deeply to read",
                     "INDRA Statements nest a few levels; this file is not one") from None
    if not isinstance(data, list):
        raise refuse(path, "not-indra", f"the top level is {_json_kind(data)}, not a list of Statements",
                     "INDRA Statements JSON is a JSON list (indra.statements.stmts_to_json); "
                     "JSON-LD (RDF) files end in .jsonld")
    return data


def read_indra(path: str | os.PathLike[str], limits: Limits | None = None) -> tuple[MechanismGraph, IndraReport]:
    """Read an INDRA Statements JSON file: the graph of its signed Statements, and what was left out.

    :raises InputError: naming the statement and JSON path of the first malformed part.
    """
    limits = limits or current_limits()
    reader = _Reader(path, limits)
    statements = parse_statements(path, limits)
    reader.report.statements = len(statements)
    for i, stmt in enumerate(statements):
        reader.statement(stmt, i)
    if not reader.edges:
        raise refuse(path, "nothing-to-import",
                     f"no signed statement could be imported ({'; '.join(reader.report.lines()[1:]) or 'empty list'})",
                     "mtorgraph imports Activation, Inhibition, IncreaseAmount and DecreaseAmount with grounded "
                     "agents and evidence")
    return reader.graph(), reader.report


class IndraImportWarning(UserWarning):
    """What ``--graph stmts.json`` left out (``mtorgraph import`` shows the full report)."""


def load_indra(path: str | os.PathLike[str]) -> MechanismGraph:
    """The registry's reader for ``--graph FILE.json``: the graph; a warning says what was left out."""
    import warnings

    graph, report = read_indra(path)
    if report.not_imported:
        warnings.warn(f"{path}: {report.not_imported:,} of {report.statements:,} INDRA statements not imported "
                      f"({'; '.join(report.lines()[1:])})", IndraImportWarning, stacklevel=2)
    return graph
