"""Parsing RDF input safely: offline, bounded, with the parser's line and reason kept.

Before rdflib sees a file:

- it must be a regular file under the size limit (:func:`~mtorgraph.io.files.read_input_text`);
- JSON-LD may not name a context by address (``"@context": "http://…"``, a list holding one, or
  ``"@import"``): rdflib would fetch it over the network or from a ``file:`` URL. mtorgraph's own
  exports embed their context, so they never need one;
- RDF/XML may not declare DTD entities (``<!ENTITY``): nested entities expand to millions of
  characters and external ones name other files.

After parsing, literals holding characters XML 1.0 cannot carry (C0 controls but tab and line
ends, U+FFFE, U+FFFF) are refused: they would make an RDF/XML export unreadable, and an RDF graph that holds no ``mtg:Entity`` is refused as "not an
mtorgraph export" (see :func:`check_export`).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rdflib import RDF, BNode, Dataset, Graph, Literal

from ..errors import InputError
from .files import XML_ILLEGAL_CHARACTERS, find_long_line, read_input_text, refuse
from .limits import ENVIRONMENT, Limits, current_limits
from .rdf_vocab import MTG

__all__ = ["check_export", "parse_rdf_text", "read_rdf"]


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """Silence rdflib's logged warnings (bad IRIs, ill-typed literals) while parsing: the problem
    is reported once, cleanly, by the caller instead of as a logged traceback."""
    logger = logging.getLogger("rdflib")
    before = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = before


def _refuse_remote_contexts(path: str | os.PathLike[str], text: str) -> None:
    try:
        document = json.loads(text)
    except RecursionError:
        raise refuse(path, "too-deep", "the JSON is nested too deeply to read", "flatten it") from None
    except json.JSONDecodeError as exc:
        raise refuse(path, "rdf-syntax", f"not valid JSON-LD: {exc.msg}", "fix the JSON syntax here",
                     exc.lineno, exc.colno) from None
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            contexts = value if isinstance(value, list) else [value]
            if key == "@context":
                remote = next((c for c in contexts if isinstance(c, str)), None)
                if remote is not None:
                    raise refuse(path, "remote-context", f"the JSON-LD names its @context by address ({remote!r}); "
                                 "mtorgraph does not fetch contexts", "embed the context object in the file")
            if key == "@import":
                raise refuse(path, "remote-context", f"the JSON-LD @imports a context ({value!r}); mtorgraph "
                             "does not fetch contexts", "embed the imported context in the file")
            stack.append(value)


def _refuse_xml_entities(path: str | os.PathLike[str], text: str) -> None:
    at = text.upper().find("<!ENTITY")
    if at >= 0:
        line = text.count("\n", 0, at) + 1
        raise refuse(path, "xml-entity", "the RDF/XML declares DTD entities, which mtorgraph does not expand",
                     "write the values out and remove the <!DOCTYPE …> block", line,
                     at - (text.rfind("\n", 0, at) + 1) + 1)


def _syntax_error(path: str | os.PathLike[str], name: str, text: str, exc: Exception) -> InputError:
    """The parser's complaint as an error at the line (and column) it names, when it names one."""
    line = column = 0
    reason = " ".join(str(exc).split()) or type(exc).__name__
    if hasattr(exc, "_why") and hasattr(exc, "lines"):  # notation3 BadSyntax (Turtle, TriG, N3)
        reason, line = str(exc._why), int(exc.lines) + 1
        raw = getattr(exc, "_str", b"")
        at = int(getattr(exc, "_i", 0))
        if isinstance(raw, bytes) and 0 <= at <= len(raw):
            column = at - (raw.rfind(b"\n", 0, at) + 1) + 1
    elif hasattr(exc, "getLineNumber"):  # SAX (RDF/XML)
        line, column, reason = exc.getLineNumber(), exc.getColumnNumber() + 1, exc.getMessage()
    elif isinstance(exc, json.JSONDecodeError):
        line, column, reason = exc.lineno, exc.colno, exc.msg
    elif isinstance(exc, RecursionError):
        reason = "nested too deeply to read"
    elif reason.startswith("Invalid line"):  # N-Triples names the rest of the line only
        fragment = reason.split(":", 1)[1].strip().strip('"')
        found = text.find(fragment) if fragment else -1
        if found >= 0:
            line = text.count("\n", 0, found) + 1
    return refuse(path, "rdf-syntax", f"not valid {name} RDF: {reason}", "fix the syntax here", line, column)


