"""Weight and speed of the questionnaire page on a phone, first visit and reload.

Starts its own public app on a seeded temporary SQLite database, then opens
``/voila/render/questionnaire.ipynb?form=evaluation-transport`` in Chromium at phone size
(390 × 844), throttled through the DevTools protocol:

- ``4g``: 9 Mbit/s down, 1.5 Mbit/s up, 170 ms round trip, CPU 4 × slower (a mid-range phone
  on a good 4G network);
- ``3g``: DevTools' "fast 3G": 1.6 Mbit/s down, 750 kbit/s up, 562.5 ms round trip, CPU 4 ×
  slower;
- ``none``: no throttling (localhost, this machine's CPU).

For each run: a first visit in a fresh browser context (empty cache), then a reload and a
second visit of the page (a new tab of the same context, as when one comes back). Measured:
bytes transferred (what went over the wire: CDP ``Network.loadingFinished``
``encodedDataLength``, compressed bodies and headers), requests, and the time until the page is
usable: the "Envoyer" button visible and enabled and the first question's input present,
enabled and not covered (the time from navigation start, the page's own clock). Websocket
messages are not in the bytes (CDP gives their inflated payload only): their payload (until
usable and a second more) is reported apart, with whether permessage-deflate was negotiated.

Prints median and worst per profile and visit, the machine's load, this client's CPU share
(Chromium, its driver and this script; they run on the same cores as the server) and the
commit measured, as one JSON object.

    .venv/bin/python benchmarks/page_weight.py [--runs 3] [--profiles 4g,3g] [--expect 0]
                                               [--proxy]

``--proxy`` goes through ``deploy/haproxy/haproxy.cfg`` over HTTPS, as deployed (the
protocols it offers, ``alpn``, are in the output).

``--staff``: the staff pages instead (issue 20: usable in ≤ 3 s). Starts the public and the
staff app on a temporary SQLite database seeded as ``make demo`` does (questionnaire and 300
answers, council, associations, participatory budget, the demo's staff accounts) with one
workshop session open; signs in once on ``/login`` as the demo administrator (and as one of
the demo committee's assessors, for ``commission.ipynb``); after one warm-up visit of each page,
each run visits every page of ``notebooks/staff/`` (with its default parameters,
``workbench.staff.pages.STAFF_PAGES``) in a fresh context with the sign-in cookie, at
1366 × 900, unthrottled. Measured: time to the page's first byte (Navigation Timing
``responseStart``) and to usable: the page's ``h1`` and its first control visible, enabled and
not covered (``READY`` below names both per page), both on the page's clock; bytes and
requests too.

    .venv/bin/python benchmarks/page_weight.py --staff [--runs 3]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

HERE = Path(__file__).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
PAGE = "/voila/render/questionnaire.ipynb?form=evaluation-transport"
MBIT = 1_000_000 / 8  # bytes per second
PROFILES = {  # down, up (bytes/s), round trip (ms), CPU slowdown
    "none": None,
    "4g": (9 * MBIT, 1.5 * MBIT, 170, 4),
    "3g": (1.6 * MBIT, 0.75 * MBIT, 562.5, 4),
}
# Usable: "Envoyer" visible and enabled, the first question's input there, enabled and not
# covered (by the loading screen, say). Returns the page's clock (ms since navigation start).
USABLE = """() => {
  const visible = e => e && e.offsetParent !== null && !e.disabled;
  const send = [...document.querySelectorAll("button")].find(
    b => b.textContent.trim() === "Envoyer");
  const first = document.querySelector(".wb-question");
  const input = first && first.querySelector("input, select, textarea, button");
  if (!visible(send) || !visible(input)) return false;
  const box = input.getBoundingClientRect();
  const x = box.left + Math.min(box.width / 2, 10), y = box.top + box.height / 2;
  if (y >= 0 && y < window.innerHeight) {
    const top = document.elementFromPoint(x, y);
    if (!top || !(top === input || input.contains(top) || top.contains(input)
                  || (top.tagName === "LABEL" && first.contains(top)))) return false;
  }
  return performance.now();
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(folder: Path, expect: int) -> tuple[subprocess.Popen, str]:
    """The public app as ``workbench serve`` starts it, on a seeded SQLite database."""
    from workbench.demo.seed import seed_demo
    from workbench.storage import get_engine
    from workbench.storage.migrate import upgrade
    from workbench.web.serve import public_app_command, public_app_environment

    url = f"sqlite:///{folder / 'weight.sqlite'}"
    engine = get_engine(url)
    upgrade(engine)
    seed_demo(0, engine)  # publishes the demo questionnaire
    engine.dispose()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = public_app_environment(public_url=base)
    env.update({"WORKBENCH_DATABASE_URL": url, "WORKBENCH_RUNTIME_DIR": str(folder / "pool")})
    return launch(public_app_command("127.0.0.1", port, expect=expect), env, base,
                  folder / "voila.log"), base


def launch(command: list[str], env: dict, base: str, log_path: Path) -> subprocess.Popen:
    """Start a server (its own process group) and wait until ``base/healthz`` answers."""
    log = log_path.open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5):
                return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                log.close()
                raise SystemExit(f"the server did not start: {log_path}") from None
            time.sleep(0.3)


