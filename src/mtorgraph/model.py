"""The data model of a signed, evidence-tagged mechanism graph: frozen, validated, no I/O.

An :class:`Edge` says that a subject acts on an object through a predicate from the closed set in
:mod:`mtorgraph.vocab`; the predicate carries the sign. Each edge holds one or more
:class:`Evidence` records, each pointing to a :class:`Reference` and describing the
:class:`Context` in which the study saw it.

>>> g = MechanismGraph(
...     entities=(
...         Entity(key="rapamycin", id="CHEBI:9168", label="sirolimus", name="rapamycin", kind="chemical"),
...         Entity(key="mtorc1", id="GO:0031931", label="TORC1 complex", name="mTORC1", kind="complex"),
...     ),
...     references=(Reference(key="label", title="Rapamune label", url="https://www.fda.gov/x", verified="partial"),),
...     edges=(Edge(subject="rapamycin", predicate="inhibits", object="mtorc1",
...                 evidence=(Evidence(reference="label", kind="regulatory", finding="binds FKBP-12"),)),),
... )
>>> g.edges[0].sign
-1
>>> g.resolve("Sirolimus").key
'rapamycin'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StrictInt, field_validator, model_validator

from .errors import UnknownEntityError, did_you_mean
from .vocab import PREDICATES

__all__ = ["Claim", "Context", "Edge", "EdgeKey", "Entity", "Evidence", "LinkKey", "MechanismGraph", "OpenQuestion",
           "Question", "Reference", "StructuralLink"]

EntityKind = Literal[
    "chemical", "gene", "protein", "complex", "process", "phenotype",
    "disease", "anatomy", "exposure", "regimen", "outcome",
]
PredicateName = Literal["activates", "inhibits", "increases", "decreases", "associated_with", "no_effect_on"]
EvidenceKind = Literal[
    "rct", "clinical_observational", "postmortem_human", "animal_in_vivo", "in_vitro",
    "meta_analysis", "review", "regulatory", "hypothesis", "curator_inference",
]
Species = Literal["human", "mouse", "rat", "rodent"]
Verdict = Literal["supported", "supported_with_caveats", "partial", "contradicted", "no_source_found"]
IdStatus = Literal["verified", "derived", "local", "unverified"]
LinkRelation = Literal["part_of", "participates_in", "subclass_of", "model_of"]
EvidenceBasis = Literal["own_result", "cited_statement", "title_only"]
EdgeKey = tuple[str, str, str]
LinkKey = tuple[str, str, str]

CURIE_PATTERN = r"^[A-Za-z][A-Za-z0-9_.]*:[A-Za-z0-9_][A-Za-z0-9_.\-]*$"
DOI_PATTERN = r"^10\.\d{4,9}/[^\s\x00-\x1F\x7F-\x9F]+$"
PMID_PATTERN = r"^[1-9]\d{0,8}$"
PMCID_PATTERN = r"^PMC\d+$"
KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
REFERENCE_KEY_PATTERN = r"^[a-z][a-z0-9_]*$"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Entity(_Frozen):
    """A node: a chemical, gene, complex, process, phenotype, disease, exposure or outcome.

    ``label`` is the ontology's exact label; ``name`` is what people call it.
    """

    key: str = Field(pattern=KEY_PATTERN)
    id: str = Field(pattern=CURIE_PATTERN)
    label: str = Field(min_length=1)
    name: str = Field(min_length=1)
    kind: EntityKind
    #: How far the id was checked; an entity that does not say is ``unverified`` (never assumed verified).
    id_status: IdStatus = "unverified"
    synonyms: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()
    note: str | None = None

    @field_validator("xrefs")
    @classmethod
    def _xrefs_are_curies(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        import re

        bad = next((x for x in value if not re.fullmatch(CURIE_PATTERN, x)), None)
        if bad is not None:
            raise ValueError(f"xref {bad!r} is not a CURIE (PREFIX:local)")
        return value

    @property
    def prefix(self) -> str:
        """The CURIE prefix of the entity's id."""
        return self.id.partition(":")[0]


