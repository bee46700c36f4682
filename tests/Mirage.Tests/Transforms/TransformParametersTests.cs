using Mirage.Transforms;

namespace Mirage.Tests.Transforms;

/// <summary>
/// Keras's parameter dictionary: JSON in the forms Python prints (flips as bools, ints or floats; numbers as strings;
/// comments, trailing commas), the errors for anything else, and the range checks at their exact boundaries.
/// </summary>
public class TransformParametersTests
{
    [Fact]
    public void Identity_changes_nothing()
    {
        var p = TransformParameters.Identity;
        Assert.Equal((0.0, 0.0, 0.0, 0.0, 1.0, 1.0), (p.Theta, p.Tx, p.Ty, p.Shear, p.Zx, p.Zy));
        Assert.False(p.FlipHorizontal);
        Assert.False(p.FlipVertical);
        Assert.Null(p.ChannelShiftIntensity);
        Assert.Null(p.Brightness);
        Assert.Equal(p, new TransformParameters());
    }

    [Fact]
    public void Json_round_trips_with_kerass_names()
    {
        var p = new TransformParameters
        {
            Theta = 12.5, Tx = -3, Ty = 4.25, Shear = 7, Zx = 0.9, Zy = 1.1, FlipHorizontal = true, FlipVertical = false,
            ChannelShiftIntensity = -20, Brightness = 1.3,
        };
        var json = p.ToJson();
        Assert.Equal("{\"theta\":12.5,\"tx\":-3,\"ty\":4.25,\"shear\":7,\"zx\":0.9,\"zy\":1.1,\"flip_horizontal\":true,\"flip_vertical\":false,\"channel_shift_intensity\":-20,\"brightness\":1.3}", json);
        Assert.Equal(p, TransformParameters.FromJson(json));
    }

    [Fact]
    public void Python_forms_load()
    {
        var p = TransformParameters.FromJson("""
            // printed by Python
            {"theta": "10", "zx": 0.5, "flip_horizontal": 1, "flip_vertical": 0.0, "brightness": null,
             "channel_shift_intensity": 3,}
            """);
        Assert.Equal(10, p.Theta);
        Assert.Equal(0.5, p.Zx);
        Assert.Equal(1, p.Zy);
        Assert.True(p.FlipHorizontal);
        Assert.False(p.FlipVertical);
        Assert.Null(p.Brightness);
        Assert.Equal(3, p.ChannelShiftIntensity);
        Assert.True(TransformParameters.FromJson("{\"flip_vertical\": 1.0, \"flip_horizontal\": false}").FlipVertical);
        Assert.False(TransformParameters.FromJson("{\"flip_vertical\": 1.0, \"flip_horizontal\": false}").FlipHorizontal);
        Assert.True(TransformParameters.FromJson("{\"flip_vertical\": true}").FlipVertical);
        Assert.Equal(TransformParameters.Identity, TransformParameters.FromJson("{}"));
    }

