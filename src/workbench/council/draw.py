"""Stratified draw of council seats from a pool of volunteers (maximin, leximin ties, HiGHS).

The pool CSV has an ``id`` column and one column per feature; the quotas CSV has
``feature,value,min,max`` (as sortition-algorithms reads them). ``council.lottery`` computes a
lottery over panels that satisfy every quota, maximising the smallest selection probability and
breaking ties by leximin, from the canonical inputs only (not the seed, not ``PYTHONHASHSEED``);
one panel is then drawn from that lottery with the seed, and each volunteer's probability in
that very lottery is reported. The audit record (``DrawResult.audit``) holds the canonical
inputs, their SHA-256, the seed, the versions, the lottery and the result, so that anyone can
re-run the draw (``verify_audit``). Quotas that cannot be met get a French explanation (which
quota, by how many), checked before any solver runs and, for subtler cases, read from
sortition-algorithms' suggested relaxation. Seated members (a replacement draw) keep their
seats and count towards the quotas.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import io
import json
import os
import platform
import sys
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from workbench.council.lottery import (
    Group,
    InfeasibleError,
    Lottery,
    SolverError,
    leximin_lottery,
)
from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.tables import read_records

__all__ = ["DrawResult", "Quota", "Verification", "draw", "draw_inputs", "read_audit",
           "read_pool", "read_quotas", "record_draw", "stored_audit", "verify_audit"]

ALGORITHM = "maximin-leximin"
AUDIT_FORMAT = "workbench-council-draw/1"
PACKAGES = ("workbench", "highspy", "numpy", "sortition-algorithms")
TOLERANCE = 1e-6  # recorded and recomputed numbers agree within this
DIGITS = 9  # probabilities are published to 9 decimals (the lottery's weights in full)
NO_SEATS_LEFT = Lottery(((),), (1.0,))  # the seated members fill every seat


@dataclass(frozen=True)
class Quota:
    feature: str
    value: str
    min: int
    max: int


@dataclass(frozen=True)
class DrawResult:
    """A draw: the panel, everyone's probability in the lottery used, and how to re-run it."""

    panel: tuple[str, ...]
    probabilities: dict[str, float]
    seed: int
    algorithm: str
    inputs_sha256: str
    seated: tuple[str, ...] = ()
    seats: int = 0
    maximin: float | None = None
    inputs: dict = field(default_factory=dict)
    lottery: Lottery = NO_SEATS_LEFT
    versions: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"panel": list(self.panel), "probabilities": self.probabilities,
                "seed": self.seed, "algorithm": self.algorithm,
                "inputs_sha256": self.inputs_sha256, "seated": list(self.seated),
                "seats": self.seats, "maximin": self.maximin, "versions": self.versions}

    def audit(self) -> dict:
        """Everything a third party needs to re-run the draw (``verify_audit``)."""
        lottery = [{"panel": list(panel), "weight": weight}
                   for panel, weight in zip(self.lottery.panels, self.lottery.weights,
                                            strict=True)]
        return {"format": AUDIT_FORMAT, **self.to_json(), "inputs": self.inputs,
                "lottery": lottery}


@dataclass(frozen=True)
class Verification:
    """The outcome of re-running a recorded draw: French problems (none: it matches)."""

    problems: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


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


def canonical_inputs(pool: list[dict[str, str]], quotas: list[Quota], seats: int,
                     seated: list[str]) -> dict:
    """The draw's inputs in one canonical form: pool (id and quota features) sorted by id,
    quotas sorted by feature and value, seats, seated ids sorted."""
    features = sorted({q.feature for q in quotas})
    return {
        "pool": [{"id": p["id"], **{f: p[f] for f in features}}
                 for p in sorted(pool, key=lambda p: p["id"])],
        "quotas": [{"feature": q.feature, "value": q.value, "min": q.min, "max": q.max}
                   for q in sorted(quotas, key=lambda q: (q.feature, q.value))],
        "seats": seats,
        "seated": sorted(set(seated)),
    }


