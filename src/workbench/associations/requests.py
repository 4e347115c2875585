"""Subsidy requests (the essentials of CERFA n°12156) through the year, and their alerts.

A request is entered on the staff page or imported from the service's spreadsheet (CSV/XLSX,
French columns, all or nothing, upserted on ``reference``). Its status goes reçue → complète →
instruite → passée en comité → votée → notifiée → versée → bilan reçu (or refusée). Alerts:
documents missing, financial report overdue (six months after the year), a grant of 23,000 € or
more without its convention d'objectifs.

Entering, importing and moving requests need the ASSOCIATIONS permission; every change of a
request's amount requested or status is in the audit trail (one entry per request changed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select, update

from workbench.cells import (
    FieldError,
    cell_text,
    check_columns,
    check_texts,
    parse_amount,
    parse_bool,
    parse_commune,
    parse_date,
    parse_table,
)
from workbench.errors import WorkbenchError
from workbench.french import french_number, tidy
from workbench.i18n import _
from workbench.staff import audit
from workbench.staff.acting import require
from workbench.staff.roles import Permission
from workbench.storage import read_connection, write_transaction
from workbench.storage.conflicts import insert_new
from workbench.storage.schema import association, subsidy_request

__all__ = ["COLUMNS", "CONVENTION_THRESHOLD", "DOCUMENTS", "KINDS", "SERVICES", "STATUSES",
           "Alert", "alerts", "import_requests", "list_requests", "parse_request",
           "request_fields", "required_documents", "save_request", "set_status"]

SERVICES = ("environnement", "sport", "culture", "social", "jeunesse", "identité bretonne",
            "coopération internationale", "tourisme", "économie", "communication")
KINDS = ("fonctionnement", "projet")
STATUSES = ("reçue", "complète", "instruite", "passée en comité", "votée", "notifiée",
            "versée", "bilan reçu", "refusée")
DOCUMENTS = {
    "statuts": "Statuts",
    "dirigeants": "Liste des dirigeants",
    "rib": "RIB",
    "budget_association": "Budget prévisionnel de l'association",
    "comptes": "Derniers comptes approuvés",
    "rapport_activite": "Dernier rapport d'activité",
    "budget_projet": "Budget du projet",
    "compte_rendu_financier": "Compte rendu financier de la subvention précédente "
                              "(CERFA n°15059)",
}
CONVENTION_THRESHOLD = 23_000  # € — décret n°2001-495: convention d'objectifs required
COLUMNS = ("reference", "rna", "siret", "association", "commune", "annee", "service", "type",
           "renouvellement", "pluriannuel", "intitule", "description", "objectifs", "public",
           "debut", "fin", "budget_total", "montant_demande", "autres_financeurs", "statut",
           "pieces", "commission", "convention", "versement", "bilan_recu")
REQUIRED = ("reference", "association", "annee", "service", "type", "intitule",
            "montant_demande")
RNA = re.compile(r"^W\d{9}$")


def required_documents(kind: str, renewal: bool) -> list[str]:
    """The documents a file needs: the common ones, the project's budget, the last report."""
    codes = ["statuts", "dirigeants", "rib", "budget_association", "comptes",
             "rapport_activite"]
    if kind == "projet":
        codes.append("budget_projet")
    if renewal:
        codes.append("compte_rendu_financier")
    return codes


def _documents(value: str) -> list[str]:
    """``statuts, RIB; budget du projet`` → codes (by code or label, any case)."""
    by_name = {**{c: c for c in DOCUMENTS}, **{label.lower(): c for c, label in DOCUMENTS.items()}}
    out = []
    for part in re.split(r"[,;\n]", value or ""):
        name = part.strip().lower()
        if not name:
            continue
        if name not in by_name:
            raise FieldError("pieces", _("'{value}' is not a document of the file ({codes}).")
                             .format(value=part.strip(), codes=", ".join(DOCUMENTS)))
        out.append(by_name[name])
    return sorted(set(out), key=list(DOCUMENTS).index)


