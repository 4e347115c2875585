"""The directory of the territory's associations: search by name, theme and commune.

The public variant shows what the RNA publishes about the association itself (name, object,
theme, commune, creation year); the registered office's street address (often a volunteer's
home) and identifiers stay on the staff variant. Light imports (public app).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from workbench.associations.nomenclature import codes_of, known_codes, theme_of
from workbench.storage import read_connection
from workbench.storage.schema import association
from workbench.territory import commune_by_code

__all__ = ["Entry", "search"]

LIMIT = 200


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
    """Matching associations (the first ``LIMIT``, by name) and how many match in all."""
    query = select(association).where(association.c.position != "S")
    if not include_dissolved:
        query = query.where(association.c.position == "A")
    for word in text.split():
        pattern = f"%{word.lower()}%"
        query = query.where(or_(func.lower(association.c.title).like(pattern),
                                func.lower(association.c.short_title).like(pattern),
                                func.lower(association.c.object).like(pattern)))
    if theme:
        codes = codes_of(theme)
        query = query.where(association.c.waldec.in_(codes) if codes
                            else association.c.waldec.is_(None)
                            | ~association.c.waldec.in_(known_codes()))
    if commune:
        query = query.where(association.c.commune == commune)
    with read_connection(engine) as conn:
        total = conn.scalar(select(func.count()).select_from(query.subquery()))
        rows = conn.execute(query.order_by(association.c.title).limit(LIMIT)).all()
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
