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
from datetime import datetime
from pathlib import PurePath

import fitdecode

from trailmix.errors import FileFormatError
from trailmix.formats.track import Track, TrackBuilder

_SEMICIRCLE_TO_DEG = 180.0 / 2**31


def read_fit(data: bytes, path: str) -> Track:
    """Parse FIT bytes into a `Track` (unchecked: `read_track` checks it)."""
    builder = TrackBuilder()
    records = 0
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
    return builder.build(PurePath(path).stem, "fit")


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
