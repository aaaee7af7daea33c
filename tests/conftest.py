"""Every shared fixture, in one place (helper modules are in tests/support).

- settings: the ../shared data folder and the hypothesis profiles;
- every test: wide, colourless output, and never the user's real database;
- databases: one migrated template per session, copied for each test that needs a database;
  on SQLite and, for the storage, log and web tests, on PostgreSQL too (`store`, below);
- the command line: `run`, `cli` on this test's own database, the plan JSON schema;
- plan files (import and export), real activities, OSM extracts and DEM tiles;
- the web app: test client, live server and headless Chromium.

Heavy modules (the CLI, the web app, OSM) are imported inside the fixtures that need them, so a
run of a few unit tests does not pay for them.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from support.cliharness import Cli, Run
    from trailmix.domain.osm.graph import Graph
    from trailmix.domain.types import Athlete
    from trailmix.formats.osm import OsmArea
    from trailmix.formats.srtm import DemFolder
    from trailmix.web import Settings

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SCHEMA_FILE = files("trailmix") / "schemas" / "plan.schema.json"

# ---------------------------------------------------------------------------------------------
# Settings: hypothesis profiles (HYPOTHESIS_PROFILE=ci|thorough) and the shared data folder

hypothesis_settings.register_profile(
    "default",
    max_examples=40,  # each run draws new examples; HYPOTHESIS_PROFILE=ci or thorough for more
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile("ci", max_examples=120, deadline=None, derandomize=True)
hypothesis_settings.register_profile("thorough", max_examples=1500, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder beside the repository (CI lays it there)."""
    assert SHARED.is_dir(), f"{SHARED} is missing: clone the repo beside ../shared"
    return SHARED


@pytest.fixture(scope="session")
def shared_data(shared: Path) -> Path:
    """../shared/data: activities, osm, dem."""
    return shared / "data"


@pytest.fixture(scope="session")
def activities(shared_data: Path) -> Path:
    """The shared activities folder (../shared/data/activities)."""
    return shared_data / "activities"


# ---------------------------------------------------------------------------------------------
# Every test


@pytest.fixture(autouse=True)
def _quiet_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Wide, colourless output, no DEM folder from the environment; and never the user's real
    database, even by mistake."""
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TRAILMIX_DEM", raising=False)
    monkeypatch.setenv("TRAILMIX_DB", f"sqlite:///{tmp_path / 'env-default.db'}")


# ---------------------------------------------------------------------------------------------
# Databases
#
# Two stores: SQLite (a copy of one migrated template file per test) and PostgreSQL (one
# database per xdist worker on the server of TRAILMIX_TEST_PG or 127.0.0.1:5432, emptied before
# each test: support/pgstore.py). A test that uses a database through `db_url`, `cli`,
# `settings` or `client` runs on both (ids `[sqlite]`, `[postgresql]`) when it is in
# tests/storage, or marked `both_stores` in tests/log and tests/web (the tests that store and
# query: imports, duplicates, RPE, sums, paging, trails, exports; running every log and web test
# twice would cost about 20 s more of the suite's ~100); unless marked `sqlite_only` (it reads
# the SQLite file itself). Every other test runs on SQLite. `--store postgresql` runs every
# storage, log and web test on PostgreSQL (`--store all`: on both), `--store sqlite` on SQLite.
# Without a server the PostgreSQL variants are skipped with a message naming TRAILMIX_TEST_PG;
# under CI=true they fail.

STORES = ("sqlite", "postgresql")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--store",
        choices=("both", "all", *STORES),
        default="both",
        help="both (default): tests/storage and the both_stores tests on SQLite and PostgreSQL; "
        "postgresql: every storage, log and web test on PostgreSQL; all: every one on both; "
        "sqlite: SQLite only (PostgreSQL is TRAILMIX_TEST_PG or 127.0.0.1:5432)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: the test reads or breaks the SQLite file itself: one store"
    )
    config.addinivalue_line(
        "markers", "both_stores: a log or web test that runs on SQLite and on PostgreSQL"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store" not in metafunc.fixturenames:
        return
    node = metafunc.definition
    if node.get_closest_marker("sqlite_only"):
        return
    chosen = metafunc.config.getoption("--store")
    area = node.path.parent.name
    if chosen in ("postgresql", "all"):  # every storage, log and web test, not a sample
        if area in ("storage", "log", "web"):
            stores = STORES if chosen == "all" else ("postgresql",)
            metafunc.parametrize("store", stores, indirect=True, scope="function")
        return
    if area != "storage" and not node.get_closest_marker("both_stores"):
        return
    stores = STORES if chosen == "both" else (chosen,)
    metafunc.parametrize("store", stores, indirect=True, scope="function")


@pytest.fixture
def store(request: pytest.FixtureRequest) -> str:
    """The database this test runs on: "sqlite" (the default) or "postgresql"."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The PostgreSQL server's libpq URL (support/pgstore.py), or the test is skipped (failed
    under CI=true) with a message naming TRAILMIX_TEST_PG."""
    from support.pgstore import find_server

    url, why = find_server()
    if url is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true needs PostgreSQL for the [postgresql] tests: {why}")
        pytest.skip(f"PostgreSQL tests skipped: {why}")
    return url


@pytest.fixture(scope="session")
def pg_worker_db(pg_server: str, worker_id: str) -> Iterator[Any]:
    """This worker's database on the server, migrated once, dropped at the end."""
    from support.pgstore import WorkerDatabase

    db = WorkerDatabase(pg_server, worker_id)
    db.create()
    try:
        yield db
    finally:
        db.drop()


