"""Curated YAML straight into columns: a C parser (rapidyaml) and checks over whole columns.

The exact reader (:mod:`.curated`) builds a round-trip YAML tree and one validated model per
record, which keeps every ``file:line:col`` but costs ~2 ms per edge. This reader parses each file
with rapidyaml (emitted as JSON, read with :func:`json.loads`), builds the five tables of a
:class:`~mtorgraph.columnar.ColumnarGraph` directly from the plain dicts, and checks them: types,
patterns, closed vocabularies, unknown fields, unknown entities and references, duplicates,
self-links, and everything the exact reader warns about.

It answers only when it is sure: a graph it finds *anything* wrong with, or whose text uses YAML
it does not read the same way as the exact reader (anchors, aliases, tags, directives, merge
keys, plain scalars that YAML 1.2 types differently from rapidyaml: ``~``, ``True``, ``0x1F``,
dates, …), is handed to the exact reader, whose answer (with positions) is the answer. The
hostile-input limits (:mod:`.limits`) apply first, as there.

>>> from pathlib import Path
>>> g = open_curated(Path(__file__).parents[3] / "tests" / "data" / "mini.yaml")
>>> g.edge_count > 0
True
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..errors import Problem
from ..model import (CURIE_PATTERN, DOI_PATTERN, KEY_PATTERN, PMCID_PATTERN, PMID_PATTERN, REFERENCE_KEY_PATTERN,
                     Claim, OpenQuestion, Question)
from ..vocab import ENTITY_KINDS, PREFIX_IRIS
from .curated_scan import TYPED_KEYS, Unsure, documents, optional, text, texts, words
from .limits import Limits, current_limits

__all__ = ["FastResult", "open_curated", "read_fast", "validate_fast"]

TOP_KEYS = ("title", "questions", "entities", "references", "edges", "links", "claims", "open_questions")
KEYED = ("entities", "references", "open_questions")

_ENTITY_FIELDS = {"id", "label", "name", "kind", "id_status", "synonyms", "xrefs", "note"}
_REFERENCE_TEXT = ("title", "authors", "journal", "volume", "pages", "doi", "pmid", "pmcid", "url", "study_type",
                   "verification_note")
_REFERENCE_FIELDS = {*_REFERENCE_TEXT, "year", "verified", "seen_at"}
_EVIDENCE_TEXT = ("finding", "effect", "p_value", "experiment")
_EVIDENCE_FIELDS = {"reference", "kind", "direction", "context", "basis", *_EVIDENCE_TEXT}
_CONTEXT_TEXT = ("anatomy", "cell_type", "model", "design", "route", "dose", "timepoint", "population")
_CONTEXT_FIELDS = {"species", "n", *_CONTEXT_TEXT}

_ENTITY_KINDS = frozenset(ENTITY_KINDS)
_ID_STATUS = frozenset({"verified", "derived", "local", "unverified"})
_VERIFIED = frozenset({"yes", "partial", "no"})
_PREDICATES = frozenset({"activates", "inhibits", "increases", "decreases", "associated_with", "no_effect_on"})
_RELATIONS = frozenset({"part_of", "participates_in", "subclass_of", "model_of"})
_EVIDENCE_KINDS = frozenset({"rct", "clinical_observational", "postmortem_human", "animal_in_vivo", "in_vitro",
                             "meta_analysis", "review", "regulatory", "hypothesis", "curator_inference"})
_DIRECTIONS = frozenset({"supports", "refutes"})
_BASES = frozenset({"own_result", "cited_statement", "title_only"})
_SPECIES = frozenset({"human", "mouse", "rat", "rodent"})


def _full(pattern: str) -> Callable[[str], Any]:
    """A full-match test for a model pattern (stricter than ``^…$``, which lets a final newline by)."""
    return re.compile(pattern.removeprefix("^").removesuffix("$")).fullmatch


_is_key = _full(KEY_PATTERN)
_is_reference_key = _full(REFERENCE_KEY_PATTERN)
_is_curie = _full(CURIE_PATTERN)
_IDENTIFIER_TESTS = {"doi": _full(DOI_PATTERN), "pmid": _full(PMID_PATTERN), "pmcid": _full(PMCID_PATTERN),
                     "url": _full(r"^https?://\S+$")}


class FastResult:
    """What :func:`read_fast` found: the columns of a graph that checked clean, or ``None``."""

    def __init__(self, graph: Any | None, files: list[Path], unsure_at: str = ""):
        self.graph = graph
        self.files = files
        #: Where the checks gave up (``function:line``), to explain a fall-back to the exact reader.
        self.unsure_at = unsure_at


class _Builder:
    """Collects the sections of every document, then checks and lays them out as tables."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.title: str | None = None
        self.sections: dict[str, list[Any]] = {k: [] for k in TOP_KEYS if k != "title"}

    def add(self, doc: dict[str, Any]) -> None:
        for top, value in doc.items():
            if top not in TOP_KEYS:
                raise Unsure
            if top == "title":
                if type(value) is not str or not value.strip():
                    raise Unsure
                self.title = text(value, self.limits)
                continue
            if top in KEYED:
                if type(value) is not dict:
                    raise Unsure
                self.sections[top].extend(value.items())
            else:
                if type(value) is not list:
                    raise Unsure
                self.sections[top].extend(value)

    # -- entities and references ---------------------------------------------------------

    def entities(self) -> tuple[list[str], dict[str, list[Any]]]:
        lim = self.limits
        records = sorted(self.sections["entities"], key=lambda kv: kv[0])
        keys = [k for k, _ in records]
        if len(set(keys)) != len(keys):
            raise Unsure
        cols: dict[str, list[Any]] = {f: [] for f in ("key", "id", "label", "name", "kind", "id_status", "synonyms",
                                                       "xrefs", "note")}
        seen_ids: set[str] = set()
        for key, rec in records:
            if type(rec) is not dict or not _is_key(key) or key in TYPED_KEYS or not rec.keys() <= _ENTITY_FIELDS:
                raise Unsure
            if "id_status" not in rec:  # a warning: the exact reader reports it
                raise Unsure
            ident = text(rec.get("id"), lim)
            kind = words(rec.get("kind"), _ENTITY_KINDS)
            status = words(rec["id_status"], _ID_STATUS)
            note = optional(rec.get("note"), lim)
            if not _is_curie(ident) or ident in seen_ids:
                raise Unsure
            seen_ids.add(ident)
            prefix = ident.partition(":")[0]
            if prefix not in PREFIX_IRIS or prefix == "biolink" or prefix not in ENTITY_KINDS[kind]:
                raise Unsure
            if status in ("derived", "local") and not note:
                raise Unsure
            synonyms = texts(rec.get("synonyms", []), lim)
            xrefs = texts(rec.get("xrefs", []), lim)
            if not all(_is_curie(x) for x in xrefs):
                raise Unsure
            for name, value in (("key", key), ("id", ident), ("label", text(rec.get("label"), lim)),
                                ("name", text(rec.get("name"), lim)), ("kind", kind), ("id_status", status),
                                ("synonyms", synonyms), ("xrefs", xrefs), ("note", note)):
                cols[name].append(value)
        _check_names(cols)
        return keys, cols

    def references(self) -> tuple[list[str], dict[str, list[Any]], list[bool], list[bool]]:
        lim = self.limits
        records = sorted(self.sections["references"], key=lambda kv: kv[0])
        keys = [k for k, _ in records]
        if len(set(keys)) != len(keys):
            raise Unsure
        cols: dict[str, list[Any]] = {f: [] for f in ("key", *_REFERENCE_TEXT, "year", "verified", "seen_at")}
        has_identifier, verified_yes = [], []
        for key, rec in records:
            if (type(rec) is not dict or not _is_reference_key(key) or key in TYPED_KEYS
                    or not rec.keys() <= _REFERENCE_FIELDS):
                raise Unsure
            cols["key"].append(key)
            for name in _REFERENCE_TEXT:
                value = text(rec.get(name), lim, required=name == "title")
                test = _IDENTIFIER_TESTS.get(name)
                if value is not None and test is not None and not test(value):
                    raise Unsure
                cols[name].append(value)
            year = rec.get("year")
            if year is not None and (type(year) is not int or not -2**31 <= year < 2**31):
                raise Unsure
            cols["year"].append(year)
            verified = words(rec.get("verified"), _VERIFIED)
            cols["verified"].append(verified)
            cols["seen_at"].append(texts(rec.get("seen_at", []), lim))
            has_identifier.append(any(rec.get(k) for k in ("doi", "pmid", "pmcid", "url")))
            verified_yes.append(verified == "yes")
        return keys, cols, has_identifier, verified_yes

    # -- edges, links and their evidence --------------------------------------------------

    def statements(self, section: str, verb: str, verbs: frozenset[str], entity_row: dict[str, int],
                   reference_row: dict[str, int], evidence: dict[str, list[Any]], owner: int,
                   has_identifier: list[bool], verified_yes: list[bool]) -> dict[str, list[Any]]:
        lim = self.limits
        allowed = {"subject", verb, "object", "evidence", "note"}
        rows = []
        for rec in self.sections[section]:
            if type(rec) is not dict or not rec.keys() <= allowed:
                raise Unsure
            subject, obj = rec.get("subject"), rec.get("object")
            if type(subject) is not str or type(obj) is not str:
                raise Unsure
            s_row, o_row = entity_row.get(subject), entity_row.get(obj)
            if s_row is None or o_row is None:
                raise Unsure
            word = words(rec.get(verb), verbs)
            if section == "links" and s_row == o_row:
                raise Unsure
            items = rec.get("evidence")
            if type(items) is not list or not items:
                raise Unsure
            rows.append((subject, word, obj, s_row, o_row, optional(rec.get("note"), lim), items))
        rows.sort(key=lambda r: (r[0], r[1], r[2]))
        out: dict[str, list[Any]] = {"subject": [], verb: [], "object": [], "note": []}
        previous = None
        for i, (subject, word, obj, s_row, o_row, note, items) in enumerate(rows):
            if (subject, word, obj) == previous:
                raise Unsure
            previous = (subject, word, obj)
            out["subject"].append(s_row)
            out[verb].append(word)
            out["object"].append(o_row)
            out["note"].append(note)
            verified = False
            for ev in items:
                reference = self._evidence(ev, reference_row, evidence, owner, i)
                if not has_identifier[reference] and owner == 0:
                    raise Unsure
                verified = verified or verified_yes[reference]
            if owner == 0 and not verified:  # the exact reader warns: unverified-only
                raise Unsure
        return out

    def _evidence(self, ev: Any, reference_row: dict[str, int], out: dict[str, list[Any]], owner: int,
                  row: int) -> int:
        lim = self.limits
        if type(ev) is not dict or not ev.keys() <= _EVIDENCE_FIELDS:
            raise Unsure
        key = ev.get("reference")
        reference = reference_row.get(key) if type(key) is str else None
        if reference is None:
            raise Unsure
        out["owner"].append(owner)
        out["row"].append(row)
        out["reference"].append(reference)
        out["kind"].append(words(ev.get("kind"), _EVIDENCE_KINDS))
        out["direction"].append(words(ev.get("direction", "supports"), _DIRECTIONS))
        out["basis"].append(words(ev.get("basis", "own_result"), _BASES))
        out["finding"].append(text(ev.get("finding"), lim))
        out["effect"].append(optional(ev.get("effect"), lim))
        out["p_value"].append(optional(ev.get("p_value"), lim))
        experiment = optional(ev.get("experiment"), lim)
        if experiment == "":
            raise Unsure
        out["experiment"].append(experiment)
        context = ev.get("context", {})
        if type(context) is not dict or not context.keys() <= _CONTEXT_FIELDS:
            raise Unsure
        species = context.get("species")
        out["species"].append(None if species is None else words(species, _SPECIES))
        for name in _CONTEXT_TEXT:
            out[name].append(optional(context.get(name), lim))
        n = context.get("n")
        if n is not None and (type(n) is not int or not 1 <= n < 2**31):
            raise Unsure
        out["n"].append(n)
        return reference

    # -- the whole graph --------------------------------------------------------------------

    def build(self) -> Any:
        from ..columnar import ColumnarGraph
        from ..columnar.schema import SCHEMAS

        entity_keys, entities = self.entities()
        if not entity_keys:
            raise Unsure
        reference_keys, references, has_identifier, verified_yes = self.references()
        entity_row = {k: i for i, k in enumerate(entity_keys)}
        reference_row = {k: i for i, k in enumerate(reference_keys)}
        evidence: dict[str, list[Any]] = {f.name: [] for f in SCHEMAS["evidence"]}
        edges = self.statements("edges", "predicate", _PREDICATES, entity_row, reference_row, evidence, 0,
                                has_identifier, verified_yes)
        links = self.statements("links", "relation", _RELATIONS, entity_row, reference_row, evidence, 1,
                                has_identifier, verified_yes)
        small = self.small_parts(set(entity_keys), set(reference_keys), entity_keys, edges)

        def table(name: str, columns: dict[str, list[Any]]) -> pa.Table:
            schema = SCHEMAS[name]
            n = len(next(iter(columns.values()))) if columns else 0
            data = {f.name: columns.get(f.name, [None] * n) for f in schema}
            try:
                return pa.Table.from_pydict(data, schema=schema)
            except (pa.ArrowException, TypeError, ValueError, OverflowError):
                raise Unsure from None

        tables = {"entities": table("entities", entities), "references": table("references", references),
                  "edges": table("edges", edges), "links": table("links", links),
                  "evidence": table("evidence", evidence)}
        return ColumnarGraph(tables, title=self.title, **small)

    def small_parts(self, entity_keys: set[str], reference_keys: set[str], keys: list[str],
                    edges: dict[str, list[Any]]) -> dict[str, Any]:
        from pydantic import ValidationError

        try:
            claims = [Claim.model_validate(_tuples(c)) for c in self.sections["claims"]]
            questions = [Question.model_validate(_tuples(q)) for q in self.sections["questions"]]
            open_questions = []
            for key, rec in self.sections["open_questions"]:
                if type(rec) is not dict or "key" in rec or key in TYPED_KEYS:
                    raise Unsure
                open_questions.append(OpenQuestion.model_validate({**_tuples(rec), "key": key}))
        except ValidationError:
            raise Unsure from None
        for part in (*claims, *questions, *open_questions):
            _all_text_ok(part.model_dump(), self.limits)
        labels = {f"{keys[s]} {p} {keys[o]}" for s, p, o in zip(edges["subject"], edges["predicate"], edges["object"])}
        ids = [c.id for c in claims]
        if len(set(ids)) != len(ids):
            raise Unsure
        for c in claims:
            if not set(c.references) <= reference_keys or not set(c.edges) <= labels:
                raise Unsure
        for q in questions:
            if q.source not in entity_keys or q.target not in entity_keys:
                raise Unsure
        oq_keys = [q.key for q in open_questions]
        if len(set(oq_keys)) != len(oq_keys):
            raise Unsure
        for q in open_questions:
            if q.proposed_by not in reference_keys or not set(q.entities) <= entity_keys:
                raise Unsure
        return {"claims": tuple(sorted(claims, key=lambda c: int(c.id[1:]))), "questions": tuple(questions),
                "open_questions": tuple(sorted(open_questions, key=lambda q: q.key))}


