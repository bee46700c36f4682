#!/usr/bin/env python3
"""Writes the small class tree of JPEGs and PNGs that tests/Mirage.Tests/Conformance/PinnedOutputTests.cs flows over.

The files are committed (tests/Mirage.Tests/Fixtures/pins/tree), so the pins depend on Mirage's decoder, not on an
encoder. Run by hand: /usr/bin/python3 tools/pin_tree.py tests/Mirage.Tests/Fixtures/pins/tree
"""
import os
import sys

import numpy as np
from PIL import Image


def main(out):
    rng = np.random.default_rng(2024)
    sizes = [(40, 36), (23, 31), (64, 48), (17, 19), (32, 32), (50, 27)]
    for k, cls in enumerate(["cats", "dogs"]):
        os.makedirs(os.path.join(out, cls), exist_ok=True)
        for i, (h, w) in enumerate(sizes):
            y, x = np.mgrid[0:h, 0:w]
            img = np.stack([(x * 7 + y * 3 + 40 * k) % 256, (y * 9 + 17 * i) % 256, ((x ^ y) * 13) % 256], axis=-1)
            img = (img + rng.integers(0, 30, img.shape)).clip(0, 255).astype(np.uint8)
            ext = "jpg" if i % 2 == 0 else "png"
            path = os.path.join(out, cls, f"{i:02d}.{ext}")
            if ext == "jpg":
                Image.fromarray(img).save(path, quality=90)
            else:
                Image.fromarray(img).save(path)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/Mirage.Tests/Fixtures/pins/tree")
