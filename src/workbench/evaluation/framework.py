"""The evaluation framework (référentiel): ``data/evaluations/<slug>.yaml``.

The policy evaluated, its period and commissioning body; evaluative questions tagged with
OECD-DAC / SFE criteria, with judgement criteria and indicators, each indicator computed from
a questionnaire question or given as an external figure; and how respondents map onto the
census (profile); whether answers given in live workshop sessions count (``workshops``).
Read like form specs: every problem as ``file:line: field : message``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from workbench.forms.issues import SpecError, SpecIssue
from workbench.forms.loader import load_yaml_model, located, parse_yaml, read_text
from workbench.forms.spec import FormSpec
from workbench.french import french_number, tidy
from workbench.i18n import _
from workbench.settings import project_home
from workbench.slugs import data_file, shown

__all__ = ["CRITERIA", "SAMPLING", "EvaluationFramework", "Target", "check_against_forms",
           "framework_path", "load_framework"]

SAMPLING = ("self_selected", "random", "quota")
CRITERIA = ("pertinence", "cohérence", "efficacité", "efficience", "impact", "durabilité")
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
Text = Annotated[str, Field(min_length=1, max_length=2000)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class External(_Model):
    """A figure entered by staff (not from a questionnaire)."""

    value: float
    year: int
    source: Text
    unit: str = ""


Bound = Annotated[float, Field(allow_inf_nan=False)]


class Target(_Model):
    """A figured target: exactly one bound, in the indicator's unit (% for shares)."""

    at_least: Bound | None = None
    more_than: Bound | None = None
    at_most: Bound | None = None
    less_than: Bound | None = None

    @field_validator("at_least", "more_than", "at_most", "less_than", mode="before")
    @classmethod
    def _not_a_boolean(cls, value: object) -> object:
        if isinstance(value, bool):  # YAML's yes/true would otherwise read as 1
            raise PydanticCustomError("float_type", "a number")
        return value

    @model_validator(mode="after")
    def _one_bound(self) -> Target:
        if sum(v is not None for v in (self.at_least, self.more_than, self.at_most,
                                       self.less_than)) != 1:
            raise PydanticCustomError("target_bound", "one bound")
        return self

    @property
    def bound(self) -> tuple[str, float]:
        """The operator (``at_least``, ``more_than``, ``at_most``, ``less_than``) and value."""
        for name in ("at_least", "more_than", "at_most", "less_than"):
            value = getattr(self, name)
            if value is not None:
                return name, value
        raise AssertionError("validated")


class Indicator(_Model):
    id: Identifier
    label: Text
    form: str | None = None
    question: Identifier | None = None
    # top2 (likert: share agreeing), share:<option> (choices), median / mean (numbers, scale)
    measure: Annotated[str, Field(pattern=r"^(top2|mean|median|share:[a-z0-9_-]+)$")] = "top2"
    external: External | None = None
    target: Target | None = None  # a figured target, judged against the 95 % interval
    target_words: Text | None = None  # or a target in words (shown, never judged)

    @model_validator(mode="after")
    def _one_source(self) -> Indicator:
        if (self.external is None) == (self.question is None):
            raise PydanticCustomError("indicator_source", "question or external")
        return self


class EvaluativeQuestion(_Model):
    id: Identifier
    text: Text
    criteria: Annotated[list[Literal["pertinence", "cohérence", "efficacité", "efficience",
                                     "impact", "durabilité"]], Field(min_length=1)]
    judgement: list[Text] = Field(default_factory=list)
    indicators: Annotated[list[Indicator], Field(min_length=1)]


class ProfileDimension(_Model):
    """A questionnaire question that places respondents in a census dimension."""

    question: Identifier
    census: Literal["age", "sexe", "csp", "commune", "taille_commune"]
    label: Text
    map: dict[str, str] = Field(default_factory=dict)  # option value → census category


class EvaluationFramework(_Model):
    slug: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")]
    title: Text
    policy: Text
    period: Text
    commissioned_by: Text
    form: str
    context: str = ""
    # How respondents were found: self-selected (open questionnaire), random or quota sample.
    sampling: Literal["self_selected", "random", "quota"] = "self_selected"
    recruitment: str = ""  # channels, dates, invitations: what a reader needs to judge bias
    stakeholders: str = ""  # the evaluation body (instance d'évaluation) and who took part
    validation: str = ""  # how findings and recommendations were discussed and validated
    # Answers given in live workshop sessions: kept apart (counted, shown) or analysed too.
    workshops: Literal["exclude", "include"] = "exclude"
    profile: list[ProfileDimension] = Field(default_factory=list)
    questions: Annotated[list[EvaluativeQuestion], Field(min_length=1, max_length=30)]


