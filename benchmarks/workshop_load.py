"""Load of a workshop room on the public Voilà app: N participants arrive over a ramp.

Each simulated participant GETs the session page, opens the kernel websocket, asks for the
widget states, answers the two questions of ``specs/atelier-charge.yaml``, presses
"Envoyer" and waits for "Reçu". Protocol-level, like the reference instrument
(``shared/tools/voila_load.py``), but for this project's form. Prints page-ready and submit
p50/p95, errors, the peak memory of Voilà and its kernels, the machine's load and this
client's own CPU share (it runs on the same cores as the servers), and the commit measured.

    .venv/bin/python benchmarks/workshop_load.py -n 100 --ramp 30 [--expect 100]

Several public instances behind ``deploy/haproxy/haproxy.cfg`` (HTTPS, cookie routing), on
PostgreSQL: ``--instances 2 --proxy --database postgresql+psycopg://postgres@127.0.0.1/test``
(a schema of its own is created in that database, and dropped after the run).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import resource
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

HERE = Path(__file__).parent


def message(session: str, kind: str, content: dict) -> str:
    version = "1.0.0" if kind == "comm_open" else "2.1.0"
    return json.dumps({"header": {"msg_id": uuid.uuid4().hex, "username": "load",
                                  "session": session, "msg_type": kind, "version": "5.3",
                                  "date": ""},
                       "parent_header": {}, "metadata": {"version": version},
                       "content": content, "channel": "shell", "buffers": []})


async def participant(base: str, path: str, index: int, timeout: float,
                      hold: float) -> tuple:
    started = time.perf_counter()
    cookie: dict[str, str] = {}  # the proxy's routing cookie, kept as a browser keeps it
    try:
        while True:  # a full room answers 503 and a waiting page: wait as a browser would
            page = await AsyncHTTPClient().fetch(HTTPRequest(
                base + path, request_timeout=timeout, headers=cookie, validate_cert=False),
                raise_error=False)
            if page.code != 503:
                page.rethrow()
                break
            waited[0] += 1
            await asyncio.sleep(float(page.headers.get("Retry-After", "5")))
        routed = re.search(r"WBSRV=(\w+)", page.headers.get("Set-Cookie", ""))
        if routed:
            cookie = {"Cookie": f"WBSRV={routed.group(1)}"}
            landed[routed.group(1)] = landed.get(routed.group(1), 0) + 1
        kernel = re.search(r'"kernelId": "([^"]+)"', page.body.decode()).group(1)
        session = uuid.uuid4().hex
        socket = await websocket_connect(HTTPRequest(
            base.replace("http", "ws", 1)
            + f"/api/kernels/{kernel}/channels?session_id={session}", headers=cookie,
            validate_cert=False), max_message_size=64 * 1024 * 1024)
        control = uuid.uuid4().hex
        await socket.write_message(message(session, "comm_open", {
            "comm_id": control, "target_name": "jupyter.widget.control", "data": {}}))
        await socket.write_message(message(session, "comm_msg", {
            "comm_id": control, "data": {"method": "request_states"}}))

        async def until(test) -> dict:
            while True:
                raw = await asyncio.wait_for(socket.read_message(), timeout)
                if raw is None:
                    raise RuntimeError("websocket closed")
                data = json.loads(raw)
                # A new widget (the receipt panel) arrives as comm_open, a change as comm_msg.
                if data.get("msg_type") in ("comm_msg", "comm_open") and test(data["content"]):
                    return data["content"]

        states = (await until(lambda c: c.get("data", {}).get("method") == "update_states"))[
            "data"]["states"]
        ready = time.perf_counter() - started
        by_model: dict[str, list[str]] = {}
        for comm_id, state in states.items():
            by_model.setdefault(state["model_name"], []).append(comm_id)
        # The questions are accessible fields (workbench.web.field.Field, an anywidget):
        # one radio group and one 0-10 scale; their value is the chosen option's value.
        fields = {states[c]["state"].get("kind"): c for c in by_model.get("AnyModel", [])
                  if "kind" in states[c]["state"]}
        radio, scale = fields["radio"], fields["scale"]
        radio_values = [v for _label, v in states[radio]["state"]["options"]]
        button = next(c for c in by_model["ButtonModel"]
                      if states[c]["state"].get("description") == "Envoyer")
        # What the browser does on drawing the page: report its stored submission id
        # (the hidden anywidget), which also lets a finished page give its kernel back.
        browser_id = next(c for c, st in states.items() if "submission_id" in st["state"])
        await socket.write_message(message(session, "comm_msg", {
            "comm_id": browser_id, "data": {"method": "update", "buffer_paths": [],
                                            "state": {"submission_id": uuid.uuid4().hex}}}))
        await asyncio.sleep(hold)  # reading, discussing: the page stays open meanwhile
        for comm_id, value in ((radio, radio_values[index % len(radio_values)]),
                               (scale, index % 11)):
            await socket.write_message(message(session, "comm_msg", {
                "comm_id": comm_id, "data": {"method": "update", "state": {"value": value},
                                             "buffer_paths": []}}))
        clicked = time.perf_counter()
        await socket.write_message(message(session, "comm_msg", {
            "comm_id": button, "data": {"method": "custom", "content": {"event": "click"}}}))
        await until(lambda c: "Reçu" in str(c["data"].get("state", {}).get("value", "")))
        submitted = time.perf_counter() - clicked
        socket.close()
        return ready, submitted, None
    except Exception as error:
        return None, None, repr(error)[:160]


waited = [0]  # waiting pages received (room full)
landed: dict[str, int] = {}  # pages per instance (the proxy's cookie)


def tree_memory_mib(pid: int, proportional: bool = False) -> float:
    """Memory of a process and all its descendants: summed RSS, or summed PSS.

    Forked kernels share their parent's pages: summed RSS counts those pages once per
    kernel, PSS splits them between the processes sharing them (the memory really used).
    PSS is costly to read (page tables walked), so it is sampled rarely.
    """
    total, todo = 0, [pid]
    source, field = ("smaps_rollup", "Pss") if proportional else ("status", "VmRSS")
    while todo:
        current = todo.pop()
        try:
            text = Path(f"/proc/{current}/{source}").read_text()
            total += int(re.search(rf"^{field}:\s+(\d+)", text, re.M).group(1))
            # Children are listed per thread: a kernel may be started from any of them.
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, AttributeError):
            continue
    return total / 1024


def available_mib() -> float:
    """The machine's available memory (cross-check of the PSS figure)."""
    text = Path("/proc/meminfo").read_text()
    return int(re.search(r"^MemAvailable:\s+(\d+)", text, re.M).group(1)) / 1024