def parse_rdf_text(path: str | os.PathLike[str], text: str, name: str, parser: str) -> Graph:
    """Parse ``text`` (the contents of ``path``, in RDF format ``name``) offline into one Graph.

    TriG gives the union of its graphs.

    :raises InputError: for a remote JSON-LD context, an XML entity, a syntax error (with its line
        and reason) or a literal holding a control character.
    """
    if name == "jsonld":
        _refuse_remote_contexts(path, text)
    if name == "xml":
        _refuse_xml_entities(path, text)
    try:
        with _quiet_rdflib():
            if name == "trig":
                dataset = Dataset()
                dataset.parse(data=text, format=parser)
                rdf = Graph()
                for s, p, o, _ in dataset.quads((None, None, None, None)):
                    rdf.add((s, p, o))
            else:
                rdf = Graph().parse(data=text, format=parser)
    except InputError:
        raise
    except Exception as exc:  # rdflib raises many types for bad syntax
        raise _syntax_error(path, name, text, exc) from None
    _refuse_control_characters(path, rdf)
    return rdf


def _refuse_control_characters(path: str | os.PathLike[str], rdf: Graph) -> None:
    """Refuse a literal holding a control character. Of several, the one named is the first by
    subject IRI, predicate and text (blank nodes last), not whichever rdflib's store gives first:
    that order follows string hashing (and blank nodes' names), so two runs on one file named two."""
    found = []
    for s, p, o in rdf:
        if isinstance(o, Literal):
            bad = XML_ILLEGAL_CHARACTERS.search(str(o))
            if bad:
                found.append((isinstance(s, BNode), str(s), str(p), str(o), s, p, bad.group()))
    if found:
        _, _, _, _, s, p, char = min(found, key=lambda f: f[:4])
        raise refuse(path, "control-character", f"<{s}> {p.n3()} holds the control character U+{ord(char):04X}",
                     "remove it; write plain text (tabs and newlines are fine)")


#: Formats read line by line, where one enormous line is refused before parsing.
LINE_FORMATS = frozenset({"nt", "turtle", "trig"})


def read_rdf(path: str | os.PathLike[str], name: str, parser: str, limits: Limits | None = None) -> Graph:
    """Read and parse the RDF file at ``path`` (see :func:`parse_rdf_text`).

    :raises InputError: if the file is missing or special or too large, has a line longer than
        ``limits.max_scalar_chars`` (line-based formats), or does not parse.
    """
    limits = limits or current_limits()
    text = read_input_text(path, limits)
    if name in LINE_FORMATS:
        # rdflib's line readers slow down badly on one enormous line; refuse it before parsing.
        long_line = find_long_line(text, limits.max_scalar_chars)
        if long_line:
            line, length = long_line
            raise refuse(path, "value-too-long", f"line {line} is {length:,} characters long, over the limit of "
                         f"{limits.max_scalar_chars:,} for one line",
                         f"shorten it, or raise the limit with {ENVIRONMENT['max_scalar_chars']}", line, 1)
    return parse_rdf_text(path, text, name, parser)


def check_export(path: str | os.PathLike[str], rdf: Graph) -> None:
    """Refuse RDF that is not an mtorgraph export: it must hold at least one ``mtg:Entity``.

    :raises InputError: saying how many triples the file has and what is missing.
    """
    if next(rdf.subjects(RDF.type, MTG.Entity), None) is not None:
        return
    if len(rdf) == 0:
        raise refuse(path, "not-an-export", "the file holds no RDF triples",
                     "give an RDF file written by `mtorgraph export`")
    raise refuse(path, "not-an-export", f"the file holds {len(rdf):,} triples but no mtg:Entity, so it is not "
                 "an mtorgraph export (mtorgraph reads back only its own exports: mtg:Entity, mtg:Reference, "
                 "mtg:Assertion nodes)", "export the graph with `mtorgraph export`, or convert the data to curated YAML")
