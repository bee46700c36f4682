#!/usr/bin/python3
"""Times scikit-image's equalize_adapthist and OpenCV's createCLAHE on the photos bench `clahe` times Mirage on.

usage: taskset -c 0 /usr/bin/python3 tools/clahe_speed.py [seconds=5]
Cases: a 224x224 RGB crop of samples/chelsea.jpg and samples/astronaut.jpg as 512x512 gray; clip_limit 0.03, the
default kernel (1/8 of each side). OpenCV's CLAHE is a different algorithm (8-bit, clip in counts, its own
interpolation; RGB done the usual way: Lab, CLAHE on L, back): compare speed only. OpenCV is held to one thread.
Rounds of >= 50 ms alternate between the cases; prints the median and best milliseconds per image.
"""
import os
import sys
import time

import cv2
import numpy as np
from skimage import io
from skimage.exposure import equalize_adapthist

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
cv2.setNumThreads(1)

rgb = np.ascontiguousarray(io.imread(os.path.join(ROOT, "samples", "chelsea.jpg"))[40:264, 120:344])
gray = io.imread(os.path.join(ROOT, "samples", "astronaut.jpg"), as_gray=True)
gray = np.round(gray * 255).astype(np.uint8)
assert rgb.shape == (224, 224, 3) and gray.shape == (512, 512), (rgb.shape, gray.shape)
small = gray[200:228, 240:268].astype(np.float32)
cl_rgb = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))
cl_gray = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))


def cv_rgb():
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)
    lab[..., 0] = cl_rgb.apply(lab[..., 0])
    return cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)


cases = [
    ("scikit-image 224x224 RGB", lambda: equalize_adapthist(rgb, clip_limit=0.03)),
    ("scikit-image 512x512 gray", lambda: equalize_adapthist(gray, clip_limit=0.03)),
    ("scikit-image 28x28 gray float /255 (fmnist)", lambda: equalize_adapthist(small / 255.0, clip_limit=0.03) * 255.0),
    ("OpenCV createCLAHE 224x224 RGB (Lab L)", cv_rgb),
    ("OpenCV createCLAHE 512x512 gray", lambda: cl_gray.apply(gray)),
]
for _, f in cases:
    f()
rounds = [[] for _ in cases]
start = time.perf_counter()
while time.perf_counter() - start < SECONDS:
    for k, (_, f) in enumerate(cases):
        t = time.perf_counter()
        n = 0
        while True:
            f()
            n += 1
            if time.perf_counter() - t >= 0.05:
                break
        rounds[k].append((time.perf_counter() - t) * 1000 / n)
for (name, _), r in zip(cases, rounds):
    r = sorted(r)
    print(f"{name:44s} median {r[len(r) // 2]:8.3f} ms   best {r[0]:8.3f} ms   ({len(r)} rounds)")
