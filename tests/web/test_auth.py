"""Accounts and sign-in (issue 19): Argon2 password hashes, the sign-in and sign-out flow,
throttling kept in the database, CSRF tokens on every form (in both modes), session cookies'
flags, personal API tokens, session expiry, and no open redirect after signing in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from support.webdata import ROAD_TCX, onboarding
from trailmix.app import accounts
from trailmix.storage.db import Database
from trailmix.storage.models import UserRow
from trailmix.web import Settings, create_app
from trailmix.web.auth import CSRF_COOKIE, SESSION_COOKIE, safe_next

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "trailmix" / "web" / "templates"
PASSWORD = "correct horse battery"
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
"""Argon2 at its cheapest, so that the tests sign in fast (the server uses the defaults)."""


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "PASSWORD_HASHER", CHEAP)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", None)


@pytest.fixture
def multi(settings: Settings) -> Settings:
    """The test's settings in multi-user mode, with one runner, kim."""
    db = Database(settings.db_url)
    accounts.add_user(db, "kim", PASSWORD, display_name="Kim Lee")
    db.dispose()
    return settings.model_copy(update={"multi_user": True})


@pytest.fixture
def web(multi: Settings) -> Iterator[TestClient]:
    """A client of the multi-user app that sends only what each test gives it."""
    with TestClient(create_app(multi)) as c:
        yield c


def form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF field in the page"
    return found.group(1)


def sign_in(client: TestClient, password: str = PASSWORD, next_url: str = "/") -> object:
    page = client.get("/login")
    assert page.status_code == 200
    data = {"login": "kim", "password": password, "next": next_url}
    data["csrf_token"] = form_token(page.text)
    return client.post("/login", data=data, follow_redirects=False)


# --- passwords ---------------------------------------------------------------------------------


def test_a_password_is_stored_as_an_argon2_hash_that_verifies_it_alone(db_url: str) -> None:
    db = Database(db_url)
    accounts.add_user(db, "kim", PASSWORD)
    with db.transaction() as s:
        stored = s.query(UserRow).filter_by(login="kim").one().password_hash
    assert stored is not None and stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert accounts.verify_password(stored, PASSWORD)
    assert not accounts.verify_password(stored, PASSWORD + "!")
    assert not accounts.verify_password(None, PASSWORD)
    assert accounts.sign_in(db, "KIM", PASSWORD, "1.2.3.4").login == "kim"
    db.dispose()


