using Mirage.Imaging;
using Mirage.Transforms.Photometric;

namespace Mirage.Tests.Transforms.Photometric;

/// <summary>
/// color_jitter on float images against torchvision 0.14's functional ops on float tensors (input / 255, output × 255;
/// values printed by /usr/bin/python3 with torchvision.transforms.functional, see each case). On floats torchvision
/// neither truncates the grayscale (rgb_to_grayscale keeps float32) nor the output, so a fractional input shows any
/// truncation; the tolerance, 1e-3, covers the /255 round trip.
/// </summary>
public class ColorOpsFloatTests
{
    // 2 × 3 RGB, fractional values; torch: t = from_numpy(img).permute(2, 0, 1) / 255.0
    private static readonly float[] Input =
        [10.5f, 200.25f, 30, 255, 0, 128.75f, 77, 77, 77, 0.5f, 0.25f, 254.5f, 100, 150, 200, 250, 5, 60];

    public static TheoryData<int, double, float[]> Cases => new()
    {
        // F.adjust_brightness(t, 1.3) * 255
        { 0, 1.3, [13.65f, 255, 39, 255, 0, 167.374985f, 100.1f, 100.1f, 100.1f, 0.65f, 0.325f, 255, 130, 195, 255, 255, 6.5f, 78] },
        // F.adjust_contrast(t, 0.6) * 255
        { 1, 0.6, [42.736252f, 156.586258f, 54.436253f, 189.436249f, 36.436253f, 113.686249f, 82.636253f, 82.636253f, 82.636253f,
                   36.736256f, 36.586254f, 189.136246f, 96.436256f, 126.436264f, 156.436264f, 186.436264f, 39.436253f, 72.436256f] },
        // F.adjust_saturation(t, 0.4) * 255
        { 2, 0.4, [78.663124f, 154.563126f, 86.46312f, 156.538208f, 54.538204f, 106.038208f, 76.995384f, 76.995384f, 76.995384f,
                   17.785521f, 17.68552f, 119.385521f, 124.444008f, 144.444016f, 164.444016f, 150.700012f, 52.700005f, 74.700005f] },
        // F.adjust_saturation(t, 1.7) * 255 (clamped at both ends)
        { 2, 1.7, [0, 253.551361f, 0, 255, 0, 155.247101f, 77.005402f, 77.005402f, 77.005402f,
                   0, 0, 255, 71.482002f, 156.482025f, 241.481995f, 255, 0, 42.850002f] },
        // F.adjust_hue(t, 0.2) * 255
        { 3, 0.2, [10.50001f, 142.800018f, 200.25f, 255, 177.250092f, 0, 77, 77, 77,
                   254.5f, 0.249991f, 203.40004f, 169.999924f, 100, 200, 250, 243.999969f, 4.999995f] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FloatAdjustmentsMatchTorchvisionOnFloatTensors(int op, double factor, float[] expected)
    {
        var jitter = new ColorJitter(new ColorJitterOptions { Brightness = 0.5, Contrast = 0.5, Saturation = 0.9, Hue = 0.5 });
        var p = op switch
        {
            0 => new ColorJitterParams(0, 1, 2, 3, factor, 1, 1, 0),
            1 => new ColorJitterParams(1, 0, 2, 3, 1, factor, 1, 0),
            2 => new ColorJitterParams(2, 0, 1, 3, 1, 1, factor, 0),
            _ => new ColorJitterParams(3, 0, 1, 2, 1, 1, 1, factor),
        };
        // only op k changes anything: the other three run with identity factors (hue 0 on floats is exact to 1e-3 too)
        using var src = Image<float>.Wrap((float[])Input.Clone(), 2, 3, 3);
        using var dst = new Image<float>(src.Info);
        jitter.Apply(p, src, dst);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - dst.Span[i]) <= 1e-3, $"op {op} factor {factor}: value {i} is {dst.Span[i]}, torchvision {expected[i]}");
    }

    [Fact]
    public void Hue_leaves_black_white_and_grays_of_a_float_image_alone()
    {
        // torchvision's _rgb2hsv: a gray pixel has saturation 0 (cr / 1 when max == min, never 0 / 0), so any hue shift keeps it
        float[] grays = [0, 0, 0, 255, 255, 255, 77, 77, 77];
        using var src = Image<float>.Wrap((float[])grays.Clone(), 1, 3, 3);
        using var dst = new Image<float>(src.Info);
        new ColorJitter(new ColorJitterOptions { Hue = 0.5 }).Apply(new ColorJitterParams(3, 0, 1, 2, 1, 1, 1, 0.3), src, dst);
        for (int i = 0; i < grays.Length; i++) Assert.True(Math.Abs(grays[i] - dst.Span[i]) <= 1e-3, $"value {i} is {dst.Span[i]}");
    }
}