def framework_path(slug: str) -> Path:
    """The file of the evaluation ``slug`` (``data/evaluations/<slug>.yaml``); an unknown or
    malformed identifier is a ``WorkbenchError`` naming the identifier only."""
    return data_file(project_home() / "data" / "evaluations", slug, "{slug}.yaml",
                     _("The evaluation '{slug}' does not exist."), hint=True)


def _duplicate_indicators(framework: EvaluationFramework) -> list[SpecIssue]:
    issues, seen = [], {}
    for i, question in enumerate(framework.questions):
        for j, indicator in enumerate(question.indicators):
            if indicator.id in seen:
                issues.append(SpecIssue("duplicate_id", ("questions", i, "indicators", j, "id"),
                                        {"id": indicator.id, "first": seen[indicator.id]}))
            seen.setdefault(indicator.id, i + 1)
    return issues


def _target_range(measure: str, question: object) -> tuple[float, float]:
    """Where a target may lie: 0–100 for shares (%), the question's scale for the others."""
    if measure == "top2" or measure.startswith("share:"):
        return 0.0, 100.0
    kind = getattr(question, "type", "")
    if kind == "scale":
        return 0.0, 10.0
    if kind == "likert":
        return 1.0, 5.0
    low, high = getattr(question, "min", None), getattr(question, "max", None)
    return (float("-inf") if low is None else low, float("inf") if high is None else high)


def load_framework(path: str | Path) -> EvaluationFramework:
    """The validated framework in ``path``; French ``file:line`` errors otherwise."""
    return load_yaml_model(path, EvaluationFramework, _duplicate_indicators,
                           source=shown(Path(path)))


def check_against_forms(framework: EvaluationFramework, path: str | Path,
                        forms: dict[str, FormSpec]) -> None:
    """Every questionnaire and question the framework names must be published and fit."""
    _data, root = parse_yaml(read_text(Path(path), shown(Path(path))), shown(Path(path)))
    issues: list[SpecIssue] = []

    def question_of(slug: str, qid: str, loc: tuple) -> object | None:
        spec = forms.get(slug)
        if spec is None:
            issues.append(SpecIssue("unknown_form", loc, {"form": slug}))
            return None
        try:
            return spec.question(qid)
        except KeyError:
            issues.append(SpecIssue("unknown_question", loc, {"form": slug, "question": qid}))
            return None

    if framework.form not in forms:
        issues.append(SpecIssue("unknown_form", ("form",), {"form": framework.form}))
    for k, dimension in enumerate(framework.profile):
        question = question_of(framework.form, dimension.question, ("profile", k, "question"))
        options = set(getattr(question, "option_labels", {}) or {})
        for value in dimension.map:
            if options and value not in options:
                issues.append(SpecIssue("unknown_option", ("profile", k, "map"),
                                        {"value": value, "question": dimension.question}))
    for i, question in enumerate(framework.questions):
        for j, indicator in enumerate(question.indicators):
            if indicator.question is None:
                continue
            loc = ("questions", i, "indicators", j, "question")
            target = question_of(indicator.form or framework.form, indicator.question, loc)
            if target is None:
                continue
            kind = target.type
            measure = indicator.measure
            fits = ((measure == "top2" and kind == "likert")
                    or (measure in ("mean", "median") and kind in ("scale", "number", "likert"))
                    or (measure.startswith("share:") and kind in ("single_choice",
                                                                  "multiple_choice")
                        and measure[6:] in target.option_labels))
            if not fits:
                issues.append(SpecIssue("measure_mismatch",
                                        ("questions", i, "indicators", j, "measure"),
                                        {"measure": measure, "type": kind,
                                         "question": indicator.question}))
            elif isinstance(indicator.target, Target):
                low, high = _target_range(measure, target)
                if not low <= indicator.target.bound[1] <= high:
                    issues.append(SpecIssue("target_range",
                                            ("questions", i, "indicators", j, "target"),
                                            {"min": french_number(tidy(low)),
                                             "max": french_number(tidy(high))}))
    if issues:
        raise SpecError(shown(Path(path)), located(issues, root))
