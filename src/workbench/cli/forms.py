"""``workbench forms``: check and publish questionnaire specs."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.common import WorkbenchGroup, echo_ok, fail, slug_argument
from workbench.i18n import _, ngettext
from workbench.settings import project_home


@click.group("forms", cls=WorkbenchGroup, help=_("Questionnaires: check and publish specs."))
def group() -> None:
    """Form commands."""


def _processing_line(path: Path) -> int:
    """The line of the spec's ``processing:`` (1 when it has none)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("processing:"):
            return number
    return 1


@group.command("check", help=_("Check spec files (default: widgets/*.yaml)."))
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def check(files: tuple[Path, ...]) -> None:
    from workbench.forms.issues import SpecError
    from workbench.forms.loader import load_spec_file
    from workbench.rgpd.catalogue import load_catalogue
    from workbench.rgpd.forms import processing_problem

    catalogue = load_catalogue()
    paths = list(files) or sorted((project_home() / "widgets").glob("*.yaml"))
    if not paths:
        raise fail(_("No spec file to check."))
    failed = 0
    for path in paths:
        if not path.is_file():
            click.echo(_("{file}: file not found").format(file=path), err=True)
            failed += 1
            continue
        try:
            spec = load_spec_file(path)
        except SpecError as error:
            failed += 1
            for line in error.lines():
                click.echo(line, err=True)
            continue
        problem = processing_problem(spec, catalogue)
        if problem is not None:
            failed += 1
            click.echo(f"{path}:{_processing_line(path)}: processing : {problem}", err=True)
            continue
        echo_ok(ngettext("{file}: valid ({n} question)", "{file}: valid ({n} questions)",
                         len(spec.questions)).format(file=path, n=len(spec.questions)))
    if failed:
        raise fail(ngettext("{n} file has errors.", "{n} files have errors.", failed).format(
            n=failed))


@group.command("publish", help=_("Publish widgets/SLUG.yaml as a new version (if changed)."))
@slug_argument()
def publish(slug: str) -> None:
    from workbench.forms.publish import publish_spec_file
    from workbench.slugs import data_file

    path = data_file(project_home() / "widgets", slug, "{slug}.yaml",
                     _("No spec file for the questionnaire '{slug}'."))
    version, created = publish_spec_file(path)
    if created:
        echo_ok(_("Published '{slug}', version {n}.").format(slug=slug, n=version.version))
    else:
        click.echo(_("'{slug}' unchanged: version {n} stays current.").format(
            slug=slug, n=version.version))
