"""Dates as people write them in a plan's date column: US and European numeric dates (the order
decided from the whole column), month names, and dates without a year."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trailmix.errors import FileFormatError
from trailmix.formats.plan_import import DateOrder, parse_dates, read_csv

TODAY = date(2026, 11, 1)


def _read(*cells: str, order: DateOrder | None = None) -> list[date]:
    return parse_dates(list(enumerate(cells, start=2)), "p.csv", order, TODAY)


@pytest.mark.parametrize(
    "cells",
    [
        ("08.12.2026", "09.12.2026", "10.12.2026"),  # dots are day first
        ("12/08/2026", "12/09/2026", "12/10/2026"),  # only month first runs day by day
        ("08/12/2026", "09/12/2026", "10/12/2026"),  # only day first runs day by day
        ("Dec 8, 2026", "Dec 9, 2026", "December 10, 2026"),
        ("Tue 8 Dec", "Wed 9 Dec", "Thu 10 Dec"),
        ("2026-12-08", "12/09/2026", "Dec 10, 2026"),
        ("12/08/26", "12/09/26", "12/10/26"),
    ],
)
def test_the_ways_people_write_dates(cells: tuple[str, ...]) -> None:
    assert _read(*cells) == [date(2026, 12, 8), date(2026, 12, 9), date(2026, 12, 10)]


def test_a_day_above_12_settles_the_order() -> None:
    assert _read("12/08/2026", "12/13/2026") == [date(2026, 12, 8), date(2026, 12, 13)]
    assert _read("08/12/2026", "13/12/2026") == [date(2026, 12, 8), date(2026, 12, 13)]
    # Far apart rows, so only the 13 can tell: month first.
    assert _read("01/05/2027", "03/13/2027")[0] == date(2027, 1, 5)


def test_a_date_without_a_year_follows_the_rows_and_its_weekday() -> None:
    assert _read("Wed 30 Dec", "Fri 1 Jan") == [date(2026, 12, 30), date(2027, 1, 1)]
    # Dec 8 is a Wednesday in 2027, not in 2026: the weekday written settles the year.
    assert _read("Wed 8 Dec") == [date(2027, 12, 8)]


def test_truly_ambiguous_asks_for_the_order_and_the_flag_settles_it() -> None:
    with pytest.raises(FileFormatError, match=r"--date-order dmy .* --date-order mdy"):
        _read("03/04/2027")
    assert _read("03/04/2027", order=DateOrder.MDY) == [date(2027, 3, 4)]
    assert _read("03/04/2027", order=DateOrder.DMY) == [date(2027, 4, 3)]


def test_a_column_that_mixes_both_orders_is_refused() -> None:
    with pytest.raises(FileFormatError, match=r"line 2 .* day first but line 3 .* month first"):
        _read("13/01/2027", "01/14/2027")


def test_a_us_spreadsheet_is_read() -> None:
    entries = read_csv("Date,Workout\n12/08/2026,Easy 5 mi\n12/10/2026,Rest\n", "us.csv")
    assert [e.day for e in entries] == [date(2026, 12, 8), date(2026, 12, 10)]


@settings(max_examples=25, deadline=None)
@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 1)),
    st.lists(st.integers(min_value=1, max_value=3), min_size=2, max_size=12),
    st.sampled_from(["%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%b %d, %Y", "%Y-%m-%d"]),
)
def test_any_written_column_reads_back_or_asks(first: date, steps: list[int], fmt: str) -> None:
    """Every column of plausible plan dates reads back exactly, or (numeric, both orders
    plausible) asks for --date-order, and then reads back exactly with the right one."""
    days = [first]
    for n in steps:
        days.append(days[-1].fromordinal(days[-1].toordinal() + n))
    cells = [d.strftime(fmt) for d in days]
    try:
        assert _read(*cells) == days
    except FileFormatError as exc:
        assert "--date-order" in str(exc) and "/" in fmt
        order = DateOrder.MDY if fmt.startswith("%m") else DateOrder.DMY
        assert _read(*cells, order=order) == days
