"""URL parameters of the page, read in the kernel after the request arrives.

A preheated Voilà kernel runs the notebook before anyone asks for the page and must wait for
its request. ``voila.utils.wait_for_request`` does that but imports jupyter_server and
jupyterlab_server (~45 MiB and ~1.5 s of CPU per kernel); ``wait_for_request`` here speaks the
same protocol (one websocket message on ``voila/query/<kernel id>``) with ``websockets`` only.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from urllib.parse import parse_qs

from workbench.web import pool

__all__ = ["url_parameters", "wait_for_request"]


def _query_socket_url() -> str:
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    host = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{host}:{port}{base}voila/query/{os.environ['VOILA_KERNEL_ID']}"


def wait_for_request() -> None:
    """In a preheated kernel, block until the page's request arrives and load its variables."""
    if os.environ.get("VOILA_PREHEAT", "False") != "True":
        return
    import websockets

    received: list[str] = []

    async def receive() -> None:
        # A server busy starting kernels can be slow to answer: retry rather than render a
        # page without its parameters (Voilà's own helper gives up after 5 s).
        for _attempt in range(10):
            try:
                async with websockets.connect(_query_socket_url(), open_timeout=30) as socket:
                    received.append(await socket.recv())
                    return
            except (OSError, TimeoutError, websockets.WebSocketException):
                await asyncio.sleep(1)

    # The kernel's own event loop is busy running this cell: use a thread with its own loop.
    worker = threading.Thread(target=lambda: asyncio.run(receive()))
    pool.mark_ready()
    try:
        worker.start()
        worker.join()
    finally:
        pool.mark_taken()
    if received:
        os.environ.update(json.loads(received[0]))


def url_parameters() -> dict[str, str]:
    """``?form=…&t=…&session=…`` of the page's URL (first value of each)."""
    wait_for_request()
    query = os.environ.get("QUERY_STRING", "")
    return {key: values[0] for key, values in parse_qs(query).items() if values}
