"""The subsidies awarded, as open data in the national SCDL "subventions" schema (v2.1).

Columns and formats (``;``-separated, UTF-8): ``idAttribuant`` and ``idBeneficiaire`` 14-digit
SIRET, ``rnaBeneficiaire`` ``W`` + 9 digits (optional), dates ``AAAA-MM-JJ``, ``montant`` a
number with a point, ``nature`` "aide en numéraire" and/or "aide en nature",
``conditionsVersement`` unique / échelonné / autre, ``datesPeriodeVersement`` a date or a
period ``AAAA-MM-JJ/AAAA-MM-JJ``, ``notificationUE`` oui/non, ``pourcentageSubvention`` 0.01–1.
Every row is checked before the file is written; the file is not written if one is wrong.
Older files (v1/v2.0, e.g. the Roques example) lack ``rnaBeneficiaire`` and ``dispositifAide``.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

from sqlalchemy import select

from workbench.associations.access import require_any
from workbench.errors import WorkbenchError
from workbench.i18n import _, ngettext
from workbench.settings import project_home
from workbench.spreadsheets import write_csv
from workbench.staff.roles import Permission
from workbench.storage import read_connection
from workbench.storage.schema import association, subsidy_request

__all__ = ["COLUMNS", "check_rows", "export_scdl", "normalise_legacy", "read_scdl",
           "scdl_rows"]

COLUMNS = ("nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision",
           "nomBeneficiaire", "idBeneficiaire", "rnaBeneficiaire", "objet", "montant", "nature",
           "conditionsVersement", "datesPeriodeVersement", "idRAE", "notificationUE",
           "pourcentageSubvention", "dispositifAide")
REQUIRED = {"nomAttribuant", "idAttribuant", "dateConvention", "nomBeneficiaire",
            "idBeneficiaire", "objet", "montant", "nature", "conditionsVersement",
            "datesPeriodeVersement", "notificationUE", "pourcentageSubvention"}
NATURES = {"aide en numéraire", "aide en nature", "aide en numéraire;aide en nature",
           "aide en nature;aide en numéraire"}
PATTERNS = {
    "idAttribuant": re.compile(r"^\d{14}$"),
    "idBeneficiaire": re.compile(r"^\d{14}$"),
    "rnaBeneficiaire": re.compile(r"^W\d{9}$"),
    "dateConvention": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "datesPeriodeVersement": re.compile(r"^\d{4}-\d{2}-\d{2}(/\d{4}-\d{2}-\d{2})?$"),
    "montant": re.compile(r"^\d+(\.\d+)?$"),
    "pourcentageSubvention": re.compile(r"^\d+(\.\d+)?$"),
}
PAID = ("votée", "notifiée", "versée", "bilan reçu")


def _valid_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _cell_problem(column: str, value: str) -> str | None:
    if not value:
        return _("required value missing") if column in REQUIRED else None
    pattern = PATTERNS.get(column)
    if pattern and not pattern.match(value):
        return _("'{value}' does not have the expected format").format(value=value)
    if column in ("dateConvention", "datesPeriodeVersement") and not all(
            _valid_date(part) for part in value.split("/")):
        return _("'{value}' is not a real date").format(value=value)
    if column == "nature" and value not in NATURES:
        return _("'{value}' is not aide en numéraire and/or aide en nature").format(value=value)
    if column == "notificationUE" and value not in ("oui", "non"):
        return _("'{value}' is not oui or non").format(value=value)
    if column == "pourcentageSubvention" and not 0.01 <= float(value) <= 1:
        return _("'{value}' is not between 0.01 and 1").format(value=value)
    if column in ("objet", "conditionsVersement") and len(value) > 256:
        return _("longer than 256 characters")
    if column == "conditionsVersement" and value not in ("unique", "échelonné") \
            and value.lower() in ("unique", "échelonné", "echelonné", "echelonne", "échelonne"):
        return _("'{value}' must be written unique or échelonné").format(value=value)
    if column == "idRAE" and len(value) > 5:
        return _("longer than 5 characters")
    return None


def check_rows(rows: list[dict[str, str]], names: list[str] | None = None) -> list[str]:
    """Every problem, as ``ligne N, colonne X : …`` (line 2 is the first row under the
    header), or named by ``names`` (one per row) instead of the line."""
    problems = []
    for line, row in enumerate(rows, start=2):
        for column in COLUMNS:
            if column not in row:
                continue
            problem = _cell_problem(column, row[column])
            if problem and names:
                problems.append(_("{name}, column {column}: {message}").format(
                    name=names[line - 2], column=column, message=problem))
            elif problem:
                problems.append(_("line {line}, column {column}: {message}").format(
                    line=line, column=column, message=problem))
    return problems


def normalise_legacy(row: dict[str, str]) -> dict[str, str]:
    """An older SCDL row in today's formats: nature and conditions in lower case, periods
    with ``/`` (older files used ``_``)."""
    out = dict(row)
    for column in ("nature", "conditionsVersement", "notificationUE"):
        if column in out:
            out[column] = out[column].lower()
    if "datesPeriodeVersement" in out:
        out["datesPeriodeVersement"] = out["datesPeriodeVersement"].replace("_", "/")
    return out


def read_scdl(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    text = path.read_bytes().decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    return list(reader.fieldnames or []), list(reader)


def _amount(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _attribuant() -> tuple[str, str]:
    from workbench.yamlfile import load_yaml_mapping

    data = load_yaml_mapping(project_home() / "data" / "associations" / "attribuant.yaml")
    return str(data["nom"]), str(data["siret"])


def scdl_rows(year: int, engine=None) -> list[dict[str, str]]:
    """The subsidies voted for ``year`` (amount above zero), one SCDL row each."""
    name, siret = _attribuant()
    with read_connection(engine) as conn:
        rows = conn.execute(
            select(subsidy_request, association.c.title.label("beneficiary"),
                   association.c.siret.label("beneficiary_siret"),
                   association.c.rna.label("beneficiary_rna"))
            .join(association, association.c.id == subsidy_request.c.association_id)
            .where(subsidy_request.c.year == year, subsidy_request.c.status.in_(PAID),
                   subsidy_request.c.amount_voted > 0)
            .order_by(subsidy_request.c.reference)).all()
    out = []
    for r in rows:
        signed = r.convention_on or r.decision_on
        out.append({
            "nomAttribuant": name, "idAttribuant": siret,
            "dateConvention": signed.isoformat() if signed else "",
            "referenceDecision": r.decision_ref or "",
            "nomBeneficiaire": r.beneficiary, "idBeneficiaire": r.beneficiary_siret or "",
            "rnaBeneficiaire": r.beneficiary_rna or "",
            "objet": r.title if len(r.title) <= 256 else r.title[:255] + "…",
            "montant": _amount(r.amount_voted), "nature": "aide en numéraire",
            "conditionsVersement": "échelonné" if r.multi_year else "unique",
            "datesPeriodeVersement": r.paid_on.isoformat() if r.paid_on
            else f"{year}-01-01/{year}-12-31",
            "idRAE": "", "notificationUE": "non", "pourcentageSubvention": "1",
            "dispositifAide": f"Subventions aux associations ({r.service})",
        })
    return out


def export_scdl(year: int, path: Path, engine=None) -> int:
    """Write the year's subsidies to ``path``; refused (nothing written) if a row is wrong.

    Open data without personal data: the EXPORT or the ASSOCIATIONS permission."""
    require_any(Permission.EXPORT, Permission.ASSOCIATIONS, engine=engine)
    rows = scdl_rows(year, engine)
    problems = check_rows(rows, [f"{r['referenceDecision']} · {r['nomBeneficiaire']}"
                                 for r in rows])
    if problems:
        shown = "\n".join(problems[:20])
        raise WorkbenchError(ngettext("The SCDL file was not written, {n} problem:\n{problems}",
                                      "The SCDL file was not written, {n} problems:\n{problems}",
                                      len(problems)).format(n=len(problems), problems=shown))
    table = [list(COLUMNS), *([row[c] for c in COLUMNS] for row in rows)]
    return write_csv(path, table, encoding="utf-8") - 1
