"""How many participant kernels the public app may run, and the page shown beyond that.

One kernel per page view: past the cap, a participant gets a polite French waiting page that
retries by itself (HTTP 503 with ``Retry-After``) instead of a server that falls over.
"""

from __future__ import annotations

import html
import os
import random
from pathlib import Path

from workbench.i18n import _, language

__all__ = ["CULL_IDLE_S", "KERNEL_MIB", "cull_idle_seconds", "default_max_kernels",
           "max_kernels", "waiting_page"]

CULL_IDLE_S = 30 * 60
KERNEL_MIB = 40  # a forked participant kernel, measured (docs/benchmarks.md): ~36 MiB PSS


def default_max_kernels() -> int:
    """As many kernels as fit in 60% of the machine's memory (between 50 and 1,000)."""
    try:
        meminfo = Path("/proc/meminfo").read_text()
        total_mib = int(meminfo.split("MemTotal:")[1].split()[0]) / 1024
    except (OSError, IndexError, ValueError):
        return 200
    return max(50, min(1000, int(total_mib * 0.6 / KERNEL_MIB)))


def max_kernels() -> int:
    """``WORKBENCH_MAX_KERNELS`` (0 = no cap), else the machine's default."""
    value = os.environ.get("WORKBENCH_MAX_KERNELS", "").strip()
    return int(value) if value.isdigit() else default_max_kernels()


def cull_idle_seconds() -> int:
    """``WORKBENCH_CULL_IDLE_S``, else 30 minutes: how long a page's kernel outlives its page.

    Only kernels whose page is gone (websocket closed) are culled, never a connected one.
    """
    value = os.environ.get("WORKBENCH_CULL_IDLE_S", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else CULL_IDLE_S


def waiting_page() -> tuple[str, int]:
    """The waiting page and its retry delay (spread out so the retries do not come at once)."""
    delay = random.randint(4, 9)
    texts = {key: html.escape(value) for key, value in {
        "title": _("The room is full for the moment"),
        "lead": _("Many people are answering right now. Your page will open by itself as "
                  "soon as a place is free: keep this page open."),
        "retry": _("Next try in a few seconds."),
        "now": _("Try again now"),
        "lang": language(),
    }.items()}
    page = f"""<!DOCTYPE html>
<html lang="{texts['lang']}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{texts['title']}</title>
<style>body{{font-family:system-ui,sans-serif;margin:0;padding:2rem 1.25rem;color:#1d2733;
background:#f6f7f9}}main{{max-width:32rem;margin:auto;background:#fff;border-radius:.75rem;
padding:1.5rem;box-shadow:0 1px 3px #0002}}h1{{font-size:1.35rem;margin-top:0}}
p{{font-size:1.05rem;line-height:1.5}}.wb-wait{{color:#55606e}}</style></head>
<body><main role="status"><h1>{texts['title']}</h1><p>{texts['lead']}</p>
<p class="wb-wait">{texts['retry']}</p><p><a href="">{texts['now']}</a></p></main>
<script>setTimeout(function () {{ location.reload(); }}, {delay * 1000});</script>
</body></html>"""
    return page, delay
