#!/usr/bin/python3
"""Writes the hostile-input corpus to tests/Mirage.Tests/Fixtures/hostile/ (committed; CI has no Python).

One small file per kind: valid-but-unusual images (CMYK, progressive, EXIF orientations 1-8, 16-bit, palette,
gray+alpha, animated GIF, 1x1, 1x40000, non-ASCII and space names), broken ones (zero bytes, text, wrong extension,
truncated and corrupt JPEG/PNG/GIF/WebP/BMP) and decompression bombs (headers claiming huge sizes in every format,
PNM and TIFF included).
Kinds that cannot be committed (FIFOs, symlinks, loops, a folder named x.jpg, a file that vanishes between listing
and reading) are made by the tests at run time. What Mirage does with each kind is in
tests/Mirage.Tests/Data/HostileCorpusTests.cs and docs/hostile-inputs.md; a file here without a row there fails.

Run: /usr/bin/python3 tools/hostile_corpus.py   (Pillow, numpy; deterministic)
"""
import io
import os
import struct
import zlib

import numpy as np
from PIL import Image

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "Mirage.Tests", "Fixtures", "hostile")
rng = np.random.default_rng(11)


def photo(h=24, w=32):
    """A smooth colour picture (compresses like a photo, decodes the same everywhere)."""
    y, x = np.mgrid[0:h, 0:w]
    img = np.stack([x * 255 // max(w - 1, 1), y * 255 // max(h - 1, 1), (x + y) * 255 // max(h + w - 2, 1)], -1)
    return Image.fromarray(img.astype(np.uint8), "RGB")


def save(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def encode(img, fmt, **kw):
    b = io.BytesIO()
    img.save(b, fmt, **kw)
    return b.getvalue()


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_claiming(width, height):
    """A PNG whose IHDR claims width x height, followed by a tiny (short) IDAT: a bomb caught from the header."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def jpeg_claiming(width, height, progressive=False):
    """A real small JPEG with its SOF patched to claim width x height (the 631-byte bombs of issue 11)."""
    data = bytearray(encode(Image.new("RGB", (8, 8), (128, 128, 128)), "JPEG", quality=50, progressive=progressive))
    i = 2
    while i < len(data):
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            data[i + 5:i + 9] = struct.pack(">HH", height, width)
            return bytes(data)
        i += 2 + length
    raise RuntimeError("no SOF")


def gif_claiming(width, height):
    """A GIF whose logical screen and first frame claim width x height (16-bit fields: at most 65535)."""
    img = encode(Image.new("P", (2, 2)), "GIF")
    data = bytearray(img)
    data[6:10] = struct.pack("<HH", width, height)
    j = data.index(b"\x2c")  # first image descriptor
    data[j + 5:j + 9] = struct.pack("<HH", width, height)
    return bytes(data)


def webp_claiming(width, height):
    """A lossless WebP whose VP8L header claims width x height (14-bit fields: at most 16384)."""
    data = bytearray(encode(Image.new("RGB", (4, 4), (9, 99, 199)), "WEBP", lossless=True))
    k = data.index(b"VP8L") + 8 + 1  # after the chunk header and the signature byte 0x2f
    bits = struct.unpack("<I", data[k:k + 4])[0]
    bits = (bits & ~0x0FFFFFFF) | ((width - 1) & 0x3FFF) | (((height - 1) & 0x3FFF) << 14)
    data[k:k + 4] = struct.pack("<I", bits)
    return bytes(data)


def bmp_claiming(width, height):
    data = bytearray(encode(Image.new("RGB", (4, 4)), "BMP"))
    data[18:26] = struct.pack("<ii", width, height)
    return bytes(data)


def pnm_claiming(magic, width, height):
    """A binary PPM (P6) or PGM (P5) whose header claims width x height, followed by a few pixel bytes."""
    return f"{magic}\n{width} {height}\n255\n".encode() + bytes(range(48))


def tiff_claiming(width, height, big_endian=False):
    """A baseline RGB TIFF whose first directory claims width x height (LONG tags) over one 48-byte strip."""
    e = ">" if big_endian else "<"
    entries = [(256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 1), (262, 3, 2), (273, 4, 0),
               (277, 3, 3), (278, 4, height), (279, 4, 48)]
    strip = 8 + 2 + 12 * len(entries) + 4
    ifd = struct.pack(e + "H", len(entries))
    for tag, kind, value in entries:
        value = strip if tag == 273 else value
        field = struct.pack(e + "HH", value, 0) if kind == 3 else struct.pack(e + "I", value)
        ifd += struct.pack(e + "HHI", tag, kind, 1) + field
    header = (b"MM\0*" if big_endian else b"II*\0") + struct.pack(e + "I", 8)
    return header + ifd + struct.pack(e + "I", 0) + bytes(range(48))


def corrupt_middle(data, start_fraction=0.5, count=16):
    b = bytearray(data)
    s = int(len(b) * start_fraction)
    for k in range(count):
        b[s + k] ^= 0x5A
    return bytes(b)


def with_orientation(img, orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encode(img, "JPEG", quality=90, exif=exif.tobytes())


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    p = photo()
    jpeg = encode(p, "JPEG", quality=90)
    prog = encode(p, "JPEG", quality=90, progressive=True)
    png = encode(p, "PNG")
    gif = encode(p.convert("P"), "GIF")
    webp = encode(p, "WEBP", quality=80)
    webp_lossless = encode(p, "WEBP", lossless=True)
    bmp = encode(p, "BMP")

    # Valid, unusual.
    save("ok.jpg", jpeg)
    save("ok.png", png)
    save("ok.bmp", bmp)
    save("ok.webp", webp)
    save("ok-lossless.webp", webp_lossless)
    save("ok.gif", gif)
    save("progressive.jpg", prog)
    save("cmyk.jpg", encode(p.convert("CMYK"), "JPEG", quality=90))
    save("gray.jpg", encode(p.convert("L"), "JPEG", quality=90))
    for o in range(1, 9):
        save(f"exif-orientation-{o}.jpg", with_orientation(p, o))
    g16 = (np.arange(24 * 32, dtype=np.uint16).reshape(24, 32) * 85)
    save("gray16.png", encode(Image.fromarray(g16, "I;16"), "PNG"))
    save("palette.png", encode(p.convert("P", palette=Image.ADAPTIVE, colors=16), "PNG"))
    pt = p.convert("P", palette=Image.ADAPTIVE, colors=16)
    save("palette-transparency.png", encode(pt, "PNG", transparency=3))
    save("gray-alpha.png", encode(p.convert("LA"), "PNG"))
    save("rgba.png", encode(p.convert("RGBA"), "PNG"))
    frames = [photo().convert("P"), Image.new("P", (32, 24), 5), Image.new("P", (32, 24), 9)]
    save("animated.gif", encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=50, loop=0))
    save("1x1.png", encode(Image.new("RGB", (1, 1), (10, 20, 30)), "PNG"))
    save("1x40000.png", encode(Image.new("RGB", (1, 40000), (200, 100, 50)), "PNG"))
    save("40000x1.png", encode(Image.new("RGB", (40000, 1), (50, 100, 200)), "PNG"))
    save("naïve café 写真.jpg", jpeg)
    save("with space.png", png)

    # Not images, or not what the name says.
    save("zero-bytes.jpg", b"")
    save("text.jpg", b"This is not a JPEG, it is text that happens to be named .jpg.\n")
    save("png-named.jpg", png)
    save("jpeg-named.png", jpeg)
    save("html.png", b"<!DOCTYPE html><html><body>404 Not Found</body></html>\n")
    save("signature-only.png", png[:8])

    # Truncated and corrupt, every format.
    save("truncated-baseline.jpg", jpeg[: len(jpeg) // 2])
    save("truncated-progressive.jpg", prog[: len(prog) // 2])
    save("truncated-header.jpg", jpeg[:40])
    save("truncated.png", png[: len(png) // 2])
    save("truncated.gif", gif[: len(gif) // 2])
    save("truncated.webp", webp[: len(webp) // 2])
    save("truncated.bmp", bmp[: len(bmp) // 2])
    save("corrupt.jpg", corrupt_middle(jpeg, 0.6, 24))
    save("corrupt.png", corrupt_middle(png, 0.5))
    save("corrupt.gif", corrupt_middle(gif, 0.5, 40))
    save("corrupt.webp", corrupt_middle(webp, 0.5))
    save("corrupt-header.bmp", bmp[:14] + b"\xff" * 40 + bmp[54:])

    # Decompression bombs: the header claims far more than the file holds.
    save("bomb-30000x30000.jpg", jpeg_claiming(30000, 30000))
    save("bomb-20000x20000.jpg", jpeg_claiming(20000, 20000))
    save("bomb-26000x26000-progressive.jpg", jpeg_claiming(26000, 26000, progressive=True))
    save("bomb-65500x65500.jpg", jpeg_claiming(65500, 65500))
    save("bomb-20000x20000.png", png_claiming(20000, 20000))
    save("bomb-2147483647x1.png", png_claiming(2147483647, 1))
    save("bomb-65535x65535.gif", gif_claiming(65535, 65535))
    save("bomb-16384x16384.webp", webp_claiming(16384, 16384))
    save("bomb-100000x100000.bmp", bmp_claiming(100000, 100000))
    save("bomb-20000x20000.ppm", pnm_claiming("P6", 20000, 20000))
    save("bomb-30000x30000.pgm", pnm_claiming("P5", 30000, 30000))
    save("bomb-20000x20000.tif", tiff_claiming(20000, 20000))
    save("bomb-4294967295x1-big-endian.tif", tiff_claiming(4294967295, 1, big_endian=True))


if __name__ == "__main__":
    main()
