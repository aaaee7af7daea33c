"""Elevation charts on real activity files: the terminal chart (rich) and PNG / SVG plots."""

from __future__ import annotations

import io
import re
import struct
from pathlib import Path

import numpy as np
import pytest
from defusedxml.ElementTree import fromstring
from rich.console import Console, RenderableType
from rich.style import Style

from trailmix.charts.images import DPI, FIGSIZE_IN, REPEAT_COLOUR, write_elevation_plot
from trailmix.charts.terminal import REPEAT_STYLE, ROUTE_STYLE, elevation_chart, sparkline
from trailmix.domain.trail.classify import TrailAnalysis, analyse_track
from trailmix.domain.trail.model import Hill
from trailmix.errors import InputError
from trailmix.formats.readers import read_track

WIDTH = 90
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_LABEL = re.compile(r"(-?[\d,]+) m┤")


def _analyse(shared: Path, name: str) -> TrailAnalysis:
    path = shared / "data" / "activities" / "trail_hill" / name
    return analyse_track(read_track(path), name=path.stem)


@pytest.fixture(scope="module")
def heidelberg(shared: Path) -> TrailAnalysis:
    return _analyse(shared, "fr645m_heidelberg_hill_run.fit")


@pytest.fixture(scope="module")
def boulder(shared: Path) -> TrailAnalysis:
    return _analyse(shared, "boulder_fr35_run_no_altitude.fit")


def _render(chart: RenderableType) -> tuple[str, list[list[tuple[str, Style | None]]]]:
    """The chart as plain text and as (character, style) cells per line."""
    console = Console(record=True, width=100, color_system="truecolor", file=io.StringIO())
    console.print(chart)
    lines = console.render_lines(chart, console.options, pad=False)
    cells = [[(ch, seg.style) for seg in line for ch in seg.text] for line in lines]
    return console.export_text(), cells


def _plot_cells(
    cells: list[list[tuple[str, Style | None]]],
) -> list[list[tuple[str, Style | None]]]:
    """The chart rows only: the cells right of the y axis, up to the panel border."""
    rows = []
    for line in cells:
        text = "".join(ch for ch, _ in line)
        if not text.startswith("│"):
            continue  # the panel's top and bottom edges
        inner_end = text.rindex("│")  # the panel's right border
        axis = max(text.find("┤", 1, inner_end), text.find("│", 1, inner_end))
        if axis > 0:
            rows.append(line[axis + 1 : inner_end - 1])
    return rows


