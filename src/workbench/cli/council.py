"""``workbench council``: the citizen council's stratified draws."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import click

from workbench.cli.common import WorkbenchGroup, echo_ok
from workbench.i18n import _, ngettext

FILE = click.Path(dir_okay=False, path_type=Path)


@click.group("council", cls=WorkbenchGroup, help=_("Citizen council: members, composition, "
                                                  "draws."))
def group() -> None:
    """Council commands."""


@group.command("draw", help=_("Stratified draw of seats from a pool of volunteers (maximin "
                              "lottery, ties broken by leximin)."))
@click.option("--pool", type=FILE, required=True, help=_("Pool CSV: id and one column per "
                                                         "feature."))
@click.option("--quotas", type=FILE, required=True, help=_("Quotas CSV: feature,value,min,max."))
@click.option("--seats", type=click.IntRange(1, 500), required=True)
@click.option("--seed", type=click.IntRange(1, 2**31 - 1), default=None,
              help=_("Seed of the draw (default: drawn and printed, to re-verify the draw)."))
@click.option("--seated", default="", help=_("Ids keeping their seats (replacement draw), "
                                             "separated by commas."))
@click.option("--audit", "audit_file", type=FILE, default=None,
              help=_("Write the audit file (inputs, versions, lottery, result) that lets "
                     "anyone re-run the draw."))
@click.option("--json", "as_json", is_flag=True, help=_("Print the JSON result."))
def draw(pool: Path, quotas: Path, seats: int, seed: int | None, seated: str,
         audit_file: Path | None, as_json: bool) -> None:
    from workbench.council.draw import draw as run_draw
    from workbench.council.draw import read_pool, read_quotas, record_draw

    seed = seed or secrets.randbelow(2**31 - 2) + 1
    quota_rows = read_quotas(quotas)
    result = run_draw(read_pool(pool, quota_rows), quota_rows, seats, seed,
                      [s.strip() for s in seated.split(",") if s.strip()])
    number = record_draw(result)
    if audit_file is not None:
        _write_audit(result.audit() | {"record": number}, audit_file)
    if as_json:
        click.echo(json.dumps(result.to_json() | {"record": number}, ensure_ascii=False,
                              indent=2))
        return
    echo_ok(_("Panel drawn ({n} seats, seed {seed}, algorithm {algorithm}, record no. "
              "{record}):").format(n=len(result.panel), seed=seed,
                                   algorithm=result.algorithm, record=number))
    click.echo(", ".join(result.panel))
    click.echo(_("Selection probability of each volunteer:"))
    for person, probability in sorted(result.probabilities.items()):
        click.echo(f"  {person} : {probability:.3f}".replace(".", ","))
    click.echo(_("Inputs' fingerprint (SHA-256): {digest}").format(digest=result.inputs_sha256))
    if audit_file is not None:
        click.echo(_("Audit file: {file} (re-run: workbench council draw-verify {file}).")
                   .format(file=audit_file))


def _write_audit(audit: dict, path: Path) -> None:
    from workbench.errors import WorkbenchError

    try:
        path.write_text(json.dumps(audit, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                        encoding="utf-8")
    except OSError as error:
        raise WorkbenchError(_("{file} cannot be written: {error}.").format(
            file=path, error=error.strerror or error)) from None


@group.command("draw-audit", help=_("Write the audit file of a recorded draw, to publish it."))
@click.argument("record", type=click.IntRange(1))
@click.argument("file", type=FILE)
def draw_audit(record: int, file: Path) -> None:
    from workbench.council.draw import stored_audit

    _write_audit(stored_audit(record), file)
    echo_ok(_("Audit file of draw no. {record} written to {file}.").format(record=record,
                                                                          file=file))


@group.command("draw-verify", help=_("Re-run a draw from its audit file and check that the "
                                     "lottery, probabilities and panel are the same."))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def draw_verify(file: Path) -> None:
    from workbench.council.draw import read_audit, verify_audit

    audit = read_audit(file)
    verification = verify_audit(audit)
    for note in verification.notes:
        click.echo(note)
    if verification.ok:
        echo_ok(_("The draw is reproduced: same inputs (SHA-256 {digest}), same lottery, same "
                  "probabilities, same panel with seed {seed}.").format(
            digest=audit["inputs_sha256"], seed=audit["seed"]))
        return
    click.secho(_("The draw is NOT reproduced:"), fg="red")
    for problem in verification.problems:
        click.echo(f"- {problem}")
    raise SystemExit(1)


@group.group("members", cls=WorkbenchGroup, help=_("Members registry."))
def members() -> None:
    """Member commands."""


@members.command("import", help=_("Import or update members from a CSV or XLSX file."))
@click.argument("file", type=FILE)
def import_file(file: Path) -> None:
    from workbench.council.members import import_members

    created, updated = import_members(file)
    echo_ok(_("{created} members added, {updated} updated.").format(created=created,
                                                                    updated=updated))


@members.command("export", help=_("Export the registry to a CSV or XLSX file (personal "
                                  "data: keep it on staff machines)."))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_file(file: Path) -> None:
    from workbench.council.registry import export_members

    count = export_members(file)
    echo_ok(ngettext("{count} member written to {file}.", "{count} members written to {file}.",
                     count).format(count=count, file=file))


@members.command("purge", help=_("Anonymise members who have left and whose retention date "
                                 "has passed."))
def purge() -> None:
    from workbench.council.registry import purge_expired

    count = purge_expired()
    echo_ok(ngettext("{count} member anonymised.", "{count} members anonymised.", count).format(
        count=count))


@group.command("composition", help=_("Check the council's lawful composition."))
@click.option("--json", "as_json", is_flag=True, help=_("Print the JSON result."))
def composition(as_json: bool) -> None:
    from workbench.council.composition import check_composition
    from workbench.council.members import active_members
    from workbench.evaluation.census import load_census

    rules = check_composition(active_members(), load_census())
    if as_json:
        click.echo(json.dumps([{"rule": r.name, "ok": r.ok, "verdict": r.verdict,
                                "details": list(r.details)} for r in rules],
                              ensure_ascii=False, indent=2))
        return
    for rule in rules:
        click.secho(("✔ " if rule.ok else "✘ ") + rule.verdict, fg="green" if rule.ok else "red")
        for detail in rule.details:
            click.echo(f"    {detail}")


@group.command("avis-import", help=_("Record an avis and its recommendations (YAML)."))
@click.argument("file", type=FILE)
def avis_import(file: Path) -> None:
    from workbench.council.avis import import_avis

    slug, count = import_avis(file)
    echo_ok(ngettext("Avis '{slug}' recorded with {n} recommendation.",
                     "Avis '{slug}' recorded with {n} recommendations.", count).format(
        slug=slug, n=count))


@group.command("answer", help=_("Record the official answer to a recommendation."))
@click.argument("recommendation", type=int)
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--position", required=True,
              type=click.Choice(["retenue", "partiellement retenue", "non retenue",
                                 "à l'étude"]))
@click.option("--text", default="", help=_("Text of the answer."))
def answer(recommendation: int, on, position: str, text: str) -> None:
    from workbench.council.avis import record_answer

    record_answer(recommendation, on.date(), position, text)
    echo_ok(_("Answer recorded."))


@group.command("milestone", help=_("Record a follow-up milestone of a recommendation."))
@click.argument("recommendation", type=int)
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--status", required=True, type=click.Choice(["engagée", "réalisée",
                                                             "abandonnée"]))
@click.option("--evidence", default="", help=_("What shows it (decision, document…)."))
def milestone(recommendation: int, on, status: str, evidence: str) -> None:
    from workbench.council.avis import add_milestone

    add_milestone(recommendation, on.date(), status, evidence)
    echo_ok(_("Milestone recorded."))


@group.command("follow-up", help=_("Droit de suite indicators of a year, and the overdue "
                                   "answers."))
@click.option("--year", type=click.IntRange(2000, 2100), required=True)
@click.option("--json", "as_json", is_flag=True, help=_("Print the JSON result."))
@click.option("--reminders", type=FILE, help=_("CSV of the overdue recommendations, for a "
                                               "mail merge."))
def follow_up(year: int, as_json: bool, reminders: Path | None) -> None:
    from datetime import date

    from workbench.council.avis import load_ledger
    from workbench.council.follow_up import indicators, reminders_csv, summary

    today = date.today()
    result = indicators(load_ledger(), year, today)
    if reminders:
        reminders.write_bytes(reminders_csv(result.overdue, today))
    data = {"year": year, "recommendations": result.recommendations,
            "answered": result.answered, "answered_share": result.answered_share,
            "median_delay_days": result.median_delay_days,
            "implemented": result.implemented, "implemented_share": result.implemented_share,
            "overdue": [{"id": e.id, "avis": e.avis, "addressee": e.addressee,
                         "due": e.due.isoformat()} for e in result.overdue]}
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(_("{year}: {summary}").format(year=year, summary=summary(result)))
    for e in result.overdue:
        click.echo(_("Overdue: no. {id} ({avis}) — {addressee}, due {due}").format(
            id=e.id, avis=e.avis, addressee=e.addressee, due=e.due.isoformat()))


@group.command("draft", help=_("Write a compte rendu or an avis (YAML draft) to HTML and Word."))
@click.argument("file", type=FILE)
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=_("Folder to write to (default: reports/conseil)."))
def draft(file: Path, output: Path | None) -> None:
    from workbench.council.drafting import draft as write_draft
    from workbench.settings import reports_dir

    html_path, word_path = write_draft(file, output or reports_dir() / "conseil")
    echo_ok(_("Written: {html} and {word}").format(html=html_path, word=word_path))
