"""JPEG fixtures for JpegEighthDecoder's tests (tests/Mirage.Tests/Codecs/JpegEighthDecoderTests.cs).
usage: /usr/bin/python3 tools/eighth_decoder_fixtures.py   (needs cjpeg: apt-get install libjpeg-turbo-progs)
Each file exercises one encoder option libjpeg-turbo's own cjpeg sets (sampling factors, restart intervals, optimized
Huffman tables, 16-bit quantization tables, extreme qualities, odd sizes) or one the decoder must refuse (progressive,
arithmetic, RGB and CMYK JPEGs, 4:1:1). The oracle is not stored: the tests decode each file with libjpeg-turbo at 1/8
at run time and compare bytes. Sources are crops of scikit-image's photos."""
import os, subprocess, tempfile
import numpy as np
from PIL import Image
from skimage import data

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'Mirage.Tests', 'Fixtures', 'jpeg-eighth')
os.makedirs(out, exist_ok=True)
photos = [data.astronaut(), data.coffee(), data.chelsea(), data.rocket()]
rng = np.random.default_rng(8)

def crop(h, w, k):
    p = photos[k % len(photos)]
    y = int(rng.integers(0, p.shape[0] - min(h, p.shape[0]) + 1)); x = int(rng.integers(0, p.shape[1] - min(w, p.shape[1]) + 1))
    c = p[y:y + h, x:x + w]
    if c.shape[0] < h or c.shape[1] < w:  # larger than the photo: stretch
        c = np.asarray(Image.fromarray(p).resize((w, h), Image.BILINEAR))
    return c

tmp = tempfile.mkdtemp()
qtables = os.path.join(tmp, 'q16.txt')
with open(qtables, 'w') as f:  # values above 255 make cjpeg write 16-bit tables (an SOF1 frame)
    f.write(' '.join(str(300 + 7 * i) for i in range(64)) + '\n' + ' '.join(str(2 + i) for i in range(64)) + '\n')

cases = [  # name, height, width, cjpeg options
    ('s444', 61, 47, ['-sample', '1x1']), ('s422', 61, 47, ['-sample', '2x1']), ('s420', 61, 47, ['-sample', '2x2']),
    ('s440', 61, 47, ['-sample', '1x2']), ('s420-odd', 37, 91, []), ('s420-1x1', 1, 1, []), ('s420-7x9', 7, 9, []),
    ('s444-17x33', 17, 33, ['-sample', '1x1']), ('s422-wide', 3, 250, ['-sample', '2x1']), ('s440-tall', 250, 3, ['-sample', '1x2']),
    ('s420-big', 400, 520, ['-quality', '92']), ('s420-restart-row', 120, 150, ['-restart', '1']),
    ('s420-restart-3b', 120, 150, ['-restart', '3B']), ('s444-restart-1b', 40, 56, ['-sample', '1x1', '-restart', '1B']),
    ('s420-optimize', 120, 150, ['-optimize']), ('s420-q100', 96, 80, ['-quality', '100']), ('s420-q5', 96, 80, ['-quality', '5']),
    ('s422-q100-optimize', 64, 72, ['-sample', '2x1', '-quality', '100', '-optimize']),
    ('s420-q16bit', 64, 64, ['-qtables', qtables, '-qslots', '0,1,1']),
    ('gray', 53, 77, ['-grayscale']), ('gray-restart', 53, 77, ['-grayscale', '-restart', '2B']),
    ('gray-q100', 40, 40, ['-grayscale', '-quality', '100']),
    # refused: the caller falls back to libjpeg-turbo
    ('refuse-progressive', 61, 47, ['-progressive']), ('refuse-arithmetic', 61, 47, ['-arithmetic']),
    ('refuse-rgb', 61, 47, ['-rgb']), ('refuse-s411', 61, 47, ['-sample', '4x1']),
]
for i, (name, h, w, opts) in enumerate(cases):
    ppm = os.path.join(tmp, f'{name}.ppm')
    Image.fromarray(crop(h, w, i)).save(ppm)
    subprocess.run(['cjpeg', '-quality', '85', *opts, '-outfile', os.path.join(out, f'{name}.jpg'), ppm], check=True)
Image.fromarray(crop(40, 48, 1)).convert('CMYK').save(os.path.join(out, 'refuse-cmyk.jpg'), quality=90)
print(f'{len(cases) + 1} JPEGs in {out}')
