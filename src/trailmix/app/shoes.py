"""The runner's shoes (R10): pairs from the export's gear or added by hand, each run's pair,
kilometres and hours per surface, replacement reminders, and the plan's shoe advice naming
the runner's own pair ("your Speedgoat, 412 km").

The advice is worked out when a plan is shown, not stored in it: a pair's kilometres grow with
every run, and the stored plan (docs/plan-json.md) keeps R10's kind of shoe only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date
from typing import Any

from trailmix.domain.log.shoes import (
    RETIRE_KM,
    RETIRE_KM_LIMITS,
    Pair,
    ShoeAdvice,
    ShoeKind,
    Wear,
    guess_kind,
    reminder,
)
from trailmix.domain.types import Shoe
from trailmix.errors import InputError, NotFoundError
from trailmix.storage.db import Database, DuplicateError
from trailmix.storage.gear import ShoeRecord, Shoes, ShoeUse
from trailmix.storage.repo import Activities, ActivityRecord

NO_SHOE = "none"
"""What the runner types (or the form sends) for "no pair" when setting a run's shoe."""


@dataclass(frozen=True)
class SurfaceUse:
    surface: str
    km: float
    hours: float
    runs: int


@dataclass(frozen=True)
class ShoeView:
    """A pair with what it has done: per surface and in all, and its reminder."""

    record: ShoeRecord
    surfaces: tuple[SurfaceUse, ...] = field(default_factory=tuple)
    last_used: date | None = None

    @property
    def total_km(self) -> float:
        return sum(u.km for u in self.surfaces)

    @property
    def total_hours(self) -> float:
        return sum(u.hours for u in self.surfaces)

    @property
    def runs(self) -> int:
        return sum(u.runs for u in self.surfaces)

    @property
    def pair(self) -> Pair:
        r = self.record
        kind = ShoeKind(r.kind) if r.kind else None
        return Pair(r.id, r.name, kind, self.total_km, r.retire_km, r.retired, self.last_used)

    @property
    def wear(self) -> Wear:
        return self.pair.wear

    @property
    def reminder(self) -> str | None:
        return reminder(self.pair)


def _views(records: Iterable[ShoeRecord], usage: Iterable[ShoeUse]) -> list[ShoeView]:
    per: dict[int, list[ShoeUse]] = {}
    for u in usage:
        per.setdefault(u.shoe_id, []).append(u)
    out = []
    for r in records:
        uses = per.get(r.id, [])
        starts = [u.last_start for u in uses if u.last_start is not None]
        out.append(
            ShoeView(
                r,
                tuple(SurfaceUse(u.surface, u.km, u.moving_s / 3600, u.runs) for u in uses),
                max(starts).astimezone(UTC).date() if starts else None,
            )
        )
    return out


def shoes(db: Database, *, retired: bool = True) -> list[ShoeView]:
    """Every pair (without the retired ones when `retired` is False) with its use."""
    shoes_repo = Shoes(db)
    views = _views(shoes_repo.all(), shoes_repo.usage())
    return [v for v in views if retired or not v.record.retired]


def reminders(db: Database) -> list[str]:
    """The replacement reminders of the pairs in use."""
    return [r for v in shoes(db, retired=False) if (r := v.reminder)]


# --- What the runner types ----------------------------------------------------------------------


def parse_kind(text: str | None, option: str = "--kind") -> ShoeKind | None:
    if text is None or not text.strip():
        return None
    try:
        return ShoeKind(text.strip().lower())
    except ValueError:
        raise InputError(
            f"{text!r} is not a kind of shoe; say road, hybrid or trail.", option
        ) from None


def check_retire_km(km: float, option: str = "--retire-km") -> float:
    lo, hi = RETIRE_KM_LIMITS
    if not lo <= km <= hi:  # NaN fails too
        raise InputError(f"{km:g} km is not accepted; give {lo:.0f} to {hi:.0f} km.", option)
    return float(km)


def _name(text: str, option: str = "NAME") -> str:
    name = text.strip()
    if not name or len(name) > 200:
        raise InputError("a shoe's name is 1 to 200 characters.", option)
    return name


def find(db: Database, key: str | int) -> ShoeRecord:
    """A pair by id or by name (whatever its case)."""
    repo = Shoes(db)
    text = str(key).strip()
    found = repo.get(int(text)) if text.isdigit() else repo.by_name(text)
    if found is None:
        known = ", ".join(f"{s.id} {s.name}" for s in repo.all()) or "none yet"
        raise NotFoundError(
            f"no shoe {text!r} (your shoes: {known}; add one with 'trailmix shoes add NAME')."
        )
    return found


# --- The use cases ------------------------------------------------------------------------------


