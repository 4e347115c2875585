"""``workbench demo seed``: publish the demo questionnaire and its synthetic responses."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine

from workbench.demo.synthetic import apportion, synthetic_answers
from workbench.forms.loader import spec_from_dict
from workbench.forms.publish import publish_spec_file
from workbench.forms.submission import submit_response
from workbench.settings import project_home
from workbench.storage import get_engine, read_connection
from workbench.storage.responses import count_responses
from workbench.territory import communes

__all__ = ["DEMO_SLUG", "SeedResult", "seed_demo"]

DEMO_SLUG = "evaluation-transport"
SEED = 2026


@dataclass(frozen=True)
class SeedResult:
    """What the seeding did."""

    slug: str
    version: int
    created: int
    total: int


def seed_demo(count: int = 300, engine: Engine | None = None) -> SeedResult:
    """Publish the demo spec and store ``count`` synthetic responses; running it twice adds none."""
    engine = engine or get_engine()
    version, _new = publish_spec_file(project_home() / "widgets" / f"{DEMO_SLUG}.yaml", engine)
    form = spec_from_dict(version.spec)
    rng = random.Random(SEED)
    codes = apportion(count, communes())
    rng.shuffle(codes)
    opens = form.opens_at or date(2026, 11, 2)
    start = datetime.combine(opens if isinstance(opens, date) else opens.date(), time(8))
    created = 0
    for index, commune in enumerate(codes):
        moment = start + timedelta(days=rng.randint(0, 25), minutes=rng.randint(0, 13 * 60))
        answers = synthetic_answers(form, rng, commune, moment.date())
        receipt = submit_response(DEMO_SLUG, f"demo:{DEMO_SLUG}:{index}", answers,
                                  is_synthetic=True, engine=engine, now=moment,
                                  submitted_at=moment)
        created += receipt.created
    with read_connection(engine) as conn:
        total = count_responses(conn, DEMO_SLUG)
    return SeedResult(DEMO_SLUG, version.version, created, total)
