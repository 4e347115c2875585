"""``workbench demo``: the demonstration data."""

from __future__ import annotations

import click

from workbench.cli.common import WorkbenchGroup, echo_ok
from workbench.i18n import _


@click.group("demo", cls=WorkbenchGroup, help=_("Demonstration data (labelled synthetic)."))
def group() -> None:
    """Demo commands."""


@group.command("seed", help=_("Publish the demo questionnaire and its synthetic responses "
                              "(idempotent)."))
@click.option("--responses", "count", default=300, show_default=True,
              type=click.IntRange(0, 100_000))
def seed(count: int) -> None:
    from workbench.demo.seed import seed_demo

    result = seed_demo(count)
    echo_ok(_("Demo questionnaire '{slug}' (version {version}): {new} new synthetic responses, "
              "{total} in all.").format(slug=result.slug, version=result.version,
                                        new=result.created, total=result.total))


@group.command("council", help=_("A synthetic demo council: members, a year of meetings, three "
                                 "avis (idempotent)."))
@click.option("--year", type=click.IntRange(2000, 2100), default=None)
def council(year: int | None) -> None:
    from datetime import date

    from workbench.demo.council import seed_council

    year = year or date.today().year
    if seed_council(year):
        echo_ok(_("Demo council seeded for {year} (fictitious members).").format(year=year))
    else:
        click.echo(_("The council already has members: nothing added."))


@group.command("associations", help=_("Synthetic demo associations, subsidy requests and the "
                                      "committee's scores (idempotent)."))
def associations() -> None:
    from workbench.demo.associations import seed_associations

    if seed_associations():
        echo_ok(_("Demo associations seeded (fictitious)."))
    else:
        click.echo(_("Associations already exist: nothing added."))


@group.command("budget", help=_("A synthetic demo participatory budget: projects, refused "
                                "projects, 2,000 ballots, the vote open (idempotent)."))
@click.option("--codes", default=3, show_default=True, type=click.IntRange(0, 1000),
              help=_("Voting codes to print for trying the vote page."))
def budget(codes: int) -> None:
    from workbench.budget.voting import create_tokens
    from workbench.demo.budget import EDITION, seed_budget

    if seed_budget():
        echo_ok(_("Demo participatory budget '{slug}' seeded (fictitious projects, synthetic "
                  "ballots).").format(slug=EDITION))
    else:
        click.echo(_("The demo participatory budget exists already: nothing added."))
    for token in create_tokens(EDITION, codes):
        click.echo(_("Voting code: {path}").format(
            path=f"/voila/render/budget.ipynb?edition={EDITION}&t={token}"))


@group.command("staff", help=_("Demo staff accounts (an administrator, one per role, the demo "
                               "committee's assessors) with a new shared password, printed."))
@click.option("--staff-url", envvar="WORKBENCH_STAFF_URL", default="http://127.0.0.1:8867",
              show_default=True, help=_("Address of the staff app."))
def staff(staff_url: str) -> None:
    from workbench.demo.staff import demo_accounts, seed_staff

    email, password = seed_staff()
    echo_ok(_("Demo staff accounts ready ({n}, all with the password below).").format(
        n=len(demo_accounts())))
    click.secho(_("Sign in to the staff app at {url} with {email} and the password "
                  "{password}").format(url=staff_url.rstrip("/") + "/", email=email,
                                       password=password), bold=True)
