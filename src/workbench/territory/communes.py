"""Reading the communes table shipped with the package (csv module only: participant path)."""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache

__all__ = ["Commune", "commune_by_code", "communes"]

from workbench.settings import project_home


@dataclass(frozen=True)
class Commune:
    """A member commune with its INSEE code and municipal population (PMUN 2023)."""

    code_insee: str
    nom: str
    population: int


@cache
def communes() -> tuple[Commune, ...]:
    """The member communes, sorted by name in French order (accents ignored)."""
    path = project_home() / "data" / "territory" / "communes.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [
            Commune(row["code_insee"], row["nom"], int(row["pmun_2023"]))
            for row in csv.DictReader(handle)
        ]
    return tuple(sorted(rows, key=lambda c: _sort_key(c.nom)))


def commune_by_code(code: str) -> Commune | None:
    """The commune with INSEE ``code``, or None."""
    return _by_code().get(code)


@cache
def _by_code() -> dict[str, Commune]:
    return {c.code_insee: c for c in communes()}


def _sort_key(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
