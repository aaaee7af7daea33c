"""An elevation profile drawn with eighth-block characters, for `trailmix trails show`.

Pure: arrays and hills in, a rich renderable out, no I/O. Each column of the chart covers an
equal share of the route and is drawn up to the highest point in it (so a summit is never
averaged away); columns on a hill are shaded, the hills that suit repeats in a stronger colour,
and a marker with the hill's number stands under each hill's foot.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from trailmix.domain.trail.model import Hill

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]

# numpy is imported by the elevation chart's functions only: `trailmix log stats` draws
# sparklines and bars, and numpy is a sixth of a second of its start.

ROUTE_STYLE = "steel_blue"
HILL_STYLE = "orange1"
REPEAT_STYLE = "bold dark_orange3"
AXIS_STYLE = "grey50"
"""Colours: the route in blue, hills in orange, hills for repeats in a deeper, bold orange."""

BLOCKS = " ▁▂▃▄▅▆▇█"
"""Index k draws the lower k eighths of a cell: each row of the chart has 8 levels."""

MIN_SPAN_M = 20.0
"""trailmix default: the vertical scale covers at least 20 m, so a route that varies by a few
metres is drawn nearly flat instead of being stretched into mountains."""

MIN_PLOT_COLUMNS = 10
MIN_TICK_GAP = 8
"""trailmix defaults: the narrowest chart still worth drawing, and the fewest columns between
two km labels so they never run together."""

_KM_STEPS = (
    0.01,
    0.02,
    0.025,
    0.05,
    0.1,
    0.2,
    0.25,
    0.5,
    1.0,
    2.0,
    2.5,
    5.0,
    10.0,
    20.0,
    25.0,
    50.0,
    100.0,
    200.0,
    500.0,
)


def elevation_chart(
    distance_m: npt.ArrayLike,
    elevation_m: npt.ArrayLike,
    hills: Sequence[Hill],
    *,
    width: int = 72,
    height: int = 12,
    title: str | Text = "",
) -> RenderableType:
    """The profile as a panel `width` characters wide with `height` rows of chart.

    Labels on the y axis give the lowest and highest elevation, the x axis is in km, hills are
    numbered in the order given (1 = the first). Without elevation (all NaN) the panel says so.
    The title is the trail's name: text, never read as Rich markup.
    """
    import numpy as np

    heading = Text(title) if isinstance(title, str) else title
    d = np.asarray(distance_m, dtype=np.float64)
    e = np.asarray(elevation_m, dtype=np.float64)
    finite = np.isfinite(e) & np.isfinite(d)
    if len(d) == 0 or not finite.any():
        return Panel(
            Text("no elevation data: the file has none, so there is no profile to draw", "italic"),
            title=heading or None,
            width=width,
        )
    lo, hi = float(e[finite].min()), float(e[finite].max())
    lo_label, hi_label = f"{lo:,.0f} m", f"{hi:,.0f} m"
    label_w = max(len(lo_label), len(hi_label), len("hills"))
    ncols = max(MIN_PLOT_COLUMNS, width - 4 - label_w - 1)
    height = max(2, height)

    d0 = float(d[finite][0])
    total = float(d[finite][-1]) - d0
    column_e = _columns(d[finite] - d0, e[finite], total, ncols)
    span = max(hi - lo, MIN_SPAN_M)
    eighths = height * 8
    levels = np.zeros(ncols, dtype=np.int64)
    known = np.isfinite(column_e)
    levels[known] = 1 + np.rint((column_e[known] - lo) / span * (eighths - 1)).astype(np.int64)
    hi_row = int(round((hi - lo) / span * (eighths - 1)) // 8)
    if hi_row == 0 and hi_label != lo_label:
        hi_row = 1  # both labels stay readable when the route rises less than one row

    styles = _column_styles(hills, d0, total, ncols)
    feet = _hill_feet(hills, d0, total, ncols)

    lines: list[Text] = []
    for row in range(height - 1, -1, -1):
        if row == hi_row:
            label = hi_label
        elif row == 0:
            label = lo_label
        else:
            label = ""
        line = Text()
        line.append(f"{label:>{label_w}}" + ("┤" if label else "│"), AXIS_STYLE)
        cells = [_cell(int(level), row) for level in levels]
        _append_runs(line, cells, styles)
        lines.append(line)

    ticks = _km_ticks(total / 1000, ncols)
    axis = ["─"] * ncols
    for _, col in ticks:
        axis[col] = "┬"
    lines.append(Text(" " * label_w).append("└" + "".join(axis), AXIS_STYLE))
    lines.append(_label_row("km", label_w, ncols, [(_km(v), col) for v, col in ticks]))
    if feet:
        marks = Text().append(f"{'hills':>{label_w}} ", AXIS_STYLE)
        row_chars = [" "] * ncols
        row_styles = [""] * ncols
        for number, col, repeats in feet:
            mark = f"▲{number}"
            if col + len(mark) > ncols:
                continue
            if any(c != " " for c in row_chars[col : col + len(mark) + 1]):
                continue
            for i, ch in enumerate(mark):
                row_chars[col + i] = ch
                row_styles[col + i] = REPEAT_STYLE if repeats else HILL_STYLE
        _append_runs(marks, "".join(row_chars).rstrip(), row_styles)
        lines.append(marks)
    lines.append(_legend(hills))
    return Panel(
        Group(*lines), title=heading or None, title_align="left", width=label_w + 1 + ncols + 4
    )


def sparkline(values: Sequence[float], width: int) -> str:
    """`values` squeezed into `width` block characters (mean per column), for one-line
    summaries; NaN-only columns are blank. Plain Python (no numpy to import for `trailmix log
    stats`), with numpy's arithmetic: the same characters as `np.linspace` and `mean` gave."""
    v = [float(x) for x in values]
    if width <= 0:
        return ""
    if not any(math.isfinite(x) for x in v):
        return " " * width
    n = len(v)
    step = n / width  # np.linspace(0, n, width + 1): c * step, the last edge n itself
    edges = [c * step for c in range(width)] + [float(n)]
    means: list[float] = []
    for c in range(width):
        a, b = int(edges[c]), max(int(edges[c]) + 1, math.ceil(edges[c + 1]))
        chunk = [x for x in v[a : min(b, n)] if math.isfinite(x)]
        means.append(_numpy_sum(chunk) / len(chunk) if chunk else math.nan)
    finite = [m for m in means if math.isfinite(m)]
    lo, hi = min(finite), max(finite)
    out = []
    for m in means:
        if not math.isfinite(m):
            out.append(" ")
        elif hi - lo <= 0:
            out.append(BLOCKS[1])
        else:
            out.append(BLOCKS[1 + round((m - lo) / (hi - lo) * 7)])
    return "".join(out)


