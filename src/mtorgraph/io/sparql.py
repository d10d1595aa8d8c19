"""SPARQL over a graph's RDF export, with the project's prefixes predeclared; offline and bounded.

Queries run over the graph itself and nothing else: ``SERVICE`` (any address, ``file:`` too),
``FROM``/``FROM NAMED`` and ``GRAPH`` patterns are refused before evaluation, and update forms
(``LOAD``, ``INSERT``, ``DROP`` …) are not SPARQL queries, so they do not parse. Where the
platform can fork (Linux, macOS), a query runs in a child process that is stopped after
``timeout`` seconds and may not grow its memory by more than ``Limits.sparql_max_memory``; every
query stops with an error past ``max_rows`` results (see :mod:`mtorgraph.io.limits`).

>>> from mtorgraph.io import load_graph
>>> g = load_graph("tests/data/mini.yaml")
>>> result = find_sparql(g, "SELECT ?o WHERE { ?s mtg:inhibits ?o . ?s mtg:key 'rapamycin' } ORDER BY ?o")
>>> result.columns, [row["o"] for row in result.rows]
(['o'], ['GO:0031931', 'entity:ketamine_response'])
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import BNode, Node

from ..errors import MtorgraphError
from ..model import MechanismGraph
from .files import read_input_text
from .limits import ENVIRONMENT, Limits, current_limits
from .rdf import to_rdf
from .rdf_vocab import PREFIXES

__all__ = ["SparqlResult", "find_sparql", "prepare_query", "read_query", "triples_text"]


@dataclass(frozen=True)
class SparqlResult:
    """Rows of a query: SELECT gives its variables; ASK one ``ask`` column; CONSTRUCT triples.

    ``graph`` holds the triples themselves for CONSTRUCT and DESCRIBE (``None`` otherwise).
    """

    columns: list[str]
    rows: list[dict[str, Any]]
    graph: Graph | None = None


def read_query(text: str) -> str:
    """The query itself: ``text``, or the contents of the file when ``text`` is ``@path``.

    The file must be a regular UTF-8 file under the size limit (a FIFO or device is refused).

    :raises MtorgraphError: (an :class:`~mtorgraph.errors.InputError`) if the file cannot be read.
    """
    if not text.startswith("@"):
        return text
    return read_input_text(text[1:])


def _value(node: Node | None, rdf: Graph) -> Any:
    """IRIs as prefixed names where a prefix fits (else the full IRI); literals as Python values."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        return _compact(str(node))
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        value = node.toPython()
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, (bool, int, float, str)):
            return value
        return str(node)
    return str(node)


_BY_LENGTH = sorted(PREFIXES.items(), key=lambda pair: -len(pair[1]))


def _compact(iri: str) -> str:
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace):]
            if "/" not in local and "#" not in local:
                return f"{prefix}:{local}"
    return iri


#: Algebra nodes refused, with the reason and the fix.
_REFUSED = {
    "ServiceGraphPattern": "SERVICE is refused: mtorgraph never queries other endpoints or files; "
                           "remove the SERVICE block",
    "DatasetClause": "FROM and FROM NAMED are refused: queries run over the graph itself; remove them",
    "Graph": "GRAPH patterns are refused: the graph has no named graphs; remove GRAPH and query the triples",
}


