"""Errors of the participatory budget's files and counts, with the French message shown."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.errors import WorkbenchError
from workbench.i18n import _

__all__ = ["ElectionError", "PabulibError"]


class ElectionError(WorkbenchError):
    """An election the rules cannot count (unknown rule, unsupported ballots…)."""


@dataclass
class PabulibError(WorkbenchError):
    """A ``.pb`` file that does not follow the format: where (line) and what."""

    line: int
    reason: str

    def message(self) -> str:
        return _("Line {line}: {reason}").format(line=self.line, reason=self.reason)
