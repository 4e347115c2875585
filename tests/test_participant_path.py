"""The participant path stays light: one Voilà kernel per participant."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pandas", "altair", "numpy", "openpyxl", "papermill", "matplotlib", "scipy")

# The pages a participant (or member) opens on a phone; the projected results page, one
# kernel per screen, may draw charts.
PARTICIPANT_PAGES = ("workbench.forms.page", "workbench.foresight.scoring_page",
                     "workbench.foresight.delphi_page", "workbench.council.signin_page",
                     "workbench.council.avis_page", "workbench.associations.directory_page")


@pytest.mark.parametrize("module", PARTICIPANT_PAGES)
def test_participant_pages_import_no_heavy_module(module: str) -> None:
    code = (
        "import json, sys, resource\n"
        f"import {module}\n"
        "from workbench.web.params import url_parameters\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps({'modules': sorted(sys.modules), 'rss_kb': rss}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    report = json.loads(result.stdout)
    loaded = {name.split(".")[0] for name in report["modules"]}
    assert not loaded & set(HEAVY), loaded & set(HEAVY)
    print(f"{module}: peak RSS {report['rss_kb'] / 1024:.1f} MiB")
