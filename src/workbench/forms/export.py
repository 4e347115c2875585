"""Exporting responses to CSV or XLSX, one column per question (and per option where needed).

The XLSX has three sheets: ``Réponses``, ``Libellés`` (every column and code explained, so an
analyst understands it without the spec) and ``À propos``. ``read_export`` reads a file back
into answers: the export round-trips.

Exporting needs ``Permission.EXPORT`` and nothing more: an export holds no direct identifier,
even for a questionnaire in identified mode (its rows carry the receipt, never the
invitation's recipient: ``response_identity`` is not read here). ``export_responses`` writes
the file and its audit entry (which questionnaire, format, row count).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from workbench import spreadsheets
from workbench.errors import WorkbenchError
from workbench.forms.loader import spec_from_dict
from workbench.forms.spec import DONT_KNOW, OTHER, FormSpec
from workbench.i18n import _, ngettext
from workbench.staff import audit
from workbench.staff.acting import require
from workbench.staff.roles import Permission
from workbench.storage import get_engine, read_connection, write_transaction
from workbench.storage.forms import latest_version
from workbench.storage.responses import StoredResponse, iter_responses
from workbench.storage.workshops import find_session
from workbench.territory import commune_by_code

__all__ = ["FORMATS", "ExportColumn", "export_columns", "export_responses", "read_export",
           "write_csv", "write_xlsx"]

FORMATS = ("csv", "xlsx")

BASE_HEADERS = ("recu", "soumis_le_utc", "version", "synthetique")


@dataclass(frozen=True)
class ExportColumn:
    """One column: which question, which option (if any), and what it holds."""

    key: str
    question_id: str
    qtype: str
    kind: str  # value | flag | rank | points | other_text | name
    option: str | None = None


def export_columns(spec: FormSpec) -> list[ExportColumn]:
    """The answer columns for ``spec``, in question order."""
    columns: list[ExportColumn] = []
    for q in spec.questions:
        if q.type == "multiple_choice":
            values = [*q.option_labels, *([OTHER] if q.other else [])]
            columns += [ExportColumn(f"{q.id}__{v}", q.id, q.type, "flag", v) for v in values]
            if q.other:
                columns.append(ExportColumn(f"{q.id}__{OTHER}_texte", q.id, q.type, "other_text"))
        elif q.type in ("ranking", "points"):
            kind = "rank" if q.type == "ranking" else "points"
            columns += [ExportColumn(f"{q.id}__{v}", q.id, q.type, kind, v)
                        for v in q.option_labels]
        else:
            columns.append(ExportColumn(q.id, q.id, q.type, "value"))
            if q.type == "commune":
                columns.append(ExportColumn(f"{q.id}__nom", q.id, q.type, "name"))
    return columns


def _cell(column: ExportColumn, answers: dict) -> object:
    value = answers.get(column.question_id)
    if value is None:
        return None
    match column.kind:
        case "flag":
            return int(column.option in value["choices"])
        case "other_text":
            return value.get("other")
        case "rank":
            return value.index(column.option) + 1
        case "points":
            return value[column.option]
        case "name":
            commune = commune_by_code(value)
            return commune.nom if commune else None
    return "NSP" if value == DONT_KNOW else value


def _rows(spec: FormSpec, responses: Iterable[StoredResponse]) -> Iterable[list]:
    columns = export_columns(spec)
    for r in responses:
        yield [r.receipt, r.submitted_at.isoformat(timespec="seconds"), r.version,
               int(r.is_synthetic), *(_cell(c, r.answers) for c in columns)]


def _headers(spec: FormSpec) -> list[str]:
    return [*BASE_HEADERS, *(c.key for c in export_columns(spec))]


def write_csv(spec: FormSpec, responses: Iterable[StoredResponse], path: Path) -> int:
    """Write a CSV for French spreadsheets (``;``, UTF-8 with BOM); returns the row count."""
    require(Permission.EXPORT)
    return spreadsheets.write_csv(path, [_headers(spec), *_rows(spec, responses)]) - 1


def _label_rows(spec: FormSpec) -> list[list]:
    rows: list[list] = [
        ["recu", _("Receipt number given to the participant"), "", "", ""],
        ["soumis_le_utc", _("Date and time of submission (UTC)"), "", "", ""],
        ["version", _("Version of the questionnaire that was answered"), "", "", ""],
        ["synthetique", _("1 = synthetic demo answer, not a real person"), "", "", ""],
    ]
    for column in export_columns(spec):
        q = spec.question(column.question_id)
        options = getattr(q, "option_labels", {})
        option_label = options.get(column.option, _("Other (specify)")) if column.option else ""
        meaning = {
            "flag": _("1 = chosen, 0 = not chosen: {option}"),
            "rank": _("rank given to: {option} (1 = first)"),
            "points": _("points given to: {option}"),
            "other_text": _("text of the 'Other' answer"),
            "name": _("name of the commune"),
        }.get(column.kind, "")
        rows.append([column.key, q.label, q.type, "", meaning.format(option=option_label)])
        if column.kind == "value":
            rows += [[column.key, "", "", code, label] for code, label in _codes(q)]
    return rows


def _codes(question) -> list[tuple[object, str]]:
    if question.type == "likert":
        codes = list(enumerate(question.labels, start=1))
        return codes + ([("NSP", _("Does not know"))] if question.dont_know else [])
    if question.type == "single_choice":
        return list(question.option_labels.items())
    if question.type == "scale":
        return [(0, question.min_label or "0"), (10, question.max_label or "10")]
    if question.type == "number" and question.unit:
        return [("", _("unit: {unit}").format(unit=question.unit))]
    return []


def write_xlsx(spec: FormSpec, responses: Iterable[StoredResponse], path: Path,
               version: int) -> int:
    """Write the three-sheet workbook; returns the row count."""
    require(Permission.EXPORT)
    from openpyxl.styles import Font

    book = spreadsheets.Workbook()
    sheet = book.sheet(_("Responses"))
    sheet.append(_headers(spec))
    for row in _rows(spec, responses):
        sheet.append(row)
    count = sheet.rows_written - 1
    sheet.worksheet.freeze_panes = "B2"
    labels = book.sheet(_("Labels"))
    labels.append([_("column"), _("question"), _("type"), _("code"), _("meaning")])
    for row in _label_rows(spec):
        labels.append(row)
    about = book.sheet(_("About"))
    for row in (
        [_("Questionnaire"), spec.title],
        [_("Identifier"), spec.slug],
        [_("Latest version"), version],
        [_("Responses"), count],
        [_("Exported on (UTC)"), datetime.now(UTC).strftime("%Y-%m-%d %H:%M")],
        [_("Anonymity"), _("anonymous") if spec.anonymity == "anonymous" else _("identified")],
        [_("Note"), _("Rows with synthetique = 1 are generated demo data, not real answers.")],
    ):
        about.append(row)
    for ws in (sheet, labels, about):
        for cell in ws.worksheet[1]:
            cell.font = Font(bold=True)
    book.save(path)
    return count


def export_responses(slug: str, path: Path, fmt: str = "xlsx", session_code: str | None = None,
                     engine=None) -> int:
    """Write the answers to ``slug`` (only those of the live session ``session_code``, if
    given) to ``path`` as ``fmt``; the row count. The export is written to the audit trail."""
    engine = engine or get_engine()
    require(Permission.EXPORT, engine=engine)
    if fmt not in FORMATS:
        raise WorkbenchError(_("Export to a .csv or .xlsx file."))
    with read_connection(engine) as conn:
        version = latest_version(conn, slug)
        if version is None:
            raise WorkbenchError(_("This questionnaire does not exist or is not published."))
        spec_data, session_id = version.spec, None
        if session_code is not None:
            session = find_session(conn, session_code)
            if session is None or session.slug != slug:
                from workbench.workshops.sessions import SessionNotFound

                raise SessionNotFound(session_code)
            spec_data, session_id = session.spec, session.id
        spec = spec_from_dict(spec_data)
        responses = iter_responses(conn, slug, session_id)
        count = (write_csv(spec, responses, path) if fmt == "csv"
                 else write_xlsx(spec, responses, path, version.version))
    summary = ngettext("{n} response to '{slug}' exported ({format}).",
                       "{n} responses to '{slug}' exported ({format}).", count).format(
        n=count, slug=slug, format=fmt)
    if session_code is not None:
        summary += " " + _("Live session {code} only.").format(code=session_code)
    with write_transaction(engine) as conn:  # the export itself writes nothing
        audit.record(conn, "responses.export", "form", slug, summary,
                     after={"format": fmt, "rows": count, "session": session_code})
    return count


def read_export(spec: FormSpec, path: Path) -> dict[str, dict]:
    """Answers by receipt, read back from an export written for ``spec``."""
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True).worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    else:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = [[spreadsheets.read_csv_cell(v) for v in r]
                    for r in csv.reader(handle, delimiter=";")]
    header, body = rows[0], rows[1:]
    columns = {c.key: c for c in export_columns(spec)}
    result: dict[str, dict] = {}
    for row in body:
        cells = dict(zip(header, row, strict=True))
        answers: dict = {}
        for key, value in cells.items():
            column = columns.get(key)
            if column is not None and value not in (None, ""):
                _restore(column, value, answers)
        result[str(cells["recu"])] = _ordered_rankings(answers, spec)
    return result


def _number(value: object) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def _restore(column: ExportColumn, value: object, answers: dict) -> None:
    qid = column.question_id
    match column.kind:
        case "flag":
            entry = answers.setdefault(qid, {"choices": [], "other": None})
            if int(value) == 1:
                entry["choices"].append(column.option)
        case "other_text":
            answers.setdefault(qid, {"choices": [], "other": None})["other"] = str(value)
        case "rank" | "points":
            answers.setdefault(qid, {})[column.option] = int(value)
        case "value" if value == "NSP":
            answers[qid] = DONT_KNOW
        case "value" if column.qtype in ("likert", "scale", "number"):
            answers[qid] = _number(value)
        case "value":
            answers[qid] = str(value)


def _ordered_rankings(answers: dict, spec: FormSpec) -> dict:
    """Ranks read back become ordered lists, as ranking answers are stored."""
    for q in spec.questions:
        if q.type == "ranking" and isinstance(answers.get(q.id), dict):
            ranks = answers[q.id]
            answers[q.id] = sorted(ranks, key=ranks.__getitem__)
    return answers
