"""The participant path stays light: one Voilà kernel per participant."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pandas", "altair", "numpy", "openpyxl", "papermill", "matplotlib", "scipy")


def test_the_questionnaire_page_imports_no_heavy_module() -> None:
    code = (
        "import json, sys, resource\n"
        "from workbench.forms.page import QuestionnairePage\n"
        "from workbench.web.params import url_parameters\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps({'modules': sorted(sys.modules), 'rss_kb': rss}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    report = json.loads(result.stdout)
    loaded = {name.split(".")[0] for name in report["modules"]}
    assert not loaded & set(HEAVY), loaded & set(HEAVY)
    print(f"participant path imports: peak RSS {report['rss_kb'] / 1024:.1f} MiB")
