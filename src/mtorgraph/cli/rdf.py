"""Commands for RDF: export (five formats) and sparql (queries over the export)."""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path

import click

from .. import progress
from ..model import MechanismGraph
from ..resolve import OUTPUT_FORMAT_WORDS, UnknownValueError, Vocabulary, resolve_rdf_format
from ..views.text import format_count, format_json
from .common import VocabularyType, echo, pass_graph, rows_text
from .interop import EXPORT_FORMATS, export_kgx
from .store import RemoteStore, pass_graph_or_store

__all__ = ["COMMANDS"]

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _rdf_for_terminal(text: str) -> str:
    """RDF text with raw control characters and bidi overrides written as ``\\uXXXX`` escapes:
    the same data to an RDF parser (they can only occur inside literals), inert on a terminal."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04X}", text)


class _TerminalStream(io.TextIOBase):
    """A stream for writers that prints to stdout as it goes, made safe by :func:`_rdf_for_terminal`.

    Takes text or UTF-8 bytes (a multi-byte character split between two writes is kept whole).
    """

    accepts_bytes = True

    def __init__(self) -> None:
        self._decode = codecs.getincrementaldecoder("utf-8")()

    def writable(self) -> bool:
        return True

    def write(self, data: str | bytes) -> int:  # type: ignore[override]
        text = self._decode.decode(data) if isinstance(data, (bytes, bytearray, memoryview)) else data
        if text:
            click.echo(_rdf_for_terminal(text), nl=False)
        return len(data)

#: ``sparql --format``: the listing formats, plus RDF for CONSTRUCT and DESCRIBE results.
SPARQL_FORMATS = Vocabulary("format", OUTPUT_FORMAT_WORDS | {"turtle": ("ttl",), "nt": ("ntriples", "n-triples")})


def _format_for_suffix(output: str) -> str:
    """The RDF format an output file's suffix names. :raises click.UsageError: if none does."""
    from ..io import WRITERS

    from ..io.kgx_write import kgx_format_of

    if kgx_format_of(output):  # NAME_edges.tsv, NAME_nodes.jsonl, …
        return kgx_format_of(output)  # type: ignore[return-value]
    suffix = Path(output).suffix.lower()
    found = next((name for name, f in WRITERS.items() if suffix in f.suffixes), None)
    if found is None:
        try:  # a format word used as the suffix (.turtle, .ntriples)
            found = resolve_rdf_format(suffix.lstrip("."))
        except UnknownValueError:
            known = ", ".join(sorted(s for f in WRITERS.values() for s in f.suffixes))
            raise click.UsageError(f"unknown output format {suffix or output!r}: give FILE one of the suffixes "
                                   f"{known}, or name the format with --to (turtle, nt, jsonld, trig, xml)") from None
    return found


@click.command()
@click.option("--to", "fmt",
              type=VocabularyType(EXPORT_FORMATS, "[turtle|nt|jsonld|trig|xml|kgx-tsv|kgx-jsonl|indra|graphml|cx2|parquet]"),
              default=None, help="RDF format, a KGX pair (kgx-tsv, kgx-jsonl: FILE names NAME_nodes/NAME_edges), INDRA "
                                 "Statements JSON, GraphML, CX2 or a .mtg folder (parquet). Default: from the suffix of "
                                 "FILE (.ttl .nt .jsonld .trig .rdf _edges.tsv _edges.jsonl .json .graphml .cx2 .mtg).")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=str),
              metavar="FILE", help="Where to write; '-' for stdout (then --to is needed, or Turtle is used).")
@pass_graph
def export(graph: MechanismGraph, fmt: str | None, output: str) -> None:
    """Export the graph as RDF: each edge as a direct triple plus an association node with its sign,
    belief and evidence (ECO types, publication IRIs, context). Reads back losslessly with --graph FILE.

    Also INDRA Statements JSON (signed edges; reads back with --graph FILE.json), GraphML and CX2.
    """
    from ..analysis.beliefs import belief_columns
    from ..io import WRITERS, write_graph

    chosen = fmt or ("turtle" if output == "-" else _format_for_suffix(output))
    beliefs = None if chosen == "parquet" else belief_columns(graph)  # a .mtg folder stores no beliefs
    if chosen.startswith("kgx"):
        return export_kgx(graph, chosen, output, beliefs)
    with progress.task(f"exporting {len(graph.edges):,} edges as {chosen}"):
        if output == "-":
            WRITERS[chosen].resolve()(graph, _TerminalStream(), beliefs)
            return
        path = write_graph(graph, output, chosen, beliefs)
    size = path.stat().st_size
    echo(f"wrote {path} ({chosen}, {size:,} bytes, {len(graph.edges)} edges)", err=True)
    if chosen == "indra":
        from ..io.indra import unwritable_edges

        left = unwritable_edges(graph)
        if left:
            echo(f"not written (INDRA's signed Statement types cannot hold them): "
                 f"{', '.join(f'{name} ×{n}' for name, n in sorted(left.items()))}", err=True)


@click.command()
@click.argument("query")
@click.option("--format", "fmt", type=VocabularyType(SPARQL_FORMATS, "[table|json|tsv|turtle|nt]"), default=None,
              help="table (default for SELECT and ASK), json or tsv; CONSTRUCT and DESCRIBE also take "
                   "turtle (their default) or nt.")
@click.option("--wide", is_flag=True, expose_value=False,
              callback=lambda ctx, param, value: ctx.meta.__setitem__("mtorgraph.wide", value),
              help="Do not cut table cells (json and tsv never cut).")
@pass_graph_or_store
def sparql(graph: MechanismGraph | RemoteStore, query: str, fmt: str | None) -> None:
    """Run a SPARQL query (text, or @FILE) over the graph's RDF.

    Prefixes mtg:, biolink:, rdf:, rdfs:, xsd:, skos:, assertion:, evidence:, reference:, entity:
    and the ontology CURIE prefixes (CHEBI:, GO:, ECO:, NCBITaxon:, …) are predeclared.
    CONSTRUCT and DESCRIBE print Turtle (or N-Triples with --format nt).
    """
    from ..analysis.beliefs import belief_columns
    from ..io.rdf import to_rdf
    from ..io.sparql import find_sparql, read_query, triples_text

    if isinstance(graph, RemoteStore):
        result = graph.sparql(read_query(query))
    else:
        with progress.task("running the SPARQL query"):
            result = find_sparql(to_rdf(graph, belief_columns(graph).by_key(graph)), read_query(query))
    if result.graph is not None and fmt in (None, "turtle", "nt"):
        click.echo(_rdf_for_terminal(triples_text(result.graph, fmt or "turtle")), nl=False)
        echo(format_count(len(result.graph), "triple"), err=True)
        return
    if fmt in ("turtle", "nt"):
        raise click.UsageError(f"--format {fmt} is for CONSTRUCT and DESCRIBE queries; use table, json or tsv")
    fmt = fmt or "table"
    if fmt == "json":
        echo(format_json(result.rows))
        return
    if fmt == "table" and not result.rows:
        echo("no rows")
    else:
        echo(rows_text(result.rows, result.columns, fmt))
    if fmt == "table":
        echo(format_count(len(result.rows), "row"), err=True)


COMMANDS = [export, sparql]
