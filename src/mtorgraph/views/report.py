"""The evidence report, generated entirely from the graph (no finding or number lives here).

The report answers the graph's questions (``graph.questions``, from ``graph.yaml``), or the ones
given; a graph that states none gets the path conflicts a bounded scan finds (every chemical
against every disease or adverse phenotype, at most :data:`SCAN_QUESTIONS` of them, within
:data:`SCAN_SECONDS`). Sections: the short answer per question (graded, ≤ 120 words, see
:mod:`mtorgraph.views.answer`), mechanisms (paths with their effect in words and the independent
studies they rest on, then every edge and its evidence), the paradox (each side's paths and
independent studies, and the context that separates them), human evidence, safety, the audit of
the source summary, open questions, identifiers not verified, and the references. Cited
statements and title-only evidence are shown as such and never counted.

>>> from mtorgraph import load_graph
>>> text = render_report(load_graph("tests/data/mini.yaml"), "md")
>>> "## The paradox" in text and "fixture_c" in text
True
"""

from __future__ import annotations

import re

from ..analysis.answer import Answer, answer_question
from ..analysis.beliefs import BeliefColumns, belief_columns
from ..analysis.audit import audit_claims
from ..analysis.conflicts import conflicts_to_json, find_conflicts
from ..analysis.effect import effect_words
from ..analysis.paths import GraphIndex, SignedPath, search_graph_index, to_graph_index
from ..analysis.studies import independent_studies
from ..analysis.summary import summarize
from ..model import Edge, Evidence, MechanismGraph, Question, Reference
from ..vocab import EVIDENCE_KINDS, PREDICATES
from .answer import short_answer
from .document import Block, BulletList, Emphasis, Heading, Inline, Link, Paragraph, Strong, Table, Text
from .document import render_html, render_markdown
from .report_rows import cited_reference_count, edges_with_anchor, edges_with_evidence, hypothesis_edges
from .report_questions import SCAN_QUESTIONS, SCAN_SECONDS, report_questions, report_title

__all__ = ["REPORT_ALL_EDGES", "SCAN_QUESTIONS", "SCAN_SECONDS", "build_report", "edge_anchor", "render_blocks", "render_report",
           "report_answers", "report_questions", "report_title"]

#: Above this many edges the report lists the evidence of only the edges it links to (the whole
#: list would be a document of tens of megabytes nobody reads; the CLI lists them on demand).
REPORT_ALL_EDGES = 20000
#: A DOI that may become a link (Crossref's pattern for modern DOIs); others are shown as text.
_LINKABLE_DOI = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Za-z0-9]+$")
#: Characters RFC 3986 never allows unencoded in a URL's path or query: such a URL is not linked.
_UNLINKABLE_URL = re.compile(r"[\[\]\"<>\\^`{|}\s]")

HUMAN_KINDS = ("rct", "clinical_observational", "postmortem_human", "meta_analysis", "regulatory")
SIGN_WORDS = {1: "net positive (+)", -1: "net negative (−)", 0: "unsigned"}


def edge_anchor(subject: str, predicate: str, object: str) -> str:
    """The anchor id of an edge's evidence in the report, e.g. ``edge-rapamycin-inhibits-mtorc1``."""
    return f"edge-{subject}-{predicate}-{object}"


def _name(graph: MechanismGraph, key: str) -> str:
    return graph.entity(key).name


def _edge_link(graph: MechanismGraph, s: str, p: str, o: str) -> Link:
    return Link(f"{_name(graph, s)} {PREDICATES[p].label} {_name(graph, o)}", "#" + edge_anchor(s, p, o))


def _balanced(text: str) -> bool:
    depth = 0
    for c in text:
        depth += {"(": 1, ")": -1}.get(c, 0)
        if depth < 0:
            return False
    return depth == 0


def _ref_links(ref: Reference) -> list[Inline]:
    """Links built from identifiers that pass a strict check; anything else is shown as text."""
    out: list[Inline] = []
    for kind, url in ref.links.items():
        label = {"doi": f"doi:{ref.doi}", "pubmed": f"PMID:{ref.pmid}", "pmc": ref.pmcid or "", "url": "document"}[kind]
        if kind == "doi" and not (_LINKABLE_DOI.match(ref.doi or "") and _balanced(ref.doi or "")):
            out += [Text(f" {label} (not linked: not a well-formed DOI)")]
        elif kind == "url" and _UNLINKABLE_URL.search(url):
            out += [Text(f" {url} (not linked: not a well-formed URL)")]
        else:
            out += [Text(" "), Link(label, url)]
    return out


