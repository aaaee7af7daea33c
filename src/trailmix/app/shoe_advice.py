"""The plan's shoe advice (R10) naming the runner's own pair: "your Speedgoat, 412 km".

Worked out when a plan is shown (the CLI's table and `explain`, the web's plan and session
pages), not stored in the plan: a pair's kilometres grow with every run, and the stored plan
(docs/plan-json.md) keeps R10's kind of shoe only. Light to import: `trailmix plan show` reads
the pairs of a SQLite file with sqlite3 alone (storage/quick.py), as it reads the plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from trailmix.domain.log.shoes import GENERIC, Pair, ShoeAdvice, ShoeKind, advice
from trailmix.domain.types import Shoe

if TYPE_CHECKING:
    from trailmix.storage.db import Database

Advice = Mapping[Shoe, ShoeAdvice]


def advice_for(pairs: list[Pair]) -> dict[Shoe, ShoeAdvice]:
    """R10's advice per kind of shoe, naming one of `pairs` where one fits."""
    out: dict[Shoe, ShoeAdvice] = {}
    for shoe in Shoe:
        found = advice(shoe, pairs)
        if found is not None:
            out[shoe] = found
    return out


def plan_advice(db: Database) -> dict[Shoe, ShoeAdvice]:
    """The advice with the runner's pairs in use (their km summed from the log)."""
    from trailmix.app.shoes import pairs

    return advice_for(pairs(db))


def advice_at(url: str | None) -> dict[Shoe, ShoeAdvice]:
    """`plan_advice` of the database at `url`: a SQLite file at the latest schema is read with
    sqlite3 alone (the local runner's pairs), anything else is opened the ordinary way."""
    from trailmix.storage.config import resolve_url
    from trailmix.storage.quick import shoe_rows

    rows = shoe_rows(resolve_url(url))
    if rows is None:
        from trailmix.app.store import open_store

        return plan_advice(open_store(url))
    found = []
    for shoe_id, name, kind, retire_km, retired, km, last in rows:
        if retired:
            continue
        used = datetime.fromisoformat(last).date() if last else None
        found.append(
            Pair(shoe_id, name, ShoeKind(kind) if kind else None, km, retire_km, retired, used)
        )
    return advice_for(found)


def shoe_words(advised: Advice, shoe: Shoe | str | None) -> str:
    """A session's shoe in words: the runner's pair when known, else R10's own words."""
    if shoe is None or shoe == "":
        return ""
    kind = Shoe(shoe)
    found = advised.get(kind)
    return found.text if found is not None else GENERIC[kind]
