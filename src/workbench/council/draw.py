"""Stratified draw of council seats from a pool of volunteers (sortition-algorithms, maximin).

The pool CSV has an ``id`` column and one column per feature; the quotas CSV has
``feature,value,min,max`` (as sortition-algorithms reads them). The maximin algorithm (open
HiGHS solver) computes a lottery over panels that satisfy every quota and maximises the
smallest selection probability; one panel is then drawn from that lottery with the seed, and
each volunteer's probability is reported. Quotas that cannot be met get a French explanation
(which quota, by how many), checked before any solver runs and, for subtler cases, read from
the library's suggested relaxation. Seated members (a replacement draw) keep their seats and
count towards the quotas.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import random
import sys
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.tables import read_records

__all__ = ["DrawResult", "Quota", "draw", "read_pool", "read_quotas", "record_draw"]

ALGORITHM = "maximin"


@dataclass(frozen=True)
class Quota:
    feature: str
    value: str
    min: int
    max: int


@dataclass(frozen=True)
class DrawResult:
    panel: tuple[str, ...]
    probabilities: dict[str, float]
    seed: int
    algorithm: str
    inputs_sha256: str
    seated: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"panel": list(self.panel), "probabilities": self.probabilities,
                "seed": self.seed, "algorithm": self.algorithm,
                "inputs_sha256": self.inputs_sha256, "seated": list(self.seated)}


def read_quotas(path: Path) -> list[Quota]:
    headers, rows = read_records(path)
    missing = [c for c in ("feature", "value", "min", "max") if c not in headers]
    if missing:
        raise WorkbenchError(_("{file}: missing columns: {columns}.").format(
            file=path.name, columns=", ".join(missing)))
    quotas = []
    for line, row in enumerate(rows, start=2):
        if not row["feature"]:
            continue
        bounds = []
        for column in ("min", "max"):
            try:
                bounds.append(int(row[column]))
            except ValueError:
                raise WorkbenchError(_("{file}, line {line}, column {column}: '{value}' is not "
                                       "a whole number.").format(
                    file=path.name, line=line, column=column, value=row[column])) from None
        if not 0 <= bounds[0] <= bounds[1]:
            raise WorkbenchError(_("{file}, line {line}: min ({min}) must be between 0 and max "
                                   "({max}).").format(file=path.name, line=line, min=bounds[0],
                                                      max=bounds[1]))
        quotas.append(Quota(row["feature"], row["value"], bounds[0], bounds[1]))
    return quotas


def read_pool(path: Path, quotas: list[Quota]) -> list[dict[str, str]]:
    headers, rows = read_records(path)
    features = sorted({q.feature for q in quotas})
    missing = [c for c in ("id", *features) if c not in headers]
    if missing:
        raise WorkbenchError(_("{file}: missing columns: {columns}.").format(
            file=path.name, columns=", ".join(missing)))
    values = {f: {q.value for q in quotas if q.feature == f} for f in features}
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        if not row["id"]:
            raise WorkbenchError(_("{file}, line {line}, column id: empty identifier.").format(
                file=path.name, line=line))
        if row["id"] in seen:
            raise WorkbenchError(_("{file}, line {line}, column id: '{id}' appears twice.")
                                 .format(file=path.name, line=line, id=row["id"]))
        seen.add(row["id"])
        for feature in features:
            if row[feature] not in values[feature]:
                raise WorkbenchError(_("{file}, line {line}, column {column}: '{value}' has no "
                                       "quota (quotas: {values}).").format(
                    file=path.name, line=line, column=feature, value=row[feature],
                    values=", ".join(sorted(values[feature]))))
    return rows


def _check_feasible(pool: list[dict[str, str]], quotas: list[Quota], seats: int) -> None:
    """French explanations of quotas that cannot be met, before any solver runs."""
    problems = []
    for q in quotas:
        available = sum(1 for p in pool if p[q.feature] == q.value)
        if available < q.min:
            problems.append(_("'{feature} = {value}' needs at least {min} but the pool has "
                              "only {available} (missing {gap}).").format(
                feature=q.feature, value=q.value, min=q.min, available=available,
                gap=q.min - available))
    for feature in sorted({q.feature for q in quotas}):
        rows = [q for q in quotas if q.feature == feature]
        low, high = sum(q.min for q in rows), sum(q.max for q in rows)
        if low > seats:
            problems.append(_("'{feature}': the minimums add up to {low}, more than the {seats} "
                              "seats (over by {gap}).").format(feature=feature, low=low,
                                                               seats=seats, gap=low - seats))
        reachable = sum(min(q.max, sum(1 for p in pool if p[feature] == q.value))
                        for q in rows)
        if min(high, reachable) < seats:
            problems.append(_("'{feature}': at most {high} seats can be filled within the "
                              "maximums and the pool, for {seats} seats (short by {gap}).")
                            .format(feature=feature, high=min(high, reachable), seats=seats,
                                    gap=seats - min(high, reachable)))
    if problems:
        raise WorkbenchError(_("The quotas cannot be met:") + "\n- " + "\n- ".join(problems))


def _digest(pool: list[dict[str, str]], quotas: list[Quota], seats: int,
            seated: list[str]) -> str:
    digest = hashlib.sha256()
    for row in sorted(pool, key=lambda r: r["id"]):
        digest.update(repr(sorted(row.items())).encode())
    for q in sorted(quotas, key=lambda q: (q.feature, q.value)):
        digest.update(repr((q.feature, q.value, q.min, q.max)).encode())
    digest.update(repr((seats, sorted(seated))).encode())
    return digest.hexdigest()


def draw(pool: list[dict[str, str]], quotas: list[Quota], seats: int, seed: int,
         seated: list[str] | None = None) -> DrawResult:
    """Draw ``seats`` people (``seated`` ids keep their seats and count in the quotas)."""
    import numpy as np
    from sortition_algorithms import (
        InfeasibleQuotasError,
        Settings,
        read_in_features,
        read_in_people,
    )
    from sortition_algorithms.committee_generation import standardize_distribution
    from sortition_algorithms.committee_generation.maximin import find_distribution_maximin
    from sortition_algorithms.errors import SortitionBaseError
    from sortition_algorithms.utils import set_random_provider

    seated = list(seated or [])
    by_id = {p["id"]: p for p in pool}
    unknown = [s for s in seated if s not in by_id]
    if unknown:
        raise WorkbenchError(_("Seated members not in the pool: {ids}.").format(
            ids=", ".join(unknown)))
    _check_feasible(pool, quotas, seats)
    remaining_seats = seats - len(seated)
    if remaining_seats < 0:
        raise WorkbenchError(_("More seated members ({n}) than seats ({seats}).").format(
            n=len(seated), seats=seats))
    adjusted = []
    for q in quotas:
        taken = sum(1 for s in seated if by_id[s][q.feature] == q.value)
        if taken > q.max:
            raise WorkbenchError(_("The seated members already exceed the maximum of "
                                   "'{feature} = {value}' ({taken} for {max}).").format(
                feature=q.feature, value=q.value, taken=taken, max=q.max))
        adjusted.append(Quota(q.feature, q.value, max(0, q.min - taken), q.max - taken))
    candidates = [p for p in pool if p["id"] not in set(seated)]
    inputs = _digest(pool, quotas, seats, seated)
    probabilities = {p["id"]: 0.0 for p in pool} | {s: 1.0 for s in seated}
    if remaining_seats == 0:
        return DrawResult(tuple(sorted(seated)), probabilities, seed, ALGORITHM, inputs,
                          tuple(sorted(seated)))
    features_list = sorted({q.feature for q in adjusted})
    if seed < 1:
        raise WorkbenchError(_("The seed must be a whole number of at least 1."))
    random.seed(seed)
    np.random.seed(seed % 2**32)
    set_random_provider(seed)  # the library's own randomness (solver seeds, heuristics)
    try:
        features, _f, _v = read_in_features(
            ["feature", "value", "min", "max"],
            [{"feature": q.feature, "value": q.value, "min": str(q.min), "max": str(q.max)}
             for q in adjusted], remaining_seats)
        settings = Settings(id_column="id", columns_to_keep=[], random_number_seed=seed,
                            selection_algorithm=ALGORITHM)
        people, _report = read_in_people(["id", *features_list],
                                         [{k: p[k] for k in ("id", *features_list)}
                                          for p in candidates], features, settings)
        with _quiet():
            committees, weights, _report = find_distribution_maximin(features, people,
                                                                     remaining_seats, [])
    except InfeasibleQuotasError as error:
        raise WorkbenchError(_("The quotas cannot be met together; the solver suggests: "
                               "{details}").format(details=_relaxation(error, adjusted)))\
            from None
    except (SortitionBaseError, ValueError) as error:
        raise WorkbenchError(_("The draw failed: {error}").format(error=error)) from None
    committees, weights = standardize_distribution(committees, weights)
    for committee, weight in zip(committees, weights, strict=True):
        for person in committee:
            probabilities[person] += weight
    probabilities = {k: round(v, 6) for k, v in probabilities.items()}
    chosen = random.Random(seed).choices(range(len(committees)), weights=weights)[0]
    panel = tuple(sorted(set(committees[chosen]) | set(seated)))
    return DrawResult(panel, probabilities, seed, ALGORITHM, inputs, tuple(sorted(seated)))


@contextlib.contextmanager
def _quiet():
    """The solver and the library print progress (some from C, on file descriptor 1): keep
    it off the staff's terminal and out of ``--json`` output."""
    import logging

    sys.stdout.flush()
    saved = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    previous = logging.root.manager.disable
    logging.disable(logging.INFO)
    try:
        os.dup2(null, 1)
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)
        logging.disable(previous)


