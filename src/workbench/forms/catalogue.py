"""The consultations open to everyone now (the public home page lists them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection

from workbench.forms.loader import spec_from_dict
from workbench.forms.spec import end_of, start_of
from workbench.storage.forms import latest_version, published_slugs
from workbench.territory.clock import local_now

__all__ = ["OpenConsultation", "open_consultations"]


@dataclass(frozen=True)
class OpenConsultation:
    slug: str
    title: str
    closes_at: date | datetime | None


def open_consultations(conn: Connection, now: datetime | None = None) -> list[OpenConsultation]:
    """Published questionnaires anyone may answer today (not invitation-only), by title."""
    now = now or local_now()
    found = []
    for slug in published_slugs(conn):
        version = latest_version(conn, slug)
        spec = spec_from_dict(version.spec)
        if spec.access != "open":
            continue
        if spec.opens_at and now < start_of(spec.opens_at):
            continue
        if spec.closes_at and now > end_of(spec.closes_at):
            continue
        found.append(OpenConsultation(slug, spec.title, spec.closes_at))
    return sorted(found, key=lambda c: c.title.casefold())
