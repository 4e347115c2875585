"""The personal data page of the staff app (administrators): what the next retention purge
will do, the register of processing activities to download, a person's records to find.

``donnees.ipynb``. Finding a person is audited (``rgpd.person.find_person``), so is
withdrawing their consents; erasing stays a command (``workbench rgpd person --erase``), with
its confirmation and reason.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

import ipywidgets as w

from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.staff.acting import require
from workbench.staff.roles import Permission
from workbench.web.markup import download_link, status, table

__all__ = ["PersonalDataPage"]


class PersonalDataPage:
    def __init__(self, engine=None) -> None:
        self.engine = engine
        self.root = w.VBox()
        self.root.add_class("wb-rgpd")
        try:
            require(Permission.PERSONAL_DATA, engine=engine)
        except WorkbenchError as error:
            self.root.children = [w.HTML(status(str(error), error=True))]
            return
        self.purge = w.HTML()
        self.register = w.HTML()
        self.email = w.Text(description=_("E-mail"), placeholder="prenom.nom@exemple.fr")
        find = w.Button(description=_("Find their records"))
        find.on_click(lambda _b: self.find())
        withdraw = w.Button(description=_("Withdraw their consents"))
        withdraw.on_click(lambda _b: self.withdraw())
        self.found = w.HTML()
        self.root.children = [
            w.HTML("<h1>" + html.escape(_("Personal data")) + "</h1>"),
            w.HTML("<h2>" + html.escape(_("Next retention purge")) + "</h2>"), self.purge,
            w.HTML("<h2>" + html.escape(_("Register of processing activities")) + "</h2>"),
            self.register,
            w.HTML("<h2>" + html.escape(_("A person's records")) + "</h2><p>" + html.escape(
                _("For a request of access or erasure. Erasing is done with the command "
                  "'workbench rgpd person --erase', with the request's reason.")) + "</p>"),
            w.HBox([self.email, find, withdraw]), self.found]
        self.refresh()

    def refresh(self) -> None:
        from workbench.rgpd.catalogue import load_catalogue
        from workbench.rgpd.purge import purge
        from workbench.rgpd.register import write_register_xlsx

        planned = purge(apply=False, engine=self.engine)
        self.purge.value = table([_("Processing"), _("Data category"), _("What"), _("Records")],
                                 [[p.processing, p.category, p.description, p.count]
                                  for p in planned], numeric=[3]) + status(
            _("The nightly purge will erase or anonymise them (workbench rgpd purge --apply)."))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "registre-traitements.xlsx"
            write_register_xlsx(load_catalogue(), path)
            self.register.value = download_link(path.name, path.read_bytes(), _(
                "Download the register (XLSX)"))

    def find(self) -> None:
        from workbench.rgpd.person import find_person

        try:
            found = find_person(self.email.value or "", engine=self.engine)
        except WorkbenchError as error:
            self.found.value = status(str(error), error=True)
            return
        if not found:
            self.found.value = status(_("No record about this person (anonymous answers "
                                        "cannot be found)."))
            return
        self.found.value = table([_("Source"), _("Records"), _("On erasure")],
                                 [[f.source, len(f.records), f.kept or _("erased or anonymised")]
                                  for f in found], numeric=[1])

    def withdraw(self) -> None:
        """The person withdraws every consent (what they covered is erased at once)."""
        from workbench.rgpd.consent import withdraw

        try:
            done = withdraw(self.email.value or "", engine=self.engine)
        except WorkbenchError as error:
            self.found.value = status(str(error), error=True)
            return
        self.found.value = status(_("Consents withdrawn: {n}.").format(n=len(done)))
