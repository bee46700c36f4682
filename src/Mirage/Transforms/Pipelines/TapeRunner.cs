using Mirage.Generation;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Geometric;

namespace Mirage.Transforms.Pipelines;

/// <summary>
/// What one thread runs tapes with: the kernel settings of its <see cref="MirageConfiguration"/> (read once, passed to
/// every kernel call by value) and the intermediate images it reuses from sample to sample (two of each element type,
/// ping-ponged; rented from the configuration's pools), so running a tape allocates nothing once warm. An image is
/// replaced only when a step's shape changes.
/// </summary>
internal sealed class RunScratch(MirageConfiguration? configuration = null) : IDisposable
{
    private readonly MirageConfiguration _configuration = configuration ?? MirageConfiguration.Default;
    private readonly Image<byte>?[] _bytes = new Image<byte>?[3];
    private readonly Image<float>?[] _floats = new Image<float>?[3];

    /// <summary>The configuration's SIMD level and warp tiling, as the kernels take them.</summary>
    public KernelSettings Kernels { get; } = KernelSettings.Of(configuration);

    /// <summary>Byte image <paramref name="slot"/> (0–2) of shape <paramref name="info"/>; its old values are garbage.</summary>
    public Image<byte> Bytes(int slot, ImageInfo info) => Get(_bytes, slot, info, _configuration.BytePool);

    /// <summary>Float image <paramref name="slot"/> (0–2) of shape <paramref name="info"/>; its old values are garbage.</summary>
    public Image<float> Floats(int slot, ImageInfo info) => Get(_floats, slot, info, _configuration.FloatPool);

    /// <summary><see cref="Bytes"/> or <see cref="Floats"/> by element type (the test folds away when the JIT specialises T).</summary>
    public Image<T> Slot<T>(int slot, ImageInfo info) where T : unmanaged =>
        typeof(T) == typeof(byte) ? (Image<T>)(object)Bytes(slot, info) : (Image<T>)(object)Floats(slot, info);

    private static Image<T> Get<T>(Image<T>?[] images, int slot, ImageInfo info, System.Buffers.ArrayPool<T> pool) where T : unmanaged
    {
        var image = images[slot];
        if (image is not null && image.Info == info) return image;
        image?.Dispose();
        return images[slot] = Image<T>.Uninitialized(info, pool); // every step writes its whole destination
    }

    public void Dispose()
    {
        foreach (var i in _bytes) i?.Dispose();
        foreach (var i in _floats) i?.Dispose();
        Array.Clear(_bytes);
        Array.Clear(_floats);
    }
}

/// <summary>
/// Runs a <see cref="ParameterTape"/>: groups its steps into passes and executes them into a caller-supplied
/// destination. Two routes, chosen by the tape's <see cref="ParameterTape.Precision"/>:
/// <list type="bullet">
/// <item>Bytes: adjacent warps with equal settings become one warp (flips folded into its matrix), other steps run on
/// 8-bit images, and the trailing per-channel affine steps become the scale/offset of the pass that writes floats
/// (<see cref="WarpAffine.ApplyToFloat(Image{byte}, Span{float}, int, int, DataFormat, in AffineMatrix, in WarpOptions, ReadOnlySpan{float}, ReadOnlySpan{float})"/>).</item>
/// <item>Float: every step on float images. Adjacent resampling warps still fuse (one interpolation instead of several),
/// but a warp that only permutes pixels (a flip) runs as its exact kernel rather than folded into an interpolating warp.</item>
/// </list>
/// A byte destination always receives the float result rounded half to even and clipped to 0..255 (a shortcut runs
/// in bytes when the scale/offset is the identity: the same bytes).
/// </summary>
internal static class TapeRunner
{
    /// <summary>How a group of steps runs: one warp with the group's matrix, or the step's own Apply.</summary>
    public enum GroupKind
    {
        Warp,
        Step,
    }

    /// <summary>Which route a tape of <paramref name="tape"/>'s precision takes on an 8-bit input.</summary>
    public static bool TakesByteRoute(ParameterTape tape, bool allowFusing) => tape.Precision switch
    {
        PipelinePrecision.Bytes => true,
        PipelinePrecision.FloatWithFusedWarps => allowFusing && FusesIntoOneWarp(tape),
        _ => false,
    };

