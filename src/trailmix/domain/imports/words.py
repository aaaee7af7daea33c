"""Recognising a session from the words a coach, an app or a book wrote for it.

"Easy 40 min", "LR 11mi", "Tempo 5 km @ HMP", "6 x 800m @ 5K pace w/ 400 jog", "Rest",
"Cross-train", "Race day": `recognize` turns such a title (and its description) into a
`Recognition`: the kind, Daniels' intensity, the size (minutes or km), the structured work
(repeats, warm-up, cool-down), whether it is race-specific, how sure it is (recognised /
guessed / not understood) and the words that decided it. Pure: no I/O, no targets (the
importer prices it with the runner's paces).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from trailmix.domain.types import Intensity, Kind, RaceDistance

MILE_KM = 1.609344


class Confidence(StrEnum):
    """How sure the reading is; reported for every session, none silently dropped."""

    RECOGNISED = "recognised"
    GUESSED = "guessed"
    NOT_UNDERSTOOD = "not understood"


class Unit(StrEnum):
    """The unit a plan writes bare numbers in ("Easy 5"): km or miles."""

    KM = "km"
    MI = "mi"


@dataclass(frozen=True)
class Work:
    """The main set: `reps` rounds of work (by time or distance) with a recovery between."""

    reps: int
    intensity: Intensity
    minutes: float | None = None
    km: float | None = None
    recover_minutes: float | None = None
    recover_km: float | None = None
    pace_label: str = ""  # as written, e.g. "5K pace", "HMP", "T"
    race_pace: bool = False  # at the goal race's pace (race-specific, R3)
    sets: int = 1  # "2 sets of 4 x 400": the reps done `sets` times, a set rest between


@dataclass(frozen=True)
class Recognition:
    """What a session's text says, and how sure trailmix is about it."""

    text: str
    kind: Kind
    intensity: Intensity
    confidence: Confidence
    words: tuple[str, ...] = ()
    minutes: float | None = None
    km: float | None = None
    work: Work | None = None
    warmup_min: float | None = None
    warmup_km: float | None = None
    cooldown_min: float | None = None
    cooldown_km: float | None = None
    strides: int = 0
    race_specific: bool = False
    race: bool = False  # a race: the goal race or a tune-up
    tune_up: bool = False
    race_distance: RaceDistance | None = None
    cross_training: bool = False
    pace_s_per_km: float | None = None  # a pace written in the plan, e.g. "@ 4:30/km"
    guesses: tuple[str, ...] = field(default=())

    @property
    def summary(self) -> str:
        """A few words on how the text was read, for the runner."""
        said = ", ".join(f'"{w}"' for w in self.words) or "nothing trailmix knows"
        text = f"{self.confidence.value} from {said}"
        if self.guesses:
            text += "; guessed: " + "; ".join(self.guesses)
        return text


# --- vocabulary ------------------------------------------------------------------------------

_NUM = r"(\d+(?:[.,]\d+)?(?:\s*-\s*\d+(?:[.,]\d+)?)?)"
_DIST_UNIT = r"(km|kms|k|kilometers?|kilometres?|mi|miles?|mile|m|meters?|metres?)"
_TIME_UNIT = r"(min|mins|minutes?|'|h|hr|hrs|hours?|s|sec|secs|seconds?|\")"
_UNIT = rf"(?:{_DIST_UNIT}|{_TIME_UNIT})"
_END = r"(?![a-z])"

_PACES: list[tuple[str, str, Intensity, RaceDistance | None]] = [
    # (regex, label, intensity, the race distance this pace belongs to)
    (
        r"half[- ]?marathon pace|hmp|hm pace|half pace|13\.1 pace",
        "HMP",
        Intensity.T,
        RaceDistance.HALF,
    ),
    (r"marathon pace|mp|m pace|26\.2 pace", "MP", Intensity.M, RaceDistance.MARATHON),
    (r"10\s?k pace|10\s?k|10 ?km pace", "10K pace", Intensity.T, RaceDistance.K10),
    (r"5\s?k pace|5\s?k|5 ?km pace", "5K pace", Intensity.I, RaceDistance.K5),
    (r"(?:mile|1500m?|3\s?k) pace", "mile pace", Intensity.R, None),
    (r"goal pace|goal race pace|race pace|gp|rp", "race pace", Intensity.RACE, None),
    (r"threshold|tempo|t pace|lt|t", "T", Intensity.T, None),
    (r"interval pace|i pace|i", "I", Intensity.I, None),
    (r"rep pace|r pace|r", "R", Intensity.R, None),
    (r"e pace|e|easy", "E", Intensity.E, None),
    (r"hard|fast|strong", "hard", Intensity.I, None),
]

