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
import re
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from ..errors import CurationError, InputError, Location, Problem, did_you_mean
from ..model import Claim, Edge, Entity, MechanismGraph, OpenQuestion, Question, Reference, StructuralLink
from ..vocab import ENTITY_KINDS, PREFIX_IRIS
from .files import CONTROL_CHARACTERS, describe_mode, display_path, read_input_text
from .limits import ENVIRONMENT, Limits, current_limits
from .records import explain_validation_error

__all__ = ["load_curated", "validate_curated"]

TOP_KEYS = ("title", "questions", "entities", "references", "edges", "links", "claims", "open_questions")
#: Sections that map a key to a record; the others are lists of records (``title`` is a string).
KEYED_SECTIONS = ("entities", "references", "open_questions")
#: Optional files of a graph directory, read after entities, references and edges/.
OPTIONAL_FILES = ("graph.yaml", "links.yaml", "claims.yaml", "open_questions.yaml")


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


def _display(path: Path) -> str:
    return display_path(path)


_YAML_SUFFIXES = (".yaml", ".yml")


def _is_yaml_name(name: str) -> bool:
    return name.lower().endswith(_YAML_SUFFIXES)


def _warn_ignored(found: _Collected, path: Path, why: str) -> None:
    found.problems.append(Problem(Location(_display(path)), "ignored-file", f"not read: {why}",
                                  "rename it to .yaml, move it out of the graph, or remove it", severity="warning"))


def _entries(folder: Path, found: _Collected) -> list[os.DirEntry[str]] | None:
    try:
        with os.scandir(folder) as listing:
            return sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        found.problems.append(Problem(Location(_display(folder)), "unreadable-folder",
                                      f"cannot list the folder ({exc.strerror or exc})",
                                      "check that it is a readable directory"))
        return None


def _edge_files(folder: Path, found: _Collected, visited: set[str]) -> list[Path]:
    """Every YAML file under ``edges/`` and its sub-folders; anything else is reported."""
    real = os.path.realpath(folder)
    if real in visited:
        found.problems.append(Problem(Location(_display(folder)), "folder-loop",
                                      "this folder is a link back to a folder already read",
                                      "remove the link, or point it elsewhere"))
        return []
    visited.add(real)
    entries = _entries(folder, found)
    files: list[Path] = []
    for entry in entries or []:
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            files += _edge_files(path, found, visited)
        elif _is_yaml_name(entry.name) or entry.is_symlink():
            files.append(path)  # reading reports a broken link, a loop or a special file
        else:
            _warn_ignored(found, path, "only .yaml and .yml files in edges/ hold edges")
    return files


def _named(entries: list[os.DirEntry[str]], stem: str) -> list[Path]:
    return [Path(e.path) for e in entries if _is_yaml_name(e.name) and e.name.rsplit(".", 1)[0].lower() == stem]


def _directory_files(root: Path, found: _Collected) -> list[Path]:
    """The files of a graph directory, in reading order; missing, doubled or stray files reported."""
    entries = _entries(root, found)
    if entries is None:
        return []
    files: list[Path] = []
    known = {"entities", "references", *(name.rsplit(".", 1)[0] for name in OPTIONAL_FILES)}
    for stem in ("entities", "references", *(name.rsplit(".", 1)[0] for name in OPTIONAL_FILES)):
        matches = _named(entries, stem)
        if len(matches) > 1:
            found.problems.append(Problem(Location(_display(matches[1])), "ambiguous-file",
                                          f"{matches[0].name} and {matches[1].name} both exist",
                                          "keep one of them"))
        if not matches and stem in ("entities", "references"):
            required = root / f"{stem}.yaml"
            found.problems.append(Problem(Location(_display(required)), "missing-file",
                                          f"a graph directory needs {required.name}", f"create {_display(required)}"))
        files += matches[:1]
        if stem == "references":
            files += _edges_folder(root, entries, found)
    for entry in entries:
        stem = entry.name.rsplit(".", 1)[0].lower()
        if _is_yaml_name(entry.name) and stem not in known and stem != "edges":
            _warn_ignored(found, Path(entry.path), f"a graph directory reads only {', '.join(sorted(known))} "
                          "and edges/")
    return files


