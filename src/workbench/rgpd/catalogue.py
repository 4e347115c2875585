"""The processing catalogue (``data/rgpd/traitements.yaml``): each processing of personal data
with its controller, purpose, legal basis, recipients, rights and data categories (each with
its retention), and where each category is stored (``columns``: every column of the schema's
tables that hold personal data).

Loaded like the other specs: every problem as a French ``file:line`` error.
"""

from __future__ import annotations

import hashlib
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from workbench.forms.issues import SpecIssue
from workbench.forms.loader import load_yaml_model
from workbench.i18n import _
from workbench.settings import project_home

__all__ = ["Catalogue", "Consent", "LegalBasis", "Processing", "basis_label", "catalogue_path",
           "load_catalogue"]

Text = Annotated[str, Field(min_length=1, max_length=2000)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
NOT_PERSONAL = "-"


class LegalBasis(StrEnum):
    """RGPD art. 6 bases a public body uses."""

    PUBLIC_TASK = "public_task"
    LEGAL_OBLIGATION = "legal_obligation"
    CONSENT = "consent"
    CONTRACT = "contract"


def basis_label(basis: LegalBasis) -> str:
    return {
        LegalBasis.PUBLIC_TASK: _("task carried out in the public interest (art. 6.1.e)"),
        LegalBasis.LEGAL_OBLIGATION: _("legal obligation (art. 6.1.c)"),
        LegalBasis.CONSENT: _("consent (art. 6.1.a)"),
        LegalBasis.CONTRACT: _("contract (art. 6.1.b)"),
    }[basis]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Category(_Strict):
    id: Slug
    label: Text
    retention: Text
    # Where these data may be shown or written: pages (notebooks/…, e.g.
    # "staff/conseil.ipynb") and exports ("export:NAME"); anywhere else is a leak, and the
    # minimisation test fails (tests/test_rgpd_minimisation.py).
    shown_in: list[Annotated[str, Field(pattern=r"^(export:[a-z0-9-]+|[a-z]+/[a-z0-9-]+"
                                                 r"\.ipynb)$")]] = []


class Processing(_Strict):
    id: Slug
    title: Text
    purpose: Text
    legal_basis: LegalBasis
    recipients: Annotated[list[Text], Field(min_length=1)]
    rights: Text
    categories: Annotated[list[Category], Field(min_length=1)]

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)


class Consent(_Strict):
    """What a person agrees to where the basis is consent, and the version of that text."""

    id: Slug
    processing: Slug
    text: Text

    @property
    def version(self) -> str:
        """A hash of the text: a changed text is a new version."""
        return hashlib.sha256(self.text.encode()).hexdigest()[:12]


class Controller(_Strict):
    name: Text
    address: Text
    representative: Text


class Catalogue(_Strict):
    slug: str = ""
    controller: Controller
    dpo: Text
    complaint: Text
    processings: Annotated[list[Processing], Field(min_length=1)]
    consents: list[Consent] = []
    columns: dict[str, dict[str, str]]
    non_personal_tables: list[str] = []

    def processing(self, processing_id: str) -> Processing | None:
        return next((p for p in self.processings if p.id == processing_id), None)

    def consent(self, consent_id: str) -> Consent:
        found = next((c for c in self.consents if c.id == consent_id), None)
        if found is None:
            raise KeyError(consent_id)
        return found

    def where(self, processing_id: str, category_id: str) -> list[str]:
        """``table.column`` holding that category."""
        ref = f"{processing_id}/{category_id}"
        return [f"{table}.{column}" for table, columns in self.columns.items()
                for column, value in columns.items() if value == ref]


def _checks(catalogue: Catalogue) -> list[SpecIssue]:
    issues: list[SpecIssue] = []
    seen: set[str] = set()
    for i, processing in enumerate(catalogue.processings):
        if processing.id in seen:
            issues.append(SpecIssue("duplicate_processing", ("processings", i, "id"),
                                    {"id": processing.id}))
        seen.add(processing.id)
    for i, consent in enumerate(catalogue.consents):
        processing = catalogue.processing(consent.processing)
        if processing is None or processing.legal_basis != LegalBasis.CONSENT:
            issues.append(SpecIssue("consent_processing", ("consents", i, "processing"),
                                    {"id": consent.processing}))
    for table, columns in catalogue.columns.items():
        for column, value in columns.items():
            if value == NOT_PERSONAL:
                continue
            processing_id, _slash, category_id = value.partition("/")
            processing = catalogue.processing(processing_id)
            if processing is None or processing.category(category_id) is None:
                issues.append(SpecIssue("unknown_category", ("columns", table, column),
                                        {"value": value}))
    return issues


def catalogue_path() -> Path:
    return project_home() / "data" / "rgpd" / "traitements.yaml"


def load_catalogue(path: Path | None = None) -> Catalogue:
    """The validated catalogue (``SpecError`` with ``file:line`` French problems)."""
    return load_yaml_model(path or catalogue_path(), Catalogue, _checks)


# Column names that hold a person's data wherever they appear.
PERSONAL_NAMES = re.compile(r"(^|_)(email|e_mail|mail|phone|telephone|recipient|address|"
                            r"identity_key|actor|assessor|birth(_date)?)($|_)")