_REST = re.compile(r"^\s*(rest|off|day off|rest day|rest/off|off day|no run|none|-)\s*[.!]?\s*$")
_REST_WORD = re.compile(r"\b(rest day|day off|off day)\b|^\s*(rest|off)\b")
_CROSS = re.compile(
    r"\b(cross[- ]?train(?:ing)?|xt|x-train|bike|biking|cycl(?:e|ing)|swim(?:ming)?|yoga|"
    r"strength|gym|elliptical|pilates|rowing|core)\b"
)
_RACE = re.compile(r"\b(race day|goal race|race|parkrun|time trial|tune[- ]?up)\b")
_TUNE_UP = re.compile(r"\b(tune[- ]?up|parkrun|time trial|tt)\b")
_LONG = re.compile(r"\b(long run|long|lr|lsr)\b")
# Pfitzinger's "medium-long run": aerobic, but not the week's long run (so not R3's long run).
_MEDIUM_LONG = re.compile(r"\b(medium[- ]?long(?: run)?|mlr)\b")
_HILL = re.compile(r"\bhills?\b|\bhill repeats?\b")
_FARTLEK = re.compile(r"\bfartlek\b")
_TEMPO = re.compile(r"\b(tempo|threshold|cruise|lt run|lactate)\b")
_STEADY = re.compile(
    r"\b(steady|progression|progressive|moderate|mp run|marathon pace run|dress rehearsal)\b"
)
# "LT 7 mi w/ 3 mi @ tempo", "LR 16 mi w/ last 8 @ MP", "Long run 28 km incl. 15 km at MP":
# a total, and a part of it at a pace (after _normalise, "w/" reads "with").
_COMPOUND = re.compile(
    # (starts only where a number starts: linear on a long run of digits)
    r"(?<![\d.,])(?P<total>\d+(?:[.,]\d+)?)\s*(?P<tu>km|kms|k|mi|miles?)(?![a-z])[^@\d]*?"
    r"\b(?:with|incl\.?|including)\s+(?:the\s+)?(?P<pos>last|final|first|middle)?\s*"
    r"(?P<work>\d+(?:[.,]\d+)?)\s*(?P<wu>km|kms|k|mi|miles?)?(?![a-z])\s*(?=@|at\b)"
)
_RECOVERY = re.compile(r"\b(recovery|recov|shake ?out|shakeout)\b")
_EASY = re.compile(r"\b(easy|aerobic|base|general aerobic|ga|jog|e run|conversational)\b|^e\b")
_RUN = re.compile(r"\b(run|running)\b")
_INTERVALS = re.compile(r"\b(intervals?|repeats?|reps|track|speed|vo2 ?max)\b")
_STRIDES = re.compile(r"(?:(\d+)\s*(?:x\s*)?(?:\d+\s*(?:s|sec|secs|m)\s*)?)?\bstrides?\b")
_RACE_DISTANCES: list[tuple[str, RaceDistance]] = [
    (r"half[- ]?marathon|\bhalf\b|13\.1|21\.1 ?k", RaceDistance.HALF),
    (r"marathon|26\.2|42\.2 ?k", RaceDistance.MARATHON),
    (r"\b10\s?k\b|\b10 ?km\b", RaceDistance.K10),
    (r"\b5\s?k\b|\b5 ?km\b", RaceDistance.K5),
]
_CLOCK_PACE = re.compile(
    r"(\d{1,2}):(\d{2})\s*(?:-\s*\d{1,2}:\d{2}\s*)?(?:min)?\s*/\s*(km|mi|mile)"
)