class Reference(_Frozen):
    """A publication (or regulatory document) that evidence cites."""

    key: str = Field(pattern=REFERENCE_KEY_PATTERN)
    title: str = Field(min_length=1)
    authors: str | None = None
    year: StrictInt | None = None
    journal: str | None = None
    volume: str | None = None
    pages: str | None = None
    doi: str | None = Field(default=None, pattern=DOI_PATTERN)
    pmid: str | None = Field(default=None, pattern=PMID_PATTERN)
    pmcid: str | None = Field(default=None, pattern=PMCID_PATTERN)
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    study_type: str | None = None
    verified: Literal["yes", "partial", "no"]
    verification_note: str | None = None
    seen_at: tuple[str, ...] = ()

    @property
    def has_identifier(self) -> bool:
        """Whether a reader can find the document: DOI, PMID, PMCID or an official URL."""
        return bool(self.doi or self.pmid or self.pmcid or self.url)

    @property
    def links(self) -> dict[str, str]:
        """Resolvable links by kind (``doi``, ``pubmed``, ``pmc``, ``url``), in that order."""
        out: dict[str, str] = {}
        if self.doi:
            out["doi"] = f"https://doi.org/{self.doi}"
        if self.pmid:
            out["pubmed"] = f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        if self.pmcid:
            out["pmc"] = f"https://pmc.ncbi.nlm.nih.gov/articles/{self.pmcid}/"
        if self.url:
            out["url"] = self.url
        return out

    @property
    def short(self) -> str:
        """``First author et al. year`` or the key when authors are unknown."""
        if not self.authors:
            return self.key
        first = self.authors.split(",")[0].strip()
        year = f" {self.year}" if self.year else ""
        more = " et al." if "," in self.authors or "et al" in self.authors else ""
        return f"{first.replace(' et al.', '')}{more}{year}"


class Context(_Frozen):
    """Where and how a study saw a finding. Every field is optional; only what the source reports."""

    species: Species | None = None
    anatomy: str | None = None
    cell_type: str | None = None
    model: str | None = None
    design: str | None = None
    route: str | None = None
    dose: str | None = None
    timepoint: str | None = None
    population: str | None = None
    n: StrictInt | None = Field(default=None, ge=1)

    def items(self) -> list[tuple[str, str]]:
        """The fields that are set, as ``(name, text)`` pairs in declaration order."""
        return [(k, str(v)) for k, v in self.__dict__.items() if v is not None]  # (pydantic's own iteration is slower)


class Evidence(_Frozen):
    """One study's support for (or against) an edge."""

    reference: str = Field(pattern=REFERENCE_KEY_PATTERN)
    kind: EvidenceKind
    direction: Literal["supports", "refutes"] = "supports"
    context: Context = Context()
    finding: str = Field(min_length=1)
    effect: str | None = None
    p_value: str | None = None
    #: Names one experiment when a reference reports several, so independent studies are counted
    #: as distinct (reference, experiment) pairs.
    experiment: str | None = Field(default=None, min_length=1)
    #: ``own_result``: the study's own finding. ``cited_statement``: what the paper says about other
    #: work (shown, never weighed, never listed as a path's source). ``title_only``: the reference is
    #: known by its title alone (shown, never weighed).
    basis: EvidenceBasis = "own_result"

    @property
    def weighed(self) -> bool:
        """Whether this item may count in belief and in a side's independent studies."""
        return self.basis == "own_result"

    @property
    def study(self) -> tuple[str, str | None]:
        """The independent study this item reports: ``(reference, experiment)``."""
        return (self.reference, self.experiment)


class Edge(_Frozen):
    """A typed, signed, evidence-tagged statement ``subject predicate object``."""

    subject: str = Field(pattern=KEY_PATTERN)
    predicate: PredicateName
    object: str = Field(pattern=KEY_PATTERN)
    evidence: tuple[Evidence, ...] = Field(min_length=1)
    note: str | None = None
    #: The graphs that state this edge, comma-separated, when several graphs are merged.
    source_graph: str | None = None

    @property
    def key(self) -> EdgeKey:
        """``(subject, predicate, object)``: unique within a graph."""
        return (self.subject, self.predicate, self.object)

    @property
    def sign(self) -> int:
        """+1, -1 or 0, from the predicate."""
        return PREDICATES[self.predicate].sign

    @property
    def causal(self) -> bool:
        """Whether path search traverses this edge by default."""
        return PREDICATES[self.predicate].causal

    @property
    def is_hypothesis(self) -> bool:
        """True when the only evidence is ``hypothesis``: drawn dashed, left out of paths by default."""
        return all(e.kind == "hypothesis" for e in self.evidence)

    @property
    def label(self) -> str:
        """``subject predicate object`` as written in claims."""
        return " ".join(self.key)


