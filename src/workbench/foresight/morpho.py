"""Morphological analysis: scenarios as one configuration per component, minus exclusions.

The number of feasible scenarios is counted without enumerating them, with bounded work
(``morpho_count``); scenarios are listed lazily, never exploring a branch with none.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from math import prod
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.foresight.morpho_count import FeasibleCounter, SpaceTooEntangled
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

    def _counter(self, order: list[int] | None = None) -> FeasibleCounter:
        allowed = [sum(1 << c for c in range(len(options))
                       if self.preferred.get(i) is None or c in self.preferred[i])
                   for i, options in enumerate(self.configurations)]
        pairs = {tuple(sorted(pair)) for pair in self.exclusions}
        return FeasibleCounter([len(c) for c in self.configurations], allowed, pairs, order)

    def feasible_count(self) -> int:
        """Feasible scenarios, counted without listing them (``morpho_count``); a French
        ``SpaceTooEntangled`` error past a bounded amount of work."""
        return self._counter().count()

    def scenarios(self) -> Iterator[tuple[str, ...]]:
        """Every feasible scenario, lazily, in lexicographic order (in the counting order if
        that one is too entangled); none at once if the space has none."""
        counter = self._counter(list(range(len(self.components))))
        try:
            counter.count()
        except SpaceTooEntangled:
            counter = self._counter()
        for choice in counter.assignments():
            yield tuple(self.configurations[i][c] for i, c in enumerate(choice))

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
