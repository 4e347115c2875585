"""``workbench rgpd``: personal data — the register of processing activities."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.common import WorkbenchGroup, echo_ok, fail
from workbench.i18n import _


@click.group("rgpd", cls=WorkbenchGroup, help=_("Personal data (RGPD): the register of "
                                               "processing activities."))
def group() -> None:
    """RGPD commands."""


@group.command("registre", help=_("The register of processing activities (art. 30), from the "
                                  "catalogue data/rgpd/traitements.yaml and the database "
                                  "schema."))
@click.option("--format", "fmt", type=click.Choice(["md", "xlsx"]), default="md",
              show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=_("File to write (default: the register is printed; xlsx needs a file)."))
def registre(fmt: str, output: Path | None) -> None:
    from workbench.rgpd.catalogue import load_catalogue
    from workbench.rgpd.register import register_markdown, unclassified, write_register_xlsx

    catalogue = load_catalogue()
    missing = unclassified(catalogue)
    if missing:
        raise fail(_("The catalogue does not classify these columns of the database (add "
                     "them under 'columns' in data/rgpd/traitements.yaml): {columns}").format(
                         columns=", ".join(missing)))
    if fmt == "xlsx":
        if output is None:
            raise fail(_("The xlsx register needs a file: --output FILE.xlsx."))
        rows = write_register_xlsx(catalogue, output)
        echo_ok(_("Register written: {path} ({n} data categories).").format(path=output,
                                                                           n=rows))
        return
    text = register_markdown(catalogue)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        echo_ok(_("Register written: {path}.").format(path=output))
