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

import json
import os
import re
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..errors import CurationError, InputError, Problem
from ..model import (CURIE_PATTERN, DOI_PATTERN, KEY_PATTERN, PMCID_PATTERN, PMID_PATTERN, REFERENCE_KEY_PATTERN,
                     Claim, OpenQuestion, Question)
from ..vocab import ENTITY_KINDS, PREFIX_IRIS
from .curated_files import _deep_flow, _graph_files
from .files import CONTROL_CHARACTERS, display_path, find_long_line, read_input_text
from .limits import Limits, current_limits

__all__ = ["FastResult", "open_curated", "read_fast", "validate_fast"]

TOP_KEYS = ("title", "questions", "entities", "references", "edges", "links", "claims", "open_questions")
KEYED = ("entities", "references", "open_questions")

#: Syntax the exact reader (ruamel, round trip) gives a meaning the JSON view of the tree lacks:
#: anchors, aliases, tags, directives, complex keys, merge keys, document markers. Searched only
#: when a quick substring test finds the character, and conservatively: a match inside quoted text
#: also sends the file to the exact reader.
_SPECIAL = re.compile(r"(?:^|[\s\[{,])[&*!](?=[^\s,\]}])|^[ \t]*(?:%|\?[ \t]|<<)|^(?:---|\.\.\.)", re.MULTILINE)
#: Escapes in double-quoted text that can make a control character.
_CONTROL_ESCAPE = re.compile(r"\\[0abefvxuUN]")
#: String values a YAML 1.2 reader types as something else when they are written plain (``~``,
#: ``True``, ``0x1F``, ``012``, ``.inf``, ``+5``, ``1_000``, dates). Quoted or not, such a value
#: sends the graph to the exact reader.
_TYPED_LOOKING = re.compile(
    r"~|True|TRUE|False|FALSE|Null|NULL|<<|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)|[-+]?0[0-9xXoObB_][0-9a-fA-F_]*"
    r"|\+[0-9.].*|[-+]?[0-9][0-9_]*_[0-9_]*|[0-9]{4}-[0-9][0-9]?-[0-9][0-9]?(?:[Tt \t].*)?", re.DOTALL).fullmatch
_TYPED_FIRST = frozenset("~TFN<.+-0123456789")

_ENTITY_FIELDS = {"id", "label", "name", "kind", "id_status", "synonyms", "xrefs", "note"}
_REFERENCE_TEXT = ("title", "authors", "journal", "volume", "pages", "doi", "pmid", "pmcid", "url", "study_type",
                   "verification_note")
_REFERENCE_FIELDS = {*_REFERENCE_TEXT, "year", "verified", "seen_at"}
_EVIDENCE_TEXT = ("finding", "effect", "p_value", "experiment")
_EVIDENCE_FIELDS = {"reference", "kind", "direction", "context", "basis", *_EVIDENCE_TEXT}
_CONTEXT_TEXT = ("anatomy", "cell_type", "model", "design", "route", "dose", "timepoint", "population")
_CONTEXT_FIELDS = {"species", "n", *_CONTEXT_TEXT}

#: Plain mapping keys that YAML 1.2 reads as booleans or null (so they are not these strings).
_TYPED_KEYS = frozenset({"true", "false", "null"})
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


class _Unsure(Exception):
    """The fast reader cannot vouch for this graph: the exact reader must answer."""


class FastResult:
    """What :func:`read_fast` found: the columns of a graph that checked clean, or ``None``."""

    def __init__(self, graph: Any | None, files: list[Path], unsure_at: str = ""):
        self.graph = graph
        self.files = files
        #: Where the checks gave up (``function:line``), to explain a fall-back to the exact reader.
        self.unsure_at = unsure_at


