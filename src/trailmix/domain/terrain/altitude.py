"""Where a track's altitude comes from, and how far its grades can be trusted. Pure, no I/O.

A barometric altimeter (most running watches with "baro" in the spec) follows the ground to
within a metre from one second to the next; altitude from GPS alone (Forerunner 410, many
handheld GPS units) wanders by metres, so its 50 m grades are noise on rolling ground. trailmix
tells them apart by the noise itself: the track's elevation, averaged on the profile's 10 m
grid, is compared with the same elevation smoothed over `NOISE_SIGMA_M`; the robust standard
deviation of the difference is the altitude noise. Above `GPS_NOISE_M` the altitude is taken as
GPS-only, and its grades are measured over `GPS_GRADE_WINDOW_M` instead of 50 m (the noise of a
grade falls with the window length), so the time model trusts them less.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from trailmix.domain.terrain.population import GRADE_WINDOW_M
from trailmix.domain.trail.profile import GRID_STEP_M, TrackPoints, bin_mean, smooth, step_lengths

FloatArray = npt.NDArray[np.float64]

NOISE_SIGMA_M = 50.0
"""trailmix default: the Gaussian that stands for "the ground" when measuring noise; it keeps
hills of a few hundred metres and removes what changes within tens of metres."""

GPS_NOISE_M = 0.6
"""trailmix default, set on the shared files (docs/time-model.md 3): barometric watches
(Forerunner 645M, Fenix 2, Polar M400, Stryd, Apple Watch) measure 0.3-0.5 m, the GPS-only
Forerunner 410 1.0 m, the two handheld-GPS hikes 0.7 and 1.2 m. DEM-corrected files (the Recife
runs) measure under 0.1 m."""

GPS_GRADE_WINDOW_M = 150.0
"""trailmix default: three times the analysis's 50 m window, which cuts the noise of a grade
(noise difference over the window length) to a third."""

MIN_NOISE_STRETCH_M = 200.0
"""trailmix default: a segment shorter than this says nothing about the noise."""


class AltitudeKind(StrEnum):
    """barometric: smooth enough to trust its 50 m grades. gps: GPS-only (noisy). dem: from an
    elevation model. none: no elevation. unknown: a stored grid without its raw readings."""

    BAROMETRIC = "barometric"
    GPS = "gps"
    DEM = "dem"
    NONE = "none"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Altitude:
    """The altitude's kind, its measured noise (m, None when not measured), and the grade
    window the time model uses for it."""

    kind: AltitudeKind
    noise_m: float | None

    @property
    def grade_window_m(self) -> float:
        return GPS_GRADE_WINDOW_M if self.kind is AltitudeKind.GPS else GRADE_WINDOW_M

    @property
    def note(self) -> str | None:
        if self.kind is AltitudeKind.GPS:
            return (
                f"altitude looks GPS-only (it wanders {self.noise_m:.1f} m around the ground, "
                f"a barometer stays under {GPS_NOISE_M:.1f} m): grades measured over "
                f"{GPS_GRADE_WINDOW_M:.0f} m instead of 50 m, so hills count less"
            )
        return None


def altitude_noise_m(track: TrackPoints) -> float | None:
    """Robust SD (m) of the 10 m grid elevation around its `NOISE_SIGMA_M` smoothing, the median
    over the segments long enough to say; None without enough elevation."""
    e = np.asarray(track.elevation, np.float64)
    ok = np.isfinite(e)
    if ok.sum() < 20:
        return None
    steps = step_lengths(track)
    out: list[float] = []
    for seg in np.unique(track.segment[ok]).tolist():
        m = ok & (track.segment == seg)
        if m.sum() < 20:
            continue
        d = np.cumsum(steps[m])
        d = d - d[0]
        if d[-1] < MIN_NOISE_STRETCH_M:
            continue
        grid = bin_mean(d, e[m], GRID_STEP_M)
        r = grid - smooth(grid, NOISE_SIGMA_M, GRID_STEP_M)
        out.append(1.4826 * float(np.median(np.abs(r - np.median(r)))))
    return float(np.median(out)) if out else None


def classify_altitude(track: TrackPoints | None, elevation_source: str) -> Altitude:
    """The altitude of `track` as the profile used it (`Profile.elevation_source`); without
    the raw track (a stored grid only) a file's altitude is unknown."""
    if elevation_source == "none":
        return Altitude(AltitudeKind.NONE, None)
    if elevation_source == "dem":
        return Altitude(AltitudeKind.DEM, None)
    noise = altitude_noise_m(track) if track is not None else None
    if noise is None:
        return Altitude(AltitudeKind.UNKNOWN, None)
    kind = AltitudeKind.GPS if noise > GPS_NOISE_M else AltitudeKind.BAROMETRIC
    return Altitude(kind, noise)
