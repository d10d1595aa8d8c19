"""Commands for other graphs' formats: ``import`` (KGX, signed tables → curated YAML) and ``formats``.

``export --to kgx-tsv|kgx-jsonl`` (in :mod:`.rdf`) hands over to :func:`export_kgx` here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .. import progress
from ..errors import MtorgraphError
from ..resolve import RDF_FORMAT_WORDS, Vocabulary
from ..views.text import format_json
from .common import echo, format_option, rows_text

__all__ = ["COMMANDS", "EXPORT_FORMATS", "export_kgx"]

#: ``export --to``: the RDF formats and the two KGX pairs.
EXPORT_FORMATS = Vocabulary("export format", {**RDF_FORMAT_WORDS, "kgx-tsv": ("kgx",), "kgx-jsonl": ("jsonl",),
                                               "parquet": ("mtg",)})


def export_kgx(graph: Any, fmt: str, output: str, beliefs: Any) -> None:
    """Write ``graph`` as a KGX pair named by ``output`` and say which files were written."""
    from ..io import write_graph
    from ..io.kgx_write import kgx_pair

    if output == "-":
        raise click.UsageError("KGX is a pair of files (nodes and edges); give -o NAME (or NAME_edges.tsv), not '-'")
    with progress.task(f"exporting {len(graph.edges):,} edges as {fmt}"):
        write_graph(graph, output, fmt, beliefs)
    nodes_path, edges_path = kgx_pair(output, fmt)
    echo(f"wrote {nodes_path} and {edges_path} ({fmt}, {len(graph.edges)} edges, {len(graph.links)} links)", err=True)


def _one_source(files: tuple[str, ...]) -> tuple[str, str]:
    """The file to read and its kind (``kgx`` or ``table``); several files must be one KGX pair."""
    from ..io.kgx_write import kgx_format_of
    from ..io.kgx_write import kgx_pair

    kinds = {kgx_format_of(f) for f in files}
    if len(files) > 1:
        pairs = {tuple(kgx_pair(f, fmt)) for f in files for fmt in kinds if fmt}
        if None in kinds or len(pairs) != 1:
            raise click.UsageError("import reads one graph at a time: one signed table, or the files of one KGX pair")
    fmt = kinds.pop()
    return files[0], "kgx" if fmt else "table"


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@click.option("--to", "folder", required=True, type=click.Path(file_okay=False, path_type=str), metavar="DIR",
              help="Curated folder to write (new, or one a previous import wrote).")
@click.option("--columns", "column_file", type=click.Path(dir_okay=False, path_type=str), default=None,
              metavar="YAML", help="Signed tables: a YAML map of key: column (keys as the options below).")
@click.option("--source", default=None, metavar="COLUMN", help="Signed tables: the source id column.")
@click.option("--target", default=None, metavar="COLUMN", help="Signed tables: the target id column.")
@click.option("--effect", default=None, metavar="COLUMN", help="Signed tables: the effect word column.")
@click.option("--is-stimulation", "is_stimulation", default=None, metavar="COLUMN",
              help="Signed tables: the 1/0 stimulation column (with --is-inhibition).")
@click.option("--is-inhibition", "is_inhibition", default=None, metavar="COLUMN",
              help="Signed tables: the 1/0 inhibition column.")
@click.option("--references", default=None, metavar="COLUMN", help="Signed tables: the publications column.")
@click.option("--id-prefix", "id_prefix", default=None, metavar="PREFIX",
              help="Signed tables: CURIE prefix for ids without one (e.g. UniProtKB).")
@click.option("--delimiter", default=None, help="Signed tables: cell separator (default: from the suffix or header).")
@format_option
def import_(files: tuple[str, ...], folder: str, column_file: str | None, fmt: str, **options: str | None) -> None:
    """Import a KGX graph (FILE: NAME_edges.tsv, NAME_nodes.tsv or .jsonl; either file of the pair) or a
    signed interaction table (.csv/.tsv) into a curated folder DIR you can edit and validate.

    Relations are mapped to mtorgraph predicates by the table in io/data/predicate_map.tsv; rows
    that map to nothing are counted (stderr, and "unmapped" in --format json), never dropped silently.
    """
    from ..io.curated_write import write_curated

    path, kind = _one_source(files)
    with progress.task(f"reading {path}"):
        if kind == "kgx":
            from ..io.kgx_read import read_kgx

            graph, report = read_kgx(path)
        else:
            from ..io.signed_table import ColumnMap, read_column_map, read_signed_table

            base = read_column_map(column_file) if column_file else ColumnMap()
            chosen = {k: v for k, v in options.items() if v is not None}
            graph, report = read_signed_table(path, ColumnMap(**{**base.__dict__, **chosen}))
    for line in report.summary():
        echo(line, err=True)
    if report.edges == 0 and report.links == 0:
        raise MtorgraphError(f"{path}: no row maps to an mtorgraph predicate, so there is nothing to import "
                             "(the counts above say which relations were met)")
    with progress.task(f"writing {folder}"):
        written = write_curated(graph.to_model(), folder, ", ".join(report.files))
    for left in written.left_out_entities[:10]:
        echo(f"left out {left['id']} ({left['key']}): {left['why']}", err=True)
    if written.left_out_entities:
        echo(f"{len(written.left_out_entities)} entities and {written.left_out_edges} edges or links left out: "
             "their ids break the curated rules (see above)", err=True)
    if written.left_out_unpublished:
        echo(f"{written.left_out_unpublished} edges left out: they cite no publication (a curated edge's evidence "
             "must cite a DOI, PMID, PMCID or URL); read the file with --graph to see them", err=True)
    result = {**report.as_json(), "folder": folder, "written": {
        "entities": written.entities, "references": written.references, "edges": written.edges, "links": written.links},
        "left_out_entities": written.left_out_entities, "left_out_edges": written.left_out_edges,
        "left_out_evidence": written.left_out_evidence, "left_out_unpublished": written.left_out_unpublished}
    if fmt == "json":
        echo(format_json(result))
        return
    rows = [{"what": k, "count": v} for k, v in result["written"].items()]
    rows += [{"what": "rows not mapped", "count": report.unmapped_rows},
             {"what": "entities left out", "count": len(written.left_out_entities)},
             {"what": "edges left out (no publication)", "count": written.left_out_unpublished}]
    echo(rows_text(rows, ["what", "count"], fmt))
    echo(f"wrote {Path(folder)}; check it with `mtorgraph --graph {folder} validate`", err=True)


@click.command()
@format_option
def formats(fmt: str) -> None:
    """List the formats mtorgraph reads (--graph, import) and writes (export), from its one registry."""
    from ..io import READERS, WRITERS

    rows = []
    for name in dict.fromkeys([*READERS, *WRITERS]):
        found = [(mode, f) for mode, f in (("read", READERS.get(name)), ("write", WRITERS.get(name))) if f]
        modules = dict.fromkeys("mtorgraph.io" + f.module for _, f in found)
        rows.append({"format": name, "modes": "+".join(mode for mode, _ in found),
                     "suffixes": " ".join(found[0][1].suffixes), "module": " ".join(modules)})
    if fmt == "json":
        echo(format_json(rows))
        return
    echo(rows_text(rows, ["format", "modes", "suffixes", "module"], fmt))


COMMANDS = [import_, formats]
