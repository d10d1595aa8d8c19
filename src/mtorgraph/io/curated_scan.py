"""The parsing half of the fast curated reader (:mod:`.curated_fast`): YAML text to plain values.

rapidyaml parses each file and emits JSON, read back with :func:`json.loads`. Before that, the text
is scanned for what the exact reader (ruamel, YAML 1.2, round trip) would read differently or
refuse, and every value is checked as it is taken; anything doubtful raises :class:`Unsure`, which
hands the graph to the exact reader.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from .curated_files import _deep_flow, _graph_files
from .files import CONTROL_CHARACTERS, find_long_line, read_input_text
from .limits import Limits

__all__ = ["TYPED_KEYS", "Unsure", "documents", "optional", "text", "texts", "words"]

#: Plain mapping keys that YAML 1.2 reads as booleans or null (so they are not these strings).
TYPED_KEYS = frozenset({"true", "false", "null"})

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


class Unsure(Exception):
    """The fast reader cannot vouch for this graph: the exact reader must answer."""



def _parse(text: str) -> Any:
    try:
        import ryml
    except ImportError:  # without the C parser every graph takes the exact path
        raise Unsure from None

    if any(c in text for c in "&*!%?<") or "---" in text or "..." in text:
        if _SPECIAL.search(text):
            raise Unsure
    if "\\" in text and _CONTROL_ESCAPE.search(text):
        raise Unsure
    if CONTROL_CHARACTERS.search(text) or any(c in text for c in "\r\u2028\u2029"):
        raise Unsure  # the exact reader reports control characters; line ends it may read otherwise
    if "\n" + " " * 100 in text:
        raise Unsure  # indented deep enough to reach the depth limit: the exact reader judges it
    try:
        tree = ryml.parse_in_arena(text.encode("utf-8"))
        if tree.size() == 0 or not tree.is_doc(tree.root_id()) and tree.is_stream(tree.root_id()):
            raise Unsure
        out = ryml.emit_json_malloc(tree, tree.root_id())
        return json.loads(out, object_pairs_hook=_no_duplicates)
    except Unsure:
        raise
    except Exception:
        raise Unsure from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise Unsure
    return out


def documents(root: Path, limits: Limits) -> tuple[list[Path], list[dict[str, Any]]]:
    problems: list[Problem] = []
    files = _graph_files(root, problems)
    if problems or not files:
        raise Unsure
    docs = []
    for file in files:
        try:
            text = read_input_text(file, limits)
        except InputError:
            raise Unsure from None
        if find_long_line(text, limits.max_scalar_chars) or _deep_flow(text, limits.max_depth):
            raise Unsure
        data = _parse(text)
        if not isinstance(data, dict) or not data:
            raise Unsure
        docs.append(data)
    return files, docs


def text(value: Any, limits: Limits, *, required: bool = True) -> str | None:
    """A string value as the models accept it (non-empty when required), or :class:`Unsure`."""
    if value is None and not required:
        return None
    if type(value) is not str or (required and not value) or len(value) > limits.max_scalar_chars:
        raise Unsure
    if value and value[0] in _TYPED_FIRST and _TYPED_LOOKING(value):
        raise Unsure
    return value


def optional(value: Any, limits: Limits) -> str | None:
    if value is None:
        return None
    if type(value) is not str or len(value) > limits.max_scalar_chars:
        raise Unsure
    if value and value[0] in _TYPED_FIRST and _TYPED_LOOKING(value):
        raise Unsure
    return value


def texts(value: Any, limits: Limits) -> list[str]:
    if type(value) is not list:
        raise Unsure
    return [optional(v, limits) if v is not None else _fail() for v in value]  # type: ignore[misc]


def _fail() -> Any:
    raise Unsure


def words(value: Any, allowed: frozenset[str]) -> str:
    if type(value) is not str or value not in allowed:
        raise Unsure
    return value