class StructuralLink(_Frozen):
    """A structural (not causal) link between two entities: part/whole, subclass or model-of.

    Path search may cross a link as a sign-preserving *bridge* step, from subject to object only:
    a part to its whole (``part_of``), a participant to its process (``participates_in``), a
    narrower class to the broader one (``subclass_of``), an animal model to the human condition
    it models (``model_of``).
    """

    subject: str = Field(pattern=KEY_PATTERN)
    relation: LinkRelation
    object: str = Field(pattern=KEY_PATTERN)
    evidence: tuple[Evidence, ...] = Field(min_length=1)
    note: str | None = None
    source_graph: str | None = None

    @property
    def key(self) -> LinkKey:
        """``(subject, relation, object)``: unique within a graph."""
        return (self.subject, self.relation, self.object)

    @property
    def label(self) -> str:
        """``subject relation object``."""
        return " ".join(self.key)


class OpenQuestion(_Frozen):
    """A hypothesis an author proposed, kept as a question rather than an edge."""

    key: str = Field(pattern=KEY_PATTERN)
    question: str = Field(min_length=1)
    proposed_by: str = Field(pattern=REFERENCE_KEY_PATTERN)
    statement: str = Field(min_length=1)
    would_test: str = Field(min_length=1)
    entities: tuple[str, ...] = ()
    note: str | None = None


class Question(_Frozen):
    """A source → target question the graph is curated to answer (``graph.yaml``)."""

    source: str = Field(pattern=KEY_PATTERN)
    target: str = Field(pattern=KEY_PATTERN)
    title: str | None = None


class Claim(_Frozen):
    """One statement of the source summary and our verdict on it."""

    id: str = Field(pattern=r"^C\d+$")
    section: str
    statement: str = Field(min_length=1)
    verdict: Verdict
    references: tuple[str, ...] = ()
    edges: tuple[str, ...] = ()
    literature_says: str | None = None


