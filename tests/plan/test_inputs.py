"""What people type at the edge: the trail cap is parsed and checked once there, naming the
flag (R1), before the mixer checks it again."""

from __future__ import annotations

import pytest

from trailmix.app.inputs import apply_athlete_flags, parse_cap
from trailmix.domain.rules import TRAIL_SHARE_CAP
from trailmix.domain.types import Athlete
from trailmix.errors import InputError


@pytest.mark.parametrize(
    ("text", "share"),
    [("1/3", TRAIL_SHARE_CAP), ("0.25", 0.25), ("25%", 0.25), (" 1/4 ", 0.25), ("0.05", 0.05)],
)
def test_a_cap_is_read_as_a_share(text: str, share: float) -> None:
    assert parse_cap(text) == pytest.approx(share)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "0.5",
            "0.50 is not accepted; R1 allows up to one third of the training on trails: "
            "give 0.05 to 0.33.",
        ),
        ("34%", "R1 allows up to one third"),
        ("1/2", "R1 allows up to one third"),
        ("0.01", "give 0.05 to 0.33"),
        ("nan", "give 0.05 to 0.33"),
        ("a third", "is not a share"),
        ("1/0", "is not a share"),
    ],
)
def test_a_cap_out_of_range_is_refused_naming_the_flag(text: str, words: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_cap(text)
    assert exc.value.option == "--trail-cap"
    assert words in exc.value.message


def test_the_profile_flags_refuse_a_cap_above_a_third() -> None:
    with pytest.raises(InputError, match="R1") as exc:
        apply_athlete_flags(Athlete(), trail_cap="0.4")
    assert exc.value.option == "--trail-cap"
