using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;

// usage: AbInProcess DIR_A DIR_B TREE MODE ROUNDS SLICE_SECONDS
//   DIR_A, DIR_B: directories holding a Mirage.dll each (e.g. two `dotnet publish` outputs of src/Mirage.Cli).
//   MODE: warp (the byte warp alone, 1024 precomputed matrices), inmem (draw + matrix + warp, as `mirage bench`'s
//   in-memory rate), inmem2 (the same on two threads), dir / dir2 (flow_from_directory, 1 or 2 workers).
// Environment: WARM (seconds per side before timing, default 6: past tier-1 compilation), SETUP_REVERSE=1 (set B up
// first: where a build's images land in memory moves its rate by several per cent, so alternate it across processes).
if (args.Length != 6)
{
    Console.Error.WriteLine("usage: AbInProcess DIR_A DIR_B TREE MODE(warp|inmem|inmem2|dir|dir2) ROUNDS SLICE_SECONDS");
    return 2;
}
string tree = args[2], mode = args[3];
int rounds = int.Parse(args[4]);
double slice = double.Parse(args[5]), warm = double.Parse(Environment.GetEnvironmentVariable("WARM") ?? "6");
var sides = new[] { Side.Load(args[0], "A"), Side.Load(args[1], "B") };
foreach (var s in Environment.GetEnvironmentVariable("SETUP_REVERSE") == "1" ? sides.Reverse() : sides) s.Setup(tree, mode);
foreach (var s in sides) s.Run(warm);
var rates = new List<double>[] { [], [] };
bool verbose = Environment.GetEnvironmentVariable("VERBOSE") == "1";
for (int i = 0; i < rounds; i++)
{
    int first = i % 2; // which side goes first alternates
    foreach (int k in new[] { first, 1 - first }) rates[k].Add(sides[k].Run(slice));
    if (verbose) Console.WriteLine($"round {i,2}: A {rates[0][^1],9:F1}  B {rates[1][^1],9:F1}  B/A {rates[1][^1] / rates[0][^1]:F3}");
}
var ratios = rates[0].Zip(rates[1], (a, b) => b / a).ToList();
Console.WriteLine($"{mode}: median A {Median(rates[0]):F1}, B {Median(rates[1]):F1} img/s; paired B/A median {Median(ratios):F3} " +
    $"(min {ratios.Min():F3}, max {ratios.Max():F3}, {rounds} pairs of {slice:0.##} s); load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
return 0;

static double Median(List<double> x)
{
    var s = x.Order().ToArray();
    return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
}

/// <summary>One build: its own load context with its Mirage.dll, and a Workload instance loaded into it.</summary>
sealed class Side(object workload, MethodInfo setup, MethodInfo run)
{
    public void Setup(string tree, string mode) => setup.Invoke(workload, [tree, mode]);
    public double Run(double seconds) => (double)run.Invoke(workload, [seconds])!;

    public static Side Load(string dir, string name)
    {
        if (!File.Exists(Path.Combine(dir, "Mirage.dll"))) throw new FileNotFoundException($"No Mirage.dll in '{dir}'.");
        var context = new Context(dir, name);
        var type = context.LoadFromAssemblyPath(typeof(Side).Assembly.Location).GetType("Workload")!;
        return new Side(Activator.CreateInstance(type)!, type.GetMethod("Setup")!, type.GetMethod("Run")!);
    }

    /// <summary>Resolves Mirage from the build's directory; everything else from the default context.</summary>
    private sealed class Context(string dir, string name) : AssemblyLoadContext(name)
    {
        protected override Assembly? Load(AssemblyName n) =>
            n.Name == "Mirage" ? LoadFromAssemblyPath(Path.GetFullPath(Path.Combine(dir, "Mirage.dll"))) : null;
    }
}
