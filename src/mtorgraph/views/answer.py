"""The short answer to one question, in at most :data:`MAX_WORDS` words, built only from the data.

Five sentences, in this order: the grade with its reasons, the human evidence (design, n, what
was and was not found), the animal evidence both ways, the paradox (what separates its sides) and
safety. Each sentence has a few versions of decreasing detail; while the whole is too long, the
next sentence in a fixed order loses one level of detail (the grade's reasons go last). Every
noun, number and finding comes from the graph: entity names, predicate labels, context fields,
reference names; the words around them are fixed.

>>> from mtorgraph.io import load_graph
>>> from pathlib import Path
>>> from mtorgraph.analysis.answer import answer_question
>>> g = load_graph(Path(__file__).parents[3] / "tests" / "data" / "mini.yaml")
>>> text = " ".join(short_answer(g, answer_question(g, "rapamycin", "depression")))
>>> text.split(".")[0]
'Evidence grade, rapamycin → depression: low'
>>> len(text.split()) <= MAX_WORDS
True
"""

from __future__ import annotations

import re

from ..analysis.answer import GRADE_WORDS, START_WORDS, Answer
from ..analysis.effect import effect_words
from ..model import MechanismGraph
from ..vocab import EVIDENCE_KINDS, PREDICATES

__all__ = ["MAX_WORDS", "short_answer", "word_count"]

#: The short answer's length limit, in words.
MAX_WORDS = 120
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def word_count(sentences: list[str]) -> int:
    """Words in the sentences, counted as whitespace-separated tokens."""
    return sum(len(s.split()) for s in sentences)


def _clean(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _plural(n: int, noun: str) -> str:
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {noun[:-1]}ies" if noun.endswith("y") else f"{n} {noun}s"


def _grade(a: Answer) -> list[str]:
    head = f"Evidence grade, {a.source.name} → {a.target.name}: {GRADE_WORDS[a.grade]}."
    if not a.start:
        return [f"{head} The graph holds no signed path from {a.source.name} to {a.target.name}."]
    start = f"Starts {GRADE_WORDS[a.start]} ({START_WORDS[a.start]})"
    if not a.downgrades:
        return [f"{head} {start}; nothing lowers it."]
    verb = "down for" if any(d.levels for d in a.downgrades) else "also limited by"
    downs = [f"{'very serious ' if d.levels > 1 else ''}{d.domain} ({d.reason})" for d in a.downgrades]
    return [f"{head} {start}; {verb} {_join(downs)}.",
            f"{head} {start}; {verb} {_join([d.domain for d in a.downgrades])}."]


def _human(graph: MechanismGraph, a: Answer) -> list[str]:
    if not a.human:
        return [f"Human: no study of {a.source.name} in people that the graph connects to {a.target.name}."]

    def study(h, detailed: bool) -> str:
        ref = graph.reference(h.reference)
        kind = EVIDENCE_KINDS[h.findings[0][1].kind].label
        design = (h.design or "").split(";")[0].strip() if detailed else kind
        head = ", ".join(x for x in (design or kind, f"n = {h.n}" if h.n else "n not stated") if x)
        found = []
        for i, (edge, ev) in enumerate(h.findings):
            when = f" ({ev.context.timepoint})" if ev.context.timepoint else ""
            who = "" if i else f"{a.source.name} "
            found.append(f"{who}{PREDICATES[edge.predicate].label} {graph.entity(edge.object).name}{when}")
        return f"{ref.short} ({head}): {'; '.join(found)}"

    shown = a.human[:2]
    more = f"; and {len(a.human) - 2} more" if len(a.human) > 2 else ""
    count = _plural(len(a.human), "study")
    return [f"Human: {count}, " + "; ".join(study(h, True) for h in shown) + more + ".",
            f"Human: {count}, " + "; ".join(study(h, False) for h in shown) + more + "."]


def _animal(graph: MechanismGraph, a: Answer) -> list[str]:
    worse, better = a.sides[1], a.sides[-1]
    if not worse.animal_studies and not better.animal_studies:
        return [f"Animal studies: none of {a.source.name} on the paths to {a.target.name}."]

    def part(side, via: bool) -> str:
        names = [graph.entity(k).name for k in side.via]
        through = f" (via {_join(names)})" if via and names else ""
        return f"{len(side.animal_studies)} where it {effect_words(a.target, side.sign)}{through}"

    return [f"Animal studies of {a.source.name}: {part(worse, True)}, {part(better, True)}.",
            f"Animal studies of {a.source.name}: {part(worse, False)}, {part(better, False)}."]


def _paradox(a: Answer) -> list[str]:
    if a.conflict is None:
        return [""]
    worse, better = a.sides[1], a.sides[-1]
    rest = "rests" if len(worse.paths) == 1 else "rest"
    counts = (f"{_plural(len(worse.paths), 'path')} that {effect_words(a.target, 1)} {rest} on "
              f"{_plural(len(worse.studies), 'study')}, {len(better.paths)} that "
              f"{effect_words(a.target, -1)} on {len(better.studies)}")
    diffs = a.conflict.context_differences
    if not diffs:
        return [f"Paradox: {counts}; no recorded context separates the sides."]
    words = {"positive": effect_words(a.target, 1).split()[1], "negative": effect_words(a.target, -1).split()[1]}
    species = diffs.get("species", {})
    detail = "; ".join(f"{words.get(side, side)}: {_join(v)}" for side, v in species.items() if v)
    fields = ([f"species ({detail})"] if species else []) + [f for f in diffs if f != "species"]
    return [f"Paradox: {counts}; the sides differ in {_join(fields)}.",
            f"Paradox: {counts}; the sides differ in {_join(list(diffs))}.",
            f"Paradox: the sides differ in {_join(list(diffs))}."]


def _safety(graph: MechanismGraph, a: Answer) -> list[str]:
    if not a.safety:
        return [""]
    by_predicate: dict[str, list[str]] = {}
    for edge in a.safety:
        by_predicate.setdefault(PREDICATES[edge.predicate].label, []).append(graph.entity(edge.object).name)
    full = "; ".join(f"{label} {_join(names)}" for label, names in by_predicate.items())
    names = [n for ns in by_predicate.values() for n in ns]
    short = _join(names[:3] + ([f"{len(names) - 3} more"] if len(names) > 3 else []))
    return [f"Safety (human data): {a.source.name} {full}.",
            f"Safety (human data): {short}.",
            f"Safety: {_plural(len(names), 'adverse effect')} in human data."]


#: Which sentence loses detail next while the answer is too long (by index: 0 grade, 1 human,
#: 2 animal, 3 paradox, 4 safety): the animal routes, the species per side, the safety list...
_SHRINK_ORDER = (2, 3, 4, 1, 4, 3, 0)


def short_answer(graph: MechanismGraph, answer: Answer, max_words: int = MAX_WORDS) -> list[str]:
    """The short answer as sentences (plain text, control characters removed), ≤ ``max_words`` words."""
    versions = [_grade(answer), _human(graph, answer), _animal(graph, answer), _paradox(answer),
                _safety(graph, answer)]
    versions = [[_clean(v) for v in vs] for vs in versions]
    chosen = [0] * len(versions)
    for k in _SHRINK_ORDER:
        if word_count([vs[i] for vs, i in zip(versions, chosen)]) <= max_words:
            break
        chosen[k] = min(chosen[k] + 1, len(versions[k]) - 1)
    return [s for s in (vs[i] for vs, i in zip(versions, chosen)) if s]
