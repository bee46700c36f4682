using Mirage.Generation;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mirage.Imaging;

namespace Mirage.Kernels.Photometric;

/// <summary>
/// Byte image → float tensor with a per-channel affine map, dst = (float)v · scale[c] + offset[c], in channels-last or
/// channels-first layout: rescale (scale = 1/255, offset = 0) and featurewise normalisation
/// (scale = rescale/std, offset = −mean/std) in one pass. The multiply and the add are rounded separately (no FMA),
/// identically in the vector and the scalar paths, so both give the same bits.
/// </summary>
public static unsafe class Normalize
{
    /// <summary>Largest channel count with a vector path (patterns live on the stack).</summary>
    private const int MaxVectorChannels = 16;

    /// <summary>Floats in a per-channel pattern: 8 runs of up to <see cref="MaxVectorChannels"/> channels. A named
    /// constant so the fixed buffers' sizes are a plain name (mutation testing cannot mutate it into a non-constant).</summary>
    private const int PatternLength = 8 * MaxVectorChannels;

    /// <summary>
    /// Converts <paramref name="src"/> (shape <paramref name="shape"/>, HWC) into <paramref name="dst"/> laid out as
    /// <paramref name="layout"/>. <paramref name="scale"/> and <paramref name="offset"/> hold one value per channel,
    /// or a single value for all channels.
    /// </summary>
    /// <param name="src">HWC bytes; at least shape.Length values.</param>
    /// <param name="shape">The image's (H, W, C).</param>
    /// <param name="dst">Receives shape.Length floats; values past that are untouched.</param>
    /// <param name="layout">Channels-last (HWC) or channels-first (CHW) output.</param>
    /// <param name="scale">1 or C multipliers (e.g. 1/255).</param>
    /// <param name="offset">1 or C addends (e.g. −mean/std).</param>
    /// <exception cref="ArgumentException"><paramref name="src"/> or <paramref name="dst"/> is too short, or
    /// <paramref name="scale"/> or <paramref name="offset"/> has neither 1 nor C values.</exception>
    public static void ToFloat(ReadOnlySpan<byte> src, ImageInfo shape, Span<float> dst, DataFormat layout,
        ReadOnlySpan<float> scale, ReadOnlySpan<float> offset) => ToFloat(src, shape, dst, layout, scale, offset, vectorized: true);

    /// <summary>The same for a whole image.</summary>
    /// <param name="src">The byte image; not modified.</param>
    /// <param name="dst">Receives src.Length floats; values past that are untouched.</param>
    /// <param name="layout">Channels-last (HWC) or channels-first (CHW) output.</param>
    /// <param name="scale">1 or C multipliers.</param>
    /// <param name="offset">1 or C addends.</param>
    /// <exception cref="ArgumentException"><paramref name="dst"/> is too short, or <paramref name="scale"/> or
    /// <paramref name="offset"/> has neither 1 nor C values.</exception>
    public static void ToFloat(Image<byte> src, Span<float> dst, DataFormat layout, ReadOnlySpan<float> scale, ReadOnlySpan<float> offset) =>
        ToFloat(src.Span, src.Info, dst, layout, scale, offset, vectorized: true);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ToFloat(ReadOnlySpan<byte> src, ImageInfo shape, Span<float> dst, DataFormat layout,
        ReadOnlySpan<float> scale, ReadOnlySpan<float> offset, bool vectorized)
    {
        if (src.Length < shape.Length) throw new ArgumentException($"The source holds {src.Length} values but a {shape} image needs {shape.Length}.", nameof(src));
        if (dst.Length < shape.Length) throw new ArgumentException($"The destination holds {dst.Length} values but a {shape} image needs {shape.Length}.", nameof(dst));
        var rows = new RowConverter(shape.Width, shape.Channels, scale, offset, vectorized);
        int plane = shape.Height * shape.Width, stride = shape.Width * shape.Channels;
        fixed (byte* ps = src)
        fixed (float* pd = dst)
        {
            for (int y = 0; y < shape.Height; y++)
            {
                if (layout == DataFormat.ChannelsLast) rows.ChannelsLast(ps + (long)y * stride, pd + (long)y * stride);
                else rows.ChannelsFirst(ps + (long)y * stride, pd + (long)y * shape.Width, plane);
            }
        }
    }

