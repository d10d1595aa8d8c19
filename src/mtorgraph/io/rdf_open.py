"""Opening an RDF export as validated columns: the model's rules checked on whole columns.

:func:`open_rdf_columns` is the registry's columns reader for N-Triples, Turtle and TriG. It takes
the columns the fast reader (:mod:`.rdf_read`) maps and checks what the model classes would check,
without building a model object per edge or evidence item; when a check fails it reads the file as
:func:`~mtorgraph.io.rdf_read.load_rdf_fast` does, so the problem is reported with the exact
reader's message.
"""

from __future__ import annotations

import os
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import ValidationError

from ..columnar.graph import ColumnarGraph
from ..errors import MtorgraphError
from . import rdf_read

__all__ = ["open_rdf_columns"]


def _text_ok(column: Any, required: bool) -> bool:
    """No empty string in a text column (and no null when ``required``): the model's ``min_length=1``."""
    if required and column.null_count:
        return False
    return not pc.any(pc.equal(pc.utf8_length(column), 0)).as_py()


#: The entity fields :func:`_entities_pass` checks, and how: ``table`` (by
#: :func:`~mtorgraph.columnar.checks.table_problems`: required, closed vocabulary, key pattern),
#: ``field`` (the model field's own constraints, on the distinct values), ``text`` (non-empty),
#: ``free`` (any value the column's type holds is valid), ``validator`` (the model's validator).
#: A test fails when the model gains a field or a validator this does not name.
ENTITY_FIELD_CHECKS = {"key": "table", "kind": "table", "id_status": "table", "id": "field", "label": "text",
                       "name": "text", "synonyms": "free", "note": "free", "xrefs": "validator"}


def _entities_pass(entities: pa.Table) -> bool:
    """The model's entity rules on whole columns (at 1M edges, 125k entities: validating them as
    records took 1.2-1.8 s). Raises ``ValidationError`` as the model would."""
    from typing import Annotated

    from pydantic import TypeAdapter

    from ..model import Entity

    for name, how in ENTITY_FIELD_CHECKS.items():
        column = entities.column(name)
        if how == "field":
            info = Entity.model_fields[name]
            distinct = pc.unique(column.drop_null()).to_pylist()
            TypeAdapter(list[Annotated[(info.annotation, *info.metadata)]]).validate_python(distinct)
        elif how == "text" and not _text_ok(column, True):
            return False
    xrefs = pc.unique(pc.list_flatten(entities.column("xrefs"))).to_pylist()
    if xrefs:  # the model's own validator, on one record holding every distinct xref
        Entity.model_validate({"key": "x", "id": "X:1", "label": "x", "name": "x", "kind": "process",
                               "xrefs": tuple(xrefs)})
    return True


def _passes_model_rules(graph: ColumnarGraph) -> bool:
    """Whether the columns pass every rule the model would check and the mapping does not.

    References and links are few: they are validated record by record with the model classes.
    Entities, edges and evidence are the bulk: their rules are whole-column checks (closed
    vocabularies and required values by :func:`~mtorgraph.columnar.checks.table_problems`, the
    entity rules by :func:`_entities_pass`, non-empty findings and experiments, ``n`` ≥ 1). Edge
    ends, evidence references, unique keys and what claims, questions and open questions name
    were checked by the mapping.
    """
    from pydantic import TypeAdapter

    from ..columnar.checks import table_problems
    from ..model import Reference, StructuralLink

    if table_problems(graph.tables) or not _entities_pass(graph.tables["entities"]):
        return False
    TypeAdapter(list[Reference]).validate_python(graph.model_fields_of("references"))
    for link in graph.links:
        StructuralLink.model_validate(link.model_dump())
    evidence = graph.tables["evidence"]
    if not (_text_ok(evidence.column("finding"), True) and _text_ok(evidence.column("experiment"), False)):
        return False
    n = evidence.column("n")
    if len(n) - n.null_count and pc.min(n).as_py() < 1:
        return False
    keys = [q.key for q in graph.open_questions]
    return len(set(keys)) == len(keys)


def open_rdf_columns(path: str | os.PathLike[str]) -> ColumnarGraph:
    """Open an RDF export as validated columns, never building a model object per edge or evidence item.

    Gives the graph :func:`~mtorgraph.io.rdf_read.load_rdf_fast` gives, as columns: if the fast mapping or a model rule
    fails, the file is read as that function reads it, which reports the problem with the
    exact reader's message.
    """
    found = rdf_read._fast(path)
    if found is not None:
        try:
            if _passes_model_rules(found):
                return found
        except (ValidationError, MtorgraphError, KeyError, ValueError, pa.ArrowException):
            pass
    return ColumnarGraph.from_model(rdf_read.load_rdf_fast(path))