def _parse(text: str) -> Any:
    try:
        import ryml
    except ImportError:  # without the C parser every graph takes the exact path
        raise _Unsure from None

    if any(c in text for c in "&*!%?<") or "---" in text or "..." in text:
        if _SPECIAL.search(text):
            raise _Unsure
    if "\\" in text and _CONTROL_ESCAPE.search(text):
        raise _Unsure
    if CONTROL_CHARACTERS.search(text) or any(c in text for c in "\r\u2028\u2029"):
        raise _Unsure  # the exact reader reports control characters; line ends it may read otherwise
    if "\n" + " " * 100 in text:
        raise _Unsure  # indented deep enough to reach the depth limit: the exact reader judges it
    try:
        tree = ryml.parse_in_arena(text.encode("utf-8"))
        if tree.size() == 0 or not tree.is_doc(tree.root_id()) and tree.is_stream(tree.root_id()):
            raise _Unsure
        out = ryml.emit_json_malloc(tree, tree.root_id())
        return json.loads(out, object_pairs_hook=_no_duplicates)
    except _Unsure:
        raise
    except Exception:
        raise _Unsure from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Unsure
    return out


def _documents(root: Path, limits: Limits) -> tuple[list[Path], list[dict[str, Any]]]:
    problems: list[Problem] = []
    files = _graph_files(root, problems)
    if problems or not files:
        raise _Unsure
    docs = []
    for file in files:
        try:
            text = read_input_text(file, limits)
        except InputError:
            raise _Unsure from None
        if find_long_line(text, limits.max_scalar_chars) or _deep_flow(text, limits.max_depth):
            raise _Unsure
        data = _parse(text)
        if not isinstance(data, dict) or not data:
            raise _Unsure
        docs.append(data)
    return files, docs


def _text(value: Any, limits: Limits, *, required: bool = True) -> str | None:
    """A string value as the models accept it (non-empty when required), or :class:`_Unsure`."""
    if value is None and not required:
        return None
    if type(value) is not str or (required and not value) or len(value) > limits.max_scalar_chars:
        raise _Unsure
    if value and value[0] in _TYPED_FIRST and _TYPED_LOOKING(value):
        raise _Unsure
    return value


def _optional(value: Any, limits: Limits) -> str | None:
    if value is None:
        return None
    if type(value) is not str or len(value) > limits.max_scalar_chars:
        raise _Unsure
    if value and value[0] in _TYPED_FIRST and _TYPED_LOOKING(value):
        raise _Unsure
    return value


def _texts(value: Any, limits: Limits) -> list[str]:
    if type(value) is not list:
        raise _Unsure
    return [_optional(v, limits) if v is not None else _fail() for v in value]  # type: ignore[misc]


def _fail() -> Any:
    raise _Unsure


def _words(value: Any, allowed: frozenset[str]) -> str:
    if type(value) is not str or value not in allowed:
        raise _Unsure
    return value