    [Theory]
    [InlineData("[1, 2]", "p.json: expected a JSON object such as {\"theta\": 10, \"zx\": 0.9}, found Array.")]
    [InlineData("{\"theta\": 1, \"rotation\": 2}", "p.json: unknown parameter 'rotation'. Known: theta, tx, ty, shear, zx, zy, flip_horizontal, flip_vertical, channel_shift_intensity, brightness.")]
    public void Wrong_shapes_are_named(string json, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => TransformParameters.FromJson(json, "p.json")).Message);

    [Theory]
    [InlineData("{\"theta\": ")]
    [InlineData("{\"flip_horizontal\": \"yes\"}")]
    [InlineData("{\"theta\": true}")]
    public void Bad_json_is_a_format_error_naming_the_source(string json)
    {
        var e = Assert.Throws<FormatException>(() => TransformParameters.FromJson(json, "p.json"));
        Assert.StartsWith("p.json: not valid transform parameters JSON (", e.Message);
    }

    [Fact]
    public void A_flip_that_is_a_string_names_the_token() =>
        Assert.Contains("expected true/false or a number, found String",
            Assert.Throws<FormatException>(() => TransformParameters.FromJson("{\"flip_horizontal\": \"yes\"}")).Message);

    [Fact]
    public void Flips_write_as_booleans() =>
        Assert.Contains("\"flip_horizontal\":true", new TransformParameters { FlipHorizontal = true }.ToJson());

    public static TheoryData<string, double, bool> Boundaries => new()
    {
        { "theta", 1e6, true }, { "theta", -1e6, true }, { "theta", 1000000.0000001, false }, { "theta", -1000000.0000001, false },
        { "shear", 1e6, true }, { "shear", -1e6, true }, { "shear", 1000000.0000001, false }, { "shear", -1000000.0000001, false },
        { "tx", 1e7, true }, { "tx", -1e7, true }, { "tx", 10000000.000001, false }, { "tx", -10000000.000001, false },
        { "ty", 1e7, true }, { "ty", -1e7, true }, { "ty", 10000000.000001, false }, { "ty", -10000000.000001, false },
        { "zx", 1e-6, true }, { "zx", -1e-6, true }, { "zx", 0.99e-6, false }, { "zx", -0.99e-6, false }, { "zx", 0, false },
        { "zx", 1e6, true }, { "zx", -1e6, true }, { "zx", 1000000.0000001, false }, { "zx", -1000000.0000001, false },
        { "zy", 1e-6, true }, { "zy", -1e-6, true }, { "zy", 0.99e-6, false }, { "zy", -0.99e-6, false }, { "zy", 0, false },
        { "zy", 1e6, true }, { "zy", -1e6, true }, { "zy", 1000000.0000001, false }, { "zy", -1000000.0000001, false },
        { "channel_shift_intensity", -1e300, true }, { "brightness", 0, true }, { "brightness", -1e-300, false },
    };

    private static TransformParameters With(string name, double v) => name switch
    {
        "theta" => new() { Theta = v }, "shear" => new() { Shear = v }, "tx" => new() { Tx = v }, "ty" => new() { Ty = v },
        "zx" => new() { Zx = v }, "zy" => new() { Zy = v }, "channel_shift_intensity" => new() { ChannelShiftIntensity = v },
        _ => new() { Brightness = v },
    };

    [Theory]
    [MemberData(nameof(Boundaries))]
    public void Ranges_hold_at_their_boundaries(string name, double value, bool ok)
    {
        var p = With(name, value);
        if (ok) Assert.Equal(p, p.Validated());
        else
        {
            var e = Assert.Throws<FormatException>(() => p.Validated("src"));
            Assert.StartsWith($"src: {name} must be ", e.Message);
            Assert.EndsWith($"; got {value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}.", e.Message);
        }
    }

    [Theory]
    [InlineData("theta")]
    [InlineData("shear")]
    [InlineData("tx")]
    [InlineData("ty")]
    [InlineData("zx")]
    [InlineData("zy")]
    [InlineData("channel_shift_intensity")]
    [InlineData("brightness")]
    public void Non_finite_values_fail(string name)
    {
        foreach (var v in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            Assert.StartsWith($"parameters: {name} must be ", Assert.Throws<FormatException>(() => With(name, v).Validated()).Message);
    }

    [Fact]
    public void Messages_say_the_rule()
    {
        Assert.Equal("parameters: zx must be a zoom factor between 1e-6 and 1e6 in magnitude (1 = none); got 0.",
            Assert.Throws<FormatException>(() => new TransformParameters { Zx = 0 }.Validated()).Message);
        Assert.Equal("f: brightness must be a factor ≥ 0 or null (1 = none); got -1.",
            Assert.Throws<FormatException>(() => TransformParameters.FromJson("{\"brightness\": -1}", "f")).Message);
    }
}
