"""Scenarios a group picks and names in a study's morphological space (database)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from workbench.errors import WorkbenchError
from workbench.foresight.morpho import Morphology
from workbench.i18n import _
from workbench.staff.acting import require
from workbench.staff.roles import Permission
from workbench.storage import read_connection, write_transaction
from workbench.storage.conflicts import insert_new
from workbench.storage.schema import foresight_scenario

__all__ = ["NamedScenario", "list_scenarios", "save_scenario"]


@dataclass(frozen=True)
class NamedScenario:
    name: str
    choices: dict[str, str]  # component → configuration


def save_scenario(study: str, space: Morphology, name: str, choice: tuple[int, ...],
                  engine=None) -> None:
    """Store a feasible scenario under a new name (French errors otherwise); needs
    ``Permission.FORESIGHT``."""
    require(Permission.FORESIGHT, engine=engine)
    name = (name or "").strip()
    if not name:
        raise WorkbenchError(_("Give the scenario a name."))
    broken = space.violations(choice)
    if broken:
        raise WorkbenchError(_("This scenario combines incompatible configurations: {pairs}.")
                             .format(pairs=" ; ".join(f"{a} / {b}" for a, b in broken)))
    choices = {c: space.configurations[i][k]
               for i, (c, k) in enumerate(zip(space.components, choice, strict=True))}
    with write_transaction(engine) as conn:
        if not insert_new(conn, foresight_scenario, {
                "study": study, "name": name,
                "choices_json": json.dumps(choices, ensure_ascii=False),
                "created_at": datetime.now(UTC).replace(tzinfo=None)}, keys=["study", "name"]):
            raise WorkbenchError(_("A scenario is already called '{name}'.").format(name=name))


def list_scenarios(study: str, engine=None) -> list[NamedScenario]:
    with read_connection(engine) as conn:
        return [NamedScenario(r.name, json.loads(r.choices_json)) for r in conn.execute(
            select(foresight_scenario).where(foresight_scenario.c.study == study)
            .order_by(foresight_scenario.c.id))]