    /// <summary>
    /// True when every step is a warp with one set of warp options (or leaves the image alone) up to the trailing
    /// per-channel affine steps, and the warp's fill value is a byte value: one byte warp then writes the output.
    /// </summary>
    public static bool FusesIntoOneWarp(ParameterTape tape)
    {
        int tail = TailStart(tape);
        WarpOptions? options = null;
        for (int i = 0; i < tail; i++)
        {
            if (Describe(tape, i, out var w) != StepKind.Warp) return false;
            if (w.Matrix.IsIdentity) continue;
            if (options is { } o && o != w.Options) return false;
            options = w.Options;
        }
        return options is not { FillMode: FillMode.Constant, Cval: var cval } || (cval >= 0 && cval <= 255 && cval == MathF.Round(cval));
    }

    // ------------------------------------------------------------------ byte input

    /// <summary>Bytes in, floats out in <paramref name="layout"/>; returns true when the byte route ran.</summary>
    public static bool Run(ParameterTape tape, Image<byte> src, Span<float> dst, DataFormat layout, RunScratch scratch, bool allowFusing = true)
    {
        if (TakesByteRoute(tape, allowFusing))
        {
            int tail = TailStart(tape);
            Span<float> scale = stackalloc float[tape.Output.Channels], offset = stackalloc float[tape.Output.Channels];
            ScaleOffset(tape, tail, scale, offset);
            BytesToFloat(tape, src, dst, layout, tail, scale, offset, scratch);
            return true;
        }
        var x = scratch.Floats(2, src.Info);
        ImageConvert.ToFloat(src.Span, x.Span);
        var y = Floats(tape, x, scratch);
        CopyOut(y, dst, layout);
        return false;
    }

    /// <summary>Bytes in, bytes out in <paramref name="layout"/> (the float result rounded); true when the byte route ran.</summary>
    public static bool Run(ParameterTape tape, Image<byte> src, Span<byte> dst, DataFormat layout, RunScratch scratch, bool allowFusing = true)
    {
        var output = tape.Output;
        if (TakesByteRoute(tape, allowFusing))
        {
            int tail = TailStart(tape);
            Span<float> scale = stackalloc float[output.Channels], offset = stackalloc float[output.Channels];
            ScaleOffset(tape, tail, scale, offset);
            if (IsIdentity(scale, offset))
            {
                CopyOut(Steps(tape, src, tail, byteRoute: true, scratch), dst, layout);
                return true;
            }
            var f = scratch.Floats(0, output);
            BytesToFloat(tape, src, f.Span, DataFormat.ChannelsLast, tail, scale, offset, scratch);
            RoundOut(f, dst, layout, scratch);
            return true;
        }
        var x = scratch.Floats(2, src.Info);
        ImageConvert.ToFloat(src.Span, x.Span);
        RoundOut(Floats(tape, x, scratch), dst, layout, scratch);
        return false;
    }

    /// <summary>The byte route into floats: the last warp (or a conversion) writes the destination with the tail's
    /// scale/offset (<paramref name="tail"/>, <paramref name="scale"/>, <paramref name="offset"/>: what the caller
    /// already computed from the tape).</summary>
    private static void BytesToFloat(ParameterTape tape, Image<byte> src, Span<float> dst, DataFormat layout, int tail,
        ReadOnlySpan<float> scale, ReadOnlySpan<float> offset, RunScratch scratch)
    {
        var kernels = scratch.Kernels;
        Image<byte> current = src;
        int slot = -1;
        for (int i = 0; i < tail;)
        {
            int j = NextGroup(tape, i, tail, byteRoute: true, out var kind, out var m, out var warp);
            var shape = tape[j - 1].Output;
            if (kind == GroupKind.Warp && m.IsIdentity && current.Info == shape)
            {
                i = j;
                continue;
            }
            if (kind == GroupKind.Warp && j == tail)
            {
                WarpAffine.ApplyToFloat(current, dst, shape.Height, shape.Width, layout, m, warp, scale, offset, kernels);
                return;
            }
            slot = slot == 0 ? 1 : 0;
            var next = scratch.Bytes(slot, shape);
            Step(tape, i, kind, m, warp, current, next, kernels);
            current = next;
            i = j;
        }
        Kernels.Photometric.Normalize.ToFloat(current.Span, current.Info, dst, layout, scale, offset, kernels.Vectorized);
    }

