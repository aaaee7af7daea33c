"""How long a route takes at an effort: trailmix's population time model. Pure, no I/O.

The model turns every 10 m of route into *equivalent flat metres* and divides by the runner's
flat speed at the effort asked for (R5: trail sessions are minutes at an effort):

1. **Grade** per grid step, measured over `GRADE_WINDOW_M` (50 m, the window of the hill
   analysis, docs/trails.md, on the same smoothed profile) so altimeter noise does not inflate
   the cost. Altitude that looks GPS-only (`altitude.py`) is measured over 150 m instead. A
   route with less relief than an altimeter drifts (`UNRESOLVED_RELIEF_M_PER_KM`) is flat.
2. **Grade cost** (`GRADE_CURVE`, `calibration.GradeCurve`): uphill 1 + up x g; descents
   credited down to -9 % and braked beyond (steep descents cost time again, as the GAP table,
   Tobler and Langmuir all say). The three numbers were fitted to the shared runs by the
   split-half benchmark, pulled toward the published curves (Minetti 2002, the Strava GAP
   table, Tobler; `calibration.PRIOR_CURVE`); docs/time-model.md 3 says on which files.
3. **Footing** (`footing.py`): a factor only from evidence about the ground (the runner's
   surface or tags, OpenStreetMap tags, a category the runner confirmed), never from grades.
4. **Range** (`RANGE_MODEL`): an 80 % interval that widens with the route's relief, fitted to
   the benchmark's held-out errors (quantile regression, `calibration.fit_range`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from trailmix.domain.effort import RPE
from trailmix.domain.terrain.calibration import GradeCurve, RangeModel, Terrain
from trailmix.domain.terrain.footing import FOOTING_FACTOR, NO_EVIDENCE_NOTE, Footing
from trailmix.domain.terrain.reference import MINETTI_CLIP
from trailmix.domain.trail.model import Hill, Trail, TrailCategory
from trailmix.domain.trail.profile import Profile
from trailmix.domain.types import Intensity, Paces
from trailmix.errors import InputError

FloatArray = npt.NDArray[np.float64]

GRADE_WINDOW_M = 50.0
"""trailmix default, the 50 m window of the hill analysis (docs/trails.md 3)."""

GRADE_CURVE = GradeCurve(up=1.73, credit=1.23, brake=1.82)
"""Fitted by `benchmarks/time_prediction.py --fit` on all 16 shared activities with time and
elevation (14 runs, 2 hikes; moving time by `domain.moving`, 0.5 m/s and the one-minute step
rule; ridge weight 0.01, chosen by leave-one-file-out among
`calibration.RIDGE_GRID`; docs/time-model.md 3), the Recife runs' grades taken as flat
(`resolved_grade`). 1 m of climb costs as much time as 1.7 m of
flat (Naismith 8.3, ITRA 10, Scarf 2007's road relays 4.4, the GAP table 4.6 at +10 %:
runners on their own runs push on the climbs instead of holding an equal effort); descents
save 1.23 x grade down to -9 % (x0.89 there, the GAP table x0.88) and cost 1.82 x each further
grade beyond (x1.09 at -20 %, GAP 1.08). The runs climb mostly under 20 %: steeper climbs
extrapolate the line. The benchmark's numbers for trailmix are leave-one-file-out fits, never
this one."""

SURFACE_FACTOR: dict[TrailCategory | None, float] = {
    None: 1.0,
    TrailCategory.SMOOTH: FOOTING_FACTOR[TrailCategory.SMOOTH],
    TrailCategory.DIRT: FOOTING_FACTOR[TrailCategory.DIRT],
    TrailCategory.HILLY: 1.0,
    TrailCategory.TECHNICAL: FOOTING_FACTOR[TrailCategory.TECHNICAL],
}
"""Footing factor per kind of ground (`footing.FOOTING_FACTOR`), for callers that know the
ground from OpenStreetMap tags (the discover graph); hilly is not a kind of ground (1.0)."""

RANGE_MODEL = RangeModel(base=0.0421, per_relief=0.00052)
"""80 % range: predicted x exp(-/+ (0.042 + 0.0005 x relief)), relief in metres up and down per
km: +-4.3 % on a flat route, +-8.7 % at 80 m/km. Fitted by `benchmarks/time_prediction.py
--fit` (quantile regression at 80 % of the held-out errors of the 16 shared runs); the
benchmark reports its coverage file by file, each range fitted without that file."""


UNRESOLVED_RELIEF_M_PER_KM = 8.0
"""trailmix default: a route that climbs and descends less than 8 m per km in all (about 4 m
up and 4 m down per km) is predicted flat. Such relief is within what an altimeter makes up on
flat ground: a barometer reads the air pressure, and a weather change of 1 hPa moves its
altitude by about 8 m; it also settles by metres after the start (Recife 2020-12-06, a
seafront run, reads 3.8 m at the start and 8.1 m 300 m later); a DEM or GPS is off by metres
too. What the grade curve could gain there is small: (up - credit) x 4 m per km is about
0.4 % of the time, a tenth of the split-half error of a flat run, while such fake climbs in
one half of a run moved the prediction the wrong way (docs/time-model.md 1, 3). Chosen after
seeing the Recife runs, not fitted: they measure 2-5 m per km, the next flattest file (Apple
Watch) 13, so any value between 5 and 13 gives the same benchmark."""

MIN_RPE, MAX_RPE = 1, 10
"""R5: effort on a 1-10 scale."""


@dataclass(frozen=True)
class Route:
    """A route as the time model sees it: steps of the distance grid with their grade.

    `grade` is NaN where the elevation is unknown (predicted flat, and `has_elevation` says
    so). `hills` come from the trail analysis, for the per-hill breakdown. `category` is for
    information only; the time on the ground comes from `footing` (evidence, `footing.py`).
    """

    step_m: FloatArray
    grade: FloatArray
    start_m: FloatArray
    category: TrailCategory | None = None
    hills: tuple[Hill, ...] = ()
    name: str = "route"
    has_elevation: bool = True
    footing: Footing | None = None
    relief_unresolved: bool = False

    @property
    def length_km(self) -> float:
        return float(self.step_m.sum()) / 1000.0

    @classmethod
    def from_profile(
        cls,
        profile: Profile,
        *,
        category: TrailCategory | None = None,
        hills: Iterable[Hill] = (),
        name: str = "route",
        window_m: float = GRADE_WINDOW_M,
        footing: Footing | None = None,
    ) -> Route:
        """Steps of a profile's grid, grade over `window_m`."""
        return cls.from_grid(
            profile.distance_m,
            profile.elevation_m if profile.has_elevation else None,
            profile.segment,
            category=category,
            hills=hills,
            name=name,
            window_m=window_m,
            footing=footing,
        )

    @classmethod
    def from_grid(
        cls,
        distance_m: FloatArray,
        elevation_m: FloatArray | None,
        segment: npt.NDArray[np.int64] | None = None,
        *,
        category: TrailCategory | None = None,
        hills: Iterable[Hill] = (),
        name: str = "route",
        window_m: float = GRADE_WINDOW_M,
        footing: Footing | None = None,
    ) -> Route:
        """Steps of a distance grid (e.g. a stored trail's `analysis["profile"]`), grade over
        `window_m`; steps across a segment break are left out. `elevation_m` None or all NaN
        means no elevation."""
        d = np.asarray(distance_m, np.float64)
        seg = np.zeros(len(d), np.int64) if segment is None else np.asarray(segment, np.int64)
        e = None if elevation_m is None else np.asarray(elevation_m, np.float64)
        has_ele = e is not None and bool(np.isfinite(e).any())
        if len(d) < 2:
            z = np.zeros(0)
            return cls(z, z, z, category, tuple(hills), name, has_ele, footing)
        if e is not None and has_ele and not np.isfinite(e).all():
            ok = np.isfinite(e)
            e = np.interp(d, d[ok], e[ok])
        same = (np.diff(seg) == 0) & (np.diff(d) > 0)
        grade = (
            windowed_grade(d, e, seg, window_m)
            if e is not None and has_ele
            else np.full(len(d) - 1, np.nan)
        )
        step = np.diff(d)[same]
        grade, unresolved = resolved_grade(step, grade[same])
        return cls(
            step_m=step,
            grade=grade,
            start_m=d[:-1][same],
            category=category,
            hills=tuple(hills),
            name=name,
            has_elevation=has_ele,
            footing=footing,
            relief_unresolved=unresolved,
        )

    @classmethod
    def from_trail(
        cls, trail: Trail, step_m: float = 10.0, footing: Footing | None = None
    ) -> Route:
        """A route from a trail's summary (length, gain, loss, hills) when no profile is at
        hand: each hill at its own grade, the rest of the climb and all the descent spread
        evenly over the remaining distance (half up, half down at one grade). The footing is
        the caller's evidence (`footing.footing_from_evidence`); a `Trail` alone has none."""
        length = max(trail.length_km * 1000.0, 0.0)
        hills = sorted(trail.hills, key=lambda h: h.start_km)
        pieces: list[tuple[float, float]] = []  # (length m, grade)
        hill_len = sum(h.length_m for h in hills)
        rest = max(length - hill_len, 0.0)
        rest_gain = max(trail.gain_m - sum(h.gain_m for h in hills), 0.0)
        rest_loss = max(trail.loss_m, 0.0)
        for h in hills:
            pieces.append((h.length_m, h.avg_grade))
        if rest > 0:
            climb = rest_gain + rest_loss
            if climb > 0:
                g = min(climb / rest, MINETTI_CLIP)
                up = rest * rest_gain / climb
                pieces.append((up, g))
                pieces.append((rest - up, -g))
            else:
                pieces.append((rest, 0.0))
        steps: list[float] = []
        grades: list[float] = []
        for n_m, g in pieces:
            n = int(n_m // step_m)
            steps += [step_m] * n
            grades += [g] * n
            if n_m - n * step_m > 1e-9:
                steps.append(n_m - n * step_m)
                grades.append(g)
        s = np.asarray(steps, np.float64)
        start = np.concatenate([[0.0], np.cumsum(s)[:-1]]) if len(s) else s
        grade, unresolved = resolved_grade(s, np.asarray(grades, np.float64))
        return cls(
            s,
            grade,
            start,
            trail.category,
            tuple(hills),
            trail.name,
            footing=footing,
            relief_unresolved=unresolved,
        )

    @property
    def footing_factor(self) -> float:
        return self.footing.factor if self.footing is not None else 1.0

    @property
    def relief_m_per_km(self) -> float:
        """Metres up and down per km (0 without elevation)."""
        if not self.has_elevation:
            return 0.0
        return Terrain.of(self.step_m, self.grade).relief_m_per_km


def resolved_grade(step_m: FloatArray, grade: FloatArray) -> tuple[FloatArray, bool]:
    """The grades the time model uses, and whether the route's relief was too small to tell
    from altimeter drift: under `UNRESOLVED_RELIEF_M_PER_KM` (metres up and down per km over
    the whole route) every known grade becomes 0 (unknown grades stay NaN)."""
    g = np.asarray(grade, np.float64)
    known = np.isfinite(g)
    if not known.any() or Terrain.of(step_m, g).relief_m_per_km >= UNRESOLVED_RELIEF_M_PER_KM:
        return g, False
    return np.where(known, 0.0, g), True


def windowed_grade(
    distance_m: FloatArray, elevation_m: FloatArray, segment: npt.NDArray[np.int64], window_m: float
) -> FloatArray:
    """Grade of each grid step, measured over a centred `window_m` that stays in one segment."""
    n = len(distance_m)
    step = float(np.median(np.diff(distance_m))) if n > 1 else 10.0
    k = max(1, round(window_m / step / 2))
    idx = np.arange(n)
    lo, hi = np.clip(idx - k, 0, n - 1), np.clip(idx + k, 0, n - 1)
    # stay inside the point's own segment
    while True:
        bad_lo = segment[lo] != segment
        bad_hi = segment[hi] != segment
        if not (bad_lo.any() or bad_hi.any()):
            break
        lo = np.where(bad_lo, lo + 1, lo)
        hi = np.where(bad_hi, hi - 1, hi)
    run = distance_m[hi] - distance_m[lo]
    with np.errstate(divide="ignore", invalid="ignore"):
        at_point = np.where(run > 0, (elevation_m[hi] - elevation_m[lo]) / run, 0.0)
    return np.asarray(0.5 * (at_point[:-1] + at_point[1:]), np.float64)


# ----------------------------------------------------------------------------- cost curve


def population_cost(grade: FloatArray, flat_speed_ms: float = 3.0) -> FloatArray:
    """trailmix's grade cost ratio (time on the grade / time on the flat, same effort):
    `GRADE_CURVE`. One curve for runners and hikers: fitted on both (the shared data has two
    hikes), so `flat_speed_ms` no longer switches curves; it is kept for the callers."""
    del flat_speed_ms
    return GRADE_CURVE.cost(grade)


# ----------------------------------------------------------------------------- effort


def check_effort(effort: float) -> float:
    """R5's 1-10 scale; anything else is refused with what to give."""
    if not (math.isfinite(effort) and MIN_RPE <= effort <= MAX_RPE):
        raise InputError(
            f"effort {effort:g} is outside R5's 1-10 scale (1 = easy stroll, 3 = easy run, "
            "6-7 = threshold, 10 = all-out).",
            "--effort",
        )
    return float(effort)


def flat_speed_for_effort(paces: Paces, effort: float) -> float:
    """Flat speed (m/s) at an RPE from Daniels' paces: the middle of each intensity's pace
    range at the middle of its RPE range (effort.RPE), linear in speed in between; below the
    recovery effort speed falls linearly to a 5 km/h walk at RPE 1 (trailmix default)."""
    check_effort(effort)
    anchors: list[tuple[float, float]] = [(1.0, 5.0 / 3.6)]
    for intensity in (Intensity.RECOVERY, Intensity.E, Intensity.M, Intensity.T, Intensity.I):
        lo, hi = RPE[intensity]
        pace = paces.for_intensity(intensity)
        if pace is None:
            continue
        anchors.append(((lo + hi) / 2, 2000.0 / (pace[0] + pace[1])))
    r_lo, r_hi = paces.repetition
    anchors.append((10.0, 2000.0 / (r_lo + r_hi)))
    anchors.sort()
    xs = [a for a, _ in anchors]
    vs = np.maximum.accumulate(np.asarray([v for _, v in anchors]))
    return float(np.interp(effort, xs, vs))


# ----------------------------------------------------------------------------- prediction


@dataclass(frozen=True)
class HillTime:
    """One hill of the route and the predicted minutes from its foot to its top."""

    index: int
    start_km: float
    length_m: float
    gain_m: float
    avg_grade: float
    minutes: float


@dataclass(frozen=True)
class Prediction:
    """Predicted moving time (stops excluded) with its range, per hill, and notes."""

    minutes: float
    low: float
    high: float
    per_hill: tuple[HillTime, ...]
    notes: tuple[str, ...]
    model: str
    effort: float
    flat_speed_ms: float
    distance_km: float
    flat_minutes: float

    @property
    def flat_pace_s_per_km(self) -> float:
        return 1000.0 / self.flat_speed_ms


@dataclass(frozen=True)
class TimeModel:
    """A grade cost curve and its prediction range. The population model is the default;
    `personal.PersonalModel` subclasses it with the runner's own correction. `curve` and
    `range_model` are the shipped fits unless a benchmark passes its held-out ones."""

    name: str = "population"
    notes: tuple[str, ...] = field(default=())
    curve: GradeCurve = GRADE_CURVE
    range_model: RangeModel = RANGE_MODEL

    def cost(self, grade: FloatArray, flat_speed_ms: float) -> FloatArray:
        del flat_speed_ms  # one curve for every speed (population_cost)
        return self.curve.cost(grade)

    def step_seconds(self, route: Route, flat_speed_ms: float) -> FloatArray:
        """Moving seconds of each step of the route at `flat_speed_ms`."""
        return np.asarray(
            route.step_m
            * self.cost(route.grade, flat_speed_ms)
            * route.footing_factor
            / flat_speed_ms,
            np.float64,
        )


POPULATION = TimeModel()


def resolve_flat_speed(athlete_or_flat_speed: float | Paces | None, effort: float) -> float:
    """The flat speed (m/s) at the effort: given directly, or from the runner's paces."""
    if athlete_or_flat_speed is None:
        raise InputError(
            "no flat pace known: give --flat-pace (your pace on flat road at this effort, e.g. "
            "5:30 per km), or a recent race so trailmix can work out your paces, or --history "
            "with some of your run files."
        )
    if isinstance(athlete_or_flat_speed, Paces):
        return flat_speed_for_effort(athlete_or_flat_speed, effort)
    v = float(athlete_or_flat_speed)
    if not (math.isfinite(v) and 0.3 <= v <= 12.0):
        raise InputError(
            f"a flat speed of {v:g} m/s is not a running or walking speed (0.3-12 m/s).",
            "--flat-pace",
        )
    return v


def predict(
    route: Route,
    effort: float,
    athlete_or_flat_speed: float | Paces | None,
    model: TimeModel | None = None,
) -> Prediction:
    """Predicted moving minutes for `route` at `effort` (RPE 1-10).

    `athlete_or_flat_speed` is the flat speed in m/s *at that effort*, or the runner's Daniels
    paces (the speed at the effort is then read from them). `model` defaults to the population
    model; pass a `personal.PersonalModel` for the runner's own curve.
    """
    check_effort(effort)
    v = resolve_flat_speed(athlete_or_flat_speed, effort)
    m = model or POPULATION
    secs = m.step_seconds(route, v)
    total = float(secs.sum()) / 60.0
    notes = list(m.notes)
    if not route.has_elevation:
        notes.append(
            "no elevation for this route: predicted as if it were flat, so hills will take "
            "longer than this"
        )
    if route.relief_unresolved:
        notes.append(
            f"the route climbs and descends less than {UNRESOLVED_RELIEF_M_PER_KM:.0f} m per km, "
            "within what an altimeter drifts on flat ground: predicted as flat"
        )
    notes.append(route.footing.note if route.footing is not None else NO_EVIDENCE_NOTE)
    half = m.range_model.half_width(route.relief_m_per_km)
    per_hill = tuple(
        HillTime(
            index=i + 1,
            start_km=h.start_km,
            length_m=h.length_m,
            gain_m=h.gain_m,
            avg_grade=h.avg_grade,
            minutes=_span_minutes(route, secs, h.start_km * 1000, h.length_m),
        )
        for i, h in enumerate(route.hills)
    )
    return Prediction(
        minutes=total,
        low=total * math.exp(-half),
        high=total * math.exp(half),
        per_hill=per_hill,
        notes=tuple(notes),
        model=m.name,
        effort=float(effort),
        flat_speed_ms=v,
        distance_km=route.length_km,
        flat_minutes=route.length_km * 1000 / v / 60,
    )


def _span_minutes(route: Route, secs: FloatArray, start_m: float, length_m: float) -> float:
    inside = (route.start_m >= start_m - 1e-6) & (route.start_m < start_m + length_m - 1e-6)
    return float(secs[inside].sum()) / 60.0


# ----------------------------------------------------------------------------- inverse


@dataclass(frozen=True)
class Fill:
    """How a route fills a time budget: laps (may be fractional), and the distance covered."""

    route_name: str
    lap_minutes: float
    laps: float
    distance_km: float
    minutes: float


def distance_for_minutes(
    route: Route,
    minutes: float,
    effort: float,
    athlete_or_flat_speed: float | Paces | None,
    model: TimeModel | None = None,
) -> Fill:
    """How far along `route` (repeating laps as needed) `minutes` at `effort` takes you."""
    if not (math.isfinite(minutes) and minutes > 0):
        raise InputError(f"{minutes:g} minutes is not a positive duration.", "--minutes")
    check_effort(effort)
    v = resolve_flat_speed(athlete_or_flat_speed, effort)
    m = model or POPULATION
    secs = m.step_seconds(route, v)
    lap_s = float(secs.sum())
    if lap_s <= 0:
        raise InputError(f"{route.name} has no length to run.")
    target = minutes * 60.0
    full = math.floor(target / lap_s)
    left = target - full * lap_s
    cum = np.cumsum(secs)
    k = int(np.searchsorted(cum, left))
    done_m = float(route.step_m[:k].sum())
    if k < len(secs):
        before = float(cum[k - 1]) if k else 0.0
        done_m += float(route.step_m[k]) * (left - before) / float(secs[k])
    lap_m = float(route.step_m.sum())
    return Fill(
        route_name=route.name,
        lap_minutes=lap_s / 60.0,
        laps=full + done_m / lap_m,
        distance_km=(full * lap_m + done_m) / 1000.0,
        minutes=minutes,
    )


def best_fill(
    routes: Sequence[Route],
    minutes: float,
    effort: float,
    athlete_or_flat_speed: float | Paces | None,
    model: TimeModel | None = None,
) -> list[Fill]:
    """The routes ranked by how well whole laps fill `minutes`: closest to a whole number of
    laps (at least one) first."""
    fills = [distance_for_minutes(r, minutes, effort, athlete_or_flat_speed, model) for r in routes]

    def misfit(f: Fill) -> float:
        whole = max(1.0, round(f.laps))
        return abs(f.laps - whole) * f.lap_minutes

    return sorted(fills, key=misfit)
