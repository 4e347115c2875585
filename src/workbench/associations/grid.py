"""The allocation committee's edition: criteria grid, envelopes, allocation rule, assessors.

``data/associations/comites/<slug>.yaml``, validated like a questionnaire spec (French
``file:line`` errors). The common criteria apply to every service, for consistency; a service
may add its own. Scores are whole numbers on the edition's scale (0–4 by default), each value
with its French descriptor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from workbench.associations.requests import SERVICES
from workbench.cells import MAX_AMOUNT
from workbench.forms.issues import SpecIssue
from workbench.forms.loader import load_yaml_model
from workbench.i18n import _
from workbench.settings import project_home
from workbench.slugs import data_file, shown

__all__ = ["Allocation", "Assessor", "Criterion", "Edition", "edition_path", "load_edition"]

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
Text = Annotated[str, Field(min_length=1, max_length=500)]
Service = Literal[SERVICES]  # type: ignore[valid-type]
# stored as staff accounts store theirs (trimmed, lower case); checked in ``_checks``
Email = Annotated[str, BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v),
                  Field(min_length=3, max_length=254)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Model):
    min: int = 0
    max: int = 4
    labels: dict[int, Text] = Field(default_factory=dict)  # value → French descriptor


class Criterion(_Model):
    id: Identifier
    label: Text
    weight: Annotated[float, Field(gt=0, le=100)] = 1
    help: str = ""
    descriptors: dict[int, Text] = Field(default_factory=dict)  # overrides the scale's labels


class Allocation(_Model):
    # part-de-la-demande: each request above the threshold is offered requested × score / max,
    # all reduced by one factor if the envelope cannot cover them; part-de-l-enveloppe: the
    # envelope is shared in proportion to the scores, capped at each amount requested (what
    # a cap frees is shared again). Both round down to ``rounding`` euros.
    rule: Literal["part-de-la-demande", "part-de-l-enveloppe"] = "part-de-la-demande"
    threshold: Annotated[float, Field(ge=0)] = 2
    rounding: Annotated[int, Field(ge=1, le=1000)] = 10


class Assessor(_Model):
    name: Annotated[str, Field(min_length=1, max_length=80)]
    # the e-mail of the assessor's staff account: the committee page scores as the signed-in
    # person whose e-mail this is (never as a name chosen on the page)
    email: Email | None = None
    services: list[Service] = Field(default_factory=list)  # empty: every service
    # associations the assessor is linked to (member, officer, relative): never assigned
    recusals: list[Annotated[str, Field(pattern=r"^W\d{9}$")]] = Field(default_factory=list)


class Edition(_Model):
    slug: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")]
    title: Text
    year: Annotated[int, Field(ge=2000, le=2100)]
    scale: Scale = Scale()
    criteria: Annotated[list[Criterion], Field(min_length=1, max_length=20)]
    service_criteria: dict[Service, list[Criterion]] = Field(default_factory=dict)
    envelopes: dict[Service, Annotated[float, Field(ge=0, le=MAX_AMOUNT, allow_inf_nan=False)]]
    allocation: Allocation = Allocation()
    disagreement: Annotated[float, Field(gt=0)] = 1.5  # spread of weighted scores flagged
    assessors: Annotated[list[Assessor], Field(min_length=1, max_length=50)]

    def criteria_for(self, service: str) -> list[Criterion]:
        return [*self.criteria, *self.service_criteria.get(service, [])]

    def descriptor(self, criterion: Criterion, value: int) -> str:
        return criterion.descriptors.get(value) or self.scale.labels.get(value, "")

    def assessor(self, name: str) -> Assessor | None:
        return next((a for a in self.assessors if a.name == name), None)

    def assessor_by_email(self, email: str) -> Assessor | None:
        """The assessor whose e-mail is ``email`` (case and spaces aside), if any."""
        email = (email or "").strip().lower()
        return next((a for a in self.assessors if email and a.email == email), None)


def _checks(edition: Edition) -> list[SpecIssue]:
    issues = []
    if edition.scale.max <= edition.scale.min:
        issues.append(SpecIssue("number_range", ("scale", "max"),
                                {"min": edition.scale.min, "max": edition.scale.max}))
    if not edition.scale.min <= edition.allocation.threshold <= edition.scale.max:
        issues.append(SpecIssue("threshold_scale", ("allocation", "threshold"),
                                {"min": edition.scale.min, "max": edition.scale.max}))
    seen: dict[str, int] = {}
    places = [(("criteria", i), c) for i, c in enumerate(edition.criteria)]
    places += [(("service_criteria", s, i), c) for s, items in edition.service_criteria.items()
               for i, c in enumerate(items)]
    for n, (loc, criterion) in enumerate(places, start=1):
        if criterion.id in seen:
            issues.append(SpecIssue("duplicate_criterion", (*loc, "id"),
                                    {"id": criterion.id, "first": seen[criterion.id]}))
        seen.setdefault(criterion.id, n)
        for value in criterion.descriptors:
            if not edition.scale.min <= value <= edition.scale.max:
                issues.append(SpecIssue("descriptor_scale", (*loc, "descriptors"),
                                        {"value": value, "min": edition.scale.min,
                                         "max": edition.scale.max}))
    names = [a.name for a in edition.assessors]
    for i, name in enumerate(names):
        if name in names[:i]:
            issues.append(SpecIssue("duplicate_assessor", ("assessors", i, "name"),
                                    {"name": name}))
    emails = [a.email for a in edition.assessors]
    for i, email in enumerate(emails):
        if email is None:
            continue
        local, _at, domain = email.partition("@")
        if not local or "." not in domain.strip(".") or "@" in domain or " " in email:
            issues.append(SpecIssue("assessor_email", ("assessors", i, "email"),
                                    {"email": email}))
        elif email in emails[:i]:
            issues.append(SpecIssue("duplicate_assessor_email", ("assessors", i, "email"),
                                    {"email": email}))
    return issues


def edition_path(slug: str) -> Path:
    return project_home() / "data" / "associations" / "comites" / f"{slug}.yaml"


def load_edition(slug_or_path: str | Path) -> Edition:
    """The validated edition: a slug of ``data/associations/comites`` (text, e.g. from an
    address: a plain identifier, never a path), or a file (a ``Path``)."""
    if isinstance(slug_or_path, Path):
        path = slug_or_path
    else:
        path = data_file(edition_path("x").parent, slug_or_path, "{slug}.yaml",
                         _("The committee '{slug}' does not exist."))
    return load_yaml_model(path, Edition, _checks, source=shown(path))
