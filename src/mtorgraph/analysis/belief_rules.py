"""The belief rules of :mod:`.scoring`, all six, on evidence columns: many edges (or merged steps,
or structural links) at once, without a Python object per edge.

:func:`.scoring.explain_belief` stays the reference: it keeps every term and says why an item was
left out. :func:`rule_beliefs` computes the same number for groups of evidence rows, with numpy:

* a group's *own* rows are the evidence on its edges (or its link); the weighed supporting ones
  give ``b+`` (one study once, at its strongest prior);
* against it count its own weighed refuting rows and, for a signed group, the weighed supporting
  rows of the ``no_effect_on`` edges on its pair (*null* rows, given by the caller);
* an item against is dropped when it is a hypothesis, when the group has support and no supporting
  species overlaps the item's (:func:`.scoring.species_overlap`), or when it is a null of a study
  that supports the group;
* ``belief = b+ · (1 − b−)``, the products taken strongest prior first as ``explain_belief`` takes
  them, so the two agree to the last bit (``tests/test_beliefs_fast.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..vocab import EVIDENCE_KINDS, SPECIES
from .scoring import species_overlap

__all__ = ["kind_priors", "noisy_or_by_group", "rule_beliefs"]

KINDS = tuple(EVIDENCE_KINDS)
_HYPOTHESIS = KINDS.index("hypothesis")
#: species code -> bit; the last bit stands for an unstated species (code -1)
_SPECIES = (*SPECIES, None)


def _overlap_bits() -> np.ndarray:
    bits = np.zeros(len(_SPECIES), dtype=np.int64)
    for i, a in enumerate(_SPECIES):
        for j, b in enumerate(_SPECIES):
            if species_overlap(a, b):
                bits[i] |= 1 << j
    return bits


#: species position -> the bits of every species it overlaps
_OVERLAPS = _overlap_bits()


def kind_priors(priors: Mapping[str, float] | None = None) -> np.ndarray:
    """The prior of every evidence kind, by kind code, with ``priors`` overriding the defaults."""
    priors = priors or {}
    return np.array([priors.get(k, EVIDENCE_KINDS[k].prior) for k in KINDS], dtype=np.float64)


def noisy_or_by_group(group: np.ndarray, study: np.ndarray, prior: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group, ``1 − ∏(1 − prior)`` over its studies, each study once at its strongest prior,
    multiplied strongest first (bit for bit what :func:`.scoring.explain_belief` computes); 0 for
    a group without rows."""
    out = np.zeros(n_groups, dtype=np.float64)
    if not len(group):
        return out
    # one sort of a single integer key (group, study), then one of (group, prior rank): two
    # three-key lexsorts cost twice as much on a million groups
    g = group.astype(np.int64)
    study = study.astype(np.int64)
    n_study = int(study.max()) + 1
    key = g * n_study + study
    order = np.argsort(key)
    key = key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    best = np.maximum.reduceat(prior[order], starts)  # each study once, at its strongest prior
    g = key[starts] // n_study
    levels, rank = np.unique(best, return_inverse=True)
    order = np.argsort(g * len(levels) + (len(levels) - 1 - rank.reshape(-1)))
    g, factor = g[order], 1.0 - best[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    sizes = np.diff(np.r_[starts, len(g)])
    product = factor[starts].copy()
    active = np.arange(len(starts))
    j = 1
    while True:
        active = active[sizes[active] > j]
        if not len(active):
            break
        product[active] *= factor[starts[active] + j]
        j += 1
    out[g[starts]] = 1.0 - product
    return out


def _species_position(codes: Any, rows: np.ndarray) -> np.ndarray:
    species = codes.species[rows].astype(np.int64)
    return np.where(species < 0, len(_SPECIES) - 1, species)


def rule_beliefs(codes: Any, weighed: np.ndarray, own_rows: np.ndarray, own_group: np.ndarray,
                 null_rows: np.ndarray, null_group: np.ndarray, n_groups: int,
                 priors: Mapping[str, float] | None = None) -> np.ndarray:
    """The belief of each of ``n_groups`` groups under every rule of :mod:`.scoring`.

    :param codes: the graph's :class:`~.beliefs.EvidenceCodes`.
    :param weighed: per evidence row, whether it may count (``codes.weighed`` for edges; for a
        structural link a cited statement weighs too).
    :param own_rows: evidence rows on the groups' own edges or links; ``own_group`` their groups.
    :param null_rows: evidence rows of the ``no_effect_on`` edges beside each *signed* group (a row
        may serve several groups); ``null_group`` their groups.
    """
    prior_of = kind_priors(priors)
    own_rows, null_rows = own_rows.astype(np.int64), null_rows.astype(np.int64)
    own_group, null_group = own_group.astype(np.int64), null_group.astype(np.int64)
    own_weighed = weighed[own_rows]
    supporting = own_weighed & codes.supports[own_rows]
    s_rows, s_group = own_rows[supporting], own_group[supporting]
    b_plus = noisy_or_by_group(s_group, codes.study[s_rows], prior_of[codes.kind[s_rows]], n_groups)
    has_support = np.zeros(n_groups, dtype=bool)
    has_support[s_group] = True
    species_bits = np.zeros(n_groups, dtype=np.int64)
    np.bitwise_or.at(species_bits, s_group, np.left_shift(1, _species_position(codes, s_rows)))
    refuting = own_weighed & ~codes.supports[own_rows]
    nulls = weighed[null_rows] & codes.supports[null_rows]
    a_rows = np.concatenate([own_rows[refuting], null_rows[nulls]])
    a_group = np.concatenate([own_group[refuting], null_group[nulls]])
    is_null = np.r_[np.zeros(int(refuting.sum()), dtype=bool), np.ones(int(nulls.sum()), dtype=bool)]
    keep = codes.kind[a_rows] != _HYPOTHESIS
    overlaps = (species_bits[a_group] & _OVERLAPS[_species_position(codes, a_rows)]) != 0
    keep &= ~has_support[a_group] | overlaps
    n_study = int(codes.study.max()) + 1 if len(codes.study) else 1
    own_study = np.isin(a_group * n_study + codes.study[a_rows], s_group * n_study + codes.study[s_rows])
    keep &= ~(is_null & own_study)
    a_rows, a_group = a_rows[keep], a_group[keep]
    b_minus = noisy_or_by_group(a_group, codes.study[a_rows], prior_of[codes.kind[a_rows]], n_groups)
    return b_plus * (1.0 - b_minus)