def inputs_sha256(inputs: dict) -> str:
    """SHA-256 of the canonical JSON of the inputs (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(inputs, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def versions() -> dict[str, str]:
    """Versions of Python, of the packages the lottery depends on, and of its code."""
    found = {"python": platform.python_version(),
             "platform": f"{sys.platform}-{platform.machine()}"}
    for package in PACKAGES:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "?"
    code = Path(inspect.getfile(Lottery)).read_bytes()
    found["lottery-code"] = hashlib.sha256(code).hexdigest()[:16]
    return found


def draw(pool: list[dict[str, str]], quotas: list[Quota], seats: int, seed: int,
         seated: list[str] | None = None) -> DrawResult:
    """Draw ``seats`` people (``seated`` ids keep their seats and count in the quotas)."""
    return draw_inputs(canonical_inputs(pool, quotas, seats, list(seated or [])), seed)


def draw_inputs(inputs: dict, seed: int) -> DrawResult:
    """The draw for inputs as ``canonical_inputs`` writes them (put back in canonical order)
    and a seed."""
    inputs = canonical_inputs(inputs["pool"], _quotas(inputs), inputs["seats"],
                              inputs["seated"])
    pool, seats, seated, quotas = (inputs["pool"], inputs["seats"], inputs["seated"],
                                   _quotas(inputs))
    by_id = {p["id"]: p for p in pool}
    unknown = [s for s in seated if s not in by_id]
    if unknown:
        raise WorkbenchError(_("Seated members not in the pool: {ids}.").format(
            ids=", ".join(unknown)))
    _check_feasible(pool, quotas, seats)
    if seats < len(seated):
        raise WorkbenchError(_("More seated members ({n}) than seats ({seats}).").format(
            n=len(seated), seats=seats))
    if seed < 1:
        raise WorkbenchError(_("The seed must be a whole number of at least 1."))
    adjusted = _adjusted_quotas(quotas, [by_id[s] for s in seated])
    candidates = [p for p in pool if p["id"] not in set(seated)]
    lottery = (_lottery(candidates, adjusted, seats - len(seated)) if seats > len(seated)
               else NO_SEATS_LEFT)
    chances = lottery.probabilities([p["id"] for p in candidates])
    covered = {person for panel in lottery.panels for person in panel}
    probabilities = {p["id"]: 1.0 if p["id"] in seated else round(chances[p["id"]], DIGITS)
                     for p in pool}
    return DrawResult(
        panel=tuple(sorted([*lottery.sample(seed), *seated])), probabilities=probabilities,
        seed=seed, algorithm=ALGORITHM, inputs_sha256=inputs_sha256(inputs),
        seated=tuple(seated), seats=seats,
        maximin=min((probabilities[p] for p in sorted(covered)), default=None),
        inputs=inputs, lottery=lottery, versions=versions())


def _quotas(inputs: dict) -> list[Quota]:
    return [Quota(q["feature"], q["value"], int(q["min"]), int(q["max"]))
            for q in inputs["quotas"]]


def _adjusted_quotas(quotas: list[Quota], seated: list[dict[str, str]]) -> list[Quota]:
    """The quotas left for the seats to fill once the seated members are counted."""
    adjusted = []
    for q in quotas:
        taken = sum(1 for s in seated if s[q.feature] == q.value)
        if taken > q.max:
            raise WorkbenchError(_("The seated members already exceed the maximum of "
                                   "'{feature} = {value}' ({taken} for {max}).").format(
                feature=q.feature, value=q.value, taken=taken, max=q.max))
        adjusted.append(Quota(q.feature, q.value, max(0, q.min - taken), q.max - taken))
    return adjusted


def _lottery(candidates: list[dict[str, str]], quotas: list[Quota], seats: int) -> Lottery:
    """The leximin lottery for the candidates (sorted by id) and quotas (sorted)."""
    groups = [Group(tuple(i for i, p in enumerate(candidates) if p[q.feature] == q.value),
                    q.min, q.max) for q in quotas]
    try:
        with _quiet():
            return leximin_lottery([p["id"] for p in candidates], groups, seats)
    except InfeasibleError:
        raise WorkbenchError(_("The quotas cannot be met together; the solver suggests: "
                               "{details}").format(
            details=_suggestion(candidates, quotas, seats))) from None
    except SolverError as error:
        raise WorkbenchError(_("The draw failed: {error}").format(error=error)) from None


def _suggestion(candidates: list[dict[str, str]], quotas: list[Quota], seats: int) -> str:
    """sortition-algorithms' smallest relaxation of the quotas, in French ("—" if none)."""
    from sortition_algorithms import (
        InfeasibleQuotasError,
        Settings,
        read_in_features,
        read_in_people,
    )
    from sortition_algorithms.committee_generation.common import setup_committee_generation
    from sortition_algorithms.errors import SortitionBaseError
    from sortition_algorithms.utils import set_random_provider

    features_list = sorted({q.feature for q in quotas})
    set_random_provider(1)
    try:
        with _quiet():
            features, _f, _v = read_in_features(
                ["feature", "value", "min", "max"],
                [{"feature": q.feature, "value": q.value, "min": str(q.min), "max": str(q.max)}
                 for q in quotas], seats)
            settings = Settings(id_column="id", columns_to_keep=[], random_number_seed=1,
                                selection_algorithm="maximin")
            people, _report = read_in_people(["id", *features_list], candidates, features,
                                             settings)
            setup_committee_generation(features, people, seats, [])
    except InfeasibleQuotasError as error:
        return _relaxation(error, quotas)
    except (SortitionBaseError, ValueError):
        return "—"
    return "—"


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


