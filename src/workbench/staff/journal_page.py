"""The audit trail's staff page (administrators): filter the entries, export them (CSV).

``journal.ipynb``. Every value shown is escaped (summaries quote participants' and staff's
text); the export goes through the formula-neutralising writer and is itself audited.
"""

from __future__ import annotations

import ipywidgets as w

from workbench.errors import WorkbenchError
from workbench.i18n import _, ngettext
from workbench.staff import audit
from workbench.staff.acting import require
from workbench.staff.roles import Permission
from workbench.storage import write_transaction
from workbench.web.date_input import FrenchDate
from workbench.web.grid import DataGrid
from workbench.web.markup import download_link, status

__all__ = ["JournalPage"]

SHOWN = 200


class JournalPage:
    """Filters, the newest entries, and the export."""

    def __init__(self, engine=None) -> None:
        self.engine = engine
        self.root = w.VBox()
        self.root.add_class("wb-journal")
        try:
            require(Permission.ACCOUNTS, engine=engine)
        except WorkbenchError as error:
            self.root.children = [w.HTML(status(str(error), error=True))]
            return
        self.actor = w.Text(description=_("Who"), placeholder=_("e-mail (part of)"))
        self.action = w.Text(description=_("Action"), placeholder=_("e.g. form., account."))
        self.since = FrenchDate(description=_("From"))
        self.until = FrenchDate(description=_("To"))
        show = w.Button(description=_("Filter"), button_style="primary")
        show.on_click(lambda _b: self.refresh())
        export = w.Button(description=_("Export (CSV)"))
        export.on_click(lambda _b: self.export())
        self.message = w.HTML()
        self.download = w.HTML()
        self.entries = DataGrid(next(iter(audit.export_rows([]))), caption=_("Audit trail"))
        self.root.children = [
            w.HTML("<h1>" + _("Audit trail") + "</h1><p>" + _(
                "Every sensitive action of the staff, with who did it and the values before "
                "and after. Nobody can change or delete an entry.") + "</p>"),
            w.HBox([self.actor, self.action]), w.HBox([self.since, self.until]),
            w.HBox([show, export]), self.message, self.download, self.entries.widget]
        self.refresh()

    def _events(self, limit: int | None) -> list[audit.Event]:
        return audit.events(self.since.day, self.until.day, self.actor.value,
                            self.action.value.strip(), limit=limit, engine=self.engine)

    def refresh(self) -> None:
        try:
            require(Permission.ACCOUNTS, engine=self.engine)
            found = self._events(SHOWN)  # a malformed date: a French message
        except WorkbenchError as error:
            self.message.value = status(str(error), error=True)
            return
        rows = list(audit.export_rows(found))
        self.message.value = status(ngettext(
            "{n} entry shown (the newest first).", "{n} entries shown (the newest first).",
            len(found)).format(n=len(found)))
        self.entries.update(rows[1:])

    def export(self) -> None:
        try:
            require(Permission.ACCOUNTS, engine=self.engine)
            found = self._events(None)
        except WorkbenchError as error:
            self.message.value = status(str(error), error=True)
            return
        from workbench.spreadsheets import csv_bytes

        data = csv_bytes(audit.export_rows(found))
        with write_transaction(self.engine) as conn:
            audit.record(conn, "audit.export", "audit_event", len(found), _(
                "Audit trail exported ({n} entries).").format(n=len(found)),
                after={"actor": self.actor.value, "action": self.action.value,
                       "since": self.since.day, "until": self.until.day})
        self.download.value = download_link("journal-audit.csv", data, _(
            "Download the audit trail (CSV)"))
