"""A live session's report (the questionnaire report on that session's answers), for the
facilitator console: the console is given this function by its page, so that the workshops
domain does not reach up into the reports."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.i18n import _

__all__ = ["session_report"]

KINDS = ("html", "docx", "xlsx")


def session_report(slug: str, code: str, progress=None) -> dict[str, Path]:
    """Run the report; its documents by extension (``WorkbenchError`` in French if it
    fails). ``progress(done, total, step)`` follows it (``workbench.web.background``)."""
    from workbench.reports.catalogue import find_report
    from workbench.reports.run import run_report
    from workbench.staff.roles import Permission

    result = run_report(find_report("questionnaire"),
                        {"form": slug, "year": 0, "session": code}, datetime.now(UTC).year,
                        permission=Permission.SESSIONS, progress=progress)
    if not result.ok:
        raise WorkbenchError(_("The report failed: {error}").format(error=result.error))
    return {kind: result.folder / f"questionnaire.{kind}" for kind in KINDS}
