"""Identifiers (slugs) that name a data file, such as ``data/evaluations/<slug>.yaml``.

A slug comes from an address (``?evaluation=…``, ``?etude=…``) or a command line. Before it
names a file it must be a plain name — letters, digits, ``-`` and ``_`` — so that
``../../etc/passwd`` can never lead outside its folder; and what a person is told names the
identifier only, never a server path; staff are also told which identifiers exist, and the
project folder they come from.
"""

from __future__ import annotations

import re
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.settings import project_home

__all__ = ["SLUG", "data_file", "is_slug", "known_slugs", "shown"]

SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")


def is_slug(value: object) -> bool:
    """Whether ``value`` is a plain identifier (no dot, slash or other path character)."""
    return isinstance(value, str) and SLUG.fullmatch(value) is not None


def known_slugs(folder: Path, name: str) -> list[str]:
    """The identifiers that name a file ``folder/<name>`` (``name`` uses ``{slug}``)."""
    prefix, suffix = name.split("{slug}")
    found = []
    for path in folder.glob(name.format(slug="*")):
        relative = path.relative_to(folder).as_posix()
        slug = relative[len(prefix):len(relative) - len(suffix)]
        if is_slug(slug) and path.is_file():
            found.append(slug)
    return sorted(found)


def _known(folder: Path, name: str) -> str:
    """Where identifiers come from, in French: the folder (as a person may read it) and the
    identifiers it holds."""
    ids = known_slugs(folder, name) if folder.is_dir() else []
    if not ids:
        return _("No identifier is known: the folder {folder} holds none.").format(
            folder=shown(folder))
    return _("Known identifiers (from the folder {folder}): {ids}.").format(
        folder=shown(folder), ids=", ".join(ids))


def data_file(folder: Path, slug: object, name: str, unknown: str, hint: bool = False
              ) -> Path:
    """The existing file ``folder/<slug>/<name>`` (``name`` may use ``{slug}``, e.g.
    ``"{slug}.yaml"``), or a ``WorkbenchError`` with ``unknown`` (a translated message with
    ``{slug}``) when the slug is not a plain identifier or names no file; ``hint`` adds the
    identifiers known and the folder they come from (for staff)."""
    if is_slug(slug):
        path = folder / name.format(slug=slug)
        if path.resolve().is_relative_to(folder.resolve()) and path.is_file():
            return path
    message = unknown.format(slug=slug if isinstance(slug, str) else "")
    raise WorkbenchError(f"{message} {_known(folder, name)}" if hint else message)


def shown(path: Path) -> str:
    """``path`` as a person may read it: relative to the project (``data/delphi/x.yaml``)
    when it lies inside, else as given (a file a person named on a command line)."""
    try:
        return Path(path).resolve().relative_to(project_home()).as_posix()
    except ValueError:
        return str(path)
