"""The population to compare participants with: census structure of the territory.

Two sources: INSEE's commune-level "base-cc-evol-struct-pop" files (any vintage: the ``Pxx_``
and ``Cxx_`` prefixes are detected), once imported with ``workbench evaluation
import-census`` (stored under ``data/runtime/`` of the project home, never in the source
checkout; counts finite, not negative); until then the agglomeration-level 2017 structure
shipped in ``data/``.
Commune populations always come from the communes file.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from workbench.cells import FieldError, parse_number
from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.settings import project_home, runtime_data
from workbench.spreadsheets import write_csv
from workbench.tables import read_records
from workbench.territory import communes

__all__ = ["AGE_BANDS", "CSP", "Census", "import_insee_structure", "load_census"]

AGE_BANDS = {"POP0014": "0-14 ans", "POP1529": "15-29 ans", "POP3044": "30-44 ans",
             "POP4559": "45-59 ans", "POP6074": "60-74 ans", "POP75P": "75 ans et plus"}
SEXES = {"POPF": "Femme", "POPH": "Homme"}
MAX_COUNT = 100_000_000  # people in one commune and category
CSP = {f"POP15P_CS{i}": label for i, label in enumerate([
    "CS1 Agriculteurs exploitants", "CS2 Artisans commerçants chefs d'entreprise",
    "CS3 Cadres et professions intellectuelles supérieures", "CS4 Professions intermédiaires",
    "CS5 Employés", "CS6 Ouvriers", "CS7 Retraités",
    "CS8 Autres personnes sans activité professionnelle"], start=1)}


@dataclass
class Census:
    """Population shares per dimension (``sexe``, ``age``, ``csp``, ``commune``) and source."""

    source: str
    shares: dict[str, dict[str, float]] = field(default_factory=dict)

    def dimension(self, name: str) -> dict[str, float]:
        return self.shares.get(name, {})


def _target() -> Path:
    """Where an import writes: ``WORKBENCH_CENSUS_FILE``, else
    ``data/runtime/census-structure.csv`` of the project home."""
    import os

    override = os.environ.get("WORKBENCH_CENSUS_FILE")
    return Path(override) if override else runtime_data() / "census-structure.csv"


def _stored() -> Path:
    """The imported census: :func:`_target`, else where imports wrote before
    (``data/territory/census-structure.csv``)."""
    import os

    target = _target()
    legacy = project_home() / "data" / "territory" / "census-structure.csv"
    if os.environ.get("WORKBENCH_CENSUS_FILE") or target.is_file():
        return target
    return legacy if legacy.is_file() else target


def _commune_shares() -> dict[str, float]:
    people = {c.code_insee: c.population for c in communes()}
    total = sum(people.values())
    return {code: n / total for code, n in people.items()}


def _stored_counts(path: Path) -> tuple[list[dict[str, str]], dict[str, dict[str, float]]]:
    """The rows of the stored census and its counts per dimension and category; a count that
    is not a finite number ≥ 0 (a file written before they were checked) is a French error."""
    counts: dict[str, dict[str, float]] = {}
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for line, row in enumerate(rows, start=2):
        try:
            count = parse_number(row.get("effectif") or "", "effectif", 0, MAX_COUNT)
        except FieldError as error:
            raise WorkbenchError(_("{file}, line {line}, column {column}: {problem}").format(
                file=path, line=line, column="effectif", problem=error.message) + " " + _(
                "Import the census again.")) from None
        dim = counts.setdefault(row.get("variable") or "", {})
        dim[row.get("modalite") or ""] = dim.get(row.get("modalite") or "", 0.0) + count
    return rows, counts


def load_census() -> Census:
    """The imported commune-level structure if any, else the agglomeration's 2017 shares."""
    stored = _stored()
    if stored.is_file():
        rows, counts = _stored_counts(stored)
        shares = {d: {k: v / sum(c.values()) for k, v in c.items()}
                  for d, c in counts.items() if sum(c.values()) > 0}
        source = rows[0]["source"] if rows else "INSEE"
    else:
        path = project_home() / "data" / "territory" / "structure_epci_2017.csv"
        shares = {}
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                shares.setdefault(row["variable"], {})[row["modalite"]] = float(
                    row["part_pct"]) / 100
        source = _("INSEE census 2017, Guingamp-Paimpol Agglomération (GéoBretagne)")
    shares["commune"] = _commune_shares()
    return Census(source, shares)


def _refuse_empty_dimensions(table: list[list[str]], name: str) -> None:
    """A dimension (age, sexe, csp) counting no one in the territory cannot give shares."""
    totals: dict[str, float] = {}
    for _code, variable, _label, count, _source in table:
        totals[variable] = totals.get(variable, 0.0) + float(count)
    empty = sorted(variable for variable, total in totals.items() if total <= 0)
    if empty:
        raise WorkbenchError(_("{file}: no one is counted for {variables} in the territory's "
                               "communes.").format(file=name, variables=", ".join(empty)))


def import_insee_structure(path: Path) -> tuple[str, int]:
    """Read an INSEE structure file, keep the territory's communes, store the counts.

    Returns the vintage (e.g. ``"2021"``) and the number of communes found. A missing column
    gives a French error naming it.
    """
    _header, rows = read_records(path, header_marker="CODGEO")
    if not rows:
        raise WorkbenchError(_("{file}: the file is empty.").format(file=path.name))
    columns = list(rows[0])
    vintage = next((m.group(1) for c in columns if (m := re.fullmatch(r"P(\d{2})_POP", c))),
                   None)
    if vintage is None or "CODGEO" not in columns:
        missing = "CODGEO" if "CODGEO" not in columns else "Pxx_POP"
        raise WorkbenchError(_("{file}: column {column} missing (is this INSEE's "
                               "base-cc-evol-struct-pop file?).").format(file=path.name,
                                                                         column=missing))
    wanted = {f"P{vintage}_{k}": ("age", v) for k, v in AGE_BANDS.items()}
    wanted |= {f"P{vintage}_{k}": ("sexe", v) for k, v in SEXES.items()}
    wanted |= {f"C{vintage}_{k}": ("csp", v) for k, v in CSP.items()}
    missing = [c for c in wanted if c not in columns]
    if missing:
        raise WorkbenchError(_("{file}: missing columns: {columns}.").format(
            file=path.name, columns=", ".join(missing)))
    codes = {c.code_insee for c in communes()}
    table: list[list[str]] = []
    found = 0
    source = f"INSEE, recensement 20{vintage} (base-cc-evol-struct-pop)"
    for line, row in enumerate(rows, start=2):
        if row.get("CODGEO", "").strip() not in codes:
            continue
        found += 1
        for column, (variable, label) in wanted.items():
            try:
                number = parse_number(str(row[column]).strip() or "0", column, 0, MAX_COUNT)
            except FieldError as error:
                raise WorkbenchError(_("{file}, line {line}, column {column}: {problem}").format(
                    file=path.name, line=line, column=column, problem=error.message)) from None
            table.append([row["CODGEO"].strip(), variable, label, f"{number:.4f}", source])
    if not found:
        raise WorkbenchError(_("{file}: none of the territory's communes is in this file.")
                             .format(file=path.name))
    _refuse_empty_dimensions(table, path.name)
    try:
        write_csv(_target(), [["code_insee", "variable", "modalite", "effectif", "source"],
                              *table], delimiter=",", lineterminator="\n", encoding="utf-8")
    except OSError as error:
        raise WorkbenchError(_("Cannot write the census to {file}: {reason}").format(
            file=_target(), reason=error.strerror or error)) from None
    return f"20{vintage}", found
