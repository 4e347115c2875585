"""The proposed allocation of a service's envelope among its scored requests (pure).

Two documented rules (``Allocation.rule``), both for the requests scoring at least the
threshold, both rounded *down* to ``rounding`` euros so that no proposal ever exceeds the
amount requested and the proposals never exceed the envelope:

- ``part-de-la-demande``: each request is offered ``requested × score / scale max``; if the
  envelope cannot cover these offers, all are reduced by the same factor.
- ``part-de-l-enveloppe``: the envelope is shared in proportion to the scores; a request whose
  share would exceed its amount requested gets its amount requested, and what this frees is
  shared again among the others.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Candidate", "propose"]


@dataclass(frozen=True)
class Candidate:
    request_id: int
    requested: float
    score: float | None  # mean weighted score on the edition's scale; None: not scored


def _floor(amount: float, rounding: int) -> float:
    return float(math.floor(round(amount, 6) / rounding) * rounding)


def _share_of_request(eligible: list[Candidate], envelope: float, top: float) -> dict[int, float]:
    offers = {c.request_id: c.requested * c.score / top for c in eligible}
    total = sum(offers.values())
    factor = min(1.0, envelope / total) if total else 0.0
    return {rid: offer * factor for rid, offer in offers.items()}


def _share_of_envelope(eligible: list[Candidate], envelope: float) -> dict[int, float]:
    out: dict[int, float] = {}
    active = [c for c in eligible if c.score and c.score > 0]
    remaining = envelope
    while active:
        weights = sum(c.score for c in active)
        capped = [c for c in active if remaining * c.score / weights >= c.requested]
        if not capped:
            out.update({c.request_id: remaining * c.score / weights for c in active})
            break
        for c in capped:
            out[c.request_id] = c.requested
            remaining -= c.requested
        active = [c for c in active if c not in capped]
    return out


def propose(candidates: list[Candidate], envelope: float, rule: str, threshold: float,
            scale_max: float, rounding: int = 10) -> dict[int, float]:
    """Proposed amount per request (0 below the threshold or unscored)."""
    eligible = [c for c in candidates if c.score is not None and c.score >= threshold
                and c.requested > 0]
    if rule == "part-de-l-enveloppe":
        raw = _share_of_envelope(eligible, envelope)
    else:
        raw = _share_of_request(eligible, envelope, scale_max)
    return {c.request_id: min(_floor(raw.get(c.request_id, 0.0), rounding),
                              _floor(c.requested, 1)) for c in candidates}