def record_draw(result: DrawResult, engine=None) -> int:
    """Store the draw's audit record (inputs' hash, algorithm, seed, result, and the whole
    audit file); its number. Needs ``Permission.COUNCIL``; written to the audit trail."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from workbench.staff import audit
    from workbench.staff.acting import require
    from workbench.staff.roles import Permission
    from workbench.storage import write_transaction
    from workbench.storage.schema import council_draw

    require(Permission.COUNCIL, engine=engine)
    with write_transaction(engine) as conn:
        number = conn.scalar(insert(council_draw).values(
            drawn_at=datetime.now(UTC).replace(tzinfo=None),
            inputs_sha256=result.inputs_sha256, algorithm=result.algorithm, seed=result.seed,
            seats=result.seats, panel_json=json.dumps(list(result.panel)),
            probabilities_json=json.dumps(result.probabilities, sort_keys=True),
            audit_json=json.dumps(result.audit(), ensure_ascii=False, sort_keys=True))
            .returning(council_draw.c.id))
        audit.record(conn, "council.draw", "council_draw", number,
                     _("Council draw no. {id} recorded: {seats} seats, seed {seed}.").format(
                         id=number, seats=result.seats, seed=result.seed),
                     after={"draw": number, "seats": result.seats, "seed": result.seed,
                            "algorithm": result.algorithm,
                            "inputs_sha256": result.inputs_sha256})
        return number


def stored_audit(record: int, engine=None) -> dict:
    """The audit file of a recorded draw (with its record number)."""
    from sqlalchemy import select

    from workbench.storage import read_connection
    from workbench.storage.schema import council_draw

    with read_connection(engine) as conn:
        text = conn.scalar(select(council_draw.c.audit_json)
                           .where(council_draw.c.id == record))
    if text is None:
        raise WorkbenchError(_("No audit file for draw no. {record} (unknown, drawn before "
                               "audit files were kept, or erased a year after the next "
                               "draw).").format(record=record))
    return json.loads(text) | {"record": record}


def read_audit(path: Path) -> dict:
    """A draw's audit file, read and checked for its format and the kind of every field."""
    try:
        audit = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise WorkbenchError(_("{file}: not a readable JSON file ({error}).").format(
            file=path.name, error=error)) from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):  # too deep, too long
        raise WorkbenchError(_("{file}: not a readable JSON file.").format(
            file=path.name)) from None
    fields = ("inputs", "inputs_sha256", "seed", "panel", "probabilities", "lottery")
    if not isinstance(audit, dict) or audit.get("format") != AUDIT_FORMAT \
            or any(f not in audit for f in fields):
        raise WorkbenchError(_("{file}: not a council draw audit file ({format}).").format(
            file=path.name, format=AUDIT_FORMAT))
    wrong = next((f for f, fits in _audit_fields().items() if not fits(audit.get(f))), None)
    if wrong:
        raise WorkbenchError(_("{file}: the field « {field} » is not what a draw records.")
                             .format(file=path.name, field=wrong))
    return audit


