"""Counting rules: one function per rule, ``rule(election) -> Allocation``.

``count(election, rule)`` runs a rule by its pabulib name: ``greedy``, ``equalshares``,
``equalshares/add1``, ``equalshares-comparison``, ``equalshares/add1-comparison``.
"""

from __future__ import annotations

from workbench.budget.rules.allocation import Allocation, lot
from workbench.budget.rules.equal_shares import (
    comparison_step,
    equal_shares,
    equal_shares_add1,
)
from workbench.budget.rules.greedy import greedy

__all__ = ["RULES", "Allocation", "count", "equal_shares", "equal_shares_add1", "greedy",
           "lot"]


def _with_comparison(rule):
    def counted(election):
        return comparison_step(election, rule(election), greedy(election))
    return counted


RULES = {
    "greedy": greedy,
    "equalshares": equal_shares,
    "equalshares/add1": equal_shares_add1,
    "equalshares-comparison": _with_comparison(equal_shares),
    "equalshares/add1-comparison": _with_comparison(equal_shares_add1),
}


def count(election, rule: str) -> Allocation:
    """The outcome of ``rule`` (a key of ``RULES``) on ``election``."""
    from workbench.budget.errors import ElectionError
    from workbench.i18n import _

    if rule not in RULES:
        raise ElectionError(_("Unknown rule “{rule}”: {known}.").format(
            rule=rule, known=", ".join(RULES)))
    return RULES[rule](election)