# trailmix default: sizes for sessions written without one ("Easy run"), in minutes.
DEFAULT_MINUTES: dict[Kind, float] = {
    Kind.EASY: 40.0,
    Kind.RECOVERY: 30.0,
    Kind.LONG: 90.0,
    Kind.TEMPO: 50.0,
    Kind.INTERVALS: 55.0,
    Kind.HILL_REPEATS: 50.0,
    Kind.FARTLEK: 45.0,
    Kind.STEADY: 50.0,
    Kind.STRIDES: 35.0,
}

_KIND_INTENSITY = {
    Kind.EASY: Intensity.E,
    Kind.RECOVERY: Intensity.RECOVERY,
    Kind.LONG: Intensity.E,
    Kind.TEMPO: Intensity.T,
    Kind.INTERVALS: Intensity.I,
    Kind.HILL_REPEATS: Intensity.I,
    Kind.FARTLEK: Intensity.I,
    Kind.STEADY: Intensity.M,
    Kind.STRIDES: Intensity.E,
    Kind.RACE: Intensity.RACE,
    Kind.REST: Intensity.RECOVERY,
}


def _normalise(text: str) -> str:
    t = text.lower()
    for a, b in (("×", "x"), ("’", "'"), ("′", "'"), ("″", '"'), ("–", "-"), ("—", "-")):
        t = t.replace(a, b)
    t = re.sub(r"\bw/\s*", "with ", t)
    t = re.sub(r"\bw/u\b", "wu", t)
    t = re.sub(r"\bc/d\b", "cd", t)
    t = t.replace("@", " @ ")
    t = re.sub(r"(\d)\s*x\s*(?=\d)", r"\1 x ", t)
    return re.sub(r"\s+", " ", t).strip()


def _number(text: str) -> float:
    """'5' -> 5.0, '4,5' -> 4.5, '40-45' -> 42.5 (a range: its middle)."""
    parts = [float(p.replace(",", ".")) for p in re.split(r"\s*-\s*", text.strip()) if p]
    return sum(parts) / len(parts)


def _size(value: float, unit: str | None) -> tuple[float | None, float | None]:
    """(minutes, km) of a number with its unit; (None, None) when the unit is unknown."""
    if unit is None:
        return None, None
    u = unit.strip()
    if u in ("km", "kms", "k") or u.startswith("kilomet"):
        return None, value
    if u in ("mi", "mile", "miles"):
        return None, value * MILE_KM
    if u == "m" or u.startswith("met"):
        return None, value / 1000
    if u in ("h", "hr", "hrs") or u.startswith("hour"):
        return value * 60, None
    if u in ("s", "sec", "secs", '"') or u.startswith("second"):
        return value / 60, None
    return value, None  # min, mins, minutes, '


@dataclass
class _Reader:
    """Accumulates what was read while pieces of the text are consumed."""

    text: str
    unit: Unit
    words: list[str] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)

    def take(self, pattern: str | re.Pattern[str]) -> re.Match[str] | None:
        m = re.search(pattern, self.text)
        if m:
            self.words.append(m.group(0).strip())
            self.text = (self.text[: m.start()] + " " + self.text[m.end() :]).strip()
        return m

    def seen(self, pattern: re.Pattern[str]) -> str | None:
        m = pattern.search(self.text)
        if m:
            self.words.append(m.group(0).strip())
            return m.group(0)
        return None


def _pace_label(r: _Reader) -> tuple[str, Intensity, RaceDistance | None] | None:
    """A pace written after '@' or 'at' ("@ 5K pace", "@ T"), or a race pace named anywhere
    ("MP", "half marathon pace", "goal pace"); consumed from the text."""
    for pattern, label, intensity, distance in _PACES:
        if r.take(rf"(?:@|\bat)\s*\b(?:{pattern}){_END}(?:\s*(?:pace|effort)\b)?"):
            return label, intensity, distance
    for pattern, label, intensity, distance in _PACES:
        if label in _NAMED_ANYWHERE and r.take(rf"\b(?:{pattern}){_END}(?:\s*pace\b)?"):
            return label, intensity, distance
        if label in _NAMED_WITH_PACE and r.take(rf"\b(?:{pattern})\s*pace\b"):
            return label, intensity, distance
    return None


