"""Memory and start-up cost of one participant kernel, as Voilà runs it.

Starts a Jupyter kernel the way Voilà does, runs the questionnaire notebook's cells (or a
minimal ipywidgets form for comparison) and prints the kernel's resident memory and the time
until the page's widgets exist. Usage: ``.venv/bin/python benchmarks/kernel_rss.py``.
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = """
import ipywidgets as w
form = w.VBox([w.Text(description="Nom"), w.IntSlider(description="Note"),
               w.Button(description="Envoyer"), w.Label()])
form
"""


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(cells: list[str], env: dict[str, str]) -> dict:
    started = time.perf_counter()
    manager, client = start_new_kernel(kernel_name="python3", env=env,
                                       cwd=str(ROOT / "notebooks" / "public"))
    try:
        ready = time.perf_counter() - started
        for code in cells:
            reply = client.execute_interactive(code, timeout=120, output_hook=lambda _m: None)
            assert reply["content"]["status"] == "ok", reply["content"]
        done = time.perf_counter() - started
        pid = manager.provisioner.process.pid
        return {"kernel_ready_s": round(ready, 2), "page_built_s": round(done, 2),
                "rss_mib": round(rss_mib(pid), 1)}
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def main() -> None:
    from workbench.demo.seed import seed_demo
    from workbench.storage import get_engine
    from workbench.storage.migrate import upgrade

    folder = tempfile.mkdtemp()
    url = f"sqlite:///{folder}/bench.sqlite"
    engine = get_engine(url)
    upgrade(engine)
    seed_demo(0, engine)
    env = {**os.environ, "WORKBENCH_DATABASE_URL": url}
    notebook = json.loads((ROOT / "notebooks" / "public" / "questionnaire.ipynb").read_text())
    cells = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    for name, code in (("minimal ipywidgets form", [MINIMAL]),
                       ("questionnaire (demo, 15 questions)", cells)):
        runs = [measure(code, env) for _ in range(3)]
        best = min(runs, key=lambda r: r["page_built_s"])
        print(f"{name}: kernel ready {best['kernel_ready_s']} s, "
              f"page built {best['page_built_s']} s, "
              f"kernel RSS {max(r['rss_mib'] for r in runs)} MiB (3 runs)")


if __name__ == "__main__":
    main()