def test_a_hash_with_old_parameters_is_remade_when_signing_in(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(db_url)
    accounts.add_user(db, "kim", PASSWORD)
    stronger = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    monkeypatch.setattr(accounts, "PASSWORD_HASHER", stronger)
    accounts.sign_in(db, "kim", PASSWORD, "1.2.3.4")
    with db.transaction() as s:
        stored = s.query(UserRow).filter_by(login="kim").one().password_hash
    assert stored is not None and "m=16,t=2,p=1" in stored
    assert accounts.sign_in(db, "kim", PASSWORD, "1.2.3.4").login == "kim"
    db.dispose()


@pytest.mark.parametrize("bad", ["", "   ", "short", "x" * 9])
def test_an_empty_or_short_password_is_refused_with_the_rule(db_url: str, bad: str) -> None:
    db = Database(db_url)
    with pytest.raises(accounts.InputError) as err:
        accounts.add_user(db, "kim", bad)
    assert "empty" in err.value.message or "at least 10 characters" in err.value.message
    assert accounts.list_users(db)[-1].login == "local"
    db.dispose()


# --- signing in and out ------------------------------------------------------------------------


def test_pages_send_a_visitor_to_sign_in_and_back(web: TestClient) -> None:
    r = web.get("/plan?week=2", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=" + quote("/plan?week=2", safe="")
    r = sign_in(web, next_url="/trails")
    assert r.status_code == 303 and r.headers["location"] == "/trails"
    page = web.get("/trails")
    assert page.status_code == 200 and "Kim Lee" in page.text and "Sign out" in page.text
    assert web.get("/account").status_code == 200


def test_the_session_cookie_is_httponly_lax_and_secure_only_over_https(
    multi: Settings,
) -> None:
    with TestClient(create_app(multi)) as c:
        cookie = sign_in(c).headers["set-cookie"]  # type: ignore[attr-defined]
    assert f"{SESSION_COOKIE}=" in cookie
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    with TestClient(create_app(multi), base_url="https://testserver") as c:
        assert "Secure" in sign_in(c).headers["set-cookie"]  # type: ignore[attr-defined]
    proxied = multi.model_copy(update={"behind_https": True})
    with TestClient(create_app(proxied)) as c:
        assert "Secure" in sign_in(c).headers["set-cookie"]  # type: ignore[attr-defined]


def test_signing_out_deletes_the_session_on_the_server(web: TestClient) -> None:
    sign_in(web)
    stolen = web.cookies.get(SESSION_COOKIE)
    assert stolen
    token = form_token(web.get("/trails").text)
    r = web.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    web.cookies.set(SESSION_COOKIE, stolen)  # the old cookie, replayed
    assert web.get("/trails", follow_redirects=False).status_code == 303
    assert web.get("/api/v1/trails").status_code == 401


def test_a_wrong_password_is_refused_without_saying_which_part(web: TestClient) -> None:
    r = sign_in(web, password="not the password")
    assert r.status_code == 401  # type: ignore[attr-defined]
    assert "the login or the password is not right" in r.text  # type: ignore[attr-defined]
    assert SESSION_COOKIE not in web.cookies


def test_an_expired_session_signs_nobody_in(db_url: str, multi: Settings) -> None:
    db = Database(multi.db_url)
    kim = accounts.account_of(db, "kim")
    old = accounts.utc_now() - accounts.SESSION_LIFETIME - timedelta(minutes=1)
    expired = accounts.open_session(db, kim.id, now=old)
    fresh = accounts.open_session(db, kim.id)
    assert accounts.session_user(db, expired.cookie) is None
    assert accounts.session_user(db, fresh.cookie) is not None
    db.dispose()
    with TestClient(create_app(multi)) as c:
        c.cookies.set(SESSION_COOKIE, expired.cookie)
        assert c.get("/api/v1/trails").status_code == 401
        c.cookies.set(SESSION_COOKIE, fresh.cookie)
        assert c.get("/api/v1/trails").status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/plan\r\nSet-Cookie: x=1",
        "/login?next=//evil.example",
        "",
    ],
)
def test_next_is_only_ever_a_path_of_this_site(target: str) -> None:
    assert safe_next(target) == "/"


@given(
    st.text(max_size=40)
    | st.sampled_from(["/", "//", "/\\", "http:", "/%2F"]).flatmap(
        lambda head: st.text(max_size=20).map(lambda tail: head + tail)
    )
)
def test_next_never_leaves_the_site(target: str) -> None:
    where = safe_next(target)
    parts = urlsplit(where)
    assert where.startswith("/") and not where.startswith("//") and "\\" not in where
    assert not parts.scheme and not parts.netloc
    assert not any(ord(c) < 32 for c in where)
    assert where in ("/", target)


def test_next_keeps_a_local_path_and_the_flow_refuses_another_site(web: TestClient) -> None:
    assert safe_next("/sessions/2027-01-03?x=1") == "/sessions/2027-01-03?x=1"
    r = sign_in(web, next_url="//evil.example/steal")
    assert r.headers["location"] == "/"  # type: ignore[attr-defined]


# --- throttling ----------------------------------------------------------------------------------


def test_the_sixth_attempt_is_refused_and_says_when_to_try_again(web: TestClient) -> None:
    for _ in range(accounts.FAILURES_PER_LOGIN):
        assert sign_in(web, password="wrong password").status_code == 401  # type: ignore[attr-defined]
    r = sign_in(web)  # the right password, too late
    assert r.status_code == 429  # type: ignore[attr-defined]
    assert "try again in 15 minutes" in r.text  # type: ignore[attr-defined]
    assert "trailmix default" in r.text  # type: ignore[attr-defined]
    assert SESSION_COOKIE not in web.cookies


