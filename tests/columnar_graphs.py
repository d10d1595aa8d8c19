"""A hypothesis strategy for random valid curated graphs, written as one YAML file.

The text mixes block and flow style, quoted and plain scalars (including words YAML 1.1 would read
as booleans), optional fields and every record kind, so readers and engines can be compared on it.
"""

from __future__ import annotations

import json

from hypothesis import strategies as st

from mtorgraph.vocab import ENTITY_KINDS, LOCAL_PREFIX

PREDICATES = ["activates", "inhibits", "increases", "decreases", "associated_with", "no_effect_on"]
EVIDENCE_KINDS = ["rct", "clinical_observational", "postmortem_human", "animal_in_vivo", "in_vitro",
                  "meta_analysis", "review", "regulatory", "hypothesis", "curator_inference"]
RELATIONS = ["part_of", "participates_in", "subclass_of", "model_of"]
VERDICTS = ["supported", "supported_with_caveats", "partial", "contradicted", "no_source_found"]
#: Words that stay strings in YAML 1.2 (the curated schema) but not in YAML 1.1.
PLAIN_WORDS = ["yes", "no", "on", "off", "Yes", "NO", "y", "n", "2 h", "p = 0.01", "one-two"]

_letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ÉéαβЖ0123456789.,;:'\"#&*!-%", min_size=1, max_size=12)
texts = _letters.filter(lambda t: t.strip() == t and t != "")


def _scalar(value: object, plain: bool) -> str:
    if isinstance(value, int):
        return str(value)
    if plain and value in PLAIN_WORDS:
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _text(draw) -> str:
    return draw(st.one_of(texts, st.sampled_from(PLAIN_WORDS)))


def _mapping(draw, record: dict[str, object], indent: str) -> list[str]:
    """A record in block or flow style (lists always in flow style)."""
    def value(v: object) -> str:
        if isinstance(v, dict):
            return "{" + ", ".join(f"{k}: {value(x)}" for k, x in v.items()) + "}"
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return _scalar(v, plain=True)
    if draw(st.booleans()):
        return [value(record)]
    return ["", *(f"{indent}{k}: {value(v)}" for k, v in record.items())]


def _item(draw, record: dict[str, object], indent: str) -> str:
    """A list item: ``- {flow}`` or a block mapping starting on the dash's line."""
    body = _mapping(draw, record, indent + "  ")
    if len(body) == 1:
        return f"{indent}- {body[0]}"
    return f"{indent}- " + "\n".join(body[1:]).lstrip()


