"""Reading a runner's own plan: iCalendar (coaches' calendars, training apps) and CSV, into
dated entries for `domain.imported.import_plan`.

Bytes in, entries out; every problem is a `FileFormatError` naming the file, the line or event
and what is accepted. A calendar that trailmix itself wrote carries each session (and the plan)
as X- properties, so `plan_from_ics` gives the very same plan back.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
from dateutil import parser as date_parser

from trailmix.domain.imports.plan import Entry
from trailmix.domain.imports.words import MILE_KM
from trailmix.domain.types import DateOrder, Plan
from trailmix.errors import FileFormatError
from trailmix.formats.ics_export import X_PLAN, X_SESSION, event_title
from trailmix.formats.plan_json import (
    CSV_FIELDS,
    plan_from_dict,
    session_from_dict,
    session_to_dict,
)

# CSV columns trailmix reads, by the names plans use for them.
COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date", "day", "when"),
    "title": ("title", "workout", "session", "summary", "name", "activity"),
    "description": ("description", "notes", "details", "note", "comment", "comments"),
    "duration": ("duration", "duration_min", "minutes", "time", "mins"),
    "distance": ("distance", "distance_km", "km", "kms"),
    "distance_mi": ("distance_mi", "miles", "mi"),
}
DELIMITERS = ",;\t"


def read_plan_file(
    path: Path, date_order: DateOrder | None = None, today: date | None = None
) -> list[Entry]:
    """Entries of an .ics or .csv plan file (by its suffix). `date_order` settles numeric dates
    that the column leaves ambiguous; `today` places dates written without a year."""
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileFormatError(str(path), f"cannot read it: {exc.strerror}") from None
    suffix = path.suffix.lower()
    if suffix in (".ics", ".ical", ".ifb", ".icalendar"):
        return read_ics(data, name)
    if suffix in (".csv", ".tsv", ".txt"):
        return read_csv(_decode(data, name), name, date_order, today)
    raise FileFormatError(name, "trailmix reads plans from .ics (iCalendar) or .csv files.")


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileFormatError(name, "is not UTF-8 text; save it as UTF-8 CSV.") from None


# --- iCalendar ----------------------------------------------------------------------------------


def _calendar(data: bytes, name: str) -> icalendar.Calendar:
    text = data.decode("utf-8-sig", "replace")
    if "BEGIN:VCALENDAR" not in text.upper():
        raise FileFormatError(name, "is not an iCalendar file (no BEGIN:VCALENDAR).")
    try:
        return icalendar.Calendar.from_ical(text)
    except (ValueError, KeyError, IndexError) as exc:
        raise FileFormatError(name, f"is not valid iCalendar: {exc}") from None


def _events(cal: icalendar.Calendar) -> list[Any]:
    return list(cal.walk("VEVENT"))


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def read_ics(data: bytes, name: str = "plan.ics") -> list[Entry]:
    """One entry per VEVENT that is not cancelled: its day (DTSTART), SUMMARY, DESCRIPTION, and
    for timed events the minutes from DURATION or DTEND."""
    cal = _calendar(data, name)
    events = _events(cal)
    if not events:
        raise FileFormatError(name, "has no events (VEVENT); there is no plan in it.")
    entries: list[Entry] = []
    for n, ev in enumerate(events, start=1):
        if str(ev.get("STATUS", "")).upper() == "CANCELLED":
            continue  # a session the plan no longer has (trailmix's own updates send these)
        summary = str(ev.get("SUMMARY", "")).strip()
        where = f"event {n}" + (f" {summary!r}" if summary else "")
        start = ev.get("DTSTART")
        if start is None:
            raise FileFormatError(name, f"{where} has no date (DTSTART); every session needs one.")
        if ev.get("RRULE") is not None:
            raise FileFormatError(
                name, f"{where} repeats (RRULE); give each session as its own event."
            )
        begin = start.dt
        minutes = None
        if isinstance(begin, datetime):
            length: timedelta | None = None
            if ev.get("DURATION") is not None:
                length = ev.get("DURATION").dt
            elif ev.get("DTEND") is not None and isinstance(ev.get("DTEND").dt, datetime):
                length = ev.get("DTEND").dt - begin
            if length is not None and timedelta(0) < length < timedelta(hours=8):
                minutes = round(length.total_seconds() / 60, 1)
        session = None
        raw = ev.get(X_SESSION)
        if raw is not None:
            try:
                s = session_from_dict(json.loads(str(raw)))
            except (ValueError, KeyError, TypeError):
                s = None
            # An event edited in the calendar is read from its words, not from the copy.
            if s is not None and event_title(s) == summary and s.date == _day(begin):
                session = s
        entries.append(
            Entry(
                day=_day(begin),
                title=summary,
                description=str(ev.get("DESCRIPTION", "")),
                minutes=minutes,
                where=where,
                session=session,
            )
        )
    return sorted(entries, key=lambda e: e.day)


def plan_from_ics(data: bytes, name: str = "plan.ics") -> Plan | None:
    """The exact plan of a calendar trailmix exported, or None when it is not one (or an event
    was edited, added or removed: then read it with `read_ics` and let the words speak)."""
    cal = _calendar(data, name)
    raw = cal.get(X_PLAN)
    if raw is None:
        return None
    try:
        doc = json.loads(str(raw))
    except ValueError:
        return None
    entries = read_ics(data, name)
    if any(e.session is None for e in entries) or len(entries) != doc.get("n_sessions"):
        return None
    del doc["n_sessions"]
    for w in doc["weeks"]:
        start = date.fromisoformat(w["start"])
        w["sessions"] = [
            session_to_dict(e.session)
            for e in entries
            if e.session is not None and start <= e.day <= start + timedelta(days=6)
        ]
    return plan_from_dict(doc)


# --- CSV ----------------------------------------------------------------------------------------


def _delimiter(text: str, name: str) -> str:
    header = text.splitlines()[0] if text.strip() else ""
    try:
        found = csv.Sniffer().sniff(header or text[:4096], delimiters=DELIMITERS).delimiter
    except csv.Error:
        found = ""
    if found in DELIMITERS and found:
        return found
    odd = next((c for c in "|:/ " if c in header), None)
    seen = f" (the header looks separated by {odd!r})" if odd else ""
    raise FileFormatError(
        name,
        f"cannot tell its columns apart{seen}; trailmix reads CSV separated by commas, "
        "semicolons or tabs, with a header row: date,title,description,duration,distance.",
    )


def _column_map(header: list[str], name: str) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    if tuple(names) == CSV_FIELDS[: len(names)] and "title" in names:
        # trailmix's own CSV export: read the columns that make a session, ignore the rest.
        wanted = {
            "date": "date",
            "title": "title",
            "duration": "duration_min",
            "distance": "distance_km",
        }
        return {k: names.index(v) for k, v in wanted.items()}
    found: dict[str, int] = {}
    unknown: list[str] = []
    for i, h in enumerate(names):
        key = next((k for k, aliases in COLUMNS.items() if h in aliases), None)
        if key is None:
            unknown.append(header[i].strip() or f"column {i + 1} (no name)")
        elif key in found:
            raise FileFormatError(
                name, f"has two {key} columns ({header[found[key]]!r} and {header[i]!r}); keep one."
            )
        else:
            found[key] = i
    if unknown:
        raise FileFormatError(
            name,
            f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
            "trailmix reads date, title, description, duration (minutes or h:mm) and distance "
            "(km, or distance_mi / miles).",
        )
    for need in ("date", "title"):
        if need not in found:
            raise FileFormatError(
                name,
                f"has no {need} column; the header must name date and "
                "title (description, duration and distance are optional).",
            )
    return found


_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})")
_MONTH = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?![a-z])", re.IGNORECASE
)
_WEEKDAY = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b", re.IGNORECASE)
_YEAR = re.compile(r"\b\d{4}\b|'\d{2}\b")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_GAP_DAYS = 14  # trailmix default: a plan's rows are never further apart than this
MAX_DATE_CHARS = 40  # trailmix default: more than any date ("Wednesday, 30 December 2026")
_DATES_ACCEPTED = "write it as 2027-01-04, 01/04/2027, 04.01.2027, Jan 4, 2027 or Mon 4 Jan"


def _not_a_date(name: str, line: int, text: str) -> FileFormatError:
    return FileFormatError(name, f"line {line}: {text!r} is not a date; {_DATES_ACCEPTED}.")


def _make_date(y: int, m: int, d: int, name: str, line: int, text: str) -> date:
    if y < 100:
        y += 2000
    try:
        return date(y, m, d)
    except ValueError:
        raise _not_a_date(name, line, text) from None


def _plausible(days: list[date]) -> bool:
    """In date order and never further apart than a plan's rows are."""
    return all(0 <= (b - a).days <= MAX_GAP_DAYS for a, b in itertools.pairwise(days))


