"""The training log's charts, for `trailmix log stats`: weekly road / trail minutes against the
runner's trail cap (R1's one-third line, or their own lower `--trail-cap`), load, monotony and
strain (Foster), and the acute:chronic trend.

`weekly_bars` is a rich renderable for the terminal; `write_log_plot` writes the same picture
as a PNG or SVG. Both draw from `training_log.Stats` and do no other I/O. The plot uses a bare
`matplotlib.figure.Figure` with the Agg canvas, never `pyplot` (see charts/images.py).
"""

from __future__ import annotations

import io
import math
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from trailmix.app.log import Stats
from trailmix.charts.bars import bar, legend
from trailmix.charts.terminal import AXIS_STYLE, sparkline
from trailmix.domain.log.load import MONOTONY_HIGH, AcwrPoint
from trailmix.domain.rules import cap_words, is_full_cap
from trailmix.domain.units import format_minutes
from trailmix.errors import InputError
from trailmix.formats.files import write_file

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# matplotlib (and charts.images, which loads it) and numpy are imported where a plot is drawn:
# the terminal charts of `log stats` do not need them, and they are most of that command's start.

CAP_STYLE = "bold white"
OVER_STYLE = "bold red"
HIGH_STYLE = "bold red"
"""Terminal colours: road grey and trail green as in the plan's weekly chart (cli/render.py)."""

ROAD_COLOUR = "#9e9e9e"
TRAIL_COLOUR = "#2e8b57"
CAP_COLOUR = "#222222"
LOAD_COLOUR = "#4682b4"
MONOTONY_COLOUR = "#e66101"
TREND_COLOUR = "#555555"
"""Plot colours: the terminal's, plus steel blue for load and orange for monotony."""

BAR_WIDTH = 40
"""Characters of the longest week's bar in the terminal."""

HIGH_MARK = "▲"
"""Marks a week whose monotony is above Foster's 2.0."""

FIGSIZE_IN = (10.0, 8.0)
"""A PNG is 1000 x 800 pixels (at charts.images.DPI): three panels stacked."""

MAX_WEEK_LABELS = 16
"""trailmix default: at most this many week labels on the plot's x axis."""

SHORT_CAVEAT = (
    "Trend only: a descriptive comparison of recent and usual load, not an injury predictor "
    "(Lolli et al. 2019; Impellizzeri et al. 2020)."
)
"""The plot's one-line version of `load.CAVEAT`; the terminal shows the full text."""


def has_data(stats: Stats) -> bool:
    """Whether the window holds any run (minutes) or any load."""
    return any(m > 0 for m in (*stats.road_min, *stats.trail_min)) or any(
        w.load > 0 for w in stats.weeks
    )


def _over(road: float, trail: float, cap: float) -> bool:
    """Whether a week's trail share is over the cap (never, with no cap: trails off)."""
    total = road + trail
    return cap > 0 and total > 0 and trail / total > cap + 1e-9


def _whose(cap: float) -> str:
    return "R1's cap" if is_full_cap(cap) else "your cap (R1)"


def _trend(stats: Stats, today: date | None) -> list[AcwrPoint]:
    """The ACWR points up to `today`: later days of the current week have no load yet, and
    counting them as rest would bend the trend down."""
    return [p for p in stats.acwr if today is None or p.day <= today]


# ----------------------------------------------------------------------------- terminal


def _bar(road: float, trail: float, biggest: float, width: int, cap: float) -> Text:
    """Road then trail (charts/bars.py: the plan's convention), scaled to `biggest`; the cap
    line as │, that far from the bar's right end (red when the trail part crosses it; none
    when the cap is 0)."""
    total = road + trail
    if total <= 0 or biggest <= 0:
        return Text(" " * width)
    cells = max(1, round(total / biggest * width))
    trail_cells = round(trail / total * cells)
    cap_at = max(0, cells - 1 - int(total * cap / biggest * width)) if cap > 0 else None
    style = OVER_STYLE if _over(road, trail, cap) else CAP_STYLE
    return bar(cells - trail_cells, trail_cells, cap_at, style).append(" " * (width - cells))


