"""Delphi studies: items answered in rounds on a numeric scale, with feedback and rules.

A study (``data/delphi/<slug>.yaml``) names its items, its scale and its rules, set before
the first round: consensus when the interquartile range is at most ``iqr_max`` **and** at
least ``top_share`` of the panel answer in the top band; stability when the median moves by
at most ``median_change_max`` from the previous round; at most ``max_rounds`` rounds.
Quartiles are those of ``evaluation.stats.quantile`` (the inverse of the distribution function,
averaged at a step: Hyndman & Fan type 2), the same in feedback and reports.

Light (standard library only): the Delphi page runs in a participant kernel.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.evaluation.stats import quantiles
from workbench.i18n import _
from workbench.settings import project_home
from workbench.slugs import data_file, shown
from workbench.yamlfile import load_yaml_mapping

__all__ = ["DelphiStudy", "ItemStats", "Rules", "item_stats", "load_delphi", "verdict"]


@dataclass(frozen=True)
class Rules:
    iqr_max: float = 1.0
    top_band: tuple[int, int] = (4, 5)
    top_share: float = 0.70
    median_change_max: float = 0.5
    max_rounds: int = 3


@dataclass(frozen=True)
class DelphiStudy:
    slug: str
    title: str
    scale: tuple[int, int]
    items: tuple[tuple[str, str], ...]  # (id, statement)
    rules: Rules
    scale_labels: tuple[str, str] = ("", "")  # what the lowest and highest scores mean


@dataclass(frozen=True)
class ItemStats:
    n: int
    median: float
    q1: float
    q3: float
    distribution: tuple[tuple[int, int], ...]  # (value, count) over the whole scale
    top_share: float

    @property
    def iqr(self) -> float:
        return self.q3 - self.q1


def item_stats(values: list[int], scale: tuple[int, int], top_band: tuple[int, int]
               ) -> ItemStats | None:
    if not values:
        return None
    q1, median, q3 = quantiles(values)
    tally = Counter(values)
    top = sum(1 for v in values if top_band[0] <= v <= top_band[1]) / len(values)
    return ItemStats(len(values), float(median), float(q1), float(q3),
                     tuple((v, tally.get(v, 0)) for v in range(scale[0], scale[1] + 1)), top)


def verdict(current: ItemStats, previous: ItemStats | None, rules: Rules) -> dict:
    """Consensus and stability of one item (stability needs a previous round)."""
    consensus = current.iqr <= rules.iqr_max and current.top_share >= rules.top_share
    stable = (previous is not None
              and abs(current.median - previous.median) <= rules.median_change_max)
    return {"consensus": consensus, "stable": stable}


def _finite(value: object) -> float:
    """A rule's number; NaN and infinities are a ``ValueError`` (then a French error)."""
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def load_delphi(slug: str, root: Path | None = None) -> DelphiStudy:
    path = data_file(root or project_home() / "data" / "delphi", slug, "{slug}.yaml",
                     _("The Delphi study '{slug}' does not exist."), hint=True)
    data = load_yaml_mapping(path)
    try:
        low, high = (int(x) for x in data.get("scale", [1, 5]))
        items = tuple((str(i["id"]), str(i["statement"])) for i in data["items"])
        raw = data.get("rules") or {}
        rules = Rules(_finite(raw.get("iqr_max", 1)),
                      tuple(int(x) for x in raw.get("top_band", [high - 1, high])),
                      _finite(raw.get("top_share", 0.7)),
                      _finite(raw.get("median_change_max", 0.5)), int(raw.get("max_rounds", 3)))
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
        raise WorkbenchError(_("{file}: invalid Delphi study ({error}).").format(
            file=shown(path), error=error)) from None
    if low >= high or not items or len({i for i, _s in items}) != len(items):
        raise WorkbenchError(_("{file}: the scale must go up and items need unique ids.")
                             .format(file=shown(path)))
    bottom, top = [*(str(x) for x in data.get("scale_labels") or []), "", ""][:2]
    return DelphiStudy(slug, str(data.get("title", slug)), (low, high), items, rules,
                       (bottom, top))
