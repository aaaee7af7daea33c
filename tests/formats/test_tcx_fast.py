"""The TCX reader's channel-at-a-time path reads exactly what its careful per-trackpoint walk
reads (the shared files and generated documents), and its timestamps are `fromisoformat`'s."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trailmix.errors import FileFormatError
from trailmix.formats import tcx
from trailmix.formats.track import Track, parse_xml

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


# ----------------------------------------------------------------------------- compiled part
# formats/_tcxfast.pyx reads the channel texts off lxml's tree in C; it must give exactly what
# `tcx._columns` gives, on documents of any shape: values nested where they do not belong, in
# other namespaces, twice, missing, with CDATA, entities, processing instructions or non-ASCII
# text, and trackpoints inside trackpoints.

try:
    from trailmix.formats import _tcxfast
except ImportError:  # pragma: no cover - the install could not compile it
    _tcxfast = None  # type: ignore[assignment]

_NAMES = st.sampled_from(
    [
        "Trackpoint",
        "Time",
        "AltitudeMeters",
        "Position",
        "LatitudeDegrees",
        "LongitudeDegrees",
        "HeartRateBpm",
        "Value",
        "Extensions",
    ]
)
_TEXTS = st.one_of(
    st.just(""),
    st.text(alphabet="0123456789.-TZ: é\n", max_size=8),
    st.sampled_from(["&amp;", "&#52;&#46;5", "<![CDATA[4.5]]>", "1<?pi x?>2", "<!-- c -->3"]),
)


def _element(parts: tuple[str, str, list[str]]) -> str:
    prefix, name, children = parts
    return f"<{prefix}{name}>{''.join(children)}</{prefix}{name}>"


_NODES = st.recursive(
    _TEXTS,
    lambda kids: st.tuples(
        st.sampled_from(["", "g:", "x:"]), _NAMES, st.lists(kids, max_size=4)
    ).map(_element),
    max_leaves=40,
)


def _compiled_module() -> object:
    if _tcxfast is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true needs the compiled TCX helper: pip install -e . did not build it")
        pytest.skip("the compiled TCX helper is not built here (no C compiler at install)")
    return _tcxfast


@settings(max_examples=150, deadline=None)
@given(st.lists(_NODES, max_size=5))
def test_the_compiled_columns_are_the_pythons(body: list[str]) -> None:
    module = _compiled_module()
    data = (
        f'<TrainingCenterDatabase xmlns="{NS}" xmlns:g="{NS}" xmlns:x="urn:another">'
        f"<Activities><Activity>{''.join(body)}</Activity></Activities></TrainingCenterDatabase>"
    ).encode()
    container = next(parse_xml(data, "run.tcx", remove_blank_text=True).iter("{*}Activity"))
    points = list(container.iter("{*}Trackpoint"))
    python = tcx._columns(container, points)
    compiled = module.columns(container)  # type: ignore[attr-defined]
    assert compiled == (None if python is None else (len(points), python))


@pytest.mark.parametrize("path", TCX_FILES, ids=[p.name for p in TCX_FILES])
def test_the_compiled_columns_are_the_pythons_on_the_shared_files(path: Path) -> None:
    module = _compiled_module()
    root = parse_xml(path.read_bytes(), path.name, remove_blank_text=True)
    for container in root.iter("{*}Activity", "{*}Course"):
        points = list(container.iter("{*}Trackpoint"))
        want = (len(points), tcx._columns(container, points))
        assert module.columns(container) == want  # type: ignore[attr-defined]
