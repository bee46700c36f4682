"""Camera-size test JPEGs for the scaled-decode measurement (docs/PERFORMANCE.md, "Decode").
usage: /usr/bin/python3 tools/make_large_jpegs.py OUT_DIR WIDTH HEIGHT COUNT
Each file is a random crop of samples/chelsea.jpg or samples/astronaut.jpg (or skimage's data when missing),
upscaled with Lanczos to WIDTH x HEIGHT, plus mild noise so the file has camera-like detail; quality 90, 4:2:0."""
import os, sys
import numpy as np
from PIL import Image

out, W, H, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
here = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'samples')
photos = [Image.open(os.path.join(here, f)).convert('RGB') for f in ('chelsea.jpg', 'astronaut.jpg')]
rng = np.random.default_rng(1)
os.makedirs(os.path.join(out, 'photos'), exist_ok=True)  # one class folder, so flow_from_directory reads it too
for i in range(n):
    p = photos[i % len(photos)]
    cw = int(p.width * rng.uniform(0.6, 1.0)); ch = min(p.height, int(cw * H / W))
    x = int(rng.uniform(0, p.width - cw + 1)); y = int(rng.uniform(0, p.height - ch + 1))
    big = np.asarray(p.crop((x, y, x + cw, y + ch)).resize((W, H), Image.LANCZOS), dtype=np.int16)
    big = np.clip(big + rng.normal(0, 4, big.shape), 0, 255).astype(np.uint8)
    Image.fromarray(big).save(os.path.join(out, 'photos', f'{i:03d}.jpg'), quality=90)
print(f'{n} JPEGs of {W}x{H} in {out}/photos')