    /// <summary>
    /// Converts rows of one width and channel count. Holds the per-channel patterns the vector path needs
    /// (value i of a run of 8·C values has channel i mod C), so building one costs nothing per row.
    /// </summary>
    internal struct RowConverter
    {
        private readonly int _width, _channels;
        private readonly bool _vector;
        private fixed float _scale[PatternLength];
        private fixed float _offset[PatternLength];
        private readonly float[]? _scaleArray, _offsetArray;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public RowConverter(int width, int channels, ReadOnlySpan<float> scale, ReadOnlySpan<float> offset, bool vectorized)
        {
            if (scale.Length != 1 && scale.Length != channels)
                throw new ArgumentException($"scale needs 1 or {channels} values (one per channel), got {scale.Length}.", nameof(scale));
            if (offset.Length != 1 && offset.Length != channels)
                throw new ArgumentException($"offset needs 1 or {channels} values (one per channel), got {offset.Length}.", nameof(offset));
            _width = width;
            _channels = channels;
            _vector = vectorized && Avx2.IsSupported && channels <= MaxVectorChannels;
            _scaleArray = _offsetArray = null;
            if (channels <= MaxVectorChannels)
            {
                for (int i = 0; i < 8 * channels; i++)
                {
                    _scale[i] = scale[scale.Length == 1 ? 0 : i % channels];
                    _offset[i] = offset[offset.Length == 1 ? 0 : i % channels];
                }
            }
            else
            {
                _scaleArray = new float[channels];
                _offsetArray = new float[channels];
                for (int c = 0; c < channels; c++)
                {
                    _scaleArray[c] = scale[scale.Length == 1 ? 0 : c];
                    _offsetArray[c] = offset[offset.Length == 1 ? 0 : c];
                }
            }
        }

        private readonly float ScaleOf(int c) => _scaleArray is null ? _scale[c] : _scaleArray[c];
        private readonly float OffsetOf(int c) => _scaleArray is null ? _offset[c] : _offsetArray![c];

        /// <summary>One HWC row of bytes to one HWC row of floats.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void ChannelsLast(byte* s, float* d)
        {
            int C = _channels, n = _width * C, i = 0;
            if (_vector)
            {
                fixed (float* sp = _scale)
                fixed (float* op = _offset)
                {
                    int period = 8 * C;
                    for (; i + period <= n; i += period)
                        for (int j = 0; j < C; j++)
                            Store8(s + i + 8 * j, d + i + 8 * j, Vector256.Load(sp + 8 * j), Vector256.Load(op + 8 * j));
                }
            }
            for (int c = 0; i < n; i++)
            {
                d[i] = s[i] * ScaleOf(c) + OffsetOf(c);
                if (++c == C) c = 0;
            }
        }

        /// <summary>One HWC row of bytes to the same row of each of the C planes (plane stride <paramref name="plane"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void ChannelsFirst(byte* s, float* d, int plane)
        {
            int C = _channels, W = _width, x = 0;
            if (C == 1)
            {
                ChannelsLast(s, d);
                return;
            }
            if (_vector && C == 3 && Ssse3.IsSupported)
            {
                fixed (float* sp = _scale)
                fixed (float* op = _offset)
                {
                    // Deinterleave 8 pixels (24 bytes) with two overlapping 16-byte loads and byte shuffles.
                    var s0 = Vector256.Create(sp[0]); var s1 = Vector256.Create(sp[1]); var s2 = Vector256.Create(sp[2]);
                    var o0 = Vector256.Create(op[0]); var o1 = Vector256.Create(op[1]); var o2 = Vector256.Create(op[2]);
                    var rLo = Vector128.Create(0, 3, 6, 9, 12, 15, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80).AsByte();
                    var rHi = Vector128.Create(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 10, 13, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80).AsByte();
                    var gLo = Vector128.Create(1, 4, 7, 10, 13, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80).AsByte();
                    var gHi = Vector128.Create(0x80, 0x80, 0x80, 0x80, 0x80, 8, 11, 14, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80).AsByte();
                    var bLo = Vector128.Create(2, 5, 8, 11, 14, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80).AsByte();
                    var bHi = Vector128.Create(0x80, 0x80, 0x80, 0x80, 0x80, 9, 12, 15, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80).AsByte();
                    float* d0 = d, d1 = d + plane, d2 = d + 2 * plane;
                    for (; x + 8 <= W; x += 8)
                    {
                        var lo = Vector128.Load(s + 3 * x);
                        var hi = Vector128.Load(s + 3 * x + 8);
                        Convert8(Ssse3.Shuffle(lo, rLo) | Ssse3.Shuffle(hi, rHi), d0 + x, s0, o0);
                        Convert8(Ssse3.Shuffle(lo, gLo) | Ssse3.Shuffle(hi, gHi), d1 + x, s1, o1);
                        Convert8(Ssse3.Shuffle(lo, bLo) | Ssse3.Shuffle(hi, bHi), d2 + x, s2, o2);
                    }
                }
            }
            for (; x < W; x++)
                for (int c = 0; c < C; c++)
                    d[(long)c * plane + x] = s[x * C + c] * ScaleOf(c) + OffsetOf(c);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store8(byte* s, float* d, Vector256<float> scale, Vector256<float> offset) =>
            Convert8(Vector128.CreateScalarUnsafe(*(ulong*)s).AsByte(), d, scale, offset);

        /// <summary>The low 8 bytes of <paramref name="bytes"/> to 8 floats, v·scale + offset (two roundings, as the scalar path).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Convert8(Vector128<byte> bytes, float* d, Vector256<float> scale, Vector256<float> offset)
        {
            var f = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(bytes));
            Avx.Add(Avx.Multiply(f, scale), offset).Store(d);
        }
    }
}
