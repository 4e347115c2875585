"""Concurrent submissions to one SQLite file: the cost of ``synchronous=FULL`` (issue 17).

``PROCESSES`` processes (as many participant kernels) each submit ``EACH`` answers of the demo
questionnaire at once; prints submissions per second and the p50/p95/max latency of one
submission, with the workbench's setting (FULL: every commit synced before the receipt) and
with NORMAL (what it was) for comparison. Each mode runs ``--runs`` times in a fresh file.

    .venv/bin/python benchmarks/submissions.py [--processes 20] [--each 50] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _participant(url: str, mode: str, worker: int, each: int, start, results) -> None:
    from sqlalchemy import event
    from tests.test_forms_answers import valid_answers

    from workbench.forms.submission import submit_response
    from workbench.storage import get_engine

    engine = get_engine(url)
    if mode == "NORMAL":  # after the workbench's own listener, which sets FULL
        event.listen(engine, "connect",
                     lambda c, _r: c.execute("PRAGMA synchronous=NORMAL"))
    answers = valid_answers()
    start.wait()
    latencies = []
    for i in range(each):
        began = time.perf_counter()
        submit_response("evaluation-transport", f"w{worker}-{i}", answers, engine=engine,
                        now=datetime(2026, 12, 1, 10))
        latencies.append(time.perf_counter() - began)
    results.put(latencies)


def run(mode: str, processes: int, each: int) -> dict:
    from workbench.forms.publish import publish_spec_file
    from workbench.storage import get_engine
    from workbench.storage.migrate import upgrade

    folder = Path(tempfile.mkdtemp(prefix="bench-submissions-", dir=os.environ.get("TMPDIR")))
    url = f"sqlite:///{folder / 'bench.sqlite'}"
    engine = get_engine(url)
    upgrade(engine)
    publish_spec_file(Path(__file__).resolve().parents[1] / "widgets" / "evaluation-transport.yaml",
                      engine)
    context = mp.get_context("spawn")
    start, results = context.Event(), context.Queue()
    workers = [context.Process(target=_participant,
                               args=(url, mode, n, each, start, results))
               for n in range(processes)]
    for worker in workers:
        worker.start()
    time.sleep(3)  # let every process import and connect
    began = time.perf_counter()
    start.set()
    latencies = [x for _ in workers for x in results.get(timeout=600)]
    elapsed = time.perf_counter() - began
    for worker in workers:
        worker.join()
    latencies.sort()
    return {"mode": mode, "submissions": len(latencies),
            "per_second": round(len(latencies) / elapsed, 1),
            "p50_ms": round(1000 * statistics.median(latencies), 1),
            "p95_ms": round(1000 * latencies[int(0.95 * len(latencies)) - 1], 1),
            "max_ms": round(1000 * latencies[-1], 1), "load": os.getloadavg()[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=20)
    parser.add_argument("--each", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    for _ in range(options.runs):
        for mode in ("FULL", "NORMAL"):
            print(json.dumps(run(mode, options.processes, options.each)), flush=True)
    usage = os.times()
    print(json.dumps({"client_cpu_s": round(usage.children_user + usage.children_system
                                            + usage.user + usage.system, 1)}))


if __name__ == "__main__":
    main()