_NAMED_ANYWHERE = ("HMP", "MP", "race pace")
_NAMED_WITH_PACE = ("10K pace", "5K pace", "mile pace")


def _clock_pace(r: _Reader) -> float | None:
    m = r.take(_CLOCK_PACE)
    if not m:
        return None
    seconds = int(m.group(1)) * 60 + int(m.group(2))
    return seconds / MILE_KM if m.group(3).startswith("mi") else float(seconds)


def _warm_cool(r: _Reader, names: str) -> tuple[float | None, float | None]:
    """'15 min wu', 'wu 2 mi', '2 mile warm-up': (minutes, km) of a warm-up or cool-down."""
    m = r.take(rf"{_NUM}\s*{_UNIT}?\s*(?:{names}){_END}") or r.take(
        rf"(?:{names})\s*:?\s*{_NUM}\s*{_UNIT}?"
    )
    if not m:
        return None, None
    value = _number(m.group(1))
    unit = m.group(2) or m.group(3)
    if unit is None:
        unit = "min" if value > 5 else r.unit.value
        r.guesses.append(f"warm-up/cool-down {value:g} taken as {unit}")
    return _size(value, unit)


def _reps(r: _Reader) -> tuple[int, float | None, float | None, str | None, int] | None:
    """'6 x 800m', '2 x 20 min', '10 x 1 min', '8 x 400', '2 sets of 4 x 400': reps, the
    rep's (min, km), its unit and the number of sets."""
    m = r.take(rf"(?:(\d+)\s*sets?\s*(?:of\s*)?)?(\d+)\s*x\s*\(?\s*{_NUM}\s*{_UNIT}?{_END}")
    if not m:
        return None
    sets = int(m.group(1)) if m.group(1) else 1
    reps = int(m.group(2))
    value = _number(m.group(3))
    unit = m.group(4) or m.group(5)
    if unit is None:
        unit = "m" if value >= 100 else ("min" if value >= 3 else r.unit.value)
        if unit != "m":  # "8 x 400" is metres in every plan; anything else is a guess
            r.guesses.append(f"repeats of {value:g} taken as {unit}")
    minutes, km = _size(value, unit)
    return reps, minutes, km, unit, max(1, sets)


def _rep_time(r: _Reader, rep_km: float | None) -> float | None:
    """'8 x 400 @ 1:45': the time of each rep, as a pace (s/km) over the rep's distance."""
    if not rep_km:
        return None
    m = r.take(r"@\s*(\d{1,2}):(\d{2})\b(?!\s*/)")
    if not m:
        return None
    return (int(m.group(1)) * 60 + int(m.group(2))) / rep_km


def _recovery(r: _Reader, rep_unit: str | None) -> tuple[float | None, float | None]:
    """'with 400 jog', 'w/ 90s rec', '2 min jog recoveries', 'jog 400': the recovery's size."""
    words = r"(?:jog|rec|recovery|recoveries|rest|walk|float|easy)"
    m = r.take(rf"(?:with\s*)?{_NUM}\s*{_UNIT}?\s*{words}{_END}") or r.take(
        rf"{words}\s*:?\s*{_NUM}\s*{_UNIT}?{_END}"
    )
    if not m:
        return None, None
    value = _number(m.group(1))
    unit = m.group(2) or m.group(3)
    if unit is None:
        if rep_unit in ("m", "meters", "metres", "meter", "metre") or value >= 100:
            unit = "m"
        else:
            unit = rep_unit or "min"
    return _size(value, unit)


