using System.Text.Json;
using Mirage.Transforms;
using Mirage.Transforms.Composition;
using Mirage.Transforms.Geometric;
using Mirage.Transforms.Photometric;

namespace Mirage.Tests.Transforms.Options;

/// <summary>
/// The option checks behind every setter (inclusive bounds, finiteness, low ≤ high, each element of lists and sizes),
/// the listing of <c>mirage transforms</c> (type names, defaults, ranges) and the JSON forms of intervals and sizes.
/// </summary>
public class OptionMetadataTests
{
    private static ArgumentException Fails(Func<object> build) => Assert.Throws<ArgumentException>(build);

    [Fact]
    public void Bounds_are_inclusive_and_checked_on_both_sides()
    {
        Assert.Equal(0, new RotateOptions { Degrees = 0 }.Degrees);
        Assert.Equal(1, new HorizontalFlipOptions { P = 1 }.P);
        Assert.Equal(0, new HorizontalFlipOptions { P = 0 }.P);
        var low = Fails(() => new HorizontalFlipOptions { P = -1e-9 });
        Assert.Equal("horizontal_flip: option 'p' must be in [0, 1], got -1E-09.", low.Message.Split(" (Parameter")[0]);
        Assert.Equal("p", low.ParamName);
        var high = Fails(() => new HorizontalFlipOptions { P = 1.0000001 });
        Assert.Contains("must be in [0, 1], got 1.0000001", high.Message);
        Assert.Contains("must be in >= 0, got -1", Fails(() => new RotateOptions { Degrees = -1 }).Message);
        Assert.Equal(1e6, new RotateOptions { Degrees = 1e6 }.Degrees); // no Max: anything ≥ 0
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_values_fail_even_without_bounds(double v)
    {
        Assert.Contains("must be a finite number", Fails(() => new RescaleOptions { Factor = v }).Message);
        Assert.Contains("must be a finite number", Fails(() => new ZoomOptions { Range = new Interval(0.5, v) }).Message);
        Assert.Contains("must be a finite number", Fails(() => new NormalizeOptions { Mean = [1, v] }).Message);
    }

    [Fact]
    public void Unbounded_options_take_any_finite_value() =>
        Assert.Equal(-1e300, new RescaleOptions { Factor = -1e300 }.Factor);

    [Fact]
    public void Ints_are_checked()
    {
        Assert.Equal(0, new SomeOfOptions { N = 0 }.N);
        Assert.Contains("some_of: option 'n' must be in >= 0, got -1", Fails(() => new SomeOfOptions { N = -1 }).Message);
    }

    [Fact]
    public void Intervals_check_both_ends_and_their_order()
    {
        Assert.Equal(new Interval(0.5, 0.5), new ZoomOptions { Range = new Interval(0.5, 0.5) }.Range);
        var e = Fails(() => new ZoomOptions { Range = new Interval(2, 1) });
        Assert.Contains("zoom: option 'range' must be [low, high] with low <= high, got [2, 1]", e.Message);
        Assert.Contains("got 0", Fails(() => new RandomResizedCropOptions { Scale = new Interval(0, 0.5) }).Message);
        Assert.Contains("got 1.5", Fails(() => new RandomResizedCropOptions { Scale = new Interval(0.5, 1.5) }).Message);
        Assert.Contains("option 'scale'", Fails(() => new RandomResizedCropOptions { Scale = new Interval(0.5, 1.5) }).Message);
    }

    [Fact]
    public void Sizes_check_height_and_width()
    {
        Assert.Equal(new Size(1, 65535), new RandomResizedCropOptions { Size = new Size(1, 65535) }.Size);
        Assert.Contains("got 0", Fails(() => new RandomResizedCropOptions { Size = new Size(0, 5) }).Message);
        Assert.Contains("got 65536", Fails(() => new RandomResizedCropOptions { Size = new Size(5, 65536) }).Message);
    }

    [Fact]
    public void Lists_check_every_element()
    {
        Assert.Equal([0.0, 2], new NormalizeOptions { Std = [0, 2] }.Std);
        Assert.Contains("normalize: option 'std' must be in >= 0, got -1", Fails(() => new NormalizeOptions { Std = [2, -1] }).Message);
        Assert.Contains("option 'weights'", Fails(() => new OneOfOptions { Weights = [1, -0.5] }).Message);
    }

    [Theory]
    [InlineData(double.NaN, double.NaN, "any")]
    [InlineData(0.0, double.NaN, ">= 0")]
    [InlineData(double.NaN, 2.5, "<= 2.5")]
    [InlineData(0.25, 2.5, "[0.25, 2.5]")]
    public void Range_text(double min, double max, string expected) =>
        Assert.Equal(expected, new OptionAttribute("d") { Min = min, Max = max }.RangeText);

    [Fact]
    public void Option_attribute_defaults_are_unbounded()
    {
        var a = new OptionAttribute("what it does");
        Assert.Equal("what it does", a.Description);
        Assert.True(double.IsNaN(a.Min));
        Assert.True(double.IsNaN(a.Max));
        Assert.Equal("any", a.RangeText);
    }

    [Fact]
    public void Describe_lists_type_default_range_and_description_of_each_option()
    {
        var crop = OptionMetadata.Describe(typeof(RandomResizedCropOptions)).ToDictionary(o => o.Name);
        Assert.Equal(new OptionMetadata.Option("size", "[height, width]", "[224, 224]", "[1, 65535]",
            "output size [height, width] in pixels"), crop["size"]);
        Assert.Equal("[low, high]", crop["scale"].Type);
        Assert.Equal("[1E-06, 1]", crop["scale"].Range);
        Assert.Equal("bool", crop["antialias"].Type);
        Assert.Equal("true", crop["antialias"].Default);
        Assert.Equal("nearest|bilinear", crop["interpolation"].Type);
        Assert.Equal("bilinear", crop["interpolation"].Default);
        Assert.Equal("pixel_centre", crop["centre"].Default);
        Assert.Equal("number", crop["cval"].Type);
        Assert.Equal("0", crop["cval"].Default);
        Assert.Equal("any", crop["cval"].Range);
        Assert.DoesNotContain("name", crop.Keys);

        var someOf = OptionMetadata.Describe(typeof(SomeOfOptions)).ToDictionary(o => o.Name);
        Assert.Equal("integer", someOf["n"].Type);
        Assert.Equal("1", someOf["n"].Default);
        Assert.Equal("false", someOf["replace"].Default);
        Assert.Equal("[numbers]", someOf["weights"].Type);
        Assert.Equal("[]", someOf["weights"].Default);

        var norm = OptionMetadata.Describe(typeof(NormalizeOptions)).ToDictionary(o => o.Name);
        Assert.Equal("[0]", norm["mean"].Default);
        Assert.Equal("[numbers]", norm["std"].Type);
        Assert.Equal("0.00392156862745098", OptionMetadata.Describe(typeof(RescaleOptions)).Single().Default);
    }

    [Fact]
    public void Describe_keeps_declaration_order_and_Names_match()
    {
        var names = OptionMetadata.Describe(typeof(ColorJitterOptions)).Select(o => o.Name).ToList();
        Assert.Equal(["brightness", "contrast", "saturation", "hue"], names);
        Assert.Equal(names, OptionMetadata.Names(typeof(ColorJitterOptions)));
        Assert.Equal(["n", "replace", "weights"], OptionMetadata.Names(typeof(SomeOfOptions)).Where(n => n is "n" or "replace" or "weights"));
    }

    [Fact]
    public void Json_names_are_snake_case() =>
        Assert.Equal("clip_limit", OptionMetadata.JsonName("ClipLimit"));

    [Fact]
    public void Interval_and_size_text()
    {
        Assert.Equal("[0.5, 1E+20]", new Interval(0.5, 1e20).ToString());
        Assert.Equal("[3, 4]", new Size(3, 4).ToString());
    }

    [Fact]
    public void Interval_json_round_trips_and_rejects_other_shapes()
    {
        Assert.Equal("[0.25,-3]", JsonSerializer.Serialize(new Interval(0.25, -3)));
        Assert.Equal(new Interval(0.25, -3), JsonSerializer.Deserialize<Interval>("[0.25, -3]"));
        Assert.Contains("expected [low, high], found Number", Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Interval>("0.5")).Message);
        Assert.Contains("expected numbers in [low, high], found String", Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Interval>("[1, \"2\"]")).Message);
        Assert.Contains("(two numbers), got 3", Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Interval>("[1, 2, 3]")).Message);
        Assert.Contains("(two numbers), got 1", Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Interval>("[1]")).Message);
        Assert.Contains("(two numbers), got 0", Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Interval>("[]")).Message);
    }

    [Fact]
    public void Interval_inside_an_object_leaves_the_reader_after_its_array()
    {
        var crop = JsonSerializer.Deserialize<Holder>("{\"A\": [1, 2], \"B\": [3, 4]}")!;
        Assert.Equal(new Interval(1, 2), crop.A);
        Assert.Equal(new Size(3, 4), crop.B);
    }

    private sealed record Holder(Interval A, Size B);

    [Fact]
    public void Size_json_is_a_pair_or_one_number_for_a_square()
    {
        Assert.Equal("[3,4]", JsonSerializer.Serialize(new Size(3, 4)));
        Assert.Equal(new Size(3, 4), JsonSerializer.Deserialize<Size>("[3, 4]"));
        Assert.Equal(new Size(7, 7), JsonSerializer.Deserialize<Size>("7"));
        Assert.Contains("expected whole numbers [height, width], got [3.5, 4]", Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Size>("[3.5, 4]")).Message);
        Assert.Contains("got [3, 4.25]", Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Size>("[3, 4.25]")).Message);
        Assert.Contains("expected [height, width], found String", Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Size>("\"3x4\"")).Message);
    }
    private sealed record LabelOptions : TransformOptions
    {
        public override string Name => "label";
        public override ITransform Create() => throw new NotSupportedException();
        [Option("a free-text label")] public string Label { get; init; } = "cat";
    }

    [Fact]
    public void Other_option_types_are_listed_by_their_type_name()
    {
        var o = Assert.Single(OptionMetadata.Describe(typeof(LabelOptions)));
        Assert.Equal(new OptionMetadata.Option("label", "String", "cat", "any", "a free-text label"), o);
    }
}
