"""``report`` and ``build`` stay linear: the search index is built once and beliefs are computed a
bounded number of times per edge, however many questions (chemical × target pairs) the report answers.

Counted with spies on the functions themselves (no timing): every module that imported
``to_graph_index`` or ``belief_columns`` sees the spy, and every belief goes through
``scoring.explain_belief``.
"""

from __future__ import annotations

import random
import sys

import pytest
import json

from mtorgraph.cli import main
from mtorgraph.model import Edge, Entity, Evidence, MechanismGraph, Question, Reference

PREDICATES = ("activates", "inhibits", "increases", "decreases")


def random_graph(seed: int, chemicals: int = 6, diseases: int = 6, processes: int = 40, edges: int = 260,
                 questions: bool = True) -> MechanismGraph:
    """Random chemicals → processes → diseases with a few conflicting pairs; every chemical ×
    disease pair is a question when ``questions``."""
    rng = random.Random(seed)
    keys = ([f"chem{i}" for i in range(chemicals)] + [f"dis{i}" for i in range(diseases)]
            + [f"proc{i}" for i in range(processes)])
    kinds = {k: "chemical" if k.startswith("chem") else "disease" if k.startswith("dis") else "process" for k in keys}
    prefix = {"chemical": "CHEBI", "disease": "MONDO", "process": "GO"}
    refs = [f"ref{i}" for i in range(12)]
    chosen: dict[tuple[str, str, str], Edge] = {}
    while len(chosen) < edges:
        s = rng.choice([k for k in keys if not k.startswith("dis")])
        o = rng.choice([k for k in keys if not k.startswith("chem")])
        p = rng.choice(PREDICATES)
        if s == o or (s, p, o) in chosen:
            continue
        evidence = tuple(Evidence(reference=rng.choice(refs), kind=rng.choice(("animal_in_vivo", "in_vitro", "rct")),
                                  context={"species": rng.choice(("rat", "mouse", "human"))}, finding="f")
                         for _ in range(rng.randint(1, 3)))
        chosen[(s, p, o)] = Edge(subject=s, predicate=p, object=o, evidence=evidence)
    asked = tuple(Question(source=c, target=d) for c in keys if kinds[c] == "chemical"
                  for d in keys if kinds[d] == "disease") if questions else ()
    return MechanismGraph(
        entities=tuple(Entity(key=k, id=f"{prefix[kinds[k]]}:{i:07d}", label=k, name=k, kind=kinds[k])
                       for i, k in enumerate(keys, 1)),
        references=tuple(Reference(key=r, title=r, doi=f"10.5555/{r}", verified="yes") for r in refs),
        edges=tuple(chosen.values()), questions=asked)


