"""How the Voilà apps serve their static assets: compressed once, cached as long as safe.

A participant's phone loads Voilà's JavaScript (several megabytes, about a hundred files)
before the questionnaire is usable. This module makes that cost paid once per phone, and
small:

- **Compression.** Responses are gzipped (Tornado's ``GZipContentEncoding``: HTML pages, JSON,
  JavaScript, CSS, SVG…). Static files are compressed once per server process and the
  compressed bytes kept in memory (``compressed``): compressing the questionnaire's assets
  costs about half a second of CPU, which a room of two hundred phones arriving together would
  otherwise pay two hundred times, on the event loop.
- **Websockets.** Kernel messages (widget states: JSON) are deflated too (permessage-deflate).
- **Caching.** ``Cache-Control: public, max-age=31536000, immutable`` for assets whose URL
  changes with their content: a content hash in the file name (``remoteEntry.c8c9eed2.js``,
  fonts), a ``?v=<hash>`` query (Voilà's template files, JupyterLab's extension chunks), or
  Voilà's own bundle under ``/voila/static/<key>/`` (below). Anything else is ``no-cache``:
  stored, but revalidated each time (ETag or Last-Modified, a 304 when unchanged).
- **Voilà's bundle.** Its webpack chunks are named by chunk number (``7155.voila.js``), not by
  content: the same name may hold other code after a Voilà upgrade, and a phone mixing an old
  cached chunk with a new ``voila.js`` would break. So the page's ``fullStaticUrl`` (webpack's
  public path: every chunk is loaded relative to it) becomes ``/voila/static/<key>``, where
  the key is a hash of the files Voilà serves there. An upgrade changes the key, hence every
  URL; within one key the files never change, and are immutable. The plain ``/voila/static/``
  route stays (other pages use it), revalidated.

HTML pages are never stored (Jupyter's handlers send ``no-store``; so do ``/healthz`` and
the waiting page). ``version_bundle_urls`` and ``install`` apply all this to a Voilà app (both
apps run ``workbench.web.voila_app``).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import re
from pathlib import Path

from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.utils import url_path_join
from tornado.web import GZipContentEncoding, HTTPError
from voila.app import Voila
from voila.static_file_handler import MultiStaticFileHandler, TemplateStaticFileHandler

__all__ = ["IMMUTABLE", "REVALIDATE", "cache_control", "install", "static_key",
           "version_bundle_urls"]

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# A content hash in the file name, as webpack writes them: "remoteEntry.c8c9eed2cdefdeac.js",
# "84.09c61a35dce1705f.js", "1cb1c39ea642f26a4dfe.woff". Chunk numbers ("7155.voila.js") are
# too short to match.
HASHED_NAME = re.compile(r"(?:^|[./_-])[0-9a-f]{8,}\.[A-Za-z0-9]+$")


def cache_control(path: str, versioned: bool) -> str:
    """The policy for a static file at URL ``path``; ``versioned``: its URL names a version."""
    return IMMUTABLE if versioned or HASHED_NAME.search(path) else REVALIDATE


# Compressed static files: (absolute path, modification time, size) -> gzip bytes. Bounded by
# the files the apps serve (a few megabytes compressed); an upgraded file gets a new entry.
_compressed: dict[tuple[str, int, int], bytes] = {}
MIN_SIZE = 1024  # smaller files are not worth it (Tornado's own threshold)
WEBSOCKET_COMPRESSION = {"compression_level": 6, "mem_level": 5}


def compressed(path: str) -> bytes:
    """The gzip bytes of the file at ``path``, compressed on the first request only."""
    stat = os.stat(path)
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _compressed:
        _compressed[key] = gzip.compress(Path(path).read_bytes(), compresslevel=9, mtime=0)
    return _compressed[key]


class _Policy:
    """Cache-Control by ``cache_control``, and gzip served from ``compressed``.

    Mixed into Voilà's and Jupyter's static file handlers, before them.
    """

    def versioned(self) -> bool:
        return "v" in self.request.arguments

    def set_headers(self) -> None:
        super().set_headers()
        self.clear_header("Expires")  # Tornado's ten years for ?v= URLs; Cache-Control rules
        self.set_header("Cache-Control", cache_control(self.request.path, self.versioned()))
        self._gzip = None
        content_type = self.get_content_type() or ""
        if ("gzip" in self.request.headers.get("Accept-Encoding", "")
                and "Range" not in self.request.headers
                and (content_type.startswith("text/")  # the types Tornado's transform takes
                     or content_type in GZipContentEncoding.CONTENT_TYPES)
                and self.get_content_size() >= MIN_SIZE):
            self._gzip = compressed(self.absolute_path)
            self.set_header("Content-Encoding", "gzip")  # the app's transform leaves it be
            # Tornado's StaticFileHandler.get writes self.get_content(path, start, end): this
            # response's content is the compressed bytes (the class method stays as it is).
            self.get_content = lambda _path, start=None, end=None: self._gzip[start:end]

    def get_content_size(self) -> int:
        gzipped = getattr(self, "_gzip", None)
        return len(gzipped) if gzipped is not None else super().get_content_size()


class StaticAssets(_Policy, MultiStaticFileHandler):
    """``/voila/static/``: Voilà's bundle under its plain URL (revalidated)."""