def _numeric_order(
    found: list[tuple[int, str, tuple[int, int, int]]],
    name: str,
    order: DateOrder | None,
    column: Callable[[DateOrder], list[date] | None],
) -> DateOrder:
    """Day first or month first, decided from the whole column: a number above 12 settles it,
    dots are day first (no month-first plan writes them), else the one order whose dates (with
    the column's other dates) run forward day by day; asked for (`--date-order`) only when both
    readings make sense."""
    if order is not None or not found:
        return order or DateOrder.DMY
    first_big = next((f for f in found if f[2][0] > 12), None)
    second_big = next((f for f in found if f[2][1] > 12), None)
    if first_big and second_big:
        raise FileFormatError(
            name,
            f"line {first_big[0]} ({first_big[1]!r}) writes the day first but line "
            f"{second_big[0]} ({second_big[1]!r}) the month first; write all dates one way.",
        )
    if first_big:
        return DateOrder.DMY
    if second_big:
        return DateOrder.MDY
    if all("." in f[1] for f in found):
        return DateOrder.DMY
    fits = [o for o in DateOrder if (days := column(o)) is not None and _plausible(days)]
    if len(fits) == 1:
        return fits[0]
    line, text, _ = found[0]
    raise FileFormatError(
        name,
        f"line {line}: {text!r} can be read day first or month first, and the whole column "
        "does not say which; give --date-order dmy (08/12/2026 = 8 December) or --date-order "
        "mdy (12/08/2026 = December 8).",
    )


