"""Several app workers on one database: each keeps its own parsed-plan cache, keyed by the
stored plan's row id. A plan row never changes (an update is a new row), so a worker's cache
can never hold a stale plan: each sees a plan saved by another at its next read."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from trailmix.formats.plan_json import plan_from_dict
from trailmix.storage.db import Database
from trailmix.storage.repo import Plans


def test_two_workers_each_see_the_others_new_plan_at_once(
    tmp_path: Path, template_db: Path, sample_plan: dict[str, Any]
) -> None:
    from conftest import copy_of

    url = copy_of(template_db, tmp_path / "workers.db")
    first, second = Database(url), Database(url)  # two app workers: two engines, two caches
    try:
        plan = plan_from_dict(copy.deepcopy(sample_plan))
        Plans(first).save(plan)
        assert Plans(second).current() == plan
        assert Plans(first).current() == plan  # both caches now hold that row's plan
        later = copy.deepcopy(sample_plan)
        later["race"]["date"] = "2027-05-02"
        newer = plan_from_dict(later)
        assert newer != plan
        Plans(second).save(newer)
        assert Plans(first).current() == newer  # the first worker's cache is not in the way
        assert Plans(second).current() == newer
        Plans(first).save(plan)  # and back: the same plan again is a new row, seen at once
        assert Plans(second).current() == plan
        assert first.parsed_plans is not second.parsed_plans
    finally:
        first.dispose()
        second.dispose()
