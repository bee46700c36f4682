using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Mirage.Data;
using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;
using Mirage.Transforms;
using Mirage.Tests.Data;

namespace Mirage.Tests.Conformance;

/// <summary>
/// Pins the default (non-KerasCompatible) path's output bytes as they were before the transforms refactor (issue 10):
/// SHA-256 of the random parameters drawn, of RandomTransform/ApplyTransform on float arrays, of Flow over arrays and of
/// FlowFromDirectory over a committed tree of JPEGs and PNGs (tools/pin_tree.py), fused and unfused, 1 and 2 workers.
/// A refactor that changes any byte fails here. If a change of output is intended, say so in the commit and update the
/// hash (the failure message prints the new one).
/// </summary>
public class PinnedOutputTests
{
    private static readonly string TreePath = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pins", "tree");

    private static readonly ImageDataGeneratorOptions Reference = new()
    {
        RotationRange = 40,
        WidthShiftRange = ShiftRange.Uniform(0.2),
        HeightShiftRange = ShiftRange.Uniform(0.2),
        ShearRange = 0.2,
        ZoomRange = (0.8, 1.2),
        HorizontalFlip = true,
        FillMode = FillMode.Nearest,
    };

    /// <summary>The pinned configurations, by name.</summary>
    public static ImageDataGenerator Generator(string name)
    {
        var o = name switch
        {
            "reference" => Reference,
            "constant" => Reference with { FillMode = FillMode.Constant, Cval = 0.3 },
            "constant-byte" => Reference with { FillMode = FillMode.Constant, Cval = 120 },
            "reflect" => Reference with { FillMode = FillMode.Reflect },
            "wrap" => Reference with { FillMode = FillMode.Wrap },
            "order0" => Reference with { InterpolationOrder = Interpolation.Nearest, VerticalFlip = true },
            "brightness" => Reference with { BrightnessRange = (0.5, 1.5) },
            "channel-shift" => Reference with { ChannelShiftRange = 30 },
            "featurewise" => Reference with { Rescale = 1.0 / 255, FeaturewiseCenter = true, FeaturewiseStdNormalization = true },
            "nchw" => Reference with { DataFormat = DataFormat.ChannelsFirst, VerticalFlip = true, Rescale = 2.0 },
            "integer-shift" => Reference with { WidthShiftRange = ShiftRange.Integer(3), HeightShiftRange = ShiftRange.Choices([1, 2, 4]) },
            _ => throw new ArgumentException($"unknown pinned config '{name}'"),
        };
        var g = new ImageDataGenerator(o);
        if (o.FeaturewiseCenter)
        {
            g.Mean = [0.45f, 0.40f, 0.35f];
            g.Std = [0.25f, 0.2f, 0.3f];
        }
        return g;
    }

