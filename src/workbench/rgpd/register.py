"""The register of processing activities (RGPD art. 30), built from the catalogue and the
database schema, so that it cannot drift from what is stored.

``unclassified`` lists the schema's columns the catalogue does not classify: a table holding
personal data must classify each of its columns; a table declared without personal data must
have no column whose name says it holds a person's data (``catalogue.PERSONAL_NAMES``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import MetaData

from workbench.i18n import _
from workbench.rgpd.catalogue import PERSONAL_NAMES, Catalogue, basis_label

__all__ = ["register_markdown", "register_rows", "unclassified", "write_register_xlsx"]


def unclassified(catalogue: Catalogue, metadata: MetaData | None = None) -> list[str]:
    """``table.column`` of the schema that the catalogue does not account for (and
    catalogue entries naming what the schema does not have)."""
    if metadata is None:
        from workbench.storage.schema import metadata
    missing: list[str] = []
    absent = _("not in the schema")
    for table in metadata.sorted_tables:
        names = [c.name for c in table.columns]
        if table.name in catalogue.non_personal_tables:
            missing += [f"{table.name}.{n}" for n in names if PERSONAL_NAMES.search(n)]
            continue
        classified = catalogue.columns.get(table.name, {})
        missing += [f"{table.name}.{n}" for n in names if n not in classified]
        missing += [f"{table.name}.{n} ({absent})" for n in classified if n not in names]
    known = {t.name for t in metadata.sorted_tables}
    missing += [f"{t} ({absent})"
                for t in [*catalogue.columns, *catalogue.non_personal_tables] if t not in known]
    return missing


def register_rows(catalogue: Catalogue) -> Iterable[list[str]]:
    """One row per data category of each processing, French headers first."""
    yield [_("Processing"), _("Purpose"), _("Legal basis"), _("Data category"), _("Stored in"),
           _("Retention"), _("Recipients"), _("Rights"), _("Shown in")]
    for p in catalogue.processings:
        for c in p.categories:
            where = ", ".join(catalogue.where(p.id, c.id)) or _("(files, not the database)")
            yield [p.title, p.purpose, basis_label(p.legal_basis), c.label, where,
                   c.retention, "; ".join(p.recipients), p.rights, _shown(c.shown_in)]


def _shown(places: list[str]) -> str:
    """Where a category may be shown or written (nowhere else: the minimisation test)."""
    return ", ".join(places) or _("no page nor export")


def register_markdown(catalogue: Catalogue) -> str:
    """The register as a Markdown document (French)."""
    c = catalogue.controller
    lines = ["# " + _("Register of processing activities"), "",
             _("Controller: {name}, {address} ({representative}).").format(
                 name=c.name, address=c.address, representative=c.representative), "",
             _("Data protection officer: {dpo}").format(dpo=catalogue.dpo), "",
             catalogue.complaint, ""]
    for p in catalogue.processings:
        lines += ["## " + p.title, "", "- " + _("Purpose: {text}").format(text=p.purpose),
                  "- " + _("Legal basis: {text}").format(text=basis_label(p.legal_basis)),
                  "- " + _("Recipients: {text}").format(text="; ".join(p.recipients)),
                  "- " + _("Rights: {text}").format(text=p.rights), "",
                  "| " + " | ".join((_("Data category"), _("Retention"), _("Stored in"),
                                     _("Shown in"))) + " |", "|---|---|---|---|"]
        for category in p.categories:
            where = ", ".join(f"`{w}`" for w in catalogue.where(p.id, category.id)) or "—"
            lines.append(f"| {category.label} | {category.retention} | {where} | "
                         f"{_shown(category.shown_in)} |")
        lines.append("")
    if catalogue.consents:
        lines += ["## " + _("Consents"), ""]
        lines += ["- " + _("{id} (text version {version}): {text}").format(
            id=c.id, version=c.version, text=c.text) for c in catalogue.consents]
        lines.append("")
    return "\n".join(lines)


def write_register_xlsx(catalogue: Catalogue, path: Path) -> int:
    """The register as a workbook (the formula-neutralising writer); its rows."""
    from workbench.spreadsheets import Workbook

    rows = list(register_rows(catalogue))
    book = Workbook()
    sheet = book.sheet(_("Register"))
    for row in rows:
        sheet.append(row)
    book.save(path)
    return len(rows) - 1
