"""The Voilà edge: URL parameters, the preheated pool count, addresses, serve commands."""

from __future__ import annotations

import os

from workbench.web import pool
from workbench.web.params import url_parameters
from workbench.web.serve import PREHEATED, public_app_command
from workbench.web.urls import participant_session_url, participant_url, results_url


def test_url_parameters_read_the_query_string(monkeypatch) -> None:
    monkeypatch.setenv("QUERY_STRING", "form=evaluation-transport&t=abc%2Bdef&form=other")
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    assert url_parameters() == {"form": "evaluation-transport", "t": "abc+def"}


def test_the_pool_counts_live_kernels_and_forgets_dead_ones(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("WORKBENCH_RUNTIME_DIR", str(tmp_path))
    pool.mark_ready()
    (tmp_path / "999999999.ready").write_text("999999999")  # a kernel that died
    assert pool.ready_count() == 1
    assert not (tmp_path / "999999999.ready").exists()
    pool.mark_taken()
    assert pool.ready_count() == 0
    assert os.listdir(tmp_path) == []


def test_addresses() -> None:
    base = "http://127.0.0.1:8866/"
    assert participant_url(base, "evaluation-transport", "a b") == (
        "http://127.0.0.1:8866/voila/render/questionnaire.ipynb?form=evaluation-transport&t=a+b")
    assert participant_session_url(base, "K7P2QX").endswith("questionnaire.ipynb?session=K7P2QX")
    assert results_url(base, "K7P2QX").endswith("resultats.ipynb?session=K7P2QX")


def test_only_an_expected_room_preheats_and_the_results_page_never() -> None:
    plain = public_app_command("127.0.0.1", 8866)
    assert not any(part.startswith("--preheat_kernel") for part in plain)
    assert "--MappingKernelManager.cull_connected=False" in plain
    room = public_app_command("127.0.0.1", 8866, expect=120, fill_delay=3)
    assert {"--preheat_kernel=True", "--pool_size=120", "--VoilaKernelManager.fill_delay=3",
            "--VoilaKernelManager.preheat_denylist=resultats.ipynb",
            "--VoilaKernelManager.preheat_denylist=micmac.ipynb"} <= set(room)
    assert f"--VoilaKernelManager.preheat_denylist={PREHEATED}" not in room


def test_the_room_cap_and_the_culling_delay_are_settings(monkeypatch) -> None:
    from workbench.web import room as room_settings

    monkeypatch.delenv("WORKBENCH_MAX_KERNELS", raising=False)
    assert 50 <= room_settings.max_kernels() <= 1000
    monkeypatch.setenv("WORKBENCH_MAX_KERNELS", "0")
    assert room_settings.max_kernels() == 0  # no cap
    assert "--WorkbenchVoila.max_kernels=0" in public_app_command("127.0.0.1", 8866)
    assert "--WorkbenchVoila.max_kernels=80" in public_app_command("127.0.0.1", 8866,
                                                                   max_kernels=80)
    monkeypatch.delenv("WORKBENCH_CULL_IDLE_S", raising=False)
    assert room_settings.cull_idle_seconds() == 30 * 60
    monkeypatch.setenv("WORKBENCH_CULL_IDLE_S", "600")
    assert "--MappingKernelManager.cull_idle_timeout=600" in public_app_command("h", 1)


def test_the_waiting_page_is_french_and_spreads_its_retries() -> None:
    from workbench.web.room import waiting_page

    delays = set()
    for _ in range(50):
        page, delay = waiting_page()
        delays.add(delay)
        assert f"{delay * 1000})" in page and 'lang="fr"' in page
        assert "La salle est pleine pour le moment" in page
    assert len(delays) > 1 and min(delays) >= 4 and max(delays) <= 9


def test_a_kernel_release_is_signed_and_only_inside_the_public_app(monkeypatch) -> None:
    from workbench.web.release import release_kernel, release_signature

    monkeypatch.delenv("WORKBENCH_RELEASE_KEY", raising=False)
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")
    assert release_signature("k-1") == "" and release_kernel() is False  # papermill, tests
    monkeypatch.setenv("WORKBENCH_RELEASE_KEY", "secret")
    assert release_signature("k-1") == release_signature("k-1") != release_signature("k-2")
    assert len(release_signature("k-1")) == 64


def test_health_reports_an_unfit_instance_without_personal_data(tmp_path) -> None:
    from sqlalchemy import create_engine

    from workbench.storage import get_engine
    from workbench.storage.migrate import head_revision, upgrade
    from workbench.web.health import check

    migrated = get_engine(f"sqlite:///{tmp_path / 'a.sqlite'}")
    upgrade(migrated)
    fresh = get_engine(f"sqlite:///{tmp_path / 'b.sqlite'}")
    gone = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    ok, behind, down = (check(e, head_revision(), "p1", 3, 4) for e in (migrated, fresh, gone))
    assert ok.serving and ok.as_dict() == {"status": "ok", "instance": "p1", "database": "ok",
                                           "schema": "current", "kernels": 3,
                                           "max_kernels": 4, "full": False}
    assert not behind.serving and behind.schema == "behind"
    assert not down.serving and (down.database, down.schema) == ("unreachable", "unknown")
    assert check(migrated, head_revision(), "p1", 4, 4).as_dict()["full"]


def test_behind_a_proxy_links_use_its_address_and_kernels_call_their_own_server() -> None:
    from workbench.web.serve import public_app_environment

    env = public_app_environment(public_url="https://participation.example.fr",
                                 bind_host="0.0.0.0")
    assert env["WORKBENCH_PUBLIC_URL"] == "https://participation.example.fr"
    assert env["VOILA_APP_IP"] == "127.0.0.1"
    assert "--WorkbenchVoila.instance_name=p2" in public_app_command("0.0.0.0", 8872,
                                                                     instance="p2")


def test_behind_a_proxy_a_kernel_calls_its_own_server_back(monkeypatch) -> None:
    """Voilà gives kernels the port of the page's Host header: the proxy's, or none."""
    from workbench.web.release import SERVER_ADDRESS, _release_url

    monkeypatch.setenv("VOILA_APP_IP", "participation.example.fr")
    monkeypatch.setenv("VOILA_APP_PORT", "")
    monkeypatch.setenv(SERVER_ADDRESS, "http://127.0.0.1:8872")
    assert _release_url("k-1") == "http://127.0.0.1:8872/workbench/release/k-1"


def test_a_french_date_input_reads_dd_mm_yyyy_whatever_the_browser() -> None:
    """Issue 20: the native date input showed mm/dd/yyyy in an English browser."""
    from datetime import date

    import pytest

    from workbench.errors import WorkbenchError
    from workbench.web.date_input import FrenchDate
    from workbench.web.fields import fill_widgets, read_widgets

    field = FrenchDate("Entrée", date(2026, 3, 1))
    assert (field.value, field.placeholder) == ("01/03/2026", "jj/mm/aaaa")
    field.value = "2026-03-02"
    assert field.day == date(2026, 3, 2)
    field.value = "31/02/2026"
    with pytest.raises(WorkbenchError, match="Entrée : « 31/02/2026 » n’est pas une date"):
        field.day  # noqa: B018
    fill_widgets({"entree": field}, {"entree": "2025-12-24"})
    assert field.value == "24/12/2025" and read_widgets({"entree": field}) == {
        "entree": "2025-12-24"}
