"""Participant kernels forked from the pre-imported server: really used, and complete."""

from __future__ import annotations

import asyncio
import json
import re
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.web.forkserver import kernel_arguments
from workbench.web.urls import participant_url

from .apps import Apps, demo_apps

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.fixture(scope="module")
def apps(tmp_path_factory) -> Iterator[Apps]:
    yield from demo_apps(tmp_path_factory, "forkserver")


def test_only_the_ipykernel_command_is_forked() -> None:
    assert kernel_arguments(["/venv/bin/python", "-m", "ipykernel_launcher", "-f", "k.json"]) \
        == ["-f", "k.json"]
    assert kernel_arguments(["/usr/bin/R", "--slave", "-e", "IRkernel::main()"]) is None
    assert kernel_arguments(["python"]) is None


def descendants(pid: int) -> dict[int, tuple[int, str]]:
    """pid → (parent pid, command line) of every process under ``pid``."""
    found: dict[int, tuple[int, str]] = {}
    todo = [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").iterdir():
            for child in map(int, (task / "children").read_text().split()):
                line = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
                found[child] = (current, line.decode())
                todo.append(child)
    return found


def kernel_page(apps: Apps) -> str:
    with urllib.request.urlopen(participant_url(apps.public, "evaluation-transport"),
                                timeout=60) as reply:
        return re.search(r'"kernelId": "([^"]+)"', reply.read().decode()).group(1)


def test_the_participant_kernel_is_a_child_of_the_fork_server(apps) -> None:
    kernel_page(apps)
    tree = descendants(apps.processes[0].pid)
    servers = [pid for pid, (_, line) in tree.items() if "workbench.web.forkserver" in line
               and tree[pid][0] == apps.processes[0].pid]
    assert len(servers) == 1
    kernels = [pid for pid, (parent, _) in tree.items() if parent == servers[0]]
    assert kernels, "no kernel was forked"
    assert not any("ipykernel_launcher" in line for _, line in tree.values())


def test_a_forked_kernel_answers_the_widget_control_channel(apps) -> None:
    """ipywidgets, imported before any kernel existed, must still serve ``request_states``."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    kernel = kernel_page(apps)

    async def states() -> dict:
        session = uuid.uuid4().hex
        socket = await websocket_connect(HTTPRequest(
            apps.public.replace("http", "ws") + f"/api/kernels/{kernel}/channels"
            f"?session_id={session}"), max_message_size=2**26)
        comm = uuid.uuid4().hex
        for kind, content in [
                ("comm_open", {"comm_id": comm, "target_name": "jupyter.widget.control",
                               "data": {}}),
                ("comm_msg", {"comm_id": comm, "data": {"method": "request_states"}})]:
            await socket.write_message(json.dumps({
                "header": {"msg_id": uuid.uuid4().hex, "username": "test", "session": session,
                           "msg_type": kind, "version": "5.3", "date": ""},
                # The control comm checks its protocol's major version.
                "parent_header": {}, "metadata": {"version": "1.0.0"}, "content": content,
                "channel": "shell", "buffers": []}))
        while True:
            data = json.loads(await asyncio.wait_for(socket.read_message(), 30))
            if data.get("content", {}).get("data", {}).get("method") == "update_states":
                socket.close()
                return data["content"]["data"]["states"]

    models = {s["model_name"] for s in asyncio.run(states()).values()}
    assert {"ButtonModel", "HTMLModel"} <= models
