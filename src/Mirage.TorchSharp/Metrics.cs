namespace Mirage.TorchSharp;

/// <summary>
/// Counts (actual, predicted) class pairs over an epoch; accuracy and macro-F1 as scikit-learn computes them
/// (<c>f1_score(average="macro")</c>: the unweighted mean over the classes present in either the labels or the
/// predictions, a class's F1 being 0 when it has no true positives).
/// </summary>
public sealed class ConfusionMatrix
{
    private long[,] _counts;

    /// <summary>An empty matrix for <paramref name="classes"/> classes; it grows when a larger class index is added.</summary>
    public ConfusionMatrix(int classes = 2)
    {
        _counts = new long[Math.Max(1, classes), Math.Max(1, classes)];
    }

    /// <summary>Number of classes (rows and columns).</summary>
    public int Classes => _counts.GetLength(0);
    /// <summary>Samples counted.</summary>
    public long Total { get; private set; }
    /// <summary>Samples of class <paramref name="actual"/> predicted as <paramref name="predicted"/> (0 outside the matrix).</summary>
    public long this[int actual, int predicted] => actual < Classes && predicted < Classes ? _counts[actual, predicted] : 0;

    /// <summary>Counts one sample.</summary>
    public void Add(int actual, int predicted)
    {
        if (actual < 0 || predicted < 0) throw new ArgumentOutOfRangeException(actual < 0 ? nameof(actual) : nameof(predicted), "Class indices cannot be negative.");
        Grow(Math.Max(actual, predicted) + 1);
        _counts[actual, predicted]++;
        Total++;
    }

    /// <summary>Counts a batch of samples: <paramref name="actual"/>[i] predicted as <paramref name="predicted"/>[i].</summary>
    public void Add(ReadOnlySpan<long> actual, ReadOnlySpan<long> predicted)
    {
        if (actual.Length != predicted.Length)
            throw new ArgumentException($"{actual.Length} labels but {predicted.Length} predictions.", nameof(predicted));
        for (int i = 0; i < actual.Length; i++) Add((int)actual[i], (int)predicted[i]);
    }

    /// <summary>Fraction of samples whose prediction equals the label (0 when empty).</summary>
    public double Accuracy
    {
        get
        {
            if (Total == 0) return 0;
            long right = 0;
            for (int c = 0; c < Classes; c++) right += _counts[c, c];
            return (double)right / Total;
        }
    }

    /// <summary>F1 of class <paramref name="c"/>: 2·TP / (2·TP + FP + FN), 0 when that is 0/0.</summary>
    public double F1(int c)
    {
        long tp = this[c, c], fp = 0, fn = 0;
        for (int k = 0; k < Classes; k++)
        {
            if (k == c) continue;
            fp += this[k, c];
            fn += this[c, k];
        }
        long denominator = 2 * tp + fp + fn;
        return denominator == 0 ? 0 : 2.0 * tp / denominator;
    }

    /// <summary>Mean F1 over the classes that occur as a label or a prediction (0 when empty).</summary>
    public double MacroF1
    {
        get
        {
            double sum = 0;
            int present = 0;
            for (int c = 0; c < Classes; c++)
            {
                long row = 0, column = 0;
                for (int k = 0; k < Classes; k++)
                {
                    row += _counts[c, k];
                    column += _counts[k, c];
                }
                if (row + column == 0) continue;
                sum += F1(c);
                present++;
            }
            return present == 0 ? 0 : sum / present;
        }
    }

    private void Grow(int classes)
    {
        if (classes <= Classes) return;
        var bigger = new long[classes, classes];
        for (int a = 0; a < Classes; a++)
            for (int p = 0; p < Classes; p++) bigger[a, p] = _counts[a, p];
        _counts = bigger;
    }
}