def percentile(values: list[float], share: float) -> float:
    return sorted(values)[min(len(values) - 1, int(share * len(values)))] if values else float(
        "nan")


async def bounded(attempt, limit: float) -> tuple:
    """A participant who never sees the receipt (messages keep coming) counts as an error."""
    try:
        return await asyncio.wait_for(attempt, limit)
    except TimeoutError:
        return None, None, f"no receipt within {limit:.0f} s"


async def run(base: str, path: str, n: int, ramp: float, timeout: float,
              hold: float) -> list[tuple]:
    AsyncHTTPClient.configure(None, max_clients=1000)
    tasks = []
    for i in range(n):
        tasks.append(asyncio.ensure_future(bounded(participant(base, path, i, timeout, hold),
                                                   timeout + hold + 60)))
        await asyncio.sleep(ramp / max(n, 1))
    return await asyncio.gather(*tasks)


def wait_until_served(bases: list[str], limit: float = 90) -> None:
    """Wait until every address lets a page through (instances first, then the proxy)."""
    import ssl
    import urllib.request

    context, deadline = ssl._create_unverified_context(), time.monotonic() + limit
    for base in bases:
        while True:
            try:
                with urllib.request.urlopen(base, timeout=5, context=context):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"{base} did not answer within {limit} s") from None
                time.sleep(0.5)


