using System.CommandLine;
using Mirage.Codecs;
using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;
using Mirage.Transforms.Pipelines;

namespace Mirage.Cli.Commands;

/// <summary>`mirage preview IMAGE --config CONFIG.json --out preview.png`: a grid of random variants of one photo.</summary>
public static class PreviewCommand
{
    /// <summary>`mirage preview IMAGE --config C.json --out P.png`: a grid of random variants of one photo.</summary>
    public static Command Create()
    {
        var image = new Argument<FileInfo>("IMAGE") { Description = "The photo to augment (JPEG, PNG, BMP, WebP, GIF)." };
        var config = new Option<string>("--config")
        {
            Description = "Generator options as JSON with Keras's names, e.g. {\"rotation_range\": 40, \"zoom_range\": 0.2}, " +
                          "or a pipeline config {\"transforms\": [...]} (see `mirage transforms`).",
            Required = true,
        };
        var grid = new Option<string>("--grid") { Description = "Columns x rows.", DefaultValueFactory = _ => "5x4" };
        var seed = new Option<ulong>("--seed") { Description = "Seed: the same seed gives the same grid.", DefaultValueFactory = _ => 1 };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the grid (.png, .jpg or .webp).", Required = true };
        var gap = new Option<int>("--gap") { Description = "White pixels between cells.", DefaultValueFactory = _ => 4 };
        var paramsOut = new Option<FileInfo?>("--params-out") { Description = "Also write each cell's parameters as JSON lines, replayable with `mirage apply` (on the photo as shown: shrunk first when larger than --max-cell)." };
        var maxCell = new Option<int>("--max-cell")
        {
            Description = "Shrink the photo first (Lanczos) so its longer side is at most this many pixels; 0 keeps it as it is.",
            DefaultValueFactory = _ => 512,
        };
        var maxPixels = MaxPixelsOption.Create();
        var command = new Command("preview", "Write a grid of random augmented variants of one image (the first thing to look at).")
        {
            image, config, grid, seed, output, gap, paramsOut, maxCell, maxPixels,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            // Everything the user typed is checked before any work, so no output is left half done.
            var (columns, rows) = ParseGrid(parse.GetValue(grid)!);
            int gapPixels = parse.GetValue(gap), maxSide = parse.GetValue(maxCell);
            if (gapPixels is < 0 or > 1000) throw new FormatException($"--gap must be 0 to 1000 pixels; got {gapPixels}.");
            if (maxSide < 0) throw new FormatException($"--max-cell must be 0 (keep the photo's size) or a positive number of pixels; got {maxSide}.");
            long limit = MaxPixelsOption.Read(parse, maxPixels);
            string outPath = parse.GetValue(output)!.FullName;
            RequireWritable(outPath, "--out");
            var format = CommandRunner.OutputFormat(outPath, "--out");
            string? paramsPath = parse.GetValue(paramsOut)?.FullName;
            if (paramsPath is not null) RequireWritable(paramsPath, "--params-out");
            string configPath = parse.GetValue(config)!, json = AugmentCommand.ReadConfig(configPath);
            Image<byte> result;
            IEnumerable<string> lines;
            if (PipelineConfig.IsPipelineConfig(json))
            {
                result = Render(parse.GetValue(image)!.FullName, TransformPipeline.FromJson(json, source: configPath), columns, rows,
                    parse.GetValue(seed), gapPixels, out var tapes, maxSide, limit);
                lines = tapes;
            }
            else
            {
                var generator = new ImageDataGenerator(ImageDataGeneratorOptions.FromJson(json, configPath));
                result = Render(parse.GetValue(image)!.FullName, generator, columns, rows, parse.GetValue(seed), gapPixels, out var parameters, maxSide, limit);
                lines = parameters.Select(x => x.ToJson());
            }
            using (result) ImageEncoder.Save(result, outPath, format);
            if (paramsPath is not null) AtomicFile.WriteAllLines(paramsPath, lines);
            Console.WriteLine($"wrote {columns}x{rows} preview to {parse.GetValue(output)!.FullName}");
        }));
        return command;
    }

    /// <summary>Largest grid written (pixels): 20 cells of 2500×2000. Bigger means --max-cell 0 on camera photos.</summary>
    public const long MaxGridPixels = 100_000_000;

    private static void RequireWritable(string path, string option)
    {
        string? folder = Path.GetDirectoryName(path);
        if (folder is not null && !Directory.Exists(folder))
            throw new DirectoryNotFoundException($"{option}: the folder '{folder}' does not exist; create it or write elsewhere.");
        if (Directory.Exists(path)) throw new IOException($"{option}: '{path}' is a folder; give a file name.");
    }

    /// <summary>The image itself when its longer side is within <paramref name="maxSide"/> (or 0), else a Lanczos-shrunk copy.</summary>
    private static Image<byte> Shrink(Image<byte> image, int maxSide)
    {
        int longer = Math.Max(image.Height, image.Width);
        if (maxSide == 0 || longer <= maxSide) return image;
        double f = (double)maxSide / longer;
        using (image)
            return Resize.To(image, Math.Max(1, (int)Math.Round(image.Height * f)), Math.Max(1, (int)Math.Round(image.Width * f)), ResizeInterpolation.Lanczos);
    }

    /// <summary>"5x4" → (5 columns, 4 rows).</summary>
    public static (int Columns, int Rows) ParseGrid(string text)
    {
        var parts = text.ToLowerInvariant().Split('x');
        if (parts.Length == 2 && int.TryParse(parts[0], out int c) && int.TryParse(parts[1], out int r) && c >= 1 && r >= 1 && c * r <= 400)
            return (c, r);
        throw new FormatException($"--grid: expected COLUMNSxROWS such as 5x4 (at most 400 cells), got '{text}'.");
    }

    /// <summary>
    /// Cell i shows the image transformed with parameters drawn from RandomStream.For(seed, 0, i), without
    /// standardization (a rescaled or whitened image is not something to look at). A camera-size photo is shrunk
    /// first so the grid stays a viewable size (20 cells of 4000×3000 would be a 720 MB picture).
    /// </summary>
    public static Image<byte> Render(string path, ImageDataGenerator generator, int columns, int rows, ulong seed, int gap,
        out List<Transforms.TransformParameters> parameters, int maxCell = 0, long maxPixels = ImageDecoder.DefaultMaxPixels)
    {
        using var decoded = Shrink(ImageDecoder.Decode(path, ColorMode.Rgb, applyOrientation: false, maxPixels), maxCell);
        long gridPixels = ((long)rows * decoded.Height + (rows - 1L) * gap) * ((long)columns * decoded.Width + (columns - 1L) * gap);
        if (gridPixels > MaxGridPixels)
            throw new FormatException(
                $"--max-cell {maxCell} keeps the photo at {decoded.Width}x{decoded.Height}, so the {columns}x{rows} grid would be " +
                $"{gridPixels / 1_000_000} Mpx (limit {MaxGridPixels / 1_000_000} Mpx); use --max-cell 512 (the default) or a smaller --grid.");
        using var source = ImageConvert.ToFloat(decoded);
        using var cell = new Image<float>(source.Info);
        using var cellBytes = new Image<byte>(source.Info);
        int h = source.Height, w = source.Width, ch = source.Channels;
        var grid = new Image<byte>(rows * h + (rows - 1) * gap, columns * w + (columns - 1) * gap, ch);
        grid.Span.Fill(255);
        parameters = new List<Transforms.TransformParameters>(rows * columns);
        for (int i = 0; i < rows * columns; i++)
        {
            var random = StreamKeys.Sample(seed, 0, i);
            var p = generator.GetRandomTransform(source.Info, ref random);
            parameters.Add(p);
            generator.ApplyTransform(source, cell, p);
            ImageConvert.ToByte(cell.Span, cellBytes.Span);
            int top = i / columns * (h + gap), left = i % columns * (w + gap);
            for (int y = 0; y < h; y++)
                cellBytes.Row(y).CopyTo(grid.Row(top + y).Slice(left * ch, w * ch));
        }
        return grid;
    }

    /// <summary>
    /// The same for a transform pipeline: cell i runs the parameters drawn from RandomStream.For(seed, 0, i) on the
    /// photo's bytes; <paramref name="tapes"/> gets each cell's recorded parameters as JSON (replayable alone). Cells
    /// are as large as the largest output; smaller outputs sit at their cell's top left on white.
    /// </summary>
    public static Image<byte> Render(string path, TransformPipeline pipeline, int columns, int rows, ulong seed, int gap,
        out List<string> tapes, int maxCell = 0, long maxPixels = ImageDecoder.DefaultMaxPixels)
    {
        using var source = Shrink(ImageDecoder.Decode(path, ColorMode.Rgb, applyOrientation: false, maxPixels), maxCell);
        var cells = new List<Image<byte>>(rows * columns);
        tapes = new List<string>(rows * columns);
        try
        {
            var tape = new ParameterTape();
            for (int i = 0; i < rows * columns; i++)
            {
                var random = StreamKeys.Sample(seed, 0, i);
                pipeline.Sample(ref random, source.Info, tape);
                tapes.Add(tape.ToJson());
                cells.Add(TransformPipeline.Run(tape, source));
            }
            int h = cells.Max(c => c.Height), w = cells.Max(c => c.Width), ch = source.Channels;
            var grid = new Image<byte>(rows * h + (rows - 1) * gap, columns * w + (columns - 1) * gap, ch);
            grid.Span.Fill(255);
            for (int i = 0; i < cells.Count; i++)
            {
                int top = i / columns * (h + gap), left = i % columns * (w + gap);
                for (int y = 0; y < cells[i].Height; y++)
                    cells[i].Row(y).CopyTo(grid.Row(top + y).Slice(left * ch, cells[i].Width * ch));
            }
            return grid;
        }
        finally
        {
            foreach (var c in cells) c.Dispose();
        }
    }
}
