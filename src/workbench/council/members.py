"""The council's members registry: import from CSV/XLSX with row-level French errors.

Columns (French, as staff keep them): ``nom``, ``email``, ``telephone``, ``commune`` (INSEE
code or name), ``sexe`` (F/H), ``tranche_age`` (15-29 ans … 75 ans et plus),
``college``, ``elu_communautaire`` (oui/non), ``entree``, ``sortie`` (dates), ``consentement``
(oui/non: consent to keeping the e-mail and phone, required to hold either),
``date_consentement`` (optional: the date of the signed form; needed to record a consent
again after a withdrawal), and ``conservation_jusqu_au`` (date). An import is all or
nothing; a member already registered (same e-mail, else same name without an e-mail) is
updated, never duplicated; each member's consent record follows (``workbench.rgpd.consent``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, insert, select, update

from workbench.cells import (
    FieldError,
    check_columns,
    check_texts,
    parse_bool,
    parse_commune,
    parse_date,
    parse_table,
)
from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.rgpd.consent import council_consent
from workbench.staff import audit
from workbench.staff.acting import require
from workbench.staff.roles import Permission
from workbench.storage import read_connection, write_transaction
from workbench.storage.schema import council_member

__all__ = ["AGE_BANDS", "COLLEGES", "COLUMNS", "FieldError", "Member", "active_members",
           "check_consent_again", "find_member", "import_members", "parse_member"]

AGE_BANDS = ("15-29 ans", "30-44 ans", "45-59 ans", "60-74 ans", "75 ans et plus")
COLLEGES = ("habitants", "associations", "acteurs économiques", "personnes qualifiées")
COLUMNS = ("nom", "email", "telephone", "commune", "sexe", "tranche_age", "college",
           "elu_communautaire", "entree", "sortie", "consentement", "date_consentement",
           "conservation_jusqu_au")
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
                        ("conservation_jusqu_au", "retention_until"),
                        ("date_consentement", "consent_signed_on")):
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


def find_member(conn, member: dict) -> int | None:
    """Who a member is: the same e-mail (whatever its case), else the same name among the
    members without one (a member who withdrew their consent has no e-mail any more)."""
    if member["email"]:
        found = conn.scalar(select(council_member.c.id).where(
            func.lower(council_member.c.email) == member["email"].lower()))
        if found is not None:
            return found
    return conn.scalar(select(council_member.c.id).where(
        council_member.c.name == member["name"], council_member.c.email.is_(None))
        .order_by(council_member.c.id))


def check_consent_again(conn, member_id: int, member: dict, signed_on) -> None:
    """A member who withdrew their consent gives it again only by a newly signed form, dated
    after the withdrawal: a re-imported spreadsheet does not bring their e-mail back."""
    from workbench.rgpd.consent import withdrawn_on

    withdrawn = withdrawn_on(conn, member_id)
    if member["consent"] and withdrawn is not None and (
            signed_on is None or signed_on <= withdrawn.date()):
        raise WorkbenchError(_(
            "{name} withdrew their consent on {day}: to keep their e-mail and phone again, "
            "give the date of their newly signed form (date_consentement), or set "
            "consentement to 'non'.").format(name=member["name"],
                                            day=withdrawn.strftime("%d/%m/%Y")))


def import_members(path: Path, engine=None) -> tuple[int, int]:
    """Import (or update) members from ``path``; returns (created, updated).

    Needs ``Permission.COUNCIL``; the counts (no personal value) go to the audit trail."""
    require(Permission.COUNCIL, engine=engine)
    members = parse_table(path, REQUIRED, parse_member)
    created = updated = 0
    now = datetime.now(UTC).replace(tzinfo=None)
    with write_transaction(engine) as conn:
        for member in members:
            signed_on = member.pop("consent_signed_on")
            existing = find_member(conn, member)
            if existing:
                check_consent_again(conn, existing, member, signed_on)
                conn.execute(update(council_member).where(council_member.c.id == existing)
                             .values(**member))
                updated += 1
            else:
                existing = conn.execute(insert(council_member).values(
                    **member, created_at=now)).inserted_primary_key[0]
                created += 1
            council_consent(conn, existing, member["consent"], member["email"], signed_on)
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
