"""Rich rendering of plans for people: the weekly table, the road/trail bars, the reasons."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from trailmix.charts.bars import bar, legend
from trailmix.domain.types import Plan, Session, Shoe, Surface, Week, Weekday
from trailmix.domain.units import format_minutes, format_pace_range

if TYPE_CHECKING:
    from trailmix.domain.log.shoes import ShoeAdvice

BAR_WIDTH = 30


def _rpe(s: Session) -> str:
    lo, hi = s.target.rpe
    return f"{lo}" if lo == hi else f"{lo}-{hi}"


def _hr(s: Session) -> str:
    return f"{s.target.hr_bpm[0]}-{s.target.hr_bpm[1]}" if s.target.hr_bpm else ""


def _where(s: Session) -> str:
    if s.surface is Surface.ROAD:
        return "road"
    return s.trail.name if s.trail else "any trail (R7)"


_SHOE = {"road_trainer": "road shoe", "hybrid": "hybrid", "trail": "trail shoe"}
Advice = Mapping[Shoe, "ShoeAdvice"]
"""R10's advice naming the runner's own pairs (app.shoe_advice), by the kind of shoe."""


def _shoe(s: Session, advised: Advice) -> str:
    """The session's shoe: the runner's pair when known ("your Speedgoat, 412 km"), else
    R10's kind of shoe."""
    if s.shoe is None:
        return ""
    found = advised.get(s.shoe)
    return found.text if found is not None else _SHOE[s.shoe.value]


def _label(s: Session) -> str:
    """The session's title without the effort suffix the table shows in its own column."""
    return s.title.split(", RPE")[0]


def week_bar(week: Week, width: int = BAR_WIDTH) -> Text:
    """Road and trail minutes as one bar (road on the left, trail on the right, in characters
    as well as colours: charts/bars.py), the trail cap marked with │."""
    sm = week.summary
    text = Text()
    if sm.total_min <= 0:
        return text
    trail_cells = round(sm.trail_min / sm.total_min * width)
    road_cells = width - trail_cells
    cap_at = width - round(week.trail_cap * width) if week.trail_cap else None
    text.append(bar(road_cells, trail_cells, cap_at))
    share = f"{sm.trail_share:.0%}" + (f" of max {week.trail_cap:.0%}" if week.trail_cap else "")
    text.append(
        f" road {format_minutes(sm.road_min)}, trail {format_minutes(sm.trail_min)} ({share})"
    )
    if sm.benefits:
        text.append(f"; trails build {', '.join(b.value for b in sm.benefits)} (R12)", "dim")
    return text


WIDE = 100
"""trailmix default: below this many columns the week table folds pace, RPE and HR into one
column and time and km into another, so nothing is dropped or cut at 80 columns."""


def week_table(week: Week, hr: bool, width: int = WIDE, advised: Advice | None = None) -> Table:
    """The week's sessions; below `WIDE` columns a narrower layout with the same facts."""
    phase = week.phase.value + (", cut-back" if week.cutback else "")
    narrow = width < WIDE
    table = Table(
        title=Text(f"Week {week.index}  {week.start.isoformat()}  {phase}", style="bold"),
        title_justify="left",
        box=box.SIMPLE,
        expand=False,
        pad_edge=False,
    )
    table.add_column("Day", no_wrap=True)
    table.add_column("Session", overflow="fold", min_width=12, ratio=3 if narrow else None)
    table.add_column("Where (shoe)", overflow="fold", min_width=10, ratio=2 if narrow else None)
    if narrow:
        table.add_column("Time", justify="right", no_wrap=True)
        table.add_column("Pace/km, RPE" + (", HR" if hr else ""), no_wrap=True)
    else:
        table.add_column("Time", justify="right", no_wrap=True)
        table.add_column("km", justify="right", no_wrap=True)
        table.add_column("Pace/km", no_wrap=True)
        table.add_column("RPE", justify="center", no_wrap=True)
        if hr:
            table.add_column("HR", no_wrap=True)
    for s in week.sessions:
        style = "green" if s.surface is Surface.TRAIL else None
        if s.kind.value == "race":
            style = "bold magenta"
        where = _where(s) + (f" ({_shoe(s, advised or {})})" if s.shoe else "")
        km = f"{s.target.distance_km:g}" if s.target.distance_km else ""
        pace = format_pace_range(s.target.pace_s_per_km).removesuffix("/km")
        cells = [  # names and titles come from runners and files: Text
            f"{Weekday(s.date.weekday()).label} {s.date.strftime('%d %b')}",
            _label(s),
            where,
        ]
        if narrow:
            effort = [pace, f"RPE {_rpe(s)}"] + ([f"HR {_hr(s)}"] if hr and _hr(s) else [])
            time = format_minutes(s.duration_min) + (f"\n{km} km" if km else "")
            cells += [time, "\n".join(p for p in effort if p)]
        else:
            cells += [format_minutes(s.duration_min), km, pace, _rpe(s)]
            if hr:
                cells.append(_hr(s))
        # Every cell is plain Text: none has markup, and Rich parsing each as markup (with
        # emoji codes: "5:10-5:30" looks like one) was a fifth of the table's rendering time.
        table.add_row(*(Text(c) for c in cells), style=style)
    return table


