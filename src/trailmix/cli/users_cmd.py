"""`trailmix users add|list|reset-password|token|revoke-token`: the accounts of a multi-user
server (`trailmix serve --multi-user`), managed from the command line."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from trailmix.cli.common import (
    DataFormat,
    DbOpt,
    FormatOpt,
    console,
    dump_json,
    err_console,
    open_db,
)
from trailmix.errors import InputError

if TYPE_CHECKING:
    from trailmix.app.accounts import Account

app = typer.Typer(help="Accounts of a multi-user server (trailmix serve --multi-user).")

LoginArg = Annotated[str, typer.Argument(help="The user's login (letters, digits, . _ @ + -).")]
PasswordStdinOpt = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from the first line of stdin (for scripts) instead of asking.",
    ),
]


def _password(from_stdin: bool) -> str:
    """The new password: the first line of stdin, or asked twice without echo."""
    from trailmix.app.accounts import check_password

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt(
            "Password", hide_input=True, confirmation_prompt=True, err=True, default=""
        )
    if password == "":
        raise InputError("the password is empty.", "password")
    return check_password(password)


def _account_dict(a: Account, tokens: int | None = None) -> dict[str, object]:
    out: dict[str, object] = {
        "id": a.id,
        "login": a.login,
        "name": a.display_name,
        "role": a.role,
        "active": a.active,
        "can_sign_in": a.has_password and a.active,
        "created_at": a.created_at.isoformat(timespec="seconds"),
    }
    if tokens is not None:
        out["api_tokens"] = tokens
    return out


@app.command("add")
def add(
    login: LoginArg,
    name: Annotated[str | None, typer.Option(help="The name shown (default: the login).")] = None,
    coach: Annotated[bool, typer.Option("--coach", help="A coach rather than a runner.")] = False,
    password_stdin: PasswordStdinOpt = False,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Add a user who signs in with a password (asked twice, at least 10 characters).

    Example: trailmix users add kim --name "Kim Lee" """
    from trailmix.app import accounts

    store = open_db(db)
    accounts.check_new_login(store, login)  # a taken login is said before the password is asked
    password = _password(password_stdin)
    account = accounts.add_user(
        store, login, password, display_name=name, role="coach" if coach else "runner"
    )
    if fmt is DataFormat.JSON:
        typer.echo(dump_json(_account_dict(account)))
        return
    console.print(f"added {account.role} {account.login!r} (user {account.id})", markup=False)


@app.command("list")
def list_users(fmt: FormatOpt = DataFormat.TABLE, db: DbOpt = None) -> None:
    """Every user: login, name, role, whether they can sign in, their live API tokens.

    Example: trailmix users list --format json"""
    from trailmix.app import accounts

    store = open_db(db)
    users = accounts.list_users(store)
    counts = accounts.live_token_counts(store)
    rows = [_account_dict(a, counts.get(a.id, 0)) for a in users]
    if fmt is DataFormat.JSON:
        typer.echo(dump_json(rows))
        return
    t = Table(title="Users")
    for col in ("id", "login", "name", "role", "can sign in", "API tokens"):
        t.add_column(col)
    for r in rows:
        t.add_row(
            str(r["id"]),
            str(r["login"]),
            str(r["name"]),
            str(r["role"]),
            "yes" if r["can_sign_in"] else "no",
            str(r["api_tokens"]),
        )
    console.print(t)


@app.command("reset-password")
def reset_password(
    login: LoginArg,
    password_stdin: PasswordStdinOpt = False,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Give a user a new password; their web sessions end (their API tokens stay).

    Example: trailmix users reset-password kim"""
    from trailmix.app import accounts

    store = open_db(db)
    accounts.account_of(store, login)  # an unknown login is said before the password is asked
    password = _password(password_stdin)
    account = accounts.reset_password(store, login, password)
    if fmt is DataFormat.JSON:
        typer.echo(dump_json(_account_dict(account)))
        return
    console.print(f"new password for {account.login!r}; signed out everywhere", markup=False)


@app.command("token")
def token(
    login: LoginArg,
    name: Annotated[str, typer.Option(help="What the token is for (unique among theirs).")],
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Make a personal API token for a user and print it, once (only its hash is kept).

    Example: trailmix users token kim --name "watch sync" """
    from trailmix.app import accounts

    store = open_db(db)
    made, secret = accounts.create_token(store, login, name)
    if fmt is DataFormat.JSON:
        data = {"id": made.id, "login": login.strip().lower(), "name": made.name, "token": secret}
        typer.echo(dump_json(data))
        return
    sys.stdout.write(secret + "\n")  # alone on stdout, for `TOKEN=$(trailmix users token ...)`
    err_console.print(
        f"token {made.name!r} for {login!r}: shown this once (only its hash is kept); send it "
        "as Authorization: Bearer <token>",
        markup=False,
        highlight=False,
    )


@app.command("revoke-token")
def revoke_token(
    login: LoginArg,
    name: Annotated[str, typer.Option(help="The name of the token to revoke.")],
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Revoke a user's API token by its name: it is refused from then on.

    Example: trailmix users revoke-token kim --name "watch sync" """
    from trailmix.app import accounts

    store = open_db(db)
    count = accounts.revoke_token(store, login, name=name)
    if fmt is DataFormat.JSON:
        typer.echo(dump_json({"login": login.strip().lower(), "name": name, "revoked": count}))
        return
    console.print(f"revoked {count} token(s) named {name!r} of {login!r}", markup=False)
