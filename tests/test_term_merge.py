"""Joining blocks' term dictionaries on threads (io/term_merge.py): one code per distinct word, and
every triple's codes name the words they named in their block."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from mtorgraph.io.term_merge import GROUPS, join_blocks, word_groups

_WORDS = st.text(alphabet=st.sampled_from('<>"ab:/#é_ \n'), max_size=12)


def _block(words: list[str], rng: np.random.Generator, triples: int):
    array = pa.array(words, pa.large_string())
    codes = rng.integers(0, len(words), size=(triples, 3)) if words else np.zeros((0, 3), np.int64)
    return array, codes.astype(np.int32), word_groups(array)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_WORDS, unique=True, max_size=30), max_size=6), st.integers(0, 2**32 - 1))
def test_joined_codes_name_the_words_each_block_named(blocks, seed):
    rng = np.random.default_rng(seed)
    parts = [_block(words, rng, int(rng.integers(0, 20))) for words in blocks]
    with ThreadPoolExecutor(max_workers=2) as pool:
        terms, codes = join_blocks(parts, pool)
    texts = terms.to_pylist()
    assert len(set(texts)) == len(texts)  # one code per distinct word
    expected = [words.to_pylist()[c] for words, block_codes, _ in parts if len(words) for c in block_codes.ravel()]
    assert [texts[c] for c in codes.ravel()] == expected
    used = {w for words, _, _ in parts if len(words) > 1 for w in words.to_pylist()}
    assert used <= set(texts)


def test_equal_words_fall_in_the_same_group_and_groups_are_used():
    words = [f"<http://example.org/{i:x}>" for i in range(2000)] + ['"4"^^<http://www.w3.org/2001/XMLSchema#integer>', "", "x"]
    one = word_groups(pa.array(words, pa.large_string()))
    again = word_groups(pa.array(list(reversed(words)), pa.large_string()))
    assert np.array_equal(one, again[::-1])
    assert (np.bincount(one[:2000], minlength=GROUPS) > 2000 // (3 * GROUPS)).all()  # every group, a fair share