class VersionedStaticAssets(StaticAssets):
    """``/voila/static/<key>/``: Voilà's bundle under a URL that changes with its files."""

    def versioned(self) -> bool:
        return True


class TemplateAssets(_Policy, TemplateStaticFileHandler):
    """``/voila/templates/<template>/static/``: the page template's files (``?v=<hash>``)."""

    def parse_url_path(self, url_path: str) -> str:
        """Voilà's, with a 404 for a path outside ``<template>/static/`` (it answered 500)."""
        try:
            return super().parse_url_path(url_path)
        except ValueError:
            raise HTTPError(404) from None


class LabextensionAssets(_Policy, FileFindHandler):
    """``/voila/labextensions/``: JupyterLab extensions (hashed names, ``?v=<hash>`` chunks)."""


@functools.cache
def _key(paths: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for root in paths:
        for folder, folders, files in sorted(os.walk(root)):
            folders.sort()
            for name in sorted(files):
                path = os.path.join(folder, name)
                digest.update(os.path.relpath(path, root).encode() + b"\0")
                digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


def static_key(paths: list[str]) -> str:
    """A short hash of every file under ``paths`` (names and contents); read once (20 ms)."""
    return _key(tuple(paths))


def version_bundle_urls(app: Voila) -> None:
    """Point ``app``'s pages at Voilà's bundle under ``/voila/static/<key>/``.

    To call from ``initialize``, after Voilà's: its static paths are known then, and the page
    configuration hook is read when the kernel managers are made (preheated pages too).
    """
    key = static_key(app.static_paths)
    previous = app.voila_configuration.page_config_hook

    def versioned_bundle(page_config: dict, **kwargs) -> dict:
        if previous is not None:
            page_config = previous(page_config, **kwargs)
        page_config["fullStaticUrl"] = url_path_join(kwargs["base_url"], "voila/static", key)
        return page_config

    app.voila_configuration.page_config_hook = versioned_bundle


class WholeBodyGZip(GZipContentEncoding):
    """Tornado's gzip transform, never on a partial (206) response.

    ``Content-Range`` counts the bytes of the file as it is: compressing a range made a body
    that did not match it, and a resumed or joined download came out corrupt.
    """

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        if status_code == 206:
            self._gzipping = False
            return status_code, headers, chunk
        return super().transform_first_chunk(status_code, headers, chunk, finishing)


def install(app: Voila, handlers: list[tuple]) -> list[tuple]:
    """Compression on ``app``'s Tornado application, and ``handlers`` with the asset policy.

    To call from ``init_handlers`` (the Tornado application exists then). Adds the route of
    the versioned bundle (``version_bundle_urls``) before Voilà's plain static route.
    """
    if WholeBodyGZip not in app.app.transforms:
        app.app.add_transform(WholeBodyGZip)
    # permessage-deflate on the kernels' websockets (Jupyter's channels handler reads this):
    # the widget states a page receives on opening are ~140 kB of JSON for the questionnaire.
    # Browsers keep the compression context between messages, so the server keeps a
    # compressor per open page: 144 kB of zlib state with mem_level 5 (128 kB window + 16 kB),
    # next to the tens of megabytes of the kernel behind that page.
    app.app.settings.setdefault("websocket_compression_options", WEBSOCKET_COMPRESSION)
    replaced = {MultiStaticFileHandler: StaticAssets, TemplateStaticFileHandler: TemplateAssets,
                FileFindHandler: LabextensionAssets}
    result = []
    for pattern, handler, *rest in handlers:
        if handler is MultiStaticFileHandler:
            key = static_key(app.static_paths)
            result.append((url_path_join(app.server_url, rf"/voila/static/{key}/(.*)"),
                           VersionedStaticAssets, *rest))
        result.append((pattern, replaced.get(handler, handler), *rest))
    return result

