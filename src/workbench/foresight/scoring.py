"""MICMAC scoring in workshops: groups score the influence of their assigned variables.

The facilitator creates a study (its variables) and groups, each assigned some rows (source
variables): a 30-variable matrix (870 pairs) is split across tables. Each score is stored as
it is given (one upsert), so a group resumes where it stopped. The matrix is assembled from
all groups: the median where several groups scored a pair, and pairs on which they disagree
(a spread of 2 or more, or "P" against a number) are listed for discussion.

Light on purpose (no numpy or pandas): the scoring page runs in a participant kernel.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, select

from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.storage import read_connection, write_transaction
from workbench.storage.conflicts import insert_new, upsert
from workbench.storage.schema import micmac_group, micmac_score, micmac_study
from workbench.workshops.sessions import new_session_code

__all__ = ["VALUES", "Assembly", "Group", "assemble", "create_group", "create_study",
           "find_group", "pairs", "save_score", "scores"]

VALUES = ("0", "1", "2", "3", "P")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Group:
    id: int
    code: str
    name: str
    study: str
    title: str
    variables: tuple[str, ...]
    rows: tuple[str, ...]


def create_study(slug: str, title: str, variables: list[str], engine=None) -> None:
    names = [v.strip() for v in variables if v.strip()]
    if len(names) < 2 or len(set(names)) != len(names):
        raise WorkbenchError(_("A study needs at least two variables, each named once."))
    with write_transaction(engine) as conn:
        if not insert_new(conn, micmac_study, {
                "slug": slug, "title": title,
                "variables_json": json.dumps(names, ensure_ascii=False),
                "created_at": _now()}, keys=["slug"]):
            raise WorkbenchError(_("The study '{slug}' already exists.").format(slug=slug))


def create_group(slug: str, name: str, rows: list[str], engine=None) -> str:
    """A group scoring the influence of ``rows`` on every other variable; its code."""
    with write_transaction(engine) as conn:
        study = conn.execute(select(micmac_study).where(micmac_study.c.slug == slug)).first()
        if study is None:
            raise WorkbenchError(_("No MICMAC study '{slug}'.").format(slug=slug))
        variables = json.loads(study.variables_json)
        unknown = [r for r in rows if r not in variables]
        if unknown or not rows:
            raise WorkbenchError(_("Unknown variables: {names} (the study has: {known}).")
                                 .format(names=", ".join(unknown) or "—",
                                         known=", ".join(variables)))
        code = new_session_code()
        conn.execute(insert(micmac_group).values(
            study_id=study.id, code=code, name=name,
            rows_json=json.dumps(rows, ensure_ascii=False), created_at=_now()))
    return code


def find_group(code: str, engine=None) -> Group | None:
    with read_connection(engine) as conn:
        row = conn.execute(
            select(micmac_group, micmac_study.c.slug, micmac_study.c.title,
                   micmac_study.c.variables_json)
            .join(micmac_study, micmac_study.c.id == micmac_group.c.study_id)
            .where(micmac_group.c.code == code.strip().upper())).first()
    if row is None:
        return None
    return Group(row.id, row.code, row.name, row.slug, row.title,
                 tuple(json.loads(row.variables_json)), tuple(json.loads(row.rows_json)))


def pairs(group: Group) -> list[tuple[str, str]]:
    """The pairs (source, target) the group scores, row by row."""
    return [(source, target) for source in group.rows for target in group.variables
            if target != source]


def scores(group: Group, engine=None) -> dict[tuple[str, str], str]:
    with read_connection(engine) as conn:
        return {(r.source, r.target): r.value for r in conn.execute(
            select(micmac_score).where(micmac_score.c.group_id == group.id))}


def save_score(group: Group, source: str, target: str, value: str, engine=None) -> None:
    """Record (or change) one score; refused if the pair is not the group's."""
    if (source, target) not in set(pairs(group)):
        raise WorkbenchError(_("This pair is not assigned to your group."))
    if value not in VALUES:
        raise WorkbenchError(_("A score is 0, 1, 2, 3 or P."))
    with write_transaction(engine) as conn:
        upsert(conn, micmac_score, {"group_id": group.id, "source": source, "target": target,
                                    "value": value, "scored_at": _now()},
               keys=["group_id", "source", "target"])


@dataclass(frozen=True)
class Assembly:
    variables: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]  # "" where no group scored the pair
    disagreements: tuple[tuple[str, str, tuple[str, ...]], ...]
    missing: int


def _combine(values: list[str]) -> str:
    numbers = [int(v) for v in values if v != "P"]
    if len(numbers) * 2 < len(values):  # most groups said "potential"
        return "P"
    return str(int(statistics.median(numbers) + 0.5))  # median, halves rounded up


def assemble(slug: str, engine=None) -> Assembly:
    """The study's matrix from every group's scores."""
    with read_connection(engine) as conn:
        study = conn.execute(select(micmac_study).where(micmac_study.c.slug == slug)).first()
        if study is None:
            raise WorkbenchError(_("No MICMAC study '{slug}'.").format(slug=slug))
        rows = conn.execute(select(micmac_score.c.source, micmac_score.c.target,
                                   micmac_score.c.value)
                            .join(micmac_group, micmac_group.c.id == micmac_score.c.group_id)
                            .where(micmac_group.c.study_id == study.id)
                            .order_by(micmac_group.c.id)).all()
    variables = tuple(json.loads(study.variables_json))
    given: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        given.setdefault((row.source, row.target), []).append(row.value)
    cells, disagreements, missing = [], [], 0
    for source in variables:
        line = []
        for target in variables:
            values = given.get((source, target), [])
            if source == target:
                line.append("0")
                continue
            if not values:
                missing += 1
                line.append("")
                continue
            line.append(_combine(values))
            numbers = [int(v) for v in values if v != "P"]
            if (numbers and max(numbers) - min(numbers) >= 2) or (
                    "P" in values and numbers):
                disagreements.append((source, target, tuple(values)))
        cells.append(tuple(line))
    return Assembly(variables, tuple(cells), tuple(disagreements), missing)
