"""Fuzzing every reader and `mix` with mutated real files (tests/support/fuzzing.py): each
mutated file is parsed, or refused with a `TrailmixError` of one line; never another exception,
a Rust panic or a message over several lines.

A few examples per reader by default (a few seconds in all); `FUZZ_EXAMPLES=2000` (or
`HYPOTHESIS_PROFILE=thorough`) runs many more. `fuzz/count_crashes.py` counts crashes per
reader at a large count, and fuzz/ has coverage-guided atheris harnesses.
"""

from __future__ import annotations

import os
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.fuzzing import (
    BYTE_OPS,
    FIT_OPS,
    ICS_OPS,
    LINE_OPS,
    TARGETS,
    ZIP_OPS,
    Op,
    mutate,
    outcome,
    seeds,
    target_seeds,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or None


def _ops(kinds: tuple[str, ...]) -> st.SearchStrategy[list[Op]]:
    op = st.tuples(
        st.sampled_from(kinds),
        st.integers(0, 1 << 24),
        st.integers(0, 1 << 16),
        st.integers(0, 255),
    )
    return st.lists(op, min_size=1, max_size=3)


def _run(target: str, files: tuple[tuple[str, bytes], ...], data: st.DataObject, kinds) -> None:
    name, seed = data.draw(st.sampled_from(files), label="seed file")
    ops = data.draw(_ops(kinds), label="mutations")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fitdecode warns about every bad CRC
        crash = outcome(TARGETS[target], mutate(seed, ops), name)
    assert crash is None, f"{name} {ops}: {crash}"


def _settings(default: int):  # type: ignore[no-untyped-def]
    return settings(
        max_examples=EXAMPLES or default,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# The smallest real FIT file, damaged with its size and CRC kept right: what reaches fitfast.
@_settings(2)
@given(st.data())
def test_fit_files_damaged_behind_a_valid_crc(data: st.DataObject) -> None:
    smallest = (min(seeds("fit"), key=lambda s: len(s[1])),)
    _run("fit", smallest, data, FIT_OPS)


@_settings(12)
@given(st.data())
def test_gpx_and_tcx_files(data: st.DataObject) -> None:
    _run("gpx/tcx", seeds("xml"), data, BYTE_OPS + LINE_OPS)


@_settings(3)
@given(st.data())
def test_export_zips(data: st.DataObject) -> None:
    kinds = (*tuple(k for k in ZIP_OPS if k != "zip_member"), "truncate", "delete")
    _run("zip", seeds("zip"), data, kinds)


@_settings(8)
@given(st.data())
def test_ics_plans(data: st.DataObject) -> None:
    _run("ics", seeds("ics"), data, BYTE_OPS + LINE_OPS + ICS_OPS)


@_settings(15)
@given(st.data())
def test_csv_plans(data: st.DataObject) -> None:
    _run("csv", seeds("csv"), data, BYTE_OPS + LINE_OPS)


@_settings(2)
@given(st.data())
def test_mix(data: st.DataObject) -> None:
    _run("mix", target_seeds(TARGETS["mix"]), data, LINE_OPS + ICS_OPS)


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_every_seed_file_is_read(target: str) -> None:
    """The unmutated seeds pass: the fuzzing starts from files the readers accept."""
    t = TARGETS[target]
    if target == "fit":
        files = (min(seeds("fit"), key=lambda s: len(s[1])),)
    else:
        files = target_seeds(t)[:2]
    for name, data in files:
        assert outcome(t, data, name) is None