def prepare_query(query: str) -> Query:
    """Parse ``query`` with the project's prefixes and refuse what would leave the graph.

    :raises MtorgraphError: on a syntax error (quoting rdflib's message), or if the query uses
        ``SERVICE``, ``FROM``/``FROM NAMED`` or ``GRAPH``.
    """
    try:
        prepared = prepareQuery(query, initNs=PREFIXES)
    except Exception as exc:  # pyparsing and rdflib raise many types for bad queries
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise MtorgraphError(f"SPARQL query failed: {message}") from None
    stack: list[Any] = [prepared.algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name in _REFUSED:
                raise MtorgraphError(f"SPARQL query refused: {_REFUSED[node.name]}")
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    return prepared


def _evaluate(rdf: Graph, prepared: Query, max_rows: int) -> SparqlResult:
    """Run a prepared query in this process, stopping past ``max_rows`` results."""
    too_many = MtorgraphError(f"SPARQL query returned more than {max_rows:,} rows; add LIMIT, or raise the "
                              f"cap (max_rows, {ENVIRONMENT['sparql_max_rows']})")
    try:
        result = rdf.query(prepared)
        if result.type == "ASK":
            return SparqlResult(["ask"], [{"ask": bool(result.askAnswer)}])
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            if result.graph is not None and len(result.graph) > max_rows:
                raise too_many
            triples = sorted(result.graph, key=lambda t: tuple(str(x) for x in t)) if result.graph else []
            return SparqlResult(["subject", "predicate", "object"],
                                [{"subject": _value(s, rdf), "predicate": _value(p, rdf), "object": _value(o, rdf)}
                                 for s, p, o in triples],
                                result.graph if result.graph is not None else Graph())
        columns = [str(v) for v in result.vars or []]
        rows = []
        for row in result:
            if len(rows) >= max_rows:
                raise too_many
            rows.append({c: _value(row[c], rdf) for c in columns})  # type: ignore[index]
        return SparqlResult(columns, rows)
    except MtorgraphError:
        raise
    except MemoryError:
        raise MtorgraphError("SPARQL query needed more memory than allowed; add LIMIT or narrow the patterns, "
                             f"or raise {ENVIRONMENT['sparql_max_memory']}") from None
    except RecursionError:
        raise MtorgraphError("SPARQL query nests too deeply to evaluate; simplify it") from None
    except Exception as exc:  # errors raised while rows are computed
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise MtorgraphError(f"SPARQL query failed while running: {message}") from None


def _cap_memory(extra: int) -> None:
    """Limit this (child) process's address space to its current size plus ``extra`` bytes."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = current + extra
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ImportError, OSError, ValueError):  # not Linux: time and row limits still apply
        pass


def _child(rdf: Graph, prepared: Query, max_rows: int, max_memory: int, conn: Any) -> None:
    _cap_memory(max_memory)
    try:
        outcome: tuple[str, Any] = ("ok", _evaluate(rdf, prepared, max_rows))
    except MtorgraphError as exc:
        outcome = ("error", str(exc))
    except BaseException as exc:  # report, never hang the parent  # noqa: BLE001
        outcome = ("error", f"SPARQL query failed while running: {type(exc).__name__}: {exc}")
    try:
        conn.send(outcome)
    except MemoryError:
        conn.send(("error", "SPARQL result is too large to return; add LIMIT"))
    conn.close()


def _run_bounded(rdf: Graph, prepared: Query, timeout: float, max_rows: int, max_memory: int) -> SparqlResult:
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork (Windows): run here, bounded by rows only
        return _evaluate(rdf, prepared, max_rows)
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(rdf, prepared, max_rows, max_memory, send), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise MtorgraphError(f"SPARQL query ran longer than {timeout:g} s and was stopped; add LIMIT or "
                                 f"narrow the patterns, or raise the timeout ({ENVIRONMENT['sparql_timeout']})")
        try:
            status, payload = receive.recv()
        except EOFError:
            raise MtorgraphError("SPARQL query stopped without an answer (out of memory?); add LIMIT or "
                                 "narrow the patterns") from None
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()
    if status == "error":
        raise MtorgraphError(payload)
    assert isinstance(payload, SparqlResult)
    return payload


def find_sparql(graph: MechanismGraph | Graph, query: str, *, timeout: float | None = None,
                max_rows: int | None = None, limits: Limits | None = None) -> SparqlResult:
    """Run a SPARQL 1.1 query over the graph's RDF (prefixes ``mtg:``, ``biolink:``, ``rdf:``,
    ``rdfs:``, ``xsd:``, ``skos:``, ``assertion:``, ``evidence:``, ``reference:``, the CURIE
    prefixes … are predeclared), offline and bounded (see the module docstring).

    :param graph: a graph, or RDF already built with :func:`~mtorgraph.io.rdf.to_rdf`.
    :param timeout: seconds before the query is stopped (default ``Limits.sparql_timeout``, 30).
    :param max_rows: most rows or triples returned (default ``Limits.sparql_max_rows``, 100,000).
    :param limits: where the defaults come from (default :func:`~mtorgraph.io.limits.current_limits`).
    :raises MtorgraphError: on a syntax error (quoting rdflib's message), a refused form
        (``SERVICE``, ``FROM``, ``GRAPH``), a timeout, too many rows or too much memory.
    """
    limits = limits or current_limits()
    prepared = prepare_query(query)
    rdf = graph if isinstance(graph, Graph) else to_rdf(graph)
    return _run_bounded(rdf, prepared, timeout if timeout is not None else limits.sparql_timeout,
                        max_rows if max_rows is not None else limits.sparql_max_rows, limits.sparql_max_memory)


def triples_text(triples: Graph, fmt: str) -> str:
    """CONSTRUCT or DESCRIBE triples as Turtle (``turtle``, with the project's prefixes) or
    N-Triples (``nt``, one sorted line per triple)."""
    if fmt == "nt":
        return "".join(sorted(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples))
    out = Graph()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    for triple in triples:
        out.add(triple)
    return out.serialize(format="turtle")
