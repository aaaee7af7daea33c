"""A runner's trails as the planner sees them: category, hills, and whether it was hiked.

The trail library (file readers, profile analysis) builds these; the trail-mix engine only reads
them. Category, shoe and hike-first follow the article: R6 (trail by purpose), R9 (hike
technical trails first), R10 (shoe by trail).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from trailmix.domain.types import Shoe, TrailShoe


class TrailCategory(StrEnum):
    """smooth: paved, gravel, wood chips, rail trail. dirt: unpaved with rocks and ruts, flat to
    rolling. hilly: real climbs. technical: steep, slick, rocky or unstable footing."""

    SMOOTH = "smooth"
    DIRT = "dirt"
    HILLY = "hilly"
    TECHNICAL = "technical"


@dataclass(frozen=True)
class Hill:
    """One climb along a route. Grades are decimals (0.06 = 6 %)."""

    start_km: float
    length_m: float
    gain_m: float
    avg_grade: float
    max_grade: float
    suits_repeats: bool = False
    suits_sprints: bool = False


@dataclass(frozen=True)
class Trail:
    id: int
    name: str
    category: TrailCategory
    length_km: float
    gain_m: float = 0.0
    loss_m: float = 0.0
    hills: tuple[Hill, ...] = ()
    hiked: bool = False

    @property
    def needs_hike(self) -> bool:
        """R9: a technical trail is hiked once before it is run."""
        return self.category is TrailCategory.TECHNICAL and not self.hiked


def shoe_for(category: TrailCategory | None, owns: TrailShoe) -> Shoe:
    """R10: road trainer on smooth trails, trail shoe on anything more technical, a hybrid when
    the runner owns no trail shoe or is unsure."""
    if category is TrailCategory.SMOOTH:
        return Shoe.ROAD_TRAINER
    if owns is not TrailShoe.YES:
        return Shoe.HYBRID
    return Shoe.TRAIL
