"""Server-side validation of answers against the exact spec version (never trust the widget).

Canonical stored values, per question type:
likert ``1``–``5`` or ``"nsp"``; single_choice an option value; multiple_choice
``{"choices": [values], "other": text|None}``; scale ``0``–``10``; number an int or float;
short_text/long_text a stripped string; ranking every option value in order; points
``{value: int}`` summing to ``total``; commune an INSEE code; date ``"YYYY-MM-DD"``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping
from datetime import date

from workbench.errors import WorkbenchError
from workbench.forms.spec import DONT_KNOW, OTHER, FormSpec
from workbench.i18n import _
from workbench.territory import commune_by_code

__all__ = ["AnswerErrors", "is_blank", "is_visible", "possible_values", "validate_answers"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class AnswerErrors(WorkbenchError):
    """Answers that cannot be stored: one French message per question id."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors

    def message(self) -> str:
        return "\n".join(f"{qid} : {text}" for qid, text in self.errors.items())


class _Invalid(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def possible_values(question) -> set | None:
    """The finite set of values a question accepts, or None if open-ended."""
    kind = question.type
    if kind == "likert":
        return {1, 2, 3, 4, 5} | ({DONT_KNOW} if question.dont_know else set())
    if kind in ("single_choice", "multiple_choice"):
        return {o.value for o in question.options} | (
            {OTHER} if getattr(question, "other", False) else set())
    if kind == "scale":
        return set(range(11))
    return None


def is_visible(question, answers: Mapping[str, object]) -> bool:
    """Whether ``question`` is shown, given the (earlier) answers."""
    condition = question.show_if
    if condition is None:
        return True
    given = answers.get(condition.question)
    if isinstance(given, dict) and "choices" in given:
        return any(value in condition.accepted for value in given["choices"])
    return given is not None and given in condition.accepted


def validate_answers(spec: FormSpec, raw: Mapping[str, object],
                     only: Collection[str] | None = None) -> dict[str, object]:
    """Canonical answers to the visible questions; ``AnswerErrors`` lists every problem.

    ``only`` restricts the questions asked (a live session's released questions).
    """
    clean: dict[str, object] = {}
    errors: dict[str, str] = {}
    for question in spec.questions:
        if (only is not None and question.id not in only) or not is_visible(question, clean):
            continue
        value = raw.get(question.id)
        if is_blank(value):
            if question.required:
                errors[question.id] = _("This question is required.")
            continue
        try:
            clean[question.id] = _VALIDATORS[question.type](question, value)
        except _Invalid as problem:
            errors[question.id] = problem.text
    unknown = set(raw) - {q.id for q in spec.questions if only is None or q.id in only}
    if unknown:
        errors["_"] = _("Unknown questions: {ids}").format(ids=", ".join(sorted(unknown)))
    if errors:
        raise AnswerErrors(errors)
    return clean


def is_blank(value: object) -> bool:
    """Whether a raw answer is empty (nothing chosen, nothing typed)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, dict) and "choices" in value:
        return not value["choices"]
    if isinstance(value, dict):
        return not any(value.values())
    return isinstance(value, list | tuple) and not value


def _integer(value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise _Invalid(_("Please give a whole number."))
    if not low <= value <= high:
        raise _Invalid(_("Please give a number between {low} and {high}.").format(
            low=low, high=high))
    return int(value)


def _likert(question, value):
    if value == DONT_KNOW and question.dont_know:
        return DONT_KNOW
    if value not in (1, 2, 3, 4, 5) or isinstance(value, bool):
        raise _Invalid(_("Please choose one of the proposed answers."))
    return int(value)


def _single(question, value):
    if value not in question.option_labels:
        raise _Invalid(_("Please choose one of the proposed answers."))
    return value


def _multiple(question, value):
    if not isinstance(value, dict) or not isinstance(value.get("choices"), list | tuple):
        raise _Invalid(_("Please choose among the proposed answers."))
    choices = list(dict.fromkeys(value["choices"]))
    allowed = possible_values(question)
    if any(choice not in allowed for choice in choices):
        raise _Invalid(_("Please choose among the proposed answers."))
    top = question.max_selections or len(allowed)
    if not question.min_selections <= len(choices) <= top:
        raise _Invalid(_("Please choose between {low} and {high} answers.").format(
            low=max(question.min_selections, 1), high=top))
    other = None
    if OTHER in choices:
        other = _text(value.get("other") or "", 200)
        if not other:
            raise _Invalid(_("Please specify your 'Other' answer."))
    order = {v: i for i, v in enumerate([*question.option_labels, OTHER])}
    return {"choices": sorted(choices, key=order.__getitem__), "other": other}


def _scale(question, value):
    return _integer(value, 0, 10)


def _number(question, value):
    if isinstance(value, str):
        try:
            value = float(value.replace(",", ".").replace(" ", ""))
        except ValueError:
            raise _Invalid(_("Please give a number.")) from None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _Invalid(_("Please give a number."))
    if question.integer:
        if value != int(value):
            raise _Invalid(_("Please give a whole number."))
        value = int(value)
    low = question.min if question.min is not None else -math.inf
    high = question.max if question.max is not None else math.inf
    if not low <= value <= high:
        raise _Invalid(_("Please give a number between {low} and {high}.").format(
            low=_fmt(low), high=_fmt(high)))
    return value


def _fmt(number: float) -> str:
    return f"{number:g}".replace(".", ",")


def _text(value: object, max_length: int) -> str:
    if not isinstance(value, str):
        raise _Invalid(_("Please write a text."))
    text = _CONTROL.sub("", value).strip()
    if len(text) > max_length:
        raise _Invalid(_("Too long: {count} characters, {max} at most.").format(
            count=len(text), max=max_length))
    return text


def _short_text(question, value):
    return _text(value, question.max_length)


def _long_text(question, value):
    return _text(value, question.max_length)


def _ranking(question, value):
    expected = set(question.option_labels)
    if not isinstance(value, list | tuple) or len(value) != len(expected) or set(value) != expected:
        raise _Invalid(_("Please rank every proposal, each once."))
    return list(value)


def _points(question, value):
    if not isinstance(value, dict) or not set(value) <= set(question.option_labels):
        raise _Invalid(_("Please share the points among the proposals."))
    shares = {key: _integer(value.get(key) or 0, 0, question.total)
              for key in question.option_labels}
    spent = sum(shares.values())
    if spent != question.total:
        raise _Invalid(_("You shared {spent} points out of {total}: the sum must be exactly "
                         "{total}.").format(spent=spent, total=question.total))
    return shares


def _commune(question, value):
    if not isinstance(value, str) or commune_by_code(value) is None:
        raise _Invalid(_("Please choose a commune of the territory from the list."))
    return value


def _date(question, value):
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        raise _Invalid(_("Please give a valid date.")) from None
    if question.min_date and day < question.min_date:
        raise _Invalid(_("The date must not be before {day}.").format(
            day=question.min_date.strftime("%d/%m/%Y")))
    if question.max_date and day > question.max_date:
        raise _Invalid(_("The date must not be after {day}.").format(
            day=question.max_date.strftime("%d/%m/%Y")))
    return day.isoformat()


_VALIDATORS: dict[str, Callable] = {
    "likert": _likert, "single_choice": _single, "multiple_choice": _multiple, "scale": _scale,
    "number": _number, "short_text": _short_text, "long_text": _long_text,
    "ranking": _ranking, "points": _points, "commune": _commune, "date": _date,
}
