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
    public static Command Create()
    {
        var image = new Argument<FileInfo>("IMAGE") { Description = "The photo to augment (JPEG, PNG, BMP, WebP, GIF)." };
        var config = new Option<FileInfo>("--config")
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
            var (columns, rows) = ParseGrid(parse.GetValue(grid)!);
            string configPath = parse.GetValue(config)!.FullName, json = File.ReadAllText(configPath);
            Image<byte> result;
            IEnumerable<string> lines;
            if (PipelineConfig.IsPipelineConfig(json))
            {
                result = Render(parse.GetValue(image)!.FullName, TransformPipeline.FromJson(json, source: configPath), columns, rows,
                    parse.GetValue(seed), Math.Max(0, parse.GetValue(gap)), out var tapes, Math.Max(0, parse.GetValue(maxCell)),
                    MaxPixelsOption.Read(parse, maxPixels));
                lines = tapes;
            }
            else
            {
                var options = ImageDataGeneratorOptions.FromJson(json, configPath);
                result = Render(parse.GetValue(image)!.FullName, new ImageDataGenerator(options), columns, rows,
                    parse.GetValue(seed), Math.Max(0, parse.GetValue(gap)), out var parameters, Math.Max(0, parse.GetValue(maxCell)),
                    MaxPixelsOption.Read(parse, maxPixels));
                lines = parameters.Select(x => x.ToJson());
            }
            using (result) ImageEncoder.Save(result, parse.GetValue(output)!.FullName);
            if (parse.GetValue(paramsOut) is { } p)
                AtomicFile.WriteAllLines(p.FullName, lines);
            Console.WriteLine($"wrote {columns}x{rows} preview to {parse.GetValue(output)!.FullName}");
        }));
        return command;
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
        using var source = ImageConvert.ToFloat(decoded);
        using var cell = new Image<float>(source.Info);
        using var cellBytes = new Image<byte>(source.Info);
        int h = source.Height, w = source.Width, ch = source.Channels;
        var grid = new Image<byte>(rows * h + (rows - 1) * gap, columns * w + (columns - 1) * gap, ch);
        grid.Span.Fill(255);
        parameters = new List<Transforms.TransformParameters>(rows * columns);
        for (int i = 0; i < rows * columns; i++)
        {
            var random = RandomStream.For(seed, 0, i);
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
                var random = RandomStream.For(seed, 0, i);
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
