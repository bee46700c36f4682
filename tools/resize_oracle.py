#!/usr/bin/python3
"""Pillow resize oracle for tests/Mirage.Tests/Kernels/Geometric/ResizeTests.cs.

Run by hand with the system Python (Pillow 9.4): /usr/bin/python3 tools/resize_oracle.py
Writes tests/Mirage.Tests/Fixtures/Resize/pillow_resize.json (inputs and Pillow's outputs, base64).
"""
import base64, json, os
import numpy as np
from PIL import Image

FILTERS = {"nearest": Image.NEAREST, "bilinear": Image.BILINEAR, "bicubic": Image.BICUBIC,
           "lanczos": Image.LANCZOS, "box": Image.BOX, "hamming": Image.HAMMING}
MODES = {"L": 1, "RGB": 3, "RGBA": 4}
SRC_H, SRC_W = 13, 17
# (dst_h, dst_w, keep_aspect_ratio)
TARGETS = [(5, 7, False), (23, 29, False), (13, 9, False), (1, 1, False), (40, 6, False), (8, 8, True), (6, 15, True)]


def crop_box(h, w, th, tw):  # keras keep_aspect_ratio
    ch = min(h, (w * th) // tw)
    cw = min(w, (h * tw) // th)
    top, left = (h - ch) // 2, (w - cw) // 2
    return (left, top, left + cw, top + ch)


def main():
    rng = np.random.RandomState(1234)
    cases = []
    for mode, ch in MODES.items():
        data = rng.randint(0, 256, size=(SRC_H, SRC_W, ch)).astype(np.uint8)
        if mode == "RGBA":
            data[0, :, 3] = 0      # fully transparent row
            data[1, :, 3] = 255    # opaque row
        img = Image.fromarray(data[:, :, 0] if ch == 1 else data, mode)
        for name, f in FILTERS.items():
            for th, tw, keep in TARGETS:
                box = crop_box(SRC_H, SRC_W, th, tw) if keep else None
                out = np.asarray(img.resize((tw, th), f, box=box)).reshape(th, tw, ch)
                cases.append({"mode": mode, "channels": ch, "filter": name, "src_h": SRC_H, "src_w": SRC_W,
                              "dst_h": th, "dst_w": tw, "keep_aspect_ratio": keep,
                              "input": base64.b64encode(data.tobytes()).decode(),
                              "output": base64.b64encode(out.tobytes()).decode()})
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "tests", "Mirage.Tests", "Fixtures", "Resize", "pillow_resize.json")
    with open(path, "w") as fh:
        json.dump({"pillow": Image.__version__ if hasattr(Image, "__version__") else "", "cases": cases}, fh)
    print(f"wrote {len(cases)} cases to {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
