"""The store behind ``--endpoint``: the options every reading command gains, and the part of the
store a command needs, fetched as a local graph (commands import this; ``push`` is in :mod:`.remote`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .. import progress
from ..io.sparql_client import DEFAULT_GRAPH_IRI, SparqlClient
from .common import GraphHandle

if TYPE_CHECKING:
    from ..model import MechanismGraph  # annotations only: `info` on a stored summary needs no pydantic

__all__ = ["RemoteStore", "client_options", "graph_for_entities", "graph_for_paths", "make_client",
           "pass_graph_or_store"]

F = TypeVar("F", bound=Callable[..., Any])

def client_options(func: F) -> F:
    """``--endpoint``, ``--graph-iri``, ``--allow-http``, ``--request-timeout`` and ``--retries``."""
    options = [
        click.option("--endpoint", metavar="URL", default=None,
                     help="A SPARQL 1.1 query endpoint to ask instead of a local graph (e.g. Oxigraph's "
                          "http://127.0.0.1:7878/query). Credentials: MTORGRAPH_SPARQL_USER and "
                          "MTORGRAPH_SPARQL_PASSWORD, or ~/.netrc."),
        click.option("--graph-iri", metavar="IRI", default=DEFAULT_GRAPH_IRI, show_default=True,
                     help="The named graph in the store that holds the graph."),
        click.option("--allow-http", is_flag=True,
                     help="Allow plain http:// to a host that is not this machine (https:// is the default)."),
        click.option("--request-timeout", type=click.FloatRange(min=0.0, min_open=True), default=60.0,
                     show_default=True, metavar="SECONDS", help="Seconds to wait for the store on each request."),
        click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True,
                     help="Further tries after a 5xx answer or a connection error (with back-off)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def make_client(endpoint: str, graph_iri: str, allow_http: bool, request_timeout: float, retries: int,
            store: str | None = None) -> SparqlClient:
    return SparqlClient(endpoint, store=store, graph_iri=graph_iri, allow_http=allow_http,
                        timeout=request_timeout, retries=retries)


class RemoteStore:
    """What a reading command gets instead of a graph when ``--endpoint`` is given."""

    def __init__(self, client: SparqlClient):
        self.client = client

    def sparql(self, query: str) -> Any:
        """The query's result from the store (see :func:`~mtorgraph.io.remote_graph.remote_sparql`)."""
        from ..io.remote_graph import remote_sparql

        with progress.task("asking the SPARQL store"):
            return remote_sparql(self.client, query)

    def around_paths(self, sources: list[str], targets: list[str], max_length: int) -> MechanismGraph:
        """The part of the store's graph that paths of at most ``max_length`` steps need."""
        from ..io.remote_graph import neighbourhood

        with progress.task("fetching the neighbourhood from the SPARQL store"):
            return neighbourhood(self.client, sources, targets, max_length)

    def around(self, names: list[str], *, outgoing: bool = True, incoming: bool = True) -> MechanismGraph:
        """The entities ``names`` with their edges (see :func:`~mtorgraph.io.remote_graph.entity_neighbourhood`)."""
        from ..io.remote_graph import entity_neighbourhood

        with progress.task("fetching the entities' edges from the SPARQL store"):
            return entity_neighbourhood(self.client, names, outgoing=outgoing, incoming=incoming)


def pass_graph_or_store(func: F) -> F:
    """Like :func:`~.common.pass_graph`, with the :func:`client_options`: the first argument is a
    :class:`RemoteStore` when ``--endpoint`` is given (the local graph is then never loaded)."""
    @click.pass_obj
    def wrapper(handle: GraphHandle, *args: Any, endpoint: str | None, graph_iri: str, allow_http: bool,
                request_timeout: float, retries: int, **kwargs: Any) -> Any:
        if endpoint is None:
            return func(handle.graph, *args, **kwargs)
        if handle.paths:
            raise click.UsageError("give --graph or --endpoint, not both")
        store = RemoteStore(make_client(endpoint, graph_iri, allow_http, request_timeout, retries))
        return func(store, *args, **kwargs)
    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return client_options(wrapper)  # type: ignore[return-value]


def graph_for_paths(graph: MechanismGraph | RemoteStore, source: str | None, target: str | None,
                    max_length: int) -> MechanismGraph:
    """``graph`` itself, or from a store the part that paths from ``source`` to ``target`` need.

    :raises click.UsageError: with a store and no pair (the whole store would be needed).
    """
    if not isinstance(graph, RemoteStore):
        return graph
    if source is None or target is None:
        raise click.UsageError("with --endpoint, give SOURCE and TARGET (a scan of every pair would download "
                               "the whole store)")
    return graph.around_paths([source], [target], max_length)


def graph_for_entities(graph: MechanismGraph | RemoteStore, names: list[str], command: str) -> MechanismGraph:
    """``graph`` itself, or from a store the entities ``names`` with their edges.

    :raises click.UsageError: with a store and no names (the whole store would be needed).
    """
    if not isinstance(graph, RemoteStore):
        return graph
    if not names:
        raise click.UsageError(f"{command} --endpoint needs the entities to start from (it does not download "
                               "the whole store)")
    return graph.around(names)