def test_terminal_chart_of_a_big_climb(heidelberg: TrailAnalysis) -> None:
    p = heidelberg.profile
    (hill,) = heidelberg.hills
    assert hill.suits_repeats
    text, cells = _render(
        elevation_chart(p.distance_m, p.elevation_m, heidelberg.hills, width=WIDTH, title="hd")
    )
    lines = text.splitlines()
    assert all(len(line) <= WIDTH for line in lines)

    # y labels: the lowest and highest point of the profile
    labels = sorted(float(m.replace(",", "")) for m in _LABEL.findall(text))
    assert len(labels) == 2
    assert labels[0] == pytest.approx(np.nanmin(p.elevation_m), abs=1)
    assert labels[1] == pytest.approx(np.nanmax(p.elevation_m), abs=1)

    # x axis: km labels 0 .. 5 in order on the "km" row (the route is 5.3 km)
    km_row = next(line for line in lines if line.strip(" │").startswith("km"))
    assert km_row.strip(" │").split() == ["km", "0", "1", "2", "3", "4", "5"]
    # each km label stands under a tick of the axis line just above it
    axis_row = lines[lines.index(km_row) - 1]
    ticks = [i for i, ch in enumerate(axis_row) if ch == "┬"]
    assert len(ticks) == 6
    assert all(km_row[i] in "012345" for i in ticks)

    rows = _plot_cells(cells)
    assert len(rows) == 12
    ncols = len(rows[-1])
    bottom = rows[-1]
    # every column of the bottom row is filled (the lowest point draws an eighth block)
    assert all(ch != " " for ch, _ in bottom)
    assert sum(ch == "█" for ch, _ in bottom) > ncols // 2

    # hill shading: the columns over the climb (0 to 2.02 km) in the repeat colour, the rest
    # of the route in the route colour
    repeat, route = Style.parse(REPEAT_STYLE), Style.parse(ROUTE_STYLE)
    shaded = [i for i, (_, style) in enumerate(bottom) if style == repeat]
    plain = [i for i, (_, style) in enumerate(bottom) if style == route]
    hill_end = (hill.start_km + hill.length_m / 1000) / p.length_km * ncols
    assert shaded == list(range(len(shaded)))
    assert abs(len(shaded) - hill_end) <= 1.5
    assert plain == list(range(len(shaded), ncols))

    # the summit column reaches the top row, near the highest point's km
    summit_col = np.nanargmax(p.elevation_m) / len(p.elevation_m) * ncols
    top = [i for i, (ch, _) in enumerate(rows[0]) if ch != " "]
    assert top
    assert all(abs(i - summit_col) < ncols * 0.15 for i in top)
    # a flat start at the foot of the climb is low: the first column fills under a quarter
    assert all(row[0][0] == " " for row in rows[: 12 * 3 // 4])

    # the hill's marker and the legend
    hills_row = next(line for line in lines if line.strip(" │").startswith("hills"))
    assert "▲1" in hills_row
    assert "hill for repeats" in text


def test_terminal_chart_without_elevation(boulder: TrailAnalysis) -> None:
    p = boulder.profile
    assert not p.has_elevation
    text, _ = _render(elevation_chart(p.distance_m, p.elevation_m, boulder.hills, title="b"))
    assert "no elevation data" in text
    assert "┤" not in text
    assert sparkline(p.elevation_m, 10) == " " * 10


def test_terminal_chart_flat_and_tiny_routes() -> None:
    text, cells = _render(elevation_chart([0.0, 10.0, 20.0], [100.0, 100.0, 100.0], []))
    assert _LABEL.findall(text) == ["100"]
    rows = _plot_cells(cells)
    assert {ch for ch, _ in rows[-1]} == {"▁"}  # flat: one thin line along the bottom
    assert all(ch == " " for row in rows[:-1] for ch, _ in row)

    text, _ = _render(elevation_chart([0.0], [250.0], [], width=30))
    assert "250 m┤" in text
    assert all(len(line) <= 30 for line in text.splitlines())

    hill = Hill(start_km=0.01, length_m=20, gain_m=6, avg_grade=0.3, max_grade=0.3)
    text, _ = _render(elevation_chart([0.0, 10, 20, 30], [100.0, 103, 106, 104], [hill]))
    assert sorted(_LABEL.findall(text)) == ["100", "106"]
    assert "0.01" in text  # km labels fine enough for a 30 m route
    assert "█ hill " in text and "hill for repeats" not in text


def test_sparkline_follows_the_profile() -> None:
    assert sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8) == "▁▂▃▄▅▆▇█"
    assert sparkline([5.0] * 20, 4) == "▁▁▁▁"


def test_png_plot(heidelberg: TrailAnalysis, tmp_path: Path) -> None:
    p = heidelberg.profile
    out = tmp_path / "new" / "folder" / "hd.png"
    assert write_elevation_plot(out, p.distance_m, p.elevation_m, heidelberg.hills, title="HD")
    data = out.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (int(FIGSIZE_IN[0] * DPI), int(FIGSIZE_IN[1] * DPI))
    assert b"Title\x00HD" in data  # the title in a PNG text chunk


def test_svg_plot(heidelberg: TrailAnalysis, tmp_path: Path) -> None:
    p = heidelberg.profile
    (hill,) = heidelberg.hills
    title = "Heidelberg hill run"
    out = write_elevation_plot(
        tmp_path / "hd.SVG", p.distance_m, p.elevation_m, heidelberg.hills, title=title
    )
    raw = out.read_text()
    root = fromstring(raw)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    titles = [el.text for el in root.iter() if el.tag.endswith("title")]
    assert title in titles
    # the hill: shaded in the repeat colour and labelled with its gain and grade
    assert raw.count(f"fill: {REPEAT_COLOUR}") >= 2  # the shaded span and the legend's patch
    assert f"1: +{hill.gain_m:.0f} m, {hill.avg_grade * 100:.0f} %" in raw
    assert "distance (km)" in raw and "elevation (m)" in raw


def test_plot_refuses_other_suffixes_and_no_elevation(
    heidelberg: TrailAnalysis, boulder: TrailAnalysis, tmp_path: Path
) -> None:
    p = heidelberg.profile
    with pytest.raises(InputError, match=r"\.png or \.svg") as bad:
        write_elevation_plot(tmp_path / "hd.jpg", p.distance_m, p.elevation_m, (), title="x")
    assert bad.value.option == "--plot"
    assert not (tmp_path / "hd.jpg").exists()

    b = boulder.profile
    with pytest.raises(InputError, match="no elevation") as none:
        write_elevation_plot(tmp_path / "b.png", b.distance_m, b.elevation_m, (), title="x")
    assert none.value.option == "--plot"
    assert not (tmp_path / "b.png").exists()


def test_plot_to_an_unwritable_path(heidelberg: TrailAnalysis, tmp_path: Path) -> None:
    p = heidelberg.profile
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(InputError, match="cannot write") as err:
        write_elevation_plot(blocker / "hd.png", p.distance_m, p.elevation_m, (), title="x")
    assert err.value.option == "--plot"
    assert "directory" in str(err.value).lower() or "exists" in str(err.value).lower()
