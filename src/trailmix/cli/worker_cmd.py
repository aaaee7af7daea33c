"""`trailmix worker`: imports queued by `trailmix serve --queue` (docs/web.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from trailmix.cli.common import DbOpt, err_console, open_db

QueueOpt = Annotated[
    str | None,
    typer.Option(
        "--queue",
        envvar="TRAILMIX_QUEUE",
        help="The job queue's URL, as given to 'trailmix serve --queue', e.g. "
        "redis://127.0.0.1:6379/0.",
    ),
]


def worker(
    queue: QueueOpt = None,
    db: DbOpt = None,
    burst: Annotated[
        bool, typer.Option(help="Import what is queued, then stop (else wait for more).")
    ] = False,
) -> None:
    """Run an import worker: it takes the uploads queued by 'trailmix serve --queue' one at a
    time and imports each into its runner's log, with progress the web page shows. Run as many
    as you want imports at once; Ctrl-C finishes the import at hand, then stops.

    Example: trailmix worker --queue redis://127.0.0.1:6379/0 --db postgresql+psycopg://u@h/db"""
    from trailmix.app import jobs
    from trailmix.errors import InputError

    url = queue
    if not url:
        raise InputError("give the job queue's URL (e.g. redis://127.0.0.1:6379/0).", "--queue")
    address = jobs.QueueAddress.parse(url)
    database = open_db(db)
    err_console.print(
        f"trailmix worker on {address.shown} queue {address.name} (database {database.url})",
        markup=False,
    )
    jobs.work(url, database, burst=burst)
