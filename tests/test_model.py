"""The model: frozen records, signs from predicates, referential integrity, name resolution."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mtorgraph import Edge, Evidence, MechanismGraph, UnknownEntityError
from mtorgraph.vocab import PREDICATES


def test_models_are_frozen(mini):
    with pytest.raises(ValidationError):
        mini.edges[0].predicate = "activates"


@pytest.mark.parametrize(("predicate", "sign", "causal"), [
    ("activates", 1, True), ("increases", 1, True), ("inhibits", -1, True), ("decreases", -1, True),
    ("associated_with", 0, False), ("no_effect_on", 0, False),
])
def test_sign_belongs_to_the_predicate(predicate, sign, causal):
    edge = Edge(subject="a", predicate=predicate, object="b",
                evidence=(Evidence(reference="r", kind="rct", finding="f"),))
    assert (edge.sign, edge.causal) == (sign, causal)
    assert PREDICATES[predicate].sign == sign


def test_edge_needs_evidence():
    with pytest.raises(ValidationError):
        Edge(subject="a", predicate="inhibits", object="b", evidence=())


def test_graph_rejects_dangling_keys(mini):
    bad = mini.edges[0].model_copy(update={"object": "nowhere"})
    with pytest.raises(ValidationError, match="'nowhere' is not an entity"):
        MechanismGraph(entities=mini.entities, references=mini.references, edges=(bad,))


def test_graph_rejects_duplicate_edges(mini):
    with pytest.raises(ValidationError, match="duplicate edge"):
        MechanismGraph(entities=mini.entities, references=mini.references, edges=(mini.edges[0], mini.edges[0]))


def test_hypothesis_flag(mini):
    flags = {e.label: e.is_hypothesis for e in mini.edges}
    assert flags["rapamycin decreases inflammation"] is True
    assert sum(flags.values()) == 1


def test_lookups(mini):
    assert [e.object for e in mini.edges_from("ketamine")] == ["mtorc1"]
    assert sorted(e.subject for e in mini.edges_to("mtorc1")) == ["ketamine", "rapamycin"]
    assert mini.edge("rapamycin", "no_effect_on", "ketamine_response").evidence[0].context.timepoint == "24 h"
    with pytest.raises(KeyError):
        mini.edge("rapamycin", "activates", "mtorc1")


@pytest.mark.parametrize("name", ["rapamycin", "RAPAMYCIN", "chebi:9168", "sirolimus", " Sirolimus "])
def test_resolve_by_key_curie_label_synonym(mini, name):
    assert mini.resolve(name).key == "rapamycin"


def test_resolve_suggests(mini):
    with pytest.raises(UnknownEntityError) as info:
        mini.resolve("ketamin")
    assert info.value.suggestions[0] == "ketamine"


def test_equal_graphs_compare_equal(mini):
    again = MechanismGraph(entities=mini.entities, references=mini.references, edges=mini.edges, claims=mini.claims)
    assert again == mini


def test_reference_links_and_citation(mini):
    ref = mini.reference("fixture_a")
    assert ref.links == {"doi": "https://doi.org/10.5555/fixture.a"}
    assert ref.short == "Alpha A et al. 2001"
    assert mini.reference("fixture_d").short == "fixture_d"


def test_graph_displays_inline_in_jupyter(mini):
    page = mini._repr_html_()
    assert page.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts' in page
    assert "&lt;script" in page and "ketamine_response" in page  # the escaped page, with the graph's data