@pytest.fixture
def pg_url(pg_worker_db: Any) -> str:
    """This worker's PostgreSQL database, clean for this test: its postgresql+psycopg URL."""
    pg_worker_db.reset()
    return str(pg_worker_db.url)


@pytest.fixture
def pg_database(pg_server: str) -> Iterator[str]:
    """A new empty database on the server (not migrated) for this test alone; dropped after."""
    from support.pgstore import WorkerDatabase

    db = WorkerDatabase(pg_server, "own")
    db.create(migrate=False)
    try:
        yield db.url
    finally:
        db.drop()


def copy_of(template: Path, path: Path) -> str:
    """A copy of the migrated template database at `path`; its URL."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database migrated to the latest schema, made once per session (once per
    xdist worker: each has its own basetemp). The database fixtures copy it, so the Alembic
    migrations run once instead of in every test; opening a copy still calls migrate(), a no-op
    at head. tests/storage/test_migrations.py runs the migrations on fresh files itself."""
    from trailmix.storage.db import Database

    path = tmp_path_factory.mktemp("template") / "trailmix.db"
    Database(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture
def db_url(tmp_path: Path, template_db: Path, store: str, request: pytest.FixtureRequest) -> str:
    """This test's own database: a copy of the migrated SQLite template, or (store
    "postgresql") this worker's PostgreSQL database emptied."""
    if store == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return copy_of(template_db, tmp_path / "trailmix.db")


@pytest.fixture
def trail_library(db_url: str) -> Iterator[dict[str, int]]:
    """A small trail library stored straight in the database (no CLI for trails yet):
    a flat dirt loop, a hilly trail with one climb fit for repeats, a technical ridge."""
    from trailmix.storage.db import Database
    from trailmix.storage.models import TrailRow

    db = Database(db_url)
    with db.transaction() as s:
        rows = {
            "dirt": TrailRow(
                name="Riverside dirt loop",
                category="dirt",
                length_km=6.0,
                gain_m=20.0,
                loss_m=20.0,
                analysis={},
            ),
            "hilly": TrailRow(
                name="Quarry hill",
                category="hilly",
                length_km=5.0,
                gain_m=150.0,
                loss_m=150.0,
                analysis={
                    "hills": [
                        {
                            "start_km": 1.0,
                            "length_m": 400.0,
                            "gain_m": 32.0,
                            "avg_grade": 0.08,
                            "max_grade": 0.11,
                            "suits_repeats": True,
                            "suits_sprints": False,
                        }
                    ]
                },
            ),
            "technical": TrailRow(
                name="Rocky ridge",
                category="technical",
                length_km=7.0,
                gain_m=300.0,
                loss_m=300.0,
                analysis={},
            ),
        }
        s.add_all(rows.values())
        s.flush()
        ids = {k: r.id for k, r in rows.items()}
    db.dispose()
    yield ids


# ---------------------------------------------------------------------------------------------
# The command line
#
# `trailmix.cli.main` (not the bare Typer app) is what the console script runs: it is the part
# that turns a TrailmixError into one red line and exit code 2, so the tests call it, inside
# `CliRunner().isolation()`, instead of `CliRunner.invoke(app)`, which would bypass it
# (support/cliharness.py).


@pytest.fixture
def run() -> Cli:
    """`run("demo", ...)`: trailmix with exactly these arguments (no --db added)."""
    from support.cliharness import run_cli

    return run_cli


@pytest.fixture
def cli(db_url: str) -> Cli:
    """`cli("plan", ...)` runs trailmix with `--db` pointing at this test's own database;
    `cli(..., db=URL)` at another one, `db=None` with no --db at all."""
    from support.cliharness import run_cli

    def _run(*args: str, db: str | None = db_url) -> Run:
        return run_cli(*args, *(["--db", db] if db else []))

    return _run


@pytest.fixture(scope="session")
def plan_schema() -> dict[str, Any]:
    """src/trailmix/schemas/plan.schema.json."""
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


def _errors(validator: Any, doc: object) -> list[str]:
    """Every validation error as 'path: message', so a failing assert says what is wrong."""
    return [
        f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(doc)
    ]


@pytest.fixture(scope="session")
def plan_errors(plan_schema: dict[str, Any]) -> Callable[[object], list[str]]:
    """`plan_errors(doc)`: what is wrong with a plan document by plan.schema.json ([] if valid)."""
    from jsonschema import Draft202012Validator, FormatChecker

    Draft202012Validator.check_schema(plan_schema)
    validator = Draft202012Validator(plan_schema, format_checker=FormatChecker())
    return lambda doc: _errors(validator, doc)


@pytest.fixture(scope="session")
def session_errors(plan_schema: dict[str, Any]) -> Callable[[object], list[str]]:
    """`session_errors(obj)`: the same for one session, by the schema's own session definition."""
    from jsonschema import Draft202012Validator, FormatChecker

    schema = {
        "$schema": plan_schema["$schema"],
        "$defs": plan_schema["$defs"],
        "$ref": "#/$defs/session",
    }
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    return lambda doc: _errors(validator, doc)


@pytest.fixture(scope="session")
def sample_plan(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> dict[str, Any]:
    """Issue 2's sample runner's half-marathon plan as JSON, made once per test run.
    Shared: deep-copy it before changing it."""
    from support.cliharness import run_cli

    db = copy_of(template_db, tmp_path_factory.mktemp("sample") / "plan.db")
    r = run_cli(
        *("plan", "--distance", "half", "--race-date", "2027-04-18", "--start", "2026-12-01"),
        *("--recent-race", "10k=48:30", "--weekly-km", "40", "--days", "5"),
        *("--format", "json", "--db", db),
    )
    assert r.exit_code == 0, r.output
    doc: dict[str, Any] = r.json()
    return doc


# ---------------------------------------------------------------------------------------------
# Plan files to import, and the runner they are mixed for (support/export_helpers.py)


@pytest.fixture
def data() -> Path:
    """The plan files of tests/support/plans (a coach's ICS, a book's CSV, ...)."""
    from support.export_helpers import DATA

    return DATA


@pytest.fixture
def runner() -> Athlete:
    """A 48:30 10K runner, 40 years old, resting HR 52."""
    from support.export_helpers import RUNNER

    return RUNNER


# ---------------------------------------------------------------------------------------------
# Route files made on the spot


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, bytes | str], Path]:
    """Write bytes or text to a file in tmp_path and return its path."""

    def _write(name: str, content: bytes | str) -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return path

    return _write


