"""Load of a workshop room on the public Voilà app: N participants arrive over a ramp.

Each simulated participant GETs the session page, opens the kernel websocket, asks for the
widget states, answers the two questions of ``specs/atelier-charge.yaml``, presses
"Envoyer" and waits for "Reçu". Protocol-level, like the reference instrument
(``shared/tools/voila_load.py``), but for this project's form. Prints page-ready and submit
p50/p95, errors and the peak memory of Voilà and its kernels.

    .venv/bin/python benchmarks/workshop_load.py -n 100 --ramp 30 [--expect 100]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
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
    try:
        while True:  # a full room answers 503 and a waiting page: wait as a browser would
            page = await AsyncHTTPClient().fetch(HTTPRequest(base + path, request_timeout=timeout),
                                                 raise_error=False)
            if page.code != 503:
                page.rethrow()
                break
            waited[0] += 1
            await asyncio.sleep(float(page.headers.get("Retry-After", "5")))
        kernel = re.search(r'"kernelId": "([^"]+)"', page.body.decode()).group(1)
        session = uuid.uuid4().hex
        socket = await websocket_connect(HTTPRequest(
            base.replace("http", "ws") + f"/api/kernels/{kernel}/channels?session_id={session}"),
            max_message_size=64 * 1024 * 1024)
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
        radio, = by_model["RadioButtonsModel"]
        toggles, = by_model["ToggleButtonsModel"]
        button = next(c for c in by_model["ButtonModel"]
                      if states[c]["state"].get("description") == "Envoyer")
        # What the browser does on drawing the page: report its stored submission id
        # (the hidden anywidget), which also lets a finished page give its kernel back.
        browser_id = next(c for c, st in states.items() if "submission_id" in st["state"])
        await socket.write_message(message(session, "comm_msg", {
            "comm_id": browser_id, "data": {"method": "update", "buffer_paths": [],
                                            "state": {"submission_id": uuid.uuid4().hex}}}))
        await asyncio.sleep(hold)  # reading, discussing: the page stays open meanwhile
        for comm_id, value in ((radio, index % 4), (toggles, index % 11)):
            await socket.write_message(message(session, "comm_msg", {
                "comm_id": comm_id, "data": {"method": "update", "state": {"index": value},
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


async def run(base: str, path: str, n: int, ramp: float, timeout: float,
              hold: float) -> list[tuple]:
    AsyncHTTPClient.configure(None, max_clients=1000)
    tasks = []
    for i in range(n):
        tasks.append(asyncio.ensure_future(participant(base, path, i, timeout, hold)))
        await asyncio.sleep(ramp / max(n, 1))
    return await asyncio.gather(*tasks)


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
                        help="cap on live kernels (default: the machine's)")
    parser.add_argument("--no-fork", action="store_true",
                        help="start kernels as ordinary processes (Voilà's default)")
    args = parser.parse_args()

    import os

    from workbench.forms.publish import publish_spec_file
    from workbench.storage import get_engine
    from workbench.storage.migrate import upgrade
    from workbench.web import pool
    from workbench.web.serve import public_app_command, public_app_environment
    from workbench.workshops import sessions

    folder = Path(tempfile.mkdtemp(prefix="workshop-load-"))
    url = f"sqlite:///{folder / 'load.sqlite'}"
    engine = get_engine(url)
    upgrade(engine)
    publish_spec_file(HERE / "specs" / "atelier-charge.yaml", engine)
    code = sessions.open_session(sessions.create_session("atelier-charge", "Charge", False,
                                                         engine).code, engine).code
    port = 18866
    base = f"http://127.0.0.1:{port}"
    env = public_app_environment(public_url=base)
    env.update({"WORKBENCH_DATABASE_URL": url, "WORKBENCH_RUNTIME_DIR": str(folder / "pool")})
    log = (folder / "voila.log").open("w")  # kept for reading after a bad run
    if args.no_fork:
        env["JUPYTER_DEFAULT_PROVISIONER_NAME"] = "local-provisioner"
    server = subprocess.Popen(public_app_command("127.0.0.1", port, expect=args.expect,
                                                 fill_delay=args.fill_delay,
                                                 max_kernels=args.max_kernels),
                              env=env, stdout=subprocess.DEVNULL, stderr=log)
    peak = [0.0, 0.0]
    available = [available_mib(), available_mib()]
    sampled = [time.monotonic()]
    ready_before = 0
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], tree_memory_mib(server.pid))
            available[1] = min(available[1], available_mib())
            if time.monotonic() - sampled[0] > 10:
                peak[1] = max(peak[1], tree_memory_mib(server.pid, proportional=True))
                sampled[0] = time.monotonic()
            time.sleep(1)

    try:
        time.sleep(3)
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
        results = asyncio.run(run(base, f"/voila/render/questionnaire.ipynb?session={code}",
                                  args.n, args.ramp, args.timeout, args.hold))
        stop.set()
        # Kernels outlive the pages: the room's memory is highest now.
        peak[1] = max(peak[1], tree_memory_mib(server.pid, proportional=True))
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=60)
    ok = [r for r in results if r[2] is None]
    errors = [r[2] for r in results if r[2] is not None]
    ready = [r[0] for r in ok]
    submit = [r[1] for r in ok]
    print(json.dumps({
        "participants": args.n, "ramp_s": args.ramp, "expect": args.expect,
        "hold_s": args.hold, "fork": not args.no_fork, "max_kernels": args.max_kernels,
        "fill_delay_s": args.fill_delay, "pool_warm_up_s": round(warm, 1),
        "pool_ready": ready_before if args.expect else None, "ok": len(ok),
        "errors": len(errors), "first_error": errors[0] if errors else None,
        "ready_p50_s": round(percentile(ready, .5), 2),
        "ready_p95_s": round(percentile(ready, .95), 2),
        "submit_p50_s": round(percentile(submit, .5), 3),
        "submit_p95_s": round(percentile(submit, .95), 3),
        "waiting_pages": waited[0],
        "peak_rss_sum_gib": round(peak[0] / 1024, 2),
        "peak_pss_gib": round(peak[1] / 1024, 2),
        "machine_memory_used_gib": round((available[0] - available[1]) / 1024, 2)}))


if __name__ == "__main__":
    main()