def _year_for(month: int, day: int, weekday: int | None, after: date) -> int:
    """The year of a date written without one: the first such date on or after `after`, or the
    year after when only that one falls on the weekday the plan names ("Mon 8 Dec")."""
    y = after.year
    try:
        first = y if date(y, month, day) >= after else y + 1
    except ValueError:  # 29 February
        first = y + 1
    if weekday is not None:
        for year in (first, first + 1):
            try:
                if date(year, month, day).weekday() == weekday:
                    return year
            except ValueError:
                continue
    return first


def parse_dates(
    cells: list[tuple[int, str]],
    name: str = "plan.csv",
    order: DateOrder | None = None,
    today: date | None = None,
) -> list[date]:
    """A plan's date column, (line, text) per row, read as people write dates: 2027-01-04,
    01/04/2027 (US), 04.01.2027 or 04/01/2027 (Europe), Jan 4, 2027, Mon 4 Jan. The order of
    numeric dates is decided from the whole column (`_numeric_order`); a date without a year
    takes the year its weekday names, else the next one from the row before (or `today`)."""
    numeric: list[tuple[int, str, tuple[int, int, int]]] = []
    for line, raw in cells:
        m = _NUMERIC.fullmatch(raw.strip())
        if m:
            numeric.append((line, raw.strip(), (int(m[1]), int(m[3]), int(m[4]))))

    def column(o: DateOrder) -> list[date] | None:
        try:
            return _column(cells, name, o, today)
        except FileFormatError:
            return None

    return _column(cells, name, _numeric_order(numeric, name, order, column), today)


def _column(
    cells: list[tuple[int, str]], name: str, chosen: DateOrder, today: date | None
) -> list[date]:
    out: list[date] = []
    previous = (today or date.today()) - timedelta(days=7)
    for line, raw in cells:
        t = raw.strip()
        if m := _ISO.fullmatch(t):
            day = _make_date(int(m[1]), int(m[2]), int(m[3]), name, line, t)
        elif m := _NUMERIC.fullmatch(t):
            a, b = int(m[1]), int(m[3])
            d, mo = (a, b) if chosen is DateOrder.DMY else (b, a)
            day = _make_date(int(m[4]), mo, d, name, line, t)
        elif len(t) <= MAX_DATE_CHARS and _MONTH.search(t):
            try:
                parsed = date_parser.parse(t, default=datetime(2000, 1, 1)).date()
            except (ValueError, OverflowError):
                raise _not_a_date(name, line, t) from None
            if _YEAR.search(t):
                day = parsed
            else:
                wd = _WEEKDAY.search(t)
                weekday = _WEEKDAYS.index(wd[1].lower()[:3]) if wd else None
                after = out[-1] if out else previous
                year = _year_for(parsed.month, parsed.day, weekday, after)
                day = _make_date(year, parsed.month, parsed.day, name, line, t)
        else:
            raise _not_a_date(name, line, t)
        out.append(day)
    return out