def _edges_folder(root: Path, entries: list[os.DirEntry[str]], found: _Collected) -> list[Path]:
    entry = next((e for e in entries if e.name == "edges"), None)
    if entry is None:
        near = [e.name for e in entries if e.name.lower() == "edges" or _is_yaml_name(e.name)
                and e.name.rsplit(".", 1)[0].lower() == "edges"]
        hint = f"rename {near[0]!r} to edges/" if near else "create edges/ and put the edge files in it"
        found.problems.append(Problem(Location(_display(root / "edges")), "missing-file",
                                      "a graph directory needs an edges/ folder", hint))
        return []
    folder = Path(entry.path)
    try:
        info = os.stat(folder)
    except OSError as exc:
        found.problems.append(Problem(Location(_display(folder)), "unreadable-folder",
                                      f"edges/ cannot be opened ({exc.strerror or exc})",
                                      "fix or remove the link, or create the folder"))
        return []
    if not stat.S_ISDIR(info.st_mode):
        found.problems.append(Problem(Location(_display(folder)), "not-a-folder",
                                      f"edges is {describe_mode(info.st_mode)}, not a folder",
                                      "make edges/ a folder of .yaml files"))
        return []
    return _edge_files(folder, found, {os.path.realpath(root)})


def _graph_files(root: Path, found: _Collected) -> list[Path]:
    if not root.exists() and not root.is_symlink():
        found.problems.append(
            Problem(Location(_display(root)), "missing-file", "no such file or directory",
                    "give a graph directory or a .yaml file")
        )
        return []
    if root.is_dir():
        return _directory_files(root, found)
    return [root]


def _documents(root: Path, found: _Collected, limits: Limits) -> Iterator[tuple[str, Any]]:
    files = _graph_files(root, found)
    yaml = YAML(typ="rt")
    for file in files:
        name = _display(file)
        try:
            text = read_input_text(file, limits)
        except InputError as exc:
            found.problems.append(exc.problem)
            continue
        long_line = _long_line(text, limits.max_scalar_chars)
        if long_line:
            line, length = long_line
            found.problems.append(Problem(Location(name, line, 1), "value-too-long",
                                          f"line {line} is {length:,} characters long, more than the limit of "
                                          f"{limits.max_scalar_chars:,} for one value",
                                          f"shorten it, or raise the limit with {ENVIRONMENT['max_scalar_chars']}"))
            continue
        deep = _deep_flow(text, limits.max_depth)
        if deep:
            found.problems.append(Problem(Location(name, *deep), "too-deep",
                                          f"values are nested more than {limits.max_depth} levels deep here",
                                          f"flatten it, or raise the limit with {ENVIRONMENT['max_depth']}"))
            continue
        try:
            data = yaml.load(text)
        except MarkedYAMLError as exc:
            found.problems.append(_syntax_problem(name, exc))
            continue
        except ReaderError as exc:
            line, col = _line_col(text, exc.position)
            found.problems.append(Problem(Location(name, line, col), "control-character",
                                          f"the file holds the control character U+{exc.character:04X}, which YAML "
                                          "does not allow", "remove it (tabs and newlines are fine)"))
            continue
        except RecursionError:
            found.problems.append(Problem(Location(name), "too-deep", "the YAML is nested too deeply to read",
                                          f"nest at most {limits.max_depth} levels"))
            continue
        except YAMLError as exc:
            found.problems.append(Problem(Location(name), "yaml-syntax", " ".join(str(exc).split()),
                                          "fix the YAML syntax"))
            continue
        if data is None:
            single = file == root
            found.problems.append(Problem(Location(name), "empty-file", "the file holds no YAML data",
                                          "add the graph's entities, references and edges" if single
                                          else "fill it or remove it", severity="error" if single else "warning"))
            continue
        if _inspect(name, data, found, limits):
            yield name, data


