"""What the pages show, worked out from domain objects: the calendar grid, the weekly bars,
the R4 window, a session's trail profile and predicted time, the log's chart data.

Presentation only: no rule is decided here; every number comes from the library.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from fastapi import Request
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from trailmix.app import log as training_log
from trailmix.app import plans, shoes
from trailmix.app import predict as timing
from trailmix.app import trails as library
from trailmix.app.log import Stats
from trailmix.app.log_json import adherence_json
from trailmix.app.replan_json import judgement_json
from trailmix.app.shoes import ShoeView
from trailmix.app.store import Store
from trailmix.app.trails import TrailRecord, TrailSummary
from trailmix.domain.log.shoes import ShoeAdvice
from trailmix.domain.plan import planner
from trailmix.domain.plan.selection import repeat_hill
from trailmix.domain.rules import cap_words
from trailmix.domain.terrain.population import predict
from trailmix.domain.types import Athlete, Kind, Plan, Session, Surface, Week
from trailmix.domain.units import format_duration, format_minutes, format_pace_range
from trailmix.errors import InputError, NotFoundError, TrailmixError
from trailmix.formats.ics_export import predicted, step_lines

SHOES = {
    "road_trainer": "your road trainer",
    "hybrid": "a road-to-trail hybrid",
    "trail": "a trail shoe",
}
EASY_RPE = 3.0


def register_filters(env: Environment) -> None:
    env.filters["minutes"] = format_minutes
    env.filters["pace"] = format_pace_range
    env.filters["duration"] = format_duration
    env.tests["startswith"] = lambda text, prefix: str(text).startswith(prefix)
    env.filters["pct"] = lambda x: f"{round(100 * float(x))}%"
    env.filters["day"] = lambda d: d.strftime("%a %d %b")
    env.filters["rpe"] = lambda r: f"{r[0]}" if r[0] == r[1] else f"{r[0]}-{r[1]}"
    env.filters["whole"] = whole_ranges
    env.filters["shoe"] = shoe_words
    env.filters["cap_line"] = lambda cap: cap_words(float(cap)).replace(" ", "-") + " line (R1)"


@pass_context
def shoe_words(ctx: Context, shoe: object) -> str:
    """A session's shoe (R10) in words: the runner's own pair when the page was given
    `shoe_advice` (see `shoe_advice`: "your Speedgoat, 412 km"), else R10's kind of shoe."""
    key = str(getattr(shoe, "value", shoe) or "")
    advised = ctx.get("shoe_advice") or {}
    found = advised.get(key)
    return found.text if found is not None else SHOES.get(key, "")


def shoe_advice(db: Store) -> dict[str, ShoeAdvice]:
    """R10's advice naming the runner's pairs, by kind of shoe, for `shoe_words` and the
    session page's reasons."""
    from trailmix.app.shoe_advice import plan_advice

    return {shoe.value: a for shoe, a in plan_advice(db).items()}


_RANGE = re.compile(r"\S*\d-\d\S*")


def whole_ranges(text: str) -> Markup:
    """`text`, escaped, with each number range ("6-7", "4:54-5:00") in a no-wrap span, so a
    narrow screen never splits a range over two lines (the text itself is unchanged)."""
    return Markup(_RANGE.sub(lambda m: f'<span class="nowrap">{m[0]}</span>', str(escape(text))))


def back_link(request: Request) -> str:
    """Where a 'back' link on an error page goes: the page the form was on, if it is ours
    (a path on this site, never `//elsewhere`); app.js goes back in the history instead, which
    keeps what was typed into the form."""
    ref = request.headers.get("referer", "")
    base = str(request.base_url)
    path = ref[len(base) - 1 :] if ref.startswith(base) else "/"
    # "//evil.com" or "/\\evil.com" after our origin is another site to a browser.
    return path if path.startswith("/") and path[1:2] not in ("/", "\\") else "/"


