"""The questionnaire spec: the structure of ``widgets/<slug>.yaml`` (pydantic v2 models).

Per-field rules live here; rules across questions live in ``checks.py``. Error types that
are ours (``PydanticCustomError``) get their French wording in ``loader.py``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

__all__ = [
    "DEFAULT_LIKERT_LABELS",
    "DONT_KNOW",
    "OTHER",
    "QUESTION_TYPES",
    "Condition",
    "FormSpec",
    "Option",
    "Question",
]

DEFAULT_LIKERT_LABELS = (
    "Pas du tout d'accord",
    "Plutôt pas d'accord",
    "Ni d'accord ni pas d'accord",
    "Plutôt d'accord",
    "Tout à fait d'accord",
)
DONT_KNOW = "nsp"  # the stored value of "Ne se prononce pas"
OTHER = "autre"  # the stored value of "Autre (préciser)"

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
OptionValue = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_]{0,39}$")]
Text = Annotated[str, Field(min_length=1, max_length=2000)]


def slugify(label: str) -> str:
    """An option value from its label: ``"Transport à la demande"`` → ``transport_a_la_demande``."""
    ascii_ = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", ascii_).strip("_")[:40] or "option"


def start_of(moment: date | datetime) -> datetime:
    """When an ``opens_at`` takes effect: a date alone means its first minute."""
    return moment if isinstance(moment, datetime) else datetime.combine(moment, time.min)


def end_of(moment: date | datetime) -> datetime:
    """When a ``closes_at`` takes effect: a date alone means the end of that day."""
    return moment if isinstance(moment, datetime) else datetime.combine(moment, time.max)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Model):
    """A choice: the stored value and the label shown."""

    value: OptionValue
    label: Text

    @model_validator(mode="before")
    @classmethod
    def _from_label(cls, data: object) -> object:
        if isinstance(data, str):
            return {"value": slugify(data), "label": data}
        return data


class Condition(_Model):
    """``show_if``: display a question only if an earlier answer matches."""

    question: Identifier
    equals: int | str | None = None
    any_of: list[int | str] | None = Field(default=None, alias="in")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        if (self.equals is None) == (self.any_of is None):
            raise PydanticCustomError("condition_test", "show_if needs equals or in")
        return self

    @property
    def accepted(self) -> list[str | int]:
        """The values that make the question visible."""
        return [self.equals] if self.any_of is None else list(self.any_of)


class _Question(_Model):
    id: Identifier
    label: Text
    help: str | None = None
    required: bool = True
    show_if: Condition | None = None


class _WithOptions(_Question):
    options: Annotated[list[Option], Field(min_length=2, max_length=30)]

    @field_validator("options")
    @classmethod
    def _unique_values(cls, options: list[Option]) -> list[Option]:
        seen: set[str] = set()
        for option in options:
            if option.value in seen:
                raise PydanticCustomError("duplicate_option", "duplicate option",
                                          {"value": option.value})
            seen.add(option.value)
        return options

    @property
    def option_labels(self) -> dict[str, str]:
        return {o.value: o.label for o in self.options}


class Likert(_Question):
    """Agreement on a 5-level scale, optionally with "Ne se prononce pas"."""

    type: Literal["likert"]
    labels: list[Text] = Field(default_factory=lambda: list(DEFAULT_LIKERT_LABELS))
    dont_know: bool = False

    @field_validator("labels")
    @classmethod
    def _five(cls, labels: list[str]) -> list[str]:
        if len(labels) != 5:
            raise PydanticCustomError("likert_labels", "likert needs 5 labels",
                                      {"count": len(labels)})
        return labels


class SingleChoice(_WithOptions):
    """One option among several."""

    type: Literal["single_choice"]


class MultipleChoice(_WithOptions):
    """Several options, between ``min_selections`` and ``max_selections``."""

    type: Literal["multiple_choice"]
    min_selections: Annotated[int, Field(ge=0)] = 0
    max_selections: Annotated[int, Field(ge=1)] | None = None
    other: bool = False

    @model_validator(mode="after")
    def _bounds(self) -> MultipleChoice:
        count = len(self.options) + (1 if self.other else 0)
        top = self.max_selections if self.max_selections is not None else count
        if self.min_selections > top or top > count:
            raise PydanticCustomError("selection_bounds", "bad selection bounds",
                                      {"min": self.min_selections, "max": top, "count": count})
        return self


class Scale(_Question):
    """A 0–10 scale, with optional words at both ends."""

    type: Literal["scale"]
    min_label: str | None = None
    max_label: str | None = None


class Number(_Question):
    """A number between ``min`` and ``max``, with an optional unit."""

    type: Literal["number"]
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    integer: bool = True

    @model_validator(mode="after")
    def _range(self) -> Number:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise PydanticCustomError("number_range", "min above max",
                                      {"min": self.min, "max": self.max})
        return self


class ShortText(_Question):
    """One line of free text."""

    type: Literal["short_text"]
    max_length: Annotated[int, Field(ge=1, le=500)] = 200


class LongText(_Question):
    """A paragraph of free text."""

    type: Literal["long_text"]
    max_length: Annotated[int, Field(ge=1, le=10_000)] = 2000


class Ranking(_WithOptions):
    """Put every option in order of preference."""

    type: Literal["ranking"]


class Points(_WithOptions):
    """Share ``total`` points among the options; the sum is enforced."""

    type: Literal["points"]
    total: Annotated[int, Field(ge=1, le=10_000)] = 100


class CommuneQuestion(_Question):
    """One of the territory's communes (stored as its INSEE code)."""

    type: Literal["commune"]


class DateQuestion(_Question):
    """A calendar date, optionally bounded."""

    type: Literal["date"]
    min_date: date | None = None
    max_date: date | None = None


Question = Annotated[
    Likert | SingleChoice | MultipleChoice | Scale | Number | ShortText | LongText | Ranking
    | Points | CommuneQuestion | DateQuestion,
    Field(discriminator="type"),
]
QUESTION_TYPES = ("likert", "single_choice", "multiple_choice", "scale", "number", "short_text",
                  "long_text", "ranking", "points", "commune", "date")


class FormSpec(_Model):
    """A questionnaire: what is asked, when, and how answers relate to people."""

    slug: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")]
    title: Text
    introduction: str = ""
    opens_at: date | datetime | None = None
    closes_at: date | datetime | None = None
    anonymity: Literal["anonymous", "identified"] = "anonymous"
    access: Literal["open", "token"] = "open"
    # The processing of personal data of data/rgpd/traitements.yaml its answers belong to:
    # required by `forms check` for identified forms and forms with free text (docs/rgpd.md).
    processing: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")] | None = None
    synthetic_demo: bool = False
    questions: Annotated[list[Question], Field(min_length=1, max_length=200)]

    @field_validator("opens_at", "closes_at")
    @classmethod
    def _paris_time(cls, value: date | datetime | None) -> date | datetime | None:
        """Specs hold naive Paris times (``local_now``): an offset is converted to one."""
        if isinstance(value, datetime) and value.tzinfo is not None:
            from workbench.territory.clock import PARIS

            return value.astimezone(PARIS).replace(tzinfo=None)
        return value

    def question(self, question_id: str):
        """The question with ``question_id`` (KeyError if absent)."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)
