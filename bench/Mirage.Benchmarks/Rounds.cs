using System.Diagnostics;

namespace Mirage.Benchmarks;

/// <summary>
/// Interleaved timing: each case runs for ≥ 20 ms in turn, round after round, so a load spike on this shared machine
/// hits every case alike; prints the median (and best) time per image of each case.
/// </summary>
internal static class Rounds
{
    /// <param name="cases">Name, images per call, and the call (given a running counter).</param>
    public static void Run(IReadOnlyList<(string Name, int PerCall, Action<int> One)> cases, double seconds)
    {
        var rounds = cases.Select(_ => new List<double>()).ToArray();
        var total = Stopwatch.StartNew();
        int n = 0;
        while (total.Elapsed.TotalSeconds < seconds * cases.Count || rounds[0].Count < 5)
            for (int k = 0; k < cases.Count; k++)
            {
                var sw = Stopwatch.StartNew();
                int count = 0;
                while (sw.Elapsed.TotalMilliseconds < 20 || count == 0) { cases[k].One(n++); count += cases[k].PerCall; }
                rounds[k].Add(sw.Elapsed.TotalMicroseconds / count);
            }
        for (int k = 0; k < cases.Count; k++)
        {
            var r = rounds[k];
            r.Sort();
            double median = r[r.Count / 2];
            Console.WriteLine($"{median,8:F1} µs/img {1e6 / median,8:F0} img/s   best {r[0],7:F1} µs {1e6 / r[0],7:F0} img/s   ({r.Count} rounds)  {cases[k].Name}");
        }
    }
}
