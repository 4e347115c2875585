"""Morphological analysis: scenarios as one configuration per component, minus exclusions.

The number of feasible scenarios is counted without enumerating them: components are taken
in order and the count is carried over the configurations of the earlier components that
still have exclusions with later ones (dynamic programming over that frontier). Scenarios are
enumerated lazily (a generator with pruning) for listing and filtering.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from math import prod
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.i18n import _

__all__ = ["Morphology", "load_morphology", "parse_morphology"]


@dataclass(frozen=True)
class Morphology:
    components: tuple[str, ...]
    configurations: tuple[tuple[str, ...], ...]
    exclusions: frozenset[frozenset[tuple[int, int]]]  # {(component, configuration), ...}
    preferred: dict[int, frozenset[int]]  # component → allowed configurations (if given)

    @property
    def raw_count(self) -> int:
        return prod(len(c) for c in self.configurations)

    def _allowed(self, component: int) -> list[int]:
        options = range(len(self.configurations[component]))
        chosen = self.preferred.get(component)
        return [c for c in options if chosen is None or c in chosen]

    def _excluded(self) -> dict[int, list[tuple[int, int, int]]]:
        """For each component, exclusions with an earlier one: (its config, earlier, config)."""
        out: dict[int, list[tuple[int, int, int]]] = {}
        for pair in self.exclusions:
            (a, x), (b, y) = sorted(pair)
            out.setdefault(b, []).append((y, a, x))
        return out

    def _order(self) -> list[int]:
        """A component order that keeps the frontier small (most linked to those placed)."""
        links: dict[int, set[int]] = {i: set() for i in range(len(self.components))}
        for pair in self.exclusions:
            (a, _x), (b, _y) = sorted(pair)
            links[a].add(b)
            links[b].add(a)
        order: list[int] = []
        left = set(links)
        while left:
            placed = set(order)
            best = max(left, key=lambda c: (len(links[c] & placed), len(links[c]), -c))
            order.append(best)
            left.remove(best)
        return order

    def feasible_count(self) -> int:
        """Feasible scenarios, by dynamic programming over the frontier of components that
        still have exclusions with components not placed yet. A frontier component keeps its
        configuration only if that configuration is excluded with a later one (else it is
        "any other"), which keeps the states few."""
        order = self._order()
        rank = {component: i for i, component in enumerate(order)}
        later_rules: dict[int, dict[int, set[int]]] = {}  # component → config → later comps
        rules: dict[int, list[tuple[int, int, int]]] = {}  # comp → (its config, earlier, cfg)
        for pair in self.exclusions:
            (a, x), (b, y) = sorted(pair, key=lambda item: rank[item[0]])
            rules.setdefault(b, []).append((y, a, x))
            later_rules.setdefault(a, {}).setdefault(x, set()).add(b)
        last_use = {c: max(rank[b] for bs in configs.values() for b in bs)
                    for c, configs in later_rules.items()}
        states: dict[tuple[tuple[int, int], ...], int] = {(): 1}
        for position, component in enumerate(order):
            relevant = set(later_rules.get(component, {}))
            following: dict[tuple[tuple[int, int], ...], int] = {}
            for state, count in states.items():
                chosen = dict(state)
                kept_base = {c: v for c, v in chosen.items() if last_use[c] > position}
                for option in self._allowed(component):
                    if any(y == option and chosen.get(a) == x
                           for y, a, x in rules.get(component, [])):
                        continue
                    kept = dict(kept_base)
                    if last_use.get(component, -1) > position:
                        kept[component] = option if option in relevant else -1
                    key = tuple(sorted(kept.items()))
                    following[key] = following.get(key, 0) + count
            states = following
        return sum(states.values())

    def scenarios(self) -> Iterator[tuple[str, ...]]:
        """Every feasible scenario, lazily, in lexicographic order."""
        excluded = self._excluded()

        def extend(prefix: list[int]) -> Iterator[tuple[str, ...]]:
            component = len(prefix)
            if component == len(self.components):
                yield tuple(self.configurations[i][c] for i, c in enumerate(prefix))
                return
            for option in self._allowed(component):
                if any(y == option and prefix[a] == x
                       for y, a, x in excluded.get(component, [])):
                    continue
                yield from extend([*prefix, option])

        yield from extend([])

    def violations(self, choice: tuple[int, ...]) -> list[tuple[str, str]]:
        """The exclusions a scenario (one configuration index per component) breaks."""
        chosen = set(enumerate(choice))
        out = []
        for pair in self.exclusions:
            if pair <= chosen:
                (a, x), (b, y) = sorted(pair)
                out.append((f"{self.components[a]} = {self.configurations[a][x]}",
                            f"{self.components[b]} = {self.configurations[b][y]}"))
        return sorted(out)

    def to_json(self, listing: bool = False, limit: int = 10_000) -> dict:
        out: dict = {"components": {name: list(conf) for name, conf in
                                    zip(self.components, self.configurations, strict=True)},
                     "raw_count": self.raw_count, "feasible_count": self.feasible_count()}
        if listing:
            out["scenarios"] = []
            for scenario in self.scenarios():
                if len(out["scenarios"]) >= limit:
                    out["truncated"] = True
                    break
                out["scenarios"].append(dict(zip(self.components, scenario, strict=True)))
        return out


def parse_morphology(data: dict, source: str = "") -> Morphology:
    """Build the space from ``components``, ``exclusions`` and optional ``preferred``."""
    components = data.get("components") if isinstance(data, dict) else None
    if not isinstance(components, dict) or not components:
        raise WorkbenchError(_("{file}: 'components' must map each component to its "
                               "configurations.").format(file=source))
    names = [str(n) for n in components]
    configurations = []
    for name, options in components.items():
        if not isinstance(options, list) or len(options) < 1:
            raise WorkbenchError(_("{file}: component '{name}' needs a list of "
                                   "configurations.").format(file=source, name=name))
        configurations.append(tuple(str(o) for o in options))

    def locate(text: object, where: str) -> tuple[int, int]:
        component, sep, configuration = str(text).partition("=")
        if not sep or component.strip() not in names:
            raise WorkbenchError(_("{file}: {where}: '{text}' must read "
                                   "<component>=<configuration>.").format(
                file=source, where=where, text=text))
        index = names.index(component.strip())
        if configuration.strip() not in configurations[index]:
            raise WorkbenchError(_("{file}: {where}: '{configuration}' is not a configuration "
                                   "of '{component}'.").format(
                file=source, where=where, configuration=configuration.strip(),
                component=component.strip()))
        return index, configurations[index].index(configuration.strip())

    exclusions = set()
    for n, pair in enumerate(_listed(data, "exclusions", source), start=1):
        where = _("exclusion {n}").format(n=n)
        if not isinstance(pair, list) or len(pair) != 2:
            raise WorkbenchError(_("{file}: {where}: a pair of configurations is expected.")
                                 .format(file=source, where=where))
        first, second = locate(pair[0], where), locate(pair[1], where)
        if first[0] == second[0]:
            raise WorkbenchError(_("{file}: {where}: both configurations belong to the same "
                                   "component.").format(file=source, where=where))
        exclusions.add(frozenset((first, second)))
    preferred: dict[int, set[int]] = {}
    for n, text in enumerate(_listed(data, "preferred", source), start=1):
        component, configuration = locate(text, _("preferred {n}").format(n=n))
        preferred.setdefault(component, set()).add(configuration)
    return Morphology(tuple(names), tuple(configurations), frozenset(exclusions),
                      {k: frozenset(v) for k, v in preferred.items()})


def _listed(data: dict, key: str, source: str) -> list:
    """The list under ``key`` (absent: empty); anything else is a French error."""
    value = data.get(key) or []
    if not isinstance(value, list):
        raise WorkbenchError(_("{file}: '{key}' must be a list.").format(file=source, key=key))
    return value


def load_morphology(path: Path) -> Morphology:
    from workbench.yamlfile import load_yaml

    return parse_morphology(load_yaml(path), path.name)
