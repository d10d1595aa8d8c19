"""The evidence report, generated entirely from the graph (no finding or number lives here).

Sections: the short answer (from the claims' verdicts, the human trial evidence and the paradox),
mechanisms (causal chains with their evidence), the paradox (both sides from the conflict
analysis), human evidence, safety, the audit of the source summary, open questions (the
hypotheses) and the references. Every edge, claim and reference of the graph appears; claims link
to the evidence of their edges by anchor.

>>> from mtorgraph import load_graph
>>> text = render_report(load_graph("tests/data/mini.yaml"), "md")
>>> "## The paradox" in text and "fixture_c" in text
True
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..analysis.audit import audit_claims
from ..analysis.conflicts import conflicts_to_json, find_conflicts
from ..analysis.paths import find_paths, paths_to_json
from ..analysis.scoring import edge_belief
from ..analysis.summary import summarize
from ..model import Edge, Evidence, MechanismGraph, Reference
from ..vocab import EVIDENCE_KINDS, PREDICATES
from .document import Block, BulletList, Emphasis, Heading, Inline, Link, Paragraph, Strong, Table, Text
from .document import render_html, render_markdown

__all__ = ["build_report", "edge_anchor", "render_report"]

HUMAN_KINDS = ("rct", "clinical_observational", "postmortem_human", "meta_analysis", "regulatory")
SIGN_WORDS = {1: "net positive (+)", -1: "net negative (−)", 0: "unsigned"}


def edge_anchor(subject: str, predicate: str, object: str) -> str:
    """The anchor id of an edge's evidence in the report, e.g. ``edge-rapamycin-inhibits-mtorc1``."""
    return f"edge-{subject}-{predicate}-{object}"


def _name(graph: MechanismGraph, key: str) -> str:
    return graph.entity(key).name


def _edge_link(graph: MechanismGraph, s: str, p: str, o: str) -> Link:
    return Link(f"{_name(graph, s)} {PREDICATES[p].label} {_name(graph, o)}", "#" + edge_anchor(s, p, o))


def _ref_links(ref: Reference) -> list[Inline]:
    out: list[Inline] = []
    for kind, url in ref.links.items():
        label = {"doi": f"doi:{ref.doi}", "pubmed": f"PMID:{ref.pmid}", "pmc": ref.pmcid or "", "url": "document"}[kind]
        out += [Text(" "), Link(label, url)]
    return out


def _ref_cite(ref: Reference) -> list[Inline]:
    mark = "" if ref.verified == "yes" else f" [{'partially verified' if ref.verified == 'partial' else 'unverified'}]"
    return [Link(ref.short, f"#ref-{ref.key}"), Text(mark)]


def _evidence_item(graph: MechanismGraph, ev: Evidence) -> list[Inline]:
    ref = graph.reference(ev.reference)
    context = "; ".join(f"{k}: {v}" for k, v in ev.context.items())
    numbers = "; ".join(x for x in (ev.effect, ev.p_value) if x)
    out: list[Inline] = []
    if ev.direction == "refutes":
        out.append(Strong("Against: "))
    out += [Emphasis(EVIDENCE_KINDS[ev.kind].label), Text(f" ({context}). " if context else ". "), Text(ev.finding)]
    if numbers:
        out.append(Text(f" [{numbers}]"))
    return out + [Text(" — ")] + _ref_cite(ref) + _ref_links(ref)


def _edge_blocks(graph: MechanismGraph, edge: Edge) -> list[Block]:
    title: list[Inline] = [Text(f"{_name(graph, edge.subject)} {PREDICATES[edge.predicate].label} "
                                f"{_name(graph, edge.object)}")]
    tags = [f"sign {edge.sign:+d}" if edge.sign else "unsigned", f"belief {edge_belief(graph, edge):.2f}"]
    if edge.is_hypothesis:
        tags.append("hypothesis")
    blocks: list[Block] = [Paragraph(title + [Text(f" ({', '.join(tags)})")], anchor=edge_anchor(*edge.key))]
    if edge.note:
        blocks.append(Paragraph([Emphasis("Note: "), Text(edge.note)]))
    blocks.append(BulletList([_evidence_item(graph, ev) for ev in edge.evidence]))
    return blocks


def _path_item(graph: MechanismGraph, path: dict[str, Any]) -> list[Inline]:
    out: list[Inline] = [Strong(f"{'+' if path['sign'] > 0 else '−' if path['sign'] < 0 else '0'} "),
                         Text(f"score {path['score']:.3f}: ")]
    for i, step in enumerate(path["steps"]):
        links = [_edge_link(graph, step["subject"], p, step["object"]) for p in step["predicate"].split(",")]
        out += ([Text(" → ")] if i else []) + [x for j, link in enumerate(links)
                                                for x in ([Text(" and ")] if j else []) + [link]]
        out.append(Text(f" ({', '.join(step['references'])})"))
    return out


