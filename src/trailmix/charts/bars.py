"""One convention for every road / trail bar in the terminal (`trailmix plan`, `log stats`):
road first on the left, trail on the right, each with its own character as well as its own
colour, so the trail share reads the same without colour (NO_COLOR) or on a printout."""

from __future__ import annotations

from rich.text import Text

ROAD_CELL = "█"
TRAIL_CELL = "▒"
CAP_CELL = "│"
"""The characters: a solid block for road, a shaded one for trail, a bar for the trail cap."""

ROAD_STYLE = "grey50"
TRAIL_STYLE = "green"


def bar(road_cells: int, trail_cells: int, cap_at: int | None = None, cap_style: str = "") -> Text:
    """`road_cells` of road then `trail_cells` of trail; the cap line replaces cell `cap_at`."""
    text = Text()
    for i in range(road_cells + trail_cells):
        if i == cap_at:
            text.append(CAP_CELL, cap_style)
        elif i < road_cells:
            text.append(ROAD_CELL, ROAD_STYLE)
        else:
            text.append(TRAIL_CELL, TRAIL_STYLE)
    return text


def legend() -> Text:
    """What the characters mean, in one line."""
    return Text.assemble((ROAD_CELL, ROAD_STYLE), " road  ", (TRAIL_CELL, TRAIL_STYLE), " trail")
