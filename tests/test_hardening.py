"""Issue 17's defects that need no server: tokens, logged URLs, the throttle."""

from __future__ import annotations

import pytest

from workbench.errors import WorkbenchError
from workbench.web import serve, throttle
from workbench.web.access_log import scrubbed


@pytest.mark.parametrize("token", ["a", "change-me", "x" * 40, "abcdefgh" * 4])
def test_a_guessable_staff_token_is_refused_in_french(monkeypatch, token) -> None:
    monkeypatch.setenv("WORKBENCH_STAFF_TOKEN", token)
    with pytest.raises(WorkbenchError, match="trop facile à deviner"):
        serve.staff_token()


def test_a_staff_token_is_generated_long_or_taken_when_strong(monkeypatch) -> None:
    monkeypatch.delenv("WORKBENCH_STAFF_TOKEN", raising=False)
    token, generated = serve.staff_token()
    assert generated and len(token) >= 43
    monkeypatch.setenv("WORKBENCH_STAFF_TOKEN", token)
    assert serve.staff_token() == (token, False)


def test_the_public_servers_environment_holds_no_staff_secret(monkeypatch) -> None:
    monkeypatch.setenv("WORKBENCH_STAFF_TOKEN", "s3cr3t-" * 6)
    monkeypatch.setenv("JUPYTER_TOKEN", "s3cr3t-" * 6)
    env = serve.public_app_environment()
    assert not {"WORKBENCH_STAFF_TOKEN", "JUPYTER_TOKEN"} & set(env)
    assert serve.staff_app_environment(env, "tok")["JUPYTER_TOKEN"] == "tok"
    assert not any(part.startswith(("--token", "--Voila.token", "--IdentityProvider.token"))
                   for part in serve.staff_app_command("h", 1))


def test_logged_urls_lose_their_secrets() -> None:
    assert scrubbed("/voila/render/q.ipynb?form=a&t=SECRET&token=S2&code=S3") == (
        "/voila/render/q.ipynb?form=a&t=***&token=***&code=***")
    assert scrubbed("/healthz") == "/healthz"


def test_the_throttle_counts_per_source_and_overall(monkeypatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(throttle.time, "monotonic", lambda: now[0])
    guard = throttle.Throttle(per_source=2, overall=3, window=60)
    guard.failed("a")
    guard.failed("a")
    assert not guard.allowed("a") and guard.allowed("b")
    guard.failed("b")
    assert not guard.allowed("c")  # three failures in all
    now[0] += 61
    assert guard.allowed("a") and guard.allowed("c")


def _failing_write(engine) -> Exception:
    from sqlalchemy import insert

    from workbench.storage import write_transaction
    from workbench.storage.schema import council_body

    try:
        with write_transaction(engine) as conn:
            for n in range(2000):
                conn.execute(insert(council_body).values(name=f"Instance {n}" * 20, kind="x"))
    except Exception as error:  # the driver's own error, as staff's commands would meet it
        return error
    raise AssertionError("the write did not fail")


def test_a_read_only_or_full_database_says_so(tmp_path, engine) -> None:
    """Not "unreachable or not initialised… run db upgrade": what happened, what to do."""
    from sqlalchemy import create_engine, event

    from workbench.storage.errors import explain_database_error

    if engine.dialect.name == "sqlite":
        path = engine.url.database
        read_only = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
        full = create_engine(engine.url)
        event.listen(full, "connect",
                     lambda c, _r: c.execute("PRAGMA max_page_count=" + str(
                         c.execute("PRAGMA page_count").fetchone()[0] + 2)))
        assert "plein" in explain_database_error(_failing_write(full))
    else:
        options = engine.url.query.get("options", "") + " -cdefault_transaction_read_only=on"
        read_only = create_engine(engine.url.update_query_dict({"options": options}))
    message = explain_database_error(_failing_write(read_only))
    assert "lecture seule" in message and "Rien n'a été enregistré" in message


def test_sqlite_commits_are_on_disk_before_the_receipt(sqlite_engine) -> None:
    with sqlite_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


class _Kernel:
    execution_state = "idle"


class _Manager:
    """The part of Jupyter's kernel manager ``Unconnected`` uses."""

    def __init__(self, *ids: str) -> None:
        self.kernels = {kernel_id: _Kernel() for kernel_id in ids}
        self.connections: list[str] = []

    def list_kernel_ids(self) -> list[str]:
        return list(self.kernels)

    def get_kernel(self, kernel_id: str) -> _Kernel:
        return self.kernels[kernel_id]

    def notify_connect(self, kernel_id: str) -> None:
        self.connections.append(kernel_id)

    async def shutdown_kernel(self, kernel_id: str, now: bool = False) -> None:
        del self.kernels[kernel_id]


def test_unconnected_kernels_give_way_oldest_first_and_expire(monkeypatch) -> None:
    import asyncio

    from workbench.web import unconnected

    clock = [0.0]
    monkeypatch.setattr(unconnected.time, "monotonic", lambda: clock[0])
    manager = _Manager("a", "b")
    watch = unconnected.Unconnected(manager, timeout=45, grace=10, limit=3)
    watch.waiting()  # a and b seen at 0
    manager.notify_connect("a")  # a's page connected: never touched again
    assert manager.connections == ["a"]
    clock[0] = 5
    manager.kernels["c"] = _Kernel()
    assert asyncio.run(watch.make_room(full=False))  # room left: nobody evicted
    assert asyncio.run(watch.make_room(full=True)) is False  # b is younger than the grace
    clock[0] = 12
    manager.kernels["b"].execution_state = "busy"  # still rendering: not taken
    assert asyncio.run(watch.make_room(full=True)) is False
    manager.kernels["b"].execution_state = "idle"
    assert asyncio.run(watch.make_room(full=True)) and set(manager.kernels) == {"a", "c"}
    clock[0] = 50  # c, seen at 5, is now 45 s unconnected
    assert asyncio.run(watch.sweep()) == 1 and set(manager.kernels) == {"a"}
