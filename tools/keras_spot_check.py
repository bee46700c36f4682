"""Spot-check `mirage apply --keras-compatible` against keras-preprocessing on cases nobody has seen before.

Unlike tools/keras_fixtures.py (fixed cases committed for CI), this draws NEW random cases each seed: crops of random
odd sizes from scikit-image photos (RGB and grayscale), random parameters (rotation up to ±180°, shifts up to half the
size, shear ±30°, zoom 0.5–1.6, flips, channel shift), every fill mode with a random cval, both orders. It writes the
crop as PNG, runs Keras's ImageDataGenerator.apply_transform on load_img's array and the built `mirage apply` on the
PNG, and prints per case the share of values within 1.0, the mean and the max absolute difference.

usage: /usr/bin/python3 tools/keras_spot_check.py [SEED] [CASES_PER_MODE]     (run ./mirage --version once first)
"""
import json, os, subprocess, sys, tempfile
import numpy_portable  # noqa: F401  (before numpy: libm sin/cos on every CPU)
import numpy as np
from PIL import Image
import skimage.data as data
from keras_preprocessing.image import ImageDataGenerator

seed = int(sys.argv[1]) if len(sys.argv) > 1 else 123
per_mode = int(sys.argv[2]) if len(sys.argv) > 2 else 3
repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
dll = os.path.join(repo, "src/Mirage.Cli/bin/Release/net10.0/Mirage.Cli.dll")
rng = np.random.default_rng(seed)
photos = {"coffee": data.coffee(), "camera": data.camera(), "rocket": data.rocket(), "astronaut": data.astronaut()}
work = tempfile.mkdtemp(prefix="keras-spot-")
worst = (1.0, 0.0)
n = 0
for fill in ["nearest", "constant", "reflect", "wrap"]:
    for order in [0, 1]:
        for _ in range(per_mode):
            name = list(photos)[int(rng.integers(len(photos)))]
            img = photos[name]
            h, w = int(rng.integers(3, 64)), int(rng.integers(3, 64))
            y, x = int(rng.integers(0, img.shape[0] - h)), int(rng.integers(0, img.shape[1] - w))
            crop = img[y:y + h, x:x + w]
            gray = crop.ndim == 2
            params = dict(theta=float(rng.uniform(-180, 180)), tx=float(rng.uniform(-h / 2, h / 2)),
                          ty=float(rng.uniform(-w / 2, w / 2)), shear=float(rng.uniform(-30, 30)),
                          zx=float(rng.uniform(0.5, 1.6)), zy=float(rng.uniform(0.5, 1.6)),
                          flip_horizontal=bool(rng.random() < .5), flip_vertical=bool(rng.random() < .5),
                          channel_shift_intensity=float(rng.uniform(-40, 40)) if rng.random() < .5 else None,
                          brightness=None)
            cval = float(rng.uniform(0, 255))
            src = os.path.join(work, f"in{n}.png"); out = os.path.join(work, f"out{n}.npy")
            Image.fromarray(crop).save(src)
            x_in = np.asarray(Image.open(src).convert("L" if gray else "RGB"), dtype="float32")
            if gray: x_in = x_in[..., None]
            expected = ImageDataGenerator(fill_mode=fill, cval=cval, interpolation_order=order).apply_transform(x_in, params)
            subprocess.run(["dotnet", dll, "apply", src, out, "--params", json.dumps(params), "--fill-mode", fill,
                            "--cval", repr(cval), "--order", str(order), "--keras-compatible",
                            "--color-mode", "grayscale" if gray else "rgb"], check=True)
            d = np.abs(np.load(out).astype(np.float64) - expected)
            within, mae = float((d <= 1.0).mean()), float(d.mean())
            worst = (min(worst[0], within), max(worst[1], mae))
            print(f"{n:3d} {name:9s} {h}x{w}x{1 if gray else 3} {fill:8s} order {order}: "
                  f"within 1.0 {within:.4%}  mean |diff| {mae:.4f}  max {d.max():.3f}")
            n += 1
print(f"{n} cases, worst within 1.0: {worst[0]:.4%}, worst mean |diff|: {worst[1]:.4f} (need >= 99.5% and <= 0.25)")
