using Mirage.Benchmarks;

if (args.Length > 0 && args[0] == "quick")
{
    Quick.Run(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5);
    return;
}
if (args.Length > 1 && args[0] == "pipeline")
{
    PipelineQuick.Run(args[1], args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3);
    return;
}
if (args.Length > 1 && args[0] == "decode")
{
    DecodeQuick.Run(args[1], args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3);
    return;
}
if (args.Length > 1 && args[0] == "clahe")
{
    ClaheQuick.Run(args[1], args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5);
    return;
}
if (args.Length > 2 && args[0] == "inmem")
{
    InMemoryCount.Run(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
    return;
}
BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
