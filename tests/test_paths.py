"""Signed path queries: the Python API, the JSON contract, every CLI format, and properties
checked against an independent brute-force enumeration on random graphs."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtorgraph import load_graph
from mtorgraph.analysis.paths import find_paths, paths_to_json
from mtorgraph.analysis.signed_index import SignedIndex
from mtorgraph.analysis.signed_search import find_index_paths
from mtorgraph.cli import main
from mtorgraph.errors import MtorgraphError, UnknownEntityError
from mtorgraph.model import Context, Edge, Entity, Evidence, MechanismGraph, Reference

from .conftest import MINI

CAUSAL = {"activates": 1, "increases": 1, "inhibits": -1, "decreases": -1}


def run(runner, *args):
    return runner.invoke(main, ["--graph", str(MINI), *args])


def chain(path):
    return [(s.subject, s.predicate, s.object) for s in path.steps]


def make_graph(n_entities, edges, kinds=None):
    """A graph over entities e0..e{n-1}; ``edges`` are (subject, predicate, object, reference)."""
    refs = sorted({r for *_, r in edges} | {"r0"})
    return MechanismGraph(
        entities=tuple(Entity(key=f"e{i}", id=f"GO:{i:07d}", label=f"e{i}", name=f"e{i}", kind="process")
                       for i in range(n_entities)),
        references=tuple(Reference(key=r, title=r, doi=f"10.1000/{r}", verified="yes") for r in refs),
        edges=tuple(Edge(subject=f"e{s}", predicate=p, object=f"e{o}",
                         evidence=(Evidence(reference=r, kind=(kinds or {}).get(r, "animal_in_vivo"),
                                            finding="f"),))
                    for s, p, o, r in edges),
    )


# --- the mini graph -------------------------------------------------------------------------

def test_ketamine_chain_on_mini(mini):
    result = find_paths(mini, "ketamine", "depression")
    assert result.source == "ketamine" and result.target == "depression" and not result.truncated
    assert len(result.paths) == 1
    path = result.paths[0]
    assert path.sign == -1 and path.length == 4
    assert chain(path) == [("ketamine", "activates", "mtorc1"), ("mtorc1", "increases", "synaptogenesis"),
                           ("synaptogenesis", "increases", "ketamine_response"),
                           ("ketamine_response", "decreases", "depression")]
    assert path.steps[0].references == ("fixture_b",)
    assert path.steps[-1].references == ("fixture_c",)
    assert math.isclose(path.score, math.prod(s.belief for s in path.steps))
    assert [e.key for e in path.steps[0].edges] == [("ketamine", "activates", "mtorc1")]


def test_both_signs_rank_by_score_then_length(mini):
    result = find_paths(mini, "rapamycin", "depression")
    signs = sorted(p.sign for p in result.paths)
    assert signs == [-1, 1, 1]
    keys = [(-p.score, p.length) for p in result.paths]
    assert keys == sorted(keys)
    # the human trial's 'increases' beats the rat 'inhibits' (which a human null result weakens)
    assert chain(result.paths[0])[0] == ("rapamycin", "increases", "ketamine_response")


def test_sign_filter_and_bound(mini):
    neg = find_paths(mini, "rapamycin", "depression", sign="negative")
    assert [p.sign for p in neg.paths] == [-1]
    pos = find_paths(mini, "rapamycin", "depression", sign="positive")
    assert {tuple(chain(p)) for p in pos.paths} == {
        (("rapamycin", "inhibits", "mtorc1"), ("mtorc1", "increases", "synaptogenesis"),
         ("synaptogenesis", "increases", "ketamine_response"), ("ketamine_response", "decreases", "depression")),
        (("rapamycin", "inhibits", "ketamine_response"), ("ketamine_response", "decreases", "depression")),
    }
    short = find_paths(mini, "rapamycin", "depression", max_length=3)
    assert all(p.length <= 3 for p in short.paths) and len(short.paths) == 2
    assert find_paths(mini, "ketamine", "depression", max_length=3).paths == ()
    assert len(find_paths(mini, "rapamycin", "depression", limit=1).paths) == 1


def test_hypotheses_and_associations_only_on_request(mini):
    plain = find_paths(mini, "rapamycin", "depression", include_hypotheses=True, include_associations=False)
    assert all("inflammation" not in p.entities for p in plain.paths)
    both = find_paths(mini, "rapamycin", "depression", include_hypotheses=True, include_associations=True)
    unsigned = [p for p in both.paths if "inflammation" in p.entities]
    assert len(unsigned) == 1 and unsigned[0].sign == 0
    assert [s.predicate for s in unsigned[0].steps] == ["decreases", "associated_with"]
    no_hyp = find_paths(mini, "rapamycin", "depression", include_associations=True)
    assert all("inflammation" not in p.entities for p in no_hyp.paths)
    # no_effect_on is never a step
    assert all(s.predicate != "no_effect_on" for p in both.paths for s in p.steps)


def test_evidence_filters(mini):
    human = find_paths(mini, "rapamycin", "depression", species=["human"])
    assert [chain(p) for p in human.paths] == [[("rapamycin", "increases", "ketamine_response"),
                                                ("ketamine_response", "decreases", "depression")]]
    rodent = find_paths(mini, "rapamycin", "depression", species=["rat"])
    assert rodent.paths == ()  # the last step has human evidence only
    rct = find_paths(mini, "rapamycin", "depression", evidence_kinds=["rct"])
    assert [p.sign for p in rct.paths] == [-1]
    strong = find_paths(mini, "rapamycin", "depression", min_belief=0.75)
    assert all(s.belief >= 0.75 for p in strong.paths for s in p.steps)
    assert len(strong.paths) < len(find_paths(mini, "rapamycin", "depression").paths)


def test_parallel_same_sign_edges_are_one_step():
    g = make_graph(3, [(0, "activates", 1, "ra"), (0, "increases", 1, "rb"), (0, "inhibits", 1, "rc"),
                       (1, "increases", 2, "ra")])
    result = find_paths(g, "e0", "e2", limit=None)
    assert len(result.paths) == 2  # one per sign, never one per parallel edge
    positive = next(p for p in result.paths if p.sign == 1)
    step = positive.steps[0]
    assert step.predicate == "activates,increases"
    assert step.references == ("ra", "rb")
    assert len(step.edges) == 2
    assert math.isclose(step.belief, 1 - (1 - 0.7) ** 2)  # noisy-OR over both references
    data = paths_to_json(result)
    assert data["paths"][0]["steps"][0]["references"] == ["ra", "rb"]


def test_errors(mini):
    with pytest.raises(UnknownEntityError, match="mtorc1"):
        find_paths(mini, "mtorc", "depression")
    for kwargs in ({"sign": "up"}, {"max_length": 0}, {"limit": 0}, {"species": ["dog"]},
                   {"evidence_kinds": ["anecdote"]}, {"min_belief": 2.0}):
        with pytest.raises(MtorgraphError):
            find_paths(mini, "rapamycin", "depression", **kwargs)
    assert find_paths(mini, "rapamycin", "rapamycin").paths == ()


def test_timeout_marks_truncated(mini):
    result = find_paths(mini, "rapamycin", "depression", timeout=1e-9)
    assert result.truncated is True
    assert paths_to_json(result)["truncated"] is True


# --- JSON contract and CLI --------------------------------------------------------------------

def test_json_contract(mini):
    data = paths_to_json(find_paths(mini, "rapamycin", "depression"))
    assert list(data) == ["source", "target", "max_length", "paths", "truncated"]
    assert data["source"] == "rapamycin" and data["max_length"] == 4 and data["truncated"] is False
    for path in data["paths"]:
        assert list(path) == ["sign", "effect", "effect_words", "score", "length", "translational", "references",
                              "independent_studies", "steps"]
        assert path["sign"] in (-1, 0, 1) and path["length"] == len(path["steps"])
        assert path["effect"] == {1: "increases", -1: "decreases"}[path["sign"]]
        assert path["effect_words"] == {1: "would worsen depression", -1: "would relieve depression"}[path["sign"]]
        assert path["translational"] is False  # the mini graph has no structural links
        assert path["references"] == sorted({r for s in path["steps"] for r in s["references"]})
        assert path["independent_studies"] == len(path["references"])  # no experiments named in mini
        for step in path["steps"]:
            assert list(step) == ["subject", "predicate", "object", "sign", "belief", "references", "bridge",
                                  "cited", "refuted_by"]
            assert step["references"] == sorted(step["references"]) and step["references"]
            assert step["bridge"] is None
    json.dumps(data)


def test_cli_json(runner):
    result = run(runner, "paths", "ketamine", "depression", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [s["object"] for s in data["paths"][0]["steps"]] == ["mtorc1", "synaptogenesis",
                                                                 "ketamine_response", "depression"]
    assert data["paths"][0]["sign"] == -1


def test_cli_table(runner):
    result = run(runner, "paths", "sirolimus", "depression")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "rapamycin → depression: 3 paths" in out
    assert "rapamycin -inhibits-> mtorc1 -increases-> synaptogenesis -increases-> ketamine_response" in out
    assert "1. −" in out and "2. +" in out
    assert "fixture_c" in out


def test_cli_tsv(runner):
    result = run(runner, "paths", "rapamycin", "depression", "--format", "tsv", "--sign", "negative")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter="\t"))
    assert [r["predicate"] for r in rows] == ["increases", "decreases"]
    assert {r["path_sign"] for r in rows} == {"-1"}


def test_cli_filters_and_unsigned(runner):
    result = run(runner, "paths", "rapamycin", "depression", "--include-hypotheses", "--include-associations",
                 "--species", "human", "--format", "json")
    assert result.exit_code == 0, result.output
    assert sorted(p["sign"] for p in json.loads(result.stdout)["paths"]) == [-1]  # hypothesis has no species
    result = run(runner, "paths", "rapamycin", "depression", "--include-hypotheses", "--include-associations")
    assert "unsigned" in result.stdout


def test_cli_truncated_and_empty(runner):
    result = run(runner, "paths", "rapamycin", "depression", "--timeout", "0.000000001")
    assert result.exit_code == 0
    assert "TRUNCATED" in result.stdout and "truncated" in result.stderr
    result = run(runner, "paths", "ketamine", "depression", "--max-length", "2")
    assert result.exit_code == 0 and "0 paths" in result.stdout and "no path" in result.stdout


def test_cli_errors(runner):
    result = run(runner, "paths", "ketamin", "depression")
    assert result.exit_code == 2 and "did you mean 'ketamine'" in result.stderr
    result = run(runner, "paths", "rapamycin", "depression", "--species", "dog")
    assert result.exit_code == 2 and "unknown species 'dog'" in result.stderr
    assert run(runner, "paths", "rapamycin", "depression", "--sign", "up").exit_code == 2


# --- the bundled graph ------------------------------------------------------------------------

def test_bundled_ketamine_chain():
    result = find_paths(load_graph(None), "ketamine", "depression")
    chains = [[s.object for s in p.steps] for p in result.paths]
    hit = [i for i, c in enumerate(chains) if c[0] == "mtorc1" and "synaptogenesis" in c and c[-1] == "depression"]
    assert hit, chains
    path = result.paths[hit[0]]
    assert path.sign == -1 and hit[0] < 10
    assert all(s.references for s in path.steps)


# --- properties against brute force -----------------------------------------------------------

def brute_force(graph, source, target, max_length, include_associations=False):
    """Every simple path as a tuple of (subject, object, sign) steps, by plain recursion."""
    steps = set()
    for e in graph.edges:
        if e.subject == e.object:
            continue
        if e.predicate in CAUSAL or (include_associations and e.predicate == "associated_with"):
            steps.add((e.subject, e.object, e.sign))
    out = {}
    for s, o, sign in steps:
        out.setdefault(s, []).append((o, sign))
    found = set()

    def walk(node, seen, path):
        if node == target and path:
            found.add(tuple(path))
            return
        if len(path) == max_length:
            return
        for nxt, sign in out.get(node, ()):
            if nxt not in seen:
                walk(nxt, seen | {nxt}, path + [(node, nxt, sign)])

    if source != target:
        walk(source, {source}, [])
    return found


edge_lists = st.lists(st.tuples(st.integers(0, 5), st.sampled_from([*CAUSAL, "associated_with"]),
                                st.integers(0, 5), st.sampled_from(["ra", "rb", "rc"])),
                      max_size=18, unique_by=lambda e: (e[0], e[1], e[2]))


@settings(max_examples=120, deadline=None)
@given(edges=edge_lists, source=st.integers(0, 5), target=st.integers(0, 5), bound=st.integers(1, 5),
       assoc=st.booleans())
def test_paths_equal_brute_force(edges, source, target, bound, assoc):
    g = make_graph(6, edges)
    result = find_paths(g, f"e{source}", f"e{target}", max_length=bound, limit=None, include_associations=assoc)
    got = set()
    for p in result.paths:
        entities = p.entities
        assert len(set(entities)) == len(entities) and p.length <= bound           # simple, bounded
        assert entities[0] == f"e{source}" and entities[-1] == f"e{target}"
        assert p.sign == math.prod(s.sign for s in p.steps)                         # sign = product
        assert math.isclose(p.score, math.prod(s.belief for s in p.steps))
        got.add(tuple((s.subject, s.object, s.sign) for s in p.steps))
    assert len(got) == len(result.paths)                                           # no duplicates
    assert got == brute_force(g, f"e{source}", f"e{target}", bound, assoc)
    negative = find_paths(g, f"e{source}", f"e{target}", max_length=bound, limit=None, sign="negative",
                          include_associations=assoc)
    assert [p for p in result.paths if p.sign == -1] == list(negative.paths)     # exactly the subset
    positive = find_paths(g, f"e{source}", f"e{target}", max_length=bound, limit=None, sign="positive",
                          include_associations=assoc)
    assert [p for p in result.paths if p.sign == 1] == list(positive.paths)


@settings(max_examples=150, deadline=None)
@given(edges=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), st.sampled_from([1, -1, 0]),
                                st.sampled_from([0.2, 0.5, 0.7, 0.9])), max_size=30,
                      unique_by=lambda e: (e[0], e[1], e[2])),
       bound=st.integers(1, 5), limit=st.integers(1, 6), signs=st.sampled_from([(1, -1, 0), (1,), (-1,), (0,)]))
def test_index_top_k_matches_full_ranking(edges, bound, limit, signs):
    edges = [e for e in edges if e[0] != e[1]]
    index = SignedIndex.from_arrays(8, [e[0] for e in edges], [e[1] for e in edges], [e[2] for e in edges],
                                    [e[3] for e in edges])
    full = find_index_paths(index, 0, 7, max_length=bound, signs=signs, limit=None).paths
    top = find_index_paths(index, 0, 7, max_length=bound, signs=signs, limit=limit).paths
    assert list(top) == list(full[:limit])
    assert all(p.sign in signs for p in full)
    ranks = [(-p.score, p.length) for p in full]
    assert ranks == sorted(ranks)


def test_index_rejects_bad_input():
    with pytest.raises(ValueError):
        SignedIndex.from_arrays(2, [0], [5], [1], [0.5])
    with pytest.raises(ValueError):
        SignedIndex.from_arrays(2, [0], [1], [2], [0.5])
    index = SignedIndex.from_arrays(2, [0], [1], [1], [0.5])
    with pytest.raises(ValueError):
        find_index_paths(index, 0, 1, max_length=0)
    assert index.nbytes() > 0 and index.edge_count == 1


def test_context_type_is_used():
    # guard for make_graph: Context defaults are empty, so species filters drop every edge
    g = make_graph(2, [(0, "increases", 1, "ra")])
    assert g.edges[0].evidence[0].context == Context()
    assert find_paths(g, "e0", "e1", species=["human"]).paths == ()