def _ref_cite(ref: Reference) -> list[Inline]:
    mark = "" if ref.verified == "yes" else f" [{'partially verified' if ref.verified == 'partial' else 'unverified'}]"
    return [Link(ref.short, f"#ref-{ref.key}"), Text(mark)]


_BASIS_WORDS = {"cited_statement": "Cited statement about other work (not weighed): ",
                "title_only": "Known by title only (not weighed): "}


def _evidence_item(graph: MechanismGraph, ev: Evidence) -> list[Inline]:
    ref = graph.reference(ev.reference)
    context = "; ".join(f"{k}: {v}" for k, v in ev.context.items())
    numbers = "; ".join(x for x in (ev.effect, ev.p_value) if x)
    out: list[Inline] = []
    if ev.basis in _BASIS_WORDS:
        out.append(Strong(_BASIS_WORDS[ev.basis]))
    if ev.direction == "refutes":
        out.append(Strong("Against: "))
    out += [Emphasis(EVIDENCE_KINDS[ev.kind].label), Text(f" ({context}). " if context else ". "), Text(ev.finding)]
    if numbers:
        out.append(Text(f" [{numbers}]"))
    return out + [Text(" — ")] + _ref_cite(ref) + _ref_links(ref)


_ID_MARKS = {"derived": "id derived", "local": "local id", "unverified": "id unverified"}


def _marked(graph: MechanismGraph, key: str) -> str:
    """The entity's name, with its id status when that is not ``verified``."""
    status = getattr(graph.entity(key), "id_status", "verified")
    return _name(graph, key) + (f" [{_ID_MARKS[status]}]" if status in _ID_MARKS else "")


def _edge_blocks(graph: MechanismGraph, edge: Edge, belief: float) -> list[Block]:
    title: list[Inline] = [Text(f"{_marked(graph, edge.subject)} {PREDICATES[edge.predicate].label} "
                                f"{_marked(graph, edge.object)}")]
    tags = [f"sign {edge.sign:+d}" if edge.sign else "unsigned", f"belief {belief:.2f}"]
    if edge.is_hypothesis:
        tags.append("hypothesis")
    blocks: list[Block] = [Paragraph(title + [Text(f" ({', '.join(tags)})")], anchor=edge_anchor(*edge.key))]
    if edge.note:
        blocks.append(Paragraph([Emphasis("Note: "), Text(edge.note)]))
    blocks.append(BulletList([_evidence_item(graph, ev) for ev in edge.evidence]))
    return blocks


def _path_studies(path: SignedPath) -> list[tuple[str, str | None]]:
    return independent_studies(e for step in path.steps for e in step.edges)


def _path_item(graph: MechanismGraph, path: SignedPath) -> list[Inline]:
    target = graph.entity(path.steps[-1].object)
    studies = _path_studies(path)
    out: list[Inline] = [Strong(f"{effect_words(target, path.sign)}: "),
                         Text(f"score {path.score:.3f}, {len(studies)} independent "
                              f"{'study' if len(studies) == 1 else 'studies'}; ")]
    for i, step in enumerate(path.steps):
        bridge = getattr(step, "bridge", None)
        if bridge:
            out += ([Text(" → ")] if i else []) + [Text(f"{_name(graph, step.subject)} {bridge.replace('_', ' ')} "
                                                        f"{_name(graph, step.object)} (bridge)")]
            continue
        links = [_edge_link(graph, step.subject, p, step.object) for p in step.predicate.split(",")]
        out += ([Text(" → ")] if i else []) + [x for j, link in enumerate(links)
                                                for x in ([Text(" and ")] if j else []) + [link]]
        refs = sorted({ev.reference for e in step.edges for ev in e.evidence if ev.weighed})
        out.append(Text(f" ({', '.join(refs)})" if refs else " (no weighed evidence)"))
    return out