    /// <summary>Runs the groups before <paramref name="end"/> (returning the image holding the result, possibly
    /// <paramref name="src"/>), alternating between the scratch's images 0 and 1; a group
    /// that changes nothing (an identity warp of the same shape) is skipped.</summary>
    private static Image<T> Steps<T>(ParameterTape tape, Image<T> src, int end, bool byteRoute, RunScratch scratch) where T : unmanaged
    {
        var kernels = scratch.Kernels;
        Image<T> current = src;
        int slot = -1;
        for (int i = 0; i < end;)
        {
            int j = NextGroup(tape, i, end, byteRoute, out var kind, out var m, out var warp);
            var shape = tape[j - 1].Output;
            if (!(kind == GroupKind.Warp && m.IsIdentity && current.Info == shape))
            {
                slot = slot == 0 ? 1 : 0;
                var next = scratch.Slot<T>(slot, shape);
                Step(tape, i, kind, m, warp, current, next, kernels);
                current = next;
            }
            i = j;
        }
        return current;
    }

    /// <summary>Bytes in, a byte image out (HWC); true when the byte route ran.</summary>
    public static bool Run(ParameterTape tape, Image<byte> src, Image<byte> dst, RunScratch scratch) =>
        Run(tape, src, dst.Span, DataFormat.ChannelsLast, scratch);

    // ------------------------------------------------------------------ float input

    /// <summary>The float route on <paramref name="src"/> (never modified); returns the image holding the result, which
    /// is <paramref name="src"/> itself when no step changed anything, else one of the scratch's images 0 and 1.</summary>
    public static Image<float> Floats(ParameterTape tape, Image<float> src, RunScratch scratch) =>
        Steps(tape, src, tape.Count, byteRoute: false, scratch);

    private static void Step<T>(ParameterTape tape, int i, GroupKind kind, in AffineMatrix m, in WarpOptions warp, Image<T> src, Image<T> dst,
        in KernelSettings kernels) where T : unmanaged
    {
        if (kind == GroupKind.Warp)
        {
            if (src is Image<byte> b) WarpAffine.Apply(b, (dst as Image<byte>)!, m, warp, kernels);
            else WarpAffine.Apply((src as Image<float>)!, (dst as Image<float>)!, m, warp, kernels);
            return;
        }
        var e = tape[i];
        if (src is Image<byte> sb) e.Transform.Apply(e.Parameters, sb, (dst as Image<byte>)!);
        else e.Transform.Apply(e.Parameters, (src as Image<float>)!, (dst as Image<float>)!);
    }

    // ------------------------------------------------------------------ output

    /// <summary>An HWC image into a destination in <paramref name="layout"/>.</summary>
    public static void CopyOut<T>(Image<T> src, Span<T> dst, DataFormat layout) where T : unmanaged
    {
        if (layout == DataFormat.ChannelsLast) src.Span.CopyTo(dst);
        else src.CopyToChannelsFirst(dst);
    }

    private static void RoundOut(Image<float> src, Span<byte> dst, DataFormat layout, RunScratch scratch)
    {
        if (layout == DataFormat.ChannelsLast)
        {
            ImageConvert.ToByte(src.Span, dst);
            return;
        }
        var b = scratch.Bytes(2, src.Info);
        ImageConvert.ToByte(src.Span, b.Span);
        b.CopyToChannelsFirst(dst);
    }

    private static bool IsIdentity(ReadOnlySpan<float> scale, ReadOnlySpan<float> offset)
    {
        for (int c = 0; c < scale.Length; c++)
            if (scale[c] != 1f || offset[c] != 0f) return false;
        return true;
    }

    // ------------------------------------------------------------------ planning

    private static StepKind Describe(ParameterTape tape, int i, out WarpStep warp)
    {
        var e = tape[i];
        return e.Transform.Describe(e.Parameters, e.Input, e.Output, out warp);
    }

    /// <summary>The first of the per-channel affine steps that end the tape (they fold into the output pass).</summary>
    public static int TailStart(ParameterTape tape)
    {
        int t = tape.Count;
        while (t > 0 && Describe(tape, t - 1, out _) == StepKind.ChannelAffine) t--;
        return t;
    }

