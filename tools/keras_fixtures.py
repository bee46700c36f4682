#!/usr/bin/python3
"""Differential fixtures: keras-preprocessing's ImageDataGenerator.apply_transform on real photo crops.

Run by hand with the Debian python (keras_preprocessing 1.1.0, scipy 1.10.1, Pillow):

    /usr/bin/python3 tools/keras_fixtures.py

Writes tests/Mirage.Tests/Fixtures/keras/: inputs as uint8 .npy (in_<crop>.npy, shared by the cases of a crop),
expected outputs as float32 .npy (<case>.npy) and manifest.json listing every case: id, input, params (the dict
exactly as get_random_transform returns it), fill_mode, cval, order, keras_compatible, expected.
Deterministic: fixed crops, fixed parameter sets, no random numbers.

Brightness: keras-preprocessing 1.1.x's apply_brightness_shift goes through array_to_img(x) with scale=True,
a min-max stretch (a known bug, fixed later). Mirage follows later Keras (tf.keras), which calls
apply_brightness_shift(x, b, scale=False): PIL's ImageEnhance.Brightness on the uint8 truncation of x, back to
float32. So for cases with brightness the script runs apply_transform WITHOUT brightness and then applies that
later-Keras brightness itself (PIL on array_to_img(x, scale=False)), exactly as tf.keras does.

keras_compatible = false cases are the oracle for Mirage's default mode: the same pipeline, but the warp is
scipy.ndimage.affine_transform about the true pixel centre (n - 1) / 2 and 'wrap' is scipy's 'grid-wrap'
(period n) instead of the legacy 'wrap' (period n - 1).
"""
import json
import os

import numpy_portable  # noqa: F401  (before numpy: libm sin/cos on every CPU)
import numpy as np
from PIL import Image, ImageEnhance
from scipy import ndimage
from keras_preprocessing.image import ImageDataGenerator
from keras_preprocessing.image.affine_transformations import apply_channel_shift, flip_axis
from keras_preprocessing.image.utils import array_to_img, img_to_array

DATA = '/usr/lib/python3/dist-packages/skimage/data'
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'Mirage.Tests', 'Fixtures', 'keras')
CVAL = 37.5

# (name, file, row, col, height, width, channels): crops at odd sizes, RGB, grey, RGBA, and degenerate ones.
CROPS = [
    ('chelsea_17x23', 'chelsea.png', 100, 200, 17, 23, 3),
    ('astronaut_31x29', 'astronaut.png', 180, 220, 31, 29, 3),
    ('coffee_45x38', 'coffee.png', 150, 300, 45, 38, 3),
    ('camera_45x38_grey', 'camera.png', 200, 250, 45, 38, 1),
    ('moon_20x33_grey', 'moon.png', 240, 200, 20, 33, 1),
    ('logo_23x17_rgba', 'logo.png', 60, 120, 23, 17, 4),
    ('rocket_1x1', 'rocket.jpg', 200, 300, 1, 1, 3),
    ('chelsea_2x3', 'chelsea.png', 150, 150, 2, 3, 3),
]


def params(theta=0.0, tx=0.0, ty=0.0, shear=0.0, zx=1.0, zy=1.0, fh=0, fv=0, cs=None, b=None):
    # The dict exactly as ImageDataGenerator.get_random_transform returns it (flips come out as 0/1 ints there).
    return {'theta': theta, 'tx': tx, 'ty': ty, 'shear': shear, 'zx': zx, 'zy': zy,
            'flip_horizontal': fh, 'flip_vertical': fv,
            'channel_shift_intensity': cs, 'brightness': b}


PARAMS = [
    params(theta=30.0, tx=2.5, ty=-3.2, shear=10.0, zx=0.9, zy=1.1),
    params(theta=-135.0, tx=-7.0, ty=5.0, zx=1.6, zy=1.4, fh=1),               # zoom-out: big fill region
    params(theta=90.0),                                                        # exact quarter turn
    params(tx=10.3, ty=-12.7, fv=1, cs=-20.0),                                  # big shift + channel shift
    params(shear=-35.0, zx=0.5, zy=0.7, b=1.3),                                 # zoom-in + brightness up
    params(theta=200.0, zx=2.5, zy=2.2, cs=25.0, b=0.6),                        # huge zoom-out, wrap/reflect repeat
    params(theta=12.0, tx=0.5, ty=-0.5, fh=1, fv=1),                            # half-pixel shifts (order-0 ties)
    params(fh=1, cs=15.0, b=0.8),                                               # no warp at all
    params(theta=-60.0, tx=-3.0, shear=25.0, zx=1.25, zy=0.8),
]

MODES = ['constant', 'nearest', 'reflect', 'wrap']


