"""Commands that describe the graph: info, show, entities, edges, references, validate, audit."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .. import progress
from ..errors import Problem
from ..resolve import resolve_entity_kind, resolve_evidence_kind, resolve_predicate, resolve_sign, resolve_species
from ..views.text import format_count, format_json
from .common import (GraphHandle, VocabularyType, check_exists, echo, format_option, pass_graph, require_entities,
                     rows_text)
from .store import graph_for_entities, pass_graph_or_store

if TYPE_CHECKING:
    from ..model import Edge, MechanismGraph

# The model, the analyses and the readers are imported inside the commands that use them: `info`
# answered from a stored summary imports none of pydantic, numpy or pyarrow.

__all__ = ["COMMANDS"]

PROBLEM_COLUMNS = ["file", "line", "column", "severity", "code", "message", "hint"]
EDGE_COLUMNS = ["subject", "predicate", "object", "sign", "belief", "evidence", "references"]
EVIDENCE_COLUMNS = ["subject", "predicate", "object", "reference", "verified", "kind", "direction", "species",
                    "context", "finding", "effect", "p_value"]


def _edge_row(graph: MechanismGraph, edge: Edge) -> dict[str, Any]:
    from ..analysis.scoring import edge_belief
    from ..views.records import edge_record

    # the unrounded belief: tables round it once, as --min-belief compares it
    rec = edge_record(graph, edge) | {"belief": edge_belief(graph, edge)}
    return {**rec, "evidence": len(edge.evidence),
            "references": sorted({ev.reference for ev in edge.evidence})}


def _evidence_rows(graph: MechanismGraph, edges: list[Edge]) -> list[dict[str, Any]]:
    from ..views.records import edge_record

    rows = []
    for edge in edges:
        for ev in edge_record(graph, edge)["evidence"]:
            context = {k: v for k, v in ev["context"].items() if k != "species"}
            rows.append({"subject": edge.subject, "predicate": edge.predicate, "object": edge.object,
                         **ev, "species": ev["context"].get("species"), "context": context})
    return rows


@click.command()
@format_option
@click.pass_obj
def info(handle: GraphHandle, fmt: str) -> None:
    """Counts by entity kind, predicate, evidence kind and verification."""
    from .info_summary import graph_summary

    summary = graph_summary(handle)
    if fmt == "json":
        echo(format_json(summary))
        return
    rows = []
    for section, value in summary.items():
        if isinstance(value, dict):
            rows += [{"count": n, "what": f"{section.replace('_', ' ')}: {k}"} for k, n in value.items()]
        else:
            rows.append({"count": value, "what": section})
    echo(rows_text(rows, ["what", "count"], fmt))


@click.command()
@click.argument("entity")
@format_option
@pass_graph_or_store
def show(graph: MechanismGraph, entity: str, fmt: str) -> None:
    """One entity (by key, CURIE, label or synonym), its edges in and out, and their evidence."""
    from ..resolve import resolve_entity
    from ..views.records import edge_record, entity_record

    graph = graph_for_entities(graph, [entity], "show")
    found = resolve_entity(graph, entity)
    outgoing, incoming = graph.edges_from(found.key), graph.edges_to(found.key)
    if fmt == "json":
        echo(format_json({
            "entity": entity_record(found),
            "outgoing": [edge_record(graph, e) for e in outgoing],
            "incoming": [edge_record(graph, e) for e in incoming],
        }))
        return
    if fmt == "tsv":
        echo(rows_text(_evidence_rows(graph, outgoing + incoming), EVIDENCE_COLUMNS, "tsv"))
        return
    rec = entity_record(found)
    lines = [f"{found.name}  ({found.id}, {found.kind}, id {found.id_status})", f"label: {found.label}"]
    if found.synonyms:
        lines.append(f"synonyms: {', '.join(found.synonyms)}")
    if found.xrefs:
        lines.append(f"xrefs: {', '.join(rec['xrefs'])}")
    if found.note:
        lines.append(f"note: {found.note}")
    for title, edges in (("outgoing", outgoing), ("incoming", incoming)):
        lines += ["", f"{title} edges ({len(edges)}):"]
        if edges:
            lines.append(rows_text([_edge_row(graph, e) for e in edges], EDGE_COLUMNS, "table"))
    if outgoing or incoming:
        lines += ["", "evidence:",
                  rows_text(_evidence_rows(graph, outgoing + incoming),
                            ["subject", "predicate", "object", "reference", "verified", "kind", "species", "context",
                             "finding"],
                            "table")]
    echo("\n".join(lines))


ENTITY_COLUMNS = ["key", "id", "kind", "name", "label", "synonyms", "edges"]


@click.command()
@click.argument("text", required=False)
@click.option("--kind", "kinds", multiple=True, type=VocabularyType(resolve_entity_kind, "KIND"),
              help="Only entities of this kind (repeatable): chemical, gene, process, disease, ….")
@format_option
@pass_graph
def entities(graph: MechanismGraph, text: str | None, kinds: tuple[str, ...], fmt: str) -> None:
    """List the entities, or those whose key, CURIE, name, label, synonym or xref contains TEXT
    (any case); exact matches first. `show NAME` gives one in full."""
    from ..resolve import search_entities
    from ..views.records import entity_record

    found = search_entities(graph, text, kinds)
    if fmt == "json":
        echo(format_json([entity_record(e) | {"edges": _degree(graph, e.key)} for e in found]))
        return
    if not found and fmt == "table":
        wanted = " ".join(([repr(text)] if text else []) + [f"--kind {k}" for k in kinds])
        echo(f"no entity matches {wanted} (of {format_count(len(graph.entities), 'entity')}; "
             "the search looks for TEXT inside keys, CURIEs, names, labels, synonyms and xrefs)")
        return
    rows = [entity_record(e) | {"edges": _degree(graph, e.key)} for e in found]
    echo(rows_text(rows, ENTITY_COLUMNS, fmt))


def _degree(graph: MechanismGraph, key: str) -> int:
    return len(graph.edges_from(key)) + len(graph.edges_to(key))


REFERENCE_COLUMNS = ["key", "citation", "year", "verified", "doi", "pmid", "pmcid", "edges", "title"]


@click.command()
@click.argument("references_", metavar="[KEY|DOI|PMID|PMCID]...", nargs=-1)
@format_option
@pass_graph
def references(graph: MechanismGraph, references_: tuple[str, ...], fmt: str) -> None:
    """List the references, or look some up by key, DOI (10.…, doi:…, https://doi.org/…), PMID
    (digits or PMID:…) or PMCID; each with the edges its evidence supports."""
    from ..resolve import resolve_reference
    from ..views.records import edge_record, reference_record

    chosen = [resolve_reference(graph, word) for word in references_] if references_ else list(graph.references)
    chosen = list({r.key: r for r in chosen}.values())
    cited: dict[str, list[Edge]] = {}
    for edge in graph.edges:
        for key in dict.fromkeys(ev.reference for ev in edge.evidence):
            cited.setdefault(key, []).append(edge)
    if fmt == "json":
        echo(format_json([reference_record(r) | {"edges": [edge_record(graph, e) for e in cited.get(r.key, [])]}
                          for r in chosen]))
        return
    rows = [reference_record(r) | {"edges": [e.label for e in cited.get(r.key, [])]} for r in chosen]
    if fmt == "table" and references_:
        blocks = []
        for row, ref in zip(rows, chosen):
            lines = [f"{ref.key}: {ref.short}", f"title: {ref.title}", f"verified: {ref.verified}"]
            lines += [f"{kind}: {link}" for kind, link in ref.links.items()]
            if ref.verification_note:
                lines.append(f"verification note: {ref.verification_note}")
            lines.append(f"edges ({len(row['edges'])}):")
            lines += [f"  {label}" for label in row["edges"]] or ["  none (cited by claims or questions only)"]
            blocks.append("\n".join(lines))
        echo("\n\n".join(blocks))
        return
    if not rows and fmt == "table":
        echo("this graph has no references")
        return
    echo(rows_text(rows, REFERENCE_COLUMNS, fmt))


@click.command()
@click.option("--subject", "subjects", multiple=True, metavar="ENTITY",
              help="Only edges from this entity (key, CURIE, label or synonym; repeatable).")
@click.option("--object", "objects", multiple=True, metavar="ENTITY", help="Only edges to this entity (repeatable).")
@click.option("--predicate", "predicates", multiple=True, type=VocabularyType(resolve_predicate, "PREDICATE"),
              help="Only this predicate (repeatable): activates, increases, inhibits, decreases, "
                   "associated_with, no_effect_on.")
@click.option("--sign", "signs", multiple=True, type=VocabularyType(resolve_sign, "[positive|negative|unsigned]"),
              help="Only edges whose predicate has this sign (repeatable).")
@click.option("--evidence-kind", "evidence_kinds", multiple=True, type=VocabularyType(resolve_evidence_kind, "KIND"),
              help="Only edges with at least one evidence of this kind (repeatable), e.g. rct.")
@click.option("--species", "species", multiple=True, type=VocabularyType(resolve_species, "SPECIES"),
              help="Only edges with at least one evidence in this species (repeatable): human, mouse, rat, rodent.")
@click.option("--min-belief", type=click.FloatRange(0.0, 1.0), default=0.0, show_default=True,
              help="Only edges whose belief, as shown (3 decimals), is at least this.")
@format_option
@pass_graph_or_store
def edges(graph: MechanismGraph, subjects: tuple[str, ...], objects: tuple[str, ...], predicates: tuple[str, ...],
          signs: tuple[str, ...], evidence_kinds: tuple[str, ...], species: tuple[str, ...], min_belief: float,
          fmt: str) -> None:
    """List edges, filtered by subject, object, predicate, sign, evidence kind, species or belief.

    Each filter may be repeated (an edge matching any value passes); different filters must all
    match. The belief, evidence and references columns describe the whole edge.
    """
    from ..analysis.selection import select_edges
    from ..views.records import edge_record

    graph = graph_for_entities(graph, [*subjects, *objects], "edges")
    chosen = select_edges(graph, subject=subjects, object=objects, predicate=predicates, sign=signs,
                          evidence_kind=evidence_kinds, species=species, min_belief=min_belief)
    if fmt == "json":
        echo(format_json([edge_record(graph, e) for e in chosen]))
    elif not chosen and fmt == "table":
        echo(f"no edge matches these filters (of {format_count(len(graph.edges), 'edge')})")
    else:
        echo(rows_text([_edge_row(graph, e) for e in chosen], EDGE_COLUMNS, fmt))


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=str))
@click.option("--shacl", is_flag=True,
              help="Also validate the RDF export against ontology/shapes.ttl with pySHACL. "
                   "PATH may then be an RDF file (.ttl .nt .jsonld .trig .rdf), checked as it is.")
@format_option
@click.pass_obj
def validate(handle: GraphHandle, path: str | None, fmt: str, shacl: bool) -> None:
    """Check a graph and report every problem as file:line:col; exit 1 on any error.

    PATH (a curated directory or .yaml file, or an RDF export) defaults to the --graph option, then
    to the bundled graph. In table format each problem goes to stderr and one summary line to
    stdout, whether the graph is clean or not; json and tsv write the problem rows to stdout.
    """
    from ..io import bundled_graph_path, validate_graph

    target = path or handle.path or str(bundled_graph_path())
    if shacl:
        check_exists(target)
        _validate_shacl(target, fmt)
        return
    with progress.task(f"validating {target}"):
        problems = validate_graph(target, cache=handle.cache)
    errors = [p for p in problems if p.severity == "error"]
    if fmt == "table":
        for problem in problems:
            echo(problem.format(), err=True)
        warnings = format_count(len(problems) - len(errors), "warning")
        if errors:
            files = format_count(len({p.location.file for p in errors}), "file")
            echo(f"{target}: {format_count(len(errors), 'error')} in {files}, {warnings}")
        else:
            echo(f"{target}: ok, 0 errors, {warnings}")
    else:
        echo(rows_text([_problem_row(p) for p in problems], PROBLEM_COLUMNS, fmt))
    if errors:
        raise SystemExit(1)


def _rdf_problems(target: str) -> list[Problem]:
    """Validation of an RDF export: it is valid when it reads back into a graph."""
    from ..errors import CurationError, Location, MtorgraphError
    from ..io import load_graph

    if not Path(target).exists():
        return [Problem(Location(target), "missing-file", "no such file or directory",
                        "give a curated directory, a .yaml file or an RDF export")]
    try:
        require_entities(load_graph(target), target)
    except CurationError as exc:
        return list(exc.problems)
    except MtorgraphError as exc:
        return [Problem(Location(target), "unreadable-rdf", str(exc).removeprefix(f"{target}: "))]
    return []


def _validate_shacl(target: str, fmt: str) -> None:
    """``validate --shacl``: curated checks first (for a curated graph), then SHACL on the export."""
    from ..io.rdf import parse_rdf
    from ..io import is_curated_path, load_graph, validate_graph
    from ..io.shacl import find_shacl_violations

    is_rdf = not is_curated_path(target)
    with progress.task(f"validating {target} against ontology/shapes.ttl"):
        problems = validate_graph(target)
        errors = [p for p in problems if p.severity == "error"]
        # An RDF export that parses but does not make a valid graph is what SHACL explains best,
        # so only errors that stop parsing (syntax, not an export, hostile input) skip it.
        blocking = [p for p in errors if not (is_rdf and p.code == "invalid-rdf")]
        violations = [] if blocking else find_shacl_violations(parse_rdf(target) if is_rdf else load_graph(target))
    rows = [_problem_row(p) for p in problems]
    rows += [{"file": target, "line": 0, "column": 0, "severity": "error", "code": "shacl",
              "message": f"{v.focus}: {v.path}: {v.message}" if v.path else f"{v.focus}: {v.message}",
              "hint": f"value: {v.value}" if v.value else ""} for v in violations]
    failed = bool(errors or violations)
    if fmt == "table":
        for problem in problems:
            echo(problem.format(), err=True)
        for violation in violations:
            echo(f"{target}: shacl: {violation.format()}", err=True)
        if blocking:
            echo(f"{target}: {format_count(len(blocking), 'error')}; SHACL not run")
        elif violations:
            echo(f"{target}: SHACL: {format_count(len(violations), 'violation')} of ontology/shapes.ttl")
        elif errors:
            echo(f"{target}: {format_count(len(errors), 'error')}; conforms to ontology/shapes.ttl otherwise")
        else:
            echo(f"{target}: ok, the RDF export conforms to ontology/shapes.ttl")
    else:
        echo(rows_text(rows, PROBLEM_COLUMNS, fmt))
    if failed:
        raise SystemExit(1)


def _problem_row(problem: Problem) -> dict[str, Any]:
    loc = problem.location
    return {"file": loc.file, "line": loc.line, "column": loc.column, "severity": problem.severity,
            "code": problem.code, "message": problem.message, "hint": problem.hint}


@click.command()
@click.argument("claims", nargs=-1)
@format_option
@pass_graph
def audit(graph: MechanismGraph, claims: tuple[str, ...], fmt: str) -> None:
    """The source summary's claims with our verdicts, references and the evidence behind them.

    Give claim ids (C7 C12, any case) to show only those; an id the graph lacks is a usage error.
    """
    from ..analysis.audit import audit_claims
    from ..resolve import resolve_claims
    from ..views.records import edge_record, reference_record

    if claims:
        wanted = {c.id for c in resolve_claims(graph, claims)}
        audits = [a for a in audit_claims(graph) if a.claim.id in wanted]
    else:
        audits = audit_claims(graph)
    if fmt == "json":
        echo(format_json({"claims": [{
            "id": a.claim.id, "section": a.claim.section, "statement": a.claim.statement,
            "verdict": a.claim.verdict, "literature_says": a.claim.literature_says,
            "references": [reference_record(r) for r in a.references],
            "edges": [edge_record(graph, e) for e in a.edges],
        } for a in audits]}))
        return
    if fmt == "tsv":
        rows = [{"id": a.claim.id, "section": a.claim.section, "verdict": a.claim.verdict,
                 "statement": a.claim.statement, "references": [r.key for r in a.references],
                 "edges": list(a.claim.edges), "literature_says": a.claim.literature_says} for a in audits]
        echo(rows_text(rows, ["id", "section", "verdict", "statement", "references", "edges",
                              "literature_says"], "tsv"))
        return
    if not audits:
        echo("this graph states no claims to audit (claims.yaml)")
        return
    blocks = []
    for a in audits:
        lines = [f"{a.claim.id} [{a.verdict_label}] (summary §{a.claim.section}) {a.claim.statement}"]
        if a.claim.literature_says:
            lines.append(f"  literature: {a.claim.literature_says}")
        if a.references:
            lines.append("  references: " + "; ".join(f"{r.key} ({r.short}, verified: {r.verified})"
                                                      for r in a.references))
        else:
            lines.append("  references: none found")
        for edge in a.edges:
            lines.append(f"  edge: {edge.label}")
            for ev in edge.evidence:
                context = "; ".join(f"{k}: {v}" for k, v in ev.context.items())
                numbers = "; ".join(x for x in (ev.effect, ev.p_value) if x)
                lines.append(f"    - {ev.reference} [{ev.kind}] {context}")
                lines.append(f"      {ev.finding}" + (f" ({numbers})" if numbers else ""))
        blocks.append("\n".join(lines))
    echo("\n\n".join(blocks))


COMMANDS = [info, show, entities, edges, references, validate, audit]
