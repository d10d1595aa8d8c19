"""`conflicts --budget`: the scan of every pair stops in time and says so."""

from __future__ import annotations

import json

from mtorgraph.cli import main


def test_a_generous_budget_changes_nothing(runner):
    plain = runner.invoke(main, ["conflicts", "--format", "json"])
    budgeted = runner.invoke(main, ["conflicts", "--budget", "600", "--format", "json"])
    assert plain.exit_code == budgeted.exit_code == 0
    assert json.loads(plain.stdout)["path_conflicts"]  # the bundled graph has some to find
    assert plain.stdout == budgeted.stdout
    assert "--budget" not in budgeted.stderr


def test_a_spent_budget_returns_what_was_found_and_warns(runner):
    result = runner.invoke(main, ["conflicts", "--budget", "0.000001", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["path_conflicts"] == []
    assert "the scan hit --budget" in result.stderr


def test_budget_with_a_pair_is_a_usage_mistake(runner):
    result = runner.invoke(main, ["conflicts", "rapamycin", "depression", "--budget", "5"])
    assert result.exit_code == 2
    assert "--budget bounds the scan" in result.output
