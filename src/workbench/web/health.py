"""``GET /healthz``: what a reverse proxy needs to know to send people to this instance.

Database reachable, schema at the code's revision, participant kernels in use against the
cap. No personal data, no database address: the proxy (and anyone who reaches the instance
directly) reads only these few facts. 200 when the instance can serve, 503 otherwise.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

__all__ = ["Health", "check"]


@dataclass(frozen=True)
class Health:
    """One instance's state, as the proxy and the IT's monitoring read it."""

    instance: str
    database: str  # "ok" or "unreachable"
    schema: str  # "current", "behind" or "unknown"
    kernels: int
    max_kernels: int  # 0: no cap

    @property
    def serving(self) -> bool:
        return self.database == "ok" and self.schema == "current"

    def as_dict(self) -> dict:
        return {"status": "ok" if self.serving else "error", **asdict(self),
                "full": bool(self.max_kernels) and self.kernels >= self.max_kernels}


def check(engine: Engine, head: str, instance: str, kernels: int, max_kernels: int) -> Health:
    """Connect, read the schema revision, and say whether this instance can serve."""
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except Exception:  # any failure to reach the database makes the instance unfit
        return Health(instance, "unreachable", "unknown", kernels, max_kernels)
    return Health(instance, "ok", "current" if current == head else "behind", kernels,
                  max_kernels)
