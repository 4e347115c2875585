"""Rules across questions: unique ids, ``show_if`` on earlier questions with valid values."""

from __future__ import annotations

from workbench.forms.answers import possible_values
from workbench.forms.issues import SpecIssue
from workbench.forms.spec import FormSpec, end_of, start_of

__all__ = ["cross_question_issues"]


def cross_question_issues(spec: FormSpec) -> list[SpecIssue]:
    """Every problem that involves more than one field."""
    issues: list[SpecIssue] = []
    position: dict[str, int] = {}
    for index, question in enumerate(spec.questions):
        if question.id in position:
            issues.append(SpecIssue("duplicate_id", ("questions", index, "id"),
                                    {"id": question.id, "first": position[question.id] + 1}))
        else:
            position[question.id] = index
    for index, question in enumerate(spec.questions):
        condition = question.show_if
        if condition is None:
            continue
        loc = ("questions", index, "show_if", "question")
        target = position.get(condition.question)
        if target is None:
            issues.append(SpecIssue("show_if_unknown", loc, {"target": condition.question}))
        elif target >= index:
            issues.append(SpecIssue("show_if_later", loc, {"target": condition.question}))
        else:
            allowed = possible_values(spec.questions[target])
            key = "equals" if condition.any_of is None else "in"
            for value in condition.accepted:
                if allowed is not None and value not in allowed:
                    issues.append(SpecIssue(
                        "show_if_value", ("questions", index, "show_if", key),
                        {"value": value, "target": condition.question}))
    if spec.opens_at and spec.closes_at and end_of(spec.closes_at) < start_of(spec.opens_at):
        issues.append(SpecIssue("dates_order", ("closes_at",)))
    return issues