def weekly_chart(plan: Plan) -> Panel:
    """Every week's road and trail minutes as bars, scaled to the biggest week."""
    biggest = max((w.summary.total_min for w in plan.weeks), default=0.0) or 1.0
    lines = Text()
    width = 40
    for w in plan.weeks:
        sm = w.summary
        road = round(sm.road_min / biggest * width)
        trail = round(sm.trail_min / biggest * width)
        lines.append(f"{w.index:>3} {w.phase.value:<6}")
        lines.append(bar(road, trail))
        lines.append(" " * (width - road - trail + 1))
        lines.append(f"{format_minutes(sm.total_min):>6}  trail {sm.trail_share:>4.0%}\n")
    lines.append(legend())
    return Panel(lines, title="Weekly road / trail minutes", expand=False)


def plan_header(plan: Plan) -> Panel:
    r = plan.race
    lines = [
        f"[bold]{escape(r.name or r.distance.label.capitalize())}[/] on {r.date.isoformat()} "
        f"({len(plan.weeks)} weeks from {plan.start.isoformat()})",
    ]
    if plan.paces:
        p = plan.paces
        lines.append(
            f"VDOT {p.vdot:.1f}  E {format_pace_range(p.easy)}  M {format_pace_range(p.marathon)}"
            f"  T {format_pace_range(p.threshold)}  I {format_pace_range(p.interval)}"
            f"  R {format_pace_range(p.repetition)}"
        )
    pref = plan.trail_preference.value
    lines.append(
        f"Trail preference: {pref}"
        + (f" (up to {plan.trail_cap:.0%} of each week)" if pref == "enjoy" else "")
    )
    if plan.adaptation:
        a = plan.adaptation
        lines.append(
            f"Trail benefits expected {a.benefits_from.isoformat()} to "
            f"{a.benefits_full.isoformat()} (R4)"
        )
    if plan.hr_method:
        lines.append(f"[dim]{plan.hr_method}[/]")
    return Panel("\n".join(lines), title="trailmix plan", expand=False)


def print_plan(console: Console, plan: Plan, advised: Advice | None = None) -> None:
    console.print(plan_header(plan))
    hr = any(s.target.hr_bpm for s in plan.sessions)
    for w in plan.weeks:
        console.print(week_table(w, hr, console.width, advised))
        console.print(week_bar(w, 20))  # outside the table: wrapped at words, never cropped
    console.print(weekly_chart(plan))
    print_warnings(console, plan)


def print_warnings(console: Console, plan: Plan) -> None:
    for w in plan.warnings:
        console.print(Text.assemble(("warning", "bold yellow"), f" [{w.rule}] {w.text}"))
    for n in plan.notes:
        console.print(Text.assemble(("note", "cyan"), f" [{n.rule}] {n.text}"))


def session_panel(s: Session, advised: Advice | None = None) -> Panel:
    """A session with its steps and every reason: what `trailmix explain` shows; the shoe is
    the runner's own pair when known (its reason joins the others)."""
    mine = advised.get(s.shoe) if advised and s.shoe else None
    parts: list[Text | Table] = []
    head = Text()
    head.append(f"{s.kind.value} on the {s.surface.value}", style="bold")
    head.append(f"  {format_minutes(s.duration_min)}, RPE {_rpe(s)}")
    if s.target.pace_s_per_km:
        head.append(f", pace {format_pace_range(s.target.pace_s_per_km)}")
    if s.target.hr_bpm:
        head.append(f", HR {_hr(s)}")
    parts.append(head)
    if s.surface is Surface.TRAIL:
        trail = s.trail.name if s.trail else "any trail of this kind"
        shoe = mine.text if mine else (s.shoe.value.replace("_", " ") if s.shoe else "-")
        parts.append(Text(f"Trail: {trail}. Shoe: {shoe}."))
        if s.trail_hint:
            parts.append(Text(s.trail_hint, style="dim"))
    steps = Table(box=None, show_header=False, pad_edge=False)
    for st in s.steps:
        if st.steps:
            inner = ", then ".join(
                f"{format_minutes(c.target.duration_min or 0)} {c.note}" for c in st.steps
            )
            steps.add_row(f"{st.repeat} x", Text(inner))
        else:
            steps.add_row(
                st.type.value,
                Text(f"{format_minutes(st.target.duration_min or 0)} {st.note}".strip()),
            )
    parts.append(steps)
    why = Table(box=None, show_header=False, pad_edge=False)
    why.add_column(style="bold cyan", no_wrap=True)
    why.add_column()
    for r in s.reasons + ((mine.reason,) if mine else ()):
        why.add_row(Text(r.rule), Text(r.text))
    parts.append(Text("Why:", style="bold"))
    parts.append(why)
    title = Text(f"{s.date.isoformat()}  {s.title}")
    return Panel(Group(*parts), title=title, expand=False)
