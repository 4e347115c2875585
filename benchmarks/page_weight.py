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
    log = (folder / "voila.log").open("w")
    server = subprocess.Popen(public_app_command("127.0.0.1", port, expect=expect),
                              env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5):
                break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                log.close()
                raise SystemExit(f"the server did not start: {folder / 'voila.log'}") from None
            time.sleep(0.3)
    return server, base


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


def cpu_ticks(root: int, exclude: int) -> dict[int, int]:
    """utime + stime of ``root`` and its descendants, leaving out ``exclude``'s tree."""
    ticks, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid == exclude:
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

    def load(self, url: str | None) -> dict:
        self.requests.clear()
        self.cached.clear()
        self.bytes = self.websocket = 0
        if url:
            self.page.goto(url, wait_until="commit")
        else:
            self.page.reload(wait_until="commit")
        usable = self.page.wait_for_function(USABLE, polling=100).json_value()
        self.page.wait_for_timeout(1000)  # late requests (fonts, lazy chunks) counted too
        # Requests that went to the server (a 304 did; a copy from the cache did not).
        return {"bytes": self.bytes, "requests": len(self.requests - self.cached),
                "from_cache": len(self.requests & self.cached),
                # Kernel messages (payload as the page reads it, after any inflating).
                "websocket_kib": round(self.websocket / 1024, 1), "deflate": self.deflate,
                "usable_s": round(usable / 1000, 2)}


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
    args = parser.parse_args()
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
        for process in filter(None, (haproxy and haproxy.process, server)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    client_cpu = sum(t - baseline.get(pid, 0) for pid, t in seen.items()) / os.sysconf(
        "SC_CLK_TCK") / wall
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=HERE).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, cwd=HERE).stdout.strip()
    report = {"commit": commit + ("+changes" if dirty else ""), "runs": args.runs,
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
    report.update({"load_before": [round(x, 2) for x in load_before],
                   "load_after": [round(x, 2) for x in os.getloadavg()],
                   "cpus": os.cpu_count(),
                   "client_cpu_share_of_one_core": round(client_cpu, 2),
                   "python": sys.version.split()[0]})
    print(json.dumps(report))


if __name__ == "__main__":
    main()
