"""Problems found in a questionnaire spec, each with its place and its French wording."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from workbench.errors import WorkbenchError
from workbench.i18n import _, ngettext

__all__ = ["SpecError", "SpecIssue", "describe"]


@dataclass(frozen=True)
class SpecIssue:
    """One problem: its kind (``code``), where (``loc``, ``line``) and details (``ctx``)."""

    code: str
    loc: tuple[str | int, ...]
    ctx: dict = field(default_factory=dict)
    line: int | None = None

    @property
    def field_path(self) -> str:
        """``questions[3].labels`` style path (1-based question numbers are in messages)."""
        out = ""
        for part in self.loc:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        return out or "(racine)"

    @property
    def message(self) -> str:
        return describe(self.code, self.ctx)


class SpecError(WorkbenchError):
    """A spec file that cannot be used, with every problem found."""

    def __init__(self, source: str, issues: list[SpecIssue]) -> None:
        super().__init__(source, issues)
        self.source, self.issues = source, issues

    def lines(self) -> list[str]:
        """``file:line: field : message`` for each problem."""
        return [
            f"{self.source}:{issue.line or 1}: {issue.field_path} : {issue.message}"
            for issue in self.issues
        ]

    def message(self) -> str:
        return "\n".join(self.lines())


def _messages() -> dict[str, str]:
    return {
        "yaml_syntax": _("invalid YAML syntax: {problem}"),
        "yaml_file": "{problem}",  # already French (workbench.yamlfile)
        "not_mapping": _("the file must describe a questionnaire (fields 'title', 'questions'…)"),
        "missing": _("required field missing"),
        "extra_forbidden": _("unknown field '{name}'"),
        "union_tag_invalid": _("unknown question type '{tag}' (possible types: {expected_tags})"),
        "union_tag_not_found": _("the field 'type' is required (possible types: {types})"),
        "string_type": _("must be a text"),
        "string_too_short": _("must not be empty"),
        "string_pattern_mismatch": _(
            "invalid identifier: unaccented lower-case letters, digits and '_' (or '-' for the "
            "slug), starting with a letter"),
        "int_type": _("must be a whole number"),
        "int_parsing": _("must be a whole number"),
        "int_from_float": _("must be a whole number"),
        "float_type": _("must be a number"),
        "float_parsing": _("must be a number"),
        "bool_type": _("must be true or false"),
        "bool_parsing": _("must be true or false"),
        "list_type": _("must be a list"),
        "literal_error": _("value '{input}' not allowed (possible values: {expected})"),
        "enum": _("value '{input}' not allowed (possible values: {expected})"),
        "date_type": _("invalid date (format YYYY-MM-DD)"),
        "date_parsing": _("invalid date (format YYYY-MM-DD)"),
        "date_from_datetime_parsing": _("invalid date (format YYYY-MM-DD)"),
        "datetime_type": _("invalid date (format YYYY-MM-DD or YYYY-MM-DD HH:MM)"),
        "datetime_parsing": _("invalid date (format YYYY-MM-DD or YYYY-MM-DD HH:MM)"),
        "datetime_from_date_parsing": _("invalid date (format YYYY-MM-DD or YYYY-MM-DD HH:MM)"),
        "greater_than_equal": _("must be greater than or equal to {ge}"),
        "less_than_equal": _("must be less than or equal to {le}"),
        "model_type": _("must be a group of fields (name: value)"),
        "model_attributes_type": _("must be a group of fields (name: value)"),
        "dict_type": _("must be a group of fields (name: value)"),
        "duplicate_option": _("option '{value}' appears twice"),
        "number_range": _("min ({min}) is above max ({max})"),
        "condition_test": _("show_if needs 'equals' or 'in' (one of them)"),
        "duplicate_id": _("the id '{id}' is already used by question {first}"),
        "show_if_unknown": _("show_if refers to '{target}', which is not a question of this form"),
        "show_if_later": _(
            "show_if refers to '{target}', which comes later: it must refer to an earlier "
            "question"),
        "show_if_value": _("show_if: '{value}' is not a possible answer to '{target}'"),
        "dates_order": _("the closing date comes before the opening date"),
        "slug_mismatch": _("the slug '{slug}' differs from the file name '{stem}'"),
        "file_missing": _("file not found"),
        "indicator_source": _(
            "an indicator needs either a questionnaire question ('question') or an external "
            "figure ('external'), not both"),
        "target_range": _("the target must lie between {min} and {max}"),
        "finite_number": _("must be a finite number"),
        "target_bound": _(
            "a target needs exactly one bound: at_least, more_than, at_most or less_than"),
        "unknown_form": _("the questionnaire '{form}' is not published"),
        "unknown_question": _("the questionnaire '{form}' has no question '{question}'"),
        "unknown_option": _("'{value}' is not an answer of the question '{question}'"),
        "threshold_scale": _("the threshold must lie on the scale ({min} to {max})"),
        "duplicate_criterion": _("the criterion '{id}' is already criterion {first}"),
        "descriptor_scale": _("descriptor for {value}, outside the scale ({min} to {max})"),
        "duplicate_assessor": _("the assessor '{name}' is listed twice"),
        "duplicate_assessor_email": _("the e-mail '{email}' is already another assessor's"),
        "assessor_email": _("'{email}' is not an e-mail address"),
        "duplicate_processing": _("the processing '{id}' is described twice"),
        "unknown_category": _("'{value}' is not a category of the catalogue (write "
                              "'processing/category', or '-' for data that is not personal)"),
        "consent_processing": _("'{id}' is not a processing whose legal basis is consent"),
        "measure_mismatch": _(
            "the measure '{measure}' does not fit the question '{question}' (type {type}): "
            "top2 for likert, mean or median for numbers and scales, share:<answer> for "
            "choices"),
    }


def _counted() -> dict[str, tuple[str, Callable[[int], str]]]:
    """Messages with a count: the ``ctx`` key of the count, and the wording for that count."""
    return {
        "string_too_long": ("max_length", lambda n: ngettext(
            "too long ({max_length} character at most)",
            "too long ({max_length} characters at most)", n)),
        "too_short": ("min_length", lambda n: ngettext(
            "needs at least {min_length} item", "needs at least {min_length} items", n)),
        "too_long": ("max_length", lambda n: ngettext(
            "allows at most {max_length} item", "allows at most {max_length} items", n)),
        "likert_labels": ("count", lambda n: ngettext(
            "a likert question needs exactly 5 labels ({count} given)",
            "a likert question needs exactly 5 labels ({count} given)", n)),
        "selection_bounds": ("count", lambda n: ngettext(
            "impossible selection bounds: min {min}, max {max}, for {count} option",
            "impossible selection bounds: min {min}, max {max}, for {count} options", n)),
    }


def describe(code: str, ctx: dict) -> str:
    """The French message for an issue ``code`` with its details."""
    counted = _counted().get(code)
    if counted is not None:
        count = ctx.get(counted[0])
        template = counted[1](count if isinstance(count, int) else 2)
    else:
        template = _messages().get(code)
    if template is None:
        return _("invalid value ({detail})").format(detail=ctx.get("msg", code))
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template