    /// <summary>Hashes recorded on main at f48651c, before any of issue 10's changes.</summary>
    private static readonly Dictionary<string, string> Expected = new()
    {
        ["dir-byte/constant-byte/fused"] = "191b66db180c4d0441e0b2bf9230ba2de33ad88ced63a3e49c7447a615294193",
        ["dir-byte/constant-byte/unfused"] = "35ad86a2b904e30cc133eb2519bc4e78b4c1905ffbdfa663912d176e74f9b842",
        ["dir-byte/featurewise/fused"] = "26ed9a037def79148ac28aa0795e855442a6375c4deeda1b5130ddaff94af86f",
        ["dir-byte/featurewise/unfused"] = "2845f8f91572cdc87998d6d3426144060340fad377acb4ad2128095ee78d5bea",
        ["dir-byte/nchw/fused"] = "14206c56f7d3744b8c7d10c2e676da3a204ebf4c43f28c47799437b8244fdbd3",
        ["dir-byte/nchw/unfused"] = "a4ac80ad6a8d6bed5d49b7af7c0828fde80e8916163ed2c2972495c453977ee4",
        ["dir-byte/order0/fused"] = "fc7d61e656b9d6ac14bd17a3cbec557fa15e8d98120b97d600fddb7064292030",
        ["dir-byte/order0/unfused"] = "fc7d61e656b9d6ac14bd17a3cbec557fa15e8d98120b97d600fddb7064292030",
        ["dir-byte/reference/fused"] = "31213d5d22fb1c3cb316211b8a4d8962568c7a69733c5d210d3e2b8affbb42e3",
        ["dir-byte/reference/unfused"] = "21656ddf70ba9c21c52ea86c9dbcad1580859a44d49b28421410d1de44f64a67",
        ["dir-byte/reflect/fused"] = "580a6c21b3b72bf0ca3f02858a345fb45515af1b3e98292e3231a980bb8c1cc5",
        ["dir-byte/reflect/unfused"] = "23a279a54fad8dfaab12b8109b992257215873ae0b99f5c7ccb41c04ffbc3835",
        ["dir-byte/wrap/fused"] = "154214b68ede830e20229ddfe30b1fb839ce6522cc6291313b861dd618a1503c",
        ["dir-byte/wrap/unfused"] = "781849ff00eb56561d4ec35cf011b77be5f4eb5829448422c7d391d14b3926a4",
        ["dir-float/constant-byte/fused"] = "c99fa15cbffb805d78e4a21a1ef44054a341656dd5038356c80d167429f050bd",
        ["dir-float/constant-byte/unfused"] = "902190f45cebf7fea17690bd801019301b26f78f7c09550d3c6aad33b28df7b1",
        ["dir-float/featurewise/fused"] = "6fdee45a3fbddda6991bb6f3122c6c7599b1ef75556d7e252d4648e9e824eacd",
        ["dir-float/featurewise/unfused"] = "f2a8e0f18fc21d0768e7b36dc147a66634667fd92a3406edb6b05dbaff031e0a",
        ["dir-float/nchw/fused"] = "9019668d80feac479e054b84b70b2e9e6d91d65791987b4a76ad4422d2a5ec44",
        ["dir-float/nchw/unfused"] = "b49dedaf118227df2263a7c83da5c0d0f6fe64f6b383de9da9ff06e4c95e778e",
        ["dir-float/order0/fused"] = "b8a42343cc5c7db4a2f45fdd91eca000e016b3ec84ffec1f1d631090295f1941",
        ["dir-float/order0/unfused"] = "b8a42343cc5c7db4a2f45fdd91eca000e016b3ec84ffec1f1d631090295f1941",
        ["dir-float/reference/fused"] = "0e18847cb23c074d8be7be526d254e96a4ceeafe92485cc5c2687a987bcb6772",
        ["dir-float/reference/unfused"] = "01130547cdfb146e1db68df2db45b04a44d7eb39b1e5976b2fec1bffc2d1ecc3",
        ["dir-float/reflect/fused"] = "48c6320d0a4eabf5f45e2435b6db6aeac4d1eac816d755c0ab1ccfb2009d27e3",
        ["dir-float/reflect/unfused"] = "f4fc2330bff7ce56889a1ad9e00885d99a1cf381a76a026276f025dbe19185f8",
        ["dir-float/wrap/fused"] = "7da3db822ccd69a89ce8aa581094015d0f10a1f8609db7ba339de9bab5892360",
        ["dir-float/wrap/unfused"] = "3b25b9b27793caae304913ba74ae4d0803abf682b141c3216dfa4ce417f7523e",
        ["flow/brightness"] = "bedd83ce1a5d3dfcd70c913e16635668e53e7b5255e814162182f687fdc9b7d8",
        ["flow/channel-shift"] = "4083e665116b347724f35695a844e76b702d4848c0272a7f4a1be69120afb3a0",
        ["flow/constant"] = "40621abcd7e24b35b1e66ae6c463bed3ee271d5ac334ec48723266bfe2dad00f",
        ["flow/featurewise"] = "079c1a3777e95780e7b0f98e4903182ce1b01a97fd801700a8dd51eb05dab9b7",
        ["flow/integer-shift"] = "8435c0094a3121e69ac6d4efc0d9ddc8330244cae90f86f34a8df6acdc5aad23",
        ["flow/nchw"] = "870be66ba874ca2df332197dbe6e64ff15cb1692415860a76eb1b8a1cd6ac928",
        ["flow/order0"] = "4fbac2008070382c4aeedad312b81c260c756401dd9b859b55d31f00c5593ef3",
        ["flow/reference"] = "ac3804a7b3b56ec39056491c0155e6d238a95a93f76cbb0e93a4f74cb7f886dc",
        ["flow/reflect"] = "83775a957d82c2581a7d5f4d717875ccca9ba467dc8d67a683e8aad1aae6812a",
        ["flow/wrap"] = "66ff79cf118b40696192dc8c6b298cbccd969e4f0878d1baed6f129e83aa23e2",
        ["params/brightness"] = "8aef8ea9221b213727afa080f0d41d6fc91f0661e8c5bcd4d719f3ca52fa3769",
        ["params/channel-shift"] = "4c125a0d065bf9fed3d59dd261860df72467cfd8501dd72f0bdbf6545751236f",
        ["params/constant"] = "3aa40d098a3a9b8fe3c575b12ef58b642b6cd3cf3896dc74c84bea2e05a82b01",
        ["params/featurewise"] = "3aa40d098a3a9b8fe3c575b12ef58b642b6cd3cf3896dc74c84bea2e05a82b01",
        ["params/integer-shift"] = "06027967fa023e5afaf413c478e3feace6ef3bef7ae7292887cd956786ffb9be",
        ["params/nchw"] = "4e8cd42d74e9db42ec8240be475f45ec0dc3e6d28919fb91a4818de766d474bd",
        ["params/order0"] = "4e8cd42d74e9db42ec8240be475f45ec0dc3e6d28919fb91a4818de766d474bd",
        ["params/reference"] = "3aa40d098a3a9b8fe3c575b12ef58b642b6cd3cf3896dc74c84bea2e05a82b01",
        ["params/reflect"] = "3aa40d098a3a9b8fe3c575b12ef58b642b6cd3cf3896dc74c84bea2e05a82b01",
        ["params/wrap"] = "3aa40d098a3a9b8fe3c575b12ef58b642b6cd3cf3896dc74c84bea2e05a82b01",
        ["transform/brightness"] = "f50a9f19f2a133eb85f94f76cbf51a8cbfeec4b7eccec2b8149559697fa8a99a",
        ["transform/channel-shift"] = "3136598f781249f7f1e57463ba22018364ca3b3bc8eb0647420c6438f503109e",
        ["transform/constant"] = "4a0fe5f4b8a461751130ae99497d91d367e88a0dcd1675463e0614b8187ffa1e",
        ["transform/featurewise"] = "e48fceed0d57d213b2284f3227f82df3a05799f848fc25c0cadc795c1b354b16",
        ["transform/integer-shift"] = "ccf012e3d556edbe9b82286b3ef7c049f583389789e78576b9c10b46a13edc02",
        ["transform/nchw"] = "57aef3bb0c1e8163fdc62016252313c330366c04974ea0448818c69b6432b237",
        ["transform/order0"] = "03784794515922aa687e62e813471571c4c843493a5411d9a96a1b111cfc22aa",
        ["transform/reference"] = "b7014ddbf681d1fc1b2de0f4d5152782b7bdfc13422b94afb1b198b4e872f50a",
        ["transform/reflect"] = "5fa02d752f20a90d91d395e30cdf3425edf7df0a56bc5b426e9e13090c2eb141",
        ["transform/wrap"] = "a79ce8e1ccab19b01c2c020a5730758e95ebc6de739f290f60755f54a3c02543",
    };

