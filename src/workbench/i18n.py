"""The one translation function: every string a person reads goes through ``_``.

Message ids are English; the French catalogue lives in ``locale/fr/LC_MESSAGES/workbench.po``
(compiled to ``.mo`` by ``pybabel compile``; a test keeps both in step).
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

__all__ = ["LOCALE_DIR", "_", "catalogue", "language", "ngettext"]

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "workbench"



def language() -> str:
    """The interface language (``WORKBENCH_LANGUAGE``, French by default), e.g. for ``lang``."""
    return os.environ.get("WORKBENCH_LANGUAGE", "fr")


def catalogue(domain: str = DOMAIN) -> gettext.NullTranslations:
    """The translations of ``domain`` in the interface language (English if none)."""
    return gettext.translation(domain, localedir=LOCALE_DIR, languages=[language()],
                               fallback=True)


_translation = catalogue()


def _(message: str) -> str:
    """Translate ``message`` into the interface language (French)."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message that depends on a count."""
    return _translation.ngettext(singular, plural, n)
