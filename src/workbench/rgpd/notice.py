"""Information notices (RGPD art. 13): short and layered. A page that collects personal data
shows the essentials of its processing (who, why, on what basis, how long, who receives it)
and links the full notice on ``/donnees-personnelles``, which lists every processing of the
catalogue with the rights and how to exercise them."""

from __future__ import annotations

import html
import os

from workbench.i18n import _
from workbench.rgpd.catalogue import basis_label, load_catalogue

__all__ = ["PAGE", "consent_text", "notice_html"]

PAGE = "donnees-personnelles"


def notice_html(processing_id: str, category_ids: tuple[str, ...] = (),
                base_url: str | None = None, *,
                also: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> str:
    """The short notice of a processing (escaped), for the page that collects its data;
    ``also``: other processings of the same page, (processing, categories), in the same
    notice."""
    catalogue = load_catalogue()
    base = base_url if base_url is not None else os.environ.get("VOILA_BASE_URL", "/")
    parts = ((processing_id, category_ids), *also)
    body, more = "", _("Your rights and how to exercise them")
    for number, (part, categories) in enumerate(parts):
        processing = catalogue.processing(part)
        if processing is None:
            raise KeyError(part)
        kept = " ".join(f"{c.label} : {c.retention}." for c in processing.categories
                        if not categories or c.id in categories)
        lines = [
            _("{controller} collects these data to: {purpose}").format(
                controller=catalogue.controller.name, purpose=processing.purpose),
            _("Legal basis: {basis}. Kept: {kept}").format(
                basis=basis_label(processing.legal_basis), kept=kept),
            _("Recipients: {recipients}.").format(recipients=", ".join(processing.recipients)),
        ]
        if number:
            body += f"<h3>{html.escape(processing.title)}</h3>"
        body += "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    title = _("Your personal data")
    return (f"<aside class='wb-notice' aria-labelledby='wb-notice-{processing_id}'>"
            f"<h2 id='wb-notice-{processing_id}'>{html.escape(title)}</h2>"
            f"{body}<p><a href='{html.escape(base)}{PAGE}#{processing_id}'>"
            f"{html.escape(more)}</a></p></aside>")


def consent_text(consent_id: str) -> str:
    """What the person agrees to, as the catalogue words it (its version is recorded)."""
    return load_catalogue().consent(consent_id).text
