using System.Diagnostics;
using Mirage.Codecs;
using Mirage.Imaging;
using Xunit.Abstractions;

namespace Mirage.Tests.Codecs;

/// <summary>
/// Mutation fuzzing of every decoder path (PNG, GIF, WebP, BMP, JPEG through libjpeg-turbo, SkiaSharp and the 1/8
/// decoder, and the EXIF orientation reader): seeds are the hostile corpus's valid files; mutants are bit flips,
/// "interesting" bytes, header fields set to extremes, cuts, splices and duplicated chunks. Only
/// <see cref="ImageDecodeException"/> may come out. Each format runs for MIRAGE_FUZZ_SECONDS (default 1.5 s in CI);
/// set it higher to fuzz by hand, e.g. MIRAGE_FUZZ_SECONDS=600.
/// </summary>
public class DecoderFuzzTests(ITestOutputHelper output)
{
    // A low limit keeps a mutant that claims a large (but allowed) size from allocating hundreds of MB per input.
    private const long FuzzMaxPixels = 1 << 22;

    private static double Seconds =>
        double.TryParse(Environment.GetEnvironmentVariable("MIRAGE_FUZZ_SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 1.5;

    public static TheoryData<string> Formats() => ["png", "gif", "webp", "bmp", "jpeg", "exif"];

    private static string[] Seeds(string format) => format switch
    {
        "png" => ["ok.png", "palette-transparency.png", "gray16.png", "gray-alpha.png", "rgba.png", "1x1.png"],
        "gif" => ["ok.gif", "animated.gif"],
        "webp" => ["ok.webp", "ok-lossless.webp"],
        "bmp" => ["ok.bmp"],
        "jpeg" => ["ok.jpg", "progressive.jpg", "cmyk.jpg", "gray.jpg"],
        _ => ["exif-orientation-6.jpg", "exif-orientation-3.jpg"],
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Mutants_decode_or_raise_ImageDecodeException_only(string format)
    {
        var seeds = Seeds(format).Select(f => File.ReadAllBytes(Path.Combine(Data.HostileCorpusTests.Folder, f))).ToArray();
        var rng = new Random(format.Aggregate(11, (h, c) => h * 31 + c)); // test-only fuzzing; library code never uses System.Random
        int inputs = 0, decoded = 0, rejected = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < Seconds)
        {
            var seed = seeds[rng.Next(seeds.Length)];
            var bytes = Mutate(seed, seeds, rng, format == "exif");
            var mode = (ColorMode)(inputs % 3);
            inputs++;
            try
            {
                Exercise(bytes, mode, format, inputs);
                decoded++;
            }
            catch (ImageDecodeException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                string saved = Path.Combine(Path.GetTempPath(), $"mirage-fuzz-{format}-{inputs}.bin");
                File.WriteAllBytes(saved, bytes);
                Assert.Fail($"{format} mutant #{inputs} (saved to {saved}) raised {e.GetType().Name}: {e.Message}");
            }
        }
        output.WriteLine($"{format}: {inputs} inputs in {sw.Elapsed.TotalSeconds:F1} s, {decoded} decoded, {rejected} rejected");
        Assert.True(inputs >= 10, $"only {inputs} inputs");
    }

    private static void Exercise(byte[] bytes, ColorMode mode, string format, int n)
    {
        string name = $"fuzz-{format}-{n}";
        bool jpeg = format is "jpeg" or "exif";
        // The EXIF reader: ReadInfo's orientation and the oriented decode.
        if (format == "exif" || n % 4 == 0)
        {
            var info = ImageDecoder.ReadInfo(bytes, name);
            Assert.InRange(info.Orientation, 1, 8);
        }
        if (jpeg)
        {
            var decoders = n % 2 == 1 ? SkiaFallbackTests.Skia : MirageConfiguration.Default; // alternate libjpeg-turbo and SkiaSharp
            using (var image = ImageDecoder.Decode(bytes, mode, name, applyOrientation: format == "exif" || n % 3 == 0, FuzzMaxPixels, decoders))
                Assert.True(image.Width >= 1 && image.Height >= 1);
            // Mirage's own 1/8 decoder must say "not mine" (false), never throw; guarded by the same header check.
            if (JpegEighthDecoder.TryReadSize(bytes, out int w, out int h) && (long)w * h <= FuzzMaxPixels && JpegEighthDecoder.TryDecode(bytes, mode, out var eighth))
                eighth!.Dispose();
            return;
        }
        using (var image = ImageDecoder.Decode(bytes, mode, name, applyOrientation: n % 3 == 0, FuzzMaxPixels))
            Assert.Equal(ImageLoadChannels(mode), image.Channels);
    }

    private static int ImageLoadChannels(ColorMode mode) => Mirage.Data.ImageLoadOptions.ChannelsOf(mode);

    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF];

    internal static byte[] Mutate(byte[] seed, byte[][] all, Random rng, bool exifRegion)
    {
        var b = seed.ToArray();
        int rounds = 1 + rng.Next(4);
        for (int r = 0; r < rounds && b.Length > 2; r++)
        {
            // Headers and EXIF live near the start: aim there half of the time.
            int limit = exifRegion || rng.Next(2) == 0 ? Math.Min(b.Length, 200) : b.Length;
            int at = rng.Next(limit);
            switch (rng.Next(8))
            {
                case 0: b[at] ^= (byte)(1 << rng.Next(8)); break;
                case 1: b[at] = Interesting[rng.Next(Interesting.Length)]; break;
                case 2: // a 16- or 32-bit field set to an extreme (sizes, lengths, offsets, counts)
                    int width = rng.Next(2) == 0 ? 2 : 4;
                    for (int k = 0; k < width && at + k < b.Length; k++) b[at + k] = rng.Next(3) == 0 ? (byte)0 : (byte)0xFF;
                    break;
                case 3: b = b[..Math.Max(1, at)]; break; // cut
                case 4: // duplicate a run (repeated chunks, segments, frames)
                    int len = Math.Min(rng.Next(1, 64), b.Length - at);
                    b = [.. b[..(at + len)], .. b[at..(at + len)], .. b[(at + len)..]];
                    break;
                case 5: // delete a run
                    int del = Math.Min(rng.Next(1, 32), b.Length - at);
                    b = [.. b[..at], .. b[(at + del)..]];
                    break;
                case 6: // splice the tail of another seed
                    var other = all[rng.Next(all.Length)];
                    int from = rng.Next(other.Length);
                    b = [.. b[..at], .. other[from..]];
                    break;
                default: // random bytes
                    for (int k = 0; k < 8 && at + k < b.Length; k++) b[at + k] = (byte)rng.Next(256);
                    break;
            }
        }
        return b.Length == 0 ? [0] : b;
    }
}
