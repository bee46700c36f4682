using System.Globalization;
using Mirage.Transforms.Geometric;
using Mirage.Transforms;
using Mirage.Transforms.Photometric;

namespace Mirage.Tests.Transforms.Options;

/// <summary>
/// Option listings and messages quote numbers beside JSON values, so they use a decimal point in every locale
/// (a German user running `mirage transforms` saw "0,08" next to configs that must say 0.08).
/// </summary>
public class OptionCultureTests
{
    private static T InCulture<T>(string name, Func<T> f)
    {
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
        try { return f(); }
        finally { CultureInfo.CurrentCulture = saved; }
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    public void Listing_defaults_and_ranges_use_a_decimal_point(string culture)
    {
        var crop = InCulture(culture, () => OptionMetadata.Describe(typeof(RandomResizedCropOptions)));
        Assert.Equal("[0.08, 1]", crop.Single(o => o.Name == "scale").Default);
        var jitter = InCulture(culture, () => OptionMetadata.Describe(typeof(ColorJitterOptions)));
        Assert.Equal("[0, 0.5]", jitter.Single(o => o.Name == "hue").Range);
        Assert.Equal("[0.5, 2.25]", InCulture(culture, () => new Interval(0.5, 2.25).ToString()));
    }

    [Fact]
    public void Out_of_range_messages_quote_the_value_as_written_in_json()
    {
        var e = InCulture("de-DE", () => Assert.Throws<ArgumentException>(() => new ColorJitterOptions { Hue = 0.75 }));
        Assert.Contains("must be in [0, 0.5], got 0.75", e.Message);
    }
}
