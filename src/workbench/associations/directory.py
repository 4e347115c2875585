"""The directory of the territory's associations: search by name, theme and commune.

The public variant shows what the RNA publishes about the association itself (name, object,
theme, commune, creation year); the registered office's street address (often a volunteer's
home) and identifiers stay on the staff variant. Light imports (public app).

Search ignores accents, case, ligatures and punctuation the same way on SQLite and PostgreSQL:
each association row stores ``search_key``, its name, short name, object and commune name
passed through :func:`fold`, and the words typed are folded by the same function, then each
must occur in the key (``LIKE``, with ``%`` and ``_`` escaped: they match literally). The key
is written with the row (a default of ``schema.association``, and :func:`search_key` wherever
a row is updated); migration 0014 computed it for the rows that existed before.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from workbench.associations.nomenclature import codes_of, known_codes, theme_of
from workbench.storage import read_connection
from workbench.storage.schema import association
from workbench.territory import commune_by_code

__all__ = ["Entry", "fold", "row_search_key", "search", "search_key"]

LIMIT = 200
# Letters NFKD does not decompose (after casefold).
_LETTERS = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
                          "þ": "th"})
_APOSTROPHES = "'’‘ʼ`′"
# Apostrophes, quotes, dashes and brackets (by Unicode category), spaces and these separate
# words; other signs (% _ & + @ #) are kept and match literally.
_SEPARATORS = frozenset(_APOSTROPHES + "\".,;:!?/\\|·…¡¿")
_SEPARATOR_CATEGORIES = frozenset(("Pd", "Ps", "Pe", "Pi", "Pf", "Zs", "Zl", "Zp", "Cc"))
_JOIN = str.maketrans(dict.fromkeys(_APOSTROPHES))


def fold(text: str | None) -> str:
    """``text`` without accents, case, ligatures or punctuation differences, for search.

    "L’École de Saint-Brieuc" and "l'ecole de saint brieuc" both give "l ecole de saint
    brieuc". Pure Python (NFKD, combining marks dropped, casefold): the stored keys and the
    words typed are folded by this one function, so SQLite and PostgreSQL compare the same
    strings.
    """
    if not text:
        return ""
    plain = unicodedata.normalize("NFKD", text).casefold().translate(_LETTERS)
    plain = unicodedata.normalize("NFKD", plain)  # casefold may add combining marks
    kept = (" " if c in _SEPARATORS or unicodedata.category(c) in _SEPARATOR_CATEGORIES
            else c for c in plain if not unicodedata.combining(c))
    return " ".join("".join(kept).split())


def search_key(title: str | None, short_title: str | None = None, object: str | None = None,
               commune: str | None = None) -> str:
    """The folded text searched for an association: names, object and commune name.

    Words written with an apostrophe are also stored joined, so that "kermoroch" finds
    "Kermoroc'h" as "kermoroc'h" and "l'ecole" do.
    """
    place = commune_by_code(commune or "")
    text = " ".join(filter(None, (title, short_title, object, place.nom if place else None)))
    key = fold(text)
    words = set(key.split())
    joined = [w for w in dict.fromkeys(fold(text.translate(_JOIN)).split()) if w not in words]
    return " ".join([key, *joined])


def row_search_key(values: Mapping) -> str:
    """:func:`search_key` of a row's values (the ``association`` table's column names)."""
    return search_key(values.get("title"), values.get("short_title"), values.get("object"),
                      values.get("commune"))


@dataclass(frozen=True)
class Entry:
    id: int
    title: str
    object: str
    theme: str
    commune: str
    created: int | None
    dissolved: bool
    # staff variant only
    rna: str | None = None
    siret: str | None = None
    address: str | None = None
    postcode: str | None = None


def search(text: str = "", theme: str | None = None, commune: str | None = None,
           staff: bool = False, include_dissolved: bool = False,
           engine=None) -> tuple[list[Entry], int]:
    """Matching associations (the first ``LIMIT``, by name) and how many match in all.

    ``text``: words that must all occur in the name, short name, object or commune name,
    accents, case and punctuation aside (see :func:`fold`).
    """
    query = select(association).where(association.c.position != "S")
    if not include_dissolved:
        query = query.where(association.c.position == "A")
    for word in fold(text).split():  # every word, anywhere in the key; % and _ literal
        query = query.where(association.c.search_key.contains(word, autoescape=True))
    if theme:
        codes = codes_of(theme)
        query = query.where(association.c.waldec.in_(codes) if codes
                            else association.c.waldec.is_(None)
                            | ~association.c.waldec.in_(known_codes()))
    if commune:
        query = query.where(association.c.commune == commune)
    with read_connection(engine) as conn:
        total = conn.scalar(select(func.count()).select_from(query.subquery()))
        rows = conn.execute(query.order_by(association.c.search_key, association.c.title,
                                           association.c.id).limit(LIMIT)).all()
    out = []
    for r in rows:
        place = commune_by_code(r.commune or "")
        common = {"id": r.id, "title": r.title, "object": r.object or "",
                  "theme": theme_of(r.waldec).label, "commune": place.nom if place else "—",
                  "created": r.created_on.year if isinstance(r.created_on, date) else None,
                  "dissolved": r.position == "D"}
        if staff:
            common |= {"rna": r.rna, "siret": r.siret, "address": r.address,
                       "postcode": r.postcode}
        out.append(Entry(**common))
    return out, total
