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
import sys

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