def _duration(r: _Reader) -> float | None:
    """'1:15' (h:mm), '1h30', '1 hr 15', '75 min', "40'": minutes, consumed from the text."""
    m = r.take(r"\b(\d{1,2}):(\d{2})(?::(\d{2}))?\b(?!\s*/)")
    if m:
        a, b, c = int(m.group(1)), int(m.group(2)), m.group(3)
        if c is not None:
            return a * 60 + b + int(c) / 60
        return a * 60 + b if a <= 3 else a + b / 60
    m = r.take(
        r"\b(\d+(?:[.,]\d+)?)\s*(?:h|hr|hrs|hours?)\s*(\d{1,2})?\s*(?:min|mins|m|')?(?![a-z])"
    )
    if m:
        return _number(m.group(1)) * 60 + (int(m.group(2)) if m.group(2) else 0)
    m = r.take(rf"{_NUM}\s*(min|mins|minutes?|'){_END}")
    if m:
        return _number(m.group(1))
    return None


def _distance(r: _Reader) -> float | None:
    m = r.take(rf"{_NUM}\s*{_DIST_UNIT}{_END}")
    if m:
        return _size(_number(m.group(1)), m.group(2))[1]
    return None


def _bare_number(r: _Reader) -> tuple[float | None, float | None]:
    """'Easy 5': a number with no unit, read in the plan's unit (or minutes when large)."""
    m = r.take(r"(?<![\d:.])\b(\d+(?:[.,]\d+)?)\b(?![\d:])")
    if not m:
        return None, None
    value = _number(m.group(1))
    if value > 30:
        r.guesses.append(f"{value:g} with no unit taken as minutes")
        return value, None
    r.guesses.append(f"{value:g} with no unit taken as {r.unit.value}")
    return _size(value, r.unit.value)


def _race_distance(text: str) -> RaceDistance | None:
    for pattern, distance in _RACE_DISTANCES:
        if re.search(pattern, text):
            return distance
    return None


def _not_understood(text: str, r: _Reader) -> Recognition:
    return Recognition(
        text=text,
        kind=Kind.REST,
        intensity=Intensity.RECOVERY,
        confidence=Confidence.NOT_UNDERSTOOD,
        words=tuple(r.words),
    )