def _short_answer(graph: MechanismGraph, source: str, target: str, conflict: dict[str, Any] | None) -> list[Block]:
    tally = Counter(c.verdict for c in graph.claims)
    words = {"supported": "supported", "partial": "partly supported", "contradicted": "contradicted",
             "no_source_found": "without any source we could find"}
    parts = ", ".join(f"{tally[v]} {w}" for v, w in words.items() if tally[v])
    blocks: list[Block] = [Heading(2, [Text("Short answer")], "short-answer")]
    if graph.claims:
        blocks.append(Paragraph([Text(f"Of the source summary's {len(graph.claims)} claims, {parts} "),
                                 Link("(audit)", "#audit"), Text(".")]))
    trials = [(e, ev) for e in graph.edges_from(source) for ev in e.evidence
              if ev.kind == "rct" and ev.context.species == "human"]
    for edge, ev in trials:
        ref = graph.reference(ev.reference)
        context = "; ".join(f"{k}: {v}" for k, v in ev.context.items() if k != "species")
        numbers = "; ".join(x for x in (ev.effect, ev.p_value) if x)
        blocks.append(Paragraph([Text("Human randomized evidence: "), _edge_link(graph, *edge.key),
                                 Text(f" — {ev.finding} ({context}{'; ' + numbers if numbers else ''}); "
                                      f"{ref.study_type or 'trial'}, ")] + _ref_cite(ref)))
    if conflict:
        pos, neg = conflict["positive"], conflict["negative"]
        diff = ", ".join(sorted(conflict["context_differences"])) or "no recorded context field"
        blocks.append(Paragraph([
            Text(f"The graph holds routes of both net signs from {_name(graph, source)} to "
                 f"{_name(graph, target)}: {len(pos)} net-positive and {len(neg)} net-negative "
                 f"(see "), Link("the paradox", "#paradox"),
            Text(f"); the evidence of the two sides differs in: {diff}.")]))
    return blocks


def _human_evidence(graph: MechanismGraph) -> list[Block]:
    rows = []
    for edge in graph.edges:
        for ev in edge.evidence:
            if ev.context.species != "human" or ev.kind not in HUMAN_KINDS:
                continue
            ref = graph.reference(ev.reference)
            c = ev.context
            rows.append([_ref_cite(ref), [Text(c.design or ref.study_type or EVIDENCE_KINDS[ev.kind].label)],
                         [Text(str(c.n) if c.n else "")],
                         [Text("; ".join(x for x in (c.dose, c.route) if x))], [Text(c.timepoint or "")],
                         [_edge_link(graph, *edge.key), Text(f": {ev.finding}")],
                         [Text("; ".join(x for x in (ev.effect, ev.p_value) if x))]])
    return [Heading(2, [Text("Human evidence")], "human-evidence"),
            Table(["study", "design", "n", "dose / route", "timepoint", "finding", "numbers"], rows)]


