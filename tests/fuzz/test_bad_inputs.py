"""Issue 18's bad inputs, each the very input that gave a traceback, a 500 or a silent wrong
answer: now a one-line error naming the problem (and the accepted range), or a per-entry report."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from support.cliharness import Cli
from support.fuzzing import seeds
from trailmix.errors import FileFormatError, InputError, TrailmixError
from trailmix.formats import fit
from trailmix.formats.archive import open_archive
from trailmix.formats.plan_import import read_csv, read_ics
from trailmix.formats.readers import parse_track

GPX_PT = '<trkpt lat="{lat}" lon="8.0"><ele>{ele}</ele><time>{t}</time></trkpt>'


def _gpx(points: list[tuple[float, float, str]]) -> bytes:
    body = "".join(GPX_PT.format(lat=a, ele=e, t=t) for a, e, t in points)
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="t" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
        f"{body}</trkseg></trk></gpx>"
    ).encode()


def _entries(data: bytes) -> tuple[list[str], list[tuple[str, str]]]:
    with open_archive(data, "export.zip") as archive:
        names = [e.name for e in archive]
        return names, [(p.name, p.reason) for p in archive.problems + archive.skipped]


def _one_line(exc: TrailmixError) -> str:
    assert "\n" not in str(exc)
    return str(exc)


# --- 1. fitfast panics --------------------------------------------------------------------------


def test_a_rust_panic_in_fitfast_falls_back_to_fitdecode(monkeypatch: pytest.MonkeyPatch) -> None:
    class PanicException(BaseException):  # pyo3's class, recognised by its name
        pass

    def panic(data: bytes) -> Any:
        raise PanicException("attempt to calculate the remainder with a divisor of zero")

    if fit.fitfast is None:
        pytest.skip("fitfast is not installed here")
    monkeypatch.setattr(fit.fitfast, "records", panic)
    name, data = min(seeds("fit"), key=lambda s: len(s[1]))
    assert len(parse_track(data, name).lat) > 100


# --- 3. zip members -----------------------------------------------------------------------------


def _zip(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for n, d in members:
            zf.writestr(n, d)
    return buf.getvalue()


def _gpx_seed() -> bytes:
    return next(d for n, d in seeds("xml") if n.endswith(".gpx"))


def test_an_encrypted_member_is_reported_and_the_rest_read() -> None:
    data = bytearray(_zip([("a.gpx", _gpx_seed()), ("b.gpx", _gpx_seed())]))
    first = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    data[first + 6] |= 1
    data[central + 8] |= 1
    names, problems = _entries(bytes(data))
    assert names == ["b.gpx"]
    assert problems[0][0] == "a.gpx" and "encrypted" in problems[0][1]


def test_an_unsupported_compression_method_is_reported() -> None:
    data = bytearray(_zip([("a.gpx", _gpx_seed())]))
    for sig, at in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        k = data.find(sig)
        data[k + at : k + at + 2] = (99).to_bytes(2, "little")  # AES / unknown
    names, problems = _entries(bytes(data))
    assert names == [] and "method 99" in problems[0][1]


def test_a_damaged_member_is_reported_not_a_traceback() -> None:
    data = _zip([("a.gpx", _gpx_seed())])
    cut = data[:10] + data[11:]  # a byte gone: offsets point before the member
    with pytest.raises(FileFormatError) as exc:
        _names, problems = _entries(cut)
        assert problems  # when the zip still opens, the member is reported
        raise FileFormatError("x", "reported")
    _one_line(exc.value)


def test_a_csv_field_over_the_limit_is_reported_and_the_files_still_read() -> None:
    gpx = _gpx_seed()
    rows = io.StringIO()
    csv.writer(rows).writerows(
        [["Activity ID", "Activity Type", "Filename"], ["1", "Run", "x" * 200_000]]
    )
    data = _zip([("activities.csv", rows.getvalue().encode()), ("activities/a.gpx", gpx)])
    names, problems = _entries(data)
    assert names == ["activities/a.gpx"]
    assert any(n == "activities.csv" and "cannot be read" in r for n, r in problems)


def test_a_nested_zip_is_reported() -> None:
    inner = _zip([("a.gpx", _gpx_seed())])
    _, problems = _entries(_zip([("b.gpx", _gpx_seed()), ("old/inner.zip", inner)]))
    assert ("old/inner.zip", "a zip inside the archive: not opened; unzip it and import it on "
            "its own") in problems  # fmt: skip


# --- 4. plan files through mix ------------------------------------------------------------------

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:1\r\n"
    "SUMMARY:{title}\r\n{lines}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.mark.parametrize(
    ("lines", "words"),
    [
        ("DTSTART;VALUE=DATE:20270301\r\nDTSTART;VALUE=DATE:20270302", "2 DTSTART lines"),
        ("DTSTART;TZID=Europe/Berlin:20270301T070000\r\nDTEND:20270301T080000", "time zone"),
        ("DTSTART:2027-03-01", "DTSTART"),
        ("DTSTART;TZID=Europe:20270301T070000", "not valid iCalendar"),
        ("DTSTART:20270301T070000\r\nDURATION:PT" + "9" * 5000 + "M", "DURATION"),
        ("DTSTART;VALUE=DATE:20270301\r\nRDATE;VALUE=DATE:20270308", "repeats (RDATE)"),
        ("DTSTART;VALUE=DATE:99991231", "outside the accepted dates"),
    ],
)
def test_bad_ics_events_are_one_line_errors(lines: str, words: str) -> None:
    with pytest.raises(FileFormatError) as exc:
        read_ics(ICS.format(title="Easy 40 min", lines=lines).encode(), "plan.ics")
    assert words in _one_line(exc.value)


def test_cr_only_line_ends_are_read() -> None:
    text = ICS.format(title="Easy 40 min", lines="DTSTART;VALUE=DATE:20270301")
    entries = read_ics(text.replace("\r\n", "\r").encode(), "plan.ics")
    assert entries[0].title == "Easy 40 min"


def test_a_20000_digit_title_is_read_quickly() -> None:
    from trailmix.domain.imports.words import recognize

    t0 = time.perf_counter()
    recognize("1" * 20_000)
    assert time.perf_counter() - t0 < 1.0  # took minutes (catastrophic backtracking)


def test_a_400_digit_duration_in_a_csv_plan_is_refused_with_the_range() -> None:
    text = "date,title,duration\n2027-03-01,Easy run," + "9" * 400 + "\n"
    with pytest.raises(FileFormatError, match="session length of 0 to 600 min"):
        read_csv(text, "plan.csv")


# --- 5. absurd values ---------------------------------------------------------------------------


def test_a_half_marathon_goal_of_ten_minutes_is_refused(cli: Cli) -> None:
    r = cli(
        *("plan", "--distance", "half", "--race-date", "2027-04-18", "--goal-time", "0:10:00"),
        *("--recent-race", "10k=48:30", "--weekly-km", "40", "--days", "5"),
    )
    assert r.exit_code == 2 and "57:30 to 4:13:10" in r.message, r.output


@pytest.mark.parametrize("day", ["1900-01-01", "0001-01-01", "9999-12-31"])
def test_plans_outside_the_accepted_dates_are_refused(cli: Cli, day: str) -> None:
    r = cli("plan", "--distance", "half", "--race-date", day, "--recent-race", "10k=48:30")
    assert r.exit_code == 2 and "1990-01-01 to 2100-12-31" in r.message


def test_elevation_spikes_are_refused() -> None:
    pts = [(47.0 + i * 0.0001, 8000.0 * (i % 2), f"2026-05-01T10:00:{i:02d}Z") for i in range(30)]
    with pytest.raises(FileFormatError, match="climb per km"):
        parse_track(_gpx(pts), "spikes.gpx")


def test_an_impossible_speed_is_refused() -> None:
    pts = [(47.0 + i * 0.002, 400.0, f"2026-05-01T10:00:00.{i:02d}Z") for i in range(10)]
    with pytest.raises(FileFormatError, match=r"average speed of 0 to 12\.5 m/s"):
        parse_track(_gpx(pts), "fast.gpx")


def test_a_recording_years_long_is_refused() -> None:
    pts = [(47.0 + i * 0.0005, 400.0, f"{2024 + i // 5}-05-01T10:00:{i:02d}Z") for i in range(10)]
    with pytest.raises(FileFormatError, match="chained into one"):
        parse_track(_gpx(pts), "chained.gpx")


# --- 6. partial success -------------------------------------------------------------------------


def test_log_import_reports_a_bad_path_and_imports_the_rest(
    cli: Cli, write: Callable[[str, bytes | str], Path]
) -> None:
    xml = dict(seeds("xml"))
    a = write("a.tcx", xml["recife_2020-12-02T06_08_29-300_Running.tcx"])
    bad = write("notzip.txt", "hello")
    b = write("b.tcx", xml["recife_2020-12-04T19_09_21-300_Running.tcx"])
    r = cli("log", "import", str(a), str(bad), str(b))
    assert r.exit_code == 1, r.output
    assert "notzip.txt" in r.output
    assert len(cli("log", "list", "--format", "json").json()) == 2


def test_a_gpx_named_txt_is_read_by_its_content(
    cli: Cli, write: Callable[[str, bytes | str], Path]
) -> None:
    xml = dict(seeds("xml"))
    path = write("run.txt", xml["recife_2020-12-02T06_08_29-300_Running.tcx"])
    r = cli("log", "import", str(path))
    assert r.exit_code == 0, r.output
    assert len(cli("log", "list", "--format", "json").json()) == 1


# --- 7. database faults -------------------------------------------------------------------------


def test_a_database_from_a_newer_trailmix_says_upgrade(cli: Cli, db_url: str) -> None:
    path = db_url.removeprefix("sqlite:///")
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()
    r = cli("athlete", "show")
    assert r.exit_code == 2 and "made by a newer trailmix" in r.message
    assert "Traceback" not in r.output


def test_a_duplicate_at_commit_is_a_duplicate(db_url: str) -> None:
    from trailmix.app.log_import import import_files
    from trailmix.formats.readers import NamedBytes
    from trailmix.storage.db import Database, DuplicateError, StorageError
    from trailmix.storage.repo import Activities

    db = Database(db_url)
    xml = dict(seeds("xml"))
    run = NamedBytes("a.tcx", xml["recife_2020-12-02T06_08_29-300_Running.tcx"])
    import_files(db, [run])
    # Another import stored the file after this one looked: has_file said no.
    original = Activities.has_file
    Activities.has_file = lambda self, sha: False  # type: ignore[method-assign]
    try:
        report = import_files(db, [NamedBytes("again.tcx", run.data)])
    finally:
        Activities.has_file = original  # type: ignore[method-assign]
    assert not report.imported and report.duplicates, report
    assert issubclass(DuplicateError, StorageError)


# --- 8. out-of-range parameters -----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("log", "stats", "--date", "9999-12-31"),
        ("log", "list", "--weeks", "100000000"),
        ("export", "ics", "--tz", "Europe", "--time", "07:00"),
    ],
)
def test_cli_out_of_range_values_are_one_line_errors(cli: Cli, args: tuple[str, ...]) -> None:
    r = cli(*args)
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and r.message.count("error:") <= 1


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/trails/9223372036854775808",
        "/api/v1/log/stats?date=0001-01-01",
        "/api/v1/plans/current/plan.ics?time=07:00&tz=Europe",
    ],
)
def test_api_out_of_range_parameters_are_4xx_with_the_error_shape(client: Any, url: str) -> None:
    r = client.get(url)
    assert 400 <= r.status_code < 500, (url, r.status_code, r.text)
    assert "detail" in r.json()


def test_a_page_with_a_date_out_of_range_is_the_error_page(client: Any) -> None:
    r = client.get("/log?date=9999-12-31")
    assert r.status_code == 400 and "2100-12-31" in r.text


# --- 10. CSV formula injection ------------------------------------------------------------------


def test_csv_cells_that_would_be_formulas_are_made_inert() -> None:
    from trailmix.formats.plan_json import csv_cell

    assert csv_cell("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)" and csv_cell("+1") == "'+1"
    assert csv_cell("Easy run") == "Easy run" and csv_cell(-3) == -3


# --- 11. unpacked Strava folders ----------------------------------------------------------------


def test_a_strava_folder_cannot_point_outside_itself(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    (folder / "activities").mkdir(parents=True)
    (tmp_path / "ok.gpx").write_bytes(_gpx_seed())
    (folder / "activities.csv").write_text(
        "Activity ID,Activity Type,Filename\n1,Run,../ok.gpx\n2,Run,/etc/hostname\n"
    )
    with open_archive(folder) as archive:
        assert list(archive) == []
        assert all("outside the export's folder" in s.reason for s in archive.skipped)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_a_folder_is_skipped_with_a_word(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "run.gpx")
    (tmp_path / "b.gpx").write_bytes(_gpx_seed())
    with open_archive(tmp_path) as archive:
        assert [e.name for e in archive] == ["b.gpx"]
        assert [(p.name, "regular" in p.reason) for p in archive.problems] == [("run.gpx", True)]


# --- errors are one line ------------------------------------------------------------------------


def test_every_error_message_is_one_line() -> None:
    exc = InputError("line one\r\nline two\n" + "x" * 5000)
    assert "\n" not in exc.message and len(exc.message) <= 600


# --- 6, 8, 12: the command line -----------------------------------------------------------------


def test_plan_output_to_an_unwritable_file_stores_nothing(cli: Cli) -> None:
    r = cli(
        *("plan", "--distance", "half", "--race-date", "2027-04-18", "--start", "2026-12-01"),
        *("--recent-race", "10k=48:30", "--format", "json", "-o", "/proc/x.json"),
    )
    assert r.exit_code == 2 and "cannot write /proc/x.json" in r.message
    assert cli("plan", "show").exit_code == 2  # no plan became current


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("serve", "--port", "70000"), "1 to 65,535"),
        (("demo", "--out", "/proc/demo"), "cannot write into /proc/demo"),
    ],
)
def test_out_of_range_flags(cli: Cli, args: tuple[str, ...], words: str) -> None:
    r = cli(*args)
    assert r.exit_code == 2 and words in r.message, r.output


def test_a_non_utf8_file_name_is_imported(cli: Cli, tmp_path: Path) -> None:
    xml = dict(seeds("xml"))
    folder = tmp_path / "runs"
    folder.mkdir()
    name = os.fsdecode(b"run\xff.tcx")
    (folder / name).write_bytes(xml["recife_2020-12-02T06_08_29-300_Running.tcx"])
    r = cli("log", "import", str(folder))
    assert r.exit_code == 0, r.output
    assert cli("log", "list", "--format", "json").json()[0]["file_name"] == "run\ufffd.tcx"


def test_re_running_trails_add_reports_stored_files(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a.gpx").write_bytes(_gpx_seed())
    assert cli("trails", "add", str(tmp_path)).exit_code == 0
    r = cli("trails", "add", str(tmp_path))
    assert r.exit_code == 0 and "already stored as trail" in r.output


def test_trails_show_json_is_valid_json(cli: Cli, tmp_path: Path) -> None:
    import json

    (tmp_path / "a.gpx").write_bytes(_gpx_seed())
    cli("trails", "add", str(tmp_path / "a.gpx"))
    r = cli("trails", "show", "1", "--format", "json")
    assert "Infinity" not in r.stdout and "NaN" not in r.stdout
    json.loads(r.stdout, parse_constant=lambda c: pytest.fail(f"{c} in the JSON"))


# --- 9, 12: the web app -------------------------------------------------------------------------


def test_the_back_link_never_leaves_the_site(client: Any) -> None:
    r = client.get("/log?date=9999-12-31", headers={"Referer": "http://testserver//evil.com"})
    assert r.status_code == 400 and "//evil.com" not in r.text


def test_an_upload_without_a_length_stops_at_the_limit(client: Any) -> None:
    """Through the app: a chunked body over the limit is a 413 in the API's error shape."""
    r = client.post(
        "/api/v1/activities",
        content=iter([b"x" * (1024 * 1024)] * 8),  # 8 MB, no length; the test limit is 2 MB
        headers={"Content-Type": "multipart/form-data; boundary=z", "Origin": "http://testserver"},
    )
    assert r.status_code == 413 and "detail" in r.json()


