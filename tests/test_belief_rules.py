"""The belief rules of analysis/scoring.py, one test each, as the README states them."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from mtorgraph.analysis.explain import find_explanations
from mtorgraph.analysis.paths import find_paths
from mtorgraph.analysis.scoring import explain_belief, species_overlap
from mtorgraph.model import Context, Edge, Entity, Evidence, MechanismGraph, Reference
from mtorgraph.vocab import EVIDENCE_KINDS


def ev(ref, kind="animal_in_vivo", direction="supports", species=None, basis="own_result", experiment=None,
       timepoint=None):
    return Evidence(reference=ref, kind=kind, direction=direction, basis=basis, experiment=experiment,
                    context=Context(species=species, timepoint=timepoint), finding="f")


def graph(main, null=(), predicate="increases"):
    """a PREDICATE b with ``main`` evidence, plus a no_effect_on a→b with ``null`` evidence, and b→c."""
    items = [*main, *null]
    edges = [Edge(subject="a", predicate=predicate, object="b", evidence=tuple(main)),
             Edge(subject="b", predicate="increases", object="c", evidence=(ev("rz"),))]
    if null:
        edges.append(Edge(subject="a", predicate="no_effect_on", object="b", evidence=tuple(null)))
    refs = sorted({e.reference for e in items} | {"rz"})
    return MechanismGraph(
        entities=tuple(Entity(key=k, id=f"GO:000000{i}", label=k, name=k, kind="process") for i, k in enumerate("abc")),
        references=tuple(Reference(key=r, title=r, doi=f"10.5555/{r}", verified="yes") for r in refs),
        edges=tuple(edges))


def explained(g):
    return explain_belief(g, g.edges[0])


def rules_of(ex):
    return [x.rule for x in ex.left_out]


def test_a_hypothesis_never_counts_against():
    ex = explained(graph([ev("r1"), ev("r2", kind="hypothesis", direction="refutes")]))
    assert math.isclose(ex.belief, 0.7) and ex.refuting == ()
    assert rules_of(ex) == ["hypothesis_not_against"]
    nulled = explained(graph([ev("r1")], null=[ev("r3", kind="hypothesis")]))
    assert math.isclose(nulled.belief, 0.7) and rules_of(nulled) == ["hypothesis_not_against"]


def test_an_edge_with_only_refuting_evidence_has_belief_zero_leaves_search_and_explain_says_so():
    g = graph([ev("r1", direction="refutes")])
    ex = explained(g)
    assert ex.belief == 0.0 and ex.supporting == ()
    assert "no weighed supporting evidence: belief 0, so path search leaves this out" in ex.rules
    assert find_paths(g, "a", "c").paths == ()


def test_a_study_that_supports_and_refutes_an_edge_counts_on_both_sides():
    ex = explained(graph([ev("r1"), ev("r1", kind="in_vitro", direction="refutes")]))
    assert [w.reference for w in ex.supporting] == ["r1"] and [w.reference for w in ex.refuting] == ["r1"]
    assert math.isclose(ex.belief, 0.7 * (1 - 0.55))


def test_a_null_finding_does_not_lower_an_association_nor_is_lowered_by_signed_edges():
    g = graph([ev("r1", kind="meta_analysis")], null=[ev("r2", kind="rct")], predicate="associated_with")
    ex = explained(g)
    assert math.isclose(ex.belief, 0.85) and ex.refuting == ()
    assert "an association is not a claim of effect: null findings on the pair do not lower it" in ex.rules
    signed = graph([ev("r1")], null=[ev("r2", kind="rct")])
    null_edge = next(e for e in signed.edges if e.predicate == "no_effect_on")
    null_ex = explain_belief(signed, null_edge)
    assert math.isclose(null_ex.belief, 0.85) and null_ex.refuting == ()
    assert any("signed edges beside it do not lower it" in r for r in null_ex.rules)


def test_a_null_counts_only_where_species_overlap():
    assert species_overlap("rodent", "mouse") and species_overlap("rat", "rodent") and species_overlap(None, "human")
    assert not species_overlap("mouse", "rat") and not species_overlap("human", "rodent")
    human_null = [ev("r2", kind="rct", species="human", timepoint="24 h")]
    rat = explained(graph([ev("r1", species="rat")], null=human_null))
    assert math.isclose(rat.belief, 0.7) and rules_of(rat) == ["species_differ"]
    assert rat.left_out[0].reason == "r2 24 h null (human) not counted against rat evidence: species differ"
    human = explained(graph([ev("r1", species="rat"), ev("r3", kind="rct", species="human")], null=human_null))
    assert math.isclose(human.belief, (1 - 0.3 * 0.15) * 0.15)  # overlaps the human item: counts
    rodent = explained(graph([ev("r1", species="mouse")], null=[ev("r2", species="rodent")]))
    assert math.isclose(rodent.belief, 0.7 * 0.3)
    unstated = explained(graph([ev("r1", species="rat")], null=[ev("r2", kind="rct")]))
    assert math.isclose(unstated.belief, 0.7 * 0.15)  # an unstated species overlaps every species
    refuting = explained(graph([ev("r1", species="rat"), ev("r2", kind="rct", direction="refutes", species="human")]))
    assert math.isclose(refuting.belief, 0.7) and rules_of(refuting) == ["species_differ"]


def test_a_study_does_not_refute_itself_across_readouts_but_another_experiment_does():
    own = explained(graph([ev("r1", kind="rct", timepoint="2 weeks")], null=[ev("r1", kind="rct", timepoint="24 h")]))
    assert math.isclose(own.belief, 0.85) and rules_of(own) == ["own_study"]
    other = explained(graph([ev("r1", kind="rct", experiment="trial A")],
                            null=[ev("r1", kind="rct", experiment="trial B")]))
    assert math.isclose(other.belief, 0.85 * 0.15)


def test_cited_statements_and_title_only_references_never_weigh():
    ex = explained(graph([ev("r1"), ev("r2", basis="title_only"), ev("r3", kind="review", basis="cited_statement")],
                         null=[ev("r4", kind="rct", basis="cited_statement")]))
    assert [w.reference for w in ex.supporting] == ["r1"] and ex.refuting == ()
    assert math.isclose(ex.belief, 0.7)
    assert sorted(rules_of(ex)) == ["not_weighed"] * 3
    only_cited = explained(graph([ev("r3", kind="review", basis="cited_statement")]))
    assert only_cited.belief == 0.0


def test_one_study_counts_once_and_named_experiments_count_apart():
    same = explained(graph([ev("r1"), ev("r1", kind="in_vitro")]))
    assert math.isclose(same.belief, 0.7) and rules_of(same) == ["weaker_item"]
    apart = explained(graph([ev("r1", experiment="x"), ev("r1", experiment="y")]))
    assert math.isclose(apart.belief, 1 - 0.3 ** 2)
    assert [(w.reference, w.experiment) for w in apart.supporting] == [("r1", "x"), ("r1", "y")]


def test_explain_lists_rules_and_omissions_for_the_mini_paradox(mini):
    found = {e.edge.predicate: e.explanation for e in find_explanations(mini, "rapamycin", "ketamine_response")}
    assert math.isclose(found["inhibits"].belief, 0.7)  # the rat blockade keeps its rodent belief
    assert [x.rule for x in found["inhibits"].left_out] == ["species_differ"]
    assert [x.rule for x in found["increases"].left_out] == ["own_study"]


ITEMS = st.tuples(st.sampled_from(["r1", "r2", "r3"]), st.sampled_from(sorted(EVIDENCE_KINDS)),
                  st.sampled_from(["supports", "refutes"]), st.sampled_from([None, "human", "mouse", "rat", "rodent"]),
                  st.sampled_from(["own_result", "cited_statement", "title_only"]), st.sampled_from([None, "x", "y"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(ITEMS, min_size=1, max_size=6), st.lists(ITEMS, max_size=3))
def test_explain_accounts_for_every_item(main, nulls):
    """Each evidence item is counted (once per study) or left out with a reason; nothing vanishes."""
    make = lambda r, k, d, s, b, x: ev(r, kind=k, direction=d, species=s, basis=b, experiment=x)  # noqa: E731
    g = graph([make(*i) for i in main], null=[make(r, k, "supports", s, b, x) for r, k, _, s, b, x in nulls])
    ex = explained(g)
    accounted = len(ex.supporting) + len(ex.refuting) + len(ex.left_out)
    assert accounted == len(main) + len(nulls)
    assert all(x.reason for x in ex.left_out)
    assert math.isclose(ex.belief, ex.b_plus * (1 - ex.b_minus))
    assert all(w.kind != "hypothesis" for w in ex.refuting)
    assert len({(w.reference, w.experiment) for w in ex.supporting}) == len(ex.supporting)  # one study once
    weighed_support = [i for i in main if i[2] == "supports" and i[4] == "own_result"]
    assert (ex.belief == 0.0) == (not weighed_support or ex.b_minus == 1.0)