def later_keras_brightness(x, brightness):
    """tf.keras apply_brightness_shift(x, brightness, scale=False)."""
    img = array_to_img(x, scale=False)
    img = ImageEnhance.Brightness(img).enhance(brightness)
    return img_to_array(img)


def keras_expected(x, p, mode, cval, order):
    gen = ImageDataGenerator(fill_mode=mode, cval=cval, interpolation_order=order)
    no_brightness = dict(p, brightness=None)
    y = gen.apply_transform(x, no_brightness)
    if p['brightness'] is not None:
        y = later_keras_brightness(y, p['brightness'])
    return y


def default_mode_expected(x, p, mode, cval, order):
    """Mirage's default mode: R.T.S.Z about (n - 1) / 2, true periodic wrap; the rest as keras_expected."""
    t = np.deg2rad(p['theta'])
    s = np.deg2rad(p['shear'])
    rot = np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1]])
    shift = np.array([[1, 0, p['tx']], [0, 1, p['ty']], [0, 0, 1]])
    shear = np.array([[1, -np.sin(s), 0], [0, np.cos(s), 0], [0, 0, 1]])
    zoom = np.array([[p['zx'], 0, 0], [0, p['zy'], 0], [0, 0, 1]])
    m = rot @ shift @ shear @ zoom
    h, w = x.shape[0], x.shape[1]
    oc = np.array([[1, 0, (h - 1) / 2], [0, 1, (w - 1) / 2], [0, 0, 1]])
    rc = np.array([[1, 0, -(h - 1) / 2], [0, 1, -(w - 1) / 2], [0, 0, 1]])
    m = oc @ m @ rc
    neutral = (p['theta'] == 0 and p['tx'] == 0 and p['ty'] == 0 and p['shear'] == 0 and p['zx'] == 1 and p['zy'] == 1)
    if neutral:
        y = x.copy()
    else:
        scipy_mode = 'grid-wrap' if mode == 'wrap' else mode
        y = np.stack([ndimage.affine_transform(x[:, :, c], m[:2, :2], m[:2, 2], order=order, mode=scipy_mode, cval=cval)
                      for c in range(x.shape[2])], axis=2)
    if p['channel_shift_intensity'] is not None:
        y = apply_channel_shift(y, p['channel_shift_intensity'], 2)
    if p['flip_horizontal']:
        y = flip_axis(y, 1)
    if p['flip_vertical']:
        y = flip_axis(y, 0)
    if p['brightness'] is not None:
        y = later_keras_brightness(y, p['brightness'])
    return y


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith('.npy') or f == 'manifest.json':
            os.remove(os.path.join(OUT, f))
    cases = []
    total = 0
    for ci, (name, file, r, c, h, w, ch) in enumerate(CROPS):
        img = np.asarray(Image.open(os.path.join(DATA, file)))
        if img.ndim == 2:
            img = img[:, :, None]
        crop = np.ascontiguousarray(img[r:r + h, c:c + w, :ch]).astype(np.uint8)
        assert crop.shape == (h, w, ch), (name, crop.shape)
        in_file = f'in_{name}.npy'
        np.save(os.path.join(OUT, in_file), crop)
        total += os.path.getsize(os.path.join(OUT, in_file))
        x = crop.astype('float32')
        small = h * w <= 6
        for mi, mode in enumerate(MODES):
            for order in (0, 1):
                cval = CVAL if mode == 'constant' else 0.0
                # Three parameter sets per (crop, mode, order), rotating so every set meets every mode and order.
                picks = [(ci * 3 + mi * 2 + order * 5 + k * 3) % len(PARAMS) for k in range(3)]
                if small:
                    picks = picks[:2]
                for kc, compat in enumerate((True, False)):
                    if not compat and (small or ch == 4):
                        continue
                    for pi in (picks if compat else picks[:2]):
                        p = PARAMS[pi]
                        y = (keras_expected if compat else default_mode_expected)(x, p, mode, cval, order)
                        y = np.ascontiguousarray(y, dtype=np.float32)
                        assert y.shape == x.shape
                        case_id = f'{name}_{mode}_o{order}_p{pi}' + ('' if compat else '_default')
                        out_file = f'{case_id}.npy'
                        np.save(os.path.join(OUT, out_file), y)
                        total += os.path.getsize(os.path.join(OUT, out_file))
                        cases.append({'id': case_id, 'input': in_file, 'params': p, 'fill_mode': mode, 'cval': cval,
                                      'order': order, 'keras_compatible': compat, 'expected': out_file})
    with open(os.path.join(OUT, 'manifest.json'), 'w') as fh:
        json.dump({'generator': 'tools/keras_fixtures.py', 'keras_preprocessing': '1.1.0', 'cases': cases}, fh, indent=1)
    print(f'{len(cases)} cases, {total / 1e6:.2f} MB of .npy in {os.path.normpath(OUT)}')


if __name__ == '__main__':
    main()
