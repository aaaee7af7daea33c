"""A coach's view of one runner, from the runner's own numbers: this week planned against done,
the trail share against their cap (R1), where they are in the R4 window, missed weekly trail
runs (R2) and the load flags (monotony, the acute:chronic trend). Pure, no I/O: the numbers
come from `adherence` and the log's weekly loads, exactly as the runner's own `log week` and
`log stats` show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from trailmix.domain.log.adherence import Adherence, TrailWeeks
from trailmix.domain.log.load import AcwrPoint, WeekLoad
from trailmix.domain.rules import ADAPT_FULL_WEEKS, ADAPT_MIN_WEEKS

R2_LOOKBACK_WEEKS = 4
"""trailmix default: a coach sees the missed weekly trail runs (R2) of the last 4 weeks."""

ACWR_HIGH, ACWR_LOW = 1.5, 0.8
"""Gabbett's "danger zone" above 1.5 and the bottom of his 0.8-1.3 "sweet spot" (science.md
3): shown as a trend to look at, never as an injury prediction (Lolli 2019, Impellizzeri
2020)."""


class R4State(StrEnum):
    """Where the runner is in the 6-8 week trail adaptation window (R4)."""

    NOT_STARTED = "not started"
    BUILDING = "building"  # under 6 weeks since the first trail run
    IN_WINDOW = "in window"  # 6-8 weeks: the benefits are coming
    ADAPTED = "adapted"  # past 8 weeks


@dataclass(frozen=True)
class RunnerWeek:
    """The runner's week as the coach sees it; None where the runner has no plan (or today
    is outside it) or no log."""

    week_start: date | None
    planned_min: float | None
    done_min: float | None
    planned_trail_min: float | None
    trail_min: float | None
    trail_share: float | None
    trail_cap: float | None
    over_cap: bool
    r4: R4State
    trail_weeks: float
    weeks_with_trail: int
    missed_trail_weeks: tuple[int, ...]
    load: float | None
    monotony: float | None
    monotony_high: bool
    acwr: float | None
    acwr_flag: str | None

    @property
    def flags(self) -> tuple[str, ...]:
        """The short words a squad table shows for what needs a look."""
        out: list[str] = []
        if self.over_cap:
            out.append("over trail cap (R1)")
        if self.missed_trail_weeks:
            out.append(f"missed trail run (R2) x{len(self.missed_trail_weeks)}")
        if self.r4 is R4State.IN_WINDOW:
            out.append("in R4 window")
        if self.monotony_high:
            out.append("monotony high")
        if self.acwr_flag:
            out.append(f"load {self.acwr_flag}")
        return tuple(out)


def r4_state(tw: TrailWeeks) -> R4State:
    if tw.first_trail is None:
        return R4State.NOT_STARTED
    if tw.weeks_since_first < ADAPT_MIN_WEEKS:
        return R4State.BUILDING
    if tw.weeks_since_first < ADAPT_FULL_WEEKS:
        return R4State.IN_WINDOW
    return R4State.ADAPTED


def acwr_flag(point: AcwrPoint | None) -> str | None:
    """'rising' above 1.5, 'falling' below 0.8; None inside, without a ratio, or while the
    log is shorter than the chronic window (the ratio means little yet)."""
    if point is None or point.ratio is None or point.warming_up:
        return None
    if point.ratio > ACWR_HIGH:
        return "rising"
    if point.ratio < ACWR_LOW:
        return "falling"
    return None


def runner_week(
    adherence: Adherence | None,
    index: int | None,
    trail_weeks: TrailWeeks,
    loads: tuple[WeekLoad, ...],
    acwr: tuple[AcwrPoint, ...],
    today: date,
) -> RunnerWeek:
    """The coach's row for one runner: `adherence.weeks[index]` is this week (the runner's
    `log week`), `loads` and `acwr` the runner's `log stats`."""
    w = adherence.weeks[index] if adherence is not None and index is not None else None
    missed: tuple[int, ...] = ()
    if adherence is not None and index is not None:
        recent = adherence.weeks[max(0, index - R2_LOOKBACK_WEEKS) : index + 1]
        missed = tuple(a.week.index for a in recent if a.trail_run_kept is False)
    this = next(
        (wl for wl in loads if wl.start <= today <= wl.start.fromordinal(wl.start.toordinal() + 6)),
        None,
    )
    last_point = acwr[-1] if acwr else None
    return RunnerWeek(
        week_start=w.week.start if w else None,
        planned_min=round(w.planned_road_min + w.planned_trail_min, 1) if w else None,
        done_min=round(w.road_min + w.trail_min, 1) if w else None,
        planned_trail_min=round(w.planned_trail_min, 1) if w else None,
        trail_min=round(w.trail_min, 1) if w else None,
        trail_share=round(w.trail_share, 3) if w else None,
        trail_cap=w.trail_cap if w else None,
        over_cap=bool(w and w.over_cap),
        r4=r4_state(trail_weeks),
        trail_weeks=round(trail_weeks.weeks_since_first, 1),
        weeks_with_trail=trail_weeks.weeks_with_trail,
        missed_trail_weeks=missed,
        load=round(this.load, 1) if this else None,
        monotony=round(this.monotony, 2) if this else None,
        monotony_high=bool(this and this.monotony_high),
        acwr=round(last_point.ratio, 2) if last_point and last_point.ratio is not None else None,
        acwr_flag=acwr_flag(last_point),
    )
