"""``workbench serve``: the public app (participants) and the staff app (facilitators)."""

from __future__ import annotations

import signal
import subprocess
import time

import click

from workbench.cli.common import fail
from workbench.i18n import _
from workbench.settings import project_home


@click.command("serve", help=_("Serve the public app (participant pages) and the staff app "
                               "(facilitator console) with Voilà."))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8866, show_default=True, type=click.IntRange(1, 65535),
              help=_("Port of the public app."))
@click.option("--staff-port", default=8867, show_default=True, type=click.IntRange(1, 65535),
              help=_("Port of the staff app."))
@click.option("--public-only", is_flag=True, help=_("Serve only the public app."))
@click.option("--staff-only", is_flag=True, help=_("Serve only the staff app."))
@click.option("--expect", default=0, show_default=True, type=click.IntRange(0, 1000),
              help=_("Participants expected: keep that many pages ready (preheated kernels)."))
@click.option("--fill-delay", default=2.0, show_default=True, type=click.FloatRange(0, 60),
              help=_("Seconds between two preheated kernels when the pool refills."))
@click.option("--instance", default="", metavar="NAME",
              help=_("Name of this public server among several behind a reverse proxy "
                     "(reported by /healthz)."))
@click.option("--public-url", envvar="WORKBENCH_PUBLIC_URL", default=None, metavar="URL",
              help=_("Address participants use (behind a reverse proxy: the proxy's, e.g. "
                     "https://participation.example.fr); used in links and QR codes."))
@click.option("--max-kernels", type=click.IntRange(0, 5000), default=None,
              help=_("Participant pages open at once at most (0: no limit); beyond, a waiting "
                     "page. Default: what the machine's memory holds."))
def serve(host: str, port: int, staff_port: int, public_only: bool, staff_only: bool,
          expect: int, fill_delay: float, instance: str, public_url: str | None,
          max_kernels: int | None) -> None:
    from workbench.staff.accounts import accounts
    from workbench.storage import read_connection
    from workbench.storage.forms import published_slugs
    from workbench.web.processes import die_with_parent, port_in_use
    from workbench.web.room import max_kernels as default_max_kernels
    from workbench.web.serve import (
        public_app_command,
        public_app_environment,
        staff_app_command,
        staff_app_environment,
    )
    from workbench.web.urls import participant_url

    if public_only and staff_only:
        raise fail(_("--public-only and --staff-only exclude each other."))
    ports = ([] if staff_only else [port]) + ([] if public_only else [staff_port])
    if len(set(ports)) < len(ports):
        raise fail(_("The public app and the staff app need two different ports "
                     "(--port, --staff-port)."))
    for bound in ports:  # before anything is printed or started
        if port_in_use(host, bound):
            raise fail(_("Port {port} is already in use on {host}: another server (maybe an "
                         "earlier 'workbench serve') answers there. Stop it, or choose "
                         "another port (--port, --staff-port).").format(port=bound, host=host))
    public_base = (public_url or f"http://{host}:{port}").rstrip("/")
    env = public_app_environment(public_url=public_base, bind_host=host)
    env["WORKBENCH_EXPECTED"] = str(expect)
    commands: list[tuple[list[str], dict[str, str]]] = []
    if not staff_only:
        with read_connection() as conn:
            slugs = published_slugs(conn)
        click.secho(_("Public app: {url}").format(url=public_base), bold=True)
        for slug in slugs:
            click.echo(_("Questionnaire '{slug}': {url}").format(
                slug=slug, url=participant_url(public_base, slug)))
        click.echo(_("The council's avis and their follow-up: {url}").format(
            url=f"{public_base}/voila/render/avis.ipynb"))
        click.echo(_("Directory of associations: {url}").format(
            url=f"{public_base}/voila/render/associations.ipynb"))
        if not slugs:
            click.echo(_("No questionnaire published yet: 'workbench forms publish SLUG'."))
        cap = default_max_kernels() if max_kernels is None else max_kernels
        commands.append((public_app_command(host, port, expect=expect, fill_delay=fill_delay,
                                            max_kernels=cap, instance=instance), env))
        if cap:
            click.echo(_("Participant pages open at once: {n} at most (then a waiting "
                         "page).").format(n=cap))
        if expect:
            click.echo(_("Preparing {n} participant pages: the console shows when the room is "
                         "ready.").format(n=expect))
    if not public_only:
        staff_base = f"http://{host}:{staff_port}"
        click.secho(_("Staff app (sign in with your personal account): {url}").format(
            url=f"{staff_base}/"), bold=True)
        for framework in sorted((project_home() / "data" / "evaluations").glob("*.yaml")):
            click.echo(_("Evaluation '{slug}': {url}").format(
                slug=framework.stem,
                url=f"{staff_base}/voila/render/evaluation.ipynb?evaluation={framework.stem}"))
        if not any(account.active and account.has_password for account in accounts()):
            click.echo(_("No staff account can sign in yet: 'workbench staff add EMAIL --name "
                         "… --role administrateur' prints a link to choose its password."))
        commands.append((staff_app_command(host, staff_port), staff_app_environment(env)))
    click.echo(_("Stop with Ctrl+C."))
    code = supervise([subprocess.Popen(command, env=environment, preexec_fn=die_with_parent())
                      for command, environment in commands])
    if code:
        raise fail(_("A server stopped unexpectedly (exit status {code}): the others were "
                     "stopped too.").format(code=code))


def supervise(processes: list[subprocess.Popen]) -> int:
    """Wait for the servers; when one ends, stop the others. 0 on Ctrl+C, SIGTERM or SIGHUP.

    A server that dies must make ``workbench serve`` fail, so that systemd (``Restart=
    on-failure``) or the container runtime starts it again; SIGTERM or SIGHUP (the terminal
    closed) stops every server, which stops its kernels. If ``serve`` is killed outright, the
    servers get SIGTERM from the kernel (``workbench.web.processes.die_with_parent``).
    """
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for process in processes:
            process.terminate()

    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        stopping = True
        click.echo(_("Stopped."))
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    if stopping:
        return 0
    return next((p.returncode for p in processes if p.returncode), 1)
