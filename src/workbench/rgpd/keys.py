"""What the records keep of a person once their data are gone: a keyed hash of the e-mail.

Keyed (HMAC with the installation's key, ``workbench.runtime_keys``): without the key, a list
of addresses cannot be hashed to find who a consent proof or an audit entry is about."""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["KEY_ENV", "person_key"]

KEY_ENV = "WORKBENCH_RGPD_KEY"


def person_key(email: str) -> str:
    """A keyed hash of the e-mail (or of another identifier): no clear data, the same person
    gives the same key on this installation."""
    from workbench.runtime_keys import runtime_key

    key = runtime_key("rgpd-person.key", KEY_ENV)
    if not key:
        raise RuntimeError("the RGPD key is too short (WORKBENCH_RGPD_KEY or "
                           "data/runtime/secrets/rgpd-person.key)")
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()[:16]
