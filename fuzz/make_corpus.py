"""Write the seed corpus of the atheris harnesses: the real shared files each reader starts
from (tests/support/fuzzing.py `target_seeds`), one folder per target under fuzz/corpus/.

    PYTHONPATH=src:tests .venv/bin/python fuzz/make_corpus.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from support.fuzzing import TARGETS, target_seeds  # noqa: E402


def main() -> None:
    for key, target in TARGETS.items():
        folder = ROOT / "fuzz" / "corpus" / key.replace("/", "-")
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in target_seeds(target):
            (folder / name).write_bytes(data)
        print(f"{folder.relative_to(ROOT)}: {len(target_seeds(target))} files")


if __name__ == "__main__":
    main()
