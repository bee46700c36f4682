#!/usr/bin/python3
"""Checks `mirage clahe` against scikit-image on NEW random cases (crops, sizes, parameters never committed).

usage: /usr/bin/python3 tools/clahe_spot_check.py [N=40] [SEED]   (SEED defaults to the clock; it is printed)
Each case: a random crop of a random photo from scikit-image's data folder or samples/ (1x1 up to 320x320, gray or
RGB, sometimes RGBA), uint8 or Keras-style float32 0..255 (random scaling, so values are not whole numbers), random
clip_limit (0, tiny, typical, large, >= 1), kernel_size (default, int, [h, w], sometimes larger than the image) and
nbins (1..1024). Runs `mirage clahe in.npy out.npy ...` (built once by ./mirage) and compares with equalize_adapthist.
For RGBA, scikit-image drops alpha and Mirage keeps it: only the RGB channels are compared.
Fails (exit 1) when any case differs by more than 1/255 of the range; prints every case's max difference.
"""
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from skimage import data, io as skio
from skimage.exposure import equalize_adapthist

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
N = int(sys.argv[1]) if len(sys.argv) > 1 else 40
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else int(time.time()) % 1000000
rs = np.random.RandomState(SEED)

photos = [data.astronaut(), data.chelsea(), data.coffee(), data.camera(), data.moon(), data.coins(), data.rocket(),
          data.page(), data.text(), data.hubble_deep_field(), data.immunohistochemistry(), data.retina(),
          skio.imread(os.path.join(ROOT, "samples", "astronaut.jpg")), skio.imread(os.path.join(ROOT, "samples", "chelsea.jpg"))]

subprocess.run([os.path.join(ROOT, "mirage"), "--help"], check=True, stdout=subprocess.DEVNULL)  # builds once
CLI = ["dotnet", os.path.join(ROOT, "src", "Mirage.Cli", "bin", "Release", "net10.0", "Mirage.Cli.dll"), "clahe"]

worst = 0.0
failures = 0
with tempfile.TemporaryDirectory() as tmp:
    for i in range(N):
        img = photos[rs.randint(len(photos))]
        h = int(rs.choice([1, 2, 3, 5, 7, 11]) if rs.rand() < 0.15 else rs.randint(8, min(320, img.shape[0]) + 1))
        w = int(rs.choice([1, 2, 4, 9, 13]) if rs.rand() < 0.15 else rs.randint(8, min(320, img.shape[1]) + 1))
        h, w = min(h, img.shape[0]), min(w, img.shape[1])
        y, x = rs.randint(img.shape[0] - h + 1), rs.randint(img.shape[1] - w + 1)
        crop = img[y:y + h, x:x + w]
        color = "rgb" if crop.ndim == 3 and rs.rand() < 0.6 else "gray"
        if color == "gray" and crop.ndim == 3:
            crop = np.round(crop[..., :3].astype(np.float64) @ [0.299, 0.587, 0.114]).clip(0, 255).astype(np.uint8)
        if color == "rgb" and rs.rand() < 0.15:
            crop = np.concatenate([crop, rs.randint(0, 256, crop.shape[:2] + (1,)).astype(np.uint8)], axis=2)
        crop = np.ascontiguousarray(crop)
        clip = float(rs.choice([0.0, 0.001, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.3, 1.0, 2.0]) if rs.rand() < 0.5 else round(rs.uniform(0.001, 0.2), 4))
        kchoice = rs.randint(4)
        kernel = None if kchoice == 0 else int(rs.randint(1, 80)) if kchoice == 1 else (int(rs.randint(1, 60)), int(rs.randint(1, 60))) if kchoice == 2 \
            else (int(h + rs.randint(0, 20)), int(w + rs.randint(0, 20)))
        nbins = int(rs.choice([1, 7, 16, 32, 64, 100, 128, 256, 256, 256, 512, 1024]))
        kind = "float32" if rs.rand() < 0.35 else "uint8"
        args = ["--clip-limit", repr(clip), "--nbins", str(nbins)]
        if kernel is not None:
            args += ["--kernel-size", f"{kernel}" if isinstance(kernel, int) else f"{kernel[0]}x{kernel[1]}"]
        if kind == "uint8":
            inp = crop
            expected = equalize_adapthist(inp, kernel_size=kernel, clip_limit=clip, nbins=nbins)
            scale = 1.0
        else:
            inp = crop.astype(np.float32) * np.float32(rs.uniform(0.3, 1.0))
            expected = equalize_adapthist(inp / 255.0, kernel_size=kernel, clip_limit=clip, nbins=nbins) * 255.0
            args += ["--value-range", "255"]
            scale = 255.0
        np.save(os.path.join(tmp, "in.npy"), inp)
        out = os.path.join(tmp, "out.npy")
        r = subprocess.run(CLI + [os.path.join(tmp, "in.npy"), out] + args, capture_output=True, text=True)
        desc = f"{h}x{w}{'x' + str(crop.shape[2]) if crop.ndim == 3 else ''} {kind} clip={clip} kernel={kernel} nbins={nbins}"
        if r.returncode != 0:
            print(f"case {i}: {desc}: mirage failed: {r.stderr.strip()}")
            failures += 1
            continue
        actual = np.load(out)
        if crop.ndim == 3 and crop.shape[2] == 4:
            actual = actual[..., :3]
        if actual.shape != expected.shape:
            print(f"case {i}: {desc}: shape {actual.shape} != scikit-image's {expected.shape}")
            failures += 1
            continue
        diff = float(np.max(np.abs(actual.astype(np.float64) - expected.astype(np.float64)))) / scale
        worst = max(worst, diff)
        bad = diff > 1 / 255
        failures += bad
        print(f"case {i:3d}: {desc:60s} max|diff| = {diff:.3g}{'  FAIL' if bad else ''}")

print(f"seed {SEED}: {N} cases, {failures} failed, worst max|diff| = {worst:.3g} of the range (bound 1/255 = {1 / 255:.3g})")
sys.exit(1 if failures else 0)
