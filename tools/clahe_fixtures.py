#!/usr/bin/python3
"""scikit-image reference fixtures for Mirage's CLAHE (equalize_adapthist).

Run by hand:  /usr/bin/python3 tools/clahe_fixtures.py
Needs Debian's python3-skimage (0.19) and numpy. Writes tests/Mirage.Tests/Fixtures/clahe/: gzipped .npy inputs
(uint8 H×W or H×W×3, or float32 in 0..255) and outputs (float32, scikit-image's result), plus manifest.json listing
each case's parameters. Inputs are photos from scikit-image's data folder, the repository's samples/ and one
Fashion-MNIST image (Debian dataset-fashion-mnist), at odd sizes, gray and RGB.

uint8 cases call equalize_adapthist(x, ...) (scikit-image computes in float64; output in [0, 1]).
float32 cases are Keras-style 0..255 images and call equalize_adapthist(x / 255, ...) * 255 on the float32 array,
as tools like the Fashion-MNIST anchor use it as ImageDataGenerator's preprocessing_function.
"""
import gzip
import io
import json
import os

import numpy as np
import skimage
from skimage import data, io as skio
from skimage.exposure import equalize_adapthist

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "tests", "Mirage.Tests", "Fixtures", "clahe")
os.makedirs(OUT, exist_ok=True)
for f in os.listdir(OUT):
    os.remove(os.path.join(OUT, f))


def save(name, array):
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(array))
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(gzip.compress(buf.getvalue(), mtime=0))  # mtime 0: rerunning gives the same bytes


def fmnist_image(index):
    raw = gzip.open("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz").read()
    return np.frombuffer(raw, np.uint8, offset=16).reshape(-1, 28, 28)[index]


def rgb_to_gray_u8(rgb):
    return np.round(rgb[..., :3].astype(np.float64) @ [0.299, 0.587, 0.114]).clip(0, 255).astype(np.uint8)


photos = {
    "camera": data.camera(),                     # 512x512 gray
    "astronaut": data.astronaut(),               # 512x512 RGB
    "chelsea": data.chelsea(),                   # 300x451 RGB
    "coffee": data.coffee(),                     # 400x600 RGB
    "moon": data.moon(),                         # 512x512 gray, low contrast
    "sample_astronaut": skio.imread(os.path.join(ROOT, "samples", "astronaut.jpg")),
    "sample_chelsea": skio.imread(os.path.join(ROOT, "samples", "chelsea.jpg")),
}

manifest = {"skimage": skimage.__version__, "numpy": np.__version__, "cases": []}
inputs = {}


def case(name, photo, y, x, h, w, color, clip_limit, kernel_size=None, nbins=256, kind="uint8", scale=1.0):
    img = photos[photo] if isinstance(photo, str) else photo
    img = img[y:y + h, x:x + w]
    if color == "gray" and img.ndim == 3:
        img = rgb_to_gray_u8(img)
    if color == "rgb" and img.ndim == 2:
        raise ValueError(name)
    img = np.ascontiguousarray(img)
    assert img.shape[:2] == (h, w), (name, img.shape)
    if kind == "uint8":
        inp = img
        out = equalize_adapthist(inp, kernel_size=kernel_size, clip_limit=clip_limit, nbins=nbins)
    else:  # Keras-style float32 0..255 (scale < 1 makes non-integer values)
        inp = (img.astype(np.float32) * np.float32(scale))
        out = equalize_adapthist(inp / 255.0, kernel_size=kernel_size, clip_limit=clip_limit, nbins=nbins) * 255.0
        assert out.dtype == np.float32
    key = f"{name}_in.npy.gz"
    save(key, inp)
    save(f"{name}_out.npy.gz", out.astype(np.float32))
    manifest["cases"].append({
        "name": name, "input": key, "output": f"{name}_out.npy.gz", "kind": kind,
        "clip_limit": clip_limit, "kernel_size": kernel_size, "nbins": nbins,
        "value_range": 255.0 if kind == "float32" else 1.0, "shape": list(inp.shape)})


# Full-size photos.
case("camera_full", "camera", 0, 0, 512, 512, "gray", 0.01)
case("chelsea_224_rgb", "chelsea", 40, 120, 224, 224, "rgb", 0.03)
# Odd sizes, gray.
case("gray_1x1", "camera", 200, 200, 1, 1, "gray", 0.01)
case("gray_5x7", "camera", 100, 300, 5, 7, "gray", 0.01)
case("gray_37x53_c003", "moon", 211, 97, 37, 53, "gray", 0.03)
case("gray_100x77_c01_k16", "camera", 50, 211, 100, 77, "gray", 0.1, kernel_size=16)
case("gray_100x77_c1_t", "sample_chelsea", 60, 120, 100, 77, "gray", 1.0, kernel_size=(10, 21))
case("gray_64x90_c0_b64", "sample_astronaut", 10, 300, 64, 90, "gray", 0.0, nbins=64)
case("gray_37x53_k64", "camera", 300, 30, 37, 53, "gray", 0.01, kernel_size=64)  # kernel larger than the image
case("gray_151x203_c003_b64", "moon", 100, 50, 151, 203, "gray", 0.03, kernel_size=(19, 31), nbins=64)
case("gray_2x9_t", "camera", 10, 10, 2, 9, "gray", 0.05, kernel_size=(3, 4))
# Odd sizes, RGB.
case("rgb_5x7", "astronaut", 200, 200, 5, 7, "rgb", 0.01)
case("rgb_37x53_c003", "coffee", 100, 250, 37, 53, "rgb", 0.03)
case("rgb_100x77_c01_t", "sample_astronaut", 300, 200, 100, 77, "rgb", 0.1, kernel_size=(12, 9))
case("rgb_100x77_c1_b64", "chelsea", 20, 300, 100, 77, "rgb", 1.0, nbins=64)
case("rgb_128x96_k32", "sample_chelsea", 100, 100, 128, 96, "rgb", 0.01, kernel_size=32)
# Keras-style float32 0..255 through /255 and *255: a Fashion-MNIST image (the anchor's use), non-integer values.
case("fmnist_28x28_f32", fmnist_image(0), 0, 0, 28, 28, "gray", 0.03, kind="float32")
case("fmnist_28x28_f32_b", fmnist_image(17), 0, 0, 28, 28, "gray", 0.03, kind="float32")
case("gray_61x47_f32_scaled", "camera", 40, 380, 61, 47, "gray", 0.03, kind="float32", scale=0.731)
case("rgb_61x47_f32_scaled", "coffee", 200, 100, 61, 47, "rgb", 0.03, kind="float32", scale=0.613)

with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1)
print(f"{len(manifest['cases'])} cases in {OUT}")
