"""Participatory budget editions in the database, to and from pabulib files.

``import_pabulib`` stores a file as an edition (all or nothing); ``export_pabulib`` writes an
edition back as a file: fields the workbench has no column for travel in ``meta_json`` and
``extra_json``, so that import then export gives the same file. ``election`` reads an edition
for the counting rules: received projects only (a merged project's votes go to the project it
was merged into), their reviewed cost.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import Table, insert, select
from sqlalchemy.engine import Engine

from workbench.budget import pabulib
from workbench.budget.election import Election, from_pabulib
from workbench.budget.election import number as checked_number
from workbench.budget.errors import ElectionError
from workbench.cells import check_columns
from workbench.i18n import _
from workbench.storage import read_connection, write_transaction
from workbench.storage.conflicts import insert_new
from workbench.storage.schema import (
    pb_ballot,
    pb_ballot_choice,
    pb_edition,
    pb_project,
)

__all__ = ["election", "export_pabulib", "import_pabulib"]

# META keys stored in their own columns (the others go to meta_json).
META_COLUMNS = {"description": "title", "budget": "budget", "currency": "currency",
                "vote_type": "ballot_kind", "rule": "rule", "max_length": "max_projects",
                "max_sum_cost": "max_cost", "max_sum_points": "points",
                "max_points": "max_points_per_project", "min_age": "min_age"}
PROJECT_COLUMNS = {"project_id", "cost", "name", "selected", "category", "description"}
VOTE_COLUMNS = {"voter_id", "vote", "points", "voting_method"}


def _number(text: str, what: str) -> float | int:
    value = checked_number(text, what)  # a French error for text, a negative or a huge number
    return int(value) if value.denominator == 1 else float(value)


def _fit(table: Table, values: dict) -> dict:
    """``values`` if each fits its column on both databases, else a French ``ElectionError``
    (PostgreSQL refuses too long texts and numbers out of range; SQLite stores them)."""
    misfit = check_columns(table, values)
    if misfit:
        raise ElectionError(_("{what}: {problem}").format(what=misfit[0], problem=misfit[1]))
    return values


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def import_pabulib(pb: pabulib.PabulibFile, slug: str, engine: Engine | None = None) -> int:
    """Store the file as edition ``slug`` (source "pabulib"); its id. Checked first (the
    counting rules read it), then written in one transaction."""
    from_pabulib(pb)  # refuses what the rules cannot count, before anything is written
    with write_transaction(engine) as conn:
        columns = {column: pb.meta[key] for key, column in META_COLUMNS.items()
                   if key in pb.meta}
        for column in ("budget", "max_cost", "max_projects", "points",
                       "max_points_per_project", "min_age"):
            if columns.get(column):
                columns[column] = _number(columns[column], column)
        others = {k: v for k, v in pb.meta.items() if k not in META_COLUMNS}
        created = insert_new(conn, pb_edition, _fit(pb_edition, dict(
            slug=slug, title=columns.pop("title", slug), source="pabulib",
            currency=columns.pop("currency", "EUR"), eligibility="token",
            ballot_kind=columns.pop("ballot_kind", "approval"),
            rule=columns.pop("rule", "greedy"), meta_json=json.dumps(
                {"order": list(pb.meta), "fields": others}, ensure_ascii=False),
            created_at=datetime.now(UTC).replace(tzinfo=None), **columns)), keys=["slug"])
        if created is None:
            raise ElectionError(_("An edition “{slug}” exists already.").format(slug=slug))
        edition = created.id
        ids = {}
        for code, fields in pb.projects.items():
            extra = {k: v for k, v in fields.items() if k not in PROJECT_COLUMNS}
            selected = fields.get("selected")
            ids[code] = conn.execute(insert(pb_project).values(_fit(pb_project, dict(
                edition_id=edition, code=code, title=fields.get("name", code),
                description=fields.get("description", ""), category=fields.get("category"),
                cost=_number(fields["cost"], "cost"), status="recevable",
                selected=None if selected in (None, "") else selected == "1",
                extra_json=json.dumps({"columns": pb.project_columns, "fields": extra},
                                      ensure_ascii=False))))).inserted_primary_key[0]
        for code, fields in pb.votes.items():
            extra = {k: v for k, v in fields.items() if k not in VOTE_COLUMNS}
            ballot = conn.execute(insert(pb_ballot).values(_fit(pb_ballot, dict(
                edition_id=edition, code=code,
                voting_method=fields.get("voting_method") or "internet",
                extra_json=json.dumps({"columns": pb.vote_columns, "fields": extra,
                                       "method_given": "voting_method" in fields},
                                      ensure_ascii=False))))).inserted_primary_key[0]
            chosen = [v.strip() for v in fields.get("vote", "").split(",") if v.strip()]
            points = [p.strip() for p in fields.get("points", "").split(",") if p.strip()]
            if chosen:
                conn.execute(insert(pb_ballot_choice), [_fit(pb_ballot_choice, {
                    "ballot_id": ballot, "project_id": ids[project], "position": position,
                    "points": _number(points[position], "points") if points else 1})
                    for position, project in enumerate(chosen)])
    return edition


def export_pabulib(slug: str, engine: Engine | None = None) -> pabulib.PabulibFile:
    """The edition as a pabulib file (received projects, every ballot)."""
    with read_connection(engine) as conn:
        edition = conn.execute(select(pb_edition).where(pb_edition.c.slug == slug)).first()
        if edition is None:
            raise ElectionError(_("No participatory budget edition “{slug}”.").format(
                slug=slug))
        projects = conn.execute(select(pb_project).where(
            pb_project.c.edition_id == edition.id,
            pb_project.c.status == "recevable").order_by(pb_project.c.id)).all()
        ballots = conn.execute(select(pb_ballot).where(pb_ballot.c.edition_id == edition.id)
                               .order_by(pb_ballot.c.id)).all()
        every = {row.id: row for row in conn.execute(
            select(pb_project.c.id, pb_project.c.code, pb_project.c.status,
                   pb_project.c.merged_into).where(pb_project.c.edition_id == edition.id))}
        choices = conn.execute(
            select(pb_ballot_choice.c.ballot_id, pb_ballot_choice.c.project_id,
                   pb_ballot_choice.c.points)
            .join(pb_ballot, pb_ballot.c.id == pb_ballot_choice.c.ballot_id)
            .where(pb_ballot.c.edition_id == edition.id)
            .order_by(pb_ballot_choice.c.ballot_id, pb_ballot_choice.c.position)).all()
    stored = json.loads(edition.meta_json or "{}")
    values = {key: _text(getattr(edition, column)) for key, column in META_COLUMNS.items()}
    values.update(stored.get("fields", {}))
    values["num_projects"] = str(len(projects))
    values["num_votes"] = str(len(ballots))
    order = stored.get("order") or ["description", "country", "unit", "instance",
                                    "num_projects", "num_votes", "budget", "vote_type",
                                    "rule", "currency"]
    meta = {key: values[key] for key in order if values.get(key, "") != ""}
    meta.update({k: v for k, v in values.items() if k not in meta and v != ""})
    pb = pabulib.PabulibFile(meta=meta)
    for project in projects:
        extra = json.loads(project.extra_json or "{}")
        if extra.get("columns"):
            pb.project_columns = extra["columns"]
        fields = {"project_id": project.code, "cost": _text(project.cost),
                  "name": project.title, "description": project.description,
                  "category": project.category or "",
                  "selected": "" if project.selected is None else str(int(project.selected))}
        fields.update(extra.get("fields", {}))
        pb.projects[project.code] = fields
    by_ballot: dict[int, dict[str, int]] = {}
    for row in choices:
        # A vote for a merged project goes to the project it was merged into; one for a
        # project not received is not counted.
        project, seen = every[row.project_id], set()
        while project.status == "fusionnee" and project.merged_into and project.id not in seen:
            seen.add(project.id)
            project = every[project.merged_into]
        if project.status == "recevable":
            ballot = by_ballot.setdefault(row.ballot_id, {})
            ballot[project.code] = ballot.get(project.code, 0) + row.points
    cumulative = edition.ballot_kind == "cumulative"
    for number, ballot in enumerate(ballots, start=1):
        extra = json.loads(ballot.extra_json or "{}")
        if extra.get("columns"):
            pb.vote_columns = extra["columns"]
        chosen = by_ballot.get(ballot.id, {})
        # A file's own voter ids travel back; a ballot cast here is numbered in the (random)
        # order of ids, never by its receipt, which would tell its holder's vote.
        voter = ballot.code if edition.source == "pabulib" else str(number)
        fields = {"voter_id": voter, "vote": ",".join(chosen)}
        if cumulative:
            fields["points"] = ",".join(str(points) for points in chosen.values())
        if extra.get("method_given", True):
            fields["voting_method"] = ballot.voting_method
        fields.update(extra.get("fields", {}))
        pb.votes[voter] = fields
    if "points" not in pb.vote_columns and cumulative:
        pb.vote_columns = [*pb.vote_columns, "points"]
    if not pb.projects:
        pb.project_columns = ["project_id", "cost", "name"]
    return pb


def election(slug: str, engine: Engine | None = None) -> Election:
    """The edition as the counting rules see it."""
    return from_pabulib(export_pabulib(slug, engine))