# --- Errors in the web's words -----------------------------------------------------------------

FIELDS = {
    "--distance": ("distance", "the race distance"),
    "--race-date": ("race_date", "the race day"),
    "--race-name": ("race_name", "the race name"),
    "--goal-time": ("goal_time", "the goal time"),
    "--start": ("start", "the first day of the plan"),
    "--recent-race": ("recent_time", "the recent race"),
    "--weekly-km": ("weekly", "the weekly volume"),
    "--weekly-min": ("weekly", "the weekly volume"),
    "--days": ("days", "run days a week"),
    "--run-days": ("days", "run days a week"),
    "--long-run-day": ("long_run_day", "the long-run day"),
    "--age": ("age", "age"),
    "--sex": ("sex", "sex"),
    "--hr-max": ("hr_max", "max HR"),
    "--hr-rest": ("hr_rest", "resting HR"),
    "--trail-preference": ("trail_preference", "trail running"),
    "--trail-shoe": ("trail_shoe", "trail shoes"),
    "--trail-cap": ("trail_preference", "the trail share"),
    "--date": ("date", "the day"),
    "--name": ("name", "the name"),
    "--rename": ("name", "the name"),
    "--surface": ("surface", "the surface"),
    "--category": ("category", "the category"),
    "--technical": ("technical", "technical footing"),
    "RPE": ("rpe", "RPE"),
    "--shoe": ("shoe", "the shoe"),
    "--kind": ("kind", "the kind of shoe"),
    "--retire-km": ("retire_km", "the distance to replace it at"),
}
"""The CLI flag an error names -> the form field it belongs to and the words for it."""

_CLI_HINTS = (
    (
        re.compile(r"make one with 'trailmix plan[^']*'( \(or try 'trailmix demo'\))?"),
        "make one on the Get started page",
    ),
    (re.compile(r"create one with 'trailmix athlete set[^']*'"), "answer the Get started form"),
    (re.compile(r"see 'trailmix log list'"), "see the runs on the Log page"),
    (re.compile(r"\(see 'trailmix trails list'\)"), "(see the Trails page)"),
    (re.compile(r"add one with 'trailmix trails add[^']*'"), "add one on the Trails page"),
    (re.compile(r"\(trailmix trails hiked\)"), "('I have hiked it' on the trail's page)"),
    (re.compile(r"'trailmix [^']*'"), "the matching page"),
)
_FLAG = re.compile(r"(--[a-z][a-z-]*)( [^\s,;)]+)?")


@dataclass(frozen=True)
class WebError:
    """An error for a page: the form field it belongs to (if any) and its text in the web's
    words: no CLI flag, no command to type."""

    field: str | None
    text: str


def web_error(exc: TrailmixError) -> WebError:
    option = exc.option if isinstance(exc, InputError) else None
    text = exc.message
    if option and text.startswith(f"{option}: "):
        text = text[len(option) + 2 :]
    for pattern, words in _CLI_HINTS:
        text = pattern.sub(words, text)
    text = _FLAG.sub(lambda m: _label(m.group(1)) + (m.group(2) or ""), text)
    field = FIELDS.get(option or "", (None, ""))[0]
    return WebError(field, text)


def _label(flag: str) -> str:
    return FIELDS.get(flag, (None, "that field"))[1]


def form_limits() -> dict[str, Any]:
    """The onboarding form's min and max: the planner's own limits (tests/web checks that a
    value at each edge passes the planner and one beyond fails)."""
    return {
        "race_min_days": planner.MIN_PLAN_DAYS,
        "race_max_days": planner.MAX_PLAN_WEEKS * 7,
        "days": (planner.MIN_DAYS, planner.MAX_DAYS),
        "weekly_km": (10, 250),
        "weekly_min": (60, round(planner.MAX_WEEK_MIN * 1.5)),
        "age": (10, 100),
        "hr_max": (120, 230),
        "hr_rest": (25, 110),
    }


