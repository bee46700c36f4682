namespace Mirage.Transforms.Photometric;

/// <summary>
/// torchvision's tensor colour adjustments (functional_tensor: adjust_brightness/contrast/saturation/hue), in place on
/// interleaved RGB (or gray) pixels, with torchvision's float32 arithmetic. For bytes, each blend is
/// trunc(clamp(ratio·x + (1 − ratio)·other, 0, 255)) as torch's .to(uint8); floats skip the truncation.
/// </summary>
internal static class ColorOps
{
    private static float Gray(float r, float g, float b) => 0.2989f * r + 0.587f * g + 0.114f * b;

    private static T Store<T>(float v) where T : unmanaged
    {
        v = Math.Clamp(v, 0f, 255f);
        if (typeof(T) == typeof(byte)) { byte b = (byte)v; return System.Runtime.CompilerServices.Unsafe.As<byte, T>(ref b); }
        return System.Runtime.CompilerServices.Unsafe.As<float, T>(ref v);
    }

    private static float Load<T>(T v) where T : unmanaged =>
        typeof(T) == typeof(byte) ? System.Runtime.CompilerServices.Unsafe.As<T, byte>(ref v) : System.Runtime.CompilerServices.Unsafe.As<T, float>(ref v);

    /// <summary>Gray as torchvision stores it: truncated to the image's type for bytes.</summary>
    private static float GrayOf<T>(Span<T> px, int i) where T : unmanaged
    {
        float g = Gray(Load(px[i]), Load(px[i + 1]), Load(px[i + 2]));
        return typeof(T) == typeof(byte) ? (byte)Math.Clamp(g, 0f, 255f) : g;
    }

    // Factors arrive in double, as Python floats do: torch rounds ratio and (1.0 − ratio) to float32 separately.
    public static void Brightness<T>(Span<T> px, double ratio) where T : unmanaged
    {
        float factor = (float)ratio;
        for (int i = 0; i < px.Length; i++) px[i] = Store<T>(factor * Load(px[i]));
    }

    public static void Contrast<T>(Span<T> px, int channels, double ratio) where T : unmanaged
    {
        float factor = (float)ratio;
        double sum = 0;
        if (channels == 3)
            for (int i = 0; i < px.Length; i += 3) sum += GrayOf(px, i);
        else
            foreach (var v in px) sum += Load(v);
        float mean = (float)(sum / (channels == 3 ? px.Length / 3 : px.Length));
        float other = (float)(1.0 - ratio) * mean;
        for (int i = 0; i < px.Length; i++) px[i] = Store<T>(factor * Load(px[i]) + other);
    }

    public static void Saturation<T>(Span<T> px, double ratio) where T : unmanaged
    {
        float factor = (float)ratio, keep = (float)(1.0 - ratio);
        for (int i = 0; i < px.Length; i += 3)
        {
            float g = keep * GrayOf(px, i);
            for (int c = 0; c < 3; c++) px[i + c] = Store<T>(factor * Load(px[i + c]) + g);
        }
    }

    public static void Hue<T>(Span<T> px, double hueFactor) where T : unmanaged
    {
        float shift = (float)hueFactor;
        for (int i = 0; i < px.Length; i += 3)
        {
            float r = Load(px[i]) / 255f, g = Load(px[i + 1]) / 255f, b = Load(px[i + 2]) / 255f;
            var (h, s, v) = ToHsv(r, g, b);
            float a = h + shift;
            h = a - MathF.Floor(a); // torch.remainder(a, 1.0)
            (r, g, b) = ToRgb(h, s, v);
            px[i] = Store<T>(r * 255f);
            px[i + 1] = Store<T>(g * 255f);
            px[i + 2] = Store<T>(b * 255f);
        }
    }

    /// <summary>torchvision's _rgb2hsv (after Pillow's Convert.c).</summary>
    private static (float H, float S, float V) ToHsv(float r, float g, float b)
    {
        float maxc = MathF.Max(r, MathF.Max(g, b)), minc = MathF.Min(r, MathF.Min(g, b));
        bool eqc = maxc == minc;
        float cr = maxc - minc;
        float s = cr / (eqc ? 1f : maxc);
        float crd = eqc ? 1f : cr;
        float rc = (maxc - r) / crd, gc = (maxc - g) / crd, bc = (maxc - b) / crd;
        float hr = maxc == r ? bc - gc : 0f;
        float hg = maxc == g && maxc != r ? 2.0f + rc - bc : 0f;
        float hb = maxc != g && maxc != r ? 4.0f + gc - rc : 0f;
        float h = hr + hg + hb;
        h = (h / 6.0f + 1.0f) % 1.0f; // torch.fmod
        return (h, s, maxc);
    }

    /// <summary>torchvision's _hsv2rgb.</summary>
    private static (float R, float G, float B) ToRgb(float h, float s, float v)
    {
        float i = MathF.Floor(h * 6.0f);
        float f = h * 6.0f - i;
        int sector = ((int)i % 6 + 6) % 6;
        float p = Math.Clamp(v * (1.0f - s), 0f, 1f);
        float q = Math.Clamp(v * (1.0f - s * f), 0f, 1f);
        float t = Math.Clamp(v * (1.0f - s * (1.0f - f)), 0f, 1f);
        return sector switch
        {
            0 => (v, t, p),
            1 => (q, v, p),
            2 => (p, v, t),
            3 => (p, q, v),
            4 => (t, p, v),
            _ => (v, p, q),
        };
    }
}
