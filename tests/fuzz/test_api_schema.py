"""schemathesis against the API's own OpenAPI document: generated requests for every operation
(bounded: two each by default, `SCHEMATHESIS_EXAMPLES=N` for more) answer 2xx or 4xx, never
a 5xx."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

schemathesis = pytest.importorskip("schemathesis")


def test_no_operation_answers_5xx(tmp_path: Path, template_db: Path) -> None:
    from conftest import copy_of
    from support.webdata import WEB_DB, settings_for
    from trailmix.web import create_app

    copy_of(template_db, tmp_path / WEB_DB)
    app = create_app(settings_for(tmp_path))
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() not in ("GET", "POST", "PATCH"):
            continue
        strategy = operation.as_strategy()

        @settings(
            max_examples=int(os.environ.get("SCHEMATHESIS_EXAMPLES", "2")),
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            response = case.call(headers={"Origin": "http://testserver"})
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code}")

        from hypothesis import given

        given(strategy)(run)()
    assert not failures, failures
