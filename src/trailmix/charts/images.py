"""The elevation profile as a PNG or SVG file (`trailmix trails show --plot FILE`).

Drawn on a bare `matplotlib.figure.Figure` with the Agg canvas, never through `pyplot`: pyplot
keeps global state (the current figure, the backend), which a web app serving several requests
at once must not share.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from trailmix.domain.trail.model import Hill
from trailmix.errors import InputError
from trailmix.formats.files import write_file

FORMATS = {".png": "png", ".svg": "svg"}
"""File suffix to matplotlib format."""

FIGSIZE_IN = (10.0, 4.0)
DPI = 100
"""A PNG is 1000 x 400 pixels: wide enough for a route's hills, small enough for a web page."""

ROUTE_COLOUR = "#4682b4"
HILL_COLOUR = "#fdb863"
REPEAT_COLOUR = "#e66101"
"""The terminal chart's colours: route steel blue, hills orange, hills for repeats deeper."""

MIN_SPAN_M = 20.0
"""trailmix default, as in the terminal chart: the y axis covers at least 20 m, so a nearly
flat route looks nearly flat."""


def write_elevation_plot(
    path: Path,
    distance_m: npt.ArrayLike,
    elevation_m: npt.ArrayLike,
    hills: Sequence[Hill],
    *,
    title: str,
) -> Path:
    """Draw the profile with its hills shaded and labelled, and write it to `path` (.png or
    .svg, from the suffix); return `path`.

    Raises `InputError` for `--plot` on another suffix, a route without elevation, or a path
    that cannot be written (with the system's reason).
    """
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            f"cannot write a plot to {path.name!r}: use .png or .svg as the file's suffix",
            "--plot",
        )
    d = np.asarray(distance_m, dtype=np.float64)
    e = np.asarray(elevation_m, dtype=np.float64)
    finite = np.isfinite(d) & np.isfinite(e)
    if not finite.any():
        raise InputError(
            "the route has no elevation data (neither in the file nor from elevation tiles), "
            "so there is no profile to plot",
            "--plot",
        )

    figure = _draw(d / 1000, e, finite, hills, title)
    buffer = io.BytesIO()
    # metadata: the title goes into the file (PNG text chunk, SVG dc:title); no date, so the
    # same route gives the same bytes
    metadata: dict[str, str | None] = {"Title": title}
    if fmt == "svg":
        metadata["Date"] = None
    figure.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata)
    return write_file(path, buffer.getvalue(), "--plot")


def _draw(
    km: npt.NDArray[np.float64],
    e: npt.NDArray[np.float64],
    finite: npt.NDArray[np.bool_],
    hills: Sequence[Hill],
    title: str,
) -> Figure:
    figure = Figure(figsize=FIGSIZE_IN, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    lo, hi = float(e[finite].min()), float(e[finite].max())
    pad = (max(hi - lo, MIN_SPAN_M) - (hi - lo)) / 2 + 0.08 * max(hi - lo, MIN_SPAN_M)
    bottom = lo - pad
    ax.set_ylim(bottom, hi + pad + 0.12 * max(hi - lo, MIN_SPAN_M))  # room for hill labels
    ax.set_xlim(float(km[finite][0]), float(km[finite][-1]))
    ax.fill_between(km, e, bottom, where=finite, color=ROUTE_COLOUR, alpha=0.35, linewidth=0)
    ax.plot(km, e, color=ROUTE_COLOUR, linewidth=1.5)

    for number, hill in enumerate(hills, start=1):
        colour, alpha = (REPEAT_COLOUR, 0.45) if hill.suits_repeats else (HILL_COLOUR, 0.35)
        start = hill.start_km
        end = start + hill.length_m / 1000
        ax.axvspan(start, end, color=colour, alpha=alpha, linewidth=0)
        # alternate two heights so labels of neighbouring hills do not overlap
        y = 0.97 if number % 2 else 0.88
        ax.text(
            (start + end) / 2,
            y,
            f"{number}: +{hill.gain_m:.0f} m, {hill.avg_grade * 100:.0f} %",
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="top",
            fontsize=8,
            fontweight="bold" if hill.suits_repeats else "normal",
        )

    ax.set_xlabel("distance (km)")
    ax.set_ylabel("elevation (m)")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    handles = [Patch(color=ROUTE_COLOUR, alpha=0.35, label="route")]
    if any(not h.suits_repeats for h in hills):
        handles.append(Patch(color=HILL_COLOUR, alpha=0.35, label="hill"))
    if any(h.suits_repeats for h in hills):
        handles.append(Patch(color=REPEAT_COLOUR, alpha=0.45, label="hill for repeats"))
    ax.legend(handles=handles, loc="best", fontsize=8, framealpha=0.8)
    return figure
