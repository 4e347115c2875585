"""Time ``workbench report run --all`` on 100,000 synthetic responses over 10 questionnaires.

Creates a throwaway database and project folder, publishes 10 copies of the demo
questionnaire, stores the synthetic responses in bulk (spread over the year), then runs the
CLI as staff would and prints the figures as JSON.

    .venv/bin/python benchmarks/reports.py [--responses 100000] [--forms 10] [--year 2026]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def seed(url: str, responses: int, forms: int, year: int) -> float:
    """Publish ``forms`` questionnaires and store ``responses`` synthetic answers; seconds."""
    import yaml
    from sqlalchemy import insert

    from workbench.demo.synthetic import synthetic_answers
    from workbench.forms.loader import spec_from_dict
    from workbench.forms.publish import publish_spec_file
    from workbench.storage import get_engine, write_transaction
    from workbench.storage.migrate import upgrade
    from workbench.storage.schema import answer, response
    from workbench.territory import communes

    started = time.perf_counter()
    engine = get_engine(url)
    upgrade(engine)
    demo = yaml.safe_load((ROOT / "widgets" / "evaluation-transport.yaml").read_text())
    folder = Path(tempfile.mkdtemp(prefix="bench-specs-"))
    rng = random.Random(2026)
    codes = [c.code_insee for c in communes()]
    weights = [c.population for c in communes()]
    next_id = 1
    for number in range(forms):
        spec = {**demo, "slug": f"bench-{number:02d}",
                "title": f"Questionnaire de charge n° {number + 1}"}
        spec.pop("opens_at", None)
        spec.pop("closes_at", None)
        path = folder / f"{spec['slug']}.yaml"
        path.write_text(yaml.safe_dump(spec, allow_unicode=True))
        version, _ = publish_spec_file(path, engine)
        form = spec_from_dict(version.spec)
        rows, answers = [], []
        for _ in range(responses // forms):
            moment = datetime(year, 1, 1, 8) + timedelta(days=rng.randint(0, 330),
                                                         minutes=rng.randint(0, 720))
            commune = rng.choices(codes, weights)[0]
            rows.append({"id": next_id, "form_version_id": version.id,
                         "submission_id": f"bench:{next_id}", "receipt": f"B{next_id:07d}",
                         "submitted_at": moment, "is_synthetic": True})
            answers += [{"response_id": next_id, "question_id": qid,
                         "value_json": json.dumps(value, ensure_ascii=False)}
                        for qid, value in synthetic_answers(form, rng, commune,
                                                            moment.date()).items()]
            next_id += 1
        with write_transaction(engine) as conn:
            conn.execute(insert(response), rows)
            conn.execute(insert(answer), answers)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--forms", type=int, default=10)
    parser.add_argument("--year", type=int, default=2026)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    for part in ("notebooks", "widgets", "data/territory"):
        shutil.copytree(ROOT / part, home / part)
    shutil.copy(ROOT / "pyproject.toml", home)
    url = f"sqlite:///{home / 'data' / 'bench.sqlite'}"
    seeding = seed(url, args.responses, args.forms, args.year)
    env = {**os.environ, "WORKBENCH_DATABASE_URL": url, "WORKBENCH_HOME": str(home)}
    started = time.perf_counter()
    done = subprocess.run([str(Path(sys.executable).parent / "workbench"), "report", "run",
                           "--all", "--year", str(args.year)], env=env, capture_output=True,
                          text=True)
    elapsed = time.perf_counter() - started
    manifests = [json.loads(p.read_text()) for p in (home / "reports").rglob("manifest.json")]
    print(json.dumps({
        "responses": args.responses, "forms": args.forms, "cores": os.cpu_count(),
        "seed_s": round(seeding, 1), "report_run_all_s": round(elapsed, 1),
        "exit_status": done.returncode, "reports": len(manifests),
        "failed": [m["report"] for m in manifests if m["status"] != "ok"],
        "slowest_report_s": max((m["duration_s"] for m in manifests), default=None),
        "summary": done.stdout.strip().splitlines()[-1:] + done.stderr.strip().splitlines()[-1:],
    }, ensure_ascii=False))
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