class MechanismGraph(_Frozen):
    """The container: entities, references, edges and claims, with lookups.

    Construction checks that every key an edge, evidence or claim uses exists; the curated loader
    reports the same problems earlier, with file positions.
    """

    entities: tuple[Entity, ...] = ()
    references: tuple[Reference, ...] = ()
    edges: tuple[Edge, ...] = ()
    claims: tuple[Claim, ...] = ()
    links: tuple[StructuralLink, ...] = ()
    open_questions: tuple[OpenQuestion, ...] = ()
    title: str | None = None
    questions: tuple[Question, ...] = ()

    _entity: dict[str, Entity] = PrivateAttr(default_factory=dict)
    _reference: dict[str, Reference] = PrivateAttr(default_factory=dict)
    _out: dict[str, list[Edge]] = PrivateAttr(default_factory=dict)
    _in: dict[str, list[Edge]] = PrivateAttr(default_factory=dict)
    _links_out: dict[str, list[StructuralLink]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _check_references(self) -> MechanismGraph:
        entity_keys = {e.key for e in self.entities}
        reference_keys = {r.key for r in self.references}
        if len(entity_keys) != len(self.entities):
            raise ValueError("duplicate entity keys")
        if len(reference_keys) != len(self.references):
            raise ValueError("duplicate reference keys")
        edge_keys = set()
        for edge in self.edges:
            for end in (edge.subject, edge.object):
                if end not in entity_keys:
                    raise ValueError(f"edge {edge.label!r}: {end!r} is not an entity")
            for ev in edge.evidence:
                if ev.reference not in reference_keys:
                    raise ValueError(f"edge {edge.label!r}: reference {ev.reference!r} is unknown")
            if edge.key in edge_keys:
                raise ValueError(f"duplicate edge {edge.label!r}")
            edge_keys.add(edge.key)
        link_keys = set()
        for link in self.links:
            for end in (link.subject, link.object):
                if end not in entity_keys:
                    raise ValueError(f"link {link.label!r}: {end!r} is not an entity")
            for ev in link.evidence:
                if ev.reference not in reference_keys:
                    raise ValueError(f"link {link.label!r}: reference {ev.reference!r} is unknown")
            if link.key in link_keys:
                raise ValueError(f"duplicate link {link.label!r}")
            link_keys.add(link.key)
        question_keys = set()
        for oq in self.open_questions:
            if oq.key in question_keys:
                raise ValueError(f"duplicate open question {oq.key!r}")
            question_keys.add(oq.key)
            if oq.proposed_by not in reference_keys:
                raise ValueError(f"open question {oq.key}: reference {oq.proposed_by!r} is unknown")
            for key in oq.entities:
                if key not in entity_keys:
                    raise ValueError(f"open question {oq.key}: {key!r} is not an entity")
        for q in self.questions:
            for end in (q.source, q.target):
                if end not in entity_keys:
                    raise ValueError(f"question {q.source} -> {q.target}: {end!r} is not an entity")
        for claim in self.claims:
            for ref in claim.references:
                if ref not in reference_keys:
                    raise ValueError(f"claim {claim.id}: reference {ref!r} is unknown")
            for label in claim.edges:
                if tuple(label.split(" ")) not in edge_keys:
                    raise ValueError(f"claim {claim.id}: edge {label!r} is not in the graph")
        return self

    def model_post_init(self, __context: object) -> None:
        """Build the lookup indexes once."""
        self._entity = {e.key: e for e in self.entities}
        self._reference = {r.key: r for r in self.references}
        out: dict[str, list[Edge]] = defaultdict(list)
        inc: dict[str, list[Edge]] = defaultdict(list)
        for edge in self.edges:
            out[edge.subject].append(edge)
            inc[edge.object].append(edge)
        self._out, self._in = dict(out), dict(inc)
        links: dict[str, list[StructuralLink]] = defaultdict(list)
        for link in self.links:
            links[link.subject].append(link)
        self._links_out = dict(links)

    def entity(self, key: str) -> Entity:
        """The entity with this key (exact). :raises KeyError: if absent."""
        return self._entity[key]

    def reference(self, key: str) -> Reference:
        """The reference with this key (exact). :raises KeyError: if absent."""
        return self._reference[key]

    def edges_from(self, key: str) -> list[Edge]:
        """Edges whose subject is ``key``."""
        return list(self._out.get(key, ()))

    def edges_to(self, key: str) -> list[Edge]:
        """Edges whose object is ``key``."""
        return list(self._in.get(key, ()))

    def links_from(self, key: str) -> list[StructuralLink]:
        """Structural links whose subject is ``key`` (the direction a bridge step walks)."""
        return list(self._links_out.get(key, ()))

    def edge(self, subject: str, predicate: str, object: str) -> Edge:
        """The edge with this key. :raises KeyError: if absent."""
        for edge in self._out.get(subject, ()):
            if edge.predicate == predicate and edge.object == object:
                return edge
        raise KeyError((subject, predicate, object))

    #: How a graph shows itself in Jupyter: set by :func:`mtorgraph.views.register_display`, which
    #: ``mtorgraph`` calls when its API is first used (and at once under IPython), so the model
    #: never imports a view.
    html_display: ClassVar[Callable[[MechanismGraph], str] | None] = None

    def _repr_html_(self) -> str | None:
        """The interactive graph inline in Jupyter, if a view registered one (else the plain repr)."""
        display = type(self).html_display
        return display(self) if display is not None else None

    def resolve(self, name: str) -> Entity:
        """Find an entity by key, CURIE, label, display name or synonym, case-insensitively.

        :raises UnknownEntityError: with did-you-mean suggestions when nothing matches.
        """
        wanted = name.strip().lower()
        for entity in self.entities:  # exact key or id first: they are unambiguous
            if wanted in (entity.key.lower(), entity.id.lower()):
                return entity
        for entity in self.entities:
            names = (entity.label, entity.name, *entity.synonyms)
            if any(wanted == n.lower() for n in names):
                return entity
        choices = [e.key for e in self.entities] + [e.name for e in self.entities]
        choices += [s for e in self.entities for s in e.synonyms]
        suggestions = did_you_mean(name, choices)
        keys = []
        for s in suggestions:
            key = next(e.key for e in self.entities if s in (e.key, e.name, *e.synonyms))
            if key not in keys:
                keys.append(key)
        raise UnknownEntityError(name, keys)
