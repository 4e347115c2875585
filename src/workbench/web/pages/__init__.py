"""Plain pages of the apps (no kernel): the home page and the accessibility statement.

They are Jinja templates rendered by the Voilà server itself: light (no JavaScript), French,
with the same header and footer as the notebook pages. The home page lists the
consultations open to everyone (``workbench.forms.catalogue``).
"""

from __future__ import annotations

import asyncio
import os
from datetime import date, datetime
from pathlib import Path

import jinja2
import tornado.web

__all__ = ["AXE_VERSION", "AccessibilityHandler", "DataProtectionHandler", "HomeHandler",
           "page_handlers"]

AXE_VERSION = "4.11.4"  # the axe-core the browser tests run (Makefile: AXE_VERSION)
STATEMENT_DATE = "1er décembre 2026"
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")

_env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent),
                          autoescape=True, auto_reload=False)


def french_day(moment: date | datetime) -> str:
    """``1er décembre 2026``."""
    day = "1er" if moment.day == 1 else str(moment.day)
    return f"{day} {MONTHS[moment.month - 1]} {moment.year}"


_env.filters["day"] = french_day


def render(name: str, **values) -> str:
    return _env.get_template(name).render(**values)


class _Page(tornado.web.RequestHandler):
    def prepare(self) -> None:
        self.set_header("Cache-Control", "no-cache")
        self.set_header("Content-Type", "text/html; charset=utf-8")

    @property
    def base(self) -> str:
        return self.settings.get("base_url", "/")


class HomeHandler(_Page):
    """``/``: the consultations open to everyone, a workshop code box, the avis, the directory."""

    async def get(self) -> None:
        consultations = await asyncio.get_running_loop().run_in_executor(None, _open_now)
        self.finish(render("home.html", base_url=self.base, consultations=consultations))


def _open_now() -> list:
    from sqlalchemy.exc import SQLAlchemyError

    from workbench.forms.catalogue import open_consultations
    from workbench.storage import get_engine, read_connection

    try:
        with read_connection(get_engine()) as conn:
            return open_consultations(conn)
    except SQLAlchemyError:
        return []  # the home page still shows the other ways in


class DataProtectionHandler(_Page):
    """``/donnees-personnelles``: every processing of personal data, the rights and how to
    exercise them (the catalogue ``data/rgpd/traitements.yaml``; ``workbench.rgpd``)."""

    def get(self) -> None:
        from workbench.rgpd.catalogue import basis_label, load_catalogue

        self.finish(render("donnees-personnelles.html", base_url=self.base,
                           catalogue=load_catalogue(), basis=basis_label))


class AccessibilityHandler(_Page):
    """``/accessibilite``: the déclaration d'accessibilité (RGAA model)."""

    def get(self) -> None:
        contact = os.environ.get("WORKBENCH_ACCESSIBILITY_CONTACT", "").strip() or (
            "le service Participation citoyenne de Guingamp-Paimpol Agglomération")
        self.finish(render("accessibilite.html", base_url=self.base, axe_version=AXE_VERSION,
                           statement_date=STATEMENT_DATE, contact=contact))


def page_handlers(base_url: str, home: bool = True) -> list[tuple]:
    """The routes, under the server's base URL (the home page replaces Voilà's file tree)."""
    base = base_url.rstrip("/")
    routes: list[tuple] = [(rf"{base}/accessibilite/?", AccessibilityHandler),
                           (rf"{base}/donnees-personnelles/?", DataProtectionHandler)]
    if home:
        routes += [(rf"{base}/?", HomeHandler), (rf"{base}/voila/tree/?", HomeHandler)]
    return routes
