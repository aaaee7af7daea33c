"""How well `trailmix mix` reads plans as coaches, books, apps and spreadsheets write them: the
corpus in tests/support/plans (US and European dates, month names, dates without a year, miles
and km, compound sessions, sets, cross-training, tune-up races, written paces), every entry
read and compared with what a coach would say it is (tests/support/plans/expected.json).

    .venv/bin/python benchmarks/plan_import_corpus.py [--before ../main/src]

Prints, per file, the entries and how many were recognised, guessed and not understood, the
misreads (trailmix's reading differs from the coach's), then the totals, the recognition rate,
and every misread with how sure trailmix said it was. A misread trailmix called "recognised" is
the worst kind: it would mislead the runner silently. `--before SRC` reads the same corpus with
another trailmix source tree (e.g. the main branch before this reader) in a subprocess and
prints its counts alongside, "refused" for a file it cannot read at all.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from support.plan_corpus import plan_files, read_corpus  # noqa: E402
from trailmix.domain.imports.words import Confidence  # noqa: E402

_BEFORE = """
import json, sys
from datetime import date
from pathlib import Path
from trailmix.domain.imports.plan import Entry, _read
from trailmix.domain.imports.words import dominant_unit
from trailmix.formats.plan_import import read_plan_file
doc = json.loads(sys.stdin.read())
out = {}
for name, rows in doc["files"].items():
    c = {"recognised": 0, "misread": 0, "silent": 0}
    try:
        read_plan_file(Path(doc["folder"]) / name)
    except Exception as exc:
        c["refused"] = True
    entries = [Entry(date.fromisoformat(d), t, desc) for d, t, desc, _ in rows]
    unit = dominant_unit([f"{e.title} {e.description}" for e in entries])
    for e, (_, _, _, expected) in zip(entries, rows):
        rec = _read(e, None, unit)
        w = rec.work
        got = rec.kind.value + (f"/{w.intensity.value}" if w is not None else "")
        got += f" {w.km:.1f}km" if w is not None and w.reps == 1 and w.km else ""
        ok = rec.confidence.value == "recognised"
        c["recognised"] += ok
        c["misread"] += got != expected
        c["silent"] += got != expected and ok
    out[name] = c
print(json.dumps(out))
"""


def before(src: Path) -> dict[str, dict[str, int]]:
    """The same entries (dates as this tree reads them) read by another source tree's
    recognizer, per file; `refused` when that tree's file reader cannot read the file."""
    from support.plan_corpus import PLANS, TODAY
    from trailmix.domain.imports.plan import _text
    from trailmix.formats.plan_import import read_plan_file

    truth = json.loads((PLANS / "expected.json").read_text())
    files = {}
    for path in plan_files():
        rows = []
        for e in read_plan_file(path, today=TODAY):
            rows.append((e.day.isoformat(), e.title, e.description, truth[path.name][_text(e)]))
        files[path.name] = rows
    done = subprocess.run(
        [sys.executable, "-c", _BEFORE],
        input=json.dumps({"folder": str(PLANS), "files": files}),
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(src.resolve())},
    )
    result: dict[str, dict[str, int]] = json.loads(done.stdout)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="another trailmix src/ to compare with")
    args = parser.parse_args()
    old = before(args.before) if args.before else None
    reads = read_corpus()
    by_file: dict[str, Counter[str]] = {}
    for r in reads:
        c = by_file.setdefault(r.file, Counter())
        c["entries"] += 1
        c[r.confidence.value] += 1
        c["misread"] += r.misread
    head = f"{'file':40} {'entries':>7} {'recog.':>7} {'guessed':>7} {'not und.':>8} {'misread':>7}"
    if old is not None:
        head += f"  {'before: recog. misread (silent)':>32}"
    print(head)
    print("-" * len(head))
    total: Counter[str] = Counter()
    for name, c in by_file.items():
        total.update(c)
        line = (
            f"{name:40} {c['entries']:7} {c['recognised']:7} {c['guessed']:7} "
            f"{c['not understood']:8} {c['misread']:7}"
        )
        if old is not None:
            o = old[name]
            line += f"  {o['recognised']:>14} {o['misread']:>7} ({o['silent']})"
            line += "  file refused" if o.get("refused") else ""
        print(line)
    print("-" * len(head))
    last = (
        f"{'all ' + str(len(plan_files())) + ' files':40} {total['entries']:7} "
        f"{total['recognised']:7} {total['guessed']:7} {total['not understood']:8} "
        f"{total['misread']:7}"
    )
    if old is not None:
        refused = sum(1 for o in old.values() if o.get("refused"))
        last += (
            f"  {sum(o['recognised'] for o in old.values()):>14} "
            f"{sum(o['misread'] for o in old.values()):>7} "
            f"({sum(o['silent'] for o in old.values())})  {refused} files refused"
        )
    print(last)
    n = total["entries"]
    right = n - total["misread"]
    print(
        f"\nrecognition rate: {total['recognised'] / n:.1%} recognised, "
        f"{total['guessed'] / n:.1%} guessed, {total['not understood'] / n:.1%} not understood; "
        f"read right {right / n:.1%} ({right} of {n})"
    )
    misreads = [r for r in reads if r.misread]
    silent = [r for r in misreads if r.confidence is Confidence.RECOGNISED]
    print(f"misreads: {len(misreads)} ({len(silent)} called 'recognised')")
    for r in misreads:
        print(
            f"  {r.file}: {r.day} {r.title!r}: read as {r.got}, a coach says {r.expected} "
            f"({r.confidence.value})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
