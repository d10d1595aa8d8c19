"""Commands that follow mechanisms: paths, explain, conflicts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..analysis.selection import belief_floor
from ..model import MechanismGraph
from ..resolve import resolve_evidence_kind, resolve_species
from ..views.text import format_count, format_json
from .common import VocabularyType, echo, format_option, pass_graph, rows_text
from .store import graph_for_paths, pass_graph_or_store

__all__ = ["COMMANDS"]

F = TypeVar("F", bound=Callable[..., Any])

SIGN_MARKS = {1: "+", -1: "−", 0: "unsigned"}
STEP_COLUMNS = ["rank", "path_sign", "effect", "score", "length", "step", "subject", "predicate", "object",
                "sign", "bridge", "belief", "references"]


def _filter_options(limit_default: int) -> Callable[[F], F]:
    """The options shared by ``paths`` and ``conflicts``: bound, limit, evidence filters, timeout."""
    def decorate(func: F) -> F:
        options = [
            click.option("--max-length", type=click.IntRange(min=1), default=4, show_default=True,
                         help="Longest path, in steps."),
            click.option("--limit", type=click.IntRange(min=1), default=limit_default, show_default=True,
                         help="Paths to show (per side for conflicts), best first."),
            click.option("--species", multiple=True, type=VocabularyType(resolve_species, "SPECIES"),
                         help="Use only evidence in this species (repeatable): human, mouse, rat, rodent."),
            click.option("--evidence-kind", "evidence_kinds", multiple=True,
                         type=VocabularyType(resolve_evidence_kind, "KIND"),
                         help="Use only evidence of this kind (repeatable), e.g. rct, animal_in_vivo."),
            click.option("--min-belief", type=click.FloatRange(0.0, 1.0), default=0.0, show_default=True,
                         help="Leave out steps whose belief, as shown (3 decimals), is lower."),
            click.option("--include-hypotheses", is_flag=True,
                         help="Also follow edges whose only evidence is a hypothesis."),
            click.option("--include-associations", is_flag=True,
                         help="Also follow associated_with edges (as unsigned steps)."),
            click.option("--no-bridges", "no_bridges", is_flag=True,
                         help="Do not cross structural links (part_of, participates_in, subclass_of, "
                              "model_of) as bridge steps."),
            click.option("--timeout", type=click.FloatRange(min=0.0, min_open=True), default=None,
                         metavar="SECONDS", help="Stop searching after this long; results are marked truncated."),
        ]
        for option in reversed(options):
            func = option(func)
        return func
    return decorate


def _studies(n: int) -> str:
    return f"{n} independent {'study' if n == 1 else 'studies'}"


def _chain(path: Any) -> str:
    steps = path.steps
    return " ".join(f"{s.subject} ={s.predicate}=>" if s.bridge else f"{s.subject} -{s.predicate}->"
                    for s in steps) + f" {steps[-1].object}"


def _path_block(rank: int, path: Any, indent: str = "") -> list[str]:
    from ..analysis.paths import BRIDGE_WORDS

    studies = len(path.studies)
    head = (f"{indent}{rank}. {SIGN_MARKS[path.sign]} {path.effect_words}  score {path.score:.3f}  "
            f"length {path.length}  {_studies(studies)}")
    lines = [head + ("  [translational: rodent → human]" if path.translational else ""),
             f"{indent}   {_chain(path)}"]
    for s in path.steps:
        if s.bridge:  # a link's sources state the relation; they are not studies of an effect
            sources = sorted({*s.references, *s.cited})
            lines.append(f"{indent}     {s.subject} {s.predicate} {s.object}  (belief {s.belief:.3f})  "
                         f"[bridge: {BRIDGE_WORDS[s.bridge]}]: relation stated by {', '.join(sources)}")
            continue
        cited = f"; cited, not weighed: {', '.join(s.cited)}" if s.cited else ""
        lines.append(f"{indent}     {s.subject} {s.predicate} {s.object}  (belief {s.belief:.3f}): "
                     f"{', '.join(s.references) or 'no own results'}{cited}")
    return lines


def _step_rows(paths: Any) -> list[dict[str, Any]]:
    rows = []
    for rank, path in enumerate(paths, 1):
        for i, s in enumerate(path.steps, 1):
            rows.append({"rank": rank, "path_sign": path.sign, "effect": path.effect, "score": round(path.score, 4),
                         "length": path.length, "step": i, "subject": s.subject, "predicate": s.predicate,
                         "object": s.object, "sign": s.sign, "bridge": s.bridge, "belief": s.belief,
                         "references": list(s.references)})
    return rows


def _warn_truncated(truncated: bool) -> None:
    if truncated:
        echo("warning: the search hit --timeout; the results are truncated (what was found so far)",
                   err=True)


@click.command()
@click.argument("source")
@click.argument("target")
@click.option("--sign", type=click.Choice(["positive", "negative", "any"]), default="any", show_default=True,
              help="Net sign of the paths to find.")
@_filter_options(20)
@format_option
@pass_graph_or_store
def paths(graph: MechanismGraph, source: str, target: str, sign: str, max_length: int, limit: int,
          species: tuple[str, ...], evidence_kinds: tuple[str, ...], min_belief: float,
          include_hypotheses: bool, include_associations: bool, no_bridges: bool, timeout: float | None,
          fmt: str) -> None:
    """Signed paths from SOURCE to TARGET, ranked by score (product of beliefs), then length.

    Each step names its predicate and the references behind it; the net sign is the product of
    the step signs, and its effect on TARGET is said in words ("would relieve depression").
    Structural links are crossed as bridge steps (=model_of=>) unless --no-bridges. Names resolve
    by key, CURIE, label or synonym.
    """
    from ..analysis.paths import find_paths, paths_to_json

    graph = graph_for_paths(graph, source, target, max_length)
    result = find_paths(graph, source, target, max_length=max_length, sign=sign, limit=limit,
                        species=species or None, evidence_kinds=evidence_kinds or None,
                        min_belief=belief_floor(min_belief),
                        include_hypotheses=include_hypotheses, include_associations=include_associations,
                        bridges=not no_bridges, timeout=timeout)
    _warn_truncated(result.truncated)
    if fmt == "json":
        echo(format_json(paths_to_json(result)))
        return
    if fmt == "tsv":
        echo(rows_text(_step_rows(result.paths), STEP_COLUMNS, "tsv"))
        return
    count = len(result.paths)
    header = (f"{result.source} → {result.target}: {format_count(count, 'path')} "
              f"(sign {sign}, max length {max_length}{', TRUNCATED by --timeout' if result.truncated else ''})")
    lines = [header]
    if not count:
        filters = [name for name, on in (("--species", species), ("--evidence-kind", evidence_kinds),
                                         ("--min-belief", min_belief > 0)) if on]
        lines.append("no path within the bound; try "
                     + (f"fewer filters ({', '.join(filters)}), " if filters else "")
                     + "a larger --max-length, --include-hypotheses or --include-associations")
    for rank, path in enumerate(result.paths, 1):
        lines += [""] + _path_block(rank, path)
    echo("\n".join(lines))


@click.command()
@click.argument("subject")
@click.argument("object_", metavar="OBJECT")
@format_option
@pass_graph
def explain(graph: MechanismGraph, subject: str, object_: str, fmt: str) -> None:
    """Every edge from SUBJECT to OBJECT, each evidence with its prior, and the belief arithmetic."""
    from ..analysis.explain import explanation_to_json, find_explanations

    found = find_explanations(graph, subject, object_)
    records = [explanation_to_json(graph, item) for item in found]
    if fmt == "json":
        echo(format_json({"subject": found[0].edge.subject, "object": found[0].edge.object,
                                "edges": records}))
        return
    rows = [{"subject": r["subject"], "predicate": r["predicate"], "object": r["object"], "belief": r["belief"],
             **ev, "species": ev["context"].get("species"),
             "context": {k: v for k, v in ev["context"].items() if k != "species"}}
            for r in records for ev in r["evidence"]]
    columns = ["subject", "predicate", "object", "belief", "reference", "kind", "prior", "direction", "species",
               "context", "finding"]
    if fmt == "tsv":
        echo(rows_text(rows, columns, "tsv"))
        return
    lines: list[str] = []
    for r in records:
        bridge = "  [structural link, crossed as a bridge step]" if r["bridge"] else ""
        lines += [f"{r['subject']} {r['predicate']} {r['object']}  (sign {r['sign']:+d}, belief {r['belief']:.3f}){bridge}"
                  if r["sign"] else f"{r['subject']} {r['predicate']} {r['object']}  (belief {r['belief']:.3f})"]
        lines.append(rows_text([row for row in rows if row["predicate"] == r["predicate"]],
                                 ["reference", "kind", "prior", "direction", "species", "context", "finding"], "table"))
        counted = [f"{_study(w)} ({w['kind']} {w['prior']:.2f})" for w in r["supporting"]]
        against = [f"{_study(w)} ({w['kind']} {w['prior']:.2f}, via {w['via']})" for w in r["refuting"]]
        lines.append(f"counted for: {', '.join(counted) or 'none'}")
        lines.append(f"counted against: {', '.join(against) or 'none'}")
        lines += [f"rule: {rule}" for rule in r["rules"]]
        lines += [f"left out: {x['reason']}" for x in r["left_out"]]
        lines += [r["formula"], ""]
    echo("\n".join(lines).rstrip())


def _study(weight: dict[str, Any]) -> str:
    return weight["reference"] + (f" [{weight['experiment']}]" if weight["experiment"] else "")


def _differences(diffs: dict[str, dict[str, list[str]]], indent: str) -> list[str]:
    if not diffs:
        return [f"{indent}context that differs: none stated on both sides"]
    lines = [f"{indent}context that differs:"]
    for name, sides in diffs.items():
        parts = [f"{side}: {', '.join(values) or '(unstated)'}" for side, values in sides.items()]
        lines.append(f"{indent}  {name}: " + " | ".join(parts))
    return lines


@click.command()
@click.argument("source", required=False)
@click.argument("target", required=False)
@_filter_options(5)
@click.option("--budget", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
              help="Without SOURCE and TARGET: stop the scan after this many seconds and show what it "
                   "found (said on stderr). The scan asks every chemical against every disease, so its "
                   "work grows with both counts; `mtorgraph atlas` runs it on workers or Spark.")
@format_option
@pass_graph_or_store
def conflicts(graph: MechanismGraph, source: str | None, target: str | None, max_length: int, limit: int,
              species: tuple[str, ...], evidence_kinds: tuple[str, ...], min_belief: float,
              include_hypotheses: bool, include_associations: bool, no_bridges: bool, timeout: float | None,
              budget: float | None, fmt: str) -> None:
    """Contradictions: opposing edges on one pair, and paths of opposite net sign between SOURCE
    and TARGET (or between every chemical and every disease or phenotype), with the context
    fields that differ between the two sides."""
    from ..analysis.conflicts import conflicts_to_json, find_conflicts

    if (source is None) != (target is None):
        raise click.UsageError("give both SOURCE and TARGET, or neither (then every chemical is "
                               "checked against every disease and phenotype)")
    if budget is not None and source is not None:
        raise click.UsageError("--budget bounds the scan of every pair: give it without SOURCE and TARGET "
                               "(for one pair, --timeout bounds each side)")
    graph = graph_for_paths(graph, source, target, max_length)
    report = find_conflicts(graph, source, target, max_length=max_length, limit=limit,
                            species=species or None, evidence_kinds=evidence_kinds or None,
                            min_belief=belief_floor(min_belief), include_hypotheses=include_hypotheses,
                            include_associations=include_associations, bridges=not no_bridges, timeout=timeout,
                            budget=budget)
    _warn_truncated(any(side.truncated for pc in report.path_conflicts for side in (pc.positive, pc.negative)))
    if not report.complete:
        echo(f"warning: the scan hit --budget ({budget:g} s) before asking every pair; the path conflicts "
             "are those found so far", err=True)
    data = conflicts_to_json(report)
    if fmt == "json":
        echo(format_json(data))
        return
    if fmt == "tsv":
        rows = []
        for c in data["edge_conflicts"]:
            for side in ("positive", "negative", "null"):
                for rank, claim in enumerate(c[side], 1):
                    rows.append({"level": "edge", "source": c["subject"], "target": c["object"], "side": side,
                                 "rank": rank, "sign": claim["sign"], "score": claim["belief"],
                                 "chain": f"{claim['subject']} {claim['predicate']} {claim['object']}",
                                 "references": claim["references"]})
        for pc in report.path_conflicts:
            for side, result in (("positive", pc.positive), ("negative", pc.negative)):
                for rank, path in enumerate(result.paths, 1):
                    rows.append({"level": "path", "source": pc.source, "target": pc.target, "side": side,
                                 "rank": rank, "sign": path.sign, "score": round(path.score, 4),
                                 "chain": _chain(path),
                                 "references": sorted({r for s in path.steps for r in s.references})})
        echo(rows_text(rows, ["level", "source", "target", "side", "rank", "sign", "score", "chain",
                                      "references"], "tsv"))
        return
    lines = [f"Edge-level conflicts: {len(data['edge_conflicts'])}"]
    for c in data["edge_conflicts"]:
        lines += ["", f"{c['subject']} → {c['object']}"]
        for side, mark in (("positive", "+"), ("negative", "−"), ("null", "0")):
            for claim in c[side]:
                lines.append(f"  {mark} {claim['subject']} {claim['predicate']} {claim['object']}  "
                             f"(belief {claim['belief']:.3f}): {', '.join(claim['references']) or 'no own results'}"
                             + (f"; cited, not weighed: {', '.join(claim['cited'])}" if claim["cited"] else ""))
        lines += _differences(c["context_differences"], "  ")
    lines += ["", f"Path-level conflicts (paradoxes): {len(report.path_conflicts)}"]
    for pc, record in zip(report.path_conflicts, data["path_conflicts"]):
        lines += ["", f"{pc.source} → {pc.target}  (the sides part at: {', '.join(pc.divergence)})"]
        for side, result in (("positive", pc.positive), ("negative", pc.negative)):
            n, summary = len(result.paths), pc.sides[side]
            stronger = "  (the stronger side)" if pc.stronger == side else ""
            lines.append(f"  {side} side, {summary.effect_words}: "
                         f"{_studies(summary.independent_studies)} "
                         f"({', '.join(summary.references) or 'none'}) in {format_count(n, 'path')}"
                         f"{' (truncated)' if result.truncated else ''}{stronger}")
            for rank, path in enumerate(result.paths, 1):
                lines += _path_block(rank, path, "    ")
        lines += _differences(record["context_differences"], "  ")
    if source is not None and not report.path_conflicts:
        lines += ["", f"no paths of both signs between {source} and {target} within {max_length} steps"]
    echo("\n".join(lines))


COMMANDS = [paths, explain, conflicts]
