"""Screenshots of every staff page at 1366 × 900, for ``docs/staff.md``.

Starts the apps as ``page_weight.py --staff`` does (its ``StaffApps``: a temporary SQLite
database seeded as ``make demo`` does, the demo's staff accounts, one workshop session open,
so the console shows a session chosen), signs in once (the administrator; the committee's
scoring page as one of its assessors), opens each page of ``notebooks/staff/`` in a fresh
context, waits until it is usable (``page_weight.READY``) and a moment more, then saves the
page's whole height, capped at 3,000 px, to ``docs/staff/<page>.png``. Prints what it wrote,
as JSON.

    .venv/bin/python benchmarks/staff_screenshots.py [--pages console,journal] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from page_weight import CHROMIUM, CHROMIUM_ARGS, DESK, READY, StaffApps, staff_visit

HERE = Path(__file__).parent
CAP = 3000  # px: the longest screenshot (a long table is cut there)
SETTLE_MS = 1500  # after usable: late drawing (data grids, charts, the QR code)
# The height the page's content needs: the document's, or that of the element that scrolls
# inside it (Voilà's front end scrolls a panel, not the document) plus what lies outside it.
CONTENT_HEIGHT = """() => {
  const doc = document.documentElement;
  let needed = doc.scrollHeight;
  for (const e of document.querySelectorAll("body *")) {
    const overflow = getComputedStyle(e).overflowY;
    if ((overflow === "auto" || overflow === "scroll") && e.scrollHeight > e.clientHeight + 1
        && e.clientHeight > window.innerHeight / 2)
      needed = Math.max(needed, doc.clientHeight + e.scrollHeight - e.clientHeight);
  }
  return needed;
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="",
                        help="comma-separated notebook names without .ipynb (default: all)")
    parser.add_argument("--out", type=Path, default=HERE.parent / "docs" / "staff")
    args = parser.parse_args()
    wanted = {f"{name}.ipynb" for name in args.pages.split(",") if name}
    if unknown := wanted - set(READY):
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")

    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    written = []
    with StaffApps(Path(tempfile.mkdtemp(prefix="staff-screenshots-"))) as apps, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        states = apps.states(browser)
        for name, url in apps.pages().items():
            if wanted and name not in wanted:
                continue
            _figures, visit = staff_visit(browser, url, states[name], READY[name])
            page = visit.page
            page.wait_for_timeout(SETTLE_MS)
            height = min(CAP, page.evaluate(CONTENT_HEIGHT))
            if height > DESK["height"]:  # the panel grows with the window: let it
                page.set_viewport_size({"width": DESK["width"], "height": height})
                page.wait_for_timeout(500)
                height = min(CAP, max(height, page.evaluate(CONTENT_HEIGHT)))
            path = args.out / f"{Path(name).stem}.png"
            page.screenshot(path=path, full_page=True,
                            clip={"x": 0, "y": 0, "width": DESK["width"], "height": height})
            page.context.close()
            written.append({"page": name, "file": str(path), "height": height,
                            "capped": height == CAP})
        browser.close()
    print(json.dumps(written, indent=1))


if __name__ == "__main__":
    main()
