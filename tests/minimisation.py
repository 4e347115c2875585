"""The minimisation check's instruments: a demo database holding personal data of every
category, and a scan that says which of those data appear in a text where the catalogue
(``shown_in`` of each category, ``data/rgpd/traitements.yaml``) does not allow them."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select, text
from sqlalchemy.engine import Engine

from workbench.rgpd.catalogue import NOT_PERSONAL, load_catalogue

SCANNED = re.compile(r"^(name|email|phone|recipient|address|assessor|actor)$")
PLACEHOLDERS = re.compile(r"^(Membre retiré|Compte supprimé|compte-\d+@supprime)")
PROPOSER = {"name": "Gwenola Kerbrat-Porteuse", "email": "gwenola.porteuse@exemple.invalid",
            "phone": "06 98 76 54 32"}
RECIPIENT = "Erwan Invité <erwan.invite@exemple.invalid>"
RECONTACT = ("Soizic Recontact", "soizic.recontact@exemple.invalid")
STAFF = ("Agent Témoin", "agent.temoin@exemple.invalid")


def seed_personal_data(engine: Engine) -> None:
    """The demo (questionnaire, budget, council, associations) and one person of each other
    kind: a project's proposer, an invitation's recipient, a consent to be recontacted, a
    staff account that acted."""
    from workbench.demo.associations import seed_associations
    from workbench.demo.budget import seed_budget
    from workbench.demo.council import seed_council
    from workbench.demo.seed import DEMO_SLUG, seed_demo
    from workbench.forms.invitations import create_invitations
    from workbench.rgpd import consent
    from workbench.staff import accounts
    from workbench.storage import write_transaction
    from workbench.storage.schema import pb_project, pb_proposer

    seed_demo(20, engine)
    seed_budget(engine)
    seed_council(date.today().year, engine)
    seed_associations(engine)
    create_invitations(DEMO_SLUG, [RECIPIENT], engine)
    accounts.add_account(STAFF[1], STAFF[0], ["administrateur"], engine=engine)
    with write_transaction(engine) as conn:
        project = conn.scalar(select(pb_project.c.id).order_by(pb_project.c.id).limit(1))
        conn.execute(pb_proposer.delete().where(pb_proposer.c.project_id == project))
        conn.execute(insert(pb_proposer).values(project_id=project, **PROPOSER,
                                                collected_on=date.today()))
        consent.give(conn, consent.RECONTACT, source="test", name=RECONTACT[0],
                     email=RECONTACT[1])


def personal_values(engine: Engine) -> dict[str, set[str]]:
    """Category ("processing/category") → the values of its name, e-mail, phone, address
    columns that the database holds."""
    catalogue = load_catalogue()
    values: dict[str, set[str]] = defaultdict(set)
    with engine.connect() as conn:
        for table, columns in catalogue.columns.items():
            for column, ref in columns.items():
                if ref == NOT_PERSONAL or not SCANNED.match(column):
                    continue
                for value in conn.execute(text(f'SELECT DISTINCT "{column}" FROM "{table}"')
                                          ).scalars():
                    if isinstance(value, str) and len(value.strip()) >= 8 \
                            and not PLACEHOLDERS.match(value):
                        values[ref].add(value.strip())
    return values


def leaks(content: str, where: str, values: dict[str, set[str]]) -> list[str]:
    """The personal values in ``content`` that the catalogue does not allow in ``where``."""
    catalogue = load_catalogue()
    found = []
    for ref, candidates in values.items():
        processing, _slash, category = ref.partition("/")
        if where in catalogue.processing(processing).category(category).shown_in:
            continue
        found += [f"{ref}: {value}" for value in sorted(candidates)
                  if value in content or value.lower() in content.lower()]
    return found


def read_output(path: Path) -> str:
    """The text of an output file (a workbook's cells, a Word document's paragraphs)."""
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
                         for cell in row if cell is not None)
    if path.suffix == ".docx":
        from docx import Document

        document = Document(str(path))
        return "\n".join([p.text for p in document.paragraphs] + [
            cell.text for table in document.tables for row in table.rows
            for cell in row.cells])
    return path.read_text(encoding="utf-8", errors="replace")
