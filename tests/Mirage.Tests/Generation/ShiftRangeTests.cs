using Mirage.Generation;
using Mirage.Randomness;

namespace Mirage.Tests.Generation;

/// <summary>
/// The edges of Keras's three shift-range meanings (keras_preprocessing.image.ImageDataGenerator.get_random_transform):
/// a float v is a fraction of the size when v &lt; 1 and pixels from 1 on, exactly at 1; a list is fractions when
/// np.max(list) &lt; 1; an int N draws np.random.choice(N) · ±1. Plus value equality, hashing and Python's spelling.
/// </summary>
public class ShiftRangeTests
{
    private static double[] Draws(ShiftRange range, int size, int n = 2000)
    {
        var random = new RandomStream(11);
        var d = new double[n];
        for (int i = 0; i < n; i++) d[i] = ImageDataGenerator.SampleShift(range, size, ref random);
        return d;
    }

    [Fact]
    public void FloatOneIsPixelsJustBelowOneIsAFraction()
    {
        var one = Draws(ShiftRange.Uniform(1.0), 100);
        Assert.All(one, v => Assert.InRange(v, -1, 1));
        Assert.Contains(one, v => v < -0.5);
        Assert.Contains(one, v => v > 0.5);

        var below = Draws(ShiftRange.Uniform(0.999), 100);
        Assert.All(below, v => Assert.InRange(v, -99.9, 99.9));
        Assert.Contains(below, v => v < -50);
        Assert.Contains(below, v => v > 50);
    }

    [Fact]
    public void ListWhoseMaximumIsOneIsPixels()
    {
        Assert.Equal(new HashSet<double> { -1, -0.5, 0.5, 1 }, Draws(ShiftRange.Choices(0.5, 1.0), 100).ToHashSet());
        Assert.Equal(new HashSet<double> { -50, -25, 25, 50 }, Draws(ShiftRange.Choices(0.5, 0.25), 100).ToHashSet());
        // np.max, not the first or the last value: [1, 0.5] is pixels too.
        Assert.Equal(new HashSet<double> { -1, -0.5, 0.5, 1 }, Draws(ShiftRange.Choices(1.0, 0.5), 100).ToHashSet());
    }

    [Fact]
    public void IntegerRangeDrawsEveryWholeShiftBothWays()
    {
        Assert.All(Draws(ShiftRange.Integer(1), 100), v => Assert.Equal(0, v));
        Assert.Equal(new HashSet<double> { -2, -1, 0, 1, 2 }, Draws(ShiftRange.Integer(3), 100).ToHashSet());
        // An int is never a fraction, even on a tiny image.
        Assert.Equal(new HashSet<double> { -1, 0, 1 }, Draws(ShiftRange.Integer(2), 3).ToHashSet());
    }

    [Fact]
    public void ZeroIsAllowedAndInactiveNegativesAreRefused()
    {
        Assert.False(ShiftRange.Uniform(0).IsActive);
        Assert.False(ShiftRange.Integer(0).IsActive);
        Assert.False(ShiftRange.None.IsActive);
        Assert.True(ShiftRange.Uniform(0.1).IsActive);
        Assert.True(ShiftRange.Integer(1).IsActive);
        Assert.True(ShiftRange.Choices(0).IsActive); // a list is truthy in Python, even [0]
        Assert.Throws<ArgumentOutOfRangeException>(() => ShiftRange.Uniform(-1e-300));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShiftRange.Uniform(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShiftRange.Uniform(double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShiftRange.Integer(-1));
        Assert.Throws<ArgumentException>(() => ShiftRange.Choices());
        Assert.Throws<ArgumentException>(() => ShiftRange.Choices(0.1, double.NaN));
        Assert.Throws<ArgumentException>(() => ShiftRange.Choices(double.NegativeInfinity));
        Assert.Throws<ArgumentNullException>(() => ShiftRange.Choices(null!));
    }

    [Fact]
    public void KindValueAndValuesAreKept()
    {
        var u = ShiftRange.Uniform(0.25);
        Assert.Equal((ShiftRange.Kind.Uniform, 0.25), (u.Mode, u.Value));
        Assert.Empty(u.Values);
        var i = ShiftRange.Integer(7);
        Assert.Equal((ShiftRange.Kind.Integer, 7.0), (i.Mode, i.Value));
        Assert.Empty(i.Values);
        var values = new[] { 0.1, 0.3 };
        var c = ShiftRange.Choices(values);
        values[0] = 9; // copied
        Assert.Equal((ShiftRange.Kind.Choices, 0.0), (c.Mode, c.Value));
        Assert.Equal([0.1, 0.3], c.Values);
        ShiftRange implicitRange = 0.2;
        Assert.Equal(ShiftRange.Uniform(0.2), implicitRange);
    }

    [Fact]
    public void EqualityIsByValueAndHashFollowsIt()
    {
        Assert.Equal(ShiftRange.Choices(0.1, 0.2), ShiftRange.Choices(0.1, 0.2));
        Assert.Equal(ShiftRange.Choices(0.1, 0.2).GetHashCode(), ShiftRange.Choices(0.1, 0.2).GetHashCode());
        Assert.NotEqual(ShiftRange.Choices(0.1, 0.2), ShiftRange.Choices(0.2, 0.1));
        Assert.NotEqual(ShiftRange.Choices(0.1, 0.2).GetHashCode(), ShiftRange.Choices(0.2, 0.1).GetHashCode());
        Assert.NotEqual(ShiftRange.Choices(0.1), ShiftRange.Choices(0.1, 0.1));
        Assert.NotEqual(ShiftRange.Uniform(1), ShiftRange.Integer(1));
        Assert.NotEqual(ShiftRange.Uniform(1).GetHashCode(), ShiftRange.Integer(1).GetHashCode());
        Assert.NotEqual(ShiftRange.Uniform(1), ShiftRange.Uniform(2));
        Assert.NotEqual(ShiftRange.Uniform(1).GetHashCode(), ShiftRange.Uniform(2).GetHashCode());
        Assert.Equal(ShiftRange.Uniform(0), ShiftRange.None);
        Assert.False(ShiftRange.Uniform(1).Equals(null));
    }

    [Fact]
    public void PrintsAsPython()
    {
        Assert.Equal("0.2", ShiftRange.Uniform(0.2).ToString());
        Assert.Equal("5", ShiftRange.Integer(5).ToString());
        Assert.Equal("[0.1, 2]", ShiftRange.Choices(0.1, 2).ToString());
    }
}
