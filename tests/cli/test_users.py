"""`trailmix users`: accounts of a multi-user server from the command line, with one-line errors
(a taken login, an unknown one, an empty or short password) and nothing half-written."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from support.cliharness import Run, run_cli
from trailmix.app import accounts
from trailmix.storage.db import Database

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        accounts, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


def users(db_url: str, *args: str, stdin: str | None = None) -> Run:
    return run_cli("users", *args, "--db", db_url, input=stdin)


def test_add_list_and_sign_in(db_url: str) -> None:
    r = users(db_url, "add", "Kim", "--name", "Kim Lee", "--password-stdin", stdin=PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    assert "added runner 'kim'" in r.stdout
    r = users(
        db_url, "add", "coachpat", "--coach", "--password-stdin", "-f", "json", stdin=PASSWORD
    )
    assert r.exit_code == 0 and r.json()["role"] == "coach"
    listed = users(db_url, "list", "--format", "json").json()
    assert [(u["login"], u["role"], u["can_sign_in"]) for u in listed] == [
        ("local", "runner", False),
        ("kim", "runner", True),
        ("coachpat", "coach", True),
    ]
    assert "password" not in str(listed)
    db = Database(db_url)
    assert accounts.sign_in(db, "kim", PASSWORD, "127.0.0.1").display_name == "Kim Lee"
    db.dispose()


def test_the_password_is_asked_twice_without_stdin(db_url: str) -> None:
    r = users(db_url, "add", "kim", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert r.exit_code == 0, r.output
    r = users(db_url, "add", "lee", stdin=f"{PASSWORD}\nsomething else\n{PASSWORD}\n{PASSWORD}\n")
    assert r.exit_code == 0 and "do not match" in r.output.lower()


@pytest.mark.parametrize(
    ("args", "stdin", "words"),
    [
        (("add", "local"), PASSWORD, "there is already a user 'local'"),
        (("add", "kim"), "\n", "the password is empty"),
        (("add", "kim"), "short\n", "at least 10 characters (a trailmix default)"),
        (("add", "no spaces"), PASSWORD, "is not a login"),
        (("reset-password", "nobody"), PASSWORD, "there is no user 'nobody'"),
        (("token", "nobody", "--name", "x"), None, "there is no user 'nobody'"),
        (("revoke-token", "local", "--name", "x"), None, "no live token named 'x'"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    db_url: str, args: tuple[str, ...], stdin: str | None, words: str
) -> None:
    extra = ("--password-stdin",) if stdin is not None else ()
    r = users(db_url, *args, *extra, stdin=stdin)
    assert r.exit_code == 2, r.output
    assert words in r.message and "Traceback" not in r.output
    assert len(r.stderr.strip().splitlines()) == 1
    assert [u["login"] for u in users(db_url, "list", "-f", "json").json()] == ["local"]


def test_a_token_is_printed_once_works_and_is_refused_once_revoked(db_url: str) -> None:
    users(db_url, "add", "kim", "--password-stdin", stdin=PASSWORD)
    r = users(db_url, "token", "kim", "--name", "watch sync")
    assert r.exit_code == 0, r.output
    token = r.stdout.strip()
    assert token.startswith("tmx_") and "shown this once" in r.stderr
    db = Database(db_url)
    who = accounts.token_user(db, token)
    assert who is not None and who.login == "kim"
    again = users(db_url, "token", "kim", "--name", "watch sync")
    assert again.exit_code == 2 and "already has a token named 'watch sync'" in again.message
    assert users(db_url, "list", "-f", "json").json()[1]["api_tokens"] == 1
    r = users(db_url, "revoke-token", "kim", "--name", "watch sync", "--format", "json")
    assert r.exit_code == 0 and r.json()["revoked"] == 1
    assert accounts.token_user(db, token) is None
    db.dispose()


def test_reset_password_replaces_it_and_ends_the_sessions(db_url: str) -> None:
    users(db_url, "add", "kim", "--password-stdin", stdin=PASSWORD)
    db = Database(db_url)
    kim = accounts.account_of(db, "kim")
    session = accounts.open_session(db, kim.id)
    r = users(db_url, "reset-password", "kim", "--password-stdin", stdin="a brand new secret\n")
    assert r.exit_code == 0, r.output
    assert accounts.session_user(db, session.cookie) is None
    with pytest.raises(accounts.SignInError):
        accounts.sign_in(db, "kim", PASSWORD, "127.0.0.1")
    assert accounts.sign_in(db, "kim", "a brand new secret", "127.0.0.1").login == "kim"
    db.dispose()
