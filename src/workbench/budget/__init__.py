"""Participatory budget (budget participatif): elections, counting rules, pabulib files.

- ``election``: an election as the rules see it (budget, projects and costs, ballots);
- ``pabulib``: the research community's ``.pb`` file format, read and written;
- ``rules``: greedy and the Method of Equal Shares (with Add1 completion and the comparison
  step), one function per rule, each returning an ``Allocation``;
- ``analysis``: measures over an outcome (voters with a funded project, …).
"""

from __future__ import annotations

__all__: list[str] = []