def _choice(value: str, column: str, allowed: tuple[str, ...]) -> str:
    value = (value or "").strip().lower()
    if value not in allowed:
        raise FieldError(column, _("'{value}' is not one of: {values}.").format(
            value=value, values=", ".join(allowed)))
    return value


def parse_request(row: dict[str, str]) -> dict:
    """A request's columns (import names, text) checked and typed; raises FieldError."""
    record = _parse_request(row)
    misfit = check_columns(subsidy_request, record) or check_columns(association, {
        "rna": record["rna"], "siret": record["siret"], "title": record["association"]})
    if misfit:
        raise FieldError(*misfit)
    return record


def _parse_request(row: dict[str, str]) -> dict:
    check_texts(row)
    row = {key: (value or "").strip() for key, value in row.items()}
    if not row.get("reference"):
        raise FieldError("reference", _("the reference is empty."))
    if row.get("rna") and not RNA.match(row["rna"].upper()):
        raise FieldError("rna", _("'{value}' is not an RNA number (W and 9 digits).").format(
            value=row["rna"]))
    siret = re.sub(r"\s", "", row.get("siret", ""))
    if siret and not re.fullmatch(r"\d{14}", siret):
        raise FieldError("siret", _("'{value}' is not a SIRET number (14 digits).").format(
            value=row["siret"]))
    if not row.get("association"):
        raise FieldError("association", _("the association's name is empty."))
    try:
        year = int(row.get("annee", ""))
    except ValueError:
        raise FieldError("annee", _("'{value}' is not a year.").format(
            value=row.get("annee", ""))) from None
    if not 2000 <= year <= 2100:
        raise FieldError("annee", _("'{value}' is not a year.").format(value=year))
    if not row.get("intitule"):
        raise FieldError("intitule", _("the title is empty."))
    start, end = parse_date(row.get("debut", ""), "debut"), parse_date(row.get("fin", ""), "fin")
    if start and end and end < start:
        raise FieldError("fin", _("the end date is before the start date."))
    requested = parse_amount(row.get("montant_demande", ""), "montant_demande", required=True)
    budget = parse_amount(row.get("budget_total", ""), "budget_total")
    if budget is not None and requested > budget:
        raise FieldError("montant_demande", _("the amount requested is above the project's "
                                              "total budget."))
    return {
        "reference": row["reference"], "rna": row.get("rna", "").upper() or None,
        "siret": siret or None, "association": row["association"],
        "commune": parse_commune(row.get("commune", ""), "commune"), "year": year,
        "service": _choice(row.get("service", ""), "service", SERVICES),
        "kind": _choice(row.get("type", ""), "type", KINDS),
        "renewal": parse_bool(row.get("renouvellement", ""), "renouvellement"),
        "multi_year": parse_bool(row.get("pluriannuel", ""), "pluriannuel"),
        "title": row["intitule"], "description": row.get("description", ""),
        "objectives": row.get("objectifs", ""), "public": row.get("public", ""),
        "start_on": start, "end_on": end, "budget_total": budget,
        "amount_requested": requested, "other_funders": row.get("autres_financeurs", ""),
        "status": _choice(row.get("statut", "") or "reçue", "statut", STATUSES),
        "documents": "\n".join(_documents(row.get("pieces", ""))),
        "edition": row.get("commission") or None,
        # follow-up dates, only when the file has their columns (never erased by omission)
        **{key: parse_date(row[column], column) for column, key in (
            ("convention", "convention_on"), ("versement", "paid_on"),
            ("bilan_recu", "report_received_on")) if column in row},
    }


