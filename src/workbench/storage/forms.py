"""Queries on forms and their published versions."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, func, insert, select

from workbench.storage.conflicts import insert_new
from workbench.storage.schema import form, form_version

__all__ = ["PublishedVersion", "get_version", "latest_version", "publish_version",
           "published_slugs", "published_titles"]


@dataclass(frozen=True)
class PublishedVersion:
    """One published version of a form: the exact spec that answers refer to."""

    id: int
    form_id: int
    slug: str
    version: int
    spec: dict
    published_at: datetime


def _canonical(spec: dict) -> str:
    return json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def publish_version(conn: Connection, slug: str, spec: dict) -> tuple[PublishedVersion, bool]:
    """Store ``spec`` as the next version of ``slug``; unchanged specs are not stored twice.

    Returns the version and whether it was created. Call inside a write transaction.
    """
    text = _canonical(spec)
    digest = hashlib.sha256(text.encode()).hexdigest()
    now = datetime.now(UTC).replace(tzinfo=None)
    insert_new(conn, form, {"slug": slug, "created_at": now}, keys=["slug"])
    form_id = conn.scalar(select(form.c.id).where(form.c.slug == slug)
                          .with_for_update())  # versions are numbered one publication at a time
    latest = latest_version(conn, slug)
    if latest is not None and _canonical(latest.spec) == text:
        return latest, False
    number = (conn.scalar(
        select(func.max(form_version.c.version)).where(form_version.c.form_id == form_id)
    ) or 0) + 1
    conn.execute(insert(form_version).values(
        form_id=form_id, version=number, spec_json=text, spec_sha256=digest, published_at=now,
    ))
    version = latest_version(conn, slug)
    assert version is not None
    return version, True


def _select_versions():
    return select(
        form_version.c.id, form_version.c.form_id, form.c.slug, form_version.c.version,
        form_version.c.spec_json, form_version.c.published_at,
    ).join(form, form.c.id == form_version.c.form_id)


def _from_row(row) -> PublishedVersion:
    return PublishedVersion(row.id, row.form_id, row.slug, row.version,
                            json.loads(row.spec_json), row.published_at)


def latest_version(conn: Connection, slug: str) -> PublishedVersion | None:
    """The latest published version of ``slug``, or None if it was never published."""
    row = conn.execute(
        _select_versions().where(form.c.slug == slug)
        .order_by(form_version.c.version.desc()).limit(1)
    ).first()
    return _from_row(row) if row else None


def get_version(conn: Connection, version_id: int) -> PublishedVersion | None:
    """A published version by its id."""
    row = conn.execute(_select_versions().where(form_version.c.id == version_id)).first()
    return _from_row(row) if row else None


def published_titles(conn: Connection) -> list[tuple[str, str]]:
    """(title of the latest version, slug) of every published form, by title."""
    latest: dict[str, tuple[int, str]] = {}
    for slug, version, spec in conn.execute(
            select(form.c.slug, form_version.c.version, form_version.c.spec_json)
            .join(form_version, form_version.c.form_id == form.c.id)):
        if slug not in latest or version > latest[slug][0]:
            latest[slug] = (version, json.loads(spec).get("title") or slug)
    return sorted(((title, slug) for slug, (_v, title) in latest.items()),
                  key=lambda pair: pair[0].casefold())


def published_slugs(conn: Connection) -> list[str]:
    """The slugs of every form with at least one published version."""
    return list(conn.scalars(
        select(form.c.slug).where(form.c.id.in_(select(form_version.c.form_id)))
        .order_by(form.c.slug)
    ))