def _human_evidence(graph: MechanismGraph) -> list[Block]:
    rows = []
    for edge in edges_with_evidence(graph, "human", HUMAN_KINDS):
        for ev in edge.evidence:
            if ev.context.species != "human" or ev.kind not in HUMAN_KINDS:
                continue
            ref = graph.reference(ev.reference)
            c = ev.context
            rows.append([_ref_cite(ref), [Text(c.design or ref.study_type or EVIDENCE_KINDS[ev.kind].label)],
                         [Text(str(c.n) if c.n else "")],
                         [Text("; ".join(x for x in (c.dose, c.route) if x))], [Text(c.timepoint or "")],
                         [_edge_link(graph, *edge.key), Text(f": {ev.finding}")]
                         + ([Strong(f" ({_BASIS_WORDS[ev.basis].rstrip(': ')})")] if ev.basis in _BASIS_WORDS else []),
                         [Text("; ".join(x for x in (ev.effect, ev.p_value) if x))]])
    return [Heading(2, [Text("Human evidence")], "human-evidence"),
            Table(["study", "design", "n", "dose / route", "timepoint", "finding", "numbers"], rows)]


def _side_block(graph: MechanismGraph, target: str, sign: int, paths: tuple[SignedPath, ...],
                own: list[tuple[str, str | None]]) -> list[Block]:
    n, k = len(paths), len(own)
    refs = ", ".join(f"{r}" + (f" ({e})" if e else "") for r, e in own)
    head = (f"{effect_words(graph.entity(target), sign).capitalize()}: {n} {'path' if n == 1 else 'paths'} "
            f"resting on {k} independent {'study' if k == 1 else 'studies'}")
    return [Paragraph([Strong(head), Text(f" ({refs})" if refs else "")]),
            BulletList([_path_item(graph, p) for p in paths])]


def _paradox(graph: MechanismGraph, answers: list[Answer]) -> list[Block]:
    blocks: list[Block] = [Heading(2, [Text("The paradox")], "paradox")]
    seen_pairs: set[tuple[str, str]] = set()
    for a in answers:
        pc = a.conflict
        if pc is None:
            continue
        blocks.append(Heading(3, [Text(f"{_name(graph, pc.source)} → {_name(graph, pc.target)}: "
                                       "paths of opposite effect")]))
        blocks.append(Paragraph([Text("A side is as strong as its independent studies (distinct reference and "
                                      "experiment, own results only) on the steps the other side does not share, "
                                      "not as its number of paths.")]))
        if pc.divergence:
            blocks.append(Paragraph([Text("The two sides diverge at: "
                                          + ", ".join(_name(graph, k) for k in pc.divergence) + ".")]))
        blocks += _side_block(graph, pc.target, 1, pc.positive.paths, list(a.sides[1].studies))
        blocks += _side_block(graph, pc.target, -1, pc.negative.paths, list(a.sides[-1].studies))
        blocks += _differences(pc.context_differences)
        found = a.notes.get("conflicts") or find_conflicts(graph, pc.source, pc.target)
        report = conflicts_to_json(found)
        for ec in report["edge_conflicts"]:
            if (ec["subject"], ec["object"]) in seen_pairs:
                continue
            seen_pairs.add((ec["subject"], ec["object"]))
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
        blocks.append(Paragraph([Text("No conflicting paths were found for the report's questions.")]))
    return blocks


def _differences(differences: dict[str, dict[str, list[str]]]) -> list[Block]:
    if not differences:
        return []
    sides = sorted({side for values in differences.values() for side in values})
    rows = [[[Text(field)]] + [[Text("; ".join(values.get(side, [])))] for side in sides]
            for field, values in differences.items()]
    return [Paragraph([Text("Context that separates the sides:")]), Table(["context field", *sides], rows)]


def _mechanisms(graph: MechanismGraph, questions: tuple[Question, ...], gindex: GraphIndex) -> list[Block]:
    blocks: list[Block] = [Heading(2, [Text("Mechanisms")], "mechanisms")]
    for q in questions:
        found = search_graph_index(gindex, q.source, q.target, limit=10, timeout=10.0)
        blocks.append(Heading(3, [Text(f"{_name(graph, q.source)} → {_name(graph, q.target)}")]))
        if found.paths:
            blocks.append(BulletList([_path_item(graph, p) for p in found.paths]))
        else:
            blocks.append(Paragraph([Text("No path within 4 steps.")]))
    return blocks


