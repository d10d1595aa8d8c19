"""Limits on what a reader or a query may cost, so hostile input is refused fast.

Every limit has a default and an environment variable that overrides it (read at each call, so a
running program and tests can change them). Functions that take a ``limits`` argument use
:func:`current_limits` when it is ``None``.

>>> Limits().max_alias_nodes
100000
>>> current_limits({"MTORGRAPH_SPARQL_MAX_ROWS": "10"}).sparql_max_rows
10
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from ..errors import MtorgraphError

__all__ = ["ENVIRONMENT", "Limits", "current_limits"]


@dataclass(frozen=True)
class Limits:
    """Limits applied to input files and SPARQL queries.

    :param max_file_bytes: largest input file read whole (curated YAML, JSON-LD, RDF/XML, TriG,
        INDRA JSON, a query file), and largest N-Triples or Turtle file the exact reader takes.
    :param max_table_bytes: largest input file read as a table or in blocks of lines (KGX TSV and
        JSON Lines, signed tables, N-Triples and Turtle exports read on columns): what their readers
        hold grows with the file no faster than the graph they build, so the limit is far higher.
    :param max_scalar_chars: longest single YAML value, and longest line of a YAML, N-Triples,
        Turtle or TriG file (checked before parsing, so a 50 MB value is refused at once).
    :param max_alias_nodes: how many nodes YAML aliases may add by repeating anchored data, per
        file (an alias "bomb" of nine anchors nine times each would add 387 million).
    :param max_depth: deepest nesting of YAML collections.
    :param sparql_timeout: seconds a SPARQL query may run.
    :param sparql_max_rows: most rows (or triples) a SPARQL query may return.
    :param sparql_max_memory: bytes of memory a SPARQL query may add (Linux, where the query runs
        in a child process).
    """

    max_file_bytes: int = 256 * 2**20
    max_table_bytes: int = 64 * 2**30
    max_scalar_chars: int = 2**20
    max_alias_nodes: int = 100_000
    max_depth: int = 100
    sparql_timeout: float = 30.0
    sparql_max_rows: int = 100_000
    sparql_max_memory: int = 2 * 2**30


#: The environment variable for each limit.
ENVIRONMENT: dict[str, str] = {f.name: "MTORGRAPH_" + f.name.upper() for f in fields(Limits)}


def current_limits(environ: Mapping[str, str] | None = None) -> Limits:
    """The defaults, overridden by any ``MTORGRAPH_<LIMIT>`` environment variable that is set.

    :raises MtorgraphError: if a variable is not a positive number.
    """
    env = os.environ if environ is None else environ
    changes: dict[str, float | int] = {}
    for field in fields(Limits):
        raw = env.get(ENVIRONMENT[field.name])
        if raw is None or not raw.strip():
            continue
        kind = float if field.type in ("float", float) else int
        try:
            value = kind(raw.strip().replace("_", ""))
        except ValueError:
            value = 0
        if value <= 0:
            raise MtorgraphError(f"{ENVIRONMENT[field.name]}={raw!r} is not a positive "
                                 f"{'number' if kind is float else 'whole number'}; unset it or fix it")
        changes[field.name] = value
    return replace(Limits(), **changes)
