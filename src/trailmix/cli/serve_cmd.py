"""`trailmix serve`: the web app and HTTP API on this machine (docs/web.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from trailmix.cli.common import DbOpt, err_console

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; the default keeps it on this machine.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    db: DbOpt = None,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development).")] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Worker processes answering on the same port and database (uvicorn "
            "workers). Meant for PostgreSQL; SQLite works with a few for light use, but "
            "its writes wait for each other.",
        ),
    ] = 1,
    queue: Annotated[
        str | None,
        typer.Option(
            "--queue",
            envvar="TRAILMIX_QUEUE",
            help="Import uploads through this job queue (redis://127.0.0.1:6379/0), run by "
            "'trailmix worker'; without one, imports run in the server.",
        ),
    ] = None,
    multi_user: Annotated[
        bool,
        typer.Option(
            "--multi-user",
            help="Accounts: everyone signs in (trailmix users add), each sees their own data.",
        ),
    ] = False,
    behind_https: Annotated[
        bool,
        typer.Option(
            "--behind-https", help="Served by an HTTPS proxy: cookies are sent only over HTTPS."
        ),
    ] = False,
) -> None:
    """Start the web app (http://127.0.0.1:8000) and its API (/api/v1). One runner and no login,
    or accounts with --multi-user.

    Example: trailmix serve --port 8000
    For a club: trailmix serve --db postgresql+psycopg://trailmix@127.0.0.1/trailmix
    --multi-user --workers 4"""
    import os

    import uvicorn

    from trailmix.app.inputs import parse_port
    from trailmix.errors import InputError

    parse_port(port)
    if reload and workers > 1:
        raise InputError("--reload restarts one process: use it without --workers.", "--workers")

    from trailmix.web.app import create_app
    from trailmix.web.settings import LOCAL_HOSTS, Settings

    base = Settings.from_env(db)
    hosts: tuple[str, ...] = LOCAL_HOSTS if host in LOOPBACK else ("*",)
    if os.environ.get("TRAILMIX_ALLOWED_HOSTS"):  # e.g. the public name a proxy sends
        hosts = base.allowed_hosts
    settings = base.model_copy(
        update={
            "allowed_hosts": hosts,
            "multi_user": multi_user or base.multi_user,
            "behind_https": behind_https or base.behind_https,
        }
    )
    if queue:  # checked by queue_for below, as the Settings check the environment's
        settings = settings.model_copy(update={"queue_url": queue})
    if host not in LOOPBACK and not settings.multi_user:
        err_console.print(
            f"[bold yellow]warning:[/] listening on {host} without --multi-user: there is no "
            "login, so anyone who can reach this port can read and change your plan."
        )
    if settings.multi_user:
        from trailmix.app.accounts import list_users
        from trailmix.app.store import open_store

        store = open_store(settings.db_url)
        try:
            users = [u for u in list_users(store) if u.has_password and u.active]
        finally:
            store.dispose()
        if not users:
            err_console.print(
                "[bold yellow]warning:[/] multi-user mode, but nobody can sign in yet: "
                "add someone with trailmix users add LOGIN"
            )
    err_console.print(
        f"trailmix on http://{host}:{port} (database {settings.db_url})", markup=False
    )
    if settings.queue_url:
        from trailmix.app.jobs import QueueAddress, queue_for

        queue_for(settings.queue_url).ping()  # a queue that is not there: say so now
        shown = QueueAddress.parse(settings.queue_url).shown
        err_console.print(f"imports queued on {shown}: run 'trailmix worker'", markup=False)
    if reload or workers > 1:
        # uvicorn starts these processes afresh: each builds its app from the environment
        # (Settings.from_env), so the settings go there. The schema is migrated here, once,
        # before the workers open the database together.
        from trailmix.app.store import open_store

        open_store(settings.db_url).dispose()
        os.environ["TRAILMIX_DB"] = settings.db_url
        if settings.queue_url:
            os.environ["TRAILMIX_QUEUE"] = settings.queue_url
        os.environ["TRAILMIX_MULTI_USER"] = "1" if settings.multi_user else ""
        os.environ["TRAILMIX_BEHIND_HTTPS"] = "1" if settings.behind_https else ""
        os.environ["TRAILMIX_ALLOWED_HOSTS"] = ",".join(settings.allowed_hosts)
        if workers > 1:
            err_console.print(f"{workers} worker processes", markup=False)
        uvicorn.run(
            "trailmix.web.app:create_app",
            factory=True,
            host=host,
            port=port,
            reload=reload,
            workers=workers if workers > 1 else None,
            log_level="info",
        )
        return
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
