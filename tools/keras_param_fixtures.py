#!/usr/bin/python3
"""Keras fixtures for the parameter combinations tools/keras_fixtures.py never draws: each parameter alone, then
every pair, on odd sizes in grey, RGB and RGBA. Same oracles as keras_fixtures.py (imported from it):
keras-preprocessing 1.1.0's apply_transform for keras_compatible cases, the true-centre scipy pipeline for default
mode; brightness as later Keras.

Run by hand with the Debian python (python3-keras-preprocessing):

    /usr/bin/python3 tools/keras_param_fixtures.py

Writes tests/Mirage.Tests/Fixtures/keras-params/ (inputs in_<crop>.npy, expected <case>.npy, manifest.json in the
format of keras_fixtures.py). Deterministic: fixed crops, fixed values, no random numbers. Why it exists: a zoom
on one axis only (zx == 1, zy set) treated as identity passed every fixture of keras_fixtures.py, whose zooms
always set both.
"""
import itertools
import json
import os

import numpy_portable  # noqa: F401  (before numpy: libm sin/cos on every CPU)
import numpy as np
from PIL import Image

from keras_fixtures import CVAL, DATA, MODES, default_mode_expected, keras_expected, params

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'Mirage.Tests', 'Fixtures', 'keras-params')

CROPS = [
    ('chelsea_15x21', 'chelsea.png', 110, 190, 15, 21, 3),
    ('camera_19x13_grey', 'camera.png', 210, 260, 19, 13, 1),
    ('logo_13x17_rgba', 'logo.png', 70, 110, 13, 17, 4),
]

# One value per parameter, each chosen so that, alone, it moves pixels (or values) visibly on a 13–21 pixel crop.
SINGLE = {
    'zx': 0.7,          # zoom of rows only
    'zy': 1.35,         # zoom of columns only
    'tx': 3.4,          # shift along rows only
    'ty': -2.6,         # shift along columns only
    'shear': 20.0,
    'theta': 25.0,
    'fh': 1,
    'fv': 1,
    'cs': 18.0,
    'b': 1.4,
}
# Single-parameter cases also run at a second value (the other side of 1, or the other sign).
SECOND = {'zx': 1.45, 'zy': 0.65, 'tx': -4.2, 'ty': 2.8, 'shear': -30.0, 'theta': -70.0, 'cs': -25.0, 'b': 0.55}


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith('.npy') or f == 'manifest.json':
            os.remove(os.path.join(OUT, f))
    sets = [(f'{k}', {k: v}) for k, v in SINGLE.items()]
    sets += [(f'{k}2', {k: v}) for k, v in SECOND.items()]
    sets += [(f'{a}+{b}', {a: SINGLE[a], b: SINGLE[b]}) for a, b in itertools.combinations(SINGLE, 2)]
    cases = []
    total = 0
    k = 0
    for name, file, r, c, h, w, ch in CROPS:
        img = np.asarray(Image.open(os.path.join(DATA, file)))
        if img.ndim == 2:
            img = img[:, :, None]
        crop = np.ascontiguousarray(img[r:r + h, c:c + w, :ch]).astype(np.uint8)
        assert crop.shape == (h, w, ch), (name, crop.shape)
        in_file = f'in_{name}.npy'
        np.save(os.path.join(OUT, in_file), crop)
        total += os.path.getsize(os.path.join(OUT, in_file))
        x = crop.astype('float32')
        for label, values in sets:
            p = params(**values)
            pair = '+' in label
            # Single parameters in both modes; pairs alternate between them. Fill mode and order rotate so each
            # parameter meets every mode and both orders across the crops.
            for compat in ((True, False) if not pair else ((k % 2) == 0,)):
                mode, order = MODES[k % 4], (k // 4) % 2
                k += 1
                cval = CVAL if mode == 'constant' else 0.0
                y = (keras_expected if compat else default_mode_expected)(x, p, mode, cval, order)
                y = np.ascontiguousarray(y, dtype=np.float32)
                assert y.shape == x.shape
                case_id = f'{name}_{label}_{mode}_o{order}' + ('' if compat else '_default')
                out_file = f'{case_id}.npy'
                np.save(os.path.join(OUT, out_file), y)
                total += os.path.getsize(os.path.join(OUT, out_file))
                cases.append({'id': case_id, 'input': in_file, 'params': p, 'fill_mode': mode, 'cval': cval,
                              'order': order, 'keras_compatible': compat, 'expected': out_file})
    with open(os.path.join(OUT, 'manifest.json'), 'w') as fh:
        json.dump({'generator': 'tools/keras_param_fixtures.py', 'keras_preprocessing': '1.1.0', 'cases': cases}, fh, indent=1)
    print(f'{len(cases)} cases, {total / 1e6:.2f} MB of .npy in {os.path.normpath(OUT)}')


if __name__ == '__main__':
    main()
