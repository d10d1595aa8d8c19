"""The JSON Schema of curated YAML files, generated from the models.

``graphs/schema.json`` is this schema; editors use it (through the ``yaml-language-server``
comment at the top of each file) for completion and red squiggles, and a test keeps the file
current. Regenerate with ``make schema`` (``python -m mtorgraph.io.schema > graphs/schema.json``).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from ..model import Claim, Edge, Entity, Reference

__all__ = ["format_json_schema", "to_json_schema"]


def _without_key(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/$defs/{model}")
    schema["properties"].pop("key", None)
    schema["required"] = [r for r in schema.get("required", []) if r != "key"]
    return schema


def _hoist(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    defs.update(schema.pop("$defs", {}))
    return schema


def to_json_schema() -> dict[str, Any]:
    """A JSON Schema accepting any curated file: entities, references, edges and claims sections."""
    defs: dict[str, Any] = {}
    entity = _hoist(_without_key(Entity), defs)
    reference = _hoist(_without_key(Reference), defs)
    edge = _hoist(Edge.model_json_schema(ref_template="#/$defs/{model}"), defs)
    claim = _hoist(Claim.model_json_schema(ref_template="#/$defs/{model}"), defs)
    defs.update({"Entity": entity, "Reference": reference, "Edge": edge, "Claim": claim})
    key = {"pattern": "^[a-z][a-z0-9_]*$"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "mtorgraph curated graph file",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "entities": {"type": "object", "propertyNames": key, "additionalProperties": {"$ref": "#/$defs/Entity"}},
            "references": {"type": "object", "propertyNames": key,
                           "additionalProperties": {"$ref": "#/$defs/Reference"}},
            "edges": {"type": "array", "items": {"$ref": "#/$defs/Edge"}},
            "claims": {"type": "array", "items": {"$ref": "#/$defs/Claim"}},
        },
        "$defs": dict(sorted(defs.items())),
    }


def format_json_schema() -> str:
    """The schema as the exact text of ``graphs/schema.json``."""
    return json.dumps(to_json_schema(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    print(format_json_schema(), end="")
