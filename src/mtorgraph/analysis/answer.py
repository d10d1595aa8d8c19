"""The evidence behind one source → target question, graded in the spirit of GRADE.

The grade starts from the best design that tested the source: the best own-result evidence of the
first causal step of a path to the target, or of a human study of the source that the graph
connects to the target (later steps are mechanism links; studies that measured such an
intermediate are *indirect*). Randomized trials start *high*, observational or regulatory human
data *low*, animal, in-vitro or review evidence *very low*. The body of evidence at that level is
then downgraded, one level per domain, each with its reason:

* **imprecision**: it rests on one independent study (no replication) or on fewer than
  :data:`SMALL_N` participants in all (or on studies that state no n);
* **indirectness**: the studies measured an intermediate, not the target itself; the source was
  given only together with another drug of the graph (named in the evidence's context); or the
  paths reach the target only through an animal model (``model_of`` bridge). Two of these at once
  are *very serious* (two levels);
* **inconsistency**: the paths at that level point both ways.

Evidence that starts *very low* cannot go lower; its problems are still listed (with no level lost).

A side of the paradox (the paths of one net sign) rests on the independent studies of the steps it
does not share with the other side: a step both sides use cannot tell them apart.

>>> from mtorgraph.io import load_graph
>>> from pathlib import Path
>>> g = load_graph(Path(__file__).parents[3] / "tests" / "data" / "mini.yaml")
>>> a = answer_question(g, "rapamycin", "depression")
>>> GRADE_WORDS[a.grade], [d.domain for d in a.downgrades]
('low', ['imprecision', 'indirectness'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from ..model import Edge, Entity, Evidence, MechanismGraph

from .conflicts import ConflictReport, PathConflict, edge_conflicts_of, path_conflict
from .paths import GraphIndex, SignedPath, search_graph_index, to_graph_index
from .studies import weighed_evidence

__all__ = [
    "Answer",
    "Downgrade",
    "GRADE_WORDS",
    "HumanStudy",
    "SMALL_N",
    "answer_question",
    "evidence_level",
    "pair_conflicts",
]

#: Grade levels, best first.
GRADE_WORDS = {4: "high", 3: "moderate", 2: "low", 1: "very low", 0: "no evidence"}
#: Fewer participants than this in the whole body of evidence is imprecise (GRADE's optimal
#: information size is usually several hundred; 100 is a deliberately lenient floor).
SMALL_N = 100
#: Evidence kinds that are human study designs (regulatory labels and reviews are not studies).
HUMAN_STUDY_KINDS = ("rct", "clinical_observational", "meta_analysis", "postmortem_human")
START_WORDS = {4: "randomized trials", 2: "human observational or regulatory data",
               1: "no human study: animal, in-vitro or review evidence"}
_NON_HUMAN = ("mouse", "rat", "rodent")
_PATH_LIMIT = 50


def evidence_level(ev: Evidence) -> int:
    """The design level one evidence item starts from: 4 randomized, 2 human non-randomized,
    1 animal, in vitro or expert statement, 0 hypothesis."""
    if ev.kind == "hypothesis":
        return 0
    if ev.kind in ("animal_in_vivo", "in_vitro") or ev.context.species in _NON_HUMAN:
        return 1
    if ev.kind == "rct" or (ev.kind == "meta_analysis" and "random" in (ev.context.design or "").lower()):
        return 4
    if ev.kind in ("clinical_observational", "postmortem_human", "meta_analysis", "regulatory"):
        return 2
    return 1


@dataclass(frozen=True)
class Downgrade:
    """One reason the grade went down: its GRADE domain, levels lost and the reason in words."""

    domain: str
    levels: int
    reason: str


@dataclass(frozen=True)
class HumanStudy:
    """One independent human study of the source: design, n and its findings (edge, evidence)."""

    reference: str
    experiment: str | None
    design: str | None
    n: int | None
    findings: tuple[tuple[Edge, Evidence], ...]


@dataclass(frozen=True)
class Side:
    """The paths of one net effect on the target, and the studies that tested the source on them."""

    sign: int
    paths: tuple[SignedPath, ...]
    studies: tuple[tuple[str, str | None], ...]          # studies on the steps the other side does not share
    animal_studies: tuple[tuple[str, str | None], ...]   # animal studies of the source (first steps)
    via: tuple[str, ...]                                   # first-step objects of those animal studies


@dataclass(frozen=True)
class Answer:
    """What the graph says about one question (see the module docstring for the rules)."""

    source: Entity
    target: Entity
    grade: int
    start: int
    downgrades: tuple[Downgrade, ...]
    top_studies: tuple[tuple[str, str | None], ...]
    human: tuple[HumanStudy, ...]
    sides: dict[int, Side]
    conflict: PathConflict | None
    safety: tuple[Edge, ...]
    notes: dict[str, Any] = field(default_factory=dict)


def _bridge(step: Any) -> bool:
    return bool(getattr(step, "bridge", None))


def _causal_steps(path: SignedPath) -> list[Any]:
    return [s for s in path.steps if not _bridge(s)]


def _step_items(step: Any) -> list[Evidence]:
    return weighed_evidence(step.edges)


def _path_level(path: SignedPath) -> int:
    steps = _causal_steps(path)
    return max((evidence_level(ev) for ev in _step_items(steps[0])), default=0) if steps else 0


def _study_of(items: Iterable[Evidence]) -> list[tuple[str, str | None]]:
    return sorted({ev.study for ev in items}, key=lambda s: (s[0], s[1] or ""))


def _names(entity: Entity) -> list[str]:
    return [n for n in {entity.name, entity.label, *entity.synonyms, entity.key} if len(n) >= 3]


def _co_interventions(graph: MechanismGraph, source: str, ev: Evidence) -> list[str]:
    """Other chemicals of the graph that the evidence's context names (given with the source)."""
    text = " ".join(str(v) for k, v in ev.context.items() if k in ("dose", "design", "population", "model"))
    found = []
    for entity in graph.entities:
        if entity.kind != "chemical" or entity.key == source:
            continue
        if any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text, re.IGNORECASE) for n in _names(entity)):
            found.append(entity.name)
    return sorted(found)


