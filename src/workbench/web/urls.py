"""Participant addresses."""

from __future__ import annotations

from urllib.parse import urlencode

__all__ = ["QUESTIONNAIRE_PATH", "participant_url"]

QUESTIONNAIRE_PATH = "/voila/render/questionnaire.ipynb"


def participant_url(base: str, slug: str, token: str | None = None) -> str:
    """The link a participant opens: ``{base}/voila/render/questionnaire.ipynb?form=…``."""
    query = {"form": slug, **({"t": token} if token else {})}
    return f"{base.rstrip('/')}{QUESTIONNAIRE_PATH}?{urlencode(query)}"
