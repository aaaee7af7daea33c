"""The training log's charts: the terminal table of weekly bars, and the PNG / SVG plot."""

from __future__ import annotations

import io
import struct
from datetime import date, timedelta
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring
from rich.console import Console
from rich.segment import Segment
from rich.style import Style

from trailmix.app.log import Stats
from trailmix.charts.images import DPI
from trailmix.charts.log_charts import (
    FIGSIZE_IN,
    HIGH_MARK,
    OVER_STYLE,
    weekly_bars,
    write_log_plot,
)
from trailmix.domain.log.load import CAVEAT, acwr, daily_loads, weekly_loads
from trailmix.errors import InputError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MON = date(2027, 3, 1)

Run = tuple[date, float, str, float]  # day, minutes, surface, RPE


def _stats(runs: list[Run], weeks: int, no_rpe: int = 0) -> Stats:
    """Stats as `training_log.stats` builds them, from runs given by hand."""
    first, last = MON, MON + timedelta(weeks=weeks, days=-1)
    days = daily_loads([(d, m * rpe) for d, m, _, rpe in runs], first - timedelta(56), last)
    week_loads = weekly_loads([d for d in days if d.day >= first])

    def minutes(start: date, surface: str) -> float:
        return sum(m for d, m, s, _ in runs if s == surface and start <= d < start + timedelta(7))

    return Stats(
        first=first,
        last=last,
        weeks=week_loads,
        road_min=tuple(minutes(w.start, "road") for w in week_loads),
        trail_min=tuple(minutes(w.start, "trail") for w in week_loads),
        acwr=tuple(p for p in acwr(days) if p.day >= first),
        caveat=CAVEAT,
        runs_without_rpe=no_rpe,
    )


@pytest.fixture(scope="module")
def five_weeks() -> Stats:
    """Weeks 1-2 varied with some trail; week 3 the same 40 min every day (monotony capped at
    10); week 4 empty; week 5 half on trail (over the one-third cap)."""
    runs: list[Run] = []
    for w in (0, 1):
        base = MON + timedelta(weeks=w)
        runs += [
            (base, 45, "road", 3),
            (base + timedelta(2), 60, "road", 6),
            (base + timedelta(4), 30 + 10 * w, "trail", 3),
            (base + timedelta(6), 100, "road", 4),
        ]
    runs += [(MON + timedelta(weeks=2, days=i), 40, "road", 4) for i in range(7)]
    base = MON + timedelta(weeks=4)
    runs += [(base, 60, "road", 4), (base + timedelta(3), 60, "trail", 3)]
    return _stats(runs, 5, no_rpe=1)


def _render(stats: Stats) -> tuple[str, list[Segment]]:
    console = Console(file=io.StringIO(), width=120, record=True, color_system="truecolor")
    chart = weekly_bars(stats, today=MON + timedelta(weeks=4, days=4))
    console.print(chart)
    segments = list(console.render(chart))
    return console.export_text(), segments


def test_terminal_chart_shows_every_week_and_flags_monotony(five_weeks: Stats) -> None:
    assert [w.monotony_high for w in five_weeks.weeks] == [False, False, True, False, False]
    text, segments = _render(five_weeks)
    lines = {
        w.start: next(
            ln for ln in text.splitlines() if ln.lstrip("│ ").startswith(w.start.isoformat())
        )
        for w in five_weeks.weeks
    }
    assert len(lines) == 5
    for w, road, trail in zip(
        five_weeks.weeks, five_weeks.road_min, five_weeks.trail_min, strict=True
    ):
        line = lines[w.start]
        assert (HIGH_MARK in line) is w.monotony_high
        bar = line.split(w.start.isoformat(), 1)[1].strip().split("  ")[0]
        assert ("│" in bar) is (road + trail > 0)  # the one-third line on every bar
    assert "10.0 ▲" in lines[MON + timedelta(weeks=2)]
    assert "50%" in lines[MON + timedelta(weeks=4)]  # trail share over the cap
    # the one-third line turns red on the week over the cap (and once in the legend)
    over = [s for s in segments if s.text == "│" and s.style == Style.parse(OVER_STYLE)]
    assert len(over) == 2
    assert "monotony above 2.0" in text and "trend only" in text
    trend = next(ln for ln in text.splitlines() if "▁" in ln).strip("│ ")
    assert trend.startswith("2027-03-01 ") and trend.endswith(" 2027-04-02")  # up to today
    assert " ".join(CAVEAT.split()[:12]) in " ".join(text.replace("│", " ").split())


def test_terminal_chart_without_runs() -> None:
    text, _ = _render(_stats([], 3))
    assert "no runs in these weeks yet" in text


def test_png_plot(five_weeks: Stats, tmp_path: Path) -> None:
    out = tmp_path / "new" / "folder" / "load.png"
    assert write_log_plot(out, five_weeks) == out
    data = out.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (FIGSIZE_IN[0] * DPI, FIGSIZE_IN[1] * DPI)
    assert b"trailmix training log 2027-03-01 to 2027-04-04" in data  # the title chunk


def test_svg_plot_has_the_panels(five_weeks: Stats, tmp_path: Path) -> None:
    out = write_log_plot(tmp_path / "load.SVG", five_weeks)
    raw = out.read_text()
    root = fromstring(raw)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    for text in (
        "(a) Road and trail minutes per week, against the one-third line (R1)",
        "(b) Weekly load (session-RPE, Foster 2001) and monotony (Foster 1998)",
        "(c) Acute:chronic load (EWMA 7 / 28 days, Williams 2017): trend only",
        "one third of the week (R1 cap for trail)",
        "monotony 2.0: Foster's threshold",
        "trend only",
        "minutes",
        "load (AU)",
        "not an injury predictor",
    ):
        assert text.replace("'", "&#39;") in raw or text in raw, text


def test_plot_refuses_no_data_and_other_suffixes(five_weeks: Stats, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nothing to plot yet") as none:
        write_log_plot(tmp_path / "empty.png", _stats([], 4))
    assert none.value.option == "--plot" and "--plot" in str(none.value)
    assert not (tmp_path / "empty.png").exists()
    with pytest.raises(InputError, match=r"\.png or \.svg") as bad:
        write_log_plot(tmp_path / "load.jpg", five_weeks)
    assert bad.value.option == "--plot"
    assert not (tmp_path / "load.jpg").exists()