def database(folder: Path, server_url: str | None) -> tuple[str, object]:
    """SQLite in the run's folder, or a schema of its own in ``server_url`` (and its drop)."""
    if not server_url:
        return f"sqlite:///{folder / 'load.sqlite'}", lambda: None
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url)
    with admin.begin() as conn:
        conn.execute(text(f"create schema {schema}"))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f"drop schema {schema} cascade"))

    return f"{server_url}?options=-csearch_path%3D{schema}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50)
    parser.add_argument("--ramp", type=float, default=30.0)
    parser.add_argument("--expect", type=int, default=0, help="preheated pool size")
    parser.add_argument("--fill-delay", type=float, default=2.0)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--hold", type=float, default=0.0,
                        help="seconds each page stays open before answering")
    parser.add_argument("--max-kernels", type=int, default=None,
                        help="cap on live kernels per instance (default: the machine's)")
    parser.add_argument("--no-fork", action="store_true",
                        help="start kernels as ordinary processes (Voilà's default)")
    parser.add_argument("--instances", type=int, default=1, choices=(1, 2),
                        help="public server processes")
    parser.add_argument("--proxy", action="store_true",
                        help="go through deploy/haproxy/haproxy.cfg (HTTPS, cookie routing)")
    parser.add_argument("--database", default=None,
                        help="a PostgreSQL server URL (default: SQLite)")
    args = parser.parse_args()
    if args.instances > 1 and not args.proxy:
        parser.error("--instances 2 needs --proxy")

    from sqlalchemy import func, select

    from workbench.forms.publish import publish_spec_file
    from workbench.storage import get_engine, read_connection
    from workbench.storage.migrate import upgrade
    from workbench.storage.schema import response
    from workbench.web import pool
    from workbench.web.proxy import LocalProxy, self_signed_pem
    from workbench.web.serve import public_app_command, public_app_environment
    from workbench.workshops import sessions

    folder = Path(tempfile.mkdtemp(prefix="workshop-load-"))
    url, drop = database(folder, args.database)
    engine = get_engine(url)
    upgrade(engine)
    publish_spec_file(HERE / "specs" / "atelier-charge.yaml", engine)
    code = sessions.open_session(sessions.create_session("atelier-charge", "Charge", False,
                                                         engine).code, engine).code
    ports = [18866 + i for i in range(args.instances)]
    proxy = LocalProxy(https_port=18443, http_port=18080,
                       public=tuple(f"127.0.0.1:{p}" for p in (ports * 2)[:2]),
                       staff="127.0.0.1:18867", pem=self_signed_pem(folder)) if args.proxy else None
    base = proxy.url if proxy else f"http://127.0.0.1:{ports[0]}"
    log = (folder / "voila.log").open("w")  # kept for reading after a bad run
    servers: list[subprocess.Popen] = []
    haproxy = None
    peak = [0.0, 0.0, 0]  # summed RSS, PSS (MiB), PostgreSQL connections
    available = [available_mib(), available_mib()]
    sampled = [time.monotonic()]
    ready_before = 0
    stop = threading.Event()

    def memory(proportional: bool = False) -> float:
        return sum(tree_memory_mib(server.pid, proportional) for server in servers)

    def connections() -> int:
        if not args.database:
            return 0
        from sqlalchemy import text

        with read_connection(engine) as conn:
            return conn.scalar(text("select count(*) from pg_stat_activity "
                                    "where backend_type = 'client backend'"))

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], memory())
            peak[2] = max(peak[2], connections())
            available[1] = min(available[1], available_mib())
            if time.monotonic() - sampled[0] > 10:
                peak[1] = max(peak[1], memory(proportional=True))
                sampled[0] = time.monotonic()
            time.sleep(1)

    load_before = os.getloadavg()
    try:
        for index, port in enumerate(ports, start=1):
            env = public_app_environment(public_url=base, bind_host="127.0.0.1")
            env.update({"WORKBENCH_DATABASE_URL": url,
                        "WORKBENCH_RUNTIME_DIR": str(folder / "pool")})
            if args.no_fork:
                env["JUPYTER_DEFAULT_PROVISIONER_NAME"] = "local-provisioner"
            servers.append(subprocess.Popen(
                public_app_command("127.0.0.1", port, expect=args.expect,
                                   fill_delay=args.fill_delay, max_kernels=args.max_kernels,
                                   instance=f"p{index}"),
                env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True))
        if proxy:
            haproxy = subprocess.Popen(proxy.command(),
                                       env={**os.environ, **proxy.environment()},
                                       stdout=log, stderr=log, start_new_session=True)
        wait_until_served([f"http://127.0.0.1:{port}/healthz" for port in ports])
        if proxy:
            time.sleep(7)  # the proxy's checks see every instance up (rise 2 × inter 3 s)
            wait_until_served([base + "/"])
        os.environ["WORKBENCH_RUNTIME_DIR"] = str(folder / "pool")
        warm = time.perf_counter()
        last, still = -1, 0
        while args.expect and pool.ready_count() < args.expect and still < 30:
            count = pool.ready_count()
            # Kernels all start at once: wait while the pool grows; stalled 30 s: go with it.
            still = still + 1 if count == last and count > 0 else 0
            last = count
            time.sleep(1)
        warm = time.perf_counter() - warm
        ready_before = pool.ready_count()
        threading.Thread(target=sample, daemon=True).start()
        cpu, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        results = asyncio.run(run(base, f"/voila/render/questionnaire.ipynb?session={code}",
                                  args.n, args.ramp, args.timeout, args.hold))
        after = resource.getrusage(resource.RUSAGE_SELF)
        client_cpu = ((after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime)
                      / (time.perf_counter() - wall))
        stop.set()
        # Kernels outlive the pages: the room's memory is highest now.
        peak[1] = max(peak[1], memory(proportional=True))
        with read_connection(engine) as conn:
            stored = conn.scalar(select(func.count()).select_from(response))
    finally:
        stop.set()
        for process in filter(None, (haproxy, *servers)):  # servers, kernels and all
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        engine.dispose()
        drop()
    ok = [r for r in results if r[2] is None]
    errors = [r[2] for r in results if r[2] is not None]
    ready = [r[0] for r in ok]
    submit = [r[1] for r in ok]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=HERE).stdout.strip()
    print(json.dumps({
        "commit": commit, "participants": args.n, "ramp_s": args.ramp, "expect": args.expect,
        "hold_s": args.hold, "fork": not args.no_fork, "max_kernels": args.max_kernels,
        "instances": args.instances, "proxy": args.proxy,
        "database": "postgresql" if args.database else "sqlite",
        "fill_delay_s": args.fill_delay, "pool_warm_up_s": round(warm, 1),
        "pool_ready": ready_before if args.expect else None, "ok": len(ok),
        "errors": len(errors), "first_error": errors[0] if errors else None,
        "stored": stored, "lost": len(ok) - stored,
        "ready_p50_s": round(percentile(ready, .5), 2),
        "ready_p95_s": round(percentile(ready, .95), 2),
        "submit_p50_s": round(percentile(submit, .5), 3),
        "submit_p95_s": round(percentile(submit, .95), 3),
        "waiting_pages": waited[0], "landed": landed,
        "peak_rss_sum_gib": round(peak[0] / 1024, 2),
        "peak_pss_gib": round(peak[1] / 1024, 2),
        "peak_postgresql_connections": peak[2] if args.database else None,
        "machine_memory_used_gib": round((available[0] - available[1]) / 1024, 2),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "client_cpu_share_of_one_core": round(client_cpu, 2)}))


if __name__ == "__main__":
    main()