def _relaxation(error, quotas: list[Quota]) -> str:
    """The quotas the solver had to loosen, in French."""
    suggested = error.features
    changes = []
    for q in quotas:
        relaxed = suggested.get(q.feature, {}).get(q.value)
        if relaxed is None:
            continue
        if relaxed.min < q.min:
            changes.append(_("'{feature} = {value}': minimum {old} → {new}").format(
                feature=q.feature, value=q.value, old=q.min, new=relaxed.min))
        if relaxed.max > q.max:
            changes.append(_("'{feature} = {value}': maximum {old} → {new}").format(
                feature=q.feature, value=q.value, old=q.max, new=relaxed.max))
    return "; ".join(changes) or "—"


def record_draw(result: DrawResult, seats: int, engine=None) -> int:
    """Store the draw's audit record (inputs' hash, algorithm, seed, result); its number."""
    import json
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from workbench.storage import write_transaction
    from workbench.storage.schema import council_draw

    with write_transaction(engine) as conn:
        return conn.scalar(insert(council_draw).values(
            drawn_at=datetime.now(UTC).replace(tzinfo=None),
            inputs_sha256=result.inputs_sha256, algorithm=result.algorithm, seed=result.seed,
            seats=seats, panel_json=json.dumps(list(result.panel)),
            probabilities_json=json.dumps(result.probabilities, sort_keys=True))
            .returning(council_draw.c.id))
