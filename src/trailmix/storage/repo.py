"""Repositories: read and write domain objects; the only place that knows the tables."""

from __future__ import annotations

import json

from sqlalchemy import select, update

from trailmix.domain.trails import Hill, Trail, TrailCategory
from trailmix.domain.types import Athlete, Plan
from trailmix.errors import NotFoundError
from trailmix.formats.plan_json import (
    athlete_from_dict,
    athlete_to_dict,
    plan_from_dict,
    plan_to_dict,
)
from trailmix.storage.db import Database
from trailmix.storage.models import AthleteRow, PlanRow, TrailRow


class Athletes:
    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, athlete: Athlete) -> int:
        with self.db.transaction() as s:
            row = s.scalar(select(AthleteRow).where(AthleteRow.name == athlete.name))
            if row is None:
                row = AthleteRow(name=athlete.name, profile=athlete_to_dict(athlete))
                s.add(row)
            else:
                row.profile = athlete_to_dict(athlete)
            s.flush()
            return row.id

    def get(self, name: str | None = None) -> Athlete | None:
        """The named athlete, or the most recently updated one."""
        with self.db.transaction() as s:
            q = select(AthleteRow)
            q = (
                q.where(AthleteRow.name == name)
                if name
                else q.order_by(AthleteRow.updated_at.desc())
            )
            row = s.scalars(q).first()
            return athlete_from_dict(row.profile) if row else None


class Plans:
    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, plan: Plan) -> int:
        """Store a plan as the current one (the previous current plan is kept, not current)."""
        doc = json.dumps(plan_to_dict(plan), ensure_ascii=False)
        with self.db.transaction() as s:
            athlete = s.scalar(select(AthleteRow).where(AthleteRow.name == plan.athlete.name))
            s.execute(update(PlanRow).where(PlanRow.current.is_(True)).values(current=False))
            row = PlanRow(
                athlete_id=athlete.id if athlete else None,
                race_date=plan.race.date,
                distance=plan.race.distance.value,
                trail_preference=plan.trail_preference.value,
                current=True,
                document=doc,
            )
            s.add(row)
            s.flush()
            return row.id

    def current(self) -> Plan:
        with self.db.transaction() as s:
            row = s.scalars(select(PlanRow).where(PlanRow.current.is_(True))).first()
            if row is None:
                raise NotFoundError(
                    "no plan is stored yet; make one with 'trailmix plan --distance ... "
                    "--race-date ...' (or try 'trailmix demo')."
                )
            return plan_from_dict(json.loads(row.document))


def _trail_from_row(row: TrailRow) -> Trail:
    hills_data = row.analysis.get("hills", [])
    hills = tuple(
        Hill(
            start_km=float(h["start_km"]),
            length_m=float(h["length_m"]),
            gain_m=float(h["gain_m"]),
            avg_grade=float(h["avg_grade"]),
            max_grade=float(h["max_grade"]),
            suits_repeats=bool(h.get("suits_repeats", False)),
            suits_sprints=bool(h.get("suits_sprints", False)),
        )
        for h in (hills_data if isinstance(hills_data, list) else [])
    )
    return Trail(
        id=row.id,
        name=row.name,
        category=TrailCategory(row.category),
        length_km=row.length_km,
        gain_m=row.gain_m,
        loss_m=row.loss_m,
        hills=hills,
        hiked=row.hiked,
    )


class Trails:
    """The runner's trail library as the planner sees it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> tuple[Trail, ...]:
        with self.db.transaction() as s:
            return tuple(
                _trail_from_row(r) for r in s.scalars(select(TrailRow).order_by(TrailRow.id))
            )

    def by_ids(self, ids: list[int]) -> tuple[Trail, ...]:
        trails = {t.id: t for t in self.all()}
        missing = [i for i in ids if i not in trails]
        if missing:
            known = ", ".join(str(i) for i in sorted(trails)) or "none yet"
            raise NotFoundError(
                f"--trail: no trail with id {', '.join(map(str, missing))} (stored trails: "
                f"{known}; see 'trailmix trails list')."
            )
        return tuple(trails[i] for i in ids)