# --- The plan calendar -------------------------------------------------------------------------


@dataclass(frozen=True)
class DayCell:
    day: date
    sessions: tuple[Session, ...]


@dataclass(frozen=True)
class WeekView:
    week: Week
    days: tuple[DayCell, ...]
    road_min: float
    trail_min: float
    trail_share: float
    trail_cap: float
    road_pct: float
    trail_pct: float
    cap_pct: float
    badges: tuple[tuple[str, str], ...]


def week_views(plan: Plan, today: date) -> list[WeekView]:
    """Monday-to-Sunday rows; the bar's length is the week's time against the biggest week,
    split road / trail, with the cap (one third, R1) marked on it."""
    biggest = max((w.summary.total_min for w in plan.weeks), default=0.0) or 1.0
    out = []
    for w in plan.weeks:
        s = w.summary
        days = tuple(
            DayCell(w.start + timedelta(days=i), plan.sessions_on(w.start + timedelta(days=i)))
            for i in range(7)
        )
        total_pct = 100 * s.total_min / biggest
        out.append(
            WeekView(
                week=w,
                days=days,
                road_min=s.road_min,
                trail_min=s.trail_min,
                trail_share=s.trail_share,
                trail_cap=s.trail_cap,
                road_pct=round(total_pct * (1 - s.trail_share), 1),
                trail_pct=round(total_pct * s.trail_share, 1),
                cap_pct=round(total_pct * (1 - s.trail_cap), 1) if s.trail_cap else 0.0,
                badges=tuple(_badges(plan, w, today)),
            )
        )
    return out


def _badges(plan: Plan, w: Week, today: date) -> list[tuple[str, str]]:
    """Labels on a week: this week, the R4 window (first trail run, benefits expected), race."""
    marks = []
    if w.start <= today <= w.end:
        marks.append(("now", "this week"))
    a = plan.adaptation
    if a is not None:
        if w.start <= a.first_trail <= w.end:
            marks.append(("r4", f"R4: trail running starts {a.first_trail:%d %b}"))
        if w.start <= a.benefits_full and w.end >= a.benefits_from:
            marks.append(("r4w", "R4: trail benefits expected (6-8 weeks in)"))
    if w.start <= plan.race.date <= w.end:
        marks.append(("race", "race week"))
    return marks


def session_pace(s: Session) -> str:
    """The pace text of a session: only on the road (R5: trails by time and effort)."""
    if s.surface is Surface.TRAIL:
        return ""
    return format_pace_range(s.target.pace_s_per_km)


# --- One session -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HillMark:
    index: int
    from_km: float
    to_km: float
    gain_m: float
    avg_grade: float
    repeat: bool


@dataclass(frozen=True)
class TrailView:
    record: TrailRecord
    summary: TrailSummary
    chart: dict[str, Any]
    hills: tuple[HillMark, ...]
    profile_text: str
    """The chart in words, its text alternative for screen readers."""


def trail_view(rec: TrailRecord, summary: TrailSummary, mark_repeat: bool) -> TrailView:
    """A trail's profile for the browser chart, its hills, and the hill repeats would use
    (`selection.repeat_hill`, R8) when `mark_repeat`."""
    best = repeat_hill(library.as_trail(rec)) if mark_repeat else None
    hills = []
    for i, h in enumerate(rec.analysis.hills):
        hills.append(
            HillMark(
                index=i + 1,
                from_km=round(h.start_km, 3),
                to_km=round(h.start_km + h.length_m / 1000, 3),
                gain_m=h.gain_m,
                avg_grade=h.avg_grade,
                repeat=best is not None and math.isclose(best.start_km, h.start_km, abs_tol=1e-3),
            )
        )
    chart = {
        "km": [round(d / 1000, 3) for d in rec.analysis.distance_m],
        "elevation": list(rec.analysis.elevation_m),
        "hills": [
            {"from": h.from_km, "to": h.to_km, "repeat": h.repeat, "label": f"hill {h.index}"}
            for h in hills
        ],
    }
    return TrailView(rec, summary, chart, tuple(hills), _profile_text(rec.name, chart, hills))