def _paradox(graph: MechanismGraph, report: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = [Heading(2, [Text("The paradox")], "paradox")]
    for pc in report["path_conflicts"]:
        blocks.append(Heading(3, [Text(f"{_name(graph, pc['source'])} → {_name(graph, pc['target'])}: "
                                       "paths of opposite net sign")]))
        if pc["divergence"]:
            blocks.append(Paragraph([Text("The two sides diverge at: "
                                          + ", ".join(_name(graph, k) for k in pc["divergence"]) + ".")]))
        for side, word in (("positive", "Net-positive side (would worsen)"),
                           ("negative", "Net-negative side (would relieve)")):
            blocks.append(Paragraph([Strong(f"{word}: {len(pc[side])} path(s)")]))
            blocks.append(BulletList([_path_item(graph, p) for p in pc[side]]))
        blocks += _differences(pc["context_differences"])
    for ec in report["edge_conflicts"]:
        blocks.append(Heading(3, [Text(f"Conflicting evidence on one pair: {_name(graph, ec['subject'])} → "
                                       f"{_name(graph, ec['object'])}")]))
        items = []
        for side in ("positive", "negative", "null"):
            for claim in ec.get(side, []):
                items.append([Strong(f"{side}: "), _edge_link(graph, claim["subject"], claim["predicate"],
                                                               claim["object"])])
        blocks.append(BulletList(items))
        blocks += _differences(ec["context_differences"])
    if len(blocks) == 1:
        blocks.append(Paragraph([Text("No conflicting paths or edges were found.")]))
    return blocks


def _differences(differences: dict[str, dict[str, list[str]]]) -> list[Block]:
    if not differences:
        return []
    sides = sorted({side for values in differences.values() for side in values})
    rows = [[[Text(field)]] + [[Text("; ".join(values.get(side, [])))] for side in sides]
            for field, values in differences.items()]
    return [Paragraph([Text("Context that separates the sides:")]), Table(["context field", *sides], rows)]


def _mechanisms(graph: MechanismGraph, starts: list[str], targets: list[str]) -> list[Block]:
    blocks: list[Block] = [Heading(2, [Text("Mechanisms")], "mechanisms")]
    for s in starts:
        for t in targets:
            found = paths_to_json(find_paths(graph, s, t, limit=5))
            if found["paths"]:
                blocks.append(Heading(3, [Text(f"{_name(graph, s)} → {_name(graph, t)}")]))
                blocks.append(BulletList([_path_item(graph, p) for p in found["paths"]]))
    blocks.append(Heading(3, [Text("Every edge and its evidence")], "edges"))
    for edge in graph.edges:
        blocks += _edge_blocks(graph, edge)
    return blocks


def _audit(graph: MechanismGraph) -> list[Block]:
    blocks: list[Block] = [Heading(2, [Text("Audit of the source summary")], "audit")]
    for a in audit_claims(graph):
        blocks.append(Heading(3, [Text(f"{a.claim.id} — {a.verdict_label}")], f"claim-{a.claim.id}"))
        blocks.append(Paragraph([Emphasis(f"The summary (§{a.claim.section}): "), Text(a.claim.statement)]))
        if a.claim.literature_says:
            blocks.append(Paragraph([Strong("What the literature says: "), Text(a.claim.literature_says)]))
        refs: list[Inline] = [Strong("References: ")]
        for i, ref in enumerate(a.references):
            refs += ([Text("; ")] if i else []) + _ref_cite(ref)
        blocks.append(Paragraph(refs if a.references else [Strong("References: "), Text("no source found.")]))
        if a.edges:
            blocks.append(BulletList([[Text("Evidence: "), _edge_link(graph, *e.key)] for e in a.edges]))
    return blocks


def _references(graph: MechanismGraph) -> list[Block]:
    items, anchors = [], []
    for ref in graph.references:
        where = ", ".join(x for x in (ref.journal, ref.volume, ref.pages) if x)
        item: list[Inline] = [Strong(ref.key), Text(f". {ref.authors or 'Authors not recorded'} "
                                                     f"({ref.year or 'year not recorded'}). {ref.title}. {where}.")]
        item += _ref_links(ref)
        if not ref.has_identifier:
            item.append(Text(" No DOI, PMID or PMCID was found for it; it supports no edge."))
        if ref.verified != "yes":
            item += [Text(" "), Strong(f"Verification: {ref.verified}.")]
            if ref.verification_note:
                item.append(Text(f" {ref.verification_note}"))
        items.append(item)
        anchors.append(f"ref-{ref.key}")
    return [Heading(2, [Text("References")], "references"), BulletList(items, anchors)]


def build_report(graph: MechanismGraph, source: str = "rapamycin", target: str = "depression") -> list[Block]:
    """The report as document blocks (see :mod:`mtorgraph.views.document`)."""
    s, t = graph.resolve(source).key, graph.resolve(target).key
    pair = conflicts_to_json(find_conflicts(graph, s, t))
    conflict = pair["path_conflicts"][0] if pair["path_conflicts"] else None
    everything = conflicts_to_json(find_conflicts(graph))
    counts = summarize(graph)
    chemicals = [e.key for e in graph.entities if e.kind == "chemical" and graph.edges_from(e.key)]
    outcomes = [e.key for e in graph.entities if e.kind in ("disease", "phenotype") and graph.edges_to(e.key)
                and e.key != t]
    safety = [e for e in graph.edges if graph.entity(e.object).kind == "phenotype"
              and graph.entity(e.object).prefix == "HP" and e.sign > 0]
    hypotheses = [e for e in graph.edges if e.is_hypothesis]
    blocks: list[Block] = [
        Heading(1, [Text(f"Can {_name(graph, s)} help in {_name(graph, t)}? An evidence report")]),
        Paragraph([Text(f"Generated from the graph: {counts['entities']} entities, {counts['edges']} edges, "
                        f"{counts['evidence']} pieces of evidence from {counts['references']} references.")]),
    ]
    blocks += _short_answer(graph, s, t, conflict)
    blocks += _mechanisms(graph, chemicals, [t] + outcomes[:3])
    blocks += _paradox(graph, {"path_conflicts": ([conflict] if conflict else []) + [
        pc for pc in everything["path_conflicts"] if (pc["source"], pc["target"]) != (s, t)],
        "edge_conflicts": everything["edge_conflicts"]})
    blocks += _human_evidence(graph)
    blocks += [Heading(2, [Text("Safety")], "safety"),
               BulletList([[_edge_link(graph, *e.key), Text(": ")] + _evidence_item(graph, ev)
                           for e in safety for ev in e.evidence])]
    blocks += _audit(graph)
    blocks += [Heading(2, [Text("Open questions")], "open-questions"),
               BulletList([[_edge_link(graph, *e.key), Text(": ")] + _evidence_item(graph, ev)
                           for e in hypotheses for ev in e.evidence])]
    blocks += _references(graph)
    return blocks


def render_report(graph: MechanismGraph, fmt: str = "md", source: str = "rapamycin",
                  target: str = "depression") -> str:
    """The report as Markdown (``md``) or one offline HTML page (``html``)."""
    blocks = build_report(graph, source, target)
    if fmt == "html":
        return render_html(blocks, title=f"{_name(graph, graph.resolve(source).key)} and "
                                         f"{_name(graph, graph.resolve(target).key)}: evidence report")
    return render_markdown(blocks)