    private readonly List<string> _mismatches = [];

    /// <summary>Records a mismatch (all of a test's pins are checked before it fails, so one run prints every new hash).</summary>
    private void Pin(string key, byte[] digest)
    {
        string actual = Convert.ToHexString(digest).ToLowerInvariant();
        if (!Expected.TryGetValue(key, out var expected) || expected != actual)
            _mismatches.Add($"PIN {key} = {actual} (expected {expected ?? "none"})");
    }

    private void Verify() => Assert.True(_mismatches.Count == 0, string.Join("\n", _mismatches.Distinct()));

    private static float[] Pattern(ImageInfo info, int salt)
    {
        var data = new float[info.Length];
        var r = new RandomStream((ulong)salt);
        for (int i = 0; i < data.Length; i++) data[i] = (float)(r.NextInt(256) * 0.75 + (i % 7) * 3.1);
        return data;
    }

    public static TheoryData<string> ArrayConfigs => new()
    {
        "reference", "constant", "reflect", "wrap", "order0", "brightness", "channel-shift", "featurewise", "nchw", "integer-shift",
    };

    public static TheoryData<string> DirectoryConfigs => new()
    {
        "reference", "constant-byte", "reflect", "wrap", "order0", "featurewise", "nchw",
    };

    [Theory]
    [MemberData(nameof(ArrayConfigs))]
    public void RandomParametersArePinned(string config)
    {
        var g = Generator(config);
        var sb = new StringBuilder();
        foreach (var shape in new[] { ImageInfo.Create(24, 20, 3), ImageInfo.Create(7, 33, 1) })
            for (ulong seed = 0; seed < 40; seed++)
            {
                sb.AppendLine(g.GetRandomTransform(shape, seed).ToJson());
                var s = RandomStream.For(seed, 2, (long)seed * 3);
                sb.AppendLine(g.GetRandomTransform(shape, ref s).ToJson());
            }
        Pin($"params/{config}", SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
        Verify();
    }

    [Theory]
    [MemberData(nameof(ArrayConfigs))]
    public void RandomTransformOnFloatArraysIsPinned(string config)
    {
        var g = Generator(config);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var info in new[] { ImageInfo.Create(24, 20, 3), ImageInfo.Create(17, 23, 3), ImageInfo.Create(9, 9, 4) })
        {
            using var x = Image<float>.Wrap(Pattern(info, info.Height), info.Height, info.Width, info.Channels);
            for (ulong seed = 0; seed < 6; seed++)
            {
                using var y = g.RandomTransform(x, seed);
                hash.AppendData(MemoryMarshal.AsBytes(y.Span));
                var s = RandomStream.For(seed, 0, 1);
                using var z = g.RandomTransform(x, ref s, out var p);
                hash.AppendData(MemoryMarshal.AsBytes(z.Span));
                using var w = g.ApplyTransform(x, p);
                Assert.True(w.Span.SequenceEqual(z.Span));
                if (g.Mean is null || g.Mean.Length == info.Channels) g.Standardize(w);
                hash.AppendData(MemoryMarshal.AsBytes(w.Span));
            }
        }
        Pin($"transform/{config}", hash.GetHashAndReset());
        Verify();
    }

