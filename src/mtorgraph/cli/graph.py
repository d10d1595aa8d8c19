"""Commands that describe the graph: info, show, edges, validate, audit."""

from __future__ import annotations

from typing import Any

import click

from ..analysis.audit import audit_claims
from ..analysis.summary import summarize
from ..errors import Problem
from ..io import bundled_graph_path, is_curated_path, load_graph, validate_graph
from ..model import Edge, MechanismGraph
from ..views.records import edge_record, entity_record, reference_record
from ..views.text import format_count, format_json, format_rows
from .common import GraphHandle, format_option, pass_graph

__all__ = ["COMMANDS"]

PROBLEM_COLUMNS = ["file", "line", "column", "severity", "code", "message", "hint"]
EDGE_COLUMNS = ["subject", "predicate", "object", "sign", "belief", "evidence", "references"]
EVIDENCE_COLUMNS = ["subject", "predicate", "object", "reference", "verified", "kind", "direction", "species",
                    "context", "finding", "effect", "p_value"]


def _edge_row(graph: MechanismGraph, edge: Edge) -> dict[str, Any]:
    rec = edge_record(graph, edge)
    return {**rec, "evidence": len(edge.evidence),
            "references": sorted({ev.reference for ev in edge.evidence})}


def _evidence_rows(graph: MechanismGraph, edges: list[Edge]) -> list[dict[str, Any]]:
    rows = []
    for edge in edges:
        for ev in edge_record(graph, edge)["evidence"]:
            context = {k: v for k, v in ev["context"].items() if k != "species"}
            rows.append({"subject": edge.subject, "predicate": edge.predicate, "object": edge.object,
                         **ev, "species": ev["context"].get("species"), "context": context})
    return rows


@click.command()
@format_option
@pass_graph
def info(graph: MechanismGraph, fmt: str) -> None:
    """Counts by entity kind, predicate, evidence kind and verification."""
    summary = summarize(graph)
    if fmt == "json":
        click.echo(format_json(summary))
        return
    rows = []
    for section, value in summary.items():
        if isinstance(value, dict):
            rows += [{"count": n, "what": f"{section.replace('_', ' ')}: {k}"} for k, n in value.items()]
        else:
            rows.append({"count": value, "what": section})
    click.echo(format_rows(rows, ["what", "count"], fmt))


@click.command()
@click.argument("entity")
@format_option
@pass_graph
def show(graph: MechanismGraph, entity: str, fmt: str) -> None:
    """One entity (by key, CURIE, label or synonym), its edges in and out, and their evidence."""
    found = graph.resolve(entity)
    outgoing, incoming = graph.edges_from(found.key), graph.edges_to(found.key)
    if fmt == "json":
        click.echo(format_json({
            "entity": entity_record(found),
            "outgoing": [edge_record(graph, e) for e in outgoing],
            "incoming": [edge_record(graph, e) for e in incoming],
        }))
        return
    if fmt == "tsv":
        click.echo(format_rows(_evidence_rows(graph, outgoing + incoming), EVIDENCE_COLUMNS, "tsv"))
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
            lines.append(format_rows([_edge_row(graph, e) for e in edges], EDGE_COLUMNS, "table"))
    if outgoing or incoming:
        lines += ["", "evidence:",
                  format_rows(_evidence_rows(graph, outgoing + incoming),
                              ["subject", "predicate", "object", "reference", "verified", "kind", "species", "context",
                               "finding"],
                              "table")]
    click.echo("\n".join(lines))


@click.command()
@click.option("--subject", help="Only edges from this entity (key, CURIE, label or synonym).")
@click.option("--object", "object_", help="Only edges to this entity.")
@click.option("--predicate", type=click.Choice(["activates", "inhibits", "increases", "decreases",
                                                "associated_with", "no_effect_on"]), help="Only this predicate.")
