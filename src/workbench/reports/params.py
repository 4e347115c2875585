"""Report parameters from the command line: allow-listed names, type-checked values.

Papermill writes parameter names into code unescaped: a name that is not one of the
notebook's own parameters never reaches it. Errors are French and come before any kernel.
"""

from __future__ import annotations

from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.reports.catalogue import Parameter, ReportNotebook

__all__ = ["parse_parameters"]

_TRUE, _FALSE = {"oui", "true", "vrai", "1", "yes"}, {"non", "false", "faux", "0", "no"}


def _convert(parameter: Parameter, raw: str) -> object:
    if parameter.optional and raw.strip().lower() in ("", "none", "aucun"):
        return None
    kind = parameter.base_type
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw.replace(",", "."))
    except ValueError:
        pass
    else:
        if kind == "bool":
            if raw.strip().lower() in _TRUE | _FALSE:
                return raw.strip().lower() in _TRUE
        elif kind == "str":
            return raw
    expected = {"int": _("a whole number"), "float": _("a number"),
                "bool": _("oui or non")}[kind]
    raise WorkbenchError(_("Parameter '{name}' expects {expected}, not '{value}'.").format(
        name=parameter.name, expected=expected, value=raw))


def parse_parameters(report: ReportNotebook, pairs: list[str],
                     year: int | None = None) -> dict[str, object]:
    """``["key=value", …]`` (and ``--year``) → the parameters to give papermill."""
    values: dict[str, object] = {}
    accepted = ", ".join(report.parameters) or "—"
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise WorkbenchError(_("Write parameters as name=value, not '{pair}'.").format(
                pair=pair))
        if name not in report.parameters:
            raise WorkbenchError(_(
                "Unknown parameter '{name}' for report '{report}'. Accepted parameters: "
                "{accepted}.").format(name=name, report=report.name, accepted=accepted))
        values[name] = _convert(report.parameters[name], raw)
    if year is not None:
        if "year" not in report.parameters:
            raise WorkbenchError(_("Report '{report}' takes no year.").format(
                report=report.name))
        if values.setdefault("year", year) != year:
            raise WorkbenchError(_("Two different years were given: {a} and {b}.").format(
                a=values["year"], b=year))
    return values
