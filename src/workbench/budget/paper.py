"""Paper ballots: staff type them into a table (CSV or XLSX) and import it, all or nothing.

Columns: ``projets`` (the project numbers ticked, separated by commas, spaces or ``+``),
``points`` (cumulative ballots: the points in the same order) and ``date`` (the day of the
count, optional). Each row is checked with the edition's ballot rules; the first wrong cell
stops the import with its line and column, and nothing is written. Ballots are stored with
``voting_method`` "papier", numbered ``P00001``… in the edition.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine

from workbench.budget.voting import BallotError, check_ballot, find_edition
from workbench.cells import FieldError, parse_date, parse_table
from workbench.i18n import _, ngettext
from workbench.staff import audit
from workbench.staff.acting import require
from workbench.staff.roles import Permission
from workbench.storage import read_connection, write_transaction
from workbench.storage.conflicts import lock
from workbench.storage.schema import pb_ballot, pb_ballot_choice, pb_edition, pb_project

__all__ = ["import_paper_ballots"]

SEPARATORS = re.compile(r"[\s,;+]+")


def import_paper_ballots(slug: str, path: Path, engine: Engine | None = None) -> int:
    """Store the paper ballots of ``path`` in edition ``slug``; how many (audited)."""
    require(Permission.BUDGET, engine=engine)
    with read_connection(engine) as conn:
        edition = find_edition(conn, slug)
        projects = {row.code: (row.id, Fraction(str(row.cost))) for row in conn.execute(
            select(pb_project.c.id, pb_project.c.code, pb_project.c.cost).where(
                pb_project.c.edition_id == edition.id, pb_project.c.status == "recevable"))}
    costs = {pid: cost for pid, cost in projects.values()}

    def parse(row: dict[str, str]) -> dict:
        codes = [c for c in SEPARATORS.split(row.get("projets", "")) if c]
        unknown = [c for c in codes if c not in projects]
        if unknown:
            raise FieldError("projets", _("no project numbered {codes} on this ballot.")
                             .format(codes=", ".join(unknown)))
        if len(set(codes)) != len(codes):
            raise FieldError("projets", _("a project is written twice."))
        points = [p for p in SEPARATORS.split(row.get("points", "")) if p]
        if edition.ballot_kind == "cumulative":
            # isdecimal, not isdigit: int() refuses "²", a digit that is not decimal
            if len(points) != len(codes) or not all(p.isdecimal() for p in points):
                raise FieldError("points", _("one whole number of points per project, in "
                                             "the same order."))
            given = [int(p) for p in points]
        else:
            given = [1] * len(codes)
        choice = {projects[c][0]: g for c, g in zip(codes, given, strict=True)}
        try:
            check_ballot(edition, costs, choice)
        except BallotError as refused:
            raise FieldError("projets", str(refused)) from None
        return {"choice": choice, "day": parse_date(row.get("date", ""), "date")}

    ballots = parse_table(Path(path), ("projets",), parse)
    with write_transaction(engine) as conn:
        lock(conn, pb_edition, pb_edition.c.id == edition.id)  # paper ballot numbers in turn
        start = conn.scalar(select(func.count()).select_from(pb_ballot).where(
            pb_ballot.c.edition_id == edition.id, pb_ballot.c.voting_method == "papier"))
        for number, ballot in enumerate(ballots, start=start + 1):
            ballot_id = conn.execute(insert(pb_ballot).values(
                edition_id=edition.id, code=f"P{number:05d}", voted_on=ballot["day"],
                voting_method="papier", extra_json="{}")).inserted_primary_key[0]
            conn.execute(insert(pb_ballot_choice), [
                {"ballot_id": ballot_id, "project_id": project, "position": position,
                 "points": points}
                for position, (project, points) in enumerate(ballot["choice"].items())])
        audit.record(conn, "budget.paper_ballots", "pb_edition", edition.id, ngettext(
            "{n} paper ballot recorded in {slug}.", "{n} paper ballots recorded in {slug}.",
            len(ballots)).format(n=len(ballots), slug=slug),
            before={"paper_ballots": start}, after={"paper_ballots": start + len(ballots)})
    return len(ballots)

