"""Count crashes per reader: seeded random mutations of the real shared files (the engine of
tests/support/fuzzing.py), each fed to its reader; prints a table of runs, crashes and the
distinct code sites. The figures of docs/reliability.md.

    .venv/bin/python fuzz/count_crashes.py --runs 2000 [--target fit] [--seed 1] [--show]

`--show` prints one replayable example (seed file and ops) per crash site.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections import Counter
from pathlib import Path
from random import Random

# `--src DIR` measures another copy of the source (e.g. an older commit, for "before" figures).
_ROOT = Path(__file__).resolve().parents[1]
_SRC = sys.argv[sys.argv.index("--src") + 1] if "--src" in sys.argv else str(_ROOT / "src")
sys.path[:0] = [_SRC, str(_ROOT / "tests")]

from support.fuzzing import TARGETS, mutate, outcome, random_ops, target_seeds  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500, help="mutations per reader")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--src", help="the source folder to measure (default: this one's)")
    parser.add_argument("--show", action="store_true", help="one example per crash site")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    print(f"{'reader':<10} {'runs':>7} {'crashes':>8} {'sites':>6} {'seconds':>8}")
    for name in args.target or list(TARGETS):
        target = TARGETS[name]
        files = target_seeds(target)
        rng = Random(f"{args.seed}-{name}")
        sites: Counter[str] = Counter()
        examples: dict[str, tuple[str, list[tuple[str, int, int, int]]]] = {}
        t0 = time.perf_counter()
        for _ in range(args.runs):
            file_name, data = rng.choice(files)
            ops = random_ops(rng, target.ops)
            try:
                mutated = mutate(data, ops)
            except Exception as exc:  # the engine itself: report, do not count
                print(f"  engine error {exc!r} on {file_name} {ops}", file=sys.stderr)
                continue
            site = outcome(target, mutated, file_name)
            if site is not None:
                sites[site] += 1
                examples.setdefault(site, (file_name, ops))
        seconds = time.perf_counter() - t0
        crashes = sum(sites.values())
        print(f"{name:<10} {args.runs:>7} {crashes:>8} {len(sites):>6} {seconds:>8.1f}")
        if args.show:
            for site, count in sites.most_common():
                print(f"    {count:>6}  {site}\n            {examples[site]}")


if __name__ == "__main__":
    main()