def recognize(text: str, race: RaceDistance | None = None, unit: Unit = Unit.KM) -> Recognition:
    """Read one session's text. `race` is the goal race (its pace makes work race-specific);
    `unit` is how the plan writes bare numbers."""
    r = _Reader(_normalise(text), unit)
    if not r.text:
        return _not_understood(text, r)
    if _REST.match(r.text):
        r.words.append(r.text)
        return Recognition(
            text, Kind.REST, Intensity.RECOVERY, Confidence.RECOGNISED, tuple(r.words)
        )
    run_words = any(p.search(r.text) for p in (_LONG, _EASY, _TEMPO, _RUN, _INTERVALS, _HILL))
    cross = _CROSS.search(r.text)
    if cross and not run_words:
        r.words.append(cross.group(0))
        minutes = _duration(r)
        return Recognition(
            text,
            Kind.REST,
            Intensity.RECOVERY,
            Confidence.RECOGNISED,
            tuple(r.words),
            minutes=minutes,
            cross_training=True,
        )
    if _REST_WORD.search(r.text) and not run_words:
        r.words.append(r.text)
        return Recognition(
            text, Kind.REST, Intensity.RECOVERY, Confidence.RECOGNISED, tuple(r.words)
        )

    found = _RACE.search(r.text)
    race_word = found.group(0) if found else None
    if race_word is None and re.fullmatch(
        r"(?:the\s+)?[a-z ]*\b(half[- ]?marathon|marathon)!*", r.text
    ):
        race_word = r.text
        r.words.append(r.text)
        r.guesses.append("a race, from its name alone")
    if race_word is not None and not re.search(r"race pace|race-pace|@", r.text):
        if race_word != r.text:
            r.words.append(race_word)
        distance = _race_distance(r.text)
        tune = _TUNE_UP.search(r.text) is not None or (
            distance is not None
            and race is not None
            and distance is not race
            and "race day" not in r.text
            and "goal" not in r.text
        )
        km = None if distance else _distance(r)
        return Recognition(
            text=text,
            kind=Kind.RACE,
            intensity=Intensity.RACE,
            confidence=Confidence.GUESSED if r.guesses else Confidence.RECOGNISED,
            words=tuple(r.words),
            km=distance.km if distance else km,
            race_specific=True,
            race=True,
            tune_up=tune,
            race_distance=distance,
            guesses=tuple(r.guesses),
        )

    compound = _COMPOUND.search(r.text)
    part: tuple[float, float, str] | None = None
    if compound:
        r.words.append(compound.group(0).strip())
        r.text = (r.text[: compound.start()] + " " + r.text[compound.end() :]).strip()
        total = _size(_number(compound["total"]), compound["tu"])[1] or 0.0
        part_km = _size(_number(compound["work"]), compound["wu"] or compound["tu"])[1] or 0.0
        if 0 < part_km <= total:
            part = (total, part_km, compound["pos"] or "")
        else:
            r.guesses.append(f"{compound.group(0).strip()!r}: the part is longer than the whole")
    pace = _clock_pace(r)
    wu_min, wu_km = _warm_cool(r, r"wu|w-u|warm[- ]?up|warmup")
    cd_min, cd_km = _warm_cool(r, r"cd|c-d|cool[- ]?down|cooldown|wd|warm[- ]?down")
    strides_m = _STRIDES.search(r.text)
    n_strides = 0
    if strides_m:
        r.take(_STRIDES)
        n_strides = int(strides_m.group(1)) if strides_m.group(1) else 6
    reps = _reps(r)
    recover: tuple[float | None, float | None] = (None, None)
    if reps:
        recover = _recovery(r, reps[3])
        pace = _rep_time(r, reps[2]) or pace
    label = _pace_label(r)

    kind: Kind | None = None
    kind_word: str | None = None
    for pattern, k in (
        (_MEDIUM_LONG, Kind.EASY),
        (_LONG, Kind.LONG),
        (_HILL, Kind.HILL_REPEATS),
        (_FARTLEK, Kind.FARTLEK),
        (_TEMPO, Kind.TEMPO),
        (_STEADY, Kind.STEADY),
        (_RECOVERY, Kind.RECOVERY),
        (_INTERVALS, Kind.INTERVALS),
        (_EASY, Kind.EASY),
    ):
        kind_word = r.seen(pattern)
        if kind_word:
            kind = k
            break
    if kind is None and reps:
        kind = Kind.INTERVALS
    if kind is None and label is not None and label[1] in (Intensity.T, Intensity.M):
        kind = Kind.TEMPO if label[1] is Intensity.T else Kind.STEADY
    if kind is None and label is not None and label[1] is Intensity.RACE:
        kind = Kind.TEMPO
    if kind is None and n_strides:
        kind = Kind.STRIDES
    if kind is Kind.EASY and n_strides:
        kind = Kind.STRIDES
    if kind is Kind.INTERVALS and reps and label and label[1] in (Intensity.T, Intensity.M):
        kind = Kind.TEMPO  # cruise intervals: "2 x 20 min @ T"

    minutes = _duration(r)
    km = _distance(r) if minutes is None else None
    if minutes is None and km is None and not reps:
        minutes, km = _bare_number(r)
    if kind is None:
        if minutes is None and km is None:
            if _RUN.search(r.text):
                r.words.append("run")
                kind = Kind.EASY
                r.guesses.append("an easy run, since no kind is written")
            else:
                return _not_understood(text, r)
        else:
            kind = Kind.EASY
            r.guesses.append("an easy run, since only its size is written")

    intensity = _KIND_INTENSITY[kind]
    race_pace = False
    pace_label = ""
    part_intensity = Intensity.T  # a part at a pace not written: trailmix default
    if label is not None:
        pace_label, label_intensity, label_race = label
        if label_intensity is Intensity.RACE:
            race_pace = True
            label_intensity = Intensity.M if race is None else _race_intensity(race)
            if race is None:
                r.guesses.append("race pace without a known race: run at M")
        elif label_race is not None and label_race is race:
            race_pace = True
        part_intensity = label_intensity
        if kind not in (Kind.LONG, Kind.EASY, Kind.RECOVERY):
            intensity = label_intensity
    if kind in (Kind.HILL_REPEATS, Kind.FARTLEK) and label is None:
        intensity = Intensity.I

    work: Work | None = None
    if part is not None:
        # A total with a part at a pace: easy before (and after, unless it is the last part).
        total, part_km, where = part
        rest = total - part_km
        if where in ("last", "final"):
            wu_km, wu_min, cd_km, cd_min = rest, None, None, 0.0
        elif where == "first":
            wu_km, wu_min, cd_km, cd_min = None, 0.0, rest, None
        else:
            wu_km, wu_min, cd_km, cd_min = rest / 2, None, rest / 2, None
        if label is None:
            r.guesses.append("the part's pace is not written: run it at T")
        work = Work(1, part_intensity, None, part_km, None, None, pace_label, race_pace)
        minutes = km = None
    elif reps:
        n, rep_min, rep_km, _unit, sets = reps
        rec_min, rec_km = recover
        if rec_min is None and rec_km is None:
            # Daniels: jog recoveries as long as the repeat; cruise intervals rest 1 min.
            rec_min = rep_min if rep_min is not None else None
            rec_km = rep_km if rep_min is None else None
            if kind is Kind.TEMPO:
                rec_min, rec_km = 1.0, None
        work = Work(
            n, intensity, rep_min, rep_km, rec_min, rec_km, pace_label, race_pace, sets=sets
        )
    elif kind in (Kind.TEMPO, Kind.STEADY) and (minutes or km) and (label or kind is Kind.TEMPO):
        if minutes is not None and minutes > 30 and wu_min is None and kind is Kind.TEMPO:
            pass  # "Tempo run 50 min": the whole session, warm-up and cool-down included
        else:
            work = Work(1, intensity, minutes, km, None, None, pace_label, race_pace)
            minutes = km = None

    if kind is not Kind.LONG and minutes is None and km is None and work is None:
        minutes = DEFAULT_MINUTES.get(kind, 40.0)
        r.guesses.append(f"{minutes:g} min, since no size is written (trailmix default)")
    elif kind is Kind.LONG and minutes is None and km is None and work is None:
        minutes = DEFAULT_MINUTES[Kind.LONG]
        r.guesses.append(f"{minutes:g} min, since no size is written (trailmix default)")

    # Numbers left unread mean part of the session was not understood: say "guessed".
    unread = re.findall(r"(?<![a-z\d])\d+(?:[.,:]\d+)*\s*[a-z%]*", r.text)
    if unread:
        r.guesses.append("not read: " + ", ".join(repr(u.strip()) for u in unread))
    specific = race_pace or (
        kind is Kind.LONG
        and pace_label != ""
        and label is not None
        and label[2] is race
        and race is not None
    )
    return Recognition(
        text=text,
        kind=kind,
        intensity=intensity,
        confidence=Confidence.GUESSED if r.guesses else Confidence.RECOGNISED,
        words=tuple(r.words),
        minutes=round(minutes, 2) if minutes is not None else None,
        km=round(km, 3) if km is not None else None,
        work=work,
        warmup_min=wu_min,
        warmup_km=wu_km,
        cooldown_min=cd_min,
        cooldown_km=cd_km,
        strides=n_strides,
        race_specific=specific,
        pace_s_per_km=pace,
        guesses=tuple(r.guesses),
    )


def _race_intensity(race: RaceDistance) -> Intensity:
    """The Daniels intensity nearest a race's pace (trailmix default)."""
    return {
        RaceDistance.K5: Intensity.I,
        RaceDistance.K10: Intensity.T,
        RaceDistance.HALF: Intensity.T,
        RaceDistance.MARATHON: Intensity.M,
    }[race]


def dominant_unit(texts: list[str]) -> Unit:
    """Miles when a plan writes more distances in miles than in km (for its bare numbers)."""
    miles = km = 0
    for t in texts:
        n = _normalise(t)
        miles += len(re.findall(r"\d\s*(?:mi|miles?)\b", n))
        km += len(re.findall(r"\d\s*(?:km|k)\b", n))
    return Unit.MI if miles > km else Unit.KM
