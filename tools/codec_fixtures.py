#!/usr/bin/python3
"""Generates codec fixtures and their Pillow/Keras oracles for tests/Mirage.Tests/Codecs.

Run by hand from the repository root:  /usr/bin/python3 tools/codec_fixtures.py
Output (committed): tests/Mirage.Tests/Fixtures/codecs/  and  samples/{chelsea,astronaut}.jpg

Each oracle is what keras_preprocessing.image.load_img(path, color_mode=m) + img_to_array give, stored as raw
uint8 HWC bytes (<name>.<mode>.raw) with its shape in manifest.json, so the tests need no .npy reader.
"""
import io
import json
import os
import struct
import sys
import zlib

import numpy as np
import PIL
from PIL import Image
from keras_preprocessing.image import load_img, img_to_array

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "Mirage.Tests", "Fixtures", "codecs")
SAMPLES = os.path.join(ROOT, "samples")
SKDATA = "/usr/lib/python3/dist-packages/skimage/data"

# Odd sizes on purpose: they catch stride and chroma-subsampling edge bugs.
W, H = 39, 25


def photo(name, box, size=(W, H)):
    img = Image.open(os.path.join(SKDATA, name)).convert("RGB")
    return img.crop(box).resize(size, Image.LANCZOS)


def with_alpha(rgb):
    """RGBA whose alpha sweeps 0..255 across x, with a fully transparent and a fully opaque band."""
    a = np.asarray(rgb).copy()
    h, w, _ = a.shape
    alpha = np.tile(np.linspace(0, 255, w).round().astype(np.uint8), (h, 1))
    alpha[:3, :] = 0
    alpha[-3:, :] = 255
    return Image.fromarray(np.dstack([a, alpha]), "RGBA")


def gif_on_canvas(gif, canvas_w, canvas_h, left, top):
    """Enlarges the logical screen and moves the first image to (left, top)."""
    b = bytearray(gif)
    b[6:10] = canvas_w.to_bytes(2, "little") + canvas_h.to_bytes(2, "little")
    pos = 13 + (3 << ((b[10] & 7) + 1) if b[10] & 0x80 else 0)
    while b[pos] == 0x21:  # skip extensions
        pos += 2
        while b[pos]:
            pos += b[pos] + 1
        pos += 1
    assert b[pos] == 0x2C
    b[pos + 1:pos + 5] = left.to_bytes(2, "little") + top.to_bytes(2, "little")
    return bytes(b)


