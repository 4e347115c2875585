"""Counting the feasible scenarios of a morphological space, with bounded work.

Components are taken in a given order. The state after the first ``m`` ones is what is left
of the later components' configurations (forward checking), compressed: a configuration
that has no exclusion with any component still to place only counts, so a later component
keeps only those that do, plus how many others remain; a component with none left is
multiplied in and dropped. Different beginnings that leave the same state are counted once
(memoised search). The number of states is bounded: past ``MAX_STATES`` a French error says
that the space is too entangled, instead of running for minutes and gigabytes.

The completion counts also steer the listing: it never enters a branch with no feasible
scenario, so an empty space is listed at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache

from workbench.errors import WorkbenchError
from workbench.french import french_number
from workbench.i18n import _

__all__ = ["MAX_STATES", "FeasibleCounter", "SpaceTooEntangled", "narrow_order"]

MAX_STATES = 300_000
Pair = tuple[tuple[int, int], tuple[int, int]]  # ((component, configuration), (…, …))
DONE = -1  # a component already multiplied in


class SpaceTooEntangled(WorkbenchError):
    """The count would need more intermediate states than allowed."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit

    def message(self) -> str:
        return _("This morphological space is too entangled to count its feasible scenarios "
                 "(more than {n} intermediate states). Remove exclusions or components, or "
                 "narrow it with 'preferred' configurations.").format(
            n=french_number(self.limit))


def _bits(mask: int) -> Iterator[int]:
    value = 0
    while mask:
        if mask & 1:
            yield value
        mask >>= 1
        value += 1


@cache
def _lowest(mask: int, count: int) -> int:
    """The ``count`` lowest set bits of ``mask``."""
    out = 0
    for bit in _bits(mask):
        if count == 0:
            break
        out |= 1 << bit
        count -= 1
    return out


def narrow_order(count: int, exclusions: set[Pair]) -> list[int]:
    """An order of the ``count`` components that keeps the states few: each next component
    is the one after which the fewest configurations of the others are both already
    constrained (excluded with a placed component) and still to be checked (excluded with
    one not placed)."""
    partners: dict[tuple[int, int], set[int]] = {}
    links: list[set[int]] = [set() for _ in range(count)]
    for first, second in exclusions:
        partners.setdefault(first, set()).add(second[0])
        partners.setdefault(second, set()).add(first[0])
        links[first[0]].add(second[0])
        links[second[0]].add(first[0])

    def width(placed: set[int]) -> int:
        return sum(1 for (component, _value), others in partners.items()
                   if component not in placed and others & placed and others - placed)

    order: list[int] = []
    while len(order) < count:
        placed = set(order)
        order.append(min((c for c in range(count) if c not in placed),
                         key=lambda c: (width(placed | {c}), -len(links[c] & placed),
                                        -len(links[c]), c)))
    return order


class FeasibleCounter:
    """Counts (and steers the listing of) the assignments that break no exclusion."""

    def __init__(self, sizes: Sequence[int], allowed: Sequence[int], exclusions: set[Pair],
                 order: Sequence[int] | None = None, max_states: int | None = None) -> None:
        self.order = list(order) if order is not None else narrow_order(len(sizes), exclusions)
        n = len(self.order)
        self.allowed = [allowed[c] for c in self.order]  # by position from here on
        self.full = [(1 << sizes[c]) - 1 for c in self.order]
        position = {c: p for p, c in enumerate(self.order)}
        # forbid[p][value] = {later or earlier position: mask of its configurations excluded}
        self.forbid: list[dict[int, dict[int, int]]] = [{} for _ in range(n)]
        touching = [[0] * n for _ in range(n)]  # [p][q]: p's values excluded with q's
        for (a, x), (b, y) in exclusions:
            for p, v, q, w in ((position[a], x, position[b], y), (position[b], y, position[a], x)):
                row = self.forbid[p].setdefault(v, {})
                row[q] = row.get(q, 0) | 1 << w
                touching[p][q] |= 1 << v
        # relevant[m][p - m]: p's values excluded with a component still to place at depth m
        self.relevant = [[0] * (n - m) for m in range(n + 1)]
        for p in range(n):
            running = 0
            for m in range(n - 1, -1, -1):
                if m != p:
                    running |= touching[p][m]
                if m <= p:
                    self.relevant[m][p - m] = running
        # free[m][p - m]: p's other values, kept as a count (the lowest ones stand for them)
        self.free = [[self.full[m + i] & ~r for i, r in enumerate(row)]
                     for m, row in enumerate(self.relevant)]
        self.max_states = max_states or MAX_STATES
        self.memo: dict[tuple[int, ...], int] = {}

    def _canonical(self, m: int, masks: Sequence[int]) -> tuple[tuple[int, ...] | None, int]:
        """The state at depth ``m`` and the factor of the components dropped from it."""
        factor, key = 1, []
        for mask, relevant, free in zip(masks, self.relevant[m], self.free[m], strict=True):
            if mask == DONE:
                key.append(DONE)
            elif mask == 0:
                return None, 0
            elif not relevant & mask:
                factor *= mask.bit_count()
                key.append(DONE)
            else:
                key.append(mask & relevant | _lowest(free, (mask & free).bit_count()))
        return tuple(key), factor

    def _after(self, m: int, value: int, later: Sequence[int]) -> list[int]:
        """The later components' masks once position ``m`` takes ``value``."""
        excluded = self.forbid[m].get(value, {})
        return [mask if mask == DONE else mask & ~excluded.get(m + 1 + i, 0)
                for i, mask in enumerate(later)]

    def _core(self, key: tuple[int, ...]) -> int:
        if not key:
            return 1
        found = self.memo.get(key)
        if found is not None:
            return found
        m = len(self.order) - len(key)
        head, later = key[0], key[1:]
        total = 0
        if head == DONE:
            total = self.count_from(m + 1, later)
        else:
            effects: dict[tuple[int, ...], int] = {}
            for value in _bits(head):
                child = tuple(self._after(m, value, later))
                effects[child] = effects.get(child, 0) + 1
            total = sum(times * self.count_from(m + 1, child)
                        for child, times in effects.items())
        if len(self.memo) >= self.max_states:
            raise SpaceTooEntangled(self.max_states)
        self.memo[key] = total
        return total

    def count_from(self, m: int, masks: Sequence[int]) -> int:
        """Feasible completions from depth ``m`` with these masks for positions ``m…``."""
        key, factor = self._canonical(m, masks)
        return 0 if key is None else factor * self._core(key)

    def count(self) -> int:
        return self.count_from(0, self.allowed)

    def assignments(self) -> Iterator[tuple[int, ...]]:
        """Every feasible assignment (a configuration per component), lexicographic in the
        counter's order, never entering a branch without one."""
        n = len(self.order)

        def extend(m: int, masks: list[int], prefix: list[int]) -> Iterator[tuple[int, ...]]:
            if m == n:
                by_component = dict(zip(self.order, prefix, strict=True))
                yield tuple(by_component[c] for c in range(n))
                return
            for value in _bits(masks[0]):
                later = self._after(m, value, masks[1:])
                if self.count_from(m + 1, later):
                    yield from extend(m + 1, later, [*prefix, value])

        if self.count():
            yield from extend(0, list(self.allowed), [])
