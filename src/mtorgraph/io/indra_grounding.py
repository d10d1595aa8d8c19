"""How INDRA ``db_refs`` groundings map to mtorgraph CURIEs and entity kinds, both ways.

INDRA names a grounding by a namespace key (``HGNC``, ``UP``, ``CHEBI``, ``GO``, ``MESH``, ``FPLX``
…) and an identifier that, for some namespaces, repeats the namespace (``CHEBI:9168``,
``GO:0031931``) and for others does not (HGNC ``6407``, MESH ``D003866``); see
``indra.databases.identifiers.ensure_prefix_if_needed``. An agent's id is taken from the first
namespace of :data:`NAMESPACES` it has (INDRA's own preference order, restricted to the namespaces
an mtorgraph entity may use as its id); every other grounding is kept as an xref.

>>> curie_of("CHEBI", "CHEBI:9168"), curie_of("HGNC", "6407"), curie_of("MESH", "D003866")
('CHEBI:9168', 'HGNC:6407', 'MESH:D003866')
>>> db_ref_of("GO:0031931"), db_ref_of("UniProtKB:P42345"), db_ref_of("mtorgraph:sleep_loss")
(('GO', 'GO:0031931'), ('UP', 'P42345'), ('MTORGRAPH', 'sleep_loss'))
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import CURIE_PATTERN
from ..vocab import LOCAL_PREFIX

__all__ = ["NAMESPACES", "NON_GROUNDING", "Namespace", "curie_of", "db_ref_of"]


@dataclass(frozen=True)
class Namespace:
    """One INDRA namespace an entity id may come from.

    :param indra: the ``db_refs`` key.
    :param prefix: the mtorgraph CURIE prefix.
    :param kind: the entity kind given to an agent grounded here (the id prefix must be allowed
        for it in :data:`mtorgraph.vocab.ENTITY_KINDS`).
    :param embedded: whether INDRA writes the namespace inside the identifier (``CHEBI:9168``).
    """

    indra: str
    prefix: str
    kind: str
    embedded: bool


#: Namespaces that give an entity id, in the order one is chosen (INDRA's ``default_ns_order``
#: for the ones mtorgraph can hold, then the rest). ``MTORGRAPH`` carries a local id written by
#: our own export. FamPlex (``FPLX``) has no prefix in :data:`mtorgraph.vocab.PREFIX_IRIS`, so an
#: agent grounded only there has no usable id (it is reported, and kept as an xref elsewhere).
NAMESPACES: tuple[Namespace, ...] = (
    Namespace("HGNC", "HGNC", "gene", False),
    Namespace("UP", "UniProtKB", "protein", False),
    Namespace("CHEBI", "CHEBI", "chemical", True),
    Namespace("GO", "GO", "process", True),
    Namespace("DOID", "DOID", "disease", True),
    Namespace("MONDO", "MONDO", "disease", True),
    Namespace("HP", "HP", "phenotype", True),
    Namespace("EFO", "EFO", "disease", False),
    Namespace("UBERON", "UBERON", "anatomy", True),
    Namespace("MESH", "MESH", "disease", False),
    Namespace("EGID", "NCBIGene", "gene", False),
    Namespace("MTORGRAPH", LOCAL_PREFIX, "phenotype", False),
)

_BY_INDRA = {ns.indra: ns for ns in NAMESPACES}
_BY_PREFIX = {ns.prefix: ns for ns in NAMESPACES}

#: Other INDRA namespaces whose mtorgraph prefix differs from the key (kept as xrefs only).
_XREF_PREFIX = {"PUBCHEM": "PUBCHEM.COMPOUND", "NCBI": "NCBIGene"}
_XREF_INDRA = {"PUBCHEM.COMPOUND": "PUBCHEM"}

#: ``db_refs`` keys that hold text, not a grounding.
NON_GROUNDING = frozenset({"TEXT", "TEXT_NORM"})

_CURIE = re.compile(CURIE_PATTERN)


def namespace(indra: str) -> Namespace | None:
    """The id namespace for a ``db_refs`` key, if it is one."""
    return _BY_INDRA.get(indra)


def curie_of(indra: str, value: str) -> str | None:
    """The CURIE of one grounding, or ``None`` if it does not make a well-formed CURIE."""
    ns = _BY_INDRA.get(indra)
    prefix = ns.prefix if ns else _XREF_PREFIX.get(indra, indra)
    local = value.strip()
    for spelled in {indra, prefix}:
        if local.startswith(spelled + ":"):
            local = local[len(spelled) + 1:]
            break
    curie = f"{prefix}:{local}"
    return curie if _CURIE.fullmatch(curie) else None


def db_ref_of(curie: str) -> tuple[str, str]:
    """The ``db_refs`` key and identifier INDRA uses for an mtorgraph CURIE."""
    prefix, _, local = curie.partition(":")
    ns = _BY_PREFIX.get(prefix)
    if ns is None:
        return _XREF_INDRA.get(prefix, prefix.upper()), local
    return ns.indra, (f"{ns.indra}:{local}" if ns.embedded else local)
