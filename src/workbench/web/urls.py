"""Participant addresses."""

from __future__ import annotations

from urllib.parse import urlencode

__all__ = ["DELPHI_PATH", "QUESTIONNAIRE_PATH", "RESULTS_PATH", "SCORING_PATH", "SIGNIN_PATH",
           "delphi_url", "participant_session_url", "participant_url", "public_base", "results_url",
           "scoring_url", "signin_url"]

QUESTIONNAIRE_PATH = "/voila/render/questionnaire.ipynb"
RESULTS_PATH = "/voila/render/resultats.ipynb"


def participant_url(base: str, slug: str, token: str | None = None) -> str:
    """The link a participant opens: ``{base}/voila/render/questionnaire.ipynb?form=…``."""
    query = {"form": slug, **({"t": token} if token else {})}
    return f"{base.rstrip('/')}{QUESTIONNAIRE_PATH}?{urlencode(query)}"


def participant_session_url(base: str, code: str) -> str:
    """The link (and QR code) participants of a live session open."""
    return f"{base.rstrip('/')}{QUESTIONNAIRE_PATH}?{urlencode({'session': code})}"


def results_url(base: str, code: str) -> str:
    """The projected results page of a live session."""
    return f"{base.rstrip('/')}{RESULTS_PATH}?{urlencode({'session': code})}"


SCORING_PATH = "/voila/render/micmac.ipynb"


def scoring_url(base: str, code: str) -> str:
    """The MICMAC scoring page of a group."""
    return f"{base.rstrip('/')}{SCORING_PATH}?{urlencode({'groupe': code})}"


DELPHI_PATH = "/voila/render/delphi.ipynb"


def delphi_url(base: str, study: str, token: str) -> str:
    """A panelist's personal link to a Delphi study."""
    return f"{base.rstrip('/')}{DELPHI_PATH}?{urlencode({'etude': study, 't': token})}"


def public_base() -> str:
    """The public app's address for links printed by the CLI (``WORKBENCH_PUBLIC_URL``)."""
    import os

    return os.environ.get("WORKBENCH_PUBLIC_URL", "http://127.0.0.1:8866").rstrip("/")


SIGNIN_PATH = "/voila/render/emargement.ipynb"


def signin_url(base: str, meeting: int, code: str) -> str:
    """The sign-in page of a council meeting (projected as a QR code in the room)."""
    return f"{base.rstrip('/')}{SIGNIN_PATH}?{urlencode({'reunion': meeting, 'code': code})}"
