"""N-Triples into columns of term codes, with Arrow string kernels instead of a Python step per triple.

N-Triples is one triple per line, so a file can be read in blocks of whole lines. Each line is
checked against a strict pattern, the plain form mtorgraph's writers produce: ``<s> <p> o .``
with single spaces, IRIs without escapes, blank nodes ``_:name``, literals without any backslash
(plain or ``^^<datatype>``). Lines of that form are split with Arrow kernels; every other line
(escapes, language tags, comments, other spacing) is parsed by pyoxigraph, which is exact because
N-Triples lines are independent. Each term becomes a code into one dictionary of term texts:
``<iri>``, ``_:name`` or a literal ``"value"`` (``"value"^^<datatype>`` unless it is a plain
string; ``@lang`` appended for a language tag), so two lines naming the same term give the same
code whichever way they were read.

:func:`read_ntriples` keeps only the triples whose predicate a caller wants. Anything it cannot
read exactly (a file over the size limit, a line over the length limit, invalid UTF-8, a line
pyoxigraph rejects, an IRI pyoxigraph would reject) raises :class:`NotPlain`, and the caller reads
the file the slow, exact way, which reports the problem.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import IO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .arrow_text import string_offsets
from .limits import Limits
from .term_merge import Block, join_blocks, word_groups

__all__ = ["NotPlain", "Triples", "check_lines", "literal_parts", "read_ntriples", "term_text"]

#: Bytes read per block (whole lines; a block grows to hold a line longer than this).
BLOCK_BYTES = 32 * 2**20
#: Threads reading blocks at once (each holds a block and its pieces: ~10 times the block's bytes).
_WORKERS = max(1, min(4, os.cpu_count() or 1))

_PCT = r"%[0-9A-Fa-f]{2}"
_CHAR = r"[A-Za-z0-9._~!$&'()*+,;=:@\-]"
#: An http(s) IRI of plain ASCII that any IRI parser accepts; others go to pyoxigraph.
_IRI = (rf"<https?://[A-Za-z0-9.\-]+(?::[0-9]+)?(?:/(?:{_CHAR}|{_PCT})*)*"
        rf"(?:\?(?:{_CHAR}|{_PCT}|[/?])*)?(?:#(?:{_CHAR}|{_PCT}|[/?])*)?>")
_BNODE = r"_:[A-Za-z0-9]+"
_LITERAL = r'"[^"\\\n\r]*"(?:\^\^' + _IRI + ")?"
#: A line of the plain form (the newline included, nothing after it).
PLAIN_LINE = rf"^(?:{_IRI}|{_BNODE}) {_IRI} (?:{_IRI}|{_BNODE}|{_LITERAL}) \.\n$"
#: The three terms of a plain line, cut at its first two spaces and before its " .\n" (see
#: :func:`_plain_pieces`).
_PART_PATTERNS = (rf"^(?:{_IRI}|{_BNODE})$", rf"^{_IRI}$", rf"^(?:{_IRI}|{_BNODE}|{_LITERAL})$")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: Characters the exact reader refuses in a literal (``files.XML_ILLEGAL_CHARACTERS``; the text is
#: valid UTF-8, so surrogates cannot occur) are control bytes other than tab, LF and CR, and these
#: two non-characters, U+FFFE and U+FFFF, in UTF-8.
_NONCHARACTER = re.compile(b"\xef\xbf[\xbe\xbf]")
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class NotPlain(Exception):
    """The file cannot be read exactly here; the exact reader decides."""


@dataclass
class Triples:
    """Triples as codes: ``terms[s[i]] terms[p[i]] terms[o[i]]`` is triple ``i``, in file order."""

    terms: pa.Array
    s: np.ndarray
    p: np.ndarray
    o: np.ndarray


def term_text(term: object) -> str:
    """A pyoxigraph term as the text a plain line gives it (literals that no plain line could
    hold are ``\\x01datatype\\x01language\\x01value``, see :func:`literal_parts`)."""
    kind = type(term).__name__
    if kind == "NamedNode":
        return f"<{term.value}>"  # type: ignore[attr-defined]
    if kind == "BlankNode":
        return f"_:{term.value}"  # type: ignore[attr-defined]
    if kind == "Literal":
        value, datatype = term.value, term.datatype.value  # type: ignore[attr-defined]
        language = term.language or ""  # type: ignore[attr-defined]
        if not language and not any(c in value for c in '"\\\n\r'):
            return f'"{value}"' if datatype == _XSD_STRING else f'"{value}"^^<{datatype}>'
        return f"\x01{datatype}\x01{language}\x01{value}"
    raise NotPlain("term")


def _other_lines(lines: pa.Array) -> list[tuple[str, str, str]]:
    """Lines not in the plain form, parsed by pyoxigraph (an error or a quoted triple: NotPlain)."""
    import pyoxigraph

    from .files import XML_ILLEGAL_CHARACTERS

    text = "".join(lines.to_pylist())
    found = []
    try:
        for quad in pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.N_TRIPLES):
            o = quad.object
            if type(o).__name__ == "Literal" and XML_ILLEGAL_CHARACTERS.search(o.value):
                raise NotPlain("control character")
            found.append((term_text(quad.subject), term_text(quad.predicate), term_text(o)))
    except (SyntaxError, ValueError) as exc:
        raise NotPlain("syntax") from exc
    return found


def _lines(block: memoryview, ends: np.ndarray, limits: Limits, is_ascii: bool) -> pa.Array:
    """The lines of a block of whole lines (each with its newline, at ``ends``), without copying;
    checked to be UTF-8 unless the block is ``is_ascii``."""
    offsets = np.empty(len(ends) + 1, np.int64)
    offsets[0] = 0
    offsets[1:] = ends + 1
    lines = pa.LargeStringArray.from_buffers(len(ends), pa.py_buffer(offsets), pa.py_buffer(block))
    try:
        if not is_ascii:
            lines.validate(full=True)  # valid UTF-8
    except pa.ArrowInvalid as exc:
        raise NotPlain("encoding") from exc
    if len(ends) and int(np.diff(offsets).max()) > limits.max_scalar_chars:
        if int(pc.max(pc.utf8_length(lines)).as_py()) > limits.max_scalar_chars + 1:
            raise NotPlain("long line")
    return lines


def _plain_pieces(block: memoryview, limits: Limits) -> tuple[pa.Array, np.ndarray, pa.Array, np.ndarray, bool]:
    """A block's lines, which of them are plain, the plain lines' pieces (their words and an
    (n, 3) array of codes into them), and whether the block is all ASCII.

    A line is plain when its first two spaces come before any other byte under 33, it ends in
    ``" .\n"``, and the subject, predicate and object between match their parts of
    :data:`PLAIN_LINE`: the same test as the whole-line pattern (neither a subject nor a predicate
    holds a space), asked once per distinct word instead of once per line, since terms repeat.

    One pass over the bytes finds every space and newline. Each line is then cut, by offsets into
    the block itself, into three pieces: the subject, the predicate with the space before it, and
    the object with the space before and the ``" .\n"`` after it. One dictionary encoding of the
    pieces codes every line without copying a piece out first; the few distinct pieces are then
    trimmed and encoded once more, so a term has one code wherever it stands.
    """
    data = np.frombuffer(block, dtype=np.uint8)
    is_ascii = not len(data) or int(data.max()) < 0x80  # (one fast pass; then no UTF-8 to check)
    low = np.flatnonzero(data <= 32)  # spaces, newlines, tabs and any control byte
    kind = data[low]
    at_newline = np.flatnonzero(kind == 10)
    ends = low[at_newline]
    lines = _lines(block, ends, limits, is_ascii)
    n = len(ends)
    if n == 0:
        return lines, np.zeros(0, bool), pa.array([], pa.large_string()), np.zeros((0, 3), np.int64), is_ascii
    first = np.empty(n, np.int64)  # index in `low` of each line's first byte under 33
    first[0] = 0
    first[1:] = at_newline[:-1] + 1
    second = np.minimum(first + 1, len(low) - 1)
    s1, s2 = low[first], low[second]
    tail = ends - 2
    simple = ((first + 1 < at_newline) & (kind[first] == 32) & (kind[second] == 32) & (s2 + 1 < tail)
              & (data[np.maximum(tail, 0)] == 32) & (data[ends - 1] == 46))
    beyond = ends + 1  # a line that is not simple is one piece, followed by two empty ones
    cuts = np.empty((n, 3), np.int64)
    cuts[:, 0] = np.concatenate(([0], beyond[:-1]))
    cuts[:, 1] = np.where(simple, s1, beyond)
    cuts[:, 2] = np.where(simple, s2, beyond)
    offsets = np.append(cuts.ravel(), beyond[-1])
    three = pa.LargeStringArray.from_buffers(3 * n, pa.py_buffer(offsets), pa.py_buffer(block))
    encoded = pc.dictionary_encode(three)
    pieces = encoded.dictionary
    rows = np.flatnonzero(simple)
    codes = encoded.indices.to_numpy().reshape(n, 3)[rows]
    texts, ok = [], np.ones(len(rows), dtype=bool)
    for position, (pattern, (start, stop)) in enumerate(zip(_PART_PATTERNS, ((0, None), (1, None), (1, -3)))):
        used = np.zeros(len(pieces), dtype=bool)
        used[codes[:, position]] = True
        asked = np.flatnonzero(used)
        words = pieces.take(pa.array(asked))
        if position:
            words = pc.utf8_slice_codeunits(words, start, stop)
        good = np.zeros(len(pieces), dtype=bool)
        good[asked] = pc.match_substring_regex(words, pattern).to_numpy(zero_copy_only=False)
        ok &= good[codes[:, position]]
        local = np.zeros(len(pieces), dtype=np.int64)  # a piece's place among this position's words
        local[asked] = np.arange(len(asked)) + sum(map(len, texts))
        codes[:, position] = local[codes[:, position]]
        texts.append(words)
    plain = np.zeros(n, dtype=bool)
    plain[rows[ok]] = True
    # one code per term, wherever it stands; only the plain lines' words are kept, so a word of a
    # line pyoxigraph reads never becomes a term
    again = pc.dictionary_encode(pa.chunked_array(texts, pa.large_string()).combine_chunks())
    words, codes = _compact(again.dictionary, again.indices.to_numpy()[codes[ok]])
    return lines, plain, words, codes, is_ascii


def _has_illegal_characters(words: pa.Array, is_ascii: bool) -> bool:
    """Whether any word holds a character the exact reader refuses in a literal (see :data:`_NONCHARACTER`).

    Asked of the plain words' bytes at once: plain IRIs and blank nodes are ASCII without control
    characters, so only literals can hold one; the non-characters cannot be in an ``is_ascii`` block.
    """
    if not len(words) or words.buffers()[2] is None:
        return False
    offsets = string_offsets(words)
    data = np.frombuffer(words.buffers()[2], np.uint8)[offsets[0]:offsets[-1]]
    control = data < 32
    if control.any() and (control & (data != 9) & (data != 10) & (data != 13)).any():
        return True
    return not is_ascii and _NONCHARACTER.search(memoryview(data)) is not None


def _block_terms(block: memoryview, limits: Limits) -> tuple[pa.Array, np.ndarray]:
    """One block's triples: its term dictionary and an (n, 3) array of codes into it (plain lines
    first, in file order, then the lines pyoxigraph read)."""
    lines, plain, words, codes, is_ascii = _plain_pieces(block, limits)
    if _has_illegal_characters(words, is_ascii):
        raise NotPlain("control character")
    codes = codes.ravel()
    recode = False
    if not plain.all():
        others = [text for triple in _other_lines(lines.filter(pa.array(~plain))) for text in triple]
        codes = np.concatenate([codes, len(words) + np.arange(len(others), dtype=np.int64)])
        words = pa.concat_arrays([words.cast(pa.large_string()), pa.array(others, pa.large_string())])
        recode = True
    # a plain string written with its datatype is the same term as one written without
    typed_string = pc.and_(pc.starts_with(words, '"'), pc.ends_with(words, f'"^^<{_XSD_STRING}>'))
    if typed_string.true_count:
        words = pc.if_else(typed_string, pc.utf8_slice_codeunits(words, 0, -len(f"^^<{_XSD_STRING}>")), words)
        recode = True
    if recode:  # the words from pyoxigraph, or the shortened ones, may equal others
        again = pc.dictionary_encode(words)
        words, codes = again.dictionary, again.indices.to_numpy()[codes]
    return words, codes.reshape(-1, 3)


def _blocks(stream: IO[bytes], limits: Limits, buffers: int = 1):
    """Blocks of whole lines (the last one given a newline if it lacks one).

    The blocks are views into ``buffers`` buffers used in turn, so a block stays unchanged while
    the next ``buffers - 1`` are read: a reader can hand blocks to other threads without copying
    them (a fresh 32 MB copy per block costs more in page faults than the copying itself).
    """
    pool = [bytearray(BLOCK_BYTES) for _ in range(max(1, buffers))]
    turn, carry = 0, 0
    while True:
        buffer = pool[turn]
        if carry == len(buffer):
            if carry > 4 * limits.max_scalar_chars + 4:
                raise NotPlain("long line")
            # a new, larger buffer: an older block may still be in use (and holds a view of this one)
            buffer = pool[turn] = buffer + bytearray(len(buffer))
        view = memoryview(buffer)
        got = stream.readinto(view[carry:])
        filled = carry + got
        if got == 0:
            if carry:
                yield bytes(buffer[:carry]) + b"\n"
            return
        cut = buffer.rfind(b"\n", 0, filled) + 1
        if cut == 0:
            carry = filled
            continue
        yield view[:cut]
        turn = (turn + 1) % len(pool)
        rest = filled - cut
        if len(pool[turn]) < rest:
            pool[turn] = bytearray(len(buffer))
        pool[turn][:rest] = buffer[cut:filled]
        carry = rest


def _compact(words: pa.Array, codes: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """Only the words the codes use (the terms of unwanted triples are not held or unified)."""
    used = np.zeros(len(words), dtype=bool)
    used[codes.ravel()] = True
    if used.all():
        return words, codes
    new_code = np.cumsum(used, dtype=np.int64) - 1
    return words.filter(pa.array(used)), new_code[codes]


def read_ntriples(path: str | os.PathLike[str], limits: Limits, wanted: Callable[[pa.Array], pa.Array],
                  check_size: bool = True) -> Triples:
    """The triples of an N-Triples file whose predicate ``wanted`` keeps, as codes into one term dictionary.

    :param wanted: given predicate texts (``<iri>``), a boolean column: which to keep.
    :param check_size: refuse a file over ``limits.max_table_bytes``.
    :raises NotPlain: when the file must be read the exact way.
    """
    if check_size and os.path.getsize(path) > limits.max_table_bytes:
        raise NotPlain("size")
    parts: list[Block] = []

    def read_block(block: memoryview) -> Block:
        words, codes = _block_terms(block, limits)
        keep = wanted(words).to_numpy(zero_copy_only=False)[codes[:, 1]]
        words, codes = _compact(words, codes[keep])
        words = words.cast(pa.large_string())
        return words, codes.astype(np.int32), word_groups(words)

    # Arrow's kernels release the GIL: blocks are read on a few threads, their results kept in order.
    # A block is read into one of _WORKERS + 2 buffers: at most _WORKERS + 1 are being read at once.
    # (Putting groups of blocks on one dictionary while later ones are read held 0.8 GB less at 1M
    # edges, but hashed every word once more: 5 s of CPU the reading threads needed.)
    with open(path, "rb") as stream, ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        pending: deque[Future[Block]] = deque()
        for block in _blocks(stream, limits, buffers=_WORKERS + 2):
            pending.append(pool.submit(read_block, block))
            if len(pending) > _WORKERS:
                parts.append(pending.popleft().result())
        parts.extend(future.result() for future in pending)
        try:
            terms, codes = join_blocks(parts, pool)
        except ValueError as exc:
            raise NotPlain("join") from exc  # not expected; the exact reader is always right
    return Triples(terms, *(np.ascontiguousarray(codes[:, i]) for i in range(3)))


def literal_parts(texts: pa.Array) -> tuple[pa.Array, pa.Array]:
    """The value and datatype IRI of each literal term text (null for a null or a non-literal).

    A language-tagged literal has the datatype ``rdf:langString``, as pyoxigraph gives it.
    """
    texts = texts.cast(pa.large_string())
    plain = pc.starts_with(texts, '"')
    typed = pc.and_(plain, pc.match_substring(texts, '"^^<'))
    if not typed.true_count and plain.false_count == 0 and not plain.null_count:
        # every text a plain string literal (a graph's long texts): one slice, no splitting
        return (pc.utf8_slice_codeunits(texts, 1, -1),
                pa.repeat(pa.scalar(_XSD_STRING, pa.large_string()), len(texts)))
    halves = pc.split_pattern(pc.if_else(typed, texts, pa.scalar(None, pa.large_string())), '"^^<', max_splits=1)
    head, tail = pc.list_element(halves, 0), pc.list_element(halves, 1)
    value = pc.if_else(typed, pc.utf8_slice_codeunits(head, 1),
                       pc.if_else(plain, pc.utf8_slice_codeunits(texts, 1, -1), pa.scalar(None, pa.large_string())))
    datatype = pc.if_else(typed, pc.utf8_slice_codeunits(tail, 0, -1),
                          pc.if_else(plain, pa.scalar(_XSD_STRING, pa.large_string()),
                                     pa.scalar(None, pa.large_string())))
    other = pc.starts_with(texts, "\x01")
    if other.true_count:
        values, datatypes = value.to_pylist(), datatype.to_pylist()
        for i in np.flatnonzero(other.to_numpy(zero_copy_only=False)):
            dt, language, text = texts[int(i)].as_py()[1:].split("\x01", 2)
            values[i] = text
            datatypes[i] = _LANG_STRING if language else dt
        value, datatype = pa.array(values, pa.large_string()), pa.array(datatypes, pa.large_string())
    return value, datatype


def check_lines(path: str | os.PathLike[str], limits: Limits) -> None:
    """Raise :class:`NotPlain` if the file is not UTF-8 or has a line over ``limits.max_scalar_chars``."""
    with open(path, "rb") as stream:
        for block in _blocks(stream, limits):
            data = np.frombuffer(block, dtype=np.uint8)
            ends = np.flatnonzero(data == 10)
            if len(ends) and int(np.diff(ends, prepend=-1).max()) > limits.max_scalar_chars + 1:
                lines = str(block, "utf-8").split("\n")
                if max(len(line) for line in lines) > limits.max_scalar_chars:
                    raise NotPlain("long line")
            try:
                str(block, "utf-8")
            except UnicodeDecodeError:
                raise NotPlain("encoding") from None