    [Theory]
    [MemberData(nameof(ArrayConfigs))]
    public void FlowOverArraysIsPinned(string config)
    {
        var g = Generator(config);
        const int n = 10, h = 18, w = 15, c = 3;
        var data = Pattern(ImageInfo.Create(n * h, w, c), 9);
        var x = new ImageArray(data, n, h, w, c, g.Options.DataFormat);
        var y = Enumerable.Range(0, n).Select(i => (float)(i % 3)).ToArray();
        foreach (int workers in new[] { 0, 2 })
        {
            using var it = g.Flow(x, y, new FlowOptions { BatchSize = 4, Seed = 11, Epochs = 2, Workers = workers });
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var b in it)
                using (b)
                {
                    hash.AppendData(MemoryMarshal.AsBytes(b.SampleIndices));
                    hash.AppendData(MemoryMarshal.AsBytes(b.X));
                    hash.AppendData(MemoryMarshal.AsBytes(b.Y));
                }
            Pin($"flow/{config}", hash.GetHashAndReset()); // the same key: workers must not change a byte
        }
        Verify();
    }

    [Theory]
    [MemberData(nameof(DirectoryConfigs))]
    public void FlowFromDirectoryIsPinned(string config)
    {
        var g = Generator(config);
        foreach (bool fused in new[] { true, false })
            foreach (int workers in new[] { 1, 2 })
            {
                Pin($"dir-float/{config}/{(fused ? "fused" : "unfused")}", DirectoryBytes<float>(g, fused, workers));
                Pin($"dir-byte/{config}/{(fused ? "fused" : "unfused")}", DirectoryBytes<byte>(g, fused, workers));
            }
        Verify();
    }

    private static byte[] DirectoryBytes<T>(ImageDataGenerator g, bool fused, int workers) where T : unmanaged
    {
        using var it = g.FlowFromDirectory<T>(TreePath, new DirectoryFlowOptions
        {
            TargetSize = (26, 22),
            Interpolation = ResizeInterpolation.Bilinear,
            BatchSize = 5,
            Seed = 17,
            Epochs = 2,
            Workers = workers,
            Configuration = fused ? null : new MirageConfiguration { FusedPath = false },
        });
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var b in it)
            using (b)
            {
                hash.AppendData(MemoryMarshal.AsBytes(b.SampleIndices));
                hash.AppendData(MemoryMarshal.AsBytes(b.X));
                hash.AppendData(MemoryMarshal.AsBytes(b.Y));
            }
        bool fusable = FusedSample.For(g, ImageInfo.Create(26, 22, 3)) is not null;
        Assert.Equal(fused && fusable, it.FusedSamples > 0); // the path the key names is the path that ran
        return hash.GetHashAndReset();
    }
}