def _syntax_problem(name: str, exc: MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    message = str(exc.problem).strip()
    duplicate = re.match(r'found duplicate key "([^"]*)"', message)
    if duplicate:
        code, message = "duplicate-key", f"duplicate key {duplicate.group(1)!r}"
        hint = "each key may appear once in a mapping; merge or rename the repeated one"
    else:
        code, hint = "yaml-syntax", "fix the YAML syntax here"
        if exc.context and exc.context_mark and exc.context_mark is not mark:
            hint = f"{exc.context.strip()} that starts at line {exc.context_mark.line + 1}; fix the syntax there"
    return Problem(Location(name, line, col), code, message, hint)


def _line_col(text: str, position: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


_BRACKETS = re.compile(r"[\[\]{}]")


def _deep_flow(text: str, limit: int) -> tuple[int, int] | None:
    """Where flow brackets (``[``, ``{``) first nest deeper than ``limit``, before parsing.

    The YAML parser recurses once per level and would fail slowly, deep in its own stack; this
    scan is linear. It counts brackets inside quoted text too, which only matters for text that
    holds more than ``limit`` unbalanced brackets.
    """
    depth = 0
    for match in _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                return _line_col(text, match.start())
        elif depth:
            depth -= 1
    return None


def _long_line(text: str, limit: int) -> tuple[int, int] | None:
    """The first line longer than ``limit`` characters, as (line number, length), if any."""
    if len(text) <= limit:
        return None
    lines = text.splitlines()
    if max(map(len, lines)) <= limit:
        return None
    return next((i + 1, len(line)) for i, line in enumerate(lines) if len(line) > limit)


def _children(node: Any) -> list[tuple[Any, Any, bool]]:
    """(child, position key, is-a-key) triples of a ruamel collection."""
    if isinstance(node, CommentedMap):
        out: list[tuple[Any, Any, bool]] = []
        for k, v in node.items():
            out.append((k, k, True))
            out.append((v, k, False))
        return out
    if isinstance(node, CommentedSeq):
        return [(v, i, False) for i, v in enumerate(node)]
    return []


def _child_position(parent: Any, key: Any, is_key: bool, default: tuple[int, int]) -> tuple[int, int]:
    try:
        if isinstance(parent, CommentedMap):
            line, col = parent.lc.key(key) if is_key else parent.lc.value(key)
        else:
            line, col = parent.lc.item(key)
    except (KeyError, TypeError, AttributeError, IndexError):
        return default
    return line + 1, col + 1


def _inspect(name: str, data: Any, found: _Collected, limits: Limits) -> bool:
    """Check a parsed document against the limits and for control characters.

    Returns False when the document must not be used further (its aliases expand too far or it
    is nested too deeply); such documents are never expanded into plain values.
    """
    seen: set[int] = set()
    repeated = 0
    stack: list[tuple[Any, int, tuple[int, int], bool]] = [(data, 0, (1, 1), True)]
    while stack:
        node, depth, pos, first = stack.pop()
        if isinstance(node, str):
            if first:
                _check_text(name, node, pos, found, limits)
            continue
        if not isinstance(node, (CommentedMap, CommentedSeq)):
            continue
        if depth > limits.max_depth:
            found.problems.append(Problem(Location(name, *pos), "too-deep",
                                          f"values are nested more than {limits.max_depth} levels deep here",
                                          f"flatten it, or raise the limit with {ENVIRONMENT['max_depth']}"))
            return False
        visited_before = id(node) in seen
        seen.add(id(node))
        fresh = first and not visited_before
        children = _children(node)
        if not fresh:
            repeated += len(children)
            if repeated > limits.max_alias_nodes:
                found.problems.append(Problem(Location(name, *pos), "alias-expansion",
                                              f"aliases (*name) repeat anchored data more than "
                                              f"{limits.max_alias_nodes:,} times in this file",
                                              "write the values out, or raise the limit with "
                                              f"{ENVIRONMENT['max_alias_nodes']}"))
                return False
        for child, key, is_key in children:
            child_pos = _child_position(node, key, is_key, pos) if fresh else pos
            stack.append((child, depth + 1, child_pos, fresh))
    return True


def _check_text(name: str, text: str, pos: tuple[int, int], found: _Collected, limits: Limits) -> None:
    bad = CONTROL_CHARACTERS.search(text)
    if bad:
        char = ord(bad.group())
        found.problems.append(Problem(Location(name, *pos), "control-character",
                                      f"text holds the control character U+{char:04X} at character "
                                      f"{bad.start() + 1}: {text[:40]!r}",
                                      "remove it; write plain text (tabs and newlines are fine)"))
    if len(text) > limits.max_scalar_chars:
        found.problems.append(Problem(Location(name, *pos), "value-too-long",
                                      f"a value of {len(text):,} characters, more than the limit of "
                                      f"{limits.max_scalar_chars:,}",
                                      f"shorten it, or raise the limit with {ENVIRONMENT['max_scalar_chars']}"))


def _collect(root: Path, limits: Limits) -> _Collected:
    found = _Collected()
    for name, data in _documents(root, found, limits):
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


def _check_edges(found: _Collected, valid: dict[str, list[tuple[_Record, Any]]]) -> None:
    problems = found.problems
    entity_keys = _keys(found, "entities")
    reference_keys = _keys(found, "references")
    references = {r.key: r for _, r in valid["references"]}
    seen: dict[tuple[str, str, str], _Record] = {}
    for record, edge in valid["edges"]:
        for end in ("subject", "object"):
            key = getattr(edge, end)
            if key not in entity_keys:
                problems.append(Problem(_at(record, end), "unknown-entity",
                                        f"{record.label}.{end} {key!r} is not an entity",
                                        _choices(key, entity_keys) if entity_keys else "add it to entities.yaml"))
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
        if edge.key in seen:
            first = seen[edge.key]
            problems.append(Problem(Location(record.file, *record.position), "duplicate-edge",
                                    f"{record.label} repeats {first.label} at {first.file}:{first.position[0]} ({edge.label})",
                                    "merge their evidence lists into one edge"))
        else:
            seen[edge.key] = record
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
        for end in ("subject", "object"):
            key = getattr(link, end)
            if key not in entity_keys:
                problems.append(Problem(_at(record, end), "unknown-entity",
                                        f"{record.label}.{end} {key!r} is not an entity",
                                        _choices(key, entity_keys) if entity_keys else "add it to entities.yaml"))
        if link.subject == link.object:
            problems.append(Problem(Location(record.file, *record.position), "self-link",
                                    f"{record.label} links {link.subject!r} to itself", "remove it"))
        for i, ev in enumerate(link.evidence):
            if ev.reference not in reference_keys:
                problems.append(Problem(_at(record, "evidence", i, "reference"), "unknown-reference",
                                        f"{record.label}.evidence[{i}].reference {ev.reference!r} is not in references",
                                        _choices(ev.reference, reference_keys) if reference_keys else "add it to references.yaml"))
        if link.key in seen:
            first = seen[link.key]
            problems.append(Problem(Location(record.file, *record.position), "duplicate-link",
                                    f"{record.label} repeats {first.label} at {first.file}:{first.position[0]} ({link.label})",
                                    "merge their evidence lists into one link"))
        else:
            seen[link.key] = record


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
        for end in ("source", "target"):
            key = getattr(q, end)
            if key not in entity_keys:
                problems.append(Problem(_at(record, end), "unknown-entity",
                                        f"{record.label}.{end} {key!r} is not an entity",
                                        _choices(key, entity_keys) if entity_keys else ""))


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
        found.problems.append(Problem(Location(_display(root)), "empty-graph", "the graph has no entities",
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