def _numpy_sum(x: Sequence[float]) -> float:
    """numpy's sum of a short float64 array, in its order (pairwise_sum below 128 values: in
    order under 8, else 8 running sums added pairwise, then the rest), so a mean has the same
    bits as numpy's."""
    n = len(x)
    if n >= 128:
        return math.fsum(x)  # numpy recurses here; never reached by a sparkline's columns
    if n < 8:
        total = 0.0
        for value in x:
            total += value
        return total
    r = list(x[:8])
    i = 8
    while i < n - n % 8:
        for j in range(8):
            r[j] += x[i + j]
        i += 8
    total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
    for value in x[i:]:
        total += value
    return total


def _columns(d: FloatArray, e: FloatArray, total: float, ncols: int) -> FloatArray:
    """Highest elevation in each of `ncols` equal shares of the route; a column no grid point
    falls in (a route shorter than the chart is wide) takes the interpolated value."""
    import numpy as np

    if total <= 0 or len(d) < 2:
        return np.full(ncols, float(e.max()))
    centres = (np.arange(ncols) + 0.5) / ncols * total
    values = np.asarray(np.interp(centres, d, e), np.float64)
    cols = np.minimum(ncols - 1, (d / total * ncols).astype(np.int64))
    top = np.full(ncols, -np.inf)
    np.maximum.at(top, cols, e)
    hit = np.isfinite(top)
    values[hit] = top[hit]
    return values


