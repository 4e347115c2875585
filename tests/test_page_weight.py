"""Light pages: the apps compress what they send and let phones keep what never changes.

No timing here (benchmarks/page_weight.py measures); only the headers that make a reload or
the next page cost almost nothing (``workbench.web.assets``).
"""

from __future__ import annotations

import gzip
import json
import re
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from workbench.web.assets import IMMUTABLE, cache_control

from .apps import Apps, demo_apps

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

QUESTIONNAIRE = "/voila/render/questionnaire.ipynb?form=evaluation-transport"
DIRECTORY = "/voila/render/associations.ipynb"  # on Voilà's own (JupyterLab) front end


@pytest.fixture(scope="module")
def apps(tmp_path_factory) -> Iterator[Apps]:
    yield from demo_apps(tmp_path_factory, "weight", staff=True)


def get(url: str, gzipped: bool = True, cookie: str = "") -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body as sent (not decompressed)."""
    headers = {"Accept-Encoding": "gzip"} if gzipped else {}
    request = urllib.request.Request(url, headers={**headers, **({"Cookie": cookie}
                                                              if cookie else {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status, {k.lower(): v for k, v in reply.headers.items()}, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, b""


@pytest.fixture(scope="module")
def page(apps: Apps) -> tuple[dict[str, str], str]:
    status, headers, body = get(apps.public + QUESTIONNAIRE)
    assert status == 200
    return headers, gzip.decompress(body).decode()


@pytest.fixture(scope="module")
def lab_page(apps: Apps) -> tuple[dict[str, str], str]:
    status, headers, body = get(apps.public + DIRECTORY)
    assert status == 200
    return headers, gzip.decompress(body).decode()


def page_config(html: str) -> dict:
    return json.loads(re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html,
        re.S).group(1))


def test_the_page_is_compressed_and_never_stored(page) -> None:
    headers, html = page
    assert headers["content-encoding"] == "gzip"
    assert "no-store" in headers["cache-control"]
    assert "Accept-Encoding" in headers["vary"]
    assert "wb-header" in html


def test_the_questionnaire_loads_the_light_front_end_only(apps: Apps, page) -> None:
    """No JupyterLab on the questionnaire (workbench.web.light): its own script and styles."""
    html = page[1]
    assert "voila.js" not in html and "voila-style.js" not in html
    assert 'rel="preload"' not in html and "remoteEntry" not in html.split("jupyter-config")[0]
    scripts = re.findall(r'src="([^"]+)"', html)
    assert [s.split("?")[0].rsplit("/", 1)[1] for s in scripts] == [
        "workbench-fields.js", "workbench-widgets.js"]
    styles = re.findall(r'<link rel="stylesheet" type="text/css" href="([^"]+)"', html)
    assert [s.split("?")[0].rsplit("/", 1)[1] for s in styles] == [
        "widgets-light.css", "theme-light.css"]


def test_voila_bundle_is_compressed_and_immutable_under_its_versioned_url(apps: Apps,
                                                                        lab_page) -> None:
    static = page_config(lab_page[1])["fullStaticUrl"]
    assert re.fullmatch(r"/voila/static/[0-9a-f]{16}", static)
    assert f'src="{static}/voila.js"' in lab_page[1]
    status, headers, body = get(apps.public + static + "/voila.js")
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert headers["cache-control"] == IMMUTABLE
    _, plain_headers, plain = get(apps.public + static + "/voila.js", gzipped=False)
    assert "content-encoding" not in plain_headers
    assert gzip.decompress(body) == plain and len(body) < len(plain) / 2
    # The same file at Voilà's own unversioned URL: kept, but revalidated.
    _, headers, _ = get(apps.public + "/voila/static/voila.js")
    assert headers["cache-control"] == "no-cache" and headers["etag"]


@pytest.mark.parametrize("which", ["page", "lab_page"])
def test_template_files_and_extensions_are_immutable(apps: Apps, which: str, request) -> None:
    html = request.getfixturevalue(which)[1]
    template_files = re.findall(r'(?:href|src)="(/voila/templates/workbench/static/[^"]+\?v=\w+)"',
                                html)
    assert template_files
    for path in template_files:
        status, headers, _ = get(apps.public + path)
        assert status == 200 and headers["cache-control"] == IMMUTABLE, path
        assert headers["content-encoding"] == "gzip", path
    if which == "page":
        return  # the light front end loads no extension
    extensions = page_config(html)["federated_extensions"]
    entry = next(e for e in extensions if e["name"] == "@jupyter-widgets/jupyterlab-manager")
    status, headers, _ = get(f"{apps.public}/voila/labextensions/{entry['name']}/{entry['load']}")
    assert status == 200 and headers["cache-control"] == IMMUTABLE
    assert headers["content-encoding"] == "gzip"


def test_kernel_messages_are_deflated(apps: Apps, page) -> None:
    kernel = page_config(page[1])["kernelId"]
    host, port = apps.public.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall((
            f"GET /api/kernels/{kernel}/channels?session_id=weight HTTP/1.1\r\n"
            f"Host: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
            "\r\n").encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += connection.recv(4096)
    head = answer.split(b"\r\n\r\n")[0].decode().lower()
    assert head.startswith("http/1.1 101")
    assert "sec-websocket-extensions: permessage-deflate" in head


def test_health_checks_are_never_stored(apps: Apps) -> None:
    _, headers, _ = get(apps.public + "/healthz")
    assert headers["cache-control"] == "no-store"


def test_the_versioned_url_serves_nothing_outside_voila_static(apps: Apps, lab_page) -> None:
    static = page_config(lab_page[1])["fullStaticUrl"]
    for path in ("/../../../../pyproject.toml", "/%2E%2E/%2E%2E/pyproject.toml"):
        assert get(apps.public + static + path)[0] in (403, 404)


def test_the_staff_app_compresses_and_caches_too(apps: Apps) -> None:
    status, headers, body = get(f"{apps.staff}/voila/render/console.ipynb",
                                cookie=apps.staff_cookie("animateur"))
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert "no-store" in headers["cache-control"]
    static = page_config(gzip.decompress(body).decode())["fullStaticUrl"]
    status, headers, _ = get(apps.staff + static + "/voila.js")
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert headers["cache-control"] == IMMUTABLE


@pytest.mark.parametrize(("path", "versioned", "expected"), [
    ("/voila/static/7155.voila.js", False, "no-cache"),      # a chunk number, not a hash
    ("/voila/static/voila.js", False, "no-cache"),
    ("/voila/static/abcd/7155.voila.js", True, IMMUTABLE),   # under the bundle's key
    ("/voila/labextensions/x/static/remoteEntry.c8c9eed2cdefdeac.js", False, IMMUTABLE),
    ("/voila/labextensions/anywidget/static/528.d9f5934c.js", False, IMMUTABLE),
    ("/voila/static/1cb1c39ea642f26a4dfe.woff", False, IMMUTABLE),
    ("/voila/labextensions/x/package.json", False, "no-cache"),
    ("/voila/templates/workbench/static/index.css", True, IMMUTABLE),  # ?v=<hash>
])
def test_cache_policy(path: str, versioned: bool, expected: str) -> None:
    assert cache_control(path, versioned) == expected


def test_a_range_is_served_as_the_bytes_it_names(apps: Apps, lab_page) -> None:
    """A partial response is never compressed: Content-Range counts the file's own bytes."""
    url = apps.public + page_config(lab_page[1])["fullStaticUrl"] + "/voila.js"
    _, _, whole = get(url, gzipped=False)
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip",
                                                   "Range": "bytes=0-2000"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        assert reply.status == 206
        assert reply.headers.get("Content-Encoding") is None
        assert reply.headers["Content-Range"].startswith("bytes 0-2000/")
        assert reply.read() == whole[:2001]
