"""Turning an intensity and a duration into a Target: pace on the road, effort and HR always."""

from __future__ import annotations

from dataclasses import dataclass

from trailmix.domain.effort import HeartRateModel, rpe_for
from trailmix.domain.types import Intensity, IntRange, Paces, Range, Target


@dataclass(frozen=True)
class Prescriber:
    """One runner's intensities: paces from VDOT, RPE from R5's scale, HR when it is known."""

    paces: Paces
    hr: HeartRateModel | None = None

    def pace(self, intensity: Intensity) -> Range | None:
        return self.paces.for_intensity(intensity)

    def pace_mid(self, intensity: Intensity) -> float:
        pace = self.pace(intensity) or self.paces.easy
        return (pace[0] + pace[1]) / 2

    def minutes_for_km(self, intensity: Intensity, km: float) -> float:
        return km * self.pace_mid(intensity) / 60.0

    def km_for_minutes(self, intensity: Intensity, minutes: float) -> float:
        return minutes * 60.0 / self.pace_mid(intensity)

    def target(
        self,
        intensity: Intensity,
        *,
        minutes: float | None = None,
        km: float | None = None,
        road: bool = True,
        rpe: IntRange | None = None,
        pace: Range | None = None,
    ) -> Target:
        """A target; on a trail (road=False) it has no pace and no distance (R5)."""
        if minutes is None and km is not None:
            minutes = self.minutes_for_km(intensity, km)
        return Target(
            duration_min=round(minutes, 1) if minutes is not None else None,
            distance_km=round(km, 2) if (km is not None and road) else None,
            pace_s_per_km=(pace or self.pace(intensity)) if road else None,
            rpe=rpe or rpe_for(intensity),
            hr_bpm=self.hr.range_for(intensity) if self.hr else None,
        )
