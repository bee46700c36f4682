#!/usr/bin/env python3
"""Fixtures for Mirage's random_resized_crop and color_jitter: torchvision's functional ops on explicit parameters.

Writes tests/Mirage.Tests/Fixtures/torchvision/functional.json: a few uint8 RGB images (HWC, base64) and, per case,
the op, its explicit parameters and torchvision's uint8 output (HWC, base64). Uses Debian's python3-torchvision
(transforms.functional on uint8 CHW tensors). Run by hand:
    /usr/bin/python3 tools/torchvision_fixtures.py tests/Mirage.Tests/Fixtures/torchvision/functional.json
"""
import base64
import json
import sys

import numpy as np
import torch
import torchvision
import torchvision.transforms.functional as F
from torchvision.transforms import InterpolationMode


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype=np.uint8).tobytes()).decode()


def images():
    rng = np.random.default_rng(7)
    out = []
    for h, w in [(23, 31), (40, 36)]:
        y, x = np.mgrid[0:h, 0:w]
        img = np.stack([(x * 255 // max(w - 1, 1)), (y * 255 // max(h - 1, 1)), ((x + y) * 7) % 256], axis=-1).astype(np.int32)
        img = (img + rng.integers(-20, 21, img.shape)).clip(0, 255)
        img[0, :4] = [[0, 0, 0], [255, 255, 255], [128, 128, 128], [255, 0, 0]]  # gray, white, black, pure red
        out.append(img.astype(np.uint8))
    return out


def chw(img):
    return torch.from_numpy(img).permute(2, 0, 1).contiguous()


def hwc(t):
    return t.permute(1, 2, 0).contiguous().numpy()


def main(path):
    imgs = images()
    cases = []
    for k, img in enumerate(imgs):
        t = chw(img)
        for f in [0.0, 0.35, 0.8, 1.0, 1.37, 2.5]:
            cases.append({"op": "brightness", "image": k, "factor": f, "out": b64(hwc(F.adjust_brightness(t, f)))})
            cases.append({"op": "contrast", "image": k, "factor": f, "out": b64(hwc(F.adjust_contrast(t, f)))})
            cases.append({"op": "saturation", "image": k, "factor": f, "out": b64(hwc(F.adjust_saturation(t, f)))})
        for f in [-0.5, -0.31, -0.1, 0.0, 0.05, 0.2, 0.45, 0.5]:
            cases.append({"op": "hue", "image": k, "factor": f, "out": b64(hwc(F.adjust_hue(t, f)))})
        # ColorJitter's forward on explicit get_params output: the four ops in the given order
        for order, (b, c, s, hf) in [([2, 0, 3, 1], (1.3, 0.7, 1.2, 0.08)), ([3, 1, 0, 2], (0.6, 1.4, 0.65, -0.1)), ([0, 1, 2, 3], (1.0, 1.0, 1.0, 0.0))]:
            x = t
            for fn in order:
                x = [lambda v: F.adjust_brightness(v, b), lambda v: F.adjust_contrast(v, c),
                     lambda v: F.adjust_saturation(v, s), lambda v: F.adjust_hue(v, hf)][fn](x)
            cases.append({"op": "color_jitter", "image": k, "order": order, "brightness": b, "contrast": c,
                          "saturation": s, "hue": hf, "out": b64(hwc(x))})
        h, w = img.shape[:2]
        for top, left, ch, cw, size in [(0, 0, h, w, (16, 20)), (3, 5, 12, 17, (24, 24)), (2, 1, h - 4, w - 3, (9, 13)), (5, 7, 6, 5, (30, 11)), (0, 0, h, w, (h, w))]:
            for aa in [True, False]:
                out = F.resized_crop(t, top, left, ch, cw, list(size), interpolation=InterpolationMode.BILINEAR, antialias=aa)
                cases.append({"op": "resized_crop", "image": k, "top": top, "left": left, "height": ch, "width": cw,
                              "size": list(size), "antialias": aa, "out": b64(hwc(out))})
    doc = {"torchvision": torchvision.__version__, "torch": torch.__version__,
           "images": [{"shape": list(i.shape), "data": b64(i)} for i in imgs], "cases": cases}
    with open(path, "w") as fh:
        json.dump(doc, fh, indent=0)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/Mirage.Tests/Fixtures/torchvision/functional.json")