def test_throttling_is_kept_in_the_database_for_every_worker(db_url: str) -> None:
    """Two app workers are two processes with their own Database on one URL: failures seen
    by one count for the other; the window passes."""
    one, two = Database(db_url), Database(db_url)
    accounts.add_user(one, "kim", PASSWORD)
    now = accounts.utc_now()
    for i in range(accounts.FAILURES_PER_LOGIN):
        with pytest.raises(accounts.SignInError):
            accounts.sign_in((one, two)[i % 2], "kim", "wrong password", "10.0.0.1", now)
    later = now + timedelta(minutes=4)
    with pytest.raises(accounts.SignInError) as err:
        accounts.sign_in(two, "kim", PASSWORD, "10.0.0.2", later)
    assert err.value.status == 429 and "try again in 11 minutes" in err.value.message
    assert accounts.sign_in(one, "kim", PASSWORD, "10.0.0.2", now + timedelta(minutes=16))
    one.dispose()
    two.dispose()


def test_one_address_trying_many_logins_is_throttled_too(db_url: str) -> None:
    db = Database(db_url)
    accounts.add_user(db, "kim", PASSWORD)
    now = accounts.utc_now()
    for i in range(accounts.FAILURES_PER_ADDRESS):
        with pytest.raises(accounts.SignInError):
            accounts.sign_in(db, f"someone{i}", "wrong password", "10.9.9.9", now)
    with pytest.raises(accounts.SignInError) as err:
        accounts.sign_in(db, "kim", PASSWORD, "10.9.9.9", now)
    assert err.value.status == 429 and "from your address" in err.value.message
    assert accounts.sign_in(db, "kim", PASSWORD, "10.1.1.1", now).login == "kim"
    db.dispose()


# --- CSRF ----------------------------------------------------------------------------------------


def test_every_form_that_posts_carries_the_csrf_field() -> None:
    forms = 0
    for path in TEMPLATES.glob("*.html"):
        for tag in re.finditer(r"<form[^>]*>(.{0,40})", path.read_text(encoding="utf-8")):
            if 'method="post"' in tag.group(0):
                forms += 1
                assert "{{ csrf_field() }}" in tag.group(1), f"{path.name}: {tag.group(0)}"
    assert forms >= 12


