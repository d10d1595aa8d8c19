"""Turn pydantic validation errors on curated records into stable problem codes and hints."""

from __future__ import annotations

from typing import Any

from ..errors import did_you_mean
from typing import get_args

from ..model import (Claim, Context, Edge, Entity, Evidence, EvidenceBasis, IdStatus, LinkRelation, OpenQuestion,
                     Question, Reference, StructuralLink, Verdict)
from ..vocab import ENTITY_KINDS, EVIDENCE_KINDS, PREDICATES, SPECIES

__all__ = ["explain_validation_error"]

_MODELS = {"entities": Entity, "references": Reference, "edges": Edge, "claims": Claim,
           "links": StructuralLink, "open_questions": OpenQuestion, "questions": Question}

#: Allowed values for closed fields, by field name, for hints.
_CLOSED = {
    "predicate": ("unknown-predicate", tuple(PREDICATES)),
    "kind@evidence": ("unknown-evidence-kind", tuple(EVIDENCE_KINDS)),
    "kind@entities": ("unknown-entity-kind", tuple(ENTITY_KINDS)),
    "species": ("unknown-species", tuple(SPECIES)),
    "verdict": ("unknown-verdict", get_args(Verdict)),
    "relation": ("unknown-relation", get_args(LinkRelation)),
    "basis": ("invalid-value", get_args(EvidenceBasis)),
    "verified": ("invalid-value", ("yes", "partial", "no")),
    "direction": ("invalid-value", ("supports", "refutes")),
    "id_status": ("invalid-value", get_args(IdStatus)),
}

#: Malformed identifiers, by field name: (code, what a good one looks like).
_PATTERNS = {
    "doi": ("malformed-doi", "a bare DOI such as 10.1126/science.1190287 (no https://doi.org/)"),
    "pmid": ("malformed-pmid", "digits only, quoted, such as \"20724638\""),
    "pmcid": ("malformed-pmcid", "PMC followed by digits, such as PMC3116441"),
    "id": ("malformed-curie", "PREFIX:local, such as CHEBI:9168"),
    "xrefs": ("malformed-curie", "PREFIX:local, such as MESH:D020123"),
    "url": ("malformed-url", "an http(s) address"),
    "subject": ("invalid-key", "an entity key: lower-case letters, digits and _"),
    "object": ("invalid-key", "an entity key: lower-case letters, digits and _"),
    "reference": ("invalid-key", "a reference key: lower-case letters, digits and _"),
    "proposed_by": ("invalid-key", "a reference key: lower-case letters, digits and _"),
    "source": ("invalid-key", "an entity key: lower-case letters, digits and _"),
    "target": ("invalid-key", "an entity key: lower-case letters, digits and _"),
    "key": ("invalid-key", "lower-case letters, digits and _, starting with a letter"),
}


def _allowed_keys(section: str, loc: tuple[Any, ...]) -> list[str]:
    model: Any = _MODELS[section]
    for part in loc[:-1]:
        if part == "evidence":
            model = Evidence
        elif part == "context":
            model = Context
    return sorted(k for k in model.model_fields if k != "key")


def explain_validation_error(section: str, err: dict[str, Any], label: str) -> tuple[str, str, str, bool] | None:
    """Map one pydantic error to ``(code, message, hint, points_at_key)``.

    ``points_at_key`` says whether the location is the key (unknown keys) rather than the value.
    Returns ``None`` for an error that only echoes others (an evidence list whose items failed).
    ``label`` names the record (``edges[3]``) and prefixes the message.
    """
    loc = tuple(err["loc"])
    kind = err["type"]
    where = label + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)
    field = next((p for p in reversed(loc) if isinstance(p, str)), "")
    value = err.get("input")

    if kind == "extra_forbidden":
        allowed = _allowed_keys(section, loc)
        close = did_you_mean(str(loc[-1]), allowed)
        hint = f"did you mean {close[0]!r}?" if close else f"allowed keys: {', '.join(allowed)}"
        parent = where.rsplit(".", 1)[0]
        return "unknown-key", f"{parent}: unknown key {loc[-1]!r}", hint, True
    if kind == "missing":
        if field == "evidence":
            return "missing-evidence", f"{label}: edge has no evidence", "add at least one evidence item citing a reference", False
        parent = where.rsplit(".", 1)[0]
        return "missing-key", f"{parent}: missing required key {field!r}", f"add '{field}:'", False
    if kind == "too_short" and field == "evidence":
        if value:  # items were given but failed: their own errors say why
            return None
        return "missing-evidence", f"{label}: edge has no evidence", "add at least one evidence item citing a reference", False
    if kind == "literal_error":
        closed_key = field
        if field == "kind":
            closed_key = "kind@evidence" if "evidence" in loc else "kind@entities"
        code, allowed = _CLOSED.get(closed_key, ("invalid-value", ()))
        close = did_you_mean(str(value), allowed)
        hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(allowed)}"
        return code, f"{where} {value!r} is not allowed", hint, False
    if kind == "string_pattern_mismatch":
        code, good = _PATTERNS.get(field, ("invalid-value", "see graphs/schema.json"))
        return code, f"{where} {value!r} is malformed", f"expected {good}", False
    if kind in ("string_type", "int_type", "bool_type", "tuple_type", "model_type", "dict_type"):
        wanted = {"string_type": "text (quote it)", "int_type": "a whole number", "bool_type": "true or false",
                  "tuple_type": "a list", "model_type": "a mapping", "dict_type": "a mapping"}[kind]
        return "wrong-type", f"{where} {value!r} has the wrong type", f"expected {wanted}", False
    message = err.get("msg", "invalid value")
    return "invalid-value", f"{where}: {message}", "see graphs/schema.json for the expected shape", False
