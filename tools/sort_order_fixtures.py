#!/usr/bin/python3
"""Keras's class and file order for names outside the Basic Multilingual Plane (Python sorts by code point).

Run by hand from the repository root:  /usr/bin/python3 tools/sort_order_fixtures.py
Output (committed): tests/Mirage.Tests/Fixtures/ordering/keras_order.json — the tree's relative file paths, and
keras_preprocessing 1.1.0's class_indices and filenames for flow_from_directory over it.
"""
import json
import os
import tempfile

import keras_preprocessing
from keras_preprocessing.image import ImageDataGenerator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "Mirage.Tests", "Fixtures", "ordering", "keras_order.json")

# U+1F600 (a surrogate pair in UTF-16) against U+FF21 and U+E000 (above the surrogates in UTF-16), plus ASCII,
# Latin-1 and CJK; folders whose names differ only past a shared prefix, so the walk's full-path sort matters.
NAMES = ["\U0001F600", "\uFF21", "\uE000", "a", "Z", "\u00e9", "\u4e2d", "a\U0001F600", "a\uFF21"]


def main():
    files = []
    for c in ["\U0001F600", "\uFF21", "a", "\u4e2d"]:
        for n in NAMES:
            files.append(f"{c}/{n}.png")
        for sub in ["s\U0001F600", "s\uFF21", "s"]:
            for n in ["\U0001F600", "\uFF21", "x"]:
                files.append(f"{c}/{sub}/{n}.png")
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            path = os.path.join(tmp, f)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            open(path, "wb").close()  # listing never opens the files
        it = ImageDataGenerator().flow_from_directory(tmp, shuffle=False)
        result = {
            "generator": "tools/sort_order_fixtures.py",
            "keras_preprocessing": keras_preprocessing.__version__,
            "files": sorted(files, key=lambda s: s.encode("utf-16-le")),  # written in an order that is NOT Keras's
            "class_indices": it.class_indices,
            "filenames": [f.replace(os.sep, "/") for f in it.filenames],
        }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
    print(f"wrote {OUT}: {len(files)} files, {len(result['class_indices'])} classes")


if __name__ == "__main__":
    main()