def _texts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _whole(value: object, low: int = 0, high: int = 2**31 - 1) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _audit_fields() -> dict[str, object]:
    """Each field of an audit file and the test its value must pass."""
    def inputs(value: object) -> bool:
        return (isinstance(value, dict) and _whole(value.get("seats"), 1, 10_000)
                and _texts(value.get("seated")) and isinstance(value.get("pool"), list)
                and all(isinstance(p, dict) and all(isinstance(v, str) for v in p.values())
                        for p in value["pool"])
                and isinstance(value.get("quotas"), list)
                and all(isinstance(q, dict) and isinstance(q.get("feature"), str)
                        and isinstance(q.get("value"), str) and _whole(q.get("min"))
                        and _whole(q.get("max")) for q in value["quotas"]))

    return {
        "inputs": inputs,
        "inputs_sha256": lambda v: isinstance(v, str),
        "seed": lambda v: _whole(v, 1),
        "panel": _texts,
        "probabilities": lambda v: isinstance(v, dict) and all(map(_number, v.values())),
        "lottery": lambda v: isinstance(v, list) and all(
            isinstance(e, dict) and _texts(e.get("panel")) and _number(e.get("weight"))
            for e in v),
    }


def verify_audit(audit: dict) -> Verification:
    """Re-run a recorded draw from its inputs and seed and compare every recorded result."""
    problems = []
    actual = inputs_sha256(audit["inputs"])
    if actual != audit["inputs_sha256"]:
        problems.append(_("The inputs do not match their fingerprint: SHA-256 {recorded} "
                          "recorded, {actual} computed.").format(
            recorded=audit["inputs_sha256"], actual=actual))
    try:
        again = draw_inputs(audit["inputs"], int(audit["seed"])).audit()
    except (WorkbenchError, KeyError, TypeError, ValueError) as error:
        problems.append(_("The draw cannot be re-run from the recorded inputs: {error}")
                        .format(error=error))
        return Verification(tuple(problems))
    problems += [message for name, message in _differences().items()
                 if not _same(audit.get(name), again[name])]
    if audit["panel"] != again["panel"]:
        problems.append(_("The panel differs: recorded {recorded}; recomputed {computed}.")
                        .format(recorded=", ".join(map(str, audit["panel"])),
                                computed=", ".join(again["panel"])))
    notes = ()
    if audit.get("versions") != again["versions"]:
        notes = (_("Recorded with {recorded}; re-run with {current}.").format(
            recorded=_versions_text(audit.get("versions") or {}),
            current=_versions_text(again["versions"])),)
    return Verification(tuple(problems), notes)


def _differences() -> dict[str, str]:
    """What is said when a recorded field differs from its recomputation."""
    return {
        "algorithm": _("The recorded algorithm differs from the one re-run."),
        "seats": _("The recorded number of seats differs from the inputs'."),
        "seated": _("The recorded seated members differ from the inputs'."),
        "maximin": _("The recorded smallest probability (maximin) differs from the "
                     "recomputed one."),
        "probabilities": _("The recorded selection probabilities differ from the recomputed "
                           "ones."),
        "lottery": _("The recorded lottery (panels and weights) differs from the recomputed "
                     "one."),
    }


def _same(recorded: object, computed: object) -> bool:
    """Equal JSON values, numbers within ``TOLERANCE``."""
    if isinstance(recorded, bool) or isinstance(computed, bool):
        return recorded == computed
    if isinstance(recorded, int | float) and isinstance(computed, int | float):
        return abs(recorded - computed) <= TOLERANCE
    if isinstance(recorded, dict) and isinstance(computed, dict):
        return recorded.keys() == computed.keys() and all(
            _same(recorded[k], computed[k]) for k in computed)
    if isinstance(recorded, list) and isinstance(computed, list):
        return len(recorded) == len(computed) and all(
            _same(a, b) for a, b in zip(recorded, computed, strict=True))
    return recorded == computed


def _versions_text(found: dict) -> str:
    return ", ".join(f"{name} {found[name]}" for name in sorted(found))
