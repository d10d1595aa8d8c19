"""``push``: upload the graph's RDF into a SPARQL store (the ``--endpoint`` option that lets the
reading commands ask the store is in :mod:`.store`).

Credentials come from ``MTORGRAPH_SPARQL_USER`` / ``MTORGRAPH_SPARQL_PASSWORD`` or ``~/.netrc``,
never from an option (see :mod:`mtorgraph.io.sparql_client`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import click

from .. import progress
from ..model import MechanismGraph
from .common import echo, pass_graph
from .store import client_options, make_client

__all__ = ["COMMANDS"]

CHUNK = 1 << 20


def _default_store(endpoint: str) -> str:
    """Oxigraph's layout: the Graph Store endpoint ``/store`` beside the query endpoint ``/query``."""
    parts = urlsplit(endpoint)
    if not parts.path.endswith("/query"):
        raise click.UsageError("give --store URL (the store's Graph Store HTTP Protocol endpoint); it is "
                               "guessed only for Oxigraph's layout, an --endpoint ending in /query")
    return urlunsplit((parts.scheme, parts.netloc, parts.path[: -len("query")] + "store", parts.query, ""))


def _chunks(path: Path, sent: list[int], shown: progress.Task) -> Callable[[], Iterator[bytes]]:
    """A fresh reader of ``path`` for each try; counts the lines (= triples) of the try that went through."""
    def read() -> Iterator[bytes]:
        sent[0] = 0
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                sent[0] += chunk.count(b"\n")
                shown.advance(len(chunk))
                yield chunk
    return read


@click.command()
@click.option("--store", metavar="URL", default=None,
              help="The store's Graph Store HTTP Protocol endpoint (default for Oxigraph: /store beside "
                   "--endpoint's /query).")
@client_options
@pass_graph
def push(graph: MechanismGraph, endpoint: str | None, graph_iri: str, allow_http: bool, request_timeout: float,
         retries: int, store: str | None) -> None:
    """Upload the graph's RDF (N-Triples, streamed) into a named graph of a SPARQL store, replacing
    what that graph held (a second push leaves the store as it was), then count the triples there.

    --endpoint is the store's query endpoint (used to count); --store its Graph Store endpoint.
    """
    from ..analysis.beliefs import belief_columns
    from ..io import write_graph

    if endpoint is None:
        raise click.UsageError("push needs --endpoint URL (the store's SPARQL query endpoint)")
    client = make_client(endpoint, graph_iri, allow_http, request_timeout, retries, store or _default_store(endpoint))
    with tempfile.TemporaryDirectory(prefix="mtorgraph-push-") as folder:
        with progress.task(f"exporting {len(graph.edges):,} edges as N-Triples"):
            path = write_graph(graph, Path(folder) / "graph.nt", "nt", belief_columns(graph).by_key(graph))
        size = path.stat().st_size
        sent = [0]
        with progress.task(f"pushing {size:,} bytes to {client.display_url(client.store or '')}", total=size) as shown:
            client.put_graph(graph_iri, _chunks(path, sent, shown))
    with progress.task("counting the triples in the store"):
        held = client.count(graph_iri)
    echo(f"pushed {sent[0]:,} triples into <{graph_iri}>; the store now holds {held:,} triples in that graph")
    if held != sent[0]:
        echo(f"warning: the store holds {held:,} triples in <{graph_iri}>, not the {sent[0]:,} sent "
             "(a store that rewrites literals or drops duplicates counts differently)", err=True)


COMMANDS = [push]