def _linked_edges(blocks: list[Block]) -> set[str]:
    """The edge anchors the blocks link to."""
    inlines: list[Inline] = []
    for block in blocks:
        if isinstance(block, (Heading, Paragraph)):
            inlines += block.content
        elif isinstance(block, BulletList):
            inlines += [x for item in block.items for x in item]
        elif isinstance(block, Table):
            inlines += [x for row in block.rows for cell in row for x in cell]
    return {x.href[1:] for x in inlines if isinstance(x, Link) and x.href.startswith("#edge-")}


def _edge_section(graph: MechanismGraph, beliefs: BeliefColumns, linked: set[str] | None) -> list[Block]:
    """Every edge and its evidence; with ``linked``, only the edges whose anchors are in it."""
    if linked is None:
        blocks: list[Block] = [Heading(3, [Text("Every edge and its evidence")], "edges")]
    else:
        blocks = [Heading(3, [Text("The edges this report cites and their evidence")], "edges"),
                  Paragraph([Text(f"The graph has {len(graph.edges):,} edges, more than "
                                  f"{REPORT_ALL_EDGES:,}: this report lists the evidence of the edges its "
                                  "sections link to. The command mtorgraph edges lists the others (filter them by "
                                  "--subject, --object, --predicate), mtorgraph show ENTITY shows one "
                                  "entity's, and mtorgraph export writes them all.")])]
    if linked is None:
        chosen = zip(graph.edges, (float(b) for b in beliefs.edges))  # aligned with the edge rows
    else:
        chosen = edges_with_anchor(graph, beliefs.edges, linked)
    for edge, belief in chosen:
        blocks += _edge_blocks(graph, edge, belief)
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


def report_answers(graph: MechanismGraph, questions: tuple[Question, ...], *,
                   gindex: GraphIndex | None = None) -> list[tuple[Answer, list[str]]]:
    """Each question's graded answer and its short-answer sentences.

    :param gindex: ``to_graph_index(graph)`` if already built; else it is built once here.
    """
    gindex = gindex or to_graph_index(graph)
    out = []
    for q in questions:
        answer = answer_question(graph, q.source, q.target, gindex=gindex)
        out.append((answer, short_answer(graph, answer)))
    return out


def _short_answers(graph: MechanismGraph, questions: tuple[Question, ...],
                   answers: list[tuple[Answer, list[str]]]) -> list[Block]:
    blocks: list[Block] = [Heading(2, [Text("Short answer")], "short-answer")]
    if not questions:
        blocks.append(Paragraph([Text("The graph states no question (graph.yaml) and the conflict scan found no "
                                      "pair with paths of both effects; the sections below list what it holds.")]))
    for q, (answer, sentences) in zip(questions, answers):
        if len(questions) > 1:
            blocks.append(Heading(3, [Text(q.title or f"{answer.source.name} → {answer.target.name}")]))
        blocks += [Paragraph([Text(sentence)]) for sentence in sentences]
    if questions:
        blocks.append(Paragraph([Emphasis("How the grade is set: "), Text(
            "it starts from the best design that tested the source on a path to the target or in a human study "
            "connected to it (randomized trial high, human observational or regulatory low, animal, in vitro "
            "or review very low) and drops one level per "
            "problem: imprecision (one study or few participants), indirectness (an intermediate measured, the "
            "source given only with another drug, or an animal model), inconsistency. Details: "),
            Link("mechanisms", "#mechanisms"), Text(", "), Link("the paradox", "#paradox"), Text(", "),
            Link("human evidence", "#human-evidence"), Text(".")]))
    return blocks


def _open_questions(graph: MechanismGraph) -> list[Block]:
    blocks: list[Block] = [Heading(2, [Text("Open questions")], "open-questions")]
    items: list[list[Inline]] = []
    anchors: list[str | None] = []
    for oq in getattr(graph, "open_questions", ()):
        ref = graph.reference(oq.proposed_by)
        item: list[Inline] = [Strong(oq.question), Text(" Proposed by "), *_ref_cite(ref),
                              Text(f": {oq.statement} "), Emphasis("What would test it: "), Text(oq.would_test)]
        if oq.note:
            item.append(Text(f" ({oq.note})"))
        items.append(item)
        anchors.append(f"open-{oq.key}")
    for edge in hypothesis_edges(graph):  # graphs that still keep hypotheses as edges
        if edge.is_hypothesis:
            for ev in edge.evidence:
                items.append([Text("Hypothesis edge: "), _edge_link(graph, *edge.key), Text(": ")]
                             + _evidence_item(graph, ev))
                anchors.append(None)
    blocks.append(BulletList(items, anchors) if items else Paragraph([Text("The graph lists no open question.")]))
    return blocks


