"""Finding and reading the files of a curated graph: every file read or reported, hostile YAML refused.

:func:`read_documents` yields each parsed YAML document of a graph directory or file, after
checking it against the :class:`~mtorgraph.io.limits.Limits` (size, line length, flow nesting
before parsing; alias expansion, depth, value length and control characters after). Problems go
to the list the caller passes.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from ..errors import InputError, Location, Problem
from .files import CONTROL_CHARACTERS, describe_mode, display_path, find_long_line, read_input_text
from .limits import ENVIRONMENT, Limits

__all__ = ["OPTIONAL_FILES", "read_documents"]

#: Optional files of a graph directory, read after entities, references and edges/.
OPTIONAL_FILES = ("graph.yaml", "links.yaml", "claims.yaml", "open_questions.yaml")


def _display(path: Path) -> str:
    return display_path(path)


_YAML_SUFFIXES = (".yaml", ".yml")


def _is_yaml_name(name: str) -> bool:
    return name.lower().endswith(_YAML_SUFFIXES)


def _warn_ignored(problems: list[Problem], path: Path, why: str) -> None:
    problems.append(Problem(Location(_display(path)), "ignored-file", f"not read: {why}",
                                  "rename it to .yaml, move it out of the graph, or remove it", severity="warning"))


def _entries(folder: Path, problems: list[Problem]) -> list[os.DirEntry[str]] | None:
    try:
        with os.scandir(folder) as listing:
            return sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        problems.append(Problem(Location(_display(folder)), "unreadable-folder",
                                      f"cannot list the folder ({exc.strerror or exc})",
                                      "check that it is a readable directory"))
        return None


def _edge_files(folder: Path, problems: list[Problem], visited: set[str]) -> list[Path]:
    """Every YAML file under ``edges/`` and its sub-folders; anything else is reported."""
    real = os.path.realpath(folder)
    if real in visited:
        problems.append(Problem(Location(_display(folder)), "folder-loop",
                                      "this folder is a link back to a folder already read",
                                      "remove the link, or point it elsewhere"))
        return []
    visited.add(real)
    entries = _entries(folder, problems)
    files: list[Path] = []
    for entry in entries or []:
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            files += _edge_files(path, problems, visited)
        elif _is_yaml_name(entry.name) or entry.is_symlink():
            files.append(path)  # reading reports a broken link, a loop or a special file
        else:
            _warn_ignored(problems, path, "only .yaml and .yml files in edges/ hold edges")
    return files


def _named(entries: list[os.DirEntry[str]], stem: str) -> list[Path]:
    return [Path(e.path) for e in entries if _is_yaml_name(e.name) and e.name.rsplit(".", 1)[0].lower() == stem]


def _directory_files(root: Path, problems: list[Problem]) -> list[Path]:
    """The files of a graph directory, in reading order; missing, doubled or stray files reported."""
    entries = _entries(root, problems)
    if entries is None:
        return []
    files: list[Path] = []
    known = {"entities", "references", *(name.rsplit(".", 1)[0] for name in OPTIONAL_FILES)}
    for stem in ("entities", "references", *(name.rsplit(".", 1)[0] for name in OPTIONAL_FILES)):
        matches = _named(entries, stem)
        if len(matches) > 1:
            problems.append(Problem(Location(_display(matches[1])), "ambiguous-file",
                                          f"{matches[0].name} and {matches[1].name} both exist",
                                          "keep one of them"))
        if not matches and stem in ("entities", "references"):
            required = root / f"{stem}.yaml"
            problems.append(Problem(Location(_display(required)), "missing-file",
                                          f"a graph directory needs {required.name}", f"create {_display(required)}"))
        files += matches[:1]
        if stem == "references":
            files += _edges_folder(root, entries, problems)
    for entry in entries:
        stem = entry.name.rsplit(".", 1)[0].lower()
        if _is_yaml_name(entry.name) and stem not in known and stem != "edges":
            _warn_ignored(problems, Path(entry.path), f"a graph directory reads only {', '.join(sorted(known))} "
                          "and edges/")
    return files


def _edges_folder(root: Path, entries: list[os.DirEntry[str]], problems: list[Problem]) -> list[Path]:
    entry = next((e for e in entries if e.name == "edges"), None)
    if entry is None:
        near = [e.name for e in entries if e.name.lower() == "edges" or _is_yaml_name(e.name)
                and e.name.rsplit(".", 1)[0].lower() == "edges"]
        hint = f"rename {near[0]!r} to edges/" if near else "create edges/ and put the edge files in it"
        problems.append(Problem(Location(_display(root / "edges")), "missing-file",
                                      "a graph directory needs an edges/ folder", hint))
        return []
    folder = Path(entry.path)
    try:
        info = os.stat(folder)
    except OSError as exc:
        problems.append(Problem(Location(_display(folder)), "unreadable-folder",
                                      f"edges/ cannot be opened ({exc.strerror or exc})",
                                      "fix or remove the link, or create the folder"))
        return []
    if not stat.S_ISDIR(info.st_mode):
        problems.append(Problem(Location(_display(folder)), "not-a-folder",
                                      f"edges is {describe_mode(info.st_mode)}, not a folder",
                                      "make edges/ a folder of .yaml files"))
        return []
    return _edge_files(folder, problems, {os.path.realpath(root)})


def _graph_files(root: Path, problems: list[Problem]) -> list[Path]:
    if not root.exists() and not root.is_symlink():
        problems.append(
            Problem(Location(_display(root)), "missing-file", "no such file or directory",
                    "give a graph directory or a .yaml file")
        )
        return []
    if root.is_dir():
        return _directory_files(root, problems)
    return [root]


def read_documents(root: Path, problems: list[Problem], limits: Limits) -> Iterator[tuple[str, Any]]:
    files = _graph_files(root, problems)
    yaml = YAML(typ="rt")
    for file in files:
        name = _display(file)
        try:
            text = read_input_text(file, limits)
        except InputError as exc:
            problems.append(exc.problem)
            continue
        long_line = find_long_line(text, limits.max_scalar_chars)
        if long_line:
            line, length = long_line
            problems.append(Problem(Location(name, line, 1), "value-too-long",
                                          f"line {line} is {length:,} characters long, more than the limit of "
                                          f"{limits.max_scalar_chars:,} for one value",
                                          f"shorten it, or raise the limit with {ENVIRONMENT['max_scalar_chars']}"))
            continue
        deep = _deep_flow(text, limits.max_depth)
        if deep:
            problems.append(Problem(Location(name, *deep), "too-deep",
                                          f"values are nested more than {limits.max_depth} levels deep here",
                                          f"flatten it, or raise the limit with {ENVIRONMENT['max_depth']}"))
            continue
        try:
            data = yaml.load(text)
        except MarkedYAMLError as exc:
            problems.append(_syntax_problem(name, exc))
            continue
        except ReaderError as exc:
            line, col = _line_col(text, exc.position)
            problems.append(Problem(Location(name, line, col), "control-character",
                                          f"the file holds the control character U+{exc.character:04X}, which YAML "
                                          "does not allow", "remove it (tabs and newlines are fine)"))
            continue
        except RecursionError:
            problems.append(Problem(Location(name), "too-deep", "the YAML is nested too deeply to read",
                                          f"nest at most {limits.max_depth} levels"))
            continue
        except YAMLError as exc:
            problems.append(Problem(Location(name), "yaml-syntax", " ".join(str(exc).split()),
                                          "fix the YAML syntax"))
            continue
        if data is None:
            single = file == root
            problems.append(Problem(Location(name), "empty-file", "the file holds no YAML data",
                                          "add the graph's entities, references and edges" if single
                                          else "fill it or remove it", severity="error" if single else "warning"))
            continue
        if _inspect(name, data, problems, limits):
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


def _inspect(name: str, data: Any, problems: list[Problem], limits: Limits) -> bool:
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
                _check_text(name, node, pos, problems, limits)
            continue
        if not isinstance(node, (CommentedMap, CommentedSeq)):
            continue
        if depth > limits.max_depth:
            problems.append(Problem(Location(name, *pos), "too-deep",
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
                problems.append(Problem(Location(name, *pos), "alias-expansion",
                                              f"aliases (*name) repeat anchored data more than "
                                              f"{limits.max_alias_nodes:,} times in this file",
                                              "write the values out, or raise the limit with "
                                              f"{ENVIRONMENT['max_alias_nodes']}"))
                return False
        for child, key, is_key in children:
            child_pos = _child_position(node, key, is_key, pos) if fresh else pos
            stack.append((child, depth + 1, child_pos, fresh))
    return True


def _check_text(name: str, text: str, pos: tuple[int, int], problems: list[Problem], limits: Limits) -> None:
    bad = CONTROL_CHARACTERS.search(text)
    if bad:
        char = ord(bad.group())
        problems.append(Problem(Location(name, *pos), "control-character",
                                      f"text holds the control character U+{char:04X} at character "
                                      f"{bad.start() + 1}: {text[:40]!r}",
                                      "remove it; write plain text (tabs and newlines are fine)"))
    if len(text) > limits.max_scalar_chars:
        problems.append(Problem(Location(name, *pos), "value-too-long",
                                      f"a value of {len(text):,} characters, more than the limit of "
                                      f"{limits.max_scalar_chars:,}",
                                      f"shorten it, or raise the limit with {ENVIRONMENT['max_scalar_chars']}"))