def stop(*processes: subprocess.Popen) -> None:
    """SIGTERM to each server's process group (its kernels with it), then wait."""
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


class Proxy:
    """The deployment's HAProxy (its own configuration file) in front of the server."""

    def __init__(self, folder: Path, base: str) -> None:
        from workbench.web.proxy import LocalProxy, self_signed_pem

        address = base.removeprefix("http://")
        self.local = LocalProxy(https_port=free_port(), http_port=free_port(),
                                public=(address, address), staff="127.0.0.1:9",
                                pem=self_signed_pem(folder))
        self.url = self.local.url
        config = self.local.config.read_text()
        self.protocols = config.split(" alpn ", 1)[1].split()[0] if " alpn " in config else ""
        self.process = subprocess.Popen(self.local.command(),
                                        env={**os.environ, **self.local.environment()},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        time.sleep(7)  # the proxy's checks see the instance up (rise 2 × inter 3 s)


def cpu_ticks(root: int, *exclude: int) -> dict[int, int]:
    """utime + stime of ``root`` and its descendants, leaving out the trees of ``exclude``."""
    ticks, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in exclude:
            continue
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks[pid] = int(fields[11]) + int(fields[12])
            for task in Path(f"/proc/{pid}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return ticks


class Visit:
    """One page load in a page of ``context``: bytes, requests, time to usable."""

    def __init__(self, context, profile: tuple | None) -> None:
        self.page = context.new_page()
        self.page.set_default_timeout(180_000)
        self.cdp = context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        if profile:
            down, up, rtt, cpu = profile
            self.cdp.send("Network.emulateNetworkConditions", {
                "offline": False, "latency": rtt, "downloadThroughput": down,
                "uploadThroughput": up})
            self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
        self.requests: set[str] = set()
        self.cached: set[str] = set()
        self.bytes = 0
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.requestServedFromCache",
                    lambda event: self.cached.add(event["requestId"]))
        self.cdp.on("Network.responseReceived", self._received)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.webSocketFrameReceived", self._frame)
        self.cdp.on("Network.webSocketHandshakeResponseReceived", self._handshake)
        self.websocket = 0
        self.deflate = False

    def _sent(self, event: dict) -> None:
        if not event["request"]["url"].startswith(("data:", "blob:")):  # not on the network
            self.requests.add(event["requestId"])

    def _received(self, event: dict) -> None:
        if event["response"].get("fromDiskCache") or event["response"].get("fromPrefetchCache"):
            self.cached.add(event["requestId"])

    def _finished(self, event: dict) -> None:
        self.bytes += event["encodedDataLength"]

    def _frame(self, event: dict) -> None:
        self.websocket += len(event["response"]["payloadData"])

    def _handshake(self, event: dict) -> None:
        headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
        self.deflate = "permessage-deflate" in headers.get("sec-websocket-extensions", "")

    def load(self, url: str | None, usable_when: str = USABLE, arg: object = None) -> dict:
        """``usable_when``: a function of ``arg`` returning the page's clock once usable."""
        self.requests.clear()
        self.cached.clear()
        self.bytes = self.websocket = 0
        if url:
            self.page.goto(url, wait_until="commit")
        else:
            self.page.reload(wait_until="commit")
        usable = self.page.wait_for_function(usable_when, arg=arg, polling=100).json_value()
        self.page.wait_for_timeout(1000)  # late requests (fonts, lazy chunks) counted too
        # Requests that went to the server (a 304 did; a copy from the cache did not).
        return {"bytes": self.bytes, "requests": len(self.requests - self.cached),
                "from_cache": len(self.requests & self.cached),
                # Kernel messages (payload as the page reads it, after any inflating).
                "websocket_kib": round(self.websocket / 1024, 1), "deflate": self.deflate,
                "usable_s": round(usable / 1000, 2)}


# Staff pages (``--staff``) ----------------------------------------------------------------

DESK = {"width": 1366, "height": 900}
# Each staff page is usable when its root (``root``) holds a visible ``h1`` starting with
# ``heading`` and its first control (``control``, a CSS selector; ``text``: its text, label or
# value, if several match) is visible, enabled and not covered. The French texts are the
# page's own.
READY: dict[str, dict] = {
    "associations.ipynb": {"root": ".wb-associations", "heading": "Associations",
                           "control": "input", "text": "Rechercher une association"},
    "budget.ipynb": {"root": ".wb-pb-review", "heading": "Budget participatif",
                     "control": "select", "text": "Projet"},
    "commission.ipynb": {"root": ".wb-committee", "heading": "Commission d'attribution",
                         "control": "select", "text": "Dossier"},
    # The members' data grid (itables) drawn: its filter.
    "conseil.ipynb": {"root": ".wb-council", "heading": "Conseil de développement",
                      "control": "input", "text": "Filtrer :"},
    "console.ipynb": {"root": ".wb-console", "heading": "Console d'animation",
                      "control": "select", "text": "Séance"},
    "donnees.ipynb": {"root": ".wb-rgpd", "heading": "Données personnelles",
                      "control": "input", "text": "Courriel"},
    "evaluation.ipynb": {"root": ".wb-evaluation", "heading": "Évaluation participative",
                         "control": "button", "text": "Non pondéré"},
    "journal.ipynb": {"root": ".wb-journal", "heading": "Journal d'audit",
                      "control": "input", "text": "Qui"},
    # Nothing to operate on the projected page: its QR code shown.
    "projection.ipynb": {"root": ".wb-projection", "heading": "Atelier mobilités, Paimpol",
                         "control": ".wb-qr-large", "text": ""},
    "scenarios.ipynb": {"root": ".wb-main", "heading": "Mobilités 2040",
                        "control": "select", "text": "Réseau de bus"},
}
# Staff pages the demo data open as an assessor of the demo committee, not as its
# administrator (the committee's staff are sent to the associations page).
AS_ASSESSOR = {"commission.ipynb"}
STAFF_USABLE = """({root, heading, control, text}) => {
  const shown = e => e && e.offsetParent !== null && !e.disabled && !e.closest("[disabled]");
  const page = document.querySelector(root);
  const title = page && page.querySelector("h1");
  const plain = t => t.trim().replaceAll("\u2019", "'");  // either apostrophe
  if (!shown(title) || !plain(title.textContent).startsWith(heading)) return false;
  const named = e => !text || [e.textContent, e.value, e.getAttribute("aria-label"),
    ...[...(e.labels || [])].map(l => l.textContent)].some(t => t && plain(t) === text);
  const input = [...page.querySelectorAll(control)].find(named);
  if (!shown(input)) return false;
  const box = input.getBoundingClientRect();
  const x = box.left + Math.min(box.width / 2, 10), y = box.top + box.height / 2;
  if (y >= 0 && y < window.innerHeight) {
    const top = document.elementFromPoint(x, y);
    if (!top || !(top === input || input.contains(top) || top.contains(input)
                  || (top.tagName === "LABEL" && page.contains(top)))) return false;
  }
  return performance.now();
}"""
FIRST_BYTE = """() => performance.getEntriesByType("navigation")[0].responseStart"""


class StaffApps:
    """The public and the staff app (``workbench serve``'s commands) on a temporary SQLite
    database seeded as ``make demo`` does (questionnaire and 300 answers, council,
    associations, participatory budget, the demo's staff accounts), with one workshop session
    open; a context manager that stops both servers."""

    def __init__(self, folder: Path) -> None:
        from workbench.demo.associations import seed_associations
        from workbench.demo.budget import seed_budget
        from workbench.demo.council import seed_council
        from workbench.demo.seed import DEMO_SLUG, seed_demo
        from workbench.demo.staff import demo_accounts, seed_staff
        from workbench.staff.roles import Role
        from workbench.storage import get_engine
        from workbench.storage.migrate import upgrade
        from workbench.web.serve import (
            public_app_command,
            public_app_environment,
            staff_app_command,
            staff_app_environment,
        )
        from workbench.workshops.sessions import create_session, open_session

        self.url = f"sqlite:///{folder / 'staff.sqlite'}"
        engine = get_engine(self.url)
        upgrade(engine)
        seed_demo(300, engine)
        seed_council(date.today().year, engine)
        seed_associations(engine)
        seed_budget(engine)
        self.admin, self.password = seed_staff(engine)
        self.assessor = next(e for e, _n, role in demo_accounts() if role is Role.ASSESSEUR)
        self.session = create_session(DEMO_SLUG, "Atelier mobilités, Paimpol", True,
                                      engine).code
        open_session(self.session, engine)
        engine.dispose()
        public_port, staff_port = free_port(), free_port()
        self.public = f"http://127.0.0.1:{public_port}"
        self.base = f"http://127.0.0.1:{staff_port}"
        env = public_app_environment(public_url=self.public)
        env.update({"WORKBENCH_DATABASE_URL": self.url,
                    "WORKBENCH_RUNTIME_DIR": str(folder / "pool")})
        self.servers = [launch(public_app_command("127.0.0.1", public_port), env, self.public,
                               folder / "voila.log")]
        self.servers.append(launch(staff_app_command("127.0.0.1", staff_port),
                                   staff_app_environment(env), self.base,
                                   folder / "staff.log"))

    def __enter__(self) -> StaffApps:
        return self

    def __exit__(self, *_exc) -> None:
        stop(*self.servers)

    def pages(self) -> dict[str, str]:
        """Every staff page (``notebooks/staff/``) and its address with the demo's parameters."""
        from workbench.staff.pages import STAFF_PAGES

        found = {path.name for path in (HERE.parent / "notebooks" / "staff").glob("*.ipynb")}
        if found != set(STAFF_PAGES) or found != set(READY):
            raise SystemExit("notebooks/staff/, workbench.staff.pages.STAFF_PAGES and READY "
                             f"differ: {sorted(found ^ set(READY))}")
        queries = {name: page.query for name, page in STAFF_PAGES.items()}
        queries["projection.ipynb"] = f"session={self.session}"
        return {name: f"{self.base}/voila/render/{name}" + (f"?{q}" if q else "")
                for name, q in sorted(queries.items())}

    def signed_in(self, browser, email: str) -> dict:
        """The storage state (the sign-in cookie) after signing in on the /login form."""
        context = browser.new_context(viewport=DESK)
        page = context.new_page()
        page.goto(f"{self.base}/login")
        page.get_by_label("Adresse électronique").fill(email)
        page.get_by_label("Mot de passe").fill(self.password)
        with page.expect_navigation():
            page.get_by_role("button", name="Se connecter").click()
        state = context.storage_state()
        context.close()
        if not any(c["name"] == "workbench-staff" for c in state["cookies"]):
            raise SystemExit(f"signing in as {email} failed")
        return state

    def states(self, browser) -> dict[str, dict]:
        """Each page's storage state: the administrator's, the assessor's for theirs."""
        admin, assessor = self.signed_in(browser, self.admin), self.signed_in(browser,
                                                                              self.assessor)
        return {name: assessor if name in AS_ASSESSOR else admin for name in READY}


def staff_visit(browser, url: str, state: dict, ready: dict) -> tuple[dict, Visit]:
    """A first visit of a staff page in a fresh context signed in with ``state``: time to
    first byte and to usable (page's clock), bytes and requests; the visit (to close)."""
    context = browser.new_context(viewport=DESK, storage_state=state)
    visit = Visit(context, None)
    figures = visit.load(url, STAFF_USABLE, ready)
    figures["first_byte_s"] = round(visit.page.evaluate(FIRST_BYTE) / 1000, 2)
    return figures, visit


def staff_main(args) -> None:
    """``--staff``: first byte and usable for each staff page at 1366 × 900, unthrottled."""
    from playwright.sync_api import sync_playwright

    commit = measured_commit()  # at the start: what was measured
    folder = Path(tempfile.mkdtemp(prefix="page-weight-staff-"))
    results: dict[str, list[dict]] = {}
    warm_up: dict[str, dict] = {}
    load_before = os.getloadavg()
    seen: dict[int, int] = {}
    with StaffApps(folder) as apps, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        states, pages = apps.states(browser), apps.pages()
        for name, url in pages.items():  # the servers' caches warm, as after a while
            warm_up[name], visit = staff_visit(browser, url, states[name], READY[name])
            visit.page.context.close()
        started = time.perf_counter()
        baseline = cpu_ticks(os.getpid(), *(s.pid for s in apps.servers))
        for _ in range(args.runs):
            for name, url in pages.items():
                figures, visit = staff_visit(browser, url, states[name], READY[name])
                results.setdefault(name, []).append(figures)
                for pid, ticks in cpu_ticks(os.getpid(), *(s.pid for s in apps.servers)).items():
                    seen[pid] = max(seen.get(pid, 0), ticks)  # before its renderer goes
                visit.page.context.close()
        wall = time.perf_counter() - started
        browser.close()
    report = {"commit": commit, "runs": args.runs, "viewport": DESK,
              "throttling": None, "goal_usable_s": 3,
              "warm_up": {name: {k: v[k] for k in ("first_byte_s", "usable_s")}
                          for name, v in warm_up.items()}}
    for name, runs in results.items():
        usable = summary([v["usable_s"] for v in runs])
        report[name] = {"first_byte_s": summary([v["first_byte_s"] for v in runs]),
                        "usable_s": usable,
                        "kib": summary([v["bytes"] / 1024 for v in runs]),
                        "requests": summary([v["requests"] for v in runs]),
                        "over_goal": usable["worst"] > 3}
    report.update(machine(load_before, cpu_share(seen, baseline, wall)))
    print(json.dumps(report))


def summary(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 2), "worst": round(max(values), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profiles", default="4g,3g",
                        help=f"comma-separated, among {', '.join(PROFILES)}")
    parser.add_argument("--expect", type=int, default=0,
                        help="preheated kernels (0: each visit starts its kernel)")
    parser.add_argument("--proxy", action="store_true",
                        help="through deploy/haproxy/haproxy.cfg (HTTPS, as deployed)")
    parser.add_argument("--staff", action="store_true",
                        help="the staff pages at 1366 × 900, unthrottled (not --profiles, "
                             "--expect, --proxy)")
    args = parser.parse_args()
    if args.staff:
        staff_main(args)
        return
    profiles = args.profiles.split(",")
    if unknown := set(profiles) - set(PROFILES):
        parser.error(f"unknown profiles: {', '.join(sorted(unknown))}")

    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="page-weight-"))
    server, base = start_server(folder, args.expect)
    haproxy = Proxy(folder, base) if args.proxy else None
    if haproxy is not None:
        base = haproxy.url
    results: dict[str, dict[str, list[dict]]] = {}
    load_before = os.getloadavg()
    seen: dict[int, int] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            # One unthrottled visit first: the server's caches (templates, compressed
            # assets) are warm as on a server that has been up for a while.
            context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                          ignore_https_errors=True)
            warm_up = Visit(context, None).load(base + PAGE)
            context.close()
            started, baseline = time.perf_counter(), cpu_ticks(os.getpid(), server.pid)
            for profile in profiles:
                visits = results.setdefault(profile, {"first": [], "reload": [], "next": []})
                for _ in range(args.runs):
                    context = browser.new_context(viewport=PHONE, is_mobile=True,
                                                  has_touch=True, ignore_https_errors=True)
                    visit = Visit(context, PROFILES[profile])
                    visits["first"].append(visit.load(base + PAGE))
                    visits["reload"].append(visit.load(None))
                    visits["next"].append(Visit(context, PROFILES[profile]).load(base + PAGE))
                    for pid, ticks in cpu_ticks(os.getpid(), server.pid).items():
                        seen[pid] = max(seen.get(pid, 0), ticks)  # before its renderer goes
                    context.close()
            wall = time.perf_counter() - started
            browser.close()
    finally:
        stop(*filter(None, (haproxy and haproxy.process, server)))
    client_cpu = cpu_share(seen, baseline, wall)
    report = {"commit": measured_commit(), "runs": args.runs,
              "expect": args.expect, "proxy": haproxy.protocols if haproxy else None,
              "warm_up": warm_up}
    for profile, visits in results.items():
        report[profile] = {
            kind: {"kib": summary([v["bytes"] / 1024 for v in runs]),
                   "requests": summary([v["requests"] for v in runs]),
                   "from_cache": summary([v["from_cache"] for v in runs]),
                   "websocket_kib": summary([v["websocket_kib"] for v in runs]),
                   "websocket_deflate": all(v["deflate"] for v in runs),
                   "usable_s": summary([v["usable_s"] for v in runs])}
            for kind, runs in visits.items()}
    report.update(machine(load_before, client_cpu))
    print(json.dumps(report))


def cpu_share(seen: dict[int, int], baseline: dict[int, int], wall: float) -> float:
    """The client's CPU time over ``wall`` seconds (``cpu_ticks`` before and at its peak)."""
    return sum(t - baseline.get(pid, 0) for pid, t in seen.items()) / os.sysconf(
        "SC_CLK_TCK") / wall


def measured_commit() -> str:
    """The short commit, with ``+changes`` if tracked files differ from it."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=HERE).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, cwd=HERE).stdout.strip()
    return commit + ("+changes" if dirty else "")


def machine(load_before: tuple[float, ...], client_cpu: float) -> dict:
    """The load before and now, the cores, the client's CPU share, Python."""
    return {"load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in os.getloadavg()],
            "cpus": os.cpu_count(),
            "client_cpu_share_of_one_core": round(client_cpu, 2),
            "python": sys.version.split()[0]}


if __name__ == "__main__":
    main()
