"""``workbench staff``: staff accounts and their roles (administrators, on the server)."""

from __future__ import annotations

import os

import click

from workbench.cli.common import WorkbenchGroup, echo_ok
from workbench.i18n import _


@click.group("staff", cls=WorkbenchGroup, help=_("Staff accounts of the staff app: add, "
                                                "list, disable, password links, roles."))
def group() -> None:
    """Staff account commands."""


def staff_url() -> str:
    """The staff app's address as people reach it (``WORKBENCH_STAFF_URL``)."""
    return os.environ.get("WORKBENCH_STAFF_URL", "http://127.0.0.1:8867").rstrip("/")


def _print_link(email: str, secret: str) -> None:
    from workbench.staff.accounts import LINK_HOURS

    click.echo(_("One-time link for {email} to choose a password (valid {hours} hours; give "
                 "it to the person only):").format(email=email, hours=LINK_HOURS))
    click.echo(f"{staff_url()}/motdepasse?lien={secret}")


ROLE = click.option("--role", "roles", multiple=True, required=True, metavar=_("ROLE"),
                    help=_("A role (repeat for several): see 'workbench staff roles'."))


@group.command("add", help=_("Add a staff account and print its one-time password link."))
@click.argument("email")
@click.option("--name", required=True, help=_("The person's name."))
@ROLE
def add(email: str, name: str, roles: tuple[str, ...]) -> None:
    from workbench.staff.accounts import add_account, normalise_email

    secret = add_account(email, name, list(roles))
    echo_ok(_("Account created: {email}.").format(email=normalise_email(email)))
    _print_link(normalise_email(email), secret)


@group.command("list", help=_("List the staff accounts and their roles."))
def list_accounts() -> None:
    from workbench.staff.accounts import accounts
    from workbench.staff.roles import role_label

    rows = accounts()
    if not rows:
        click.echo(_("No staff account yet: 'workbench staff add EMAIL --name … --role "
                     "administrateur'."))
    for account in rows:
        state = _("active") if account.active else _("disabled")
        if account.active and not account.has_password:
            state = _("waiting for its password")
        click.echo(f"{account.email} · {account.name} · "
                   f"{', '.join(role_label(r) for r in sorted(account.roles))} · {state}")


@group.command("disable", help=_("Disable an account: it can no longer sign in and its "
                                 "open pages stop acting."))
@click.argument("email")
def disable(email: str) -> None:
    from workbench.staff.accounts import disable_account

    disable_account(email)
    echo_ok(_("Account disabled: {email}.").format(email=email.strip().lower()))


@group.command("reset-password", help=_("Print a new one-time link with which the person "
                                        "chooses a new password."))
@click.argument("email")
def reset_password(email: str) -> None:
    from workbench.staff.accounts import normalise_email, password_link

    _print_link(normalise_email(email), password_link(email))


@group.command("set-roles", help=_("Replace the roles of an account."))
@click.argument("email")
@ROLE
def set_roles(email: str, roles: tuple[str, ...]) -> None:
    from workbench.staff.accounts import set_roles as replace

    replace(email, list(roles))
    echo_ok(_("Roles changed: {email}.").format(email=email.strip().lower()))


@group.command("roles", help=_("The roles and what each allows."))
def roles() -> None:
    from workbench.staff.roles import GRANTS, Permission, permission_label, role_label

    for role, granted in GRANTS.items():
        click.secho(f"{role.value} ({role_label(role)})", bold=True)
        for permission in Permission:
            if permission in granted:
                click.echo(f"  - {permission_label(permission)}")
