"""Every shared activity file imported as today's code imports it, summarised as JSON: the
regression fixture `tests/log/data/shared_summaries.json` (made from main before the log was
made fast) and the test that compares against it use this one function.

The database holds an athlete with heart-rate data (so RPE, zones and TRIMP are computed) and a
small trail library made of three shared files (so route matching is exercised); then every
shared activity is imported on its own (a file's result does not depend on the order)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from support.logdata import ACTIVITIES, ACTIVITY_FILES
from trailmix.app import log as training_log
from trailmix.app import log_import
from trailmix.app import trails as library
from trailmix.app.log_json import record_json, stats_json
from trailmix.domain.types import Athlete, Sex
from trailmix.storage.db import Database
from trailmix.storage.repo import Athletes

FIXTURE = Path(__file__).resolve().parents[1] / "log" / "data" / "shared_summaries.json"
TRAIL_FILES = (
    ACTIVITIES / "trail_hill" / "boulder_fr35_run_no_altitude.fit",
    ACTIVITIES / "trail_hill" / "fr645m_heidelberg_hill_run.fit",
    ACTIVITIES / "hike_route" / "gpxpy_korita_zbevnica_hike.gpx",
)


def snapshot(url: str, files: list[Path] | None = None) -> dict[str, Any]:
    """Import `files` (default: every shared activity) into the database at `url`; each run's
    JSON (without its id, which depends on the order) by file name, and the stats of the 104
    weeks up to the latest run."""
    db = Database(url)
    try:
        Athletes(db).save(
            Athlete(name="snap", sex=Sex.MALE, hr_max=190, hr_rest=50, timezone="UTC")
        )
        for trail in TRAIL_FILES:
            library.add_file(db, trail)
        runs: dict[str, Any] = {}
        for path in files if files is not None else ACTIVITY_FILES:
            report = log_import.import_paths(db, [path])
            for rec in report.imported:
                doc = record_json(rec)
                doc.pop("id")
                doc.pop("shoe_id")  # no shared file names its gear: always null (issue 13)
                runs[path.name] = doc
            for _where, why in report.skipped + report.problems + report.duplicates:
                runs[path.name] = {"not imported": why}
        every = training_log.runs(db, date(2100, 1, 1), since=date(1970, 1, 1))
        last = max(training_log.local_day(r) for r in every)
        stats = stats_json(training_log.stats(db, 104, last))
        return {"runs": runs, "stats_until": last.isoformat(), "stats": stats}
    finally:
        db.dispose()


if __name__ == "__main__":  # PYTHONPATH=src:tests python -m support.logsnapshot OUT.db
    out = snapshot(f"sqlite:///{sys.argv[1]}")
    FIXTURE.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
