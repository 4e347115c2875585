"""Information notices (RGPD art. 13): short and layered. A page that collects personal data
shows the essentials of its processing (who, why, on what basis, how long, who receives it)
and links the full notice on ``/donnees-personnelles``, which lists every processing of the
catalogue with the rights and how to exercise them."""

from __future__ import annotations

import html
import os

from workbench.i18n import _
from workbench.rgpd.catalogue import basis_label, load_catalogue

__all__ = ["PAGE", "notice_html"]

PAGE = "donnees-personnelles"


def notice_html(processing_id: str, category_ids: tuple[str, ...] = (),
                base_url: str | None = None) -> str:
    """The short notice of a processing (escaped), for the page that collects its data."""
    catalogue = load_catalogue()
    processing = catalogue.processing(processing_id)
    if processing is None:
        raise KeyError(processing_id)
    base = base_url if base_url is not None else os.environ.get("VOILA_BASE_URL", "/")
    categories = [c for c in processing.categories if not category_ids or c.id in category_ids]
    kept = " ".join(f"{c.label} : {c.retention}." for c in categories)
    lines = [
        _("{controller} collects these data to: {purpose}").format(
            controller=catalogue.controller.name, purpose=processing.purpose),
        _("Legal basis: {basis}. Kept: {kept}").format(
            basis=basis_label(processing.legal_basis), kept=kept),
        _("Recipients: {recipients}.").format(recipients=", ".join(processing.recipients)),
    ]
    more, title = _("Your rights and how to exercise them"), _("Your personal data")
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return (f"<aside class='wb-notice' aria-labelledby='wb-notice-{processing.id}'>"
            f"<h2 id='wb-notice-{processing.id}'>{html.escape(title)}</h2>"
            f"{body}<p><a href='{html.escape(base)}{PAGE}#{processing.id}'>"
            f"{html.escape(more)}</a></p></aside>")