def _profile_text(name: str, chart: dict[str, Any], hills: list[HillMark]) -> str:
    known = [e for e in chart["elevation"] if e is not None and math.isfinite(e)]
    km = chart["km"][-1] if chart["km"] else 0.0
    text = f"Elevation profile of {name}, {km:.1f} km"
    if not known:
        return text + ": no elevation data."
    text += f", from {min(known):.0f} m to {max(known):.0f} m"
    for h in hills:
        text += (
            f"; hill {h.index} from km {h.from_km:.1f} to {h.to_km:.1f}, {h.gain_m:.0f} m up"
            + (" (the repeat hill)" if h.repeat else "")
        )
    return text + "."


@dataclass(frozen=True)
class SessionView:
    session: Session
    steps: tuple[str, ...]
    predicted: str
    pace: str
    trail: TrailView | None
    lap: str


def session_view(db: Store, plan: Plan, s: Session, summary: TrailSummary | None) -> SessionView:
    """A session with its steps in words, predicted time, and its trail's profile (the repeat
    hill marked on a hill session) and one lap's predicted time at the session's effort."""
    trail = None
    lap = ""
    if s.trail is not None and summary is not None:
        rec = library.get(db, s.trail.id)
        trail = trail_view(rec, summary, mark_repeat=s.kind is Kind.HILL_REPEATS)
        if plan.paces is not None:
            # A lap at the session's effort for steady running; at easy effort (RPE 3) for
            # sessions with hard parts, whose time is in the steps.
            steady = s.kind in (Kind.EASY, Kind.RECOVERY, Kind.LONG, Kind.HIKE)
            effort = (s.target.rpe[0] + s.target.rpe[1]) / 2 if steady else EASY_RPE
            p = predict(timing.route_from_trail(db, str(rec.id)), effort, plan.paces)
            if math.isfinite(p.minutes):
                lap = (
                    f"one lap of {rec.name} ({p.distance_km:.1f} km) takes about "
                    f"{format_minutes(p.minutes)} ({format_minutes(p.low)}-"
                    f"{format_minutes(p.high)}) at RPE {effort:g}"
                )
    return SessionView(
        session=s,
        steps=tuple(step_lines(s.steps)),
        predicted=predicted(s),
        pace=session_pace(s),
        trail=trail,
        lap=lap,
    )


# --- The log's charts --------------------------------------------------------------------------


def stats_chart(st: Stats) -> dict[str, Any]:
    """Series for the browser (uPlot): load and monotony per week (Foster), road and trail
    minutes, and the ACWR trend."""
    return {
        "weeks": [w.start.isoformat() for w in st.weeks],
        "load": [round(w.load, 1) for w in st.weeks],
        "monotony": [round(w.monotony, 2) for w in st.weeks],
        "road": [round(m, 1) for m in st.road_min],
        "trail": [round(m, 1) for m in st.trail_min],
        "acwr_dates": [p.day.isoformat() for p in st.acwr],
        "acute": [round(p.acute, 1) for p in st.acwr],
        "chronic": [round(p.chronic, 1) for p in st.acwr],
    }


@dataclass(frozen=True)
class WeekBar:
    """One week's road / trail bar of the log, scaled to the biggest week, with the cap line."""

    start: date
    road_min: float
    trail_min: float
    trail_share: float
    trail_cap: float
    road_pct: float
    trail_pct: float
    cap_pct: float
    over: bool

    @property
    def total_min(self) -> float:
        return self.road_min + self.trail_min