def test_the_upload_limit_stops_reading_a_body_without_a_length() -> None:
    """The middleware itself: past the limit the app sees the client gone and reads no more."""
    import asyncio

    from trailmix.web.app import FORM_OVERHEAD, UploadLimit

    pulled = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"x" * 65536, "more_body": pulled < 100_000}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def app(scope: Any, rcv: Any, snd: Any) -> None:  # reads like a multipart parser
        while (await rcv())["type"] == "http.request":
            pass
        raise RuntimeError("client disconnected")

    scope = {"type": "http", "method": "POST", "path": "/api/v1/activities", "headers": [],
             "query_string": b"", "scheme": "http", "server": ("t", 80), "root_path": "",
             "app": None}  # fmt: skip
    asyncio.run(UploadLimit(app, limit=1024 * 1024)(scope, receive, send))  # type: ignore[arg-type]
    assert pulled * 65536 <= 1024 * 1024 + FORM_OVERHEAD + 2 * 65536
    assert sent[0]["status"] == 413


# --- 7: read-only database, full disk ----------------------------------------------------------


def _athlete_saved(db: Any) -> None:
    from trailmix.domain.types import Athlete
    from trailmix.storage.repo import Athletes

    Athletes(db).save(Athlete(name="x" * 200_000))


def test_a_read_only_database_is_one_line(db_url: str) -> None:
    from trailmix.storage.db import Database, StorageError

    path = db_url.removeprefix("sqlite:///")
    db = Database(f"sqlite:///file:{path}?mode=ro&uri=true")
    with pytest.raises(StorageError, match="is read-only"):
        _athlete_saved(db)


def test_a_full_disk_is_one_line_and_stores_nothing(db_url: str) -> None:
    from sqlalchemy import event

    from trailmix.storage.db import Database, StorageError
    from trailmix.storage.repo import Athletes

    db = Database(db_url)

    def full(dbapi_conn: Any, _record: Any) -> None:  # the file may not grow: a full disk
        cur = dbapi_conn.cursor()
        pages = cur.execute("PRAGMA page_count").fetchone()[0]
        cur.execute(f"PRAGMA max_page_count = {pages}")
        cur.close()

    db.engine.dispose()
    event.listen(db.engine, "connect", full)
    with pytest.raises(StorageError, match="is full; nothing was stored"):
        _athlete_saved(db)
    assert Athletes(db).get() is None


def test_a_session_sized_beyond_the_limits_is_refused_by_mix(runner: Any) -> None:
    from trailmix.domain.imports.plan import import_plan

    text = "date,title\n2027-03-01,Easy 999999 min\n2027-03-07,Half marathon race\n"
    with pytest.raises(InputError, match="session length of 0 to 600 min"):
        import_plan(read_csv(text, "plan.csv"), runner)
