"""The council's members registry: import from CSV/XLSX with row-level French errors.

Columns (French, as staff keep them): ``nom``, ``email``, ``telephone``, ``commune`` (INSEE
code or name), ``sexe`` (F/H), ``tranche_age`` (15-29 ans … 75 ans et plus),
``college``, ``elu_communautaire`` (oui/non), ``entree``, ``sortie`` (dates), ``consentement``
(oui/non: consent to keeping the e-mail and phone, required to hold either), and
``conservation_jusqu_au`` (date). An import is all or nothing; a member already registered
(same e-mail, else same name) is updated, never duplicated; each member's consent record
follows (``workbench.rgpd.consent``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert, select, update

from workbench.cells import (
    FieldError,
    check_columns,
    check_texts,
    parse_bool,
    parse_commune,
    parse_date,
    parse_table,
)
from workbench.i18n import _
from workbench.rgpd.consent import council_consent
from workbench.staff import audit
from workbench.staff.acting import require
from workbench.staff.roles import Permission
from workbench.storage import read_connection, write_transaction
from workbench.storage.schema import council_member

__all__ = ["AGE_BANDS", "COLLEGES", "COLUMNS", "FieldError", "Member", "active_members",
           "import_members", "member_key", "parse_member"]

AGE_BANDS = ("15-29 ans", "30-44 ans", "45-59 ans", "60-74 ans", "75 ans et plus")
COLLEGES = ("habitants", "associations", "acteurs économiques", "personnes qualifiées")
COLUMNS = ("nom", "email", "telephone", "commune", "sexe", "tranche_age", "college",
           "elu_communautaire", "entree", "sortie", "consentement", "conservation_jusqu_au")
REQUIRED = ("nom", "sexe", "tranche_age", "college", "entree", "consentement")


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    commune: str | None
    sex: str
    age_band: str
    college: str
    community_councillor: bool


def parse_member(row: dict[str, str]) -> dict:
    """A member's columns (import names, text) checked and typed; raises FieldError."""
    check_texts(row)
    row = {key: (value or "") for key, value in row.items()}

    out: dict = {"name": row.get("nom", "").strip(),
                 "email": row.get("email", "").strip() or None,
                 "phone": row.get("telephone", "").strip() or None}
    if not out["name"]:
        raise FieldError("nom", _("the name is empty."))
    if out["email"] and ("@" not in out["email"] or " " in out["email"]):
        raise FieldError("email", _("'{value}' is not an e-mail address.").format(
            value=out["email"]))
    sex = row.get("sexe", "").strip().upper()[:1]
    if sex not in ("F", "H"):
        raise FieldError("sexe", _("'{value}' is not F or H.").format(value=row.get("sexe", "")))
    out["sex"] = sex
    if row.get("tranche_age", "").strip() not in AGE_BANDS:
        raise FieldError("tranche_age", _("'{value}' is not an age band ({bands}).").format(
            value=row.get("tranche_age", ""), bands=", ".join(AGE_BANDS)))
    out["age_band"] = row["tranche_age"].strip()
    if row.get("college", "").strip().lower() not in COLLEGES:
        raise FieldError("college", _("'{value}' is not a college ({colleges}).").format(
            value=row.get("college", ""), colleges=", ".join(COLLEGES)))
    out["college"] = row["college"].strip().lower()
    for column, key in (("elu_communautaire", "community_councillor"),
                        ("consentement", "consent")):
        out[key] = parse_bool(row.get(column, ""), column)
    if not out["consent"] and (out["email"] or out["phone"]):
        raise FieldError("consentement", _(
            "the member has not consented to keeping their e-mail and phone: leave 'email' "
            "and 'telephone' empty (they will be convened by post), or record their "
            "consent ('oui')."))
    for column, key in (("entree", "entry_date"), ("sortie", "exit_date"),
                        ("conservation_jusqu_au", "retention_until")):
        out[key] = parse_date(row.get(column, ""), column)
    if out["entry_date"] is None:
        raise FieldError("entree", _("the entry date is missing."))
    if out["exit_date"] and out["exit_date"] < out["entry_date"]:
        raise FieldError("sortie", _("the exit date is before the entry date."))
    out["commune"] = parse_commune(row.get("commune", ""), "commune")
    misfit = check_columns(council_member, out)  # PostgreSQL would refuse it
    if misfit:
        raise FieldError(*misfit)
    return out


def member_key(member: dict):
    """Who a member is: the same e-mail, else the same name."""
    return (council_member.c.email == member["email"]) if member["email"] else (
        council_member.c.name == member["name"])


def import_members(path: Path, engine=None) -> tuple[int, int]:
    """Import (or update) members from ``path``; returns (created, updated).

    Needs ``Permission.COUNCIL``; the counts (no personal value) go to the audit trail."""
    require(Permission.COUNCIL, engine=engine)
    members = parse_table(path, REQUIRED, parse_member)
    created = updated = 0
    now = datetime.now(UTC).replace(tzinfo=None)
    with write_transaction(engine) as conn:
        for member in members:
            existing = conn.scalar(select(council_member.c.id).where(member_key(member)))
            if existing:
                conn.execute(update(council_member).where(council_member.c.id == existing)
                             .values(**member))
                updated += 1
            else:
                existing = conn.execute(insert(council_member).values(
                    **member, created_at=now)).inserted_primary_key[0]
                created += 1
            council_consent(conn, existing, member["consent"], member["email"])
        audit.record(conn, "council.members_import", "council_member", "*",
                     _("Members imported from {file}: {created} added, {updated} updated.")
                     .format(file=path.name, created=created, updated=updated),
                     after={"file": path.name, "created": created, "updated": updated})
    return created, updated


def active_members(on: date | None = None, engine=None) -> list[Member]:
    on = on or date.today()
    with read_connection(engine) as conn:
        rows = conn.execute(select(council_member).where(
            council_member.c.entry_date <= on,
            (council_member.c.exit_date.is_(None)) | (council_member.c.exit_date > on))
            .order_by(council_member.c.name)).all()
    return [Member(r.id, r.name, r.commune, r.sex, r.age_band, r.college,
                   bool(r.community_councillor)) for r in rows]