def _column(x_m: float, total: float, ncols: int) -> int:
    if total <= 0:
        return 0
    return int(min(ncols - 1, max(0, int(x_m / total * ncols))))


def _column_styles(hills: Sequence[Hill], d0: float, total: float, ncols: int) -> list[str]:
    """The style of each column: on a hill for repeats, on another hill, or plain route."""
    import numpy as np

    styles = [ROUTE_STYLE] * ncols
    centres = d0 + (np.arange(ncols) + 0.5) / ncols * max(total, 0.0)
    for repeats_pass in (False, True):
        for hill in hills:
            if hill.suits_repeats != repeats_pass:
                continue
            start = hill.start_km * 1000
            style = REPEAT_STYLE if hill.suits_repeats else HILL_STYLE
            on = np.flatnonzero((centres >= start) & (centres <= start + hill.length_m)).tolist()
            on.append(_column(start - d0, total, ncols))
            for col in on:
                styles[col] = style
    return styles


def _hill_feet(
    hills: Sequence[Hill], d0: float, total: float, ncols: int
) -> list[tuple[int, int, bool]]:
    """(number, column of the foot, suits repeats) for each hill; hills for repeats first, so
    their marker wins when two feet share a column."""
    feet = [
        (i, _column(h.start_km * 1000 - d0, total, ncols), h.suits_repeats)
        for i, h in enumerate(hills, start=1)
    ]
    return sorted(feet, key=lambda f: (not f[2], f[0]))


def _cell(level: int, row: int) -> str:
    """The character for `row` (0 = bottom) of a column filled to `level` eighths."""
    full, part = divmod(level, 8)
    if row < full:
        return BLOCKS[8]
    if row == full:
        return BLOCKS[part]
    return " "


def _append_runs(text: Text, chars: Sequence[str], styles: Sequence[str]) -> None:
    """Append `chars` to `text`, one span per run of equal style (blanks unstyled)."""
    run, run_style = "", ""
    for ch, style in zip(chars, styles, strict=False):
        style = style if ch != " " else ""
        if style != run_style and run:
            text.append(run, run_style or None)
            run = ""
        run, run_style = run + ch, style
    if run:
        text.append(run, run_style or None)


def _km_ticks(total_km: float, ncols: int) -> list[tuple[float, int]]:
    """(km, column) of the labelled ticks: the finest round step leaving `MIN_TICK_GAP`
    columns between labels."""
    import numpy as np

    if total_km <= 0:
        return [(0.0, 0)]
    step = next((s for s in _KM_STEPS if s / total_km * ncols >= MIN_TICK_GAP), _KM_STEPS[-1])
    count = int(np.floor(total_km / step + 1e-9))
    return [(k * step, _column(k * step * 1000, total_km * 1000, ncols)) for k in range(count + 1)]


def _km(value: float) -> str:
    return f"{round(value, 2):g}"


def _label_row(name: str, label_w: int, ncols: int, labels: list[tuple[str, int]]) -> Text:
    """A row of labels centred under their columns, skipping any that would touch the last."""
    chars = [" "] * ncols
    end = -2
    for label, col in labels:
        start = max(0, min(col - len(label) // 2, ncols - len(label)))
        if start <= end + 1 or start + len(label) > len(chars):
            continue
        chars[start : start + len(label)] = label
        end = start + len(label) - 1
    return Text().append(f"{name:>{label_w}} " + "".join(chars).rstrip(), AXIS_STYLE)


def _legend(hills: Sequence[Hill]) -> Text:
    text = Text()
    text.append("█", ROUTE_STYLE)
    text.append(" route")
    if any(not h.suits_repeats for h in hills):
        text.append("   ")
        text.append("█", HILL_STYLE)
        text.append(" hill")
    if any(h.suits_repeats for h in hills):
        text.append("   ")
        text.append("█", REPEAT_STYLE)
        text.append(" hill for repeats")
    if hills:
        text.append("   ")
        text.append("▲n", AXIS_STYLE)
        text.append(" foot of hill n")
    else:
        text.append("   no hills")
    return text
