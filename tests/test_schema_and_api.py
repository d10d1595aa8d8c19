"""graphs/schema.json is current; the public API is complete; import layering holds."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import mtorgraph
from mtorgraph.io.schema import format_json_schema

from .conftest import ROOT

SRC = ROOT / "src" / "mtorgraph"


def test_schema_json_is_current():
    assert (ROOT / "graphs" / "schema.json").read_text() == format_json_schema(), "run `make schema`"


def test_schema_accepts_the_top_level_sections():
    schema = json.loads(format_json_schema())
    assert set(schema["properties"]) == {"entities", "references", "edges", "claims"}
    assert schema["additionalProperties"] is False


def test_public_api_is_sorted_and_importable():
    assert mtorgraph.__all__ == sorted(mtorgraph.__all__)
    for name in mtorgraph.__all__:
        assert getattr(mtorgraph, name) is not None


def test_the_pyarrow_free_table_names_are_the_schemas():
    from mtorgraph.columnar.schema import SCHEMAS
    from mtorgraph.columnar.version import TABLE_NAMES

    assert tuple(SCHEMAS) == TABLE_NAMES


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_heavy_libraries_stay_in_their_layer():
    allowed = {"rdflib": ("io",), "pyvis": ("views",), "networkx": ("analysis",)}
    for path in SRC.rglob("*.py"):
        layer = path.relative_to(SRC).parts[0]
        for lib, layers in allowed.items():
            if lib in _imports(path):
                assert layer in layers, f"{path.relative_to(ROOT)} imports {lib}"


def test_modules_stay_small():
    for path in SRC.rglob("*.py"):
        assert len(path.read_text().splitlines()) <= 450, f"{path.relative_to(ROOT)} is too long; split it"


def test_project_never_reads_the_shared_folder():
    forbidden = ("/".join(("..", "shared")), "/".join(("", "work", "shared")))
    for path in list(SRC.rglob("*.py")) + list((ROOT / "tests").rglob("*.py")) + [ROOT / "Makefile"]:
        text = path.read_text()
        assert not any(f in text for f in forbidden), path
