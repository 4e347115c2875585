"""Publishing a spec file: a versioned copy in the database that answers will refer to."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from workbench.forms.loader import load_spec_file
from workbench.i18n import _
from workbench.staff import audit
from workbench.staff.acting import require
from workbench.staff.roles import Permission
from workbench.storage import get_engine, write_transaction
from workbench.storage.forms import PublishedVersion, publish_version

__all__ = ["publish_spec_file"]


def publish_spec_file(
    path: str | Path, engine: Engine | None = None
) -> tuple[PublishedVersion, bool]:
    """Validate and publish ``path``; an unchanged spec keeps its version (created=False).

    Needs ``Permission.FORMS``; a new version is written to the audit trail.
    """
    engine = engine or get_engine()
    require(Permission.FORMS, engine=engine)
    spec = load_spec_file(path)
    with write_transaction(engine) as conn:
        version, created = publish_version(conn, spec.slug,
                                           spec.model_dump(mode="json", by_alias=True))
        if created:
            audit.record(conn, "form.publish", "form", spec.slug,
                         _("Questionnaire '{slug}' published, version {n}.").format(
                             slug=spec.slug, n=version.version),
                         after={"slug": spec.slug, "version": version.version})
        return version, created
