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
    queue: Annotated[
        str | None,
        typer.Option(
            "--queue",
            envvar="TRAILMIX_QUEUE",
            help="Import uploads through this job queue (redis://127.0.0.1:6379/0), run by "
            "'trailmix worker'; without one, imports run in the server.",
        ),
    ] = None,
) -> None:
    """Start the web app (http://127.0.0.1:8000) and its API (/api/v1). Single-user, no login.

    Example: trailmix serve --port 8000"""
    import uvicorn

    from trailmix.app.inputs import parse_port

    parse_port(port)

    from trailmix.web.app import create_app
    from trailmix.web.settings import LOCAL_HOSTS, Settings

    base = Settings.from_env(db)
    hosts = LOCAL_HOSTS if host in LOOPBACK else ("*",)
    settings = base.model_copy(update={"allowed_hosts": hosts})
    if queue:  # checked by queue_for below, as the Settings check the environment's
        settings = settings.model_copy(update={"queue_url": queue})
    if host not in LOOPBACK:
        err_console.print(
            f"[bold yellow]warning:[/] listening on {host}: trailmix has no login, so anyone "
            "who can reach this port can read and change your plan."
        )
    err_console.print(
        f"trailmix on http://{host}:{port} (database {settings.db_url})", markup=False
    )
    if settings.queue_url:
        from trailmix.app.jobs import QueueAddress, queue_for

        queue_for(settings.queue_url).ping()  # a queue that is not there: say so now
        shown = QueueAddress.parse(settings.queue_url).shown
        err_console.print(f"imports queued on {shown}: run 'trailmix worker'", markup=False)
    if reload:
        import os

        os.environ["TRAILMIX_DB"] = settings.db_url
        if settings.queue_url:
            os.environ["TRAILMIX_QUEUE"] = settings.queue_url
        uvicorn.run("trailmix.web.app:create_app", factory=True, host=host, port=port, reload=True)
        return
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
