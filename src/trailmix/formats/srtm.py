"""SRTM elevation tiles (`.hgt`, `.hgt.zip`) from a folder, with bilinear interpolation.

A tile named N49E011 covers latitudes 49-50 and longitudes 11-12; its samples are big-endian
int16 metres, row by row from the north edge, west to east, edges shared with the neighbour
tiles. 3601 x 3601 samples is SRTM1 (1 arc-second), 1201 x 1201 SRTM3 (3 arc-seconds); the
file size tells which. -32768 marks a void.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np
import numpy.typing as npt

from trailmix.errors import FileFormatError

FloatArray = npt.NDArray[np.float64]
Int16Array = npt.NDArray[np.int16]

VOID = -32768
_SIZES = {3601 * 3601 * 2: 3601, 1201 * 1201 * 2: 1201}
_TILE_NAME = re.compile(r"^([NS])(\d{2})([EW])(\d{3})\.hgt(\.zip)?$", re.IGNORECASE)


def tile_name(lat: int, lon: int) -> str:
    """The SRTM name of the tile whose south-west corner is (lat, lon), e.g. N49E011."""
    return f"{'N' if lat >= 0 else 'S'}{abs(lat):02d}{'E' if lon >= 0 else 'W'}{abs(lon):03d}"


def read_tile(path: Path) -> Int16Array:
    """The samples of one tile as a square int16 array (north row first)."""
    name = str(path)
    try:
        if path.name.lower().endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.infolist() if m.filename.lower().endswith(".hgt")]
                if not members:
                    raise FileFormatError(name, "the zip file holds no .hgt tile")
                if members[0].file_size not in _SIZES:
                    raise FileFormatError(name, _size_problem(members[0].file_size))
                data = archive.read(members[0])
        else:
            size = path.stat().st_size
            if size not in _SIZES:
                raise FileFormatError(name, _size_problem(size))
            data = path.read_bytes()
    except (OSError, zipfile.BadZipFile) as exc:
        raise FileFormatError(name, f"cannot read the elevation tile: {exc}") from exc
    if len(data) not in _SIZES:
        raise FileFormatError(name, _size_problem(len(data)))
    side = _SIZES[len(data)]
    return np.frombuffer(data, dtype=">i2").astype(np.int16).reshape(side, side)


def _size_problem(size: int) -> str:
    return f"{size:,} bytes is not an SRTM tile (1201 x 1201 or 3601 x 3601 two-byte samples)"


class DemFolder:
    """The SRTM tiles in one folder. Tiles are read when first needed and kept in memory."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.is_dir():
            raise FileFormatError(str(self.path), "not a folder of elevation tiles")
        self._files: dict[tuple[int, int], Path] = {}
        for file in sorted(self.path.iterdir()):
            match = _TILE_NAME.match(file.name)
            if not match:
                continue
            ns, lat, ew, lon, zipped = match.groups()
            key = (
                int(lat) * (1 if ns.upper() == "N" else -1),
                int(lon) * (1 if ew.upper() == "E" else -1),
            )
            if key not in self._files or not zipped:  # prefer the unpacked tile
                self._files[key] = file
        self._tiles: dict[tuple[int, int], Int16Array] = {}

    @property
    def tiles(self) -> tuple[str, ...]:
        """Names of the tiles in the folder, e.g. ('N49E011', 'N50E011')."""
        return tuple(tile_name(lat, lon) for lat, lon in sorted(self._files))

    def covers(self, lat: float, lon: float) -> bool:
        """Whether a tile for this point is in the folder (voids aside)."""
        return (int(np.floor(lat)), int(np.floor(lon))) in self._files

    def _tile(self, key: tuple[int, int]) -> Int16Array:
        tile = self._tiles.get(key)
        if tile is None:
            tile = read_tile(self._files[key])
            self._tiles[key] = tile
        return tile

    def elevations(self, lat: FloatArray, lon: FloatArray) -> FloatArray:
        """Bilinearly interpolated elevation (m) at each point; NaN where no tile covers it or
        all four surrounding samples are voids. Voids among the four are left out of the
        weighted mean."""
        lat = np.asarray(lat, dtype=np.float64)
        lon = np.asarray(lon, dtype=np.float64)
        out = np.full(lat.shape, np.nan)
        finite = np.isfinite(lat) & np.isfinite(lon)
        base_lat = np.floor(np.where(finite, lat, 0)).astype(np.int64)
        base_lon = np.floor(np.where(finite, lon, 0)).astype(np.int64)
        # a point on a tile edge is also on the neighbour's edge (edges are shared), so it
        # may be read from the tile to the south or west when its own tile is missing
        on_lat_edge = finite & (lat == base_lat)
        on_lon_edge = finite & (lon == base_lon)
        for d_lat, d_lon, may in (
            (0, 0, finite),
            (1, 0, on_lat_edge),
            (0, 1, on_lon_edge),
            (1, 1, on_lat_edge & on_lon_edge),
        ):
            todo = may & np.isnan(out)
            if not todo.any():
                continue
            tile_lat, tile_lon = base_lat - d_lat, base_lon - d_lon
            keys = set(zip(tile_lat[todo].tolist(), tile_lon[todo].tolist(), strict=True))
            for key in keys:
                if key not in self._files:
                    continue
                m = todo & (tile_lat == key[0]) & (tile_lon == key[1])
                out[m] = _bilinear(self._tile(key), key, lat[m], lon[m])
        return out


def _bilinear(
    tile: Int16Array, key: tuple[int, int], lat: FloatArray, lon: FloatArray
) -> FloatArray:
    cells = tile.shape[0] - 1
    row = (key[0] + 1 - lat) * cells  # 0 at the north edge
    col = (lon - key[1]) * cells
    r0 = np.clip(np.floor(row).astype(np.int64), 0, cells - 1)
    c0 = np.clip(np.floor(col).astype(np.int64), 0, cells - 1)
    fr = np.clip(row - r0, 0.0, 1.0)
    fc = np.clip(col - c0, 0.0, 1.0)
    corners = (
        (tile[r0, c0], (1 - fr) * (1 - fc)),
        (tile[r0, c0 + 1], (1 - fr) * fc),
        (tile[r0 + 1, c0], fr * (1 - fc)),
        (tile[r0 + 1, c0 + 1], fr * fc),
    )
    total = np.zeros(len(lat))
    weight = np.zeros(len(lat))
    for values, w in corners:
        valid = values != VOID
        total += np.where(valid, values.astype(np.float64) * w, 0.0)
        weight += np.where(valid, w, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = np.where(weight > 1e-12, total / weight, np.nan)
    return np.asarray(result, dtype=np.float64)
