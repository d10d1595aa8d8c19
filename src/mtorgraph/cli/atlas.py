"""``mtorgraph atlas``: every two-sided source → target conflict in the graph, best first."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..errors import MtorgraphError
from ..resolve import resolve_entity_kind
from .common import VocabularyType, echo, pass_graph, rows_text

__all__ = ["COMMANDS"]

ATLAS_COLUMNS = ["rank", "source", "target", "score", "studies_positive", "studies_negative", "positive",
                 "negative", "separated_by", "partial"]


def _row(rank: int, record: dict[str, Any]) -> dict[str, Any]:
    sides = record["sides"]
    return {"rank": rank, "source": record["source"], "target": record["target"], "score": record["score"],
            "studies_positive": sides["positive"]["independent_studies"],
            "studies_negative": sides["negative"]["independent_studies"],
            "positive": sides["positive"]["effect_words"], "negative": sides["negative"]["effect_words"],
            "separated_by": ", ".join(sorted(record["context_differences"])),
            "partial": "yes" if record["partial"] else ""}


def _write_outputs(out_dir: Path, records: tuple[dict[str, Any], ...]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ..io.atomic import write_text_atomic

    out_dir.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out_dir / "atlas.jsonl", "".join(json.dumps(r, sort_keys=True) + "\n" for r in records))
    table = pa.table({"source": [r["source"] for r in records], "target": [r["target"] for r in records],
                      "score": pa.array([r["score"] for r in records], pa.float64()),
                      "partial": pa.array([r["partial"] for r in records], pa.bool_()),
                      "record": [json.dumps(r, sort_keys=True) for r in records]})
    temp = out_dir / ".atlas.parquet.tmp"
    pq.write_table(table, temp)
    temp.replace(out_dir / "atlas.parquet")


@click.command()
@click.option("--source-kind", "source_kinds", multiple=True, type=VocabularyType(resolve_entity_kind, "KIND"),
              help="Kinds of entity to start from (repeatable). Default: chemical.")
@click.option("--target-kind", "target_kinds", multiple=True, type=VocabularyType(resolve_entity_kind, "KIND"),
              help="Kinds of entity to reach (repeatable). Default: disease and phenotype.")
@click.option("--max-length", type=click.IntRange(min=1), default=4, show_default=True, help="Longest path, in steps.")
@click.option("--limit", type=click.IntRange(min=1), default=5, show_default=True,
              help="Best paths kept per side of each conflict.")
@click.option("--timeout", type=click.FloatRange(min=0.0, min_open=True), default=None, metavar="SECONDS",
              help="Time limit for each side of each pair; a record cut short is marked partial.")
@click.option("--budget", type=click.FloatRange(min=0.0, min_open=True), default=None, metavar="SECONDS",
              help="Time limit for the whole scan; sources not reached are listed and the result is partial.")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="local: worker processes on this machine; spark: the Spark cluster in reach (needs pyspark).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Local worker processes (default: every core this process may use).")
@click.option("--spark-master", default=None, metavar="URL",
              help="Spark master to start a session on, e.g. local[2] (default: the session Spark configures).")
@click.option("--include-hypotheses", is_flag=True, help="Also follow edges whose only evidence is a hypothesis.")
@click.option("--include-associations", is_flag=True, help="Also follow associated_with edges (unsigned).")
@click.option("--no-bridges", is_flag=True, help="Do not cross structural links as bridge steps.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Also write atlas.jsonl and atlas.parquet into this folder.")
@click.option("--html", "html_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Also write the atlas as pages into this folder: index.html, a sortable list whose rows "
                   "open each conflict highlighted on its own graph page.")
@click.option("--html-top", type=click.IntRange(min=1), default=200, show_default=True,
              help="Records that get a graph page of their own (the list holds every record).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "tsv"]), default="table",
              show_default=True, help="table for people; json, jsonl (one record per line) or tsv for programs.")
@pass_graph
def atlas(graph: Any, source_kinds: tuple[str, ...], target_kinds: tuple[str, ...], max_length: int, limit: int,
          timeout: float | None, budget: float | None, engine: str, workers: int | None, spark_master: str | None,
          include_hypotheses: bool, include_associations: bool, no_bridges: bool, out_dir: Path | None,
          html_dir: Path | None, html_top: int, fmt: str) -> None:
    """Every source → target pair reached by paths of both net signs, ranked.

    A record is what `conflicts SOURCE TARGET` reports for the pair: each side's best paths, its
    independent studies and effect in words, where the sides part, and the context fields that
    separate them. The score rewards strong, independent evidence on both sides: the harmonic
    mean of the sides' independent studies times the geometric mean of their best path scores.
    """
    from ..analysis.atlas import ATLAS_SOURCE_KINDS, ATLAS_TARGET_KINDS, atlas_pairs
    from ..analysis.paths import to_graph_index
    from ..engines.job import AtlasJob

    sources, targets = atlas_pairs(graph, source_kinds or ATLAS_SOURCE_KINDS, target_kinds or ATLAS_TARGET_KINDS)
    if not sources or not targets:
        missing = "source" if not sources else "target"
        kinds = (source_kinds or ATLAS_SOURCE_KINDS) if not sources else (target_kinds or ATLAS_TARGET_KINDS)
        raise MtorgraphError(f"the graph has no {missing} entities of kind {', '.join(kinds)}: nothing to scan "
                             f"(choose others with --{missing}-kind)")
    index_options = {"include_hypotheses": include_hypotheses, "include_associations": include_associations,
                     "bridges": not no_bridges}
    job = AtlasJob(tuple(sources), tuple(targets), max_length, limit, timeout, budget, index_options)
    if engine == "spark":
        from ..engines.spark import run_spark, spark_available

        if not spark_available():
            raise MtorgraphError("--engine spark needs PySpark: pip install 'mtorgraph[spark]'")
        result = run_spark(graph, job, master=spark_master,
                           out_dir=str(out_dir) if out_dir is not None else None)
    else:
        from ..engines.local import default_workers, run_local

        result = run_local(to_graph_index(graph, **index_options), job, workers or default_workers())
        if out_dir is not None:
            _write_outputs(out_dir, result.records)
    if html_dir is not None:
        from ..views.atlas_page import write_atlas_pages

        note = (f"{len(result.records)} conflicts among {len(sources)} sources × {len(targets)} targets, "
                f"paths of at most {max_length} steps" + ("; partial (time limits hit)" if result.partial else ""))
        index = write_atlas_pages(graph, result.records, html_dir, top=html_top, note=note)
        echo(f"atlas pages: {index}", err=True)
    if result.partial:
        cut = f"{len(result.skipped_sources)} sources not scanned within the budget; " if result.skipped_sources else ""
        echo(f"warning: partial atlas: {cut}records marked partial hit their time limit", err=True)
    if fmt == "json":
        echo(json.dumps({"engine": result.engine, "sources": len(sources), "targets": len(targets),
                         "pairs": sum(1 for s in sources for t in targets if s != t), "partial": result.partial,
                         "skipped_sources": list(result.skipped_sources), "records": list(result.records)},
                        indent=2, ensure_ascii=False))
    elif fmt == "jsonl":
        for record in result.records:
            echo(json.dumps(record, sort_keys=True, ensure_ascii=False))
    else:
        rows = [_row(i, r) for i, r in enumerate(result.records, 1)]
        if fmt == "table" and not rows:
            echo(f"no two-sided conflicts among {len(sources)} sources × {len(targets)} targets "
                 f"(paths of at most {max_length} steps)")
        else:
            echo(rows_text(rows, ATLAS_COLUMNS, fmt))


COMMANDS = [atlas]