    /// <summary>
    /// v → v·a + b of steps tail.. composed per channel in double (starting from v·1 + (−0), the exact identity), stored
    /// as float, as the kernels take them.
    /// </summary>
    public static void ScaleOffset(ParameterTape tape, int tail, Span<float> scale, Span<float> offset)
    {
        int channels = scale.Length;
        Span<double> s = stackalloc double[channels], o = stackalloc double[channels];
        s.Fill(1);
        o.Fill(-0.0);
        for (int i = tail; i < tape.Count; i++)
        {
            var e = tape[i];
            e.Transform.AppendTo(e.Parameters, s, o);
        }
        for (int c = 0; c < channels; c++)
        {
            scale[c] = (float)s[c];
            offset[c] = (float)o[c];
        }
    }

    /// <summary>
    /// The group starting at <paramref name="i"/>: a run of warps with the same warp options, or one other step.
    /// Matrices multiply with the first applied on the left (out(p) = in(M₁·M₂·…·p)); a run of centred warps (rotate,
    /// shift, shear, zoom) multiplies their linear parts and conjugates once, exactly as Keras's R·T·S·Z about the
    /// centre; warps that change nothing are left out. On the float route a pixel permutation (a flip) is a group of its
    /// own. Returns the index after the group.
    /// </summary>
    public static int NextGroup(ParameterTape tape, int i, int end, bool byteRoute, out GroupKind kind, out AffineMatrix m, out WarpOptions warp)
    {
        var stepKind = Describe(tape, i, out var first);
        kind = stepKind == StepKind.Warp ? GroupKind.Warp : GroupKind.Step;
        m = AffineMatrix.Identity;
        warp = first.Options;
        if (kind == GroupKind.Step) return i + 1;
        if (!byteRoute && !first.Centred && IsGridPermutation(first.Matrix, tape[i].Input, tape[i].Output))
        {
            if (!first.Matrix.IsIdentity) kind = GroupKind.Step; // the exact kernel; an identity is skipped
            return i + 1;
        }
        bool any = false, pending = false;
        var product = AffineMatrix.Identity;
        AffineMatrix linear = default;
        CentreConvention centre = default;
        ImageInfo centreShape = default;
        int j = i;
        for (; j < end; j++)
        {
            var step = first;
            if (j > i && (Describe(tape, j, out step) != StepKind.Warp || step.Options != warp)) break;
            var e = tape[j];
            if (!byteRoute && j > i && !step.Centred && IsGridPermutation(step.Matrix, e.Input, e.Output)) break;
            if (step.Centred && pending && step.Centre == centre && e.Input == centreShape)
            {
                linear *= step.Linear;
                continue;
            }
            Flush();
            if (step.Centred)
            {
                (pending, linear, centre, centreShape) = (true, step.Linear, step.Centre, e.Input);
                continue;
            }
            if (!step.Matrix.IsIdentity) Multiply(step.Matrix);
        }
        Flush();
        m = product;
        return j;

        void Flush()
        {
            if (!pending) return;
            pending = false;
            var about = AffineMatrix.AboutCentre(linear, centreShape.Height, centreShape.Width, centre);
            if (!about.IsIdentity) Multiply(about);
        }

        void Multiply(in AffineMatrix next)
        {
            product = any ? product * next : next;
            any = true;
        }
    }

    /// <summary>
    /// True when <paramref name="m"/> maps the pixel grid of <paramref name="input"/> onto itself one to one (a flip,
    /// a transpose of a square, the identity): the warp then moves whole pixels and interpolates nothing.
    /// </summary>
    public static bool IsGridPermutation(in AffineMatrix m, in ImageInfo input, in ImageInfo output)
    {
        if (input != output) return false;
        static bool Unit(double v) => v is 0 or 1 or -1;
        if (!(Unit(m.M00) && Unit(m.M01) && Unit(m.M10) && Unit(m.M11) && Math.Abs(m.Determinant) == 1)) return false;
        if (m.M02 != Math.Floor(m.M02) || m.M12 != Math.Floor(m.M12)) return false;
        double h = output.Height - 1, w = output.Width - 1;
        return Inside(m.Map(0, 0)) && Inside(m.Map(0, w)) && Inside(m.Map(h, 0)) && Inside(m.Map(h, w));

        bool Inside((double Row, double Col) p) => p.Row >= 0 && p.Row <= h && p.Col >= 0 && p.Col <= w;
    }
}
