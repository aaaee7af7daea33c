"""Multi-user mode in a real browser (headless Chromium): sent to sign in and back, the pages'
forms and the upload script carry the CSRF token, signing out ends the session."""

from __future__ import annotations

from typing import Any

import pytest
from argon2 import PasswordHasher

from support.webdata import ROAD_GPX_GZ, served
from trailmix.app import accounts
from trailmix.storage.db import Database
from trailmix.web import Settings

PASSWORD = "correct horse battery"


def test_sign_in_use_the_pages_and_sign_out(
    browser: Any, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        accounts, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    settings = settings.model_copy(update={"multi_user": True})
    db = Database(settings.db_url)
    accounts.add_user(db, "kim", PASSWORD, display_name="Kim Lee")
    db.dispose()
    with served(settings) as base:
        ctx = browser.new_context()
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(base + "/log")
        assert page.url == base + "/login?next=%2Flog"
        page.fill("input[name=login]", "kim")
        page.fill("input[name=password]", PASSWORD)
        page.click("#login button[type=submit]")
        page.wait_for_url(base + "/log")
        cookie = next(c for c in ctx.cookies() if c["name"] == "trailmix_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        # the upload script (XMLHttpRequest) sends the page's token
        page.set_input_files("input[name=files]", str(ROAD_GPX_GZ))
        page.click("#log-upload button[type=submit]")
        page.wait_for_selector("#import-report")
        assert "Imported 1 run(s)" in page.locator("#import-report").inner_text()
        # a plain form post (the RPE of the run) carries it as a hidden field
        row = page.locator("table.runs tbody tr").first
        row.locator("input[name=rpe]").fill("4")
        row.locator("form.rpe button").click()
        page.wait_for_url("**/log*")
        assert row.locator("input[name=rpe]").input_value() == "4"
        page.click("header .who button[type=submit]")
        page.wait_for_url(base + "/login")
        page.goto(base + "/plan")
        assert "/login?next=%2Fplan" in page.url
        ctx.close()
        assert errors == []
