"""URL parameters of the page, read in the kernel after the request arrives."""

from __future__ import annotations

import os
from urllib.parse import parse_qs

__all__ = ["url_parameters"]


def url_parameters() -> dict[str, str]:
    """``?form=…&t=…`` of the page's URL (first value of each), waiting for a preheated kernel."""
    try:
        from voila.utils import wait_for_request
    except ImportError:  # not under Voilà (papermill, tests): no request to wait for
        pass
    else:
        wait_for_request()
    query = os.environ.get("QUERY_STRING", "")
    return {key: values[0] for key, values in parse_qs(query).items() if values}
