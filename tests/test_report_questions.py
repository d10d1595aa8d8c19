"""The report's questions come from the data; the short answer is graded and built only from the data."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from ruamel.yaml import YAML

from mtorgraph import bundled_graph_path, load_graph
from mtorgraph.analysis.answer import GRADE_WORDS, answer_question
from mtorgraph.cli import main
from mtorgraph.views.answer import MAX_WORDS, short_answer, word_count
from mtorgraph.views.report import render_report

from .conftest import DATA, MINI

NO_RAPAMYCIN = DATA / "no_rapamycin.yaml"


def _load(text):
    return YAML(typ="safe").load(text)


def _dump(data):
    return json.dumps(data)  # JSON is YAML


def _answer(graph, source="rapamycin", target="depression"):
    a = answer_question(graph, source, target)
    return a, " ".join(short_answer(graph, a))


def test_build_and_report_a_graph_without_rapamycin_or_depression(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["--graph", str(NO_RAPAMYCIN), "build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Evidence grade, ketamine → hyperglycemia" in result.stdout
    for path in out.iterdir():
        text = path.read_text().lower()
        assert "rapamycin" not in text and "depression" not in text, path.name
    report = (out / "report.md").read_text()
    assert "Would worsen hyperglycemia" in report and "Would relieve hyperglycemia" in report
    result = runner.invoke(main, ["--graph", str(NO_RAPAMYCIN), "report"])
    assert result.exit_code == 0 and "ketamine → hyperglycemia" in result.stdout


def test_the_graph_states_its_title_and_questions(runner, tmp_path):
    data = _load(NO_RAPAMYCIN.read_text())
    data["title"] = "Does ketamine change blood glucose?"
    data["questions"] = [{"source": "ketamine", "target": "inflammation", "title": "Ketamine and inflammation"}]
    path = tmp_path / "g.yaml"
    path.write_text(_dump(data))
    text = runner.invoke(main, ["--graph", str(path), "report"]).stdout
    assert text.startswith("# Does ketamine change blood glucose?")
    assert "Evidence grade, ketamine → inflammation" in text and "ketamine → hyperglycemia:" not in text
    override = runner.invoke(main, ["--graph", str(path), "report", "--source", "ketamine",
                                    "--target", "hyperglycemia"]).stdout
    assert "Evidence grade, ketamine → hyperglycemia" in override and "ketamine → inflammation:" not in override


@pytest.mark.parametrize("args", [["--source", "ketamine"], ["--target", "bdnf"],
                                  ["--source", "ketamin", "--target", "bdnf"]])
def test_question_options_misused_exit_2(runner, args):
    for command in (["report"], ["build", "--out", "unused"]):
        result = runner.invoke(main, ["--graph", str(NO_RAPAMYCIN), *command, *args])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output


def test_a_graph_without_questions_or_conflicts_says_so(runner, tmp_path):
    data = _load(NO_RAPAMYCIN.read_text())
    data["edges"] = [e for e in data["edges"] if e["subject"] != "bdnf"]
    path = tmp_path / "g.yaml"
    path.write_text(_dump(data))
    result = runner.invoke(main, ["--graph", str(path), "build", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0 and "No question" in result.stdout
    assert "states no question" in (tmp_path / "out" / "report.md").read_text()


def test_short_answer_is_graded_with_reasons_and_within_the_word_limit():
    for graph in (load_graph(MINI), load_graph(NO_RAPAMYCIN), load_graph()):
        keys = {e.key for e in graph.entities}
        source, target = ("rapamycin", "depression") if "rapamycin" in keys else ("ketamine", "hyperglycemia")
        answer, text = _answer(graph, source, target)
        assert word_count([text]) <= MAX_WORDS
        assert text.startswith(f"Evidence grade, {answer.source.name} → {answer.target.name}: "
                               f"{GRADE_WORDS[answer.grade]}.")
        for down in answer.downgrades:
            assert down.domain in text
    answer, text = _answer(load_graph(MINI))
    assert GRADE_WORDS[answer.grade] == "low"
    assert "imprecision (1 study, not replicated; n = 20)" in text
    assert "indirectness (measured ketamine's antidepressant response, not depression)" in text
    assert "would worsen depression" in text and "would relieve depression" in text


def test_bundled_answer_names_the_trial_and_its_limits():
    answer, text = _answer(load_graph())
    assert GRADE_WORDS[answer.grade] == "very low" and answer.start == 4
    assert "given only with ketamine" in text and "n = 20" in text
    assert re.search(r"no effect on [^;.]*\(24 h after ketamine\)", text)


def _copy_bundled(tmp_path):
    copy = tmp_path / "graphs"
    shutil.copytree(bundled_graph_path(), copy)
    return copy


def test_editing_the_trials_n_changes_the_answer(tmp_path):
    copy = _copy_bundled(tmp_path)
    edited = 0
    for path in copy.rglob("*.yaml"):
        text = path.read_text()
        new = re.sub(r"\bn: 20\b", "n: 64", text)
        if new != text:
            path.write_text(new)
            edited += 1
    assert edited
    _, before = _answer(load_graph())
    _, after = _answer(load_graph(copy))
    assert "n = 20" in before and "n = 64" in after and "n = 20" not in after


def _drop_human_edges(data):
    data.pop("claims", None)  # they cite the dropped edges
    data["edges"] = [e for e in data["edges"] if not (
        e["subject"] == "rapamycin" and any(ev.get("kind") == "rct" for ev in e["evidence"]))]
    return data


def test_removing_the_human_evidence_lowers_the_grade(tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(_dump(_drop_human_edges(_load(MINI.read_text()))))
    with_trial, _ = _answer(load_graph(MINI))
    without, text = _answer(load_graph(path))
    assert with_trial.grade > without.grade and GRADE_WORDS[without.grade] == "very low"
    assert "Human: no study of rapamycin" in text


def test_removing_the_bundled_trial_changes_start_and_human_sentence(tmp_path):
    copy = _copy_bundled(tmp_path)
    (copy / "claims.yaml").unlink()
    for path in copy.rglob("*.yaml"):
        data = _load(path.read_text())
        if isinstance(data, dict) and data.get("edges"):
            path.write_text(_dump(_drop_human_edges(data)))
    answer, text = _answer(load_graph(copy))
    assert answer.start < 4 and "Human: no study of rapamycin" in text


def test_open_questions_id_status_and_unweighed_evidence_are_shown_as_such(tmp_path):
    data = _load(MINI.read_text())
    data["open_questions"] = {"dose": {
        "question": "Was the oral dose too low to reach the brain?", "proposed_by": "fixture_c",
        "statement": "Fixture: the authors suspect under-dosing.", "would_test": "Fixture: a dose-finding study.",
        "entities": ["rapamycin", "mtorc1"]}}
    for edge in data["edges"]:
        if (edge["subject"], edge["predicate"], edge["object"]) == ("rapamycin", "inhibits", "ketamine_response"):
            edge["evidence"].append({"reference": "fixture_d", "kind": "review", "basis": "cited_statement",
                                     "context": {"species": "rat"}, "finding": "Fixture: a review retells it."})
        if (edge["subject"], edge["predicate"], edge["object"]) == ("rapamycin", "inhibits", "mtorc1"):
            edge["evidence"].append({"reference": "fixture_d", "kind": "animal_in_vivo", "basis": "title_only",
                                     "finding": "Fixture: only the title is known."})
    path = tmp_path / "g.yaml"
    path.write_text(_dump(data))
    md = render_report(load_graph(path), "md")
    oq = md.split("## Open questions", 1)[1].split("## ", 1)[0]
    assert "Was the oral dose too low to reach the brain?" in oq and "What would test it:" in oq
    assert "a dose-finding study" in oq and "Delta D et al. 2003" in oq
    assert "Cited statement about other work (not weighed):" in md and "Known by title only (not weighed):" in md
    mechanisms = md.split("## Mechanisms", 1)[1].split("### Every edge", 1)[0]
    assert "fixture_d" not in mechanisms  # never listed as a path's source
    ids = md.split("## Identifiers not verified", 1)[1].split("## ", 1)[0]
    assert "mtorgraph:ketamine\\_response" in ids and "local" in ids
    assert "ketamine's antidepressant response \\[local id\\]" in md
