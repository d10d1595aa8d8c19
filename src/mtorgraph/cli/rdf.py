"""Commands for RDF: export (five formats) and sparql (queries over the export)."""

from __future__ import annotations

import click

from ..model import MechanismGraph
from ..views.text import format_count, format_json, format_rows
from .common import format_option, pass_graph

__all__ = ["COMMANDS"]

RDF_CHOICES = ["turtle", "nt", "jsonld", "trig", "xml"]


@click.command()
@click.option("--to", "fmt", type=click.Choice(RDF_CHOICES), default=None,
              help="RDF format. Default: from the suffix of FILE (.ttl .nt .jsonld .trig .rdf).")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=str),
              metavar="FILE", help="Where to write; '-' for stdout (then --to is needed, or Turtle is used).")
@pass_graph
def export(graph: MechanismGraph, fmt: str | None, output: str) -> None:
    """Export the graph as RDF: each edge as a direct triple plus an association node with its sign,
    belief and evidence (ECO types, publication IRIs, context). Reads back losslessly with --graph FILE.
    """
    from ..analysis.scoring import edge_beliefs
    from ..io import WRITERS, write_graph

    beliefs = edge_beliefs(graph)
    if output == "-":
        click.echo(WRITERS[fmt or "turtle"].resolve()(graph, beliefs), nl=False)
        return
    path = write_graph(graph, output, fmt, beliefs)
    size = path.stat().st_size
    chosen = fmt or next(name for name, f in WRITERS.items() if path.suffix.lower() in f.suffixes)
    click.echo(f"wrote {path} ({chosen}, {size:,} bytes, {len(graph.edges)} edges)", err=True)


@click.command()
@click.argument("query")
@format_option
@pass_graph
def sparql(graph: MechanismGraph, query: str, fmt: str) -> None:
    """Run a SPARQL query (text, or @FILE) over the graph's RDF.

    Prefixes mtg:, biolink:, rdf:, rdfs:, xsd:, skos:, assertion:, evidence:, reference:, entity:
    and the ontology CURIE prefixes (CHEBI:, GO:, ECO:, NCBITaxon:, …) are predeclared.
    """
    from ..analysis.scoring import edge_beliefs
    from ..io.rdf import to_rdf
    from ..io.sparql import find_sparql, read_query

    result = find_sparql(to_rdf(graph, edge_beliefs(graph)), read_query(query))
    if fmt == "json":
        click.echo(format_json(result.rows))
    else:
        click.echo(format_rows(result.rows, result.columns, fmt))
    if fmt == "table":
        click.echo(format_count(len(result.rows), "row"), err=True)


COMMANDS = [export, sparql]