def _human_studies(graph: MechanismGraph, source: str, target: str, paths: list[SignedPath]) -> list[HumanStudy]:
    on_paths = {k for p in paths for k in p.entities} - {source}
    near = set(on_paths) | {target}
    for key in on_paths:
        near |= {e.object for e in graph.edges_from(key)} | {e.subject for e in graph.edges_to(key)}
        near |= {link.object for link in graph.links_from(key)}
    near.discard(source)
    items = [(edge, ev) for edge in graph.edges_from(source) for ev in edge.evidence
             if ev.weighed and ev.direction == "supports" and ev.kind in HUMAN_STUDY_KINDS
             and ev.context.species in (None, "human")]
    relevant = {ev.study for edge, ev in items if edge.object in near}
    studies: dict[tuple[str, str | None], list[tuple[Edge, Evidence]]] = {}
    for edge, ev in items:
        if ev.study in relevant:
            studies.setdefault(ev.study, []).append((edge, ev))
    out = []
    for (ref, exp), found in sorted(studies.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        designs = [ev.context.design for _, ev in found if ev.context.design]
        ns = [ev.context.n for _, ev in found if ev.context.n]
        out.append(HumanStudy(ref, exp, designs[0] if designs else None, max(ns) if ns else None, tuple(found)))
    return out


def _step_key(step: Any) -> tuple[str, str, int]:
    return (step.subject, step.object, step.sign)


def _side(sign: int, paths: list[SignedPath], shared: set[tuple[str, str, int]]) -> Side:
    firsts = [(_causal_steps(p) or [None])[0] for p in paths]
    animal, via = set(), []
    for step in firsts:
        if step is None:
            continue
        found = [ev for ev in _step_items(step) if evidence_level(ev) == 1 and ev.kind != "review"]
        if found:
            animal |= {ev.study for ev in found}
            if step.object not in via:
                via.append(step.object)
    every = {ev.study for p in paths for s in _causal_steps(p) if _step_key(s) not in shared
             for ev in _step_items(s)}
    key = lambda s: (s[0], s[1] or "")  # noqa: E731
    return Side(sign, tuple(paths), tuple(sorted(every, key=key)), tuple(sorted(animal, key=key)), tuple(via))


def _downgrades(graph: MechanismGraph, source: Entity, target: Entity, top: int,
                top_items: list[tuple[str, Evidence]], top_paths: list[SignedPath],
                ) -> tuple[list[Downgrade], list[tuple[str, str | None]]]:
    items = [ev for _, ev in top_items]
    studies = _study_of(items)
    out: list[Downgrade] = []
    n_by_study: dict[tuple[str, str | None], int] = {}
    for ev in items:
        if ev.context.n:
            n_by_study[ev.study] = max(n_by_study.get(ev.study, 0), ev.context.n)
    total = sum(n_by_study.values())
    reasons = []
    if len(studies) == 1:
        reasons.append("1 study, not replicated")
    if len(n_by_study) < len(studies):
        reasons.append("n not stated" if not n_by_study else f"n stated for {len(n_by_study)} of {len(studies)}")
    elif total < SMALL_N:
        reasons.append(f"n = {total}")
    room = 1 if top > 1 else 0  # at very low the reasons are still stated, with no level to lose
    if reasons:
        out.append(Downgrade("imprecision", room, "; ".join(reasons)))
    indirect = []
    measured = sorted({obj for obj, _ in top_items})
    if measured and target.key not in measured:
        indirect.append(f"measured {' and '.join(graph.entity(k).name for k in measured[:2])}, not {target.name}")
    with_drugs = [_co_interventions(graph, source.key, ev) for ev in items]
    if items and all(with_drugs):
        drugs = sorted({d for ds in with_drugs for d in ds})
        indirect.append(f"{source.name} given only with {' or '.join(drugs)}")
    if top_paths and all(any(getattr(s, "bridge", None) == "model_of" for s in p.steps) for p in top_paths):
        indirect.append(f"reaches {target.name} only through an animal model")
    if indirect:
        out.append(Downgrade("indirectness", min(2, len(indirect)) * room, "; ".join(indirect)))
    if {p.sign for p in top_paths} >= {1, -1}:
        out.append(Downgrade("inconsistency", room, "the best evidence points both ways"))
    return out, studies


def _safety(graph: MechanismGraph, source: str, target: str) -> list[Edge]:
    out = []
    for edge in graph.edges_from(source):
        harm = graph.entity(edge.object).kind == "phenotype" and edge.object != target
        human = any(ev.weighed and ev.context.species == "human" and ev.kind != "hypothesis"
                    for ev in edge.evidence)
        if harm and human and (edge.sign > 0 or edge.predicate == "associated_with"):
            out.append(edge)
    return out


def pair_conflicts(graph: MechanismGraph, gindex: GraphIndex, source: str, target: str, *,
                   max_length: int = 4, timeout: float | None = None) -> ConflictReport:
    """What ``find_conflicts(graph, source, target)`` finds (default filters), on a prepared index.

    The path conflict comes from ``gindex`` and the edge conflicts are looked for only on the
    pairs its paths step through (read from the subject index), so a question costs its searches,
    not a pass over the whole graph. ``source`` and ``target`` are entity keys.
    """
    found = path_conflict(gindex, source, target, {"max_length": max_length, "limit": 20, "timeout": timeout})
    if found is None:
        return ConflictReport((), (), gindex.graph)
    on_paths = sorted({(st.subject, st.object) for side in (found.positive, found.negative)
                       for p in side.paths for st in p.steps})
    edges = [e for subject, obj in on_paths for e in graph.edges_from(subject) if e.object == obj]
    # the edge-conflict rules read only ``.edges``: hand them the edges of those pairs alone
    return ConflictReport(tuple(edge_conflicts_of(SimpleNamespace(edges=edges), False)), (found,), gindex.graph)


def answer_question(graph: MechanismGraph, source: str, target: str, *, gindex: GraphIndex | None = None,
                    max_length: int = 4, timeout: float | None = 10.0) -> Answer:
    """Grade the evidence on ``source`` → ``target`` and gather what the short answer says.

    :param gindex: a prepared index (default filters) to reuse across questions.
    :raises UnknownEntityError: if a name matches no entity.
    """
    s, t = graph.resolve(source), graph.resolve(target)
    gindex = gindex or to_graph_index(graph)
    found = search_graph_index(gindex, s.key, t.key, max_length=max_length, limit=_PATH_LIMIT, timeout=timeout)
    paths = [p for p in found.paths if p.sign]
    human = _human_studies(graph, s.key, t.key, paths)
    # The body of evidence: what tested the source, on a path's first step or in a human study of it.
    tested = [(step.object, ev) for p in paths for step in _causal_steps(p)[:1] for ev in _step_items(step)]
    tested += [(edge.object, ev) for h in human for edge, ev in h.findings]
    top = max((evidence_level(ev) for _, ev in tested), default=0)
    top_items = [(obj, ev) for obj, ev in tested if evidence_level(ev) == top]
    top_paths = [p for p in paths if _path_level(p) == top]
    downgrades, top_studies = _downgrades(graph, s, t, top, top_items, top_paths) if top else ([], [])
    grade = max(1, top - sum(d.levels for d in downgrades)) if top else 0
    conflicts = pair_conflicts(graph, gindex, s.key, t.key, max_length=max_length, timeout=timeout)
    conflict = conflicts.path_conflicts[0] if conflicts.path_conflicts else None
    by_sign = {sign: [p for p in paths if p.sign == sign] for sign in (1, -1)}
    keys = {sign: {_step_key(st) for p in ps for st in p.steps} for sign, ps in by_sign.items()}
    sides = {sign: _side(sign, ps, keys[1] & keys[-1]) for sign, ps in by_sign.items()}
    return Answer(s, t, grade, top, tuple(downgrades), tuple(top_studies),
                  tuple(human), sides, conflict,
                  tuple(_safety(graph, s.key, t.key)), {"truncated": found.truncated, "conflicts": conflicts})
