"""The fitfast fast path reads exactly what fitdecode reads, and steps aside when it should."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from trailmix.errors import FileFormatError
from trailmix.formats import fit

FIT_FILES = sorted(
    (Path(__file__).resolve().parents[2].parent / "shared" / "data").glob("activities/*/*.fit")
)
CHANNELS = ("lat", "lon", "elevation", "time_s", "heart_rate")

pytestmark = pytest.mark.skipif(fit.fitfast is None, reason="fitfast is not installed here")


def _slow(data: bytes, name: str, monkeypatch: pytest.MonkeyPatch) -> fit.Track:
    with monkeypatch.context() as m:
        m.setattr(fit, "fitfast", None)
        return fit.read_fit(data, name)


@pytest.mark.parametrize("path", FIT_FILES, ids=[p.name for p in FIT_FILES])
def test_fast_path_equals_fitdecode(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = path.read_bytes()
    fast = fit._read_fast(data, str(path))
    assert fast is not None, "a complete single FIT file takes the fast path"
    slow = _slow(data, str(path), monkeypatch)
    for channel in CHANNELS:
        a, b = getattr(fast, channel), getattr(slow, channel)
        assert len(a) == len(b)
        np.testing.assert_allclose(a, b, atol=1e-6, equal_nan=True, err_msg=channel)


def test_a_cut_file_falls_back_and_is_refused() -> None:
    data = FIT_FILES[0].read_bytes()
    cut = data[: len(data) // 2]
    assert fit._read_fast(cut, "cut.fit") is None
    with pytest.raises(FileFormatError, match="cut short"):
        fit.read_fit(cut, "cut.fit")


def test_chained_files_fall_back_to_fitdecode_and_keep_their_segments() -> None:
    data = FIT_FILES[0].read_bytes()
    chained = data + data
    assert fit._read_fast(chained, "two.fit") is None
    track = fit.read_fit(chained, "two.fit")
    assert set(track.segment.tolist()) == {0, 1}
