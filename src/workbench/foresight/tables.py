"""Reading square tables (CSV or XLSX) with French errors naming the row and column."""

from __future__ import annotations

from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.tables import read_rows

__all__ = ["read_square"]


def read_square(path: Path, allowed: set[str]) -> tuple[list[str], list[list[str]]]:
    """Labels and cells of a square table whose first row and column name the same items.

    Errors are French and point at the row and column (1-based, as a spreadsheet shows them).
    """
    rows = read_rows(path)
    if len(rows) < 3:
        raise WorkbenchError(_("{file}: the table needs a header row and at least two "
                               "variables.").format(file=path.name))
    labels = rows[0][1:]
    if any(not label for label in labels):
        column = labels.index("") + 2
        raise WorkbenchError(_("{file}, row 1, column {column}: empty label.").format(
            file=path.name, column=column))
    duplicates = {label for label in labels if labels.count(label) > 1}
    if duplicates:
        raise WorkbenchError(_("{file}, row 1: label '{label}' appears twice.").format(
            file=path.name, label=sorted(duplicates)[0]))
    body = rows[1:]
    if len(body) != len(labels):
        raise WorkbenchError(_("{file}: the table is not square ({rows} rows of variables "
                               "for {columns} columns).").format(file=path.name,
                                                                 rows=len(body),
                                                                 columns=len(labels)))
    cells: list[list[str]] = []
    for i, row in enumerate(body):
        name = row[0] if row else ""
        if name != labels[i]:
            if name not in labels:
                raise WorkbenchError(_("{file}, row {row}, column 1: unknown variable "
                                       "'{name}' (the first row names: {labels}).").format(
                    file=path.name, row=i + 2, name=name, labels=", ".join(labels)))
            raise WorkbenchError(_("{file}, row {row}, column 1: '{name}' is not in the same "
                                   "order as in the first row (expected '{expected}').")
                                 .format(file=path.name, row=i + 2, name=name,
                                         expected=labels[i]))
        values = (row[1:] + [""] * len(labels))[:len(labels)]
        if len(row) - 1 > len(labels):
            raise WorkbenchError(_("{file}, row {row}: {count} values for {columns} "
                                   "variables.").format(file=path.name, row=i + 2,
                                                        count=len(row) - 1,
                                                        columns=len(labels)))
        for j, value in enumerate(values):
            value = value.upper() if value.lower() == "p" else value
            value = value[:-2] if value.endswith(".0") else value
            if value not in allowed:
                raise WorkbenchError(_("{file}, row {row}, column {column} ({source} → "
                                       "{target}): '{value}' is not allowed (possible: "
                                       "{allowed}).").format(
                    file=path.name, row=i + 2, column=j + 2, source=labels[i],
                    target=labels[j], value=value, allowed=", ".join(sorted(allowed))))
            values[j] = value
        cells.append(values)
    return labels, cells
