"""Belief: noisy-OR over evidence priors, one reference once, refutation, and ``explain``."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtorgraph.analysis.explain import find_explanations
from mtorgraph.analysis.scoring import edge_belief, explain_belief, path_score
from mtorgraph.cli import main
from mtorgraph.errors import MtorgraphError
from mtorgraph.model import Edge, Entity, Evidence, MechanismGraph, Reference
from mtorgraph.vocab import EVIDENCE_KINDS

from .conftest import MINI


def run(runner, *args):
    return runner.invoke(main, ["--graph", str(MINI), *args])


def graph_with(evidence, null=()):
    """a increases b with ``evidence`` ((reference, kind, direction) triples), plus a no_effect_on."""
    refs = sorted({r for r, _, _ in (*evidence, *null)})
    edges = [Edge(subject="a", predicate="increases", object="b",
                  evidence=tuple(Evidence(reference=r, kind=k, direction=d, finding="f") for r, k, d in evidence))]
    if null:
        edges.append(Edge(subject="a", predicate="no_effect_on", object="b",
                          evidence=tuple(Evidence(reference=r, kind=k, direction=d, finding="f") for r, k, d in null)))
    return MechanismGraph(
        entities=(Entity(key="a", id="GO:0000001", label="a", name="a", kind="process"),
                  Entity(key="b", id="GO:0000002", label="b", name="b", kind="process")),
        references=tuple(Reference(key=r, title=r, doi=f"10.1000/{r}", verified="yes") for r in refs),
        edges=tuple(edges))


def test_one_reference_counts_once_at_its_strongest():
    g = graph_with([("r1", "in_vitro", "supports"), ("r1", "animal_in_vivo", "supports"), ("r2", "review", "supports")])
    ex = explain_belief(g, g.edges[0])
    assert [(w.reference, w.kind, w.prior) for w in ex.supporting] == [("r1", "animal_in_vivo", 0.7),
                                                                       ("r2", "review", 0.5)]
    assert math.isclose(ex.belief, 1 - 0.3 * 0.5)
    assert ex.formula() == ("b+ = 1 - (1-0.70)(1-0.50) = 0.850; b- = 0; "
                            "belief = b+ * (1 - b-) = 0.850 * 1.000 = 0.850")


def test_refuting_evidence_and_null_findings_lower_belief():
    alone = graph_with([("r1", "animal_in_vivo", "supports")])
    refuted = graph_with([("r1", "animal_in_vivo", "supports"), ("r2", "in_vitro", "refutes")])
    nulled = graph_with([("r1", "animal_in_vivo", "supports")], null=[("r3", "rct", "supports")])
    base = edge_belief(alone, alone.edges[0])
    assert math.isclose(edge_belief(refuted, refuted.edges[0]), 0.7 * (1 - 0.55))
    ex = explain_belief(nulled, nulled.edges[0])
    assert math.isclose(ex.belief, 0.7 * (1 - 0.85)) and ex.belief < base
    assert ex.refuting[0].via == "a no_effect_on b"


def test_priors_live_in_vocab_with_a_rationale_and_can_be_overridden():
    for kind in EVIDENCE_KINDS.values():
        assert 0 < kind.prior < 1 and kind.rationale
    g = graph_with([("r1", "animal_in_vivo", "supports")])
    assert math.isclose(edge_belief(g, g.edges[0], {"animal_in_vivo": 0.4}), 0.4)


def test_path_score():
    assert path_score([]) == 1.0
    assert math.isclose(path_score([0.9, 0.5, 0.2]), 0.09)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["r1", "r2", "r3", "r4"]), st.sampled_from(sorted(EVIDENCE_KINDS)),
                          st.sampled_from(["supports", "refutes"])), min_size=1, max_size=6),
       st.tuples(st.sampled_from(["r5", "r6"]), st.sampled_from(sorted(EVIDENCE_KINDS))))
def test_belief_properties(evidence, extra):
    g = graph_with(evidence)
    ex = explain_belief(g, g.edges[0])
    assert 0.0 <= ex.belief <= 1.0
    assert math.isclose(ex.belief, ex.b_plus * (1 - ex.b_minus))
    assert len({w.reference for w in ex.supporting}) == len(ex.supporting)  # one reference once
    more = graph_with([*evidence, (extra[0], extra[1], "supports")])
    assert explain_belief(more, more.edges[0]).b_plus >= ex.b_plus  # more support never lowers b+
    less = graph_with([*evidence, (extra[0], extra[1], "refutes")])
    assert edge_belief(less, less.edges[0]) <= ex.belief + 1e-12   # refutation never raises belief


def test_find_explanations(mini):
    found = find_explanations(mini, "sirolimus", "ketamine_response")
    assert [e.edge.predicate for e in found] == ["increases", "inhibits", "no_effect_on"]
    inhibits = found[1].explanation
    assert inhibits.refuting == ()  # the human 24 h null result does not reach the rat evidence
    assert [(x.reference, x.rule) for x in inhibits.left_out] == [("fixture_c", "species_differ")]
    with pytest.raises(MtorgraphError, match="other way round"):
        find_explanations(mini, "mtorc1", "rapamycin")
    with pytest.raises(MtorgraphError, match="no edge"):
        find_explanations(mini, "depression", "ketamine")


def test_cli_explain_table(runner):
    result = run(runner, "explain", "rapamycin", "ketamine_response")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "rapamycin inhibits ketamine_response  (sign -1, belief 0.700)" in out
    assert "b+ = 1 - (1-0.70) = 0.700; b- = 0; belief = b+ * (1 - b-) = 0.700 * 1.000 = 0.700" in out
    assert "left out: fixture_c 24 h null (human) not counted against rat evidence: species differ" in out
    assert ("left out: fixture_c 24 h null (human) not counted: the same study supports this edge at another "
            "readout; one study does not refute itself") in out


def test_cli_explain_json_and_tsv(runner):
    result = run(runner, "explain", "ketamine", "mtorc1", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["subject"] == "ketamine" and data["object"] == "mtorc1"
    edge = data["edges"][0]
    assert edge["belief"] == 0.7 and edge["b_minus"] == 0
    assert edge["evidence"][0]["prior"] == 0.7 and edge["evidence"][0]["context"]["timepoint"] == "2 h"
    assert edge["supporting"] == [{"reference": "fixture_b", "experiment": None, "kind": "animal_in_vivo",
                                   "prior": 0.7, "via": "ketamine activates mtorc1"}]
    assert edge["bridge"] is None and edge["left_out"] == []
    assert edge["rules"] == ["noisy-OR over 1 supporting study, each study counted once at its strongest kind"]
    result = run(runner, "explain", "rapamycin", "ketamine_response", "--format", "tsv")
    rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter="\t"))
    assert [(r["predicate"], r["prior"]) for r in rows] == [("increases", "0.850"), ("inhibits", "0.700"),
                                                            ("no_effect_on", "0.850")]


def test_cli_explain_errors(runner):
    result = run(runner, "explain", "mtorc1", "rapamycin")
    assert result.exit_code == 1 and "rapamycin inhibits mtorc1" in result.stderr
