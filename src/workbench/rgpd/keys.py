"""What the records keep of a person once their data are gone: a hash of the e-mail."""

from __future__ import annotations

import hashlib

__all__ = ["person_key"]


def person_key(email: str) -> str:
    """A hash of the e-mail (or of another identifier): no clear data, the same person gives
    the same key."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]
