"""What a path's net sign means for its target, in words people read the right way.

A net-positive path to a disease *increases* the disease: the source would worsen it. "Positive"
must never read as "good", so every surface says the effect in words.

>>> from mtorgraph.model import Entity
>>> depression = Entity(key="depression", id="MONDO:0002050", label="depressive disorder",
...                     name="depression", kind="disease")
>>> effect_of(-1), effect_words(depression, -1)
('decreases', 'would relieve depression')
>>> mtorc1 = Entity(key="mtorc1", id="GO:0031931", label="TORC1 complex", name="mTORC1", kind="complex")
>>> effect_words(mtorc1, 1)
'would increase mTORC1'
"""

from __future__ import annotations

from typing import Literal

from ..model import Entity

__all__ = ["HARM_KINDS", "effect_of", "effect_words"]

#: Entity kinds that are harms: more of them is worse (a disease, an adverse phenotype).
HARM_KINDS = frozenset({"disease", "phenotype"})


def effect_of(sign: int) -> Literal["increases", "decreases"] | None:
    """``increases`` for a net-positive sign, ``decreases`` for net-negative, ``None`` for 0."""
    if sign > 0:
        return "increases"
    if sign < 0:
        return "decreases"
    return None


def effect_words(target: Entity, sign: int) -> str:
    """The effect of a path of net ``sign`` on ``target``, e.g. ``would worsen depression``."""
    if sign == 0:
        return f"unsigned link to {target.name}"
    if target.kind in HARM_KINDS:
        return f"would {'worsen' if sign > 0 else 'relieve'} {target.name}"
    return f"would {'increase' if sign > 0 else 'decrease'} {target.name}"
