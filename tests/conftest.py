"""Shared fixtures: databases (SQLite file, PostgreSQL schema), published demo forms."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from workbench.forms.publish import publish_spec_file
from workbench.storage.engine import get_engine
from workbench.storage.migrate import upgrade

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
DEMO_SPEC = ROOT / "widgets" / "evaluation-transport.yaml"
TOKEN_SPEC = FIXTURES / "widgets" / "consultation-conseil.yaml"
POSTGRES_URL = os.environ.get(
    "WORKBENCH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def postgres_or_fail() -> None:
    """Skip when PostgreSQL is unreachable on a workstation; fail in CI (CI=true)."""
    try:
        with create_engine(POSTGRES_URL).connect() as conn:
            conn.execute(text("select 1"))
    except Exception as error:
        message = f"PostgreSQL unreachable at {POSTGRES_URL}: {error}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'workbench.sqlite'}"


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Engine:
    """A migrated SQLite database in a temporary folder."""
    engine = get_engine(sqlite_url(tmp_path))
    upgrade(engine)
    return engine


@contextmanager
def database_at(kind: str, folder: Path, revision: str = "head") -> Iterator[Engine]:
    """A database ("sqlite" in ``folder``, or "postgresql": a schema of its own, dropped
    afterwards) migrated up to ``revision``."""
    from alembic import command
    from alembic.config import Config

    from workbench.storage.migrate import MIGRATIONS

    admin = schema = None
    if kind == "sqlite":
        engine = get_engine(sqlite_url(folder))
    else:
        postgres_or_fail()
        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(POSTGRES_URL)
        with admin.begin() as conn:
            conn.execute(text(f"create schema {schema}"))
        engine = get_engine(f"{POSTGRES_URL}?options=-csearch_path%3D{schema}")
    if revision == "head":
        upgrade(engine)
    else:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    try:
        yield engine
    finally:
        engine.dispose()
        if admin is not None:
            with admin.begin() as conn:
                conn.execute(text(f"drop schema {schema} cascade"))
            admin.dispose()


@pytest.fixture
def postgresql_engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated PostgreSQL schema of its own, dropped afterwards."""
    with database_at("postgresql", tmp_path) as engine:
        yield engine


@pytest.fixture
def created_models(monkeypatch) -> set[str]:
    """The model names of every widget constructed while the test runs (light front end)."""
    import ipywidgets

    names: set[str] = set()
    monkeypatch.setattr(ipywidgets.Widget, "_widget_construction_callback",
                        lambda widget: names.add(widget._model_name))
    return names


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request) -> Engine:
    """Each storage test runs on SQLite and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture
def demo_form(engine: Engine):
    """The demo questionnaire published in ``engine``."""
    version, _created = publish_spec_file(DEMO_SPEC, engine)
    return version


@pytest.fixture
def token_form(engine: Engine):
    """A questionnaire that requires an invitation, published in ``engine``."""
    version, _created = publish_spec_file(TOKEN_SPEC, engine)
    return version


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    """A database with the demo's 300 synthetic answers, and the built-in census."""
    from workbench.demo.seed import seed_demo

    folder = tmp_path_factory.mktemp("evaluation-db")
    url = sqlite_url(folder)
    engine = get_engine(url)
    upgrade(engine)
    seed_demo(300, engine)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WORKBENCH_DATABASE_URL", url)
        patch.setenv("WORKBENCH_CENSUS_FILE", str(folder / "no-census.csv"))
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    from .apps import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
