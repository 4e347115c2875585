"""URL parameters of the page, read in the kernel after the request arrives."""

from __future__ import annotations

import os
from urllib.parse import parse_qs

__all__ = ["url_parameters"]


def url_parameters() -> dict[str, str]:
    """``?form=…&t=…`` of the page's URL (first value of each).

    A preheated Voilà kernel starts before its request: it must wait for it
    (``voila.utils.wait_for_request``). That import costs ~45 MiB and 1.5 s of CPU per kernel,
    so it happens only in preheat mode; otherwise Voilà has already set ``QUERY_STRING``.
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "True":
        from voila.utils import wait_for_request

        wait_for_request()
    query = os.environ.get("QUERY_STRING", "")
    return {key: values[0] for key, values in parse_qs(query).items() if values}