def _tuples(value: Any) -> Any:
    if type(value) is dict:
        return {k: _tuples(v) for k, v in value.items()}
    if type(value) is list:
        return tuple(_tuples(v) for v in value)
    return value


def _all_text_ok(value: Any, limits: Limits) -> None:
    if isinstance(value, str):
        optional(value, limits)
    elif isinstance(value, dict):
        for v in value.values():
            _all_text_ok(v, limits)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _all_text_ok(v, limits)


def _check_names(cols: dict[str, list[Any]]) -> None:
    """Anything the exact reader warns about in names (look-alikes, mixed scripts) makes us unsure."""
    from .curated import _mixes_scripts, _skeleton

    owner: dict[str, str] = {}
    for key, label, name, synonyms in zip(cols["key"], cols["label"], cols["name"], cols["synonyms"]):
        for text in dict.fromkeys([label, name, *synonyms]):
            if not text.isascii() and _mixes_scripts(text):
                raise Unsure
            folded = _skeleton(text) if not text.isascii() else " ".join(text.casefold().split())
            if owner.setdefault(folded, key) != key:
                raise Unsure


def read_fast(path: str | os.PathLike[str], limits: Limits | None = None) -> FastResult:
    """Read and check the curated graph at ``path`` without round-trip YAML or per-record models.

    :returns: a :class:`FastResult` whose ``graph`` is the :class:`~mtorgraph.columnar.ColumnarGraph`
        (exactly what the exact reader's graph converts to) when the graph checked clean with no
        warning, else ``None`` (the exact reader must answer). ``files`` lists the files read.
    """
    root = Path(path)
    limits = limits or current_limits()
    files: list[Path] = []
    try:
        files, docs = documents(root, limits)
        builder = _Builder(limits)
        for doc in docs:
            builder.add(doc)
        return FastResult(builder.build(), files)
    except (Unsure, RecursionError) as exc:
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return FastResult(None, files, f"{frame.name}:{frame.lineno}")


def validate_fast(path: str | os.PathLike[str], limits: Limits | None = None) -> list[Problem]:
    """Every problem in the curated graph at ``path``: none when the fast checks pass, else the
    exact reader's list (with ``file:line:col``)."""
    if read_fast(path, limits).graph is not None:
        return []
    from .curated import validate_curated

    return validate_curated(path, limits)


def open_curated(path: str | os.PathLike[str], limits: Limits | None = None) -> Any:
    """The curated graph at ``path`` as a :class:`~mtorgraph.columnar.ColumnarGraph`.

    :raises CurationError: carrying every problem (from the exact reader) if it does not validate.
    """
    graph = read_fast(path, limits).graph
    if graph is not None:
        return graph
    from ..columnar import ColumnarGraph
    from .curated import load_curated

    return ColumnarGraph.from_model(load_curated(path, limits))
