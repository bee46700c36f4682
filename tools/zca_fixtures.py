#!/usr/bin/python3
"""Keras reference fixtures for Mirage's ImageDataGenerator Fit/Standardize (featurewise, samplewise, ZCA).

Run by hand:  /usr/bin/python3 tools/zca_fixtures.py
Writes tests/Mirage.Tests/Fixtures/zca/: raw little-endian arrays (*.f32 / *.f64, HWC / row-major) and
manifest.json giving each array's file, dtype and shape, plus the Keras settings and a few derived numbers
(condition numbers) the tests use to justify their tolerances. Needs keras_preprocessing 1.1.0 (Debian's
python3-keras-preprocessing; the manifest records the version), numpy, scipy.
The .npy reader lives elsewhere in Mirage; these fixtures deliberately don't depend on it.
"""
import json
import os

import numpy as np
import keras_preprocessing
from keras_preprocessing.image import ImageDataGenerator

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Mirage.Tests", "Fixtures", "zca")
os.makedirs(OUT, exist_ok=True)
manifest = {"keras_preprocessing": keras_preprocessing.__version__, "numpy": np.__version__, "arrays": {}, "cases": {}}


def save(name, array, dtype):
    array = np.ascontiguousarray(np.asarray(array, dtype=dtype))
    ext = "f32" if dtype == np.float32 else "f64"
    fname = name + "." + ext
    array.astype("<" + ("f4" if ext == "f32" else "f8")).tofile(os.path.join(OUT, fname))
    manifest["arrays"][name] = {"file": fname, "dtype": "float32" if ext == "f32" else "float64", "shape": list(array.shape)}


def standardize_each(gen, x):
    return np.stack([gen.standardize(np.copy(img)) for img in x])


rng = np.random.RandomState(20240611)

# 1. Featurewise centre + std: 6 images 5x4x3 in 0..255, per-channel offsets so the channel means differ.
x6 = (rng.uniform(0, 255, size=(6, 5, 4, 3)) * np.array([1.0, 0.5, 0.8]) + np.array([0.0, 60.0, 20.0])).astype(np.float32)
save("featurewise_x", x6, np.float32)
gen = ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True)
gen.fit(x6)
save("featurewise_mean", gen.mean.reshape(-1), np.float32)
save("featurewise_std", gen.std.reshape(-1), np.float32)
save("featurewise_out", standardize_each(gen, x6), np.float32)
manifest["cases"]["featurewise"] = {"featurewise_center": True, "featurewise_std_normalization": True}

# 2. Samplewise with rescale (standardize only; no fit needed).
gen = ImageDataGenerator(samplewise_std_normalization=True, rescale=1.0 / 255)
save("samplewise_out", standardize_each(gen, x6), np.float32)
manifest["cases"]["samplewise"] = {"samplewise_std_normalization": True, "rescale": 1.0 / 255}


def zca_case(name, x, epsilon):
    """Keras's fit in float32, and the same algorithm in float64 (the reference for Mirage's double solver)."""
    gen = ImageDataGenerator(zca_whitening=True, zca_epsilon=epsilon)
    gen.fit(x)
    save(name + "_x", x, np.float32)
    save(name + "_mean", gen.mean.reshape(-1), np.float32)
    save(name + "_pc", gen.principal_components, np.float32)
    save(name + "_out", standardize_each(gen, x[:6]), np.float32)

    x64 = x.astype(np.float64)
    mean64 = x64.mean(axis=(0, 1, 2))
    flat = (x64 - mean64).reshape(len(x64), -1)
    sigma = flat.T @ flat / len(flat)
    u, s, _ = np.linalg.svd(sigma)
    pc64 = (u * (1.0 / np.sqrt(s + epsilon))).dot(u.T)
    save(name + "_pc64", pc64, np.float64)

    # Keras's own float32 covariance (x - its float32 mean in float32, np.dot through netlib BLAS: float32 sums of
    # float32 products in sample order, / N in float32), decomposed in float64: what Fit(..., zcaFloat32: true)
    # computes. What is left between this and Keras's matrix is its float32 SVD.
    centred = (x - gen.mean).astype(np.float32).reshape(len(x), -1)
    sigma32 = np.dot(centred.T, centred) / centred.shape[0]
    u32, s32, _ = np.linalg.svd(sigma32.astype(np.float64))
    pc_sigma32 = (u32 * (1.0 / np.sqrt(s32 + epsilon))).dot(u32.T)
    save(name + "_pc_sigma32", pc_sigma32, np.float64)

    kappa = float((s.max() + epsilon) / (s.min() + epsilon))
    pc32 = gen.principal_components.astype(np.float64)
    manifest["cases"][name] = {
        "zca_whitening": True, "zca_epsilon": epsilon, "n": int(len(x)), "d": int(flat.shape[1]),
        "eigen_min": float(s.min()), "eigen_max": float(s.max()), "kappa": kappa,
        "pc_max_abs": float(np.abs(pc64).max()), "keras_float32_vs_float64_max_abs": float(np.abs(pc32 - pc64).max()),
        "keras_float32_vs_sigma32_max_abs": float(np.abs(pc32 - pc_sigma32).max()),
    }


# 3. ZCA, N = 200 > D = 60 so the covariance is full rank: 10 latent factors plus noise, values in [0, 1).
latent = rng.normal(size=(200, 10))
mix = rng.normal(size=(10, 60))
x200 = 0.5 + 0.05 * (latent @ mix) + 0.02 * rng.normal(size=(200, 60))
zca_case("zca", x200.reshape(200, 5, 4, 3).astype(np.float32), 1e-6)

# 4. ZCA on only 6 images (rank ≤ 6 of 60): the null space is governed by epsilon, so use one (0.1) that dominates
#    float32's rounding noise in the zero eigenvalues; with 1e-6 Keras's float32 answer there is mostly noise.
x6z = rng.uniform(0, 1, size=(6, 5, 4, 3)).astype(np.float32)
zca_case("zca_rank6", x6z, 0.1)

# 5. ZCA on pixel values (0..255, no rescale, as fit is often called): 120 smooth 4x4x3 images, 12 latent factors plus
#    noise. Here Keras's float32 SVD, more than its float32 covariance sums, makes its difference from float64, so
#    Fit(..., zcaFloat32: true) gains less than in case 3 (the manifest's keras_float32_vs_* numbers).
latent = rng.normal(size=(120, 12))
mix = rng.normal(size=(12, 48))
pixels = np.clip(128 + 20 * (latent @ mix) + 2.0 * rng.normal(size=(120, 48)), 0, 255).round()
zca_case("zca_pixels", pixels.reshape(120, 4, 4, 3).astype(np.float32), 1e-6)

with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1, sort_keys=True)
print(json.dumps(manifest["cases"], indent=1))
