"""The page's conflicts: each side named by its effect in words, with the edges and links to light up.

Built from the JSON of ``mtorgraph conflicts`` (:func:`mtorgraph.analysis.conflicts.conflicts_to_json`),
so the page says what the command says. A side is named by what it would do to the target
("would worsen depression", "would relieve depression"), never by "positive" or "negative" alone:
the words come from the JSON's ``sides`` when the analysis gives them, else from
:func:`mtorgraph.analysis.effect.effect_words` on the target entity.

>>> from mtorgraph.io import load_graph
>>> from mtorgraph.analysis.conflicts import conflicts_to_json, find_conflicts
>>> g = load_graph("tests/data/mini.yaml")
>>> [c["label"] for c in to_conflict_payloads(conflicts_to_json(find_conflicts(g, "rapamycin", "depression")), g)][0]
'rapamycin → depression: would worsen depression (2 paths, 2 independent studies) vs would relieve depression (1 path, 1 independent study)'
"""

from __future__ import annotations

from typing import Any

from ..analysis.effect import effect_of, effect_words
from ..model import MechanismGraph
from .html_data import edge_id

__all__ = ["to_conflict_payloads"]

_SIGN_OF_SIDE = {"positive": 1, "negative": -1}


def _step_ids(path: dict[str, Any]) -> list[str]:
    # A step that merges parallel same-sign edges names them all: "activates,increases". A bridge
    # step's predicate is its link's relation, so its id is the drawn link's id.
    return [edge_id((s["subject"], p, s["object"])) for s in path.get("steps", ())
            for p in s["predicate"].split(",")]


def _claim_id(subject: str, obj: str, claim: Any) -> str:
    if isinstance(claim, str):  # "subject predicate object"
        return edge_id(claim.split(" "))
    return edge_id((claim.get("subject", subject), claim["predicate"], claim.get("object", obj)))


def _path_entry(path: dict[str, Any]) -> dict[str, Any]:
    steps = [[s["subject"], s["predicate"], s["object"], s.get("bridge")] for s in path.get("steps", ())]
    translational = path.get("translational")
    if translational is None:  # before the analysis marks it: a path across a model-of link
        translational = any(s[1] == "model_of" or s[3] == "model_of" for s in steps)
    return {"steps": steps, "score": path.get("score"), "translational": bool(translational),
            "independent_studies": path.get("independent_studies")}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _path_side(graph: MechanismGraph, target: str, side: str, paths: list[dict[str, Any]],
               given: dict[str, Any]) -> dict[str, Any]:
    """One side of a path conflict: its effect in words, path count, references and studies."""
    sign = _SIGN_OF_SIDE[side]
    words = given.get("effect_words") or effect_words(graph.entity(target), sign)
    references = given.get("references")
    if references is None:
        references = sorted({r for p in paths for s in p.get("steps", ()) for r in s.get("references", ())})
    return {"words": words, "effect": given.get("effect") or effect_of(sign), "paths": len(paths),
            "references": list(references), "independent_studies": given.get("independent_studies"),
            "studies": [list(s) for s in given.get("studies", ())]}


def _side_summary(side: dict[str, Any]) -> str:
    """``would worsen depression (2 paths, 1 independent study)``: a side is as strong as its studies."""
    parts = [_plural(side["paths"], "path")]
    studies = side.get("independent_studies")
    if studies is not None:
        parts.append(f"{studies} independent {'study' if studies == 1 else 'studies'}")
    return f"{side['words']} ({', '.join(parts)})"


def _edge_words(graph: MechanismGraph, obj: str, side: str) -> str:
    if side == "null":
        return "no effect found"
    entity = graph.entity(obj)
    return effect_words(entity, _SIGN_OF_SIDE[side])


def to_conflict_payloads(conflicts: dict[str, Any], graph: MechanismGraph) -> list[dict[str, Any]]:
    """The conflicts control's entries: path conflicts first, in the analysis's order, then edge ones.

    Each entry has an ``id`` (``path:source|target`` or ``edge:subject|object``), a ``label`` naming
    both sides' effects in words, the edge ids of its ``positive`` and ``negative`` sides (and, for
    an edge conflict, of its ``no_effect_on`` findings in ``null``; bridge steps give the ids of
    their links), ``sides`` (per side: ``words``, ``effect``, ``paths``, ``references``,
    ``independent_studies`` when known), the paths per side, ``divergence`` and
    ``context_differences``.
    """
    names = {e.key: e.name for e in graph.entities}
    out = []
    for c in conflicts.get("path_conflicts", ()):
        pos, neg = c.get("positive", []), c.get("negative", [])
        given = c.get("sides") or {}
        sides = {side: _path_side(graph, c["target"], side, paths, given.get(side) or {})
                 for side, paths in (("positive", pos), ("negative", neg))}
        out.append({
            "id": f"path:{c['source']}|{c['target']}",
            "type": "path",
            "label": f"{names.get(c['source'], c['source'])} → {names.get(c['target'], c['target'])}: "
                     f"{_side_summary(sides['positive'])} vs {_side_summary(sides['negative'])}",
            "sides": sides,
            "positive": sorted({i for p in pos for i in _step_ids(p)}),
            "negative": sorted({i for p in neg for i in _step_ids(p)}),
            "null": [],
            "nodes": sorted({k for p in pos + neg for s in p.get("steps", ()) for k in (s["subject"], s["object"])}),
            "positive_paths": [_path_entry(p) for p in pos],
            "negative_paths": [_path_entry(p) for p in neg],
            "null_paths": [],
            "divergence": list(c.get("divergence", ())),
            "context_differences": c.get("context_differences", {}),
        })
    for c in conflicts.get("edge_conflicts", ()):
        s, o = c["subject"], c["object"]
        ids = {side: sorted({_claim_id(s, o, x) for x in c.get(side, ())}) for side in ("positive", "negative", "null")}
        sides = {side: {"words": _edge_words(graph, o, side), "effect": effect_of(_SIGN_OF_SIDE.get(side, 0)),
                        "paths": len(ids[side]), "references": sorted({r for x in c.get(side, ()) if isinstance(x, dict)
                                                                        for r in x.get("references", ())}),
                        "independent_studies": None, "studies": []}
                 for side in ("positive", "negative", "null")}
        named = [sides[side]["words"] for side in ("positive", "negative", "null") if ids[side]]
        out.append({
            "id": f"edge:{s}|{o}",
            "type": "edge",
            "label": f"{names.get(s, s)} → {names.get(o, o)}: studies disagree ({' vs '.join(named)})",
            "sides": sides,
            "positive": ids["positive"],
            "negative": ids["negative"],
            "null": ids["null"],
            "nodes": sorted({s, o}),
            **{f"{side}_paths": [{"steps": [i.split("|") + [None]], "score": None, "translational": False,
                                  "independent_studies": None} for i in ids[side]]
               for side in ("positive", "negative", "null")},
            "divergence": [],
            "context_differences": c.get("context_differences", {}),
        })
    return out
