#!/usr/bin/python3
"""Writes a class-folder tree of random JPEGs for `mirage flow-bench` memory measurements (docs/data-pipeline.md).

    /usr/bin/python3 tools/make_image_tree.py OUT_DIR IMAGES [--classes 10] [--size 256]

Images are noise plus a gradient (so JPEG sizes are realistic), deterministic from their index.
"""
import argparse, os
import numpy as np
from PIL import Image


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("images", type=int)
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--size", type=int, default=256)
    a = ap.parse_args()
    s = a.size
    yy, xx = np.mgrid[0:s, 0:s]
    base = np.stack([xx * 255 // s, yy * 255 // s, (xx + yy) * 127 // s], axis=-1).astype(np.int16)
    for i in range(a.images):
        d = os.path.join(a.out, f"class{i % a.classes:02d}")
        os.makedirs(d, exist_ok=True)
        rng = np.random.RandomState(i)
        img = np.clip(base + rng.randint(-40, 40, size=base.shape), 0, 255).astype(np.uint8)
        Image.fromarray(img).save(os.path.join(d, f"img{i:07d}.jpg"), quality=85)
    print(f"wrote {a.images} images to {a.out}")


if __name__ == "__main__":
    main()
