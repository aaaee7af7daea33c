"""Coverage-guided fuzzing of one reader with atheris (libFuzzer for Python).

    .venv/bin/pip install -e '.[fuzz]'
    PYTHONPATH=src:tests .venv/bin/python fuzz/atheris_readers.py TARGET fuzz/corpus/TARGET \
        -max_total_time=600 -timeout=20

TARGET is one of fit, gpx/tcx (written gpx-tcx), zip, ics, csv, mix (the names of
`support.fuzzing.TARGETS`). The seed corpus is made from the real shared files by
`fuzz/make_corpus.py`. A crash (anything but a parse or a one-line `TrailmixError`) stops the
run and leaves the input as `crash-<sha1>` for replaying: add the same file as the last argument.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

import atheris  # noqa: E402

with atheris.instrument_imports():
    import trailmix.formats.archive
    import trailmix.formats.plan_import
    import trailmix.formats.readers  # noqa: F401
    from support.fuzzing import TARGETS, outcome

NAMES = {"fit": "run.fit", "gpx-tcx": "run.gpx", "zip": "export.zip", "ics": "plan.ics",
         "csv": "plan.csv", "mix": "plan.ics"}  # fmt: skip


def main() -> None:
    key = sys.argv.pop(1)
    target = TARGETS[key.replace("-", "/")]
    name = NAMES[key]
    warnings.simplefilter("ignore")

    def one(data: bytes) -> None:
        crash = outcome(target, data, name)
        if crash is not None:
            raise AssertionError(crash)

    atheris.Setup(sys.argv, one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