def _parse_minutes(text: str, name: str, line: int) -> float | None:
    t = text.strip().lower()
    if not t:
        return None
    m = re.fullmatch(r"(\d+):(\d{2})(?::(\d{2}))?", t)
    if m:
        h, mi, s = m.groups()
        if s is not None:
            return int(h) * 60 + int(mi) + int(s) / 60
        return int(h) * 60 + int(mi)
    m = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(min|mins|minutes|m|')?", t)
    if m:
        return float(m.group(1).replace(",", "."))
    m = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(h|hr|hrs|hours)", t)
    if m:
        return float(m.group(1).replace(",", ".")) * 60
    raise FileFormatError(
        name,
        f"line {line}: duration {text.strip()!r} is not understood; "
        "write minutes (45) or h:mm (1:15).",
    )


def _parse_km(text: str, miles: bool, name: str, line: int) -> float | None:
    t = text.strip().lower()
    if not t:
        return None
    m = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(km|k|mi|miles?)?", t)
    if not m:
        raise FileFormatError(
            name,
            f"line {line}: distance {text.strip()!r} is not understood; "
            "write km (18 or 18 km) or miles (11 mi).",
        )
    value = float(m.group(1).replace(",", "."))
    unit = m.group(2)
    if unit is not None:
        miles = unit.startswith("mi")
    return value * MILE_KM if miles else value


def read_csv(
    text: str,
    name: str = "plan.csv",
    date_order: DateOrder | None = None,
    today: date | None = None,
) -> list[Entry]:
    """One entry per row of a CSV with a header (date and title required); the date column is
    read whole (`parse_dates`)."""
    if not text.strip():
        raise FileFormatError(name, "is empty; give a header row and one row per session.")
    delimiter = _delimiter(text, name)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = rows[0]
    cols = _column_map(header, name)
    body = [
        (line, row) for line, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)
    ]
    for line, row in body:
        if len(row) > len(header) or len(row) < max(cols.values()) + 1:
            raise FileFormatError(
                name,
                f"line {line} has {len(row)} field{'s' if len(row) != 1 else ''} where the "
                f"header has {len(header)}; is it separated by another delimiter than "
                f"{delimiter!r}, or is a comma in a title not quoted?",
            )
    days = parse_dates([(line, row[cols["date"]]) for line, row in body], name, date_order, today)
    entries: list[Entry] = []
    previous: tuple[date, int] | None = None
    for (line, row), day in zip(body, days, strict=True):

        def cell(key: str, row: list[str] = row) -> str:
            return row[cols[key]] if key in cols and cols[key] < len(row) else ""

        if previous is not None:
            if day == previous[0]:
                raise FileFormatError(
                    name,
                    f"line {line}: {day.isoformat()} again (also line {previous[1]}); "
                    "trailmix plans one session a day: merge them into one row.",
                )
            if day < previous[0]:
                raise FileFormatError(
                    name,
                    f"line {line}: {day.isoformat()} comes after "
                    f"{previous[0].isoformat()} (line {previous[1]}); the rows must be in date "
                    "order.",
                )
        previous = (day, line)
        km = _parse_km(cell("distance"), False, name, line)
        if km is None:
            km = _parse_km(cell("distance_mi"), True, name, line)
        entries.append(
            Entry(
                day=day,
                title=cell("title").strip(),
                description=cell("description").strip(),
                minutes=_parse_minutes(cell("duration"), name, line),
                km=km,
                where=f"line {line}",
            )
        )
    if not entries:
        raise FileFormatError(name, "has a header but no sessions.")
    return entries
