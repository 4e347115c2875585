"""``workbench serve``: the public Voilà app."""

from __future__ import annotations

import subprocess

import click

from workbench.i18n import _


@click.command("serve", help=_("Serve the public app (participant pages) with Voilà."))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8866, show_default=True, type=click.IntRange(1, 65535))
def serve(host: str, port: int) -> None:
    from workbench.storage import read_connection
    from workbench.storage.forms import published_slugs
    from workbench.web.serve import public_app_command, public_app_environment
    from workbench.web.urls import participant_url

    base = f"http://{host}:{port}"
    with read_connection() as conn:
        slugs = published_slugs(conn)
    click.secho(_("Public app: {url}").format(url=base), bold=True)
    for slug in slugs:
        click.echo(_("Questionnaire '{slug}': {url}").format(
            slug=slug, url=participant_url(base, slug)))
    if not slugs:
        click.echo(_("No questionnaire published yet: 'workbench forms publish SLUG'."))
    click.echo(_("Stop with Ctrl+C."))
    try:
        subprocess.run(public_app_command(host, port), env=public_app_environment(), check=False)
    except KeyboardInterrupt:
        click.echo(_("Stopped."))