def _association_id(conn, record: dict, now: datetime) -> int:
    """The association of a request: by RNA number, else SIRET, else name; created if new."""
    for column, value in ((association.c.rna, record["rna"]),
                          (association.c.siret, record["siret"]),
                          (association.c.title, record["association"])):
        if value:
            found = conn.scalar(select(association.c.id).where(column == value).limit(1))
            if found:
                return found
    created = insert_new(conn, association, {  # an RNA number given meanwhile: that one
        "rna": record["rna"], "siret": record["siret"], "title": record["association"],
        "commune": record["commune"], "position": "A", "source": "saisie", "imported_at": now},
        keys=["rna"])
    return created.id if created else conn.scalar(
        select(association.c.id).where(association.c.rna == record["rna"]))


AUDITED = ("amount_requested", "status")  # a change of these is in the audit trail


def _store(conn, record: dict, now: datetime, action: str) -> tuple[int, bool]:
    """Insert or update (on ``reference``) one request; an audit entry ``action`` if its
    amount requested or status changed (or it is new)."""
    values = {k: v for k, v in record.items()
              if k not in ("rna", "siret", "association", "commune")}
    values["association_id"] = _association_id(conn, record, now)
    values["updated_at"] = now
    after = {key: values[key] for key in AUDITED}
    created = insert_new(conn, subsidy_request, values, keys=["reference"])
    if created is not None:
        _audit(conn, action, created.id, record, None, after)
        return created.id, True
    old = conn.execute(select(subsidy_request).where(
        subsidy_request.c.reference == record["reference"])).one()
    conn.execute(update(subsidy_request).where(subsidy_request.c.id == old.id)
                 .values(**values))
    before = {key: getattr(old, key) for key in AUDITED}
    if before != after:
        _audit(conn, action, old.id, record, before, after)
    return old.id, False


def _audit(conn, action: str, request_id: int, record: dict, before: dict | None,
           after: dict) -> None:
    summary = (_("Request {reference} of {association} entered: {amount} € requested, "
                 "{status}.") if before is None else
               _("Request {reference} of {association}: {amount} € requested, {status}."))
    audit.record(conn, action, "subsidy_request", request_id, summary.format(
        reference=record["reference"], association=record["association"],
        amount=french_number(tidy(after["amount_requested"])), status=after["status"]),
        before=before, after=after)


def import_requests(path: Path, engine=None) -> tuple[int, int]:
    """Import (or update, on ``reference``) requests; (created, updated). All or nothing."""
    require(Permission.ASSOCIATIONS, engine=engine)
    records = parse_table(path, REQUIRED, parse_request)
    now = datetime.now(UTC).replace(tzinfo=None)
    created = 0
    with write_transaction(engine) as conn:
        for record in records:
            created += _store(conn, record, now, "associations.request.import")[1]
    return created, len(records) - created


def save_request(fields: dict[str, str], engine=None) -> int:
    """Add or change one request from the staff page; French error naming the field."""
    require(Permission.ASSOCIATIONS, engine=engine)
    try:
        record = parse_request(fields)
    except FieldError as error:
        raise WorkbenchError(_("Field '{name}': {message}").format(
            name=error.column, message=error.message)) from None
    with write_transaction(engine) as conn:
        return _store(conn, record, datetime.now(UTC).replace(tzinfo=None),
                      "associations.request.save")[0]


def request_fields(request_id: int, engine=None) -> dict[str, str]:
    """A stored request as the import's columns (text), to edit it on the staff page."""
    with read_connection(engine) as conn:
        r = conn.execute(select(subsidy_request, association.c.rna, association.c.siret,
                                association.c.title.label("name"), association.c.commune)
                         .join(association, association.c.id == subsidy_request.c.association_id)
                         .where(subsidy_request.c.id == request_id)).one()

    values = {"reference": r.reference, "rna": r.rna, "siret": r.siret, "association": r.name,
              "commune": r.commune, "annee": r.year, "service": r.service, "type": r.kind,
              "renouvellement": r.renewal, "pluriannuel": r.multi_year, "intitule": r.title,
              "description": r.description, "objectifs": r.objectives, "public": r.public,
              "debut": r.start_on, "fin": r.end_on, "budget_total": r.budget_total,
              "montant_demande": r.amount_requested, "autres_financeurs": r.other_funders,
              "statut": r.status, "pieces": ", ".join(r.documents.split("\n")),
              "commission": r.edition, "convention": r.convention_on, "versement": r.paid_on,
              "bilan_recu": r.report_received_on}
    return {k: cell_text(v) for k, v in values.items()}