def png16(width, height, color_type, samples, interlace=False):
    """A 16-bit PNG (Pillow writes 16-bit only for gray): big-endian samples, filter 0 per row (sub for odd rows)."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color_type]
    a = np.asarray(samples, dtype=">u2").reshape(height, width * channels)
    raw = b""
    for y in range(height):
        row = a[y].tobytes()
        if y % 2:  # filter 1 (sub) on odd rows, so the unfilter is exercised
            bpp = 2 * channels
            row = bytes((row[i] - (row[i - bpp] if i >= bpp else 0)) & 0xFF for i in range(len(row)))
            raw += b"\x01" + row
        else:
            raw += b"\x00" + row

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 16, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def pnm(magic, width, height, maxval, values, channels):
    """Binary (P5/P6) or plain (P2/P3) PNM with a comment in the header."""
    head = f"{magic}\n# made by tools/codec_fixtures.py\n{width} {height}\n{maxval}\n".encode()
    v = np.asarray(values).reshape(-1)
    if magic in ("P2", "P3"):
        rows = [" ".join(str(int(x)) for x in v[i:i + width * channels]) for i in range(0, v.size, width * channels)]
        return head + ("\n".join(rows) + "\n").encode()
    return head + v.astype(">u2" if maxval > 255 else np.uint8).tobytes()


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))

    cat = photo("chelsea.png", (150, 40, 150 + 188, 40 + 124))
    astro = photo("astronaut.png", (150, 40, 150 + 235, 40 + 155))
    rgba = with_alpha(astro)
    gray = cat.convert("L")

    entries = []

    def save(name, img, fmt, is_exact, note="", **kw):
        img.save(os.path.join(OUT, name), fmt, **kw)
        entries.append({"file": name, "exact": is_exact, "note": note})

    # Lossless formats: Mirage must match Pillow bit for bit.
    save("rgb.png", cat, "PNG", True)
    save("rgba.png", rgba, "PNG", True, "straight alpha incl. 0 and 255; rgb drops alpha, no compositing")
    save("gray.png", gray, "PNG", True, "1-channel source stays as it is")
    save("gray_alpha.png", Image.merge("LA", (gray, rgba.getchannel("A"))), "PNG", True)
    save("palette.png", cat.quantize(64), "PNG", True)
    pal_t = astro.quantize(32)
    pal_t.info["transparency"] = 0
    save("palette_trns.png", pal_t, "PNG", True, "palette with tRNS index 0", transparency=0)
    save("rgb.bmp", cat, "BMP", True)
    # GIF: two frames; only the first is read.
    f0 = cat.quantize(64)
    f1 = astro.quantize(64)
    f0.save(os.path.join(OUT, "anim.gif"), "GIF", save_all=True, append_images=[f1], duration=100, loop=0)
    entries.append({"file": "anim.gif", "exact": True, "note": "first frame of two"})
    # Transparent GIF: Pillow keeps the palette colour of the transparent index (alpha 0 in rgba); Skia writes 0,0,0,0.
    save("transparent.gif", astro.quantize(32), "GIF", True, "transparency index 5", transparency=5)
    # First frame smaller than the canvas (patched header): Pillow fills outside with the transparent index / index 0.
    for name, trns in (("offset_trns.gif", 7), ("offset.gif", None)):
        small = cat.crop((0, 0, 30, 18)).quantize(16)
        buf = io.BytesIO()
        small.save(buf, "GIF", **({"transparency": trns} if trns is not None else {}))
        open(os.path.join(OUT, name), "wb").write(gif_on_canvas(buf.getvalue(), W, H, 3, 4))
        entries.append({"file": name, "exact": True, "note": "30x18 frame at (3,4) on a 39x25 canvas"})
    save("lossless.webp", cat, "WEBP", True, lossless=True)
    save("lossless_rgba.webp", rgba, "WEBP", True, "alpha 0 pixels keep their colour (exact=True)", lossless=True, exact=True)
    save("lossy.webp", cat, "WEBP", False, "lossy; both sides use libwebp", quality=80)

    # 16-bit PNG (Pillow: gray is mode I, clipped at 255 by convert; RGB/RGBA/LA keep the high byte) and PNM/TIFF,
    # which are on Keras's extension list.
    rng16 = np.random.default_rng(16)
    ramp = np.concatenate([np.arange(0, 300), rng16.integers(0, 65536, W * H - 300)]).reshape(H, W)
    for name, ct, ch in (("gray16.png", 0, 1), ("rgb16.png", 2, 3), ("rgba16.png", 6, 4), ("gray_alpha16.png", 4, 2)):
        vals = ramp if ch == 1 else rng16.integers(0, 65536, (H, W, ch))
        open(os.path.join(OUT, name), "wb").write(png16(W, H, ct, vals))
        entries.append({"file": name, "exact": True, "note": "16-bit PNG"})
    catv = np.asarray(cat)
    grayv = np.asarray(gray)
    for name, magic, maxval, vals, ch in (
            ("gray.pgm", "P5", 255, grayv, 1),
            ("gray_max100.pgm", "P5", 100, grayv * 100 // 255, 1),
            ("gray16.pgm", "P5", 65535, ramp, 1),
            ("gray_max1000.pgm", "P5", 1000, ramp % 1001, 1),
            ("rgb.ppm", "P6", 255, catv, 3),
            ("rgb_max200.ppm", "P6", 200, catv * 200 // 255, 3),
            ("rgb16.ppm", "P6", 65535, rng16.integers(0, 65536, (H, W, 3)), 3),
            ("plain.pgm", "P2", 255, grayv, 1),
            ("plain16.pgm", "P2", 4000, ramp % 4001, 1),
            ("plain.ppm", "P3", 255, catv, 3)):
        open(os.path.join(OUT, name), "wb").write(pnm(magic, W, H, maxval, vals, ch))
        entries.append({"file": name, "exact": True, "note": f"{magic} maxval {maxval}"})
    save("bilevel.pbm", gray.point(lambda v: 255 if v > 110 else 0).convert("1"), "PPM", True, "P4")
    for comp in ("raw", "packbits", "tiff_lzw", "tiff_adobe_deflate"):
        tag = comp.replace("tiff_", "").replace("adobe_", "")
        save(f"rgb_{tag}.tif", cat, "TIFF", True, f"RGB, {comp}", compression=comp)
        save(f"gray_{tag}.tiff", gray, "TIFF", True, f"L, {comp}", compression=comp)
        save(f"rgba_{tag}.tif", rgba, "TIFF", True, f"RGBA (unassociated), {comp}", compression=comp)
    save("strips.tif", astro, "TIFF", True, "LZW, 8 rows per strip", compression="tiff_lzw", strip_size=8 * W * 3)
    save("strips_raw.tif", astro, "TIFF", True, "uncompressed, 8 rows per strip", strip_size=8 * W * 3)
    save("palette.tif", cat.quantize(64), "TIFF", True, "palette, LZW", compression="tiff_lzw")
    save("bilevel.tif", gray.point(lambda v: 255 if v > 110 else 0).convert("1"), "TIFF", True, "1-bit, packbits",
         compression="packbits")
    save("gray16.tif", Image.fromarray(ramp.astype(np.uint16)), "TIFF", True, "16-bit gray (I;16)")
    save("gray16_be.tif", Image.fromarray(ramp.astype(">u2")), "TIFF", True, "16-bit gray, big-endian (MM, I;16B)")

    # JPEG: different IDCT/upsampling implementations may differ slightly.
    save("q90_420.jpg", cat, "JPEG", False, "4:2:0", quality=90)
    save("q95_444.jpg", astro, "JPEG", False, "4:4:4", quality=95, subsampling=0)
    save("progressive.jpg", astro, "JPEG", False, "progressive 4:2:0", quality=85, progressive=True)
    save("gray.jpg", gray, "JPEG", False, "grayscale JPEG", quality=90)

    # EXIF orientation 6 (rotate 90 CW to display). Keras ignores it; the oracle is the stored pixels.
    exif = Image.Exif()
    exif[0x0112] = 6
    save("orient6.jpg", cat, "JPEG", False, "EXIF orientation 6, ignored by default", quality=90, exif=exif.tobytes())

    # 224x224 photo JPEG for the decode-speed measurement (no oracle; too big to commit three times).
    bench = photo("astronaut.png", (0, 0, 512, 512), (224, 224))
    bench.save(os.path.join(OUT, "bench224.jpg"), "JPEG", quality=90)

    # Bad inputs.
    open(os.path.join(OUT, "empty.png"), "wb").close()
    # Cut points chosen so some rows decode (tiny files are mostly header).
    for src, dst, keep in (("q90_420.jpg", "truncated.jpg", 0.9), ("rgb.png", "truncated.png", 0.75),
                           ("progressive.jpg", "truncated_progressive.jpg", 0.7)):
        data = open(os.path.join(OUT, src), "rb").read()
        open(os.path.join(OUT, dst), "wb").write(data[: int(len(data) * keep)])
    rng = np.random.default_rng(1234)
    open(os.path.join(OUT, "garbage.png"), "wb").write(rng.integers(0, 256, 2000, dtype=np.uint8).tobytes())
    open(os.path.join(OUT, "text.jpg"), "w").write("This is a text file, not a JPEG.\n")

    # Pillow refuses the truncated files too (LOAD_TRUNCATED_IMAGES is False by default).
    for bad in ("truncated.jpg", "truncated.png", "truncated_progressive.jpg"):
        try:
            Image.open(os.path.join(OUT, bad)).load()
            sys.exit(f"Pillow decoded {bad}; expected an error")
        except OSError:
            pass

    # Oracles.
    for e in entries:
        path = os.path.join(OUT, e["file"])
        e["oracle"] = {}
        for mode in ("grayscale", "rgb", "rgba"):
            arr = img_to_array(load_img(path, color_mode=mode), dtype="uint8")
            assert arr.dtype == np.uint8 and arr.ndim == 3
            raw = f"{e['file']}.{mode}.raw"
            arr.tofile(os.path.join(OUT, raw))
            e["oracle"][mode] = {"raw": raw, "shape": list(arr.shape)}
        e["pil_mode"] = Image.open(path).mode

    # EXIF-transposed oracle for the opt-in orientation.
    from PIL import ImageOps
    arr = np.asarray(ImageOps.exif_transpose(Image.open(os.path.join(OUT, "orient6.jpg"))).convert("RGB"))
    arr.tofile(os.path.join(OUT, "orient6.jpg.rgb.transposed.raw"))

    manifest = {
        "generator": "tools/codec_fixtures.py",
        "pillow": PIL.__version__,
        "numpy": np.__version__,
        "images": entries,
        "orient6_transposed": {"raw": "orient6.jpg.rgb.transposed.raw", "shape": list(arr.shape)},
    }
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)

    make_samples()
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total} bytes to {OUT}")


def make_samples():
    os.makedirs(SAMPLES, exist_ok=True)
    Image.open(os.path.join(SKDATA, "chelsea.png")).convert("RGB").save(os.path.join(SAMPLES, "chelsea.jpg"), quality=95)
    Image.open(os.path.join(SKDATA, "astronaut.png")).convert("RGB").save(os.path.join(SAMPLES, "astronaut.jpg"), quality=95)


if __name__ == "__main__":
    main()
