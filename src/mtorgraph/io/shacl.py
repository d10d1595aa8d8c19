"""SHACL validation of RDF exports against ``ontology/shapes.ttl``, with readable results.

pySHACL is imported only here, and only when validation runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.term import Node

from ..errors import MtorgraphError
from ..model import MechanismGraph
from .rdf import to_rdf
from .registry import bundled_data_path
from .sparql import _compact

__all__ = ["ShaclViolation", "find_shacl_violations", "ontology_path"]

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True, order=True)
class ShaclViolation:
    """One SHACL result: the node it is about, the property path, what is wrong, the value seen."""

    focus: str
    path: str
    message: str
    value: str = ""
    severity: str = "Violation"

    def format(self) -> str:
        """``focus: path: message (value: …)`` on one line."""
        where = f"{self.focus}: {self.path}: " if self.path else f"{self.focus}: "
        return where + self.message + (f" (value: {self.value})" if self.value else "")


def ontology_path() -> Path:
    """The ``ontology/`` directory: inside the wheel (``mtorgraph/data/ontology``) or the source tree."""
    return bundled_data_path("ontology")


def _text(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return _compact(str(node))
    return str(node)


def find_shacl_violations(data: MechanismGraph | Graph, shapes: Path | None = None) -> list[ShaclViolation]:
    """Validate a graph's RDF export (or any RDF) with pySHACL; return every result, sorted.

    An empty list means the export conforms.

    :param shapes: the shapes file; default ``ontology/shapes.ttl``.
    :raises MtorgraphError: if pySHACL is not installed or the shapes cannot be read.
    """
    try:
        import pyshacl
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MtorgraphError("SHACL validation needs pySHACL: pip install pyshacl") from exc
    shapes_file = shapes or ontology_path() / "shapes.ttl"
    try:
        shapes_graph = Graph().parse(shapes_file, format="turtle")
    except (OSError, ValueError) as exc:
        raise MtorgraphError(f"{shapes_file}: cannot read the SHACL shapes ({exc})") from exc
    rdf = data if isinstance(data, Graph) else to_rdf(data)
    _conforms, report, _text_report = pyshacl.validate(rdf, shacl_graph=shapes_graph, advanced=True,
                                                       allow_warnings=True)
    found = []
    for result in report.subjects(SH.resultSeverity, None):
        severity = report.value(result, SH.resultSeverity)
        found.append(ShaclViolation(
            focus=_text(report.value(result, SH.focusNode)),
            path=_text(report.value(result, SH.resultPath)),
            message=str(report.value(result, SH.resultMessage) or "violates a shape"),
            value=_text(report.value(result, SH.value)),
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
        ))
    return sorted(set(found))
