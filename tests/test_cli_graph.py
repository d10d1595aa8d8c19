"""The descriptive commands (info, show, edges, validate, audit) in every format, on the mini graph."""

from __future__ import annotations

import csv
import io
import json

import pytest

from mtorgraph.cli import main

from .conftest import MINI

FORMATS = ["table", "json", "tsv"]


def run(runner, *args):
    result = runner.invoke(main, ["--graph", str(MINI), *args])
    return result


def tsv_rows(text):
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_info_counts(runner, fmt):
    result = run(runner, "info", "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.stdout)
        assert {k: data[k] for k in ("entities", "edges", "evidence", "references")} == {
            "entities": 7, "edges": 10, "evidence": 10, "references": 4}
        assert all(isinstance(data[k], int) for k in ("entities", "edges", "evidence", "references"))
        assert data["edges_by_predicate"]["inhibits"] == 2
        assert data["evidence_by_kind"]["rct"] == 3
        assert data["references_by_verification"] == {"partial": 1, "yes": 3}
        assert data["hypotheses"] == 1
    elif fmt == "tsv":
        rows = {r["what"]: r["count"] for r in tsv_rows(result.stdout)}
        assert rows["edges"] == "10"
        assert rows["edges by predicate: no_effect_on"] == "1"
    else:
        assert "evidence by kind: animal_in_vivo" in result.stdout
        assert "references by verification: partial  1" in result.stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_show_lists_edges_with_evidence_and_context(runner, fmt):
    result = run(runner, "show", "Sirolimus", "--format", fmt)  # a synonym, other case
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["entity"]["id"] == "CHEBI:9168"
        assert data["incoming"] == []
        out = {(e["predicate"], e["object"]): e for e in data["outgoing"]}
        assert len(out) == 5
        trial = out[("increases", "ketamine_response")]
        assert trial["sign"] == 1
        [ev] = trial["evidence"]
        assert ev["context"] == {"species": "human", "design": "crossover", "route": "oral", "dose": "6 mg",
                                 "timepoint": "2 weeks", "n": 20}
        assert ev["effect"] == "response 41% vs 13%"
        assert ev["links"] == {"pmc": "https://pmc.ncbi.nlm.nih.gov/articles/PMC1/"}
        assert out[("decreases", "inflammation")]["hypothesis"] is True
    elif fmt == "tsv":
        rows = tsv_rows(result.stdout)
        assert len(rows) == 5
        assert {r["species"] for r in rows} == {"human", "rat", ""}
        assert {r["verified"] for r in rows} == {"yes"}
    else:
        assert result.stdout.startswith("rapamycin  (CHEBI:9168, chemical, id verified)")
        assert "outgoing edges (5):" in result.stdout
        assert "The response lasted longer." in result.stdout


def test_show_resolves_by_curie_and_label(runner):
    assert run(runner, "show", "go:0031931", "--format", "json").exit_code == 0
    result = run(runner, "show", "TORC1 complex", "--format", "json")
    assert json.loads(result.stdout)["entity"]["key"] == "mtorc1"


def test_show_unknown_entity_suggests_and_exits_2(runner):
    result = run(runner, "show", "mtorc")
    assert result.exit_code == 2
    assert result.stderr.strip() == ("error: unknown entity 'mtorc' (did you mean 'mtorc1'?); "
                                     "`mtorgraph entities` lists them")
    assert result.stdout == ""


@pytest.mark.parametrize("fmt", FORMATS)
def test_edges_filters(runner, fmt):
    result = run(runner, "edges", "--subject", "rapamycin", "--object", "ketamine's antidepressant response",
                 "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        preds = sorted(e["predicate"] for e in json.loads(result.stdout))
        assert preds == ["increases", "inhibits", "no_effect_on"]
    elif fmt == "tsv":
        rows = tsv_rows(result.stdout)
        assert sorted(r["predicate"] for r in rows) == ["increases", "inhibits", "no_effect_on"]
        assert {r["sign"] for r in rows} == {"1", "-1", "0"}
    else:
        assert result.stdout.count("ketamine_response") == 3


@pytest.mark.parametrize(("option", "value", "expected"), [
    ("--species", "human", 4),
    ("--species", "rat", 5),
    ("--evidence-kind", "rct", 3),
    ("--predicate", "inhibits", 2),
    ("--evidence-kind", "hypothesis", 1),
])
def test_edges_filter_counts(runner, option, value, expected):
    result = run(runner, "edges", option, value, "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == expected


def test_edges_rejects_unknown_predicate_as_usage_error(runner):
    result = run(runner, "edges", "--predicate", "blocks")
    assert result.exit_code == 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_audit(runner, fmt):
    result = run(runner, "audit", "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        claims = json.loads(result.stdout)["claims"]
        assert [c["id"] for c in claims] == ["C1", "C2"]
        assert claims[1]["verdict"] == "no_source_found" and claims[1]["references"] == []
        assert claims[0]["edges"][1]["evidence"][0]["p_value"] == "p = 0.04"
    elif fmt == "tsv":
        rows = tsv_rows(result.stdout)
        assert [r["verdict"] for r in rows] == ["partial", "no_source_found"]
    else:
        assert "C2 [no source found]" in result.stdout
        assert "C1 [partly supported]" in result.stdout
        assert "(response 41% vs 13%; p = 0.04)" in result.stdout


def test_audit_selects_claims(runner):
    result = run(runner, "audit", "c2", "--format", "json")
    assert [c["id"] for c in json.loads(result.stdout)["claims"]] == ["C2"]


def test_validate_uses_the_group_graph_option(runner):
    result = run(runner, "validate")
    assert result.exit_code == 0
    assert "ok, 0 errors, 1 warning" in result.stdout  # fixture_d is only partially verified


def test_help_lists_every_command(runner):
    result = runner.invoke(main, ["--help"])
    for command in ("info", "show", "edges", "validate", "audit"):
        assert f"  {command} " in result.stdout


def test_show_marks_partially_verified_evidence(runner):
    result = run(runner, "show", "inflammation", "--format", "tsv")
    [row] = [r for r in tsv_rows(result.stdout) if r["reference"] == "fixture_d"]
    assert row["verified"] == "partial"
