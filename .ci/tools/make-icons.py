"""Draws the app icons (public/icons/*.png) with the standard library only.

A green square with a light roof-and-house shape: the village council. The maskable icon keeps
the shape inside the central 80 % safe zone. Run once; the PNGs are committed.
"""
import struct
import sys
import zlib
from pathlib import Path

GREEN = (15, 94, 74)
LIGHT = (246, 244, 238)
GOLD = (232, 178, 48)


def inside_house(x, y, scale, ox, oy):
    # Coordinates in a 100x100 design box.
    u = (x - ox) / scale
    v = (y - oy) / scale
    roof = 20 <= v <= 48 and abs(u - 50) <= (v - 20) * 1.15
    body = 46 <= v <= 80 and 26 <= u <= 74
    door = 58 <= v <= 80 and 44 <= u <= 56
    sun = (u - 78) ** 2 + (v - 20) ** 2 <= 8 ** 2
    if door:
        return GREEN
    if roof or body:
        return LIGHT
    if sun:
        return GOLD
    return None


def draw(size, safe_fraction):
    box = size * safe_fraction
    scale = box / 100
    ox = oy = (size - box) / 2
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            row.extend(inside_house(x + 0.5, y + 0.5, scale, ox, oy) or GREEN)
        rows.append(bytes(row))
    return b"".join(rows)


def png(size, pixels):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(pixels, 9)) + chunk(b"IEND", b""))


def main(out_dir):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, size, safe in [("icon-192.png", 192, 0.9), ("icon-512.png", 512, 0.9),
                             ("icon-maskable-512.png", 512, 0.7)]:
        (out / name).write_bytes(png(size, draw(size, safe)))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "public/icons")
