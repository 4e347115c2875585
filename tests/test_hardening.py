"""Issue 17's defects that need no server: tokens, logged URLs, the throttle."""

from __future__ import annotations

import pytest

from workbench.web import serve, throttle
from workbench.web.access_log import scrubbed


def test_the_public_servers_environment_holds_no_staff_secret(monkeypatch) -> None:
    monkeypatch.setenv("WORKBENCH_STAFF_TOKEN", "s3cr3t-" * 6)
    monkeypatch.setenv("JUPYTER_TOKEN", "s3cr3t-" * 6)
    monkeypatch.setenv("WORKBENCH_STAFF_SESSION", "s3cr3t-" * 6)
    env = serve.public_app_environment()
    assert not {"WORKBENCH_STAFF_TOKEN", "JUPYTER_TOKEN", "WORKBENCH_STAFF_SESSION"} & set(env)
    assert env["WORKBENCH_KERNEL_SIDE"] == "public"  # its kernels never act as staff
    assert serve.staff_app_environment(env)["WORKBENCH_KERNEL_SIDE"] == "staff"
    assert not any("token" in part.lower() for part in serve.staff_app_command("h", 1))


def test_logged_urls_lose_their_secrets() -> None:
    assert scrubbed("/voila/render/q.ipynb?form=a&t=SECRET&token=S2&code=S3") == (
        "/voila/render/q.ipynb?form=a&t=***&token=***&code=***")
    assert scrubbed("/healthz") == "/healthz"


def test_the_throttle_makes_each_source_wait_longer(monkeypatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(throttle.time, "monotonic", lambda: now[0])
    guard = throttle.Throttle()
    assert [guard.attempt("a") for _ in range(6)] == [0] * 5 + [60]  # five, then a minute
    assert guard.attempt("b") == 0  # no overall limit: nobody locks everyone out
    now[0] += 61
    assert guard.attempt("a") == 0  # the sixth counted failure: twice as long
    assert guard.attempt("a") == 120
    now[0] += 3601 + 120
    assert guard.attempt("a") == 0  # an hour without failure: forgotten
    assert guard.attempt("a") == 0


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
        self.started = 0

    def list_kernel_ids(self) -> list[str]:
        return list(self.kernels)

    def get_kernel(self, kernel_id: str) -> _Kernel:
        return self.kernels[kernel_id]

    def notify_connect(self, kernel_id: str) -> None:
        pass

    def notify_disconnect(self, kernel_id: str) -> None:
        pass

    async def start_kernel(self) -> str:
        self.started += 1
        kernel_id = f"k{self.started}"
        self.kernels[kernel_id] = _Kernel()
        return kernel_id

    async def shutdown_kernel(self, kernel_id: str, now: bool = False) -> None:
        del self.kernels[kernel_id]


def test_unconnected_and_departed_kernels_give_way_and_expire(monkeypatch) -> None:
    import asyncio

    from workbench.web import unconnected

    clock = [0.0]
    monkeypatch.setattr(unconnected.time, "monotonic", lambda: clock[0])
    manager = _Manager("a", "b")
    watch = unconnected.Unconnected(manager, timeout=45, grace=10, limit=3, left_grace=120)
    watch.waiting()  # a and b seen at 0
    manager.notify_connect("a")  # a's page connected
    clock[0] = 5
    manager.kernels["c"] = _Kernel()

    async def page() -> bool:
        """One page request: admitted or not; if admitted, its kernel starts."""
        reservation = await watch.admit(cap=3)
        if reservation is None:
            return False
        await manager.start_kernel()
        reservation.release()
        return True

    assert asyncio.run(page()) is False  # full, and b is younger than the grace
    clock[0] = 12
    manager.kernels["b"].execution_state = "busy"  # still rendering: not taken
    assert asyncio.run(page()) is False
    manager.kernels["b"].execution_state = "idle"
    assert asyncio.run(page()) and set(manager.kernels) == {"a", "c", "k1"}
    watch.waiting()  # the sweep, every two seconds, sees k1
    # a connected page never gives way while connected; once it left, after left_grace only.
    clock[0] = 20
    manager.notify_disconnect("a")
    clock[0] = 100
    assert asyncio.run(watch.sweep()) == 2  # c (seen at 5) and k1 (seen at 12) expired
    clock[0] = 135
    manager.kernels.update({"d": _Kernel(), "e": _Kernel()})
    watch.waiting()
    clock[0] = 139
    assert asyncio.run(page()) is False  # d and e are new, a left 119 s ago
    clock[0] = 141
    assert asyncio.run(page()) and set(manager.kernels) == {"d", "e", "k2"}


def test_parallel_requests_cannot_pass_the_cap() -> None:
    """Places are counted when admitted, before any kernel exists."""
    import asyncio

    from workbench.web import unconnected

    manager = _Manager()
    watch = unconnected.Unconnected(manager, timeout=45, grace=10, limit=100)

    async def page() -> bool:
        reservation = await watch.admit(cap=8)
        if reservation is None:
            return False
        await asyncio.sleep(0.01)  # Voilà reads the notebook before starting the kernel
        await manager.start_kernel()
        reservation.release()
        return True

    async def burst() -> list[bool]:
        return await asyncio.gather(*(page() for _ in range(30)))

    assert sum(asyncio.run(burst())) == 8 and len(manager.kernels) == 8
    assert watch.reserved == 0


@pytest.mark.parametrize("text", [
    "a: b: c", "a: [1, 2", "a:\n\t- b", "- a\nb: c", "a: *x", 'a: "x\\q"', "k: v\n  x: y",
    "a: {b: 1", "---\na: 1\n---\nb: 2", "? [a]\n: 1", "a: @x", "a: 'x"])
def test_yaml_syntax_errors_are_told_in_french(text) -> None:
    from workbench.yamlfile import YamlFileError, parse_yaml

    with pytest.raises(YamlFileError) as caught:
        parse_yaml(text, "f.yaml")
    message = str(caught.value)
    assert "syntaxe YAML invalide" in message
    english = ("found", "expected", "allowed", "could not", "character", "anchor")
    assert not [word for word in english if word in message], message
