namespace Mirage.Generation;

/// <summary>
/// Keras's width_shift_range / height_shift_range, which means three different things:
/// a float (fraction of the size when below 1, else pixels, drawn uniformly from (−v, v)),
/// an int N (whole pixels drawn from {−(N−1) … N−1}, as np.random.choice(N) · ±1), or
/// a list (one of the values, times ±1; fractions of the size when every value is below 1).
/// </summary>
public sealed record ShiftRange
{
    /// <summary>Which of Keras's three meanings a shift range has.</summary>
    public enum Kind
    {
        /// <summary>A float v: drawn uniformly from (−v, v).</summary>
        Uniform,
        /// <summary>An int N: whole pixels, np.random.choice(N) · ±1.</summary>
        Integer,
        /// <summary>A list: one of its values · ±1.</summary>
        Choices,
    }

    /// <summary>The meaning: a float range, an int range, or a list of values.</summary>
    public Kind Mode { get; }
    /// <summary>The float v of a <see cref="Kind.Uniform"/> range (pixels when ≥ 1, a fraction of the size below
    /// 1) or the N of an <see cref="Kind.Integer"/> one; 0 for <see cref="Kind.Choices"/>.</summary>
    public double Value { get; }
    /// <summary>The values of a <see cref="Kind.Choices"/> list (fractions of the size when every value is below 1,
    /// else pixels); empty otherwise.</summary>
    public IReadOnlyList<double> Values { get; }

    private ShiftRange(Kind mode, double value, IReadOnlyList<double> values)
    {
        Mode = mode;
        Value = value;
        Values = values;
    }

    /// <summary>No shift (Keras's default, 0.0).</summary>
    public static ShiftRange None { get; } = new(Kind.Uniform, 0, Array.Empty<double>());

    /// <summary>A float range: uniform in (−v, v); a fraction of the size when v &lt; 1.</summary>
    /// <param name="value">v ≥ 0: pixels when ≥ 1, a fraction of the image height/width when below 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative, NaN or infinite.</exception>
    public static ShiftRange Uniform(double value)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new ArgumentOutOfRangeException(nameof(value), value, "A shift range must be a finite number ≥ 0.");
        return new(Kind.Uniform, value, Array.Empty<double>());
    }

    /// <summary>An int range N: whole pixels from {−(N−1) … N−1}.</summary>
    /// <param name="value">N ≥ 0 (Keras draws np.random.choice(N), times ±1; 0 and 1 never shift).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative.</exception>
    public static ShiftRange Integer(int value)
    {
        if (value < 0) throw new ArgumentOutOfRangeException(nameof(value), value, "An integer shift range must be ≥ 0.");
        return new(Kind.Integer, value, Array.Empty<double>());
    }

    /// <summary>A list: one of the values, with a random sign.</summary>
    /// <param name="values">At least one finite value; copied. Fractions of the size when every value is below 1
    /// (Keras checks np.max), else pixels.</param>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty or holds NaN or an infinity.</exception>
    public static ShiftRange Choices(params double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0) throw new ArgumentException("A list of shifts needs at least one value.", nameof(values));
        foreach (var v in values)
            if (!double.IsFinite(v)) throw new ArgumentException($"A list of shifts must hold finite numbers, found {v}.", nameof(values));
        return new(Kind.Choices, 0, values.ToArray());
    }

    /// <summary>A float range, so <c>WidthShiftRange = 0.2</c> reads as in Keras; see <see cref="Uniform"/>.</summary>
    /// <param name="value">v ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative, NaN or infinite.</exception>
    public static implicit operator ShiftRange(double value) => Uniform(value);

    // Records compare lists by reference; two ranges listing the same values are the same range.
    /// <summary>Same kind, same value and the same list of values in the same order.</summary>
    /// <param name="other">The range to compare with.</param>
    public bool Equals(ShiftRange? other) =>
        other is not null && Mode == other.Mode && Value.Equals(other.Value) && Values.SequenceEqual(other.Values);

    /// <summary>A hash consistent with <see cref="Equals(ShiftRange)"/> (over the list's values, not its reference).</summary>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Mode);
        hash.Add(Value);
        foreach (var v in Values) hash.Add(v);
        return hash.ToHashCode();
    }

    /// <summary>As Python would print it: 0.2, 5 or [0.1, 0.2].</summary>
    public override string ToString() => Mode switch
    {
        Kind.Uniform => Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        Kind.Integer => ((int)Value).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "[" + string.Join(", ", Values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]",
    };

    /// <summary>True when the range can produce a non-zero shift (Keras's truthiness check).</summary>
    public bool IsActive => Mode switch { Kind.Choices => true, _ => Value != 0 };

    /// <summary>One draw on an axis of <paramref name="size"/> pixels, as Keras draws it (callers skip ranges that are not <see cref="IsActive"/>, as Keras does).</summary>
    internal double Sample(int size, ref Randomness.RandomStream random)
    {
        double shift;
        switch (Mode)
        {
            case Kind.Integer: // np.random.choice(N) · choice([−1, 1])
                shift = random.NextInt((int)Value);
                shift *= random.NextBool() ? 1 : -1;
                return shift; // an int N ≥ 1 is never < 1, so never a fraction of the size
            case Kind.Choices:
                shift = Values[random.NextInt(Values.Count)];
                shift *= random.NextBool() ? 1 : -1;
                return Values.Max() < 1 ? shift * size : shift;
            default:
                shift = random.Uniform(-Value, Value);
                return Value < 1 ? shift * size : shift;
        }
    }
}
