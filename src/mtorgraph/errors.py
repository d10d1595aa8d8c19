"""Exceptions and the problem record used by validation.

The exception tree::

    MtorgraphError                 every error the CLI turns into a clean message and exit 1
    ├── CurationError              a graph failed validation; carries all its Problems
    ├── InputError                 an input file was refused or could not be parsed; carries a Problem
    ├── UnknownEntityError         a name did not resolve to an entity (with suggestions)
    └── OutputError                an output could not be written

Anything else escaping the library is a bug.

>>> p = Problem(Location("graphs/edges/k.yaml", 12, 14), "unknown-entity", "object 'mtorc' is not an entity", "did you mean 'mtorc1'?")
>>> p.format()
"graphs/edges/k.yaml:12:14: error[unknown-entity]: object 'mtorc' is not an entity (did you mean 'mtorc1'?)"
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "CurationError",
    "InputError",
    "Location",
    "MtorgraphError",
    "OutputError",
    "Problem",
    "UnknownEntityError",
    "did_you_mean",
]


class MtorgraphError(Exception):
    """Root of every error that is the user's to fix, not a bug."""


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: 1-based line and column (0 when unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def format(self) -> str:
        """Render as ``file:line:col`` (parts that are unknown are left out)."""
        if self.line and self.column:
            return f"{self.file}:{self.line}:{self.column}"
        if self.line:
            return f"{self.file}:{self.line}"
        return self.file


@dataclass(frozen=True, order=True)
class Problem:
    """One finding of validation.

    :param location: where it is.
    :param code: a stable short code, e.g. ``unknown-entity``; tests assert on it.
    :param message: what is wrong, quoting the offending value.
    :param hint: how to fix it (may be empty).
    :param severity: ``error`` stops loading; ``warning`` does not.
    """

    location: Location
    code: str
    message: str
    hint: str = ""
    severity: Literal["error", "warning"] = "error"

    def format(self) -> str:
        """Render compiler-style: ``file:line:col: error[code]: message (hint)``."""
        text = f"{self.location.format()}: {self.severity}[{self.code}]: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class CurationError(MtorgraphError):
    """A graph did not validate; ``problems`` holds every error and warning found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = sorted(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        super().__init__("\n".join(p.format() for p in self.problems) + f"\n{_count(errors)}")


def _count(errors: Sequence[Problem]) -> str:
    files = {p.location.file for p in errors}
    noun = "problem" if len(errors) == 1 else "problems"
    return f"{len(errors)} {noun} in {len(files)} file{'s' if len(files) != 1 else ''}"


class InputError(MtorgraphError):
    """An input file was refused (missing, special, too large, hostile) or could not be parsed.

    ``problem`` says where (file, and line when known), what is wrong and how to fix it.
    """

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


class UnknownEntityError(MtorgraphError):
    """A name given by the user matched no entity key, CURIE, label or synonym."""

    def __init__(self, name: str, suggestions: Sequence[str]):
        self.name = name
        self.suggestions = list(suggestions)
        hint = f" (did you mean {', '.join(repr(s) for s in suggestions)}?)" if suggestions else ""
        super().__init__(f"unknown entity {name!r}{hint}; `mtorgraph entities` lists them")


class OutputError(MtorgraphError):
    """An output file could not be written."""


def did_you_mean(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Close matches for ``word`` among ``choices`` (case-insensitive), best first.

    >>> did_you_mean("mtorc", ["mtorc1", "ketamine"])
    ['mtorc1']
    """
    by_lower: dict[str, str] = {}
    for choice in sorted(choices):  # sorted: a set's order would make the hint vary between runs
        by_lower.setdefault(choice.lower(), choice)
    matches = difflib.get_close_matches(word.lower(), list(by_lower), n=n, cutoff=0.6)
    return [by_lower[m] for m in matches]
