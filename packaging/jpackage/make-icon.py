#!/usr/bin/env python3
"""Draws Quire's icon (a white "Q" ring with a tail on a rounded indigo square) as a 256x256 PNG, standard library
only. Usage: make-icon.py OUTPUT.png"""
import math
import struct
import sys
import zlib

SIZE = 256
BACKGROUND = (63, 81, 181)
FOREGROUND = (255, 255, 255)


def coverage(x, y):
    """Returns (background alpha, foreground share) of the pixel centre (x, y), 4x4 supersampled."""
    inside_bg = 0
    inside_fg = 0
    for sx in range(4):
        for sy in range(4):
            px = x + (sx + 0.5) / 4
            py = y + (sy + 0.5) / 4
            # rounded square, corner radius 48
            r = 48
            qx = max(abs(px - SIZE / 2) - (SIZE / 2 - 8 - r), 0)
            qy = max(abs(py - SIZE / 2) - (SIZE / 2 - 8 - r), 0)
            if math.hypot(qx, qy) > r:
                continue
            inside_bg += 1
            d = math.hypot(px - 124, py - 120)
            ring = 52 <= d <= 76
            # the tail: a thick segment from the ring's lower right outwards
            tx, ty = px - 150, py - 146
            along = (tx + ty) / math.sqrt(2)
            across = abs(tx - ty) / math.sqrt(2)
            tail = -6 <= along <= 52 and across <= 12
            if ring or tail:
                inside_fg += 1
    return inside_bg / 16, (inside_fg / inside_bg if inside_bg else 0)


def main(path):
    rows = []
    for y in range(SIZE):
        row = bytearray([0])
        for x in range(SIZE):
            alpha, share = coverage(x, y)
            colour = [round(b + (f - b) * share) for b, f in zip(BACKGROUND, FOREGROUND)]
            row += bytes(colour + [round(alpha * 255)])
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))
    png += chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    with open(path, "wb") as out:
        out.write(png)


if __name__ == "__main__":
    main(sys.argv[1])