class _Builder:
    """Collects the sections of every document, then checks and lays them out as tables."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.title: str | None = None
        self.sections: dict[str, list[Any]] = {k: [] for k in TOP_KEYS if k != "title"}

    def add(self, doc: dict[str, Any]) -> None:
        for top, value in doc.items():
            if top not in TOP_KEYS:
                raise _Unsure
            if top == "title":
                if type(value) is not str or not value.strip():
                    raise _Unsure
                self.title = _text(value, self.limits)
                continue
            if top in KEYED:
                if type(value) is not dict:
                    raise _Unsure
                self.sections[top].extend(value.items())
            else:
                if type(value) is not list:
                    raise _Unsure
                self.sections[top].extend(value)

    # -- entities and references ---------------------------------------------------------

    def entities(self) -> tuple[list[str], dict[str, list[Any]]]:
        lim = self.limits
        records = sorted(self.sections["entities"], key=lambda kv: kv[0])
        keys = [k for k, _ in records]
        if len(set(keys)) != len(keys):
            raise _Unsure
        cols: dict[str, list[Any]] = {f: [] for f in ("key", "id", "label", "name", "kind", "id_status", "synonyms",
                                                       "xrefs", "note")}
        seen_ids: set[str] = set()
        for key, rec in records:
            if type(rec) is not dict or not _is_key(key) or key in _TYPED_KEYS or not rec.keys() <= _ENTITY_FIELDS:
                raise _Unsure
            if "id_status" not in rec:  # a warning: the exact reader reports it
                raise _Unsure
            ident = _text(rec.get("id"), lim)
            kind = _words(rec.get("kind"), _ENTITY_KINDS)
            status = _words(rec["id_status"], _ID_STATUS)
            note = _optional(rec.get("note"), lim)
            if not _is_curie(ident) or ident in seen_ids:
                raise _Unsure
            seen_ids.add(ident)
            prefix = ident.partition(":")[0]
            if prefix not in PREFIX_IRIS or prefix == "biolink" or prefix not in ENTITY_KINDS[kind]:
                raise _Unsure
            if status in ("derived", "local") and not note:
                raise _Unsure
            synonyms = _texts(rec.get("synonyms", []), lim)
            xrefs = _texts(rec.get("xrefs", []), lim)
            if not all(_is_curie(x) for x in xrefs):
                raise _Unsure
            for name, value in (("key", key), ("id", ident), ("label", _text(rec.get("label"), lim)),
                                ("name", _text(rec.get("name"), lim)), ("kind", kind), ("id_status", status),
                                ("synonyms", synonyms), ("xrefs", xrefs), ("note", note)):
                cols[name].append(value)
        _check_names(cols)
        return keys, cols

    def references(self) -> tuple[list[str], dict[str, list[Any]], list[bool], list[bool]]:
        lim = self.limits
        records = sorted(self.sections["references"], key=lambda kv: kv[0])
        keys = [k for k, _ in records]
        if len(set(keys)) != len(keys):
            raise _Unsure
        cols: dict[str, list[Any]] = {f: [] for f in ("key", *_REFERENCE_TEXT, "year", "verified", "seen_at")}
        has_identifier, verified_yes = [], []
        for key, rec in records:
            if (type(rec) is not dict or not _is_reference_key(key) or key in _TYPED_KEYS
                    or not rec.keys() <= _REFERENCE_FIELDS):
                raise _Unsure
            cols["key"].append(key)
            for name in _REFERENCE_TEXT:
                value = _text(rec.get(name), lim, required=name == "title")
                test = _IDENTIFIER_TESTS.get(name)
                if value is not None and test is not None and not test(value):
                    raise _Unsure
                cols[name].append(value)
            year = rec.get("year")
            if year is not None and (type(year) is not int or not -2**31 <= year < 2**31):
                raise _Unsure
            cols["year"].append(year)
            verified = _words(rec.get("verified"), _VERIFIED)
            cols["verified"].append(verified)
            cols["seen_at"].append(_texts(rec.get("seen_at", []), lim))
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
                raise _Unsure
            subject, obj = rec.get("subject"), rec.get("object")
            if type(subject) is not str or type(obj) is not str:
                raise _Unsure
            s_row, o_row = entity_row.get(subject), entity_row.get(obj)
            if s_row is None or o_row is None:
                raise _Unsure
            word = _words(rec.get(verb), verbs)
            if section == "links" and s_row == o_row:
                raise _Unsure
            items = rec.get("evidence")
            if type(items) is not list or not items:
                raise _Unsure
            rows.append((subject, word, obj, s_row, o_row, _optional(rec.get("note"), lim), items))
        rows.sort(key=lambda r: (r[0], r[1], r[2]))
        out: dict[str, list[Any]] = {"subject": [], verb: [], "object": [], "note": []}
        previous = None
        for i, (subject, word, obj, s_row, o_row, note, items) in enumerate(rows):
            if (subject, word, obj) == previous:
                raise _Unsure
            previous = (subject, word, obj)
            out["subject"].append(s_row)
            out[verb].append(word)
            out["object"].append(o_row)
            out["note"].append(note)
            verified = False
            for ev in items:
                reference = self._evidence(ev, reference_row, evidence, owner, i)
                if not has_identifier[reference] and owner == 0:
                    raise _Unsure
                verified = verified or verified_yes[reference]
            if owner == 0 and not verified:  # the exact reader warns: unverified-only
                raise _Unsure
        return out

    def _evidence(self, ev: Any, reference_row: dict[str, int], out: dict[str, list[Any]], owner: int,
                  row: int) -> int:
        lim = self.limits
        if type(ev) is not dict or not ev.keys() <= _EVIDENCE_FIELDS:
            raise _Unsure
        key = ev.get("reference")
        reference = reference_row.get(key) if type(key) is str else None
        if reference is None:
            raise _Unsure
        out["owner"].append(owner)
        out["row"].append(row)
        out["reference"].append(reference)
        out["kind"].append(_words(ev.get("kind"), _EVIDENCE_KINDS))
        out["direction"].append(_words(ev.get("direction", "supports"), _DIRECTIONS))
        out["basis"].append(_words(ev.get("basis", "own_result"), _BASES))
        out["finding"].append(_text(ev.get("finding"), lim))
        out["effect"].append(_optional(ev.get("effect"), lim))
        out["p_value"].append(_optional(ev.get("p_value"), lim))
        experiment = _optional(ev.get("experiment"), lim)
        if experiment == "":
            raise _Unsure
        out["experiment"].append(experiment)
        context = ev.get("context", {})
        if type(context) is not dict or not context.keys() <= _CONTEXT_FIELDS:
            raise _Unsure
        species = context.get("species")
        out["species"].append(None if species is None else _words(species, _SPECIES))
        for name in _CONTEXT_TEXT:
            out[name].append(_optional(context.get(name), lim))
        n = context.get("n")
        if n is not None and (type(n) is not int or not 1 <= n < 2**31):
            raise _Unsure
        out["n"].append(n)
        return reference

    # -- the whole graph --------------------------------------------------------------------

    def build(self) -> Any:
        from ..columnar import ColumnarGraph
        from ..columnar.schema import SCHEMAS

        entity_keys, entities = self.entities()
        if not entity_keys:
            raise _Unsure
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
                raise _Unsure from None

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
                if type(rec) is not dict or "key" in rec or key in _TYPED_KEYS:
                    raise _Unsure
                open_questions.append(OpenQuestion.model_validate({**_tuples(rec), "key": key}))
        except ValidationError:
            raise _Unsure from None
        for part in (*claims, *questions, *open_questions):
            _all_text_ok(part.model_dump(), self.limits)
        labels = {f"{keys[s]} {p} {keys[o]}" for s, p, o in zip(edges["subject"], edges["predicate"], edges["object"])}
        ids = [c.id for c in claims]
        if len(set(ids)) != len(ids):
            raise _Unsure
        for c in claims:
            if not set(c.references) <= reference_keys or not set(c.edges) <= labels:
                raise _Unsure
        for q in questions:
            if q.source not in entity_keys or q.target not in entity_keys:
                raise _Unsure
        oq_keys = [q.key for q in open_questions]
        if len(set(oq_keys)) != len(oq_keys):
            raise _Unsure
        for q in open_questions:
            if q.proposed_by not in reference_keys or not set(q.entities) <= entity_keys:
                raise _Unsure
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
        _optional(value, limits)
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
                raise _Unsure
            folded = _skeleton(text) if not text.isascii() else " ".join(text.casefold().split())
            if owner.setdefault(folded, key) != key:
                raise _Unsure


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
        files, docs = _documents(root, limits)
        builder = _Builder(limits)
        for doc in docs:
            builder.add(doc)
        return FastResult(builder.build(), files)
    except (_Unsure, RecursionError) as exc:
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

    try:
        return ColumnarGraph.from_model(load_curated(path, limits))
    except CurationError:
        raise
    except InputError:
        raise


def _display(path: Path) -> str:
    return display_path(path)