def weekly_bars(
    stats: Stats, *, today: date | None = None, width: int = BAR_WIDTH
) -> RenderableType:
    """One row per week: trail and road minutes as a bar with the cap line, the trail
    share, load, monotony (▲ above 2.0, Foster) and strain; then the ACWR trend as a
    sparkline with the caveat. Days after `today` are left out of the trend."""
    title = f"Training log {stats.first.isoformat()} to {stats.last.isoformat()}"
    if not has_data(stats):
        return Panel(
            Text("no runs in these weeks yet: import some with 'trailmix log import'", "italic"),
            title=title,
            title_align="left",
        )
    biggest = max(r + t for r, t in zip(stats.road_min, stats.trail_min, strict=True))
    table = Table(box=box.SIMPLE, pad_edge=False, show_edge=False)
    table.add_column("week of", no_wrap=True)
    table.add_column(legend(), no_wrap=True, min_width=width)  # a bar is never cropped
    table.add_column("time", justify="right", no_wrap=True)
    table.add_column("trail", justify="right", no_wrap=True)
    table.add_column("load", justify="right", no_wrap=True)
    table.add_column("monotony", justify="right", no_wrap=True)
    table.add_column("strain", justify="right", no_wrap=True)
    for w, road, trail in zip(stats.weeks, stats.road_min, stats.trail_min, strict=True):
        total = road + trail
        share = trail / total if total > 0 else 0.0
        share_text = Text(f"{share:.0%}" if total > 0 else "-")
        if _over(road, trail, stats.trail_cap):
            share_text.stylize(OVER_STYLE)
        if w.load > 0:
            mono = Text(f"{w.monotony:.1f}")
            mono.append(f" {HIGH_MARK}" if w.monotony_high else "  ")
            if w.monotony_high:
                mono.stylize(HIGH_STYLE)
            load, strain = f"{w.load:,.0f}", f"{w.strain:,.0f}"
        else:
            mono, load, strain = Text("-  "), "-", "-"
        table.add_row(
            w.start.isoformat(),
            _bar(road, trail, biggest, width, stats.trail_cap),
            format_minutes(total),
            share_text,
            load,
            mono,
            strain,
        )
    parts: list[RenderableType] = [table, _legend(stats.trail_cap)]
    parts.extend(_trend_lines(stats, today, width))
    return Panel(Group(*parts), title=title, title_align="left", expand=False)


def _legend(cap: float) -> Text:
    text = Text()
    if cap > 0:
        text.append("│", CAP_STYLE)
        text.append(f" {cap_words(cap)} of the week: trail right of it is within {_whose(cap)} (")
        text.append("│", OVER_STYLE)
        text.append(" over it, see R3)\n")
    text.append(
        f"load: session-RPE (Foster 2001); {HIGH_MARK} monotony above {MONOTONY_HIGH:.1f} "
        "(Foster 1998): the days are too alike, vary hard and easy days; strain = load x "
        "monotony",
        "dim",
    )
    return text


def _trend_lines(stats: Stats, today: date | None, width: int) -> list[RenderableType]:
    points = _trend(stats, today)
    ratios = [p.ratio for p in points if p.ratio is not None]
    head = Text("\nacute:chronic load (EWMA 7 / 28 days), trend only", "bold")
    if not ratios:
        return [head, Text("no load yet, so no trend", "italic"), Text(stats.caveat, "dim")]
    values = [math.nan if p.ratio is None else p.ratio for p in points]
    line = Text()
    line.append(f"{points[0].day.isoformat()} ", AXIS_STYLE)
    line.append(sparkline(values, min(len(values), width + 30)), "cyan")
    line.append(f" {points[-1].day.isoformat()}", AXIS_STYLE)
    span = Text(f"from {min(ratios):.2f} to {max(ratios):.2f} over these days", AXIS_STYLE)
    if any(p.warming_up for p in points):
        span.append("; the log is shorter than 28 days, so the trend means little yet")
    return [head, line, span, Text(stats.caveat, "italic dim")]


