"""Read a graph from a SPARQL store without downloading it: run queries there, and fetch only the
part of the graph a question needs, as a small :class:`~mtorgraph.model.MechanismGraph`.

The store holds an mtorgraph RDF export (``mtorgraph push`` puts one there). Each edge is there
twice (see :mod:`mtorgraph.io.rdf_blocks`): the direct triple ``<s> mtg:inhibits <o>``, cheap
to follow, and an assertion node (``rdf:subject``/``rdf:predicate``/``rdf:object``, evidence
nodes) that carries what a belief needs. So:

* :func:`neighbourhood` expands breadth-first from the sources over the direct triples (forward)
  for ``ceil(L/2)`` levels and from the targets (backward) for ``floor(L/2)``, one batched
  ``VALUES`` query per level and side. Every edge of a path of at most ``L`` steps leaves a node
  of the forward side or enters a node of the backward side (its position is at most
  ``ceil(L/2)``, or the rest of the path after it is shorter than ``floor(L/2)``), so fetching
  *every* assertion and structural link out of the forward nodes and into the backward nodes
  gives every such path. A belief needs more than its edge: the other edges on the same pair
  (a ``no_effect_on`` null counts against a signed edge; parallel edges merge into one step) —
  all fetched too, because whole pairs are fetched — and each evidence's reference, fetched
  after. The result reads back through :func:`~mtorgraph.io.rdf.from_rdf`, so the same path
  search and beliefs run on it locally and give the answers they give on the whole graph.
* :func:`entity_neighbourhood` fetches the edges into and out of some entities (``show``,
  ``edges --subject/--object``).
* :func:`remote_sparql` sends a query with the project's prefixes declared and returns the same
  :class:`~mtorgraph.io.sparql.SparqlResult` as a local query.

Every IRI and literal in a query goes through :func:`~.sparql_client.iri_term` or
:func:`~.sparql_client.literal_term`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef

from ..errors import MtorgraphError, UnknownEntityError
from ..model import MechanismGraph
from ..vocab import PREDICATES, expand_curie
from .limits import ENVIRONMENT, current_limits
from .rdf import from_rdf
from .rdf_blocks import LINK_PREDICATES
from .rdf_vocab import PREFIXES
from .sparql import SparqlResult, _value, prepare_query
from .sparql_client import SparqlClient, iri_term, literal_term, values_block

__all__ = ["BATCH", "PREFIX_DECLARATIONS", "entity_neighbourhood", "neighbourhood", "remote_sparql",
           "resolve_remote"]

#: IRIs per ``VALUES`` block: small enough for any store's request limits, large enough to be few.
BATCH = 200

#: The project's prefixes as SPARQL ``PREFIX`` lines, put before every query sent.
PREFIX_DECLARATIONS = "".join(f"PREFIX {prefix}: {iri_term(iri)}\n" for prefix, iri in PREFIXES.items())

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_MTG = PREFIXES["mtg"]
#: Predicates of the direct triples a path can step along: the directed edges, and each structural
#: link's OBO/RDFS predicate (its Biolink twin would find the same neighbours).
_STEP_PREDICATES = tuple(iri_term(_MTG + p) for p in PREDICATES if p != "no_effect_on") + tuple(
    iri_term(obo) for obo, _biolink in LINK_PREDICATES.values())
#: What an entity or a reference record is made of (an entity's direct triples are left out).
_RECORD_PREDICATES = tuple(iri_term(iri) for iri in (
    _RDF + "type", "http://www.w3.org/2000/01/rdf-schema#label",
    *(_MTG + name for name in ("key", "name", "idStatus", "note", "synonyms", "xrefs", "title", "authors", "year",
                               "journal", "volume", "pages", "doi", "pmid", "pmcid", "url", "studyType", "verified",
                               "verificationNote", "seenAt"))))
_LIST_PREDICATES = tuple(iri_term(_MTG + name) for name in ("synonyms", "xrefs", "seenAt"))


def _batches(items: Iterable[str]) -> Iterable[list[str]]:
    batch: list[str] = []
    for item in sorted(items):
        batch.append(item)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


# ---- queries --------------------------------------------------------------------------------------

def _term(binding: dict[str, Any]) -> Any:
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if "datatype" in binding:
            return Literal(value, datatype=URIRef(binding["datatype"]))
        return Literal(value, lang=binding.get("xml:lang"))
    return Literal(str(value))


def remote_sparql(client: SparqlClient, query: str, max_rows: int | None = None) -> SparqlResult:
    """Run ``query`` on the store (the project's prefixes declared) and give the rows as a local
    :func:`~mtorgraph.io.sparql.find_sparql` gives them.

    The query is checked locally first (a syntax error is reported without a request); ``SERVICE``,
    ``FROM`` and ``GRAPH`` are the store's business here, so they are allowed.

    :raises MtorgraphError: on a syntax error, a failed request, or more than ``max_rows`` results.
    """
    max_rows = max_rows if max_rows is not None else current_limits().sparql_max_rows
    text = PREFIX_DECLARATIONS + query
    try:
        form = prepare_query(query).algebra.name
    except MtorgraphError as exc:
        if "refused" not in str(exc):
            raise
        from rdflib.plugins.sparql import prepareQuery

        form = prepareQuery(query, initNs=PREFIXES).algebra.name
    too_many = MtorgraphError(f"SPARQL query returned more than {max_rows:,} rows; add LIMIT, or raise the "
                              f"cap (max_rows, {ENVIRONMENT['sparql_max_rows']})")
    if form in ("ConstructQuery", "DescribeQuery"):
        graph = client.construct(text)
        if len(graph) > max_rows:
            raise too_many
        triples = sorted(graph, key=lambda t: tuple(str(x) for x in t))
        rows = [{"subject": _value(s, graph), "predicate": _value(p, graph), "object": _value(o, graph)}
                for s, p, o in triples]
        return SparqlResult(["subject", "predicate", "object"], rows, graph)
    answer = client.select(text)
    if form == "AskQuery" or "boolean" in answer:
        return SparqlResult(["ask"], [{"ask": bool(answer.get("boolean"))}])
    columns = [str(v) for v in answer.get("head", {}).get("vars", [])]
    bindings = answer.get("results", {}).get("bindings", [])
    if len(bindings) > max_rows:
        raise too_many
    rows = [{c: _value(_term(b[c]), None) if c in b else None for c in columns} for b in bindings]  # type: ignore[arg-type]
    return SparqlResult(columns, rows)


def _iris(client: SparqlClient, query: str, variable: str) -> set[str]:
    answer = client.select(query)
    return {b[variable]["value"] for b in answer.get("results", {}).get("bindings", [])
            if b.get(variable, {}).get("type") == "uri"}


def _step(client: SparqlClient, nodes: set[str], forward: bool) -> set[str]:
    """The neighbours of ``nodes`` one direct step forward (or backward)."""
    found: set[str] = set()
    pattern = "?u ?p ?n" if forward else "?n ?p ?u"
    for batch in _batches(nodes):
        query = (f"SELECT DISTINCT ?n WHERE {{ {values_block('u', map(iri_term, batch))} "
                 f"{values_block('p', _STEP_PREDICATES)} {pattern} . FILTER(isIRI(?n)) }}")
        found |= _iris(client, query, "n")
    return found


def _fetch_statements(client: SparqlClient, nodes: set[str], end: str, into: Graph) -> None:
    """Every assertion and link node whose ``rdf:subject`` (or ``rdf:object``) is one of ``nodes``,
    with its evidence nodes."""
    for batch in _batches(nodes):
        query = (f"{PREFIX_DECLARATIONS}CONSTRUCT {{ ?a ?p ?o . ?ev ?q ?w }} WHERE {{ "
                 f"{values_block('u', map(iri_term, batch))} ?a rdf:{end} ?u . "
                 "{ ?a ?p ?o } UNION { ?a mtg:evidence ?ev . ?ev ?q ?w } }")
        into += client.construct(query)


def _fetch_records(client: SparqlClient, nodes: set[str], into: Graph) -> None:
    """The records (type, key, names, lists …) of entities and references, without their edges."""
    for batch in _batches(nodes):
        query = (f"{PREFIX_DECLARATIONS}CONSTRUCT {{ ?x ?p ?o . ?n rdf:first ?f ; rdf:rest ?r }} WHERE {{ "
                 f"{values_block('x', map(iri_term, batch))} "
                 f"{{ {values_block('p', _RECORD_PREDICATES)} ?x ?p ?o }} UNION "
                 f"{{ {values_block('lp', _LIST_PREDICATES)} ?x ?lp ?l . ?l rdf:rest* ?n . "
                 "?n rdf:first ?f ; rdf:rest ?r } }")
        into += client.construct(query)


def _as_graph(rdf: Graph, client: SparqlClient) -> MechanismGraph:
    """Add the records every fetched statement needs, and read the lot back as a graph."""
    ends = {str(o) for p in (URIRef(_RDF + "subject"), URIRef(_RDF + "object")) for o in rdf.objects(None, p)}
    references = {str(o) for o in rdf.objects(None, URIRef(_MTG + "reference"))}
    _fetch_records(client, {iri for iri in ends | references if iri not in _known(rdf)}, rdf)
    return from_rdf(rdf, source=client.display_url(client.endpoint))


def _known(rdf: Graph) -> set[str]:
    return {str(s) for s in rdf.subjects(URIRef(_MTG + "key"), None)}


def resolve_remote(client: SparqlClient, name: str) -> str:
    """The IRI of the entity ``name`` means in the store, by the rules of
    :meth:`~mtorgraph.model.MechanismGraph.resolve` (key or CURIE first, then label, name or synonym,
    any case).

    :raises UnknownEntityError: if no entity in the store matches (no did-you-mean: that would need
        every name in the store).
    """
    wanted = name.strip().lower()
    candidates: set[str] = set()
    iri = None
    try:
        iri = expand_curie(name.strip())
        iri_term(iri)
    except (KeyError, ValueError, MtorgraphError):
        iri = None
    if iri is not None:
        candidates |= _iris(client, f"{PREFIX_DECLARATIONS}SELECT ?e WHERE {{ {values_block('e', [iri_term(iri)])} "
                                    "?e a mtg:Entity }", "e")
    # a key that matches exactly wins outright; otherwise every case-insensitive match is a candidate
    exact = _iris(client, f"{PREFIX_DECLARATIONS}SELECT ?e WHERE {{ ?e mtg:key {literal_term(wanted)} ; "
                          "a mtg:Entity }", "e")
    if not exact:
        lowered = literal_term(wanted)
        candidates |= _iris(client, (
            f"{PREFIX_DECLARATIONS}SELECT DISTINCT ?e WHERE {{ ?e a mtg:Entity . "
            "{ ?e mtg:key|rdfs:label|mtg:name ?v } UNION { ?e mtg:synonyms/rdf:rest*/rdf:first ?v } "
            f"FILTER(LCASE(STR(?v)) = {lowered}) }}"), "e")
    candidates |= exact
    if not candidates:
        raise UnknownEntityError(name, [])
    rdf = Graph()
    _fetch_records(client, candidates, rdf)
    found = from_rdf(rdf, source=client.display_url(client.endpoint)).resolve(name)
    return expand_curie(found.id)


def neighbourhood(client: SparqlClient, sources: Iterable[str], targets: Iterable[str],
                  max_length: int) -> MechanismGraph:
    """The part of the store's graph that holds every path of at most ``max_length`` steps from a
    source to a target (names resolve as ``paths`` resolves them), with what their beliefs need.

    :raises UnknownEntityError: if a name matches no entity in the store.
    """
    if max_length < 1:
        raise MtorgraphError(f"--max-length must be at least 1, not {max_length}")
    forward_levels, backward_levels = (max_length + 1) // 2, max_length // 2
    start = {resolve_remote(client, n) for n in sources}
    finish = {resolve_remote(client, n) for n in targets}
    rdf = Graph()
    for seeds, levels, forward in ((start, forward_levels, True), (finish, backward_levels, False)):
        seen, frontier = set(seeds), set(seeds)
        expanded: set[str] = set()
        for level in range(levels):
            expanded |= frontier
            if level + 1 < levels:
                frontier = _step(client, frontier, forward) - seen
                seen |= frontier
        _fetch_statements(client, expanded, "subject" if forward else "object", rdf)
    _fetch_records(client, (start | finish) - _known(rdf), rdf)
    return _as_graph(rdf, client)


def entity_neighbourhood(client: SparqlClient, names: Iterable[str], *, outgoing: bool = True,
                         incoming: bool = True) -> MechanismGraph:
    """The entities ``names`` (resolved in the store), the edges and links out of and into them
    with their evidence, and the entities and references those need."""
    nodes = {resolve_remote(client, n) for n in names}
    rdf = Graph()
    if outgoing:
        _fetch_statements(client, nodes, "subject", rdf)
    if incoming:
        _fetch_statements(client, nodes, "object", rdf)
    _fetch_records(client, nodes, rdf)
    return _as_graph(rdf, client)
