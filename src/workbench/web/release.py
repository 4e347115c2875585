"""A participant kernel with nothing more to do asks its server to shut it down.

Called by the participant page when the answer is confirmed (or the session is over): the
page stays on the phone's screen, but the kernel's memory goes back to the room. Light on
purpose (standard library only): it runs in every participant kernel. Outside the public
app (papermill, tests, another server) it does nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import threading
import urllib.request

__all__ = ["HEADER", "SERVER_ADDRESS", "release_kernel", "release_signature"]

HEADER = "X-Workbench-Release"
SERVER_ADDRESS = "WORKBENCH_SERVER_ADDRESS"  # http://host:port of the server that started us


def release_signature(kernel_id: str) -> str:
    """HMAC of the kernel id with the server's release key ("" without a key)."""
    key = os.environ.get("WORKBENCH_RELEASE_KEY", "")
    if not key:
        return ""
    return hmac.new(key.encode(), kernel_id.encode(), hashlib.sha256).hexdigest()


def _release_url(kernel_id: str) -> str:
    """The starting server's own address: not the page's Host (a proxy's, behind one)."""
    server = os.environ.get(SERVER_ADDRESS) or "http://{}:{}".format(
        os.environ.get("VOILA_APP_IP", "127.0.0.1"), os.environ.get("VOILA_APP_PORT", "8866"))
    base = os.environ.get("VOILA_SERVER_URL", "/")
    return f"{server}{base.rstrip('/')}/workbench/release/{kernel_id}"


def release_kernel() -> bool:
    """Ask for this kernel's shutdown in the background; False when not served by our app."""
    kernel_id = os.environ.get("VOILA_KERNEL_ID", "")
    signature = release_signature(kernel_id) if kernel_id else ""
    if not signature:
        return False
    request = urllib.request.Request(_release_url(kernel_id), data=b"", method="POST",
                                     headers={HEADER: signature})

    def send() -> None:
        with contextlib.suppress(OSError):  # if it fails, the idle culling takes over
            urllib.request.urlopen(request, timeout=10).close()

    threading.Thread(target=send, daemon=True).start()
    return True