# ----------------------------------------------------------------------------- PNG / SVG


def write_log_plot(path: Path, stats: Stats, *, today: date | None = None) -> Path:
    """Draw the weekly road / trail minutes with the cap line, the weekly load with
    monotony, and the ACWR trend, and write them to `path` (.png or .svg, from the suffix);
    return `path`.

    Raises `InputError` (naming `--plot`) for another suffix, weeks without any run, or a path
    that cannot be written.
    """
    from trailmix.charts.images import DPI, FORMATS

    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            f"cannot write a plot to {path.name!r}: use .png or .svg as the file's suffix",
            "--plot",
        )
    if not has_data(stats):
        raise InputError(
            f"the log has no runs from {stats.first.isoformat()} to {stats.last.isoformat()}, "
            "so there is nothing to plot yet; import some with 'trailmix log import'",
            "--plot",
        )
    title = f"trailmix training log {stats.first.isoformat()} to {stats.last.isoformat()}"
    figure = _draw(stats, today, title)
    buffer = io.BytesIO()
    metadata: dict[str, str | None] = {"Title": title}
    if fmt == "svg":
        metadata["Date"] = None  # the same log gives the same bytes
    figure.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata)
    return write_file(path, buffer.getvalue(), "--plot")


def _draw(stats: Stats, today: date | None, title: str) -> Figure:
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from trailmix.charts.images import DPI

    figure = Figure(figsize=FIGSIZE_IN, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    minutes_ax, load_ax, trend_ax = figure.subplots(
        3, 1, sharex=True, gridspec_kw={"height_ratios": [3.0, 3.0, 1.6]}
    )
    figure.suptitle(title)
    n = len(stats.weeks)
    x = np.arange(n, dtype=np.float64)
    _minutes_panel(minutes_ax, stats, x)
    _load_panel(load_ax, stats, x)
    _trend_panel(trend_ax, stats, today)
    step = max(1, math.ceil(n / MAX_WEEK_LABELS))
    trend_ax.set_xticks(x[::step])
    trend_ax.set_xticklabels(
        [w.start.strftime("%d %b %y") for w in stats.weeks[::step]],
        rotation=30,
        ha="right",
        fontsize=8,
    )
    trend_ax.set_xlim(-0.6, n - 0.4)
    trend_ax.set_xlabel("week starting")
    figure.supxlabel(SHORT_CAVEAT, fontsize=8, style="italic")
    return figure


def _minutes_panel(ax: Axes, stats: Stats, x: np.ndarray[tuple[int], np.dtype[np.float64]]) -> None:
    import numpy as np

    road = np.asarray(stats.road_min, np.float64)
    trail = np.asarray(stats.trail_min, np.float64)
    total = road + trail
    ax.bar(x, trail, width=0.7, color=TRAIL_COLOUR, label="trail")
    ax.bar(x, road, width=0.7, bottom=trail, color=ROAD_COLOUR, label="road")
    cap = stats.trail_cap
    third = is_full_cap(cap)
    has = total > 0
    if cap > 0:
        ax.hlines(
            total[has] * cap,
            x[has] - 0.42,
            x[has] + 0.42,
            colors=CAP_COLOUR,
            linewidth=2.0,
            label=f"{cap_words(cap)} of the week ({'R1' if third else 'your R1'} cap for trail)",
        )
    over = has & (cap > 0) & (trail > total * cap + 1e-9)
    mark = "over ⅓" if third else f"over {cap_words(cap)}"
    for i in np.flatnonzero(over).tolist():
        ax.text(x[i], total[i], mark, ha="center", va="bottom", fontsize=7, color="#b2182b")
    against = (
        "against the one-third line (R1)" if third else f"against your {cap_words(cap)} cap (R1)"
    )
    ax.set_title(
        "(a) Road and trail minutes per week" + (f", {against}" if cap > 0 else " (trails off)")
    )
    ax.set_ylabel("minutes")
    ax.set_ylim(0, max(float(total.max()), 1.0) * 1.3)
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(loc="best", fontsize=8, framealpha=0.8)


def _load_panel(ax: Axes, stats: Stats, x: np.ndarray[tuple[int], np.dtype[np.float64]]) -> None:
    import numpy as np

    load = np.array([w.load for w in stats.weeks], np.float64)
    mono = np.array([w.monotony if w.load > 0 else np.nan for w in stats.weeks], np.float64)
    ax.bar(x, load, width=0.7, color=LOAD_COLOUR, alpha=0.8)
    ax.set_title("(b) Weekly load (session-RPE, Foster 2001) and monotony (Foster 1998)")
    ax.set_ylabel("load (AU)")
    ax.set_ylim(0, max(float(load.max()), 1.0) * 1.3)
    ax.grid(True, axis="y", alpha=0.3)
    if not load.any():
        ax.text(
            0.5,
            0.5,
            "no load yet: runs need an RPE (trailmix log rpe DATE N)",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=9,
            style="italic",
        )
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    mono_ax = ax.twinx()
    mono_ax.plot(x, mono, color=MONOTONY_COLOUR, marker="o", markersize=4, linewidth=1.5)
    high = np.isfinite(mono) & (mono > MONOTONY_HIGH)
    mono_ax.plot(x[high], mono[high], linestyle="none", marker="o", markersize=8, color="#b2182b")
    mono_ax.axhline(MONOTONY_HIGH, color=MONOTONY_COLOUR, linestyle="--", linewidth=1.0)
    top = float(np.nanmax(mono)) if np.isfinite(mono).any() else 0.0
    mono_ax.set_ylim(0, max(top, MONOTONY_HIGH) * 1.2)
    mono_ax.set_ylabel("monotony")
    handles = [
        Patch(color=LOAD_COLOUR, alpha=0.8, label="weekly load"),
        Line2D([], [], color=MONOTONY_COLOUR, marker="o", markersize=4, label="monotony"),
        Line2D(
            [],
            [],
            color=MONOTONY_COLOUR,
            linestyle="--",
            label=f"monotony {MONOTONY_HIGH:.1f}: Foster's threshold",
        ),
    ]
    if high.any():
        handles.append(
            Line2D([], [], color="#b2182b", marker="o", linestyle="none", label="above 2.0")
        )
    ax.legend(handles=handles, loc="best", fontsize=8, framealpha=0.8)


def _trend_panel(ax: Axes, stats: Stats, today: date | None) -> None:
    import numpy as np

    points = _trend(stats, today)
    # a day sits inside its week's bar: week i covers x in [i - 0.5, i + 0.5)
    first = stats.weeks[0].start if stats.weeks else stats.first
    xs = np.array([(p.day - first).days / 7 - 0.5 + 1 / 14 for p in points], np.float64)
    ratios = np.array([np.nan if p.ratio is None else p.ratio for p in points], np.float64)
    ax.set_title("(c) Acute:chronic load (EWMA 7 / 28 days, Williams 2017): trend only")
    ax.set_ylabel("ratio")
    ax.grid(True, axis="y", alpha=0.3)
    if not np.isfinite(ratios).any():
        ax.text(0.5, 0.5, "no load yet, so no trend", transform=ax.transAxes, ha="center")
    else:
        ax.plot(xs, ratios, color=TREND_COLOUR, linewidth=1.0, label="trend only")
        warm = [p.day for p in points if p.warming_up]
        if warm:
            end = (warm[-1] + timedelta(days=1) - first).days / 7 - 0.5
            ax.axvspan(-0.5, end, color="#dddddd", alpha=0.6, linewidth=0, label="first 28 days")
        ax.legend(loc="best", fontsize=8, framealpha=0.8)
