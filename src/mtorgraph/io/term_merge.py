"""Blocks' term dictionaries joined into one, on a few threads.

:mod:`.ntriples_columns` reads each block of a file into a dictionary of its own; a term named in
several blocks (an assertion's IRI is named in the block of its edge and in that of its evidence)
must end with one code. Joining hashes every block's words once more: at 1M edges 17.8M words,
5.0M distinct, 5.9 s on one thread, while the other CPU waited. Here each word falls into one of
:data:`GROUPS` groups by a few of its bytes, so equal words always meet in the same group, and
the groups are joined at once on the caller's threads (3.0 s on two, on the same saved blocks;
eight groups rather than four: 2.4–3.3 s against 3.5–4.7 s, and the whole first open peaks
0.3–0.6 GB lower, two groups' copies being held at a time instead of two of four). The joined
dictionary lists the groups one after another, first seen first within each; nothing that reads
the codes depends on the order of the terms.
"""

from __future__ import annotations

from concurrent.futures import Executor

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .arrow_text import string_offsets

__all__ = ["GROUPS", "Block", "join_blocks", "word_groups"]

#: How many groups the words fall into (a few per thread, so one large group does not wait alone).
GROUPS = 8

#: One block's words (large strings), the (n, 3) codes of its triples into them, and each word's group.
Block = tuple[pa.Array, np.ndarray, np.ndarray]


def word_groups(words: pa.Array) -> np.ndarray:
    """Each word's group (``int8``), from its length and three of its bytes: the last but one (an
    IRI's last character), the middle one and one a third from the end. Equal words, equal group."""
    if len(words) == 0:
        return np.zeros(0, np.int8)
    offsets = string_offsets(words)
    start, end = offsets[:-1], offsets[1:]
    data = words.buffers()[2]
    if data is None or data.size == 0:  # only empty words
        return np.zeros(len(words), np.int8)
    data = np.frombuffer(data, np.uint8)
    length = end - start
    top = len(data) - 1

    def byte(at: np.ndarray) -> np.ndarray:  # a byte of each word (0 for an empty one), never a neighbour's
        inside = np.clip(np.minimum(np.maximum(at, start), end - 1), 0, top)
        return np.where(length > 0, data[inside], 0).astype(np.uint32)
    mix = byte(end - 2) * 7 + byte(start + length // 2) * 3 + byte(end - 1 - length // 3) + length.astype(np.uint32)
    return (mix % GROUPS).astype(np.int8)


def join_blocks(blocks: list[Block], pool: Executor) -> tuple[pa.Array, np.ndarray]:
    """The blocks' words on one dictionary: its terms, and every block's triples' codes into it, in order.

    :param pool: threads to join the groups on.
    """
    blocks = [block for block in blocks if len(block[0])]  # (a block without a kept triple has no words)
    if len(blocks) <= 1:
        if not blocks:
            return pa.array([], pa.large_string()), np.zeros((0, 3), np.int32)
        return blocks[0][0], blocks[0][1]
    places = [[np.flatnonzero(groups == g) for g in range(GROUPS)] for _, _, groups in blocks]

    def join_group(g: int) -> tuple[pa.Array, dict[int, np.ndarray]]:
        holding = [i for i, place in enumerate(places) if len(place[g])]
        if not holding:
            return pa.array([], pa.large_string()), {}
        pieces = [blocks[i][0].take(pa.array(places[i][g])) for i in holding]
        encoded = pc.dictionary_encode(pa.chunked_array(pieces, pa.large_string()))
        if encoded.num_chunks != len(pieces):
            raise ValueError("a block's words were lost in joining")  # not expected: Arrow keeps non-empty chunks
        return encoded.chunk(encoded.num_chunks - 1).dictionary, {
            i: chunk.indices.to_numpy() for i, chunk in zip(holding, encoded.chunks)}

    joined = list(pool.map(join_group, range(GROUPS)))
    first = np.cumsum([0] + [len(terms) for terms, _ in joined])

    def recode(i: int) -> np.ndarray:
        words, codes, _ = blocks[i]
        code_of_word = np.empty(len(words), np.int32)
        for g, (_, codes_of) in enumerate(joined):
            if i in codes_of:
                code_of_word[places[i][g]] = codes_of[i] + first[g]
        return code_of_word[codes]

    codes = np.concatenate(list(pool.map(recode, range(len(blocks)))))
    return pa.concat_arrays([terms for terms, _ in joined]), codes