def _gpx_doc(
    points: list[tuple[float, float, float | None, str | None]], *, prolog: str = ""
) -> str:
    """A one-segment GPX 1.1 document; each point is (lat, lon, ele or None, ISO time or None)."""
    rows = []
    for lat, lon, ele, time in points:
        inner = (f"<ele>{ele}</ele>" if ele is not None else "") + (
            f"<time>{time}</time>" if time else ""
        )
        rows.append(f'<trkpt lat="{lat}" lon="{lon}">{inner}</trkpt>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + prolog
        + '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
        + "<trk><name>test</name><trkseg>"
        + "".join(rows)
        + "</trkseg></trk></gpx>"
    )


@pytest.fixture
def gpx_doc() -> Callable[..., str]:
    """The GPX document builder `_gpx_doc`, as a fixture."""
    return _gpx_doc


# ---------------------------------------------------------------------------------------------
# OpenStreetMap extracts: each read and its network built once (support/osmdata.py)


@pytest.fixture(scope="session")
def dem() -> DemFolder:
    """The shared SRTM tiles (../shared/data/dem)."""
    from support.osmdata import DEM
    from trailmix.formats.srtm import DemFolder

    return DemFolder(DEM)


@pytest.fixture(scope="session")
def bayreuth_area() -> OsmArea:
    from support.osmdata import BAYREUTH, BAYREUTH_HOME
    from trailmix.formats.osm import read_runnable_ways

    return read_runnable_ways(BAYREUTH, *BAYREUTH_HOME, 4.0)


