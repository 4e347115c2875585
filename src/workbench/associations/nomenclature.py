"""Themes of associations from the WALDEC social-object nomenclature (``data/associations``).

Each code (``011005``) has a label and a parent theme (``011000`` SPORTS, ACTIVITÉS DE PLEIN
AIR). Where the file links a code to a parent of another group (its first three digits differ)
and a theme of the code's own group exists, or where a parent has no label, the code is grouped
by its first three digits.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache

from workbench.settings import project_home

__all__ = ["SocialObject", "Theme", "codes_of", "known_codes", "social_object", "theme_of",
           "themes"]

UNKNOWN = "000000"


@dataclass(frozen=True)
class Theme:
    code: str
    label: str


@dataclass(frozen=True)
class SocialObject:
    code: str
    label: str
    theme: Theme


def _title(label: str) -> str:
    """``SPORTS, ACTIVITÉS DE PLEIN AIR`` → ``Sports, activités de plein air``."""
    text = " ".join(label.split()).lower()
    return text[:1].upper() + text[1:]


@cache
def _table() -> tuple[dict[str, SocialObject], dict[str, Theme]]:
    path = project_home() / "data" / "associations" / "nomenclature_waldec.csv"
    with path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, delimiter=";"))[1:]
    labels = {parent: _title(label) for parent, label, _c, _l in rows if label.strip()}
    group_labels = {code[:3]: label for code, label in labels.items()}
    themes: dict[str, Theme] = {}
    objects: dict[str, SocialObject] = {}
    for parent, _label, code, label in rows:
        group = parent
        if (parent[:3] != code[:3] and code[:3] in group_labels) or parent not in labels:
            group = code[:3] + "000"
        name = labels.get(group) or group_labels.get(group[:3]) or _title(label)
        theme = themes.setdefault(group, Theme(group, name))
        objects[code] = SocialObject(code, label.strip(), theme)
    themes[UNKNOWN] = Theme(UNKNOWN, "Objet non classé")
    return objects, themes


def social_object(code: str | None) -> SocialObject | None:
    return _table()[0].get((code or "").strip())


def codes_of(theme: str) -> list[str]:
    """The WALDEC codes grouped under ``theme`` (none for the unclassified)."""
    return [code for code, item in _table()[0].items() if item.theme.code == theme]


def known_codes() -> list[str]:
    return list(_table()[0])


def theme_of(code: str | None) -> Theme:
    """The theme of a WALDEC code; unknown codes fall in "Objet non classé"."""
    found = social_object(code)
    return found.theme if found else _table()[1][UNKNOWN]


def _french_order(theme: Theme) -> str:
    return unicodedata.normalize("NFKD", theme.label).encode("ascii", "ignore").decode().lower()


def themes() -> list[Theme]:
    """Every theme, in French alphabetical order (the unclassified last)."""
    table = _table()[1]
    return [*sorted((t for t in table.values() if t.code != UNKNOWN), key=_french_order),
            table[UNKNOWN]]
