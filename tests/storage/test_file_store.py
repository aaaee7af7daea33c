"""Run files kept compressed (storage/filepack.py, migration 0008): what `file_bytes` hands
back is the file as imported, byte for byte; XML shrinks, an already packed file is kept as it
came; a damaged or unknown stored form is a clear error, never wrong bytes. On SQLite and on
PostgreSQL (the `db_url` fixture's stores)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from support.logdata import ACTIVITIES
from support.migrations import alembic
from trailmix.app.log_import import import_paths
from trailmix.storage import filepack
from trailmix.storage.db import Database, StorageError
from trailmix.storage.repo import Activities

TCX = ACTIVITIES / "road" / "fr410_rolling_road_run.tcx"
FIT = ACTIVITIES / "road" / "fenix2_stavanger_run.fit"
GPX_GZ = ACTIVITIES / "road" / "applewatch_healthfit_run.gpx.gz"


@given(st.binary(max_size=4096))
def test_pack_then_unpack_gives_the_bytes_back(data: bytes) -> None:
    stored, compression = filepack.pack(data)
    assert filepack.unpack(stored, compression) == data
    assert compression in (None, filepack.ZSTD)
    if compression is None:
        assert stored == data  # kept as it came when packing saves too little


def test_xml_shrinks_and_a_packed_file_is_kept_as_it_came() -> None:
    tcx = TCX.read_bytes()
    stored, compression = filepack.pack(tcx)
    assert compression == filepack.ZSTD and len(stored) * 8 < len(tcx)
    gz = GPX_GZ.read_bytes()
    assert filepack.pack(gz) == (gz, None)
    assert gzip.decompress(gz)  # (a real gzip file: the case is what it says)


def test_a_damaged_or_unknown_stored_file_is_an_error() -> None:
    stored, compression = filepack.pack(TCX.read_bytes())
    with pytest.raises(StorageError, match="damaged"):
        filepack.unpack(stored[: len(stored) // 2], compression)
    with pytest.raises(StorageError, match=r"'brotli'.*newer version"):
        filepack.unpack(stored, "brotli")


def test_an_import_stores_each_file_compressed_and_gives_it_back_whole(
    db_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "runs"
    folder.mkdir()
    for f in (TCX, FIT, GPX_GZ):
        (folder / f.name).write_bytes(f.read_bytes())
    db = Database(db_url)
    try:
        report = import_paths(db, [folder])
        assert len(report.imported) == 3, report
        log = Activities(db)
        with db.engine.connect() as conn:
            rows = dict(
                conn.execute(sa.text("SELECT activity_id, compression FROM activity_files")).all()
            )
        for rec in report.imported:
            original = (folder / str(rec.file_name)).read_bytes()
            assert log.file_bytes(rec.id) == original
            expected = None if rec.file_name == GPX_GZ.name else filepack.ZSTD
            assert rows[rec.id] == expected, rec.file_name
    finally:
        db.dispose()


def _down_and_up(url: str) -> None:
    db = Database(url)
    rec = import_paths(db, [TCX]).imported[0]
    db.dispose()
    alembic(url, "downgrade", "0007_activity_files")
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            cols = {c["name"] for c in sa.inspect(conn).get_columns("activity_files")}
            data = conn.execute(sa.text("SELECT data FROM activity_files")).scalar_one()
        assert "compression" not in cols
        assert bytes(data) == TCX.read_bytes()  # the older schema's plain bytes
    finally:
        engine.dispose()
    db = Database(url)  # up again: the row stays, as imported
    try:
        assert Activities(db).file_bytes(rec.id) == TCX.read_bytes()
    finally:
        db.dispose()


@pytest.mark.sqlite_only
def test_the_migration_down_gives_plain_bytes_back_on_sqlite(tmp_path: Path) -> None:
    _down_and_up(f"sqlite:///{tmp_path / 'files.db'}")


def test_the_migration_down_gives_plain_bytes_back_on_postgresql(pg_database: str) -> None:
    _down_and_up(pg_database)