class Spies:
    """Counts calls of the index build, the belief columns and single beliefs, wherever imported."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from mtorgraph.analysis import beliefs, paths, scoring

        self.calls = {"to_graph_index": 0, "belief_columns": 0, "explain_belief": 0}
        for module, name in ((paths, "to_graph_index"), (beliefs, "belief_columns"), (scoring, "explain_belief")):
            original = getattr(module, name)
            spy = self._spy(name, original)
            for loaded in list(sys.modules.values()):
                if getattr(loaded, "__name__", "").startswith("mtorgraph") and getattr(loaded, name, None) is original:
                    monkeypatch.setattr(loaded, name, spy)

    def _spy(self, name, original):
        def counted(*args, **kwargs):
            self.calls[name] += 1
            return original(*args, **kwargs)
        return counted


def _import_everything() -> None:
    # the spies patch the modules loaded at that moment; load every one that a report touches first
    import mtorgraph.build  # noqa: F401
    import mtorgraph.views.html  # noqa: F401
    import mtorgraph.views.report  # noqa: F401


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_report_builds_one_index_for_every_question(seed, monkeypatch):
    from mtorgraph.views.report import render_report

    _import_everything()
    graph = random_graph(seed)
    assert len(graph.questions) == 36
    spies = Spies(monkeypatch)
    text = render_report(graph, "md")
    assert "## Mechanisms" in text and text.count("### chem") >= 36
    assert spies.calls["to_graph_index"] == 1
    assert spies.calls["belief_columns"] == 1
    # the index weighs each merged step once, the report each edge once, plus the few claims of
    # the conflicts shown: far below one pass over the graph per question (36 × 260)
    assert spies.calls["explain_belief"] <= 3 * len(graph.edges)


def test_the_cost_does_not_grow_with_the_number_of_questions(monkeypatch):
    from mtorgraph.views.report import build_report

    _import_everything()
    many = random_graph(4)
    one = many.model_copy(update={"questions": many.questions[:1]})
    spies = Spies(monkeypatch)
    build_report(one)
    single = dict(spies.calls)
    for key in spies.calls:
        spies.calls[key] = 0
    build_report(many)
    assert spies.calls["to_graph_index"] == single["to_graph_index"] == 1
    assert spies.calls["explain_belief"] <= single["explain_belief"] + 10 * len(many.questions)


def test_the_conflict_scan_of_a_graph_without_questions_uses_the_same_index(monkeypatch):
    from mtorgraph.views.report import build_report

    _import_everything()
    graph = random_graph(5, questions=False)
    spies = Spies(monkeypatch)
    build_report(graph)
    assert spies.calls["to_graph_index"] == 1


def test_build_builds_one_index_and_one_set_of_beliefs(tmp_path, monkeypatch, runner):
    graph = random_graph(6)
    source = tmp_path / "random.yaml"
    source.write_text(json.dumps({  # JSON is YAML
        "questions": [{"source": q.source, "target": q.target} for q in graph.questions],
        "entities": {e.key: {"id": e.id, "label": e.label, "name": e.name, "kind": e.kind, "id_status": "verified"}
                     for e in graph.entities},
        "references": {r.key: {"title": r.title, "doi": r.doi, "verified": "yes"} for r in graph.references},
        "edges": [{"subject": e.subject, "predicate": e.predicate, "object": e.object,
                   "evidence": [ev.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
                                for ev in e.evidence]} for e in graph.edges],
    }), encoding="utf-8")
    _import_everything()
    spies = Spies(monkeypatch)
    result = runner.invoke(main, ["--graph", str(source), "build", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "report.md").is_file()
    # one for the report's questions, paths and conflicts; one for the page's conflict menu
    # (``find_conflicts`` builds its own index for the drawn graph)
    assert spies.calls["to_graph_index"] == 2
    # the report, the RDF writers and the page share one set of beliefs
    assert spies.calls["belief_columns"] == 1
    assert spies.calls["explain_belief"] <= 4 * len(graph.edges)  # two indexes, the columns, a few claims


def test_a_graph_above_the_limits_gets_a_cited_edges_report_and_a_neighbourhood_page(tmp_path, monkeypatch, runner):
    import re

    from mtorgraph.views import html as html_view
    from mtorgraph.views import report as report_view

    from .conftest import ROOT
    from .test_html import page_data

    monkeypatch.setattr(report_view, "REPORT_ALL_EDGES", 10)
    monkeypatch.setattr(html_view, "MAX_EDGES", 10)
    out = tmp_path / "out"
    result = runner.invoke(main, ["--graph", str(ROOT / "graphs"), "build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "page: the graph (" in result.stdout and "draws the neighbourhood of rapamycin (depth 2)" in result.stdout
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "The edges this report cites and their evidence" in report and "mtorgraph edges lists the others" in report
    linked = set(re.findall(r"\]\(#(edge-[^)]+)\)", report))
    anchored = set(re.findall(r'<a id="(edge-[^"]+)"', report)) | set(re.findall(r"\{#(edge-[^}]+)\}", report))
    assert linked and linked <= anchored  # every edge the report links to is listed
    from mtorgraph import load_graph
    assert len(anchored) < len(load_graph(ROOT / "graphs").edges)
    page = page_data((out / "mtorgraph.html").read_text(encoding="utf-8"))
    assert "rapamycin" in {n["id"] for n in page["nodes"]}


def test_a_cited_edges_report_is_the_same_from_columns_and_from_objects(tmp_path, monkeypatch, runner):
    """Above the limit the report finds its cited edges, its human evidence and its reference count
    on the columns; the model graph walks every edge. Same report, byte for byte."""
    from mtorgraph.views import report as report_view

    from .conftest import ROOT

    monkeypatch.setattr(report_view, "REPORT_ALL_EDGES", 10)
    reports = {}
    for engine in ("columns", "objects"):
        monkeypatch.setenv("MTORGRAPH_ENGINE", engine)
        out = tmp_path / f"{engine}.md"
        result = runner.invoke(main, ["--graph", str(ROOT / "graphs"), "report", "-o", str(out)])
        assert result.exit_code == 0, result.output
        reports[engine] = out.read_text(encoding="utf-8")
    assert reports["columns"] == reports["objects"]
    assert "The edges this report cites and their evidence" in reports["columns"]
    human = reports["columns"].split("## Human evidence", 1)[1].split("\n## ", 1)[0]
    assert human.count("\n| ") > 3  # the table has rows