@st.composite
def curated_graphs(draw, max_entities: int = 7, max_edges: int = 10) -> str:
    """The YAML text of a random graph that validates cleanly (warnings allowed)."""
    n = draw(st.integers(2, max_entities))
    kinds = draw(st.lists(st.sampled_from(sorted(ENTITY_KINDS)), min_size=n, max_size=n))
    lines = []
    if draw(st.booleans()):
        lines.append(f"title: {_scalar(_text(draw), True)}")
    lines.append("entities:")
    for i, kind in enumerate(kinds):
        prefix = ENTITY_KINDS[kind][0]
        record: dict[str, object] = {"id": f"{prefix}:{i}0", "label": f"label {i}", "name": f"Name{i} {_text(draw)}",
                                     "kind": kind}
        status = draw(st.sampled_from(["verified", "derived", "local", "unverified", None]))
        if status is not None:
            record["id_status"] = status
        if status in ("derived", "local") or prefix == LOCAL_PREFIX or draw(st.booleans()):
            record["note"] = _text(draw)
        if draw(st.booleans()):
            record["synonyms"] = [f"syn{i}-{j}" for j in range(draw(st.integers(1, 2)))]
        if draw(st.booleans()):
            record["xrefs"] = [f"MESH:D{i}"]
        lines.append(f"  e{i}: " + "\n".join(_mapping(draw, record, "    ")))
    n_refs = draw(st.integers(1, 3))
    lines.append("references:")
    for i in range(n_refs):
        record = {"title": _text(draw), "verified": draw(st.sampled_from(["yes", "partial", "no"]))}
        ident = draw(st.sampled_from(["doi", "pmid", "pmcid", "url"]))
        record[ident] = {"doi": f"10.5555/t.{i}", "pmid": str(i + 1), "pmcid": f"PMC{i + 1}",
                         "url": f"https://example.org/{i}"}[ident]
        if draw(st.booleans()):
            record["authors"] = draw(st.sampled_from(["Alpha A", "Alpha A, Beta B", "Gamma G et al."]))
        if draw(st.booleans()):
            record["year"] = draw(st.integers(1950, 2025))
        if draw(st.booleans()):
            record["seen_at"] = ["https://example.org/seen"]
        lines.append(f"  r{i}: " + "\n".join(_mapping(draw, record, "    ")))

    def evidence(k: int) -> list[dict[str, object]]:
        items = []
        for _ in range(k):
            ev: dict[str, object] = {"reference": f"r{draw(st.integers(0, n_refs - 1))}",
                                     "kind": draw(st.sampled_from(EVIDENCE_KINDS)), "finding": _text(draw)}
            context: dict[str, object] = {}
            if draw(st.booleans()):
                context["species"] = draw(st.sampled_from(["human", "mouse", "rat", "rodent"]))
            for field in draw(st.lists(st.sampled_from(["anatomy", "dose", "timepoint", "design"]), unique=True,
                                       max_size=2)):
                context[field] = _text(draw)
            if draw(st.booleans()):
                context["n"] = draw(st.integers(1, 500))
            if context:
                ev["context"] = context
            for field, choices in (("direction", ["supports", "refutes"]),
                                   ("basis", ["own_result", "cited_statement", "title_only"])):
                if draw(st.booleans()):
                    ev[field] = draw(st.sampled_from(choices))
            for field in ("effect", "p_value", "experiment"):
                if draw(st.integers(0, 3)) == 0:
                    ev[field] = _text(draw)
            items.append(ev)
        return items

    triples = draw(st.lists(st.tuples(st.integers(0, n - 1), st.sampled_from(PREDICATES), st.integers(0, n - 1)),
                            min_size=1, max_size=max_edges, unique=True))
    lines.append("edges:")
    for s, p, o in triples:
        lines += [f"  - subject: e{s}", f"    predicate: {p}", f"    object: e{o}", "    evidence:"]
        for ev in evidence(draw(st.integers(1, 3))):
            lines.append(_item(draw, ev, "      "))
        if draw(st.integers(0, 3)) == 0:
            lines.append(f"    note: {_scalar(_text(draw), True)}")
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.sampled_from(RELATIONS), st.integers(0, n - 1))
                          .filter(lambda t: t[0] != t[2]), max_size=3, unique=True))
    if pairs:
        lines.append("links:")
        for s, r, o in pairs:
            lines += [f"  - subject: e{s}", f"    relation: {r}", f"    object: e{o}", "    evidence:"]
            for ev in evidence(1):
                lines.append(_item(draw, ev, "      "))
    if draw(st.booleans()):
        lines.append("claims:")
        for i in range(draw(st.integers(1, 2))):
            s, p, o = triples[draw(st.integers(0, len(triples) - 1))]
            claim = {"id": f"C{i + 1}", "section": str(draw(st.integers(1, 5))), "statement": _text(draw),
                     "verdict": draw(st.sampled_from(VERDICTS)), "references": ["r0"], "edges": [f"e{s} {p} e{o}"]}
            lines.append(_item(draw, claim, "  "))
    if draw(st.booleans()):
        lines.append("questions:")
        lines.append(f"  - {{source: e0, target: e1, title: {_scalar(_text(draw), False)}}}")
    if draw(st.booleans()):
        lines.append("open_questions:")
        lines += ["  oq0:", f"    question: {_scalar(_text(draw), True)}", "    proposed_by: r0",
                  f"    statement: {_scalar(_text(draw), True)}", f"    would_test: {_scalar(_text(draw), True)}",
                  "    entities: [e0, e1]"]
    return "\n".join(lines) + "\n"