def add(
    db: Database,
    name: str,
    *,
    kind: str | None = None,
    brand: str | None = None,
    model: str | None = None,
    retire_km: float | None = None,
) -> ShoeRecord:
    """A new pair; its kind guessed from its name when not given (None when unclear)."""
    clean = _name(name)
    shoe_kind = parse_kind(kind) or guess_kind(" ".join(filter(None, (brand, model, clean))))
    km = check_retire_km(retire_km) if retire_km is not None else RETIRE_KM
    if Shoes(db).by_name(clean) is not None:
        raise InputError(f"a shoe named {clean!r} is stored already.", "NAME")
    try:
        return Shoes(db).add(
            clean,
            kind=shoe_kind.value if shoe_kind else None,
            brand=(brand or "").strip() or None,
            model=(model or "").strip() or None,
            retire_km=km,
        )
    except DuplicateError:
        raise InputError(f"a shoe named {clean!r} is stored already.", "NAME") from None


def change(
    db: Database,
    key: str | int,
    *,
    name: str | None = None,
    kind: str | None = None,
    brand: str | None = None,
    model: str | None = None,
    retire_km: float | None = None,
    retired: bool | None = None,
) -> ShoeRecord:
    """The runner's corrections to a pair: only what is given changes."""
    rec = find(db, key)
    values: dict[str, Any] = {}
    if name is not None:
        clean = _name(name, "--name")
        other = Shoes(db).by_name(clean)
        if other is not None and other.id != rec.id:
            raise InputError(f"a shoe named {clean!r} is stored already.", "--name")
        values["name"] = clean
    if kind is not None:
        parsed = parse_kind(kind)
        values["kind"] = parsed.value if parsed else None
    if brand is not None:
        values["brand"] = brand.strip() or None
    if model is not None:
        values["model"] = model.strip() or None
    if retire_km is not None:
        values["retire_km"] = check_retire_km(retire_km)
    if retired is not None:
        values["retired"] = retired
    if not values:
        return rec
    try:
        return Shoes(db).update(rec.id, **values)
    except DuplicateError:
        raise InputError(f"a shoe named {name!r} is stored already.", "--name") from None


def retire(db: Database, key: str | int, retired: bool = True) -> ShoeRecord:
    return change(db, key, retired=retired)


def view(db: Database, key: str | int) -> ShoeView:
    rec = find(db, key)
    return next(v for v in shoes(db) if v.record.id == rec.id)


def set_run_shoe(db: Database, run_id: int, shoe: str | int | None) -> ActivityRecord:
    """The pair a run was run in (`shoe` None or "none": no pair); the run as now stored."""
    log = Activities(db)
    if log.get(run_id) is None:
        raise NotFoundError(f"no run with id {run_id} in the log; see 'trailmix log list'.")
    shoe_id = None
    if shoe is not None and str(shoe).strip().lower() not in (NO_SHOE, ""):
        shoe_id = find(db, shoe).id
    Shoes(db).set_run_shoe(run_id, shoe_id)
    found = log.get(run_id)
    assert found is not None
    return found


def link_imported(db: Database, runs: Sequence[ActivityRecord]) -> list[ActivityRecord]:
    """After an import: link the new runs to the pairs their export's gear names, making the
    pairs not stored yet (kind guessed from the name where it is clear, else left to the
    runner). The runs with their pairs."""
    ids = [r.id for r in runs if r.gear]

    def kind_of(name: str) -> str | None:
        k = guess_kind(name)
        return k.value if k else None

    linked = Shoes(db).link_gear(ids, kind_of, RETIRE_KM) if ids else {}
    return [replace(r, shoe_id=linked.get(r.id, r.shoe_id)) for r in runs]


# --- JSON (docs/log.md, "Shoes") ----------------------------------------------------------------


def shoe_json(v: ShoeView) -> dict[str, Any]:
    r = v.record
    return {
        "id": r.id,
        "name": r.name,
        "brand": r.brand,
        "model": r.model,
        "kind": r.kind,
        "retire_km": r.retire_km,
        "retired": r.retired,
        "total_km": round(float(v.total_km), 2),
        "total_hours": round(float(v.total_hours), 2),
        "runs": v.runs,
        "last_used": v.last_used.isoformat() if v.last_used else None,
        "surfaces": {
            u.surface: {"km": round(u.km, 2), "hours": round(u.hours, 2), "runs": u.runs}
            for u in v.surfaces
        },
        "wear": v.wear.value,
        "reminder": v.reminder,
    }


def pairs(db: Database) -> list[Pair]:
    """The pairs in use as the plan's shoe advice sees them."""
    return [v.pair for v in shoes(db, retired=False)]


def advice_json(advised: Mapping[Shoe, ShoeAdvice]) -> dict[str, Any]:
    return {
        shoe.value: {
            "text": a.text,
            "shoe_id": a.pair_id,
            "reason": {"rule": a.reason.rule, "text": a.reason.text},
        }
        for shoe, a in advised.items()
    }
