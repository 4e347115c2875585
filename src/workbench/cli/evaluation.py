"""``workbench evaluation``: check a framework, import the census structure."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.common import WorkbenchGroup, echo_ok, fail, slug_argument
from workbench.i18n import _, ngettext


@click.group("evaluation", cls=WorkbenchGroup, help=_("Evaluations: frameworks and census."))
def group() -> None:
    """Evaluation commands."""


@group.command("check", help=_("Check data/evaluations/SLUG.yaml against the published "
                               "questionnaires."))
@slug_argument()
def check(slug: str) -> None:
    from workbench.evaluation.framework import (
        check_against_forms,
        framework_path,
        load_framework,
    )
    from workbench.forms.issues import SpecError
    from workbench.forms.loader import spec_from_dict
    from workbench.slugs import shown
    from workbench.storage import read_connection
    from workbench.storage.forms import latest_version, published_slugs

    path = framework_path(slug)
    try:
        framework = load_framework(path)
        with read_connection() as conn:
            forms = {s: spec_from_dict(latest_version(conn, s).spec)
                     for s in published_slugs(conn)}
        check_against_forms(framework, path, forms)
    except SpecError as error:
        for line in error.lines():
            click.echo(line, err=True)
        raise fail(_("The evaluation framework has errors.")) from None
    indicators = sum(len(q.indicators) for q in framework.questions)
    questions = ngettext("{n} evaluative question", "{n} evaluative questions",
                         len(framework.questions)).format(n=len(framework.questions))
    counted = ngettext("{n} indicator", "{n} indicators", indicators).format(n=indicators)
    echo_ok(_("{file}: valid ({questions}, {indicators}).").format(
        file=shown(path), questions=questions, indicators=counted))


@group.command("import-census", help=_("Import INSEE's base-cc-evol-struct-pop file (CSV or "
                                       "XLSX, any vintage) for the territory's communes."))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_census(file: Path) -> None:
    from workbench.evaluation.census import import_insee_structure

    vintage, communes = import_insee_structure(file)
    echo_ok(_("Census {vintage} imported: {n} communes of the territory.").format(
        vintage=vintage, n=communes))
