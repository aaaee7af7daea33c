"""FIT reader: fitdecode reads the `record` messages of an activity file.

Positions are stored in semicircles (2^31 semicircles = 180 degrees). Elevation is
`enhanced_altitude` when the device writes it, else `altitude`. Records without a position (a
watch still looking for satellites) are dropped.

A FIT file that ends early is refused even when fitdecode could decode some records before the
cut: the header states how long the data is, so a short file is known to be incomplete, and
analysing the part that survived would store a wrong length and gain for the run without anyone
noticing. The message says how many records were read so the runner knows what was lost.
"""

from __future__ import annotations

import io
import math
import struct
from dataclasses import replace
from datetime import datetime
from pathlib import PurePath
from types import ModuleType

import fitdecode
import numpy as np
import numpy.typing as npt

from trailmix.errors import FileFormatError
from trailmix.formats.track import Track, TrackBuilder

_SEMICIRCLE_TO_DEG = 180.0 / 2**31

fitfast: ModuleType | None
try:  # the Rust-backed reader, about 50x faster; optional (Linux x86_64 wheels)
    import fitfast
except ImportError:  # pragma: no cover - depends on the platform
    fitfast = None


def read_fit(data: bytes, path: str) -> Track:
    """Parse FIT bytes into a `Track` (unchecked: `readers.parse_track` checks it).

    A single, complete FIT file is read by fitfast when it is installed; anything else (a
    chained file, a short one, a checksum fitfast refuses, no fitfast) by fitdecode, which also
    words every error."""
    fast = _read_fast(data, path)
    if fast is not None:
        return fast
    builder = TrackBuilder()
    records = 0
    activity: dict[str, object] = {}
    try:
        with fitdecode.FitReader(
            io.BytesIO(data),
            check_crc=fitdecode.CrcCheck.WARN,
            error_handling=fitdecode.ErrorHandling.WARN,
        ) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitHeader):
                    builder.new_segment()
                elif isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                    records += 1
                    _add_record(builder, frame)
                elif isinstance(frame, fitdecode.FitDataMessage) and frame.name == "activity":
                    activity = {f.name: f.value for f in frame.fields if f.value is not None}
    except fitdecode.FitEOFError as exc:
        raise FileFormatError(
            path,
            f"the FIT file is cut short: it ends {exc.expected - exc.got} byte(s) before the "
            f"data its header announces ({records} records were readable before the cut); "
            "copy the file from the device again",
        ) from exc
    except fitdecode.FitHeaderError as exc:
        raise FileFormatError(path, f"not a readable FIT file: {exc}") from exc
    except Exception as exc:  # fitdecode also raises struct.error, KeyError... on bad bytes
        raise FileFormatError(
            path, f"the FIT data is damaged after {records} records: {exc}"
        ) from exc
    if records == 0:
        raise FileFormatError(path, "the FIT file has no GPS records (not an activity file?)")
    track = builder.build(PurePath(path).stem, "fit")
    utc, local = activity.get("timestamp"), activity.get("local_timestamp")
    if isinstance(utc, datetime) and isinstance(local, datetime):
        offset = utc_offset_s(utc.timestamp(), local.timestamp())
        if offset is not None:
            track = replace(track, utc_offset_s=offset)
    return track


MAX_UTC_OFFSET_S = 14 * 3600.0
"""The widest offset from UTC any time zone has (Kiribati's +14:00, Baker Island's -12:00)."""


def utc_offset_s(utc_s: float, local_s: float) -> float | None:
    """The offset a FIT activity's `local_timestamp` gives (both as seconds since the Unix
    epoch, the local one as if it were UTC), to the quarter hour (every zone's offset is a
    whole number of quarter hours); None when it is no zone's offset (a device without its
    local time writes garbage or nothing)."""
    if not (math.isfinite(utc_s) and math.isfinite(local_s)):
        return None
    offset = round((local_s - utc_s) / 900.0) * 900.0
    return offset if abs(offset) <= MAX_UTC_OFFSET_S else None


def _add_record(builder: TrackBuilder, frame: fitdecode.FitDataMessage) -> None:
    values: dict[str, object] = {}
    for field in frame.fields:
        if field.value is not None:
            values[field.name] = field.value
    lat, lon = values.get("position_lat"), values.get("position_long")
    if not isinstance(lat, int) or not isinstance(lon, int):
        return
    elevation = values.get("enhanced_altitude", values.get("altitude"))
    time = values.get("timestamp")
    heart_rate = values.get("heart_rate")
    builder.add(
        lat=lat * _SEMICIRCLE_TO_DEG,
        lon=lon * _SEMICIRCLE_TO_DEG,
        elevation=float(elevation) if isinstance(elevation, int | float) else None,
        time=time if isinstance(time, datetime) else None,
        heart_rate=float(heart_rate) if isinstance(heart_rate, int | float) else None,
    )


def _single_complete_file(data: bytes) -> bool:
    """True when `data` is exactly one FIT file: header, the data size it announces, CRC."""
    if len(data) < 12:
        return False
    header_size = data[0]
    data_size = int(struct.unpack_from("<I", data, 4)[0])
    return len(data) == header_size + data_size + 2


def _read_fast(data: bytes, path: str) -> Track | None:
    """fitfast's record columns as a `Track`, or None to let fitdecode read the file."""
    if fitfast is None or not _single_complete_file(data):
        return None
    try:
        cols = fitfast.records(data)
    except Exception:  # fitfast refuses what fitdecode may still read, or word better
        return None
    except BaseException as exc:
        # A Rust panic inside fitfast (on some damaged files whose size and CRC are right)
        # comes out as pyo3's PanicException, which derives from BaseException, not
        # Exception; fitdecode then reads the file or words what is wrong with it.
        if _is_rust_panic(exc):
            return None
        raise
    lat = np.asarray(cols.get("position_lat", []), dtype=np.float64)
    lon = np.asarray(cols.get("position_long", []), dtype=np.float64)
    if len(lat) == 0 or len(lon) != len(lat):
        return None
    n = len(lat)

    def column(*names: str) -> npt.NDArray[np.float64]:
        for name in names:
            values = cols.get(name)
            if values is not None and len(values) == n:
                out = np.asarray(values, dtype=np.float64)
                if np.isfinite(out).any():
                    return out
        return np.full(n, np.nan)

    keep = np.isfinite(lat) & np.isfinite(lon)
    if not keep.any():
        return None
    return Track(
        name=PurePath(path).stem,
        source_format="fit",
        lat=lat[keep],
        lon=lon[keep],
        elevation=column("enhanced_altitude", "altitude")[keep],
        time_s=column("timestamp")[keep],
        heart_rate=column("heart_rate")[keep],
        utc_offset_s=_fast_offset(data),
    )


def _fast_offset(data: bytes) -> float | None:
    """The activity message's offset (`utc_offset_s`) by fitfast; None when it has none or
    fitfast cannot read it (the records were read: a run without its local time is a run)."""
    assert fitfast is not None
    try:
        act = fitfast.records(data, "activity")
    except Exception:
        return None
    except BaseException as exc:  # a Rust panic, as in _read_fast
        if _is_rust_panic(exc):
            return None
        raise
    utc, local = act.get("timestamp"), act.get("local_timestamp")
    if utc is None or local is None or not len(utc) or len(local) != len(utc):
        return None
    return utc_offset_s(float(utc[-1]), float(local[-1]))


def _is_rust_panic(exc: BaseException) -> bool:
    """True for pyo3's `PanicException` (a panic in Rust code). Its class lives in a module
    pyo3 makes at run time, so it is recognised by name, not imported."""
    return type(exc).__name__ == "PanicException"
