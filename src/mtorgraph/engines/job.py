"""What an atlas run is asked to do (:class:`AtlasJob`) and what it brings back (:class:`AtlasResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["AtlasJob", "AtlasResult", "order_records"]


@dataclass(frozen=True)
class AtlasJob:
    """Sources and targets (entity keys), the search options, and the time limits.

    ``index_options`` go to :func:`~mtorgraph.analysis.paths.to_graph_index` (filters, bridges);
    ``timeout`` bounds each side of each pair (seconds), ``budget`` the whole run: sources not
    started when it runs out are listed in :attr:`AtlasResult.skipped_sources`.
    """

    sources: tuple[str, ...]
    targets: tuple[str, ...]
    max_length: int = 4
    limit: int | None = 20
    timeout: float | None = None
    budget: float | None = None
    index_options: dict[str, Any] = field(default_factory=dict)

    def search_options(self) -> dict[str, Any]:
        """The keyword arguments of :func:`~mtorgraph.analysis.atlas.source_conflicts`."""
        return {"max_length": self.max_length, "limit": self.limit, "timeout": self.timeout}


@dataclass(frozen=True)
class AtlasResult:
    """Records best first; ``partial`` when a side timed out or the budget left sources unscanned."""

    records: tuple[dict[str, Any], ...]
    skipped_sources: tuple[str, ...]
    engine: str
    workers: int
    seconds: float

    @property
    def partial(self) -> bool:
        """Whether anything was cut short (a side's timeout, or the global budget)."""
        return bool(self.skipped_sources) or any(r["partial"] for r in self.records)


def order_records(records: list[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
    """Best first: highest score, then source and target keys (a stable order for every engine)."""
    return tuple(sorted(records, key=lambda r: (-r["score"], r["source"], r["target"])))
