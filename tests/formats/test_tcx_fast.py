"""The TCX reader's channel-at-a-time path reads exactly what its careful per-trackpoint walk
reads (the shared files and generated documents), and its timestamps are `fromisoformat`'s."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trailmix.errors import FileFormatError
from trailmix.formats import tcx
from trailmix.formats.track import Track

TCX_FILES = sorted(
    (Path(__file__).resolve().parents[2].parent / "shared" / "data").glob("activities/*/*.tcx")
)
CHANNELS = ("lat", "lon", "elevation", "time_s", "heart_rate", "segment")
NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"


def _careful(data: bytes, monkeypatch: pytest.MonkeyPatch) -> Track:
    with monkeypatch.context() as m:
        m.setattr(tcx, "_add_columns", lambda builder, columns: False)
        return tcx.read_tcx(data, "run.tcx")


def _same(a: Track, b: Track) -> None:
    assert a.name == b.name
    for channel in CHANNELS:
        assert np.array_equal(getattr(a, channel), getattr(b, channel), equal_nan=True), channel


@pytest.mark.parametrize("path", TCX_FILES, ids=[p.name for p in TCX_FILES])
def test_shared_files_read_as_the_careful_walk(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = path.read_bytes()
    _same(tcx.read_tcx(data, "run.tcx"), _careful(data, monkeypatch))


_value = st.one_of(
    st.none(),
    st.sampled_from(["", "  ", "12.5", " 48.1\n", "nan", "x"]),
    st.floats(-80, 80).map(repr),
)
_time = st.one_of(
    st.none(),
    st.sampled_from(["", "2020-12-02T09:08:34+01:00", "bad", "2020-12-02T09:08:3Z4"]),
    st.integers(0, 10_000).map(
        lambda s: (datetime(2020, 12, 2, tzinfo=UTC) + timedelta(seconds=s)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
    ),
)


def _point(lat: str | None, lon: str | None, time: str | None, hr: str | None) -> str:
    def el(tag: str, text: str | None) -> str:
        return "" if text is None else f"<{tag}>{text}</{tag}>"

    position = f"<Position>{el('LatitudeDegrees', lat)}{el('LongitudeDegrees', lon)}</Position>"
    heart = f"<HeartRateBpm>{el('Value', hr)}</HeartRateBpm>" if hr is not None else ""
    return (
        f"<Trackpoint>{el('Time', time)}{position}{el('AltitudeMeters', lat)}{heart}"
        "<Extensions><Time>1999-01-01T00:00:00Z</Time></Extensions></Trackpoint>"
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_value, _value, _time, _value), min_size=1, max_size=6))
def test_generated_documents_read_as_the_careful_walk(
    points: list[tuple[str | None, str | None, str | None, str | None]],
) -> None:
    body = "".join(_point(*p) for p in points)
    data = (
        f'<TrainingCenterDatabase xmlns="{NS}"><Activities><Activity><Id>run</Id><Lap>'
        f"<Track>{body}</Track></Lap></Activity></Activities></TrainingCenterDatabase>"
    ).encode()
    with pytest.MonkeyPatch.context() as m:
        try:
            fast: Track | str = tcx.read_tcx(data, "run.tcx")
        except FileFormatError as exc:
            fast = exc.problem
        try:
            careful: Track | str = _careful(data, m)
        except FileFormatError as exc:
            careful = exc.problem
    if isinstance(fast, str) or isinstance(careful, str):
        assert fast == careful
    else:
        _same(fast, careful)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.datetimes(datetime(1000, 1, 1), datetime(9999, 12, 30)), min_size=1, max_size=5),
    st.sampled_from(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ"]),
)
def test_timestamps_are_fromisoformats(moments: list[datetime], shape: str) -> None:
    texts = [m.strftime(shape) for m in moments]
    want = [datetime.fromisoformat(t).replace(tzinfo=UTC).timestamp() for t in texts]
    assert tcx._epoch_seconds(list(texts)) == want
