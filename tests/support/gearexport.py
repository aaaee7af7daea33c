"""A Strava-style export with gear (activities.csv's "Activity Gear"), for the shoe tests."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

ACT = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "activities"
RECIFE = sorted((ACT / "road").glob("recife_*.tcx"))
VOSGES = ACT / "trail_hill" / "polar_m400_vosges_run.tcx"


def gear_export() -> bytes:
    """Two road runs in Pegasus, a trail run in Speedgoat, a run in a pair whose name says
    nothing, one without gear."""
    rows = [
        ("1", "Morning run", "Run", "Nike Pegasus 40", "activities/1.tcx", RECIFE[0]),
        ("2", "Evening run", "Run", "Nike Pegasus 40", "activities/2.tcx", RECIFE[1]),
        ("3", "Vosges forest", "Trail Run", "Hoka Speedgoat 5", "activities/3.tcx", VOSGES),
        ("4", "Lunch run", "Run", "Old faithful", "activities/4.tcx", RECIFE[2]),
        ("5", "No gear", "Run", "", "activities/5.tcx", RECIFE[3]),
    ]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["Activity ID", "Activity Name", "Activity Type", "Activity Gear", "Filename"])
        w.writerows(r[:5] for r in rows)
        z.writestr("activities.csv", buf.getvalue())
        for r in rows:
            z.writestr(r[4], r[5].read_bytes())
    return out.getvalue()
