"""The printable page in a real Chromium (Debian's, driven by Playwright): printed to PDF, every
"why" reason is on paper; on a phone-sized screen it is a stack of cards, not a 7-column table."""

from __future__ import annotations

import io
import itertools
import re
import unicodedata
from dataclasses import replace
from typing import Any

import pytest
from pypdf import PdfReader

from trailmix.domain.types import Plan
from trailmix.formats.html_plan import plan_to_html


@pytest.fixture(scope="module")
def coach_plan() -> Plan:
    from support.export_helpers import DATA, RUNNER
    from trailmix.domain.effort import heart_rate_model
    from trailmix.domain.imports.plan import import_plan
    from trailmix.domain.plan.mixer import MixOptions, mix
    from trailmix.domain.plan.prescribe import Prescriber
    from trailmix.domain.types import TrailPreference
    from trailmix.formats.plan_import import read_plan_file

    plan = import_plan(read_plan_file(DATA / "coach-half-km.ics"), RUNNER).plan
    assert plan.paces is not None
    return mix(
        plan, MixOptions(TrailPreference.ENJOY), Prescriber(plan.paces, heart_rate_model(RUNNER))
    )


def _squash(text: str) -> str:
    """Text without whitespace or hyphens, ligatures undone: PDF text comes back broken into
    lines, with "fi" as one glyph."""
    return re.sub(r"[\s\u00ad-]+", "", unicodedata.normalize("NFKC", text))


def _on_paper(reason: str, text: str) -> bool:
    """The reason's words in order in the PDF's text. A reason is on paper whole, but the text
    extraction may put a neighbouring column's line between two of its lines."""
    if _squash(reason) in text:
        return True
    at = 0
    start = None
    for word in reason.split():
        found = text.find(_squash(word), at)
        if found < 0:
            return False
        start = found if start is None else start
        at = found + len(_squash(word))
    return start is not None and at - start < 2000  # within a page's neighbouring lines


def test_every_reason_is_printed(browser: Any, coach_plan: Plan) -> None:
    plan = replace(coach_plan, weeks=coach_plan.weeks[:5])  # road and trail; a shorter PDF
    page = browser.new_page()
    page.set_content(plan_to_html(plan))
    pdf = page.pdf(format="A4", landscape=True, print_background=True)
    page.close()
    text = _squash("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    reasons = {r.text for s in plan.sessions for r in s.reasons}
    assert len(reasons) > 10
    missing = [r for r in reasons if not _on_paper(r, text)]
    assert missing == []


def test_a_phone_gets_cards_not_a_seven_column_table(browser: Any, coach_plan: Plan) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.set_content(plan_to_html(coach_plan))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the screen
    boxes = page.evaluate(
        "[...document.querySelectorAll('.s')].slice(0, 40).map(e => e.getBoundingClientRect())"
        ".map(r => [r.left, r.top, r.width, r.height])"
    )
    assert boxes and all(w > 300 for _, _, w, _ in boxes)  # each card takes the screen's width
    for (_, top_a, _, h_a), (_, top_b, _, _) in itertools.pairwise(boxes):
        assert top_b >= top_a + h_a - 1  # stacked: no card overlaps the next
    assert page.is_hidden("thead")
    page.close()