def _identifiers(graph: MechanismGraph) -> list[Block]:
    rows = [[[Text(e.name)], [Text(e.id)], [Text(getattr(e, "id_status", "verified"))], [Text(e.note or "")]]
            for e in graph.entities if getattr(e, "id_status", "verified") != "verified"]
    blocks: list[Block] = [Heading(2, [Text("Identifiers not verified")], "identifiers")]
    if not rows:
        return blocks + [Paragraph([Text("Every entity's identifier is verified.")])]
    return blocks + [Paragraph([Text("Entities whose identifier was derived, minted locally or not checked "
                                     "(marked so wherever the report names an edge):")]),
                     Table(["entity", "id", "status", "note"], rows)]


def _safety_section(graph: MechanismGraph, answers: list[tuple[Answer, list[str]]]) -> list[Block]:
    edges: list[Edge] = []
    for answer, _ in answers:
        edges += [e for e in answer.safety if e not in edges]
    items = [[_edge_link(graph, *e.key), Text(": ")] + _evidence_item(graph, ev) for e in edges for ev in e.evidence]
    return [Heading(2, [Text("Safety")], "safety"),
            BulletList(items) if items else Paragraph([Text("No adverse effect of the questions' sources in human "
                                                            "data.")])]


def build_report(graph: MechanismGraph, questions: tuple[Question, ...] | None = None,
                 answers: list[tuple[Answer, list[str]]] | None = None, *,
                 gindex: GraphIndex | None = None, beliefs: BeliefColumns | None = None) -> list[Block]:
    """The report as document blocks (see :mod:`mtorgraph.views.document`).

    The search index is built once (or taken from ``gindex``) and every question, path and
    conflict of the report reads it; beliefs are computed once for the whole graph.

    :param questions: override the graph's questions (see :func:`report_questions`).
    :param answers: :func:`report_answers` of exactly those questions, if already computed.
    :param gindex: ``to_graph_index(graph)`` (default filters) if already built.
    :param beliefs: ``belief_columns(graph)`` if already computed.
    :raises UnknownEntityError: if a given question names an entity the graph lacks.
    """
    asked = report_questions(graph, questions) if questions else None  # unknown names fail before any work
    gindex = gindex or to_graph_index(graph)
    asked = asked if asked is not None else report_questions(graph, None, gindex=gindex)
    answers = answers if answers is not None else report_answers(graph, asked, gindex=gindex)
    counts = summarize(graph)
    cited = cited_reference_count(graph)
    blocks: list[Block] = [
        Heading(1, [Text(report_title(graph, asked))]),
        Paragraph([Text(f"Generated from the graph: {counts['entities']} entities, {counts['edges']} edges, "
                        f"{counts['evidence']} pieces of evidence from {cited} of its {counts['references']} "
                        f"references.")]),
    ]
    blocks += _short_answers(graph, asked, answers)
    blocks += _mechanisms(graph, asked, gindex)
    rest = _paradox(graph, [a for a, _ in answers])
    rest += _human_evidence(graph)
    rest += _safety_section(graph, answers)
    rest += _audit(graph)
    rest += _open_questions(graph)
    rest += _identifiers(graph)
    rest += _references(graph)
    linked = _linked_edges(blocks + rest) if len(graph.edges) > REPORT_ALL_EDGES else None
    blocks += _edge_section(graph, beliefs if beliefs is not None else belief_columns(graph), linked)
    return blocks + rest


def render_blocks(graph: MechanismGraph, blocks: list[Block], fmt: str = "md") -> str:
    """Render report blocks as Markdown (``md``) or one offline HTML page (``html``)."""
    if fmt == "html":
        title = next((b.content[0].text for b in blocks if isinstance(b, Heading) and b.level == 1), "Report")
        return render_html(blocks, title=title)
    return render_markdown(blocks)


def render_report(graph: MechanismGraph, fmt: str = "md", questions: tuple[Question, ...] | None = None) -> str:
    """The report as Markdown (``md``) or one offline HTML page (``html``)."""
    return render_blocks(graph, build_report(graph, questions), fmt)
