"""Import before numpy: makes numpy's float64 sin and cos give libm's results on every machine.

numpy >= 1.22 computes float64 sin/cos with Intel SVML on CPUs with AVX-512 (its AVX512_SKX dispatch). SVML is not
correctly rounded: for most angles it differs from glibc's libm in the last bit (for sin(20°) and cos(20°), for
example). Keras builds its rotation and shear matrices with np.sin/np.cos, so the Keras oracle itself changed with
the CPU that ran it, and a one-bit change in a matrix entry moves a source coordinate that lands on the image edge
to the other side of it in 'constant' mode (tools/keras_param_fixtures.py's shear cases lost one border pixel each).
With the SVML dispatch off, numpy calls libm, which is what Mirage's Math.Sin/Math.Cos call on Linux, and what
numpy computes on CPUs without AVX-512.
"""
import os
import sys

if 'numpy' in sys.modules:
    raise ImportError('import numpy_portable before numpy: numpy reads NPY_DISABLE_CPU_FEATURES when it loads')
os.environ['NPY_DISABLE_CPU_FEATURES'] = 'AVX512_SKX'