def list_requests(year: int, engine=None) -> list[tuple[int, str, str, str, str, float]]:
    """(id, reference, association, service, status, amount requested) of a year."""
    with read_connection(engine) as conn:
        return [tuple(r) for r in conn.execute(
            select(subsidy_request.c.id, subsidy_request.c.reference, association.c.title,
                   subsidy_request.c.service, subsidy_request.c.status,
                   subsidy_request.c.amount_requested)
            .join(association, association.c.id == subsidy_request.c.association_id)
            .where(subsidy_request.c.year == year).order_by(subsidy_request.c.reference))]


def set_status(request_id: int, status: str, engine=None, **dates: date | None) -> None:
    """Move a request to ``status``; dates (``paid_on``, ``report_received_on``…) alongside."""
    require(Permission.ASSOCIATIONS, engine=engine)
    if status not in STATUSES:
        raise WorkbenchError(_("The status is one of: {values}.").format(
            values=", ".join(STATUSES)))
    allowed = {"convention_on", "paid_on", "report_received_on", "decision_on"}
    given = {k: v for k, v in dates.items() if k in allowed}
    with write_transaction(engine) as conn:
        old = conn.execute(select(subsidy_request).where(
            subsidy_request.c.id == request_id)).first()
        if old is None:
            raise WorkbenchError(_("No request no. {id}.").format(id=request_id))
        conn.execute(update(subsidy_request).where(subsidy_request.c.id == request_id)
                     .values(status=status, updated_at=datetime.now(UTC).replace(tzinfo=None),
                             **given))
        audit.record(conn, "associations.request.status", "subsidy_request", request_id,
                     _("Request {reference}: status {before} → {after}.").format(
                         reference=old.reference, before=old.status, after=status),
                     before={"status": old.status, **{k: getattr(old, k) for k in given}},
                     after={"status": status, **given})


@dataclass(frozen=True)
class Alert:
    request_id: int
    reference: str
    association: str
    kind: str  # pieces | bilan | convention
    message: str


def alerts(today: date, engine=None) -> list[Alert]:
    """What needs chasing, request by request."""
    before_vote = set(STATUSES[:4])
    with read_connection(engine) as conn:
        rows = conn.execute(select(subsidy_request, association.c.title.label("name"),
                                   association.c.siret)
                            .join(association, association.c.id ==
                                  subsidy_request.c.association_id)
                            .order_by(subsidy_request.c.reference)).all()
    out = []
    for r in rows:
        if r.status in before_vote:
            have = set(filter(None, r.documents.split("\n")))
            missing = [DOCUMENTS[c] for c in required_documents(r.kind, r.renewal)
                       if c not in have]
            if missing:
                out.append(Alert(r.id, r.reference, r.name, "pieces", _(
                    "Documents missing: {documents}.").format(documents=", ".join(missing))))
            if not r.siret and r.status != "refusée":
                out.append(Alert(r.id, r.reference, r.name, "siret", _(
                    "No SIRET number: needed to pay and to publish the subsidy.")))
        due = date(r.year + 1, 6, 30)
        if r.status == "versée" and r.report_received_on is None and today > due:
            out.append(Alert(r.id, r.reference, r.name, "bilan", _(
                "Financial report overdue (due {date}).").format(date=due.strftime("%d/%m/%Y"))))
        granted = r.amount_voted if r.amount_voted is not None else r.amount_proposed
        if granted is not None and granted >= CONVENTION_THRESHOLD and r.convention_on is None \
                and r.status != "refusée":
            out.append(Alert(r.id, r.reference, r.name, "convention", _(
                "A grant of 23,000 € or more needs a convention d'objectifs: none recorded.")))
    return out