def test_a_signed_in_form_without_or_with_a_wrong_token_is_refused(web: TestClient) -> None:
    sign_in(web)
    token = form_token(web.get("/trails").text)
    for sent in ({}, {"csrf_token": "not-the-token"}):
        r = web.post("/plan/remake", data=sent, follow_redirects=False)
        assert r.status_code == 403
        assert "security token" in r.text and "Reload the page" in r.text
    r = web.post("/api/v1/plans", json=onboarding())
    assert r.status_code == 403 and r.json()["field"] == "csrf_token"
    r = web.post("/api/v1/plans", json=onboarding(), headers={"X-CSRF-Token": token})
    assert r.status_code == 201
    r = web.post("/plan/remake", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303


def test_an_upload_form_carries_its_token_in_the_multipart_body(web: TestClient) -> None:
    """A form without scripts sends the token as a field of its multipart body, after the
    file: it is read from the parsed form."""
    sign_in(web)
    token = form_token(web.get("/log").text)
    run = {"files": ("road.tcx", ROAD_TCX.read_bytes())}
    refused = web.post("/log/upload", files=run, follow_redirects=False)
    assert refused.status_code == 403
    r = web.post("/log/upload", files=run, data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert len(web.get("/api/v1/activities").json()) == 1


def test_signing_in_itself_needs_the_login_pages_token(web: TestClient) -> None:
    data = {"login": "kim", "password": PASSWORD, "next": "/"}
    r = web.post("/login", data=data, headers={"origin": "http://testserver"})
    assert r.status_code == 403
    assert SESSION_COOKIE not in web.cookies


def test_a_local_server_refuses_a_browser_post_without_the_token(settings: Settings) -> None:
    """Single-user mode: no login, but a page must not make the browser post to it."""
    with TestClient(create_app(settings)) as c:
        page = c.get("/start")
        assert page.status_code == 200 and c.cookies.get(CSRF_COOKIE)
        token = form_token(page.text)
        browser = {"origin": "http://testserver", "sec-fetch-site": "same-origin"}
        r = c.post("/plan/update", headers=browser, follow_redirects=False)
        assert r.status_code == 403 and "CSRF" in r.text
        r = c.post("/api/v1/plans", json=onboarding(), headers=browser)
        assert r.status_code == 403
        r = c.post("/api/v1/plans", json=onboarding(), headers={**browser, "X-CSRF-Token": token})
        assert r.status_code == 201
    with TestClient(create_app(settings)) as program:  # curl: no cookie, no browser headers
        assert program.post("/api/v1/plans", json=onboarding()).status_code == 201


def test_the_local_runner_needs_no_login(settings: Settings) -> None:
    with TestClient(create_app(settings)) as c:
        assert c.get("/api/v1/trails").status_code == 200
        assert c.get("/login", follow_redirects=False).headers["location"] == "/"
        assert "Sign out" not in c.get("/start").text


# --- the API and personal tokens ------------------------------------------------------------


def test_the_api_answers_401_without_auth_and_200_with_a_live_token(
    web: TestClient, multi: Settings
) -> None:
    r = web.get("/api/v1/trails")
    assert r.status_code == 401 and "sign in first" in r.json()["detail"]
    assert r.headers["www-authenticate"].startswith("Bearer")
    db = Database(multi.db_url)
    _made, token = accounts.create_token(db, "kim", "script")
    bearer = {"Authorization": f"Bearer {token}"}
    assert web.get("/api/v1/trails", headers=bearer).status_code == 200
    # a program with its token needs no CSRF token (a browser cannot send that header)
    assert web.post("/api/v1/plans", json=onboarding(), headers=bearer).status_code == 201
    accounts.revoke_token(db, "kim", name="script")
    r = web.get("/api/v1/trails", headers=bearer)
    assert r.status_code == 401 and "revoked" in r.json()["detail"]
    assert (
        web.get("/api/v1/trails", headers={"Authorization": "Bearer tmx_guess"}).status_code == 401
    )
    db.dispose()


def test_the_account_page_makes_a_token_shown_once_and_revokes_it(web: TestClient) -> None:
    sign_in(web)
    page = web.get("/account")
    r = web.post("/account/tokens", data={"name": "watch", "csrf_token": form_token(page.text)})
    assert r.status_code == 201
    token = re.search(r"<code>(tmx_[^<]+)</code>", r.text)
    assert token, r.text
    anonymous = TestClient(web.app)
    bearer = {"Authorization": f"Bearer {token.group(1)}"}
    assert anonymous.get("/api/v1/trails", headers=bearer).status_code == 200
    again = web.get("/account").text
    assert token.group(1) not in again and "watch" in again
    revoke = re.search(r'action="(/account/tokens/\d+/revoke)"', again)
    assert revoke
    r = web.post(revoke.group(1), data={"csrf_token": form_token(again)}, follow_redirects=False)
    assert r.status_code == 303
    assert anonymous.get("/api/v1/trails", headers=bearer).status_code == 401


def test_changing_the_password_on_the_account_page(web: TestClient, multi: Settings) -> None:
    sign_in(web)
    page = web.get("/account").text
    data = {"current": PASSWORD, "new": "a new long secret", "again": "a new long secret"}
    r = web.post(
        "/account/password", data={**data, "csrf_token": form_token(page)}, follow_redirects=False
    )
    assert r.status_code == 303
    assert web.get("/account").status_code == 200  # this browser was signed in afresh
    db = Database(multi.db_url)
    assert accounts.sign_in(db, "kim", "a new long secret", "1.1.1.1").login == "kim"
    db.dispose()