def minutes_bars(st: Stats) -> list[WeekBar]:
    """The weekly road / trail bars of the log, with the runner's cap line (R1; none when the
    cap is 0, trails off)."""
    cap = st.trail_cap
    weeks = list(zip(st.weeks, st.road_min, st.trail_min, strict=True))
    biggest = max((road + trail for _, road, trail in weeks), default=0.0) or 1.0
    bars = []
    for w, road, trail in weeks:
        total = road + trail
        share = trail / total if total else 0.0
        pct = 100 * total / biggest
        bars.append(
            WeekBar(
                start=w.start,
                road_min=round(road, 1),
                trail_min=round(trail, 1),
                trail_share=round(share, 3),
                trail_cap=cap,
                road_pct=round(pct * (1 - share), 1),
                trail_pct=round(pct * share, 1),
                cap_pct=round(pct * (1 - cap), 1) if cap else 0.0,
                over=bool(cap) and share > cap + 1e-9,
            )
        )
    return bars


# --- Whole pages -------------------------------------------------------------------------------


def day_sessions(db: Store, plan: Plan, sessions: tuple[Session, ...]) -> list[SessionView]:
    summaries = {t.id: t for t in library.summaries(db)}
    return [
        session_view(db, plan, s, summaries.get(s.trail.id) if s.trail else None) for s in sessions
    ]


def onboarding_defaults(athlete: Athlete | None) -> dict[str, Any]:
    """The onboarding form prefilled from the stored profile."""
    a = athlete or Athlete()
    race = a.recent_race
    label = (race.label or "").lower() if race else ""
    return {
        "recent_distance": label if label in RACE_LABELS else "",
        "recent_time": format_duration(race.time_s) if race and label in RACE_LABELS else "",
        "weekly": a.weekly_min or a.weekly_km or "",
        "weekly_unit": "min" if a.weekly_min else "km",
        "days": a.days_per_week,
        "long_run_day": a.long_run_day.label,
        "age": a.age or "",
        "sex": a.sex.value if a.sex else "",
        "hr_max": a.hr_max or "",
        "hr_rest": a.hr_rest or "",
        "trail_preference": a.trail_preference.value,
        "trail_shoe": a.trail_shoe.value,
    }


RACE_LABELS = ("5k", "10k", "half", "marathon")


def week_or_none(db: Store, today: date) -> dict[str, Any] | None:
    """This week against the plan, or None with no plan or outside it."""
    try:
        report = training_log.week(db, today, today)
    except (NotFoundError, InputError):
        return None
    return adherence_json(report.adherence, report.index)


def replan_card(db: Store, today: date) -> dict[str, Any] | None:
    """The log page's "Your plan against your log": what a re-plan would judge today
    (app.replan_json's shape, as the API serves it), or None with no plan or outside it."""
    try:
        found = plans.assessment_or_none(db, today)
    except (NotFoundError, InputError):
        return None
    return judgement_json(found) if found is not None else None


# --- The log's shoes and corrections ------------------------------------------------------------

SURFACES = tuple(s.value for s in Surface)
"""The surfaces a run can be corrected to (the log page's select)."""


@dataclass(frozen=True)
class ShoesPanel:
    """The log page's shoes: each pair in use with km and hours per surface, its reminder; the
    choices of the per-run shoe select (retired pairs too: a past run was run in them)."""

    pairs: list[ShoeView]
    surfaces: tuple[str, ...]
    choices: list[tuple[int, str]]
    names: dict[int, str]
    reminders: list[str]


def shoes_panel(db: Store) -> ShoesPanel:
    every = shoes.shoes(db)
    in_use = [v for v in every if not v.record.retired]
    used = sorted({u.surface for v in in_use for u in v.surfaces})
    surfaces = tuple(dict.fromkeys([*SURFACES, *used]))
    choices = [
        (v.record.id, v.record.name + (" (retired)" if v.record.retired else "")) for v in every
    ]
    return ShoesPanel(
        in_use,
        surfaces,
        choices,
        {v.record.id: v.record.name for v in every},
        [r for v in in_use if (r := v.reminder)],
    )
