#!/usr/bin/env python3
"""Makes a small MBTiles file for the tests and benchmarks: plain PNG tiles (a colour per
tile, a darker edge) covering a square around a point, for a range of zooms.

    make_mbtiles.py OUT.mbtiles --lat 51.8 --lon 68.3 --half-km 3 --zooms 10-17 [--texture]

--texture fills each tile with noise so that its PNG compresses about as badly as aerial
imagery does (for download-size benchmarks); without it a tile is a few hundred bytes.
"""
import argparse
import math
import random
import sqlite3
import struct
import zlib


def tile_of(lat, lon, zoom):
    n = 2 ** zoom
    lat = max(min(lat, 85.051128), -85.051128)
    rad = math.radians(lat)
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.log(math.tan(rad) + 1.0 / math.cos(rad)) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def png(width, height, pixel):
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))
    return png_rows(width, height, rows)


def png_rows(width, height, rows):

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def tile_png(zoom, x, y, texture):
    base = ((x * 53 + y * 97 + zoom * 31) % 120 + 100, (x * 17 + zoom * 7) % 80 + 150, (y * 29) % 90 + 120)
    rng = random.Random(zoom * 1_000_003 + x * 1_009 + y)
    if not texture:
        edge = bytes((60, 60, 60))
        line = b"\x00" + edge * 256
        middle = b"\x00" + edge + bytes(base) * 254 + edge
        return png_rows(256, 256, line + middle * 254 + line)

    def pixel(px, py):
        if px in (0, 255) or py in (0, 255):
            return (60, 60, 60)
        if texture:
            return tuple(min(255, max(0, c + rng.randint(-24, 24))) for c in base)
        return base

    return png(256, 256, pixel)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--lat", type=float, required=True)
    parser.add_argument("--lon", type=float, required=True)
    parser.add_argument("--half-km", type=float, default=3.0)
    parser.add_argument("--zooms", default="10-17")
    parser.add_argument("--texture", action="store_true")
    args = parser.parse_args()
    low, high = (int(z) for z in args.zooms.split("-"))
    dlat = args.half_km / 111.32
    dlon = args.half_km / (111.32 * math.cos(math.radians(args.lat)))
    db = sqlite3.connect(args.out)
    db.executescript(
        "DROP TABLE IF EXISTS metadata; DROP TABLE IF EXISTS tiles;"
        "CREATE TABLE metadata (name TEXT, value TEXT);"
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);"
        "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"
    )
    metadata = {
        "name": "test tiles",
        "format": "png",
        "minzoom": str(low),
        "maxzoom": str(high),
        "attribution": "Test tiles",
    }
    db.executemany("INSERT INTO metadata VALUES (?, ?)", metadata.items())
    count = 0
    for zoom in range(low, high + 1):
        x0, y0 = tile_of(args.lat + dlat, args.lon - dlon, zoom)
        x1, y1 = tile_of(args.lat - dlat, args.lon + dlon, zoom)
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                row = 2 ** zoom - 1 - y  # MBTiles rows count from the south (TMS).
                db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (zoom, x, row, tile_png(zoom, x, y, args.texture)))
                count += 1
    db.commit()
    db.close()
    print(count)


if __name__ == "__main__":
    main()
