"""Effort: RPE ranges (R5's 1-10 scale) and heart-rate ranges for each training intensity."""

from __future__ import annotations

from dataclasses import dataclass

from trailmix.domain.types import Athlete, Intensity, IntRange, RaceDistance, Reason

# R5: effort on a 1-10 scale (1 = easy stroll, 10 = all-out sprint). The mapping from Daniels'
# intensities to that scale is a trailmix default, anchored on Foster's CR10 labels
# (science.md 3: 2 easy, 3 moderate, 4 somewhat hard, 5 hard, 7 very hard, 10 maximal).
RPE: dict[Intensity, IntRange] = {
    Intensity.RECOVERY: (2, 3),
    Intensity.E: (3, 4),
    Intensity.M: (5, 6),
    Intensity.T: (6, 7),
    Intensity.I: (8, 9),
    Intensity.R: (9, 10),
}

# trailmix default: the effort a race of each distance asks for, from the first kilometres.
RACE_RPE: dict[RaceDistance, IntRange] = {
    RaceDistance.K5: (9, 10),
    RaceDistance.K10: (8, 9),
    RaceDistance.HALF: (7, 8),
    RaceDistance.MARATHON: (6, 7),
}

HIKE_RPE: IntRange = (1, 3)

# Heart-rate ranges as a fraction of heart-rate reserve (Karvonen). Daniels gives his intensities
# in %VO2max (science.md 4: E 59-74 %, M 75-84 %, T about 88 %, I 98-100 %); %HRR tracks %VO2
# reserve closely (Swain & Leutholtz 1997, MSSE 29(3):410-414), so the same fractions serve as %HRR.
HRR_FRACTION: dict[Intensity, tuple[float, float]] = {
    Intensity.RECOVERY: (0.50, 0.60),
    Intensity.E: (0.59, 0.74),
    Intensity.M: (0.75, 0.84),
    Intensity.T: (0.83, 0.88),
    Intensity.I: (0.95, 1.00),
}

# Without a resting HR, Daniels' %HRmax ranges (science.md 3): E 65-79, M 80-89, T 88-92,
# I 98-100. Recovery below E is a trailmix default.
HRMAX_FRACTION: dict[Intensity, tuple[float, float]] = {
    Intensity.RECOVERY: (0.60, 0.70),
    Intensity.E: (0.65, 0.79),
    Intensity.M: (0.80, 0.89),
    Intensity.T: (0.88, 0.92),
    Intensity.I: (0.98, 1.00),
}


def tanaka_hr_max(age: int) -> int:
    """Tanaka, Monahan & Seals 2001 (JACC 37:153): HRmax = 208 - 0.7 x age."""
    return round(208 - 0.7 * age)


@dataclass(frozen=True)
class HeartRateModel:
    """How heart-rate targets are computed for one runner, and how that was decided."""

    hr_max: int
    hr_rest: int | None
    method: str

    def range_for(self, intensity: Intensity) -> IntRange | None:
        """HR range for an intensity; None for R, strides and races (HR lags short efforts)."""
        if self.hr_rest is not None:
            frac = HRR_FRACTION.get(intensity)
            if frac is None:
                return None
            reserve = self.hr_max - self.hr_rest
            return (
                round(self.hr_rest + frac[0] * reserve),
                round(self.hr_rest + frac[1] * reserve),
            )
        frac = HRMAX_FRACTION.get(intensity)
        if frac is None:
            return None
        return (round(frac[0] * self.hr_max), round(frac[1] * self.hr_max))

    @property
    def reason(self) -> Reason:
        return Reason("Karvonen" if self.hr_rest is not None else "Daniels", self.method)


def heart_rate_model(athlete: Athlete) -> HeartRateModel | None:
    """The runner's HR model, or None when neither HRmax nor age is known."""
    if athlete.hr_max is not None:
        hr_max, source = athlete.hr_max, f"your HRmax of {athlete.hr_max}"
    elif athlete.age is not None:
        hr_max = tanaka_hr_max(athlete.age)
        source = f"HRmax {hr_max} estimated from age {athlete.age} with Tanaka (208 - 0.7 x age)"
    else:
        return None
    if athlete.hr_rest is not None:
        method = (
            f"Heart rates by Karvonen (HRrest + % of heart-rate reserve) from {source} and "
            f"your resting HR of {athlete.hr_rest}."
        )
    else:
        method = (
            f"Heart rates as Daniels' % of HRmax from {source}; add your resting HR for "
            "Karvonen's more personal ranges."
        )
    return HeartRateModel(hr_max=hr_max, hr_rest=athlete.hr_rest, method=method)


def rpe_for(intensity: Intensity) -> IntRange:
    return RPE.get(intensity, (3, 4))
