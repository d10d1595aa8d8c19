"""Turn the words people type into vocabulary values, or refuse them with a did-you-mean.

One resolver per vocabulary — species, predicates, evidence kinds, entity kinds, signs, output and
RDF formats, claims, references, entities — so that every command accepts the same spellings and
rejects the same mistakes. Matching ignores case and treats ``-``, ``_`` and spaces alike wherever
that cannot confuse two values; aliases are listed here once (``Homo sapiens`` and
``NCBITaxon:9606`` are ``human``).

A word that names nothing raises :class:`UnknownValueError` (or the model's
:class:`~mtorgraph.errors.UnknownEntityError` for entities): both are usage mistakes, which the
command line reports in one line with exit status 2.

>>> resolve_species("Homo sapiens"), resolve_predicate("Associated with"), resolve_sign("-")
('human', 'associated_with', 'negative')
>>> resolve_species("humna")
Traceback (most recent call last):
...
mtorgraph.resolve.UnknownValueError: unknown species 'humna' (did you mean 'human'?); choose from: human, mouse, rat, rodent
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from .errors import MtorgraphError, did_you_mean
from .vocab import BIOLINK_CATEGORY, EVIDENCE_KINDS, PREDICATES, SPECIES

if TYPE_CHECKING:  # annotations only: resolving words must not build the model classes
    from .model import Claim, Entity, MechanismGraph, Reference

__all__ = [
    "ENTITY_KIND_WORDS",
    "EVIDENCE_KIND_WORDS",
    "OUTPUT_FORMAT_WORDS",
    "PREDICATE_WORDS",
    "RDF_FORMAT_WORDS",
    "SIGN_WORDS",
    "SPECIES_WORDS",
    "UnknownValueError",
    "Vocabulary",
    "resolve_claims",
    "resolve_entity",
    "resolve_evidence_kind",
    "resolve_predicate",
    "resolve_reference",
    "resolve_sign",
    "resolve_species",
    "search_entities",
]


class UnknownValueError(MtorgraphError):
    """A word given by the user is not in the vocabulary it was meant for (a usage mistake)."""

    def __init__(self, what: str, value: str, suggestions: Sequence[str], choices: Sequence[str] = ()):
        self.what = what
        self.value = value
        self.suggestions = list(suggestions)
        hint = f" (did you mean {', '.join(repr(s) for s in suggestions)}?)" if suggestions else ""
        listed = f"; choose from: {', '.join(choices)}" if choices else ""
        super().__init__(f"unknown {what} {value!r}{hint}{listed}")


def _fold(word: str) -> str:
    """The form words are compared in: lower case, ``-``/``_``/runs of spaces as one ``_``."""
    return re.sub(r"[\s_\-]+", "_", word.strip().lower())


class Vocabulary:
    """A closed set of values, each reachable by its own name and by aliases.

    :param what: what a value is called in messages (``species``).
    :param aliases: value → extra spellings (matched like the value itself).
    """

    def __init__(self, what: str, aliases: Mapping[str, Iterable[str]]):
        self.what = what
        self.values = list(aliases)
        self._lookup: dict[str, str] = {}
        for value, extra in aliases.items():
            for word in (value, *extra):
                folded = _fold(word)
                if self._lookup.get(folded, value) != value:
                    raise ValueError(f"{what}: {word!r} would mean both {self._lookup[folded]!r} and {value!r}")
                self._lookup[folded] = value

    def __call__(self, word: str) -> str:
        """The value ``word`` names. :raises UnknownValueError: with suggestions if none."""
        found = self._lookup.get(_fold(word))
        if found is not None:
            return found
        close = did_you_mean(_fold(word), self._lookup)
        suggestions = list(dict.fromkeys(self._lookup[c] for c in close))
        raise UnknownValueError(self.what, word, suggestions, self.values)

    def many(self, words: Iterable[str]) -> tuple[str, ...]:
        """Each of ``words`` resolved, duplicates dropped, order kept."""
        return tuple(dict.fromkeys(self(w) for w in words))


#: Species: the curated word, its scientific name, its NCBITaxon CURIE and common plurals.
SPECIES_WORDS: dict[str, tuple[str, ...]] = {
    name: tuple(w for w in (info.label if info.taxon else None, info.taxon,
                            {"mouse": "mice"}.get(name, f"{name}s")) if w)
    for name, info in SPECIES.items()
}
#: Predicates: the curated word and its label (``associated with``, ``has no effect on``).
PREDICATE_WORDS: dict[str, tuple[str, ...]] = {
    name: (info.label,) if _fold(info.label) != name else () for name, info in PREDICATES.items()
}
#: Evidence kinds: the curated word and its label (``randomized controlled trial``), plus ``RCT``-style
#: abbreviations that are unambiguous. ECO codes are not aliases: two kinds share ECO:0000352.
EVIDENCE_KIND_WORDS: dict[str, tuple[str, ...]] = {
    name: (info.label,) + {"rct": ("randomised controlled trial",), "meta_analysis": ("metaanalysis",),
                           "animal_in_vivo": ("in vivo", "animal")}.get(name, ())
    for name, info in EVIDENCE_KINDS.items()
}
#: Entity kinds: the curated word and its Biolink category (``biolink:SmallMolecule``).
ENTITY_KIND_WORDS: dict[str, tuple[str, ...]] = {
    name: (category, category.partition(":")[2]) for name, category in BIOLINK_CATEGORY.items()
}
#: Net or edge signs.
SIGN_WORDS: dict[str, tuple[str, ...]] = {
    "positive": ("+", "+1", "1", "pos", "plus"),
    "negative": ("-", "−", "-1", "neg", "minus"),
    "unsigned": ("0", "none", "null"),
}
#: Output formats of the listing commands.
OUTPUT_FORMAT_WORDS: dict[str, tuple[str, ...]] = {"table": ("text",), "json": (), "tsv": ("tab",)}
#: RDF formats of ``export --to`` (the names the writers are registered under, and their suffixes).
RDF_FORMAT_WORDS: dict[str, tuple[str, ...]] = {
    "turtle": ("ttl",), "nt": ("ntriples", "n-triples"), "jsonld": ("json-ld",), "trig": (),
    "xml": ("rdf", "rdfxml", "rdf/xml", "owl"),
    "indra": ("indra-json", "statements"), "graphml": (), "cx2": (),
}

resolve_species = Vocabulary("species", SPECIES_WORDS)
resolve_predicate = Vocabulary("predicate", PREDICATE_WORDS)
resolve_evidence_kind = Vocabulary("evidence kind", EVIDENCE_KIND_WORDS)
resolve_entity_kind = Vocabulary("entity kind", ENTITY_KIND_WORDS)
resolve_sign = Vocabulary("sign", SIGN_WORDS)
resolve_output_format = Vocabulary("format", OUTPUT_FORMAT_WORDS)
resolve_rdf_format = Vocabulary("RDF format", RDF_FORMAT_WORDS)


def resolve_entity(graph: MechanismGraph, name: str) -> Entity:
    """The entity ``name`` means (key, CURIE, label, name or synonym, any case).

    :raises UnknownEntityError: with did-you-mean suggestions.
    """
    return graph.resolve(name)


def resolve_claims(graph: MechanismGraph, ids: Iterable[str]) -> list[Claim]:
    """The claims with these ids (``C7``, ``c7`` or ``7``), in the order given, without repeats.

    :raises UnknownValueError: for an id that is not a claim of the graph.
    """
    by_id = {c.id.upper(): c for c in graph.claims}
    chosen: dict[str, Claim] = {}
    for word in ids:
        folded = word.strip().upper()
        key = f"C{folded}" if folded.isdigit() else folded
        if key not in by_id:
            listed = [c.id for c in graph.claims] if len(by_id) <= 30 else []
            raise UnknownValueError("claim", word, did_you_mean(key, by_id) if by_id else [],
                                    listed or (["(this graph has no claims)"] if not by_id else []))
        chosen.setdefault(key, by_id[key])
    return list(chosen.values())


_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_PMID_PREFIX = re.compile(r"^(?:pmid:\s*|https?://pubmed\.ncbi\.nlm\.nih\.gov/)", re.IGNORECASE)


def resolve_reference(graph: MechanismGraph, word: str) -> Reference:
    """The reference ``word`` names: its key, DOI (bare, ``doi:`` or a doi.org link), PMID (digits,
    ``PMID:`` or a PubMed link) or PMCID. DOIs compare case-insensitively, as DOIs do.

    :raises UnknownValueError: with did-you-mean suggestions among the keys.
    """
    text = word.strip()
    for ref in graph.references:
        if text == ref.key or text.lower() == ref.key.lower():
            return ref
    doi = _DOI_PREFIX.sub("", text).lower()
    pmid = _PMID_PREFIX.sub("", text).strip("/")
    for ref in graph.references:
        if ref.doi and ref.doi.lower() == doi:
            return ref
        if ref.pmid and ref.pmid == pmid:
            return ref
        if ref.pmcid and ref.pmcid.lower() == text.lower().removeprefix("pmcid:").strip():
            return ref
    keys = [r.key for r in graph.references]
    raise UnknownValueError("reference", word, did_you_mean(text, keys),
                            ["a reference key, DOI, PMID or PMCID (`mtorgraph references` lists them)"])


def search_entities(graph: MechanismGraph, text: str | None = None,
                    kinds: Iterable[str] = ()) -> list[Entity]:
    """Entities whose key, CURIE, label, name, synonyms or xrefs contain ``text`` (any case), of the
    given kinds; all of them when both are empty. Exact matches come first, then by key.
    """
    wanted_kinds = set(kinds)
    needle = text.strip().lower() if text else ""
    found: list[tuple[int, str, Entity]] = []
    for entity in graph.entities:
        if wanted_kinds and entity.kind not in wanted_kinds:
            continue
        words = [w.lower() for w in (entity.key, entity.id, entity.label, entity.name,
                                     *entity.synonyms, *entity.xrefs)]
        if needle and not any(needle in w for w in words):
            continue
        found.append((0 if needle in words else 1, entity.key, entity))
    return [entity for _, _, entity in sorted(found, key=lambda item: item[:2])]
