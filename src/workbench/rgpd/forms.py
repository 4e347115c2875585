"""Questionnaires and the processing catalogue: a form that collects personal data (identified
answers, or free text where people may write anything) names its processing, so that its
page shows the right notice and the register covers it (``workbench forms check``)."""

from __future__ import annotations

from workbench.forms.spec import FormSpec
from workbench.i18n import _
from workbench.rgpd.catalogue import Catalogue

__all__ = ["FREE_TEXT", "processing_problem"]

FREE_TEXT = ("short_text", "long_text")


def processing_problem(spec: FormSpec, catalogue: Catalogue) -> str | None:
    """The French problem with the form's ``processing``, or None."""
    if spec.processing is not None:
        if catalogue.processing(spec.processing) is None:
            return _("the processing '{id}' is not in data/rgpd/traitements.yaml "
                     "(processings: {known})").format(
                id=spec.processing, known=", ".join(p.id for p in catalogue.processings))
        return None
    if spec.anonymity == "identified":
        return _("an identified questionnaire collects personal data: name its processing "
                 "(processing: questionnaires, or another of data/rgpd/traitements.yaml)")
    if any(q.type in FREE_TEXT for q in spec.questions):
        return _("free-text questions may collect personal data: name the processing "
                 "(processing: questionnaires, or another of data/rgpd/traitements.yaml)")
    return None
