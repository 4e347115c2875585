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


@group.command("purge", help=_("Erase or anonymise what is past its retention (a dry run "
                               "unless --apply): counts per processing and data category."))
@click.option("--apply", "apply_", is_flag=True, help=_("Do it (one transaction, audited)."))
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help=_("The day to count from (default: today)."))
def purge(apply_: bool, today) -> None:
    from workbench.rgpd.purge import purge as run_purge

    done = run_purge(today.date() if today else None, apply=apply_)
    for item in done:
        click.echo(f"{item.processing}/{item.category} : {item.description} : {item.count}")
    total = sum(item.count for item in done)
    if apply_:
        echo_ok(_("Purge done: {n} records erased or anonymised.").format(n=total))
    else:
        click.echo(_("Dry run: nothing was changed ({n} records would be). Run again with "
                     "--apply to do it.").format(n=total))


@group.command("person", help=_("A person's rights: find every record about them (access), "
                                "export it, or erase it (erasure, opposition)."))
@click.option("--email", required=True, help=_("The person's e-mail address."))
@click.option("--name", default="", help=_("Their name, for records that hold only a name."))
@click.option("--export", "folder", type=click.Path(file_okay=False, path_type=Path),
              default=None, help=_("Folder where to write their data (JSON and XLSX)."))
@click.option("--erase", is_flag=True, help=_("Erase or anonymise their records."))
@click.option("--reason", default="", help=_("Why (the request's date and channel)."))
@click.option("--yes", is_flag=True, help=_("Do not ask for confirmation."))
def person(email: str, name: str, folder: Path | None, erase: bool, reason: str,
           yes: bool) -> None:
    from workbench.rgpd.person import erase_person, export_person, find_person, person_key

    found = find_person(email, name)
    if not found:
        click.echo(_("No record about this person (anonymous answers cannot be found)."))
        return
    for item in found:
        kept = f" — {item.kept}" if item.kept else ""
        click.echo(f"{item.source} : {len(item.records)}{kept}")
    if folder is not None:
        json_path, xlsx_path = export_person(found, folder, person_key(email))
        echo_ok(_("Data written: {json} and {xlsx}.").format(json=json_path, xlsx=xlsx_path))
    if erase:
        if not yes:
            click.confirm(_("Erase or anonymise these records? This cannot be undone."),
                          abort=True)
        done = erase_person(email, reason, name)
        echo_ok(_("Erased or anonymised: {n} sources; kept (and why) as listed above.").format(
            n=sum(1 for item in done if not item.kept)))


@group.command("consent", help=_("A person's consents (what they accepted, when, which "
                                 "text version) and their withdrawal."))
@click.option("--email", required=True, help=_("The person's e-mail address."))
@click.option("--withdraw", "purpose", default=None, metavar="FINALITE",
              help=_("Withdraw this consent (conseil-coordonnees, recontact, or all)."))
def consent(email: str, purpose: str | None) -> None:
    from workbench.rgpd.consent import consents_of, ended_label, withdraw

    if purpose is not None:
        from workbench.rgpd.catalogue import load_catalogue

        purposes = [c.id for c in load_catalogue().consents]
        if purpose not in (*purposes, "all"):
            raise fail(_("'{purpose}' is not a consent: {purposes} or all.").format(
                purpose=purpose, purposes=", ".join(purposes)))
        done = withdraw(email, None if purpose == "all" else purpose)
        echo_ok(_("Consents withdrawn: {n}.").format(n=len(done)))
    records = consents_of(email)
    if not records:
        click.echo(_("No consent recorded for this address."))
    for record in records:
        click.echo(_("{purpose}: given on {day} ({source}, text version {version}), "
                     "{status}.").format(purpose=record.purpose,
                                         day=record.given_at.strftime("%d/%m/%Y"),
                                         source=record.source, version=record.text_version,
                                         status=ended_label(record.ended_how)))


@group.command("recontact", help=_("The people who asked to be told of the next "
                                   "consultations (current consents)."))
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help=_("CSV file to write (name, e-mail, since)."))
def recontact(output: Path) -> None:
    from workbench.rgpd.consent import active_contacts
    from workbench.spreadsheets import write_csv

    people = active_contacts()
    write_csv(output, [(_("Name"), _("E-mail"), _("Since"))] + [
        (p.name or "", p.email or "", p.given_at.date().isoformat()) for p in people])
    echo_ok(_("{n} people written to {path}: use it for this invitation only, then delete "
              "the file.").format(n=len(people), path=output))
