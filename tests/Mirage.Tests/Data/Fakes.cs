using System.Text;
using Mirage.Codecs;
using Mirage.Data;
using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms;

namespace Mirage.Tests.Data;

/// <summary>An augmenter whose output depends only on the sample's stream: adds 100·u (u uniform) and halves.</summary>
internal sealed class FakeAugmenter : ISampleAugmenter
{
    public TransformParameters Sample(ImageInfo shape, ref RandomStream random) => new() { Theta = random.NextDouble() };

    public void Apply(Image<float> src, Image<float> dst, in TransformParameters parameters)
    {
        var s = src.Span;
        var d = dst.Span;
        for (int i = 0; i < s.Length; i++) d[i] = s[i] + (float)(parameters.Theta * 100);
    }

    public void Standardize(Image<float> x)
    {
        foreach (ref var v in x.Span) v *= 0.5f;
    }
}

/// <summary>Synthetic samples: sample i is filled with i (+ pixel offset), counting loads.</summary>
internal sealed class CountingSource(int count, int height = 4, int width = 3, int channels = 2) : DataSource
{
    private int _loads;
    public int Loads => Volatile.Read(ref _loads);
    public int DelayMs { get; set; }

    public override int Count => count;
    public override ImageInfo SampleShape => ImageInfo.Create(height, width, channels);

    public new LabelSet Labels { init => base.Labels = value; }

    public override void Load(int index, Image<float> dst)
    {
        Interlocked.Increment(ref _loads);
        if (DelayMs > 0) Thread.Sleep(DelayMs);
        var d = dst.Span;
        for (int i = 0; i < d.Length; i++) d[i] = index + i * 0.001f;
    }
}

/// <summary>A stand-in codec for tests that must not depend on the real one: files that start with "IMG h w c\n" followed
/// by h·w·c bytes decode; anything else is reported the way the real decoder reports a bad file.</summary>
internal static class FakeCodec
{
    public static void Write(string path, int h, int w, int c, byte fill)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var header = Encoding.ASCII.GetBytes($"IMG {h} {w} {c}\n");
        var body = Enumerable.Repeat(fill, h * w * c).ToArray();
        File.WriteAllBytes(path, header.Concat(body).ToArray());
    }

    public static Image<byte> Decode(string path, ColorMode mode)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0) throw new ImageDecodeException(path, "the file is empty");
        int nl = Array.IndexOf(bytes, (byte)'\n');
        var header = nl < 0 ? "" : Encoding.ASCII.GetString(bytes, 0, nl);
        var parts = header.Split(' ');
        if (parts.Length != 4 || parts[0] != "IMG") throw new ImageDecodeException(path, "not an image (unknown format)");
        int h = int.Parse(parts[1]), w = int.Parse(parts[2]), c = int.Parse(parts[3]);
        if (bytes.Length - nl - 1 < h * w * c) throw new ImageDecodeException(path, "truncated image data");
        int channels = ImageLoadOptions.ChannelsOf(mode);
        var img = new Image<byte>(h, w, channels);
        for (int i = 0; i < h * w; i++)
            for (int k = 0; k < channels; k++) img.Span[i * channels + k] = bytes[nl + 1 + i * c + Math.Min(k, c - 1)];
        return img;
    }
}

internal sealed class TempDir : IDisposable
{
    public TempDir() => System.IO.Directory.CreateDirectory(Path);
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mirage-tests-" + Guid.NewGuid().ToString("N"));
    public string this[string relative] => System.IO.Path.Combine(Path, relative);
    public void Dispose()
    {
        try { System.IO.Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