@click.option("--evidence-kind", help="Only edges with at least one evidence of this kind (e.g. rct).")
@click.option("--species", help="Only edges with at least one evidence in this species (human, mouse, rat, rodent).")
@format_option
@pass_graph
def edges(graph: MechanismGraph, subject: str | None, object_: str | None, predicate: str | None,
          evidence_kind: str | None, species: str | None, fmt: str) -> None:
    """List edges, filtered by subject, object, predicate, evidence kind or species."""
    from ..analysis.selection import select_edges

    chosen = select_edges(graph, subject=subject, object=object_, predicate=predicate,
                          evidence_kind=evidence_kind, species=species)
    if fmt == "json":
        click.echo(format_json([edge_record(graph, e) for e in chosen]))
    else:
        click.echo(format_rows([_edge_row(graph, e) for e in chosen], EDGE_COLUMNS, fmt))


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=str))
@click.option("--shacl", is_flag=True,
              help="Also validate the RDF export against ontology/shapes.ttl with pySHACL. "
                   "PATH may then be an RDF file (.ttl .nt .jsonld .trig .rdf), checked as it is.")
@format_option
@click.pass_obj
def validate(handle: GraphHandle, path: str | None, fmt: str, shacl: bool) -> None:
    """Check a curated graph and report every problem as file:line:col; exit 1 on any error.

    PATH defaults to the --graph option, then to the bundled graph.
    """
    target = path or handle.path or str(bundled_graph_path())
    if shacl:
        _validate_shacl(target, fmt)
        return
    problems = validate_graph(target)
    errors = [p for p in problems if p.severity == "error"]
    if fmt == "table":
        for problem in problems:
            click.echo(problem.format(), err=bool(errors))
        warnings = format_count(len(problems) - len(errors), "warning")
        if errors:
            files = format_count(len({p.location.file for p in errors}), "file")
            click.echo(f"{target}: {format_count(len(errors), 'error')} in {files}, {warnings}", err=True)
        else:
            click.echo(f"{target}: ok, 0 errors, {warnings}")
    else:
        click.echo(format_rows([_problem_row(p) for p in problems], PROBLEM_COLUMNS, fmt))
    if errors:
        raise SystemExit(1)


def _validate_shacl(target: str, fmt: str) -> None:
    """``validate --shacl``: curated checks first (for a curated graph), then SHACL on the export."""
    from ..io.rdf import parse_rdf
    from ..io.shacl import find_shacl_violations

    is_rdf = not is_curated_path(target)
    problems = validate_graph(target)
    errors = [p for p in problems if p.severity == "error"]
    violations = [] if errors else find_shacl_violations(parse_rdf(target) if is_rdf else load_graph(target))
    rows = [_problem_row(p) for p in problems]
    rows += [{"file": target, "line": 0, "column": 0, "severity": "error", "code": "shacl",
              "message": f"{v.focus}: {v.path}: {v.message}" if v.path else f"{v.focus}: {v.message}",
              "hint": f"value: {v.value}" if v.value else ""} for v in violations]
    failed = bool(errors or violations)
    if fmt == "table":
        for problem in problems:
            click.echo(problem.format(), err=failed)
        for violation in violations:
            click.echo(f"{target}: shacl: {violation.format()}", err=True)
        if errors:
            click.echo(f"{target}: {format_count(len(errors), 'curation error')}; SHACL not run", err=True)
        elif violations:
            click.echo(f"{target}: SHACL: {format_count(len(violations), 'violation')} of ontology/shapes.ttl",
                       err=True)
        else:
            click.echo(f"{target}: ok, the RDF export conforms to ontology/shapes.ttl")
    else:
        click.echo(format_rows(rows, PROBLEM_COLUMNS, fmt))
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

    Give claim ids (C7 C12) to show only those.
    """
    audits = audit_claims(graph, list(claims) or None)
    if fmt == "json":
        click.echo(format_json({"claims": [{
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
        click.echo(format_rows(rows, ["id", "section", "verdict", "statement", "references", "edges",
                                      "literature_says"], "tsv"))
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
    click.echo("\n\n".join(blocks))


COMMANDS = [info, show, edges, validate, audit]
