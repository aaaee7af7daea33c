"""How well `trailmix mix` reads plans as coaches, books, apps and spreadsheets write them: the
corpus in tests/support/plans (US and European dates, month names, dates without a year, miles
and km, compound sessions, sets, cross-training, tune-up races, written paces), every entry
read and compared with what a coach would say it is (tests/support/plans/expected.json).

    .venv/bin/python benchmarks/plan_import_corpus.py

Prints, per file, the entries and how many were recognised, guessed and not understood, the
misreads (trailmix's reading differs from the coach's), then the totals, the recognition rate,
and every misread with how sure trailmix said it was. A misread trailmix called "recognised" is
the worst kind: it would mislead the runner silently.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from support.plan_corpus import plan_files, read_corpus  # noqa: E402
from trailmix.domain.imports.words import Confidence  # noqa: E402


def main() -> int:
    reads = read_corpus()
    by_file: dict[str, Counter[str]] = {}
    for r in reads:
        c = by_file.setdefault(r.file, Counter())
        c["entries"] += 1
        c[r.confidence.value] += 1
        c["misread"] += r.misread
    head = f"{'file':40} {'entries':>7} {'recog.':>7} {'guessed':>7} {'not und.':>8} {'misread':>7}"
    print(head)
    print("-" * len(head))
    total: Counter[str] = Counter()
    for name, c in by_file.items():
        total.update(c)
        print(
            f"{name:40} {c['entries']:7} {c['recognised']:7} {c['guessed']:7} "
            f"{c['not understood']:8} {c['misread']:7}"
        )
    print("-" * len(head))
    print(
        f"{'all ' + str(len(plan_files())) + ' files':40} {total['entries']:7} "
        f"{total['recognised']:7} {total['guessed']:7} {total['not understood']:8} "
        f"{total['misread']:7}"
    )
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