@pytest.fixture(scope="session")
def bayreuth(bayreuth_area: OsmArea, dem: DemFolder) -> Graph:
    from support.osmdata import FLAT_SPEED
    from trailmix.domain.osm.graph import build_graph

    return build_graph(bayreuth_area.ways, dem, flat_speed_ms=FLAT_SPEED, effort=3.0)


@pytest.fixture(scope="session")
def andorra_area() -> OsmArea:
    """The whole of Andorra (a 40 km radius covers the extract)."""
    from support.osmdata import ANDORRA
    from trailmix.formats.osm import read_runnable_ways

    return read_runnable_ways(ANDORRA, 42.55, 1.6, 40.0)


@pytest.fixture(scope="session")
def andorra_hills(dem: DemFolder) -> Graph:
    from support.osmdata import ANDORRA, ANDORRA_HILLS, FLAT_SPEED
    from trailmix.domain.osm.graph import build_graph
    from trailmix.formats.osm import read_runnable_ways

    area = read_runnable_ways(ANDORRA, *ANDORRA_HILLS, 3.0)
    return build_graph(area.ways, dem, flat_speed_ms=FLAT_SPEED, effort=3.0)


@pytest.fixture(scope="session")
def andorra_peaks(dem: DemFolder) -> Graph:
    from support.osmdata import ANDORRA, ANDORRA_PEAKS, FLAT_SPEED
    from trailmix.domain.osm.graph import build_graph
    from trailmix.formats.osm import read_runnable_ways

    area = read_runnable_ways(ANDORRA, *ANDORRA_PEAKS, 3.0)
    return build_graph(area.ways, dem, flat_speed_ms=FLAT_SPEED, effort=3.0)


# ---------------------------------------------------------------------------------------------
# The web app: FastAPI's test client on a temporary database, and (for the browser tests) the
# app served on 127.0.0.1 with headless Chromium (support/webdata.py)


@pytest.fixture
def settings(
    tmp_path: Path, template_db: Path, store: str, request: pytest.FixtureRequest
) -> Settings:
    """The web app's settings: this test's folder and database (a copy of the migrated
    template, or this worker's PostgreSQL database emptied), a 2 MB upload limit."""
    from support.webdata import WEB_DB, settings_for

    if store == "postgresql":
        return settings_for(tmp_path, db_url=str(request.getfixturevalue("pg_url")))
    copy_of(template_db, tmp_path / WEB_DB)
    return settings_for(tmp_path)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    from fastapi.testclient import TestClient

    from support.webdata import sends_csrf_token
    from trailmix.web import create_app

    with TestClient(create_app(settings)) as c:
        yield sends_csrf_token(c)


@pytest.fixture
def planned(client: TestClient) -> TestClient:
    """A client whose database holds the sample runner's plan."""
    from datetime import date

    from support.webdata import WEB_DB, onboarding

    db = client.app.state.db  # type: ignore[attr-defined]
    if db.engine.dialect.name != "sqlite":
        r = client.post("/api/v1/plans", json=onboarding())
        assert r.status_code == 201, r.text
        return client
    # SQLite: the first test of a worker (on a day: the plan starts today) makes the plan
    # through the API; later ones get a copy of that database file (~0.15 s each, for a
    # fixture used by ~100 tests). The app has read nothing yet (its parsed-plan cache is
    # empty) and its connections are closed before the file is swapped.
    file = Path(str(db.engine.url.database))
    seeded = _PLANNED_DB.get(date.today())
    if seeded is None:
        r = client.post("/api/v1/plans", json=onboarding())
        assert r.status_code == 201, r.text
        db.dispose()
        seeded = file.parent.parent / f"planned-{date.today()}-{WEB_DB}"
        shutil.copyfile(file, seeded)
        _PLANNED_DB[date.today()] = seeded
    else:
        assert not db.parsed_plans
        db.dispose()
        shutil.copyfile(seeded, file)
    return client


_PLANNED_DB: dict[Any, Path] = {}
"""The `planned` database file made by this worker, by day."""


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where the browser tests leave their screenshots (tests/web/artifacts)."""
    from support.webdata import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Iterator[str]:
    """The app on 127.0.0.1 with its own empty database, for one test module."""
    from support.webdata import WEB_DB, served, settings_for

    folder = tmp_path_factory.mktemp("live")
    copy_of(template_db, folder / WEB_DB)
    with served(settings_for(folder)) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (never Playwright's own download):
    one browser per xdist worker (each test opens its own context, so nothing is shared)."""
    from support.webdata import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); not in CI, so skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()
