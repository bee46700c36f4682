using Mirage.Tests.Data;

namespace Mirage.Tests.Cli;

/// <summary>
/// Every CLI error is one line on stderr: "mirage: error: …" naming the option or file, saying what is wrong and
/// what to do, with exit code 1 — no .NET type names, no "(Parameter 'x')", no stack trace, no help dump.
/// </summary>
[Collection(CliRunner.Collection)]
public sealed class CliErrorMessageTests : IDisposable
{
    private readonly string _dir = CliRunner.TempFolder();

    public CliErrorMessageTests()
    {
        File.Copy(CliRunner.Sample("chelsea.jpg"), P("x.jpg"));
        File.Copy(CliRunner.Sample("astronaut.jpg"), P("big.jpg"));
        Directory.CreateDirectory(P("tree/c"));
        File.Copy(CliRunner.Sample("chelsea.jpg"), P("tree/c/a.jpg"));
        Directory.CreateDirectory(P("bad/c"));
        File.WriteAllText(P("bad/c/broken.jpg"), "not a jpeg");
        File.WriteAllText(P("c.json"), """{"rotation_range": 10}""");
        File.WriteAllText(P("zoom.json"), """{"zoom_range": -0.5}""");
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string P(string name) => Path.Combine(_dir, name);

    /// <summary>(arguments with {d} for the temp folder, what the line must contain).</summary>
    public static TheoryData<string, string[]> Cases() => new()
    {
        { "stats {d}/x.jpg", ["x.jpg' is a file, not a folder", "pass the folder"] },
        { "augment {d}/x.jpg {d}/o --config {d}/c.json", ["x.jpg' is a file, not a folder"] },
        { "bench {d}/x.jpg", ["x.jpg' is a file, not a folder"] },
        { "preview {d}/x.jpg --config {d}/c.json --out {d}/g.bmp", ["--out: cannot write a '.bmp' file", ".png"] },
        { "apply {d}/x.jpg {d}/o.bmp --params {}", ["OUT: cannot write a '.bmp' file"] },
        { "apply {d}/x.jpg {d}/o.png --params {\"theta\":1e308}", ["--params: theta must be", "1E+308"] },
        { "apply {d}/x.jpg {d}/o.png --params {\"zx\":0}", ["--params: zx must be"] },
        { "apply {d}/x.jpg {d}/o.png --params {} --fill-mode foo", ["--fill-mode expects one of nearest", "'foo'"] },
        { "apply {d}/x.jpg {d}/o.png --params {} --order 2", ["--order"] },
        { "apply {d}/x.jpg {d}/o.png --params {} --cval abc", ["--cval: 'abc' is not a number"] },
        { "apply {d}/missing.jpg {d}/o.png --params {}", ["missing.jpg' does not exist"] },
        { "augment {d}/tree {d}/o --config {d}/c.json --per-image 0", ["--per-image must be at least 1", "got 0"] },
        { "augment {d}/tree {d}/o --config {d}/c.json --workers 0", ["--workers must be at least 1"] },
        { "augment {d}/tree {d}/o --config {d}/missing.json", ["--config: the file", "missing.json' does not exist", "JSON"] },
        { "augment {d}/tree {d}/o --config {d}/zoom.json", ["zoom_range must be a float z in [0, 1)", "-0.5"] },
        { "augment {d}/bad {d}/o --config {d}/c.json", ["broken.jpg", "--on-error skip"] },
        { "preview {d}/x.jpg --config {d}/c.json --out {d}/g.png --seed -1", ["--seed: '-1' is not a whole number from 0"] },
        { "preview {d}/x.jpg --config {d}/missing.json --out {d}/g.png", ["--config: the file"] },
        { "preview {d}/x.jpg --out {d}/g.png", ["--config", "required"] },
        { "preview {d}/x.jpg --config {d}/c.json --out {d}/g.png --gap -1", ["--gap must be 0 to 1000"] },
        { "preview {d}/x.jpg --config {d}/c.json --out {d}/g.png --max-cell -5", ["--max-cell must be 0"] },
        { "preview {d}/big.jpg --config {d}/c.json --out {d}/g.png --max-cell 0 --grid 20x20", ["--max-cell 0 keeps the photo at 512x512", "Mpx"] },
        { "preview {d}/x.jpg --config {d}/c.json --out {d}/g.png --params-out {d}/nodir/p.jsonl", ["--params-out: the folder", "nodir"] },
        { "stats {d}/tree --workers 0", ["--workers must be at least 1"] },
        { "stats {d}/tree --color-mode cmyk", ["--color-mode expects one of grayscale, rgb, rgba"] },
        { "stats {d}/tree --target-size 0x5", ["--target-size"] },
        { "stats {d}/bad", ["broken.jpg", "--on-error skip"] },
        { "stats {d}/tree --bogus", ["--bogus", "mirage stats --help"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void OneLineNamingTheOptionOrFileExitOne(string args, string[] expected)
    {
        var argv = args.Split(' ').Select(a => a.Replace("{d}", _dir)).ToArray();
        var (exit, stdout, stderr) = CliRunner.Run(argv);
        Assert.Equal(1, exit);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line, got:\n{stderr}");
        string line = lines[0];
        Assert.StartsWith("mirage: error: ", line);
        foreach (var e in expected) Assert.Contains(e, line);
        foreach (var leak in new[] { "System.", "Mirage.", "(Parameter", "Actual value", "   at ", "Exception", "Description:", ".tmp" })
            Assert.DoesNotContain(leak, line);
        Assert.DoesNotContain("Usage:", stdout);
        Assert.False(File.Exists(P("g.png")), "an error must leave no output behind");
    }
}
