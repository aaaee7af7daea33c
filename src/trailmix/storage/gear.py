"""The runner's shoes (table `shoes`, migration 0006_shoes) and the pair each run was run in
(`activities.shoe_id`). A pair's kilometres are never stored: they are summed from its runs
by the database (GROUP BY pair and surface), so a corrected run corrects its pair at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from trailmix.errors import NotFoundError
from trailmix.storage.db import Database
from trailmix.storage.models import ActivityRow, ShoeRow


@dataclass(frozen=True)
class ShoeRecord:
    id: int
    name: str
    brand: str | None
    model: str | None
    kind: str | None
    retire_km: float
    retired: bool
    created_at: datetime


def _record(row: ShoeRow) -> ShoeRecord:
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    return ShoeRecord(
        row.id, row.name, row.brand, row.model, row.kind, row.retire_km, row.retired, created
    )


@dataclass(frozen=True)
class ShoeUse:
    """One pair's runs on one surface, summed by the database."""

    shoe_id: int
    surface: str
    km: float
    moving_s: float
    runs: int
    last_start: datetime | None


class Shoes:
    """One user's pairs (`db.user_id`): no query here reads or writes another user's rows."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _mine(self) -> ColumnElement[bool]:
        return ShoeRow.user_id == self.db.user_id

    def _my_runs(self) -> ColumnElement[bool]:
        return ActivityRow.user_id == self.db.user_id

    def _row(self, s: Session, shoe_id: int) -> ShoeRow | None:
        row = s.get(ShoeRow, shoe_id)
        return row if row is not None and row.user_id == self.db.user_id else None

    def add(
        self,
        name: str,
        *,
        retire_km: float,
        kind: str | None = None,
        brand: str | None = None,
        model: str | None = None,
    ) -> ShoeRecord:
        """A new pair; a name already stored (whatever its case) is a DuplicateError."""
        with self.db.transaction() as s:
            row = ShoeRow(
                user_id=self.db.user_id,
                name=name,
                kind=kind,
                brand=brand,
                model=model,
                retire_km=retire_km,
                retired=False,
            )
            s.add(row)
            s.flush()
            return _record(row)

    def get(self, shoe_id: int) -> ShoeRecord | None:
        with self.db.transaction() as s:
            row = self._row(s, shoe_id)
            return _record(row) if row is not None else None

    def by_name(self, name: str) -> ShoeRecord | None:
        """The pair of this name, whatever its case."""
        with self.db.transaction() as s:
            row = s.scalars(
                select(ShoeRow).where(
                    self._mine(), func.lower(ShoeRow.name) == name.strip().lower()
                )
            ).first()
            return _record(row) if row is not None else None

    def all(self) -> list[ShoeRecord]:
        with self.db.transaction() as s:
            return [
                _record(r)
                for r in s.scalars(select(ShoeRow).where(self._mine()).order_by(ShoeRow.id)).all()
            ]

    def update(self, shoe_id: int, **values: Any) -> ShoeRecord:
        with self.db.transaction() as s:
            row = self._row(s, shoe_id)
            if row is None:
                raise NotFoundError(f"no shoe with id {shoe_id}; see 'trailmix shoes list'.")
            for k, v in values.items():
                setattr(row, k, v)
            s.flush()
            return _record(row)

    def usage(self) -> list[ShoeUse]:
        """Every pair's distance, moving time, runs and latest run per surface: one GROUP BY,
        whatever the size of the log."""
        q = (
            select(
                ActivityRow.shoe_id,
                ActivityRow.surface,
                func.sum(ActivityRow.distance_km),
                func.sum(ActivityRow.moving_s),
                func.count(),
                func.max(ActivityRow.start_utc),
            )
            # The user's pairs' runs, found through the shoe index (a pair and the runs linked
            # to it are one user's: `set_run_shoe`, `link_gear`). Filtering on the user's runs
            # instead makes SQLite walk every run of theirs: 35 ms at 10,000 runs, not 1.
            .where(
                ActivityRow.shoe_id.in_(
                    select(ShoeRow.id).where(ShoeRow.user_id == self.db.user_id)
                )
            )
            .group_by(ActivityRow.shoe_id, ActivityRow.surface)
            .order_by(ActivityRow.shoe_id, ActivityRow.surface)
        )
        with self.db.begin() as conn:
            return [
                ShoeUse(
                    int(r[0] or 0),  # never None: the query keeps linked runs only
                    str(r[1]),
                    float(r[2] or 0.0),
                    float(r[3] or 0.0),
                    int(r[4]),
                    _utc(r[5]),
                )
                for r in conn.execute(q).all()
            ]

    def set_run_shoe(self, activity_id: int, shoe_id: int | None) -> None:
        """Link one of the user's runs to one of their pairs (None: to no pair)."""
        with self.db.transaction() as s:
            if shoe_id is not None and self._row(s, shoe_id) is None:
                raise NotFoundError(f"no shoe with id {shoe_id}; see 'trailmix shoes list'.")
            run = s.scalar(
                select(ActivityRow.id).where(self._my_runs(), ActivityRow.id == activity_id)
            )
            if run is None:
                raise NotFoundError(f"no run with id {activity_id} in the log.")
            s.execute(update(ActivityRow).where(ActivityRow.id == run).values(shoe_id=shoe_id))

    def link_gear(
        self,
        activity_ids: Sequence[int],
        kind_of: Callable[[str], str | None],
        retire_km: float,
    ) -> dict[int, int]:
        """Link these runs to the pair their export's gear names, making the pairs not stored
        yet (their kind from `kind_of(name)`, replaced at `retire_km`).
        Runs already linked keep their pair. One transaction; the pair of each run linked."""
        if not activity_ids:
            return {}
        linked: dict[int, int] = {}
        with self.db.transaction() as s:
            names = s.scalars(
                select(ActivityRow.gear)
                .where(
                    self._my_runs(),
                    ActivityRow.id.in_(activity_ids),
                    ActivityRow.gear.is_not(None),
                    ActivityRow.shoe_id.is_(None),
                )
                .distinct()
            ).all()
            for gear in sorted({n for n in names if n and n.strip()}):
                name = gear.strip()
                row = s.scalars(
                    select(ShoeRow).where(self._mine(), func.lower(ShoeRow.name) == name.lower())
                ).first()
                if row is None:
                    row = ShoeRow(
                        user_id=self.db.user_id,
                        name=name[:200],
                        kind=kind_of(name),
                        retire_km=retire_km,
                        retired=False,
                    )
                    s.add(row)
                    s.flush()
                runs = s.scalars(
                    select(ActivityRow.id).where(
                        self._my_runs(),
                        ActivityRow.id.in_(activity_ids),
                        ActivityRow.gear == gear,
                        ActivityRow.shoe_id.is_(None),
                    )
                ).all()
                linked.update(dict.fromkeys(runs, row.id))
                s.execute(
                    update(ActivityRow)
                    .where(
                        self._my_runs(),
                        ActivityRow.id.in_(activity_ids),
                        ActivityRow.gear == gear,
                        ActivityRow.shoe_id.is_(None),
                    )
                    .values(shoe_id=row.id)
                )
        return linked


def _utc(value: datetime | str | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite's max() of a timestamp is its text
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
