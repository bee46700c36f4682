// Writes OUT_DIR/index.md and OUT_DIR/images/*.png: one strip of random variants per transform and option, drawn
// from the sample photos with the same code as `mirage preview`. Usage: dotnet run --project tools/Gallery -- OUT_DIR
using System.Text;
using Mirage.Cli.Commands;
using Mirage.Codecs;
using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;

using Mirage.Transforms.Pipelines;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Gallery OUT_DIR   (run from the repository root: reads samples/*.jpg)");
    return 2;
}
string outDir = Path.GetFullPath(args[0]), images = Path.Combine(outDir, "images");
Directory.CreateDirectory(images);
string repo = FindRepositoryRoot();
string cat = Path.Combine(repo, "samples", "chelsea.jpg"), astronaut = Path.Combine(repo, "samples", "astronaut.jpg");

const int Columns = 4, Cell = 200, Gap = 4;
const ulong Seed = 1;
var md = new StringBuilder();
md.AppendLine("# Gallery").AppendLine()
  .AppendLine("Each strip shows four random variants (the first four cells of `--seed 1`) of a sample photo under one option, drawn by")
  .AppendLine("`tools/Gallery` with the same code as `mirage preview` when the site is built — the pictures cannot drift from")
  .AppendLine("the code. Reproduce any strip with `./mirage preview PHOTO --config CONFIG.json --grid 4x1 --max-cell 200 --out strip.png`,")
  .AppendLine("where CONFIG.json is the JSON shown under it. Photos: `samples/chelsea.jpg`, `samples/astronaut.jpg`")
  .AppendLine("(see `samples/LICENSE.md`).").AppendLine();

Section("Geometric (Keras options)");
Keras("rotation", "Rotation", "Random rotation in degrees, drawn from [−40, 40].", """{"rotation_range": 40}""");
Keras("width-shift", "Width shift", "Horizontal shift by up to 30 % of the width.", """{"width_shift_range": 0.3}""");
Keras("height-shift", "Height shift", "Vertical shift by up to 30 % of the height.", """{"height_shift_range": 0.3}""");
Keras("shear", "Shear", "Shear angle in degrees, drawn from [−30, 30].", """{"shear_range": 30}""");
Keras("zoom", "Zoom", "Zoom factors drawn from [0.5, 1.5] per axis (Keras's convention: above 1 shows more of the scene).", """{"zoom_range": [0.5, 1.5]}""");
Keras("horizontal-flip", "Horizontal flip", "Mirrored left–right with probability ½.", """{"horizontal_flip": true}""");
Keras("vertical-flip", "Vertical flip", "Mirrored top–bottom with probability ½.", """{"vertical_flip": true}""");

Section("Fill modes");
md.AppendLine("Points that a rotation, shift, shear or zoom brings in from outside the photo are filled by `fill_mode`.")
  .AppendLine("The same rotation and zoom-out with each mode:").AppendLine();
foreach (var (mode, extra) in new[] { ("nearest", ""), ("constant", ", \"cval\": 128"), ("reflect", ""), ("wrap", "") })
    Keras($"fill-{mode}", $"fill_mode: {mode}", mode switch
    {
        "nearest" => "Repeats the nearest edge pixel (Keras's default).",
        "constant" => "A constant value (`cval`, here 128 — grey).",
        "reflect" => "Mirrors the photo at its edges.",
        _ => "Tiles the photo.",
    }, $$"""{"rotation_range": 30, "zoom_range": [1.6, 1.6], "fill_mode": "{{mode}}"{{extra}}}""");

Section("Photometric (Keras options)");
Keras("brightness", "Brightness", "Brightness factor drawn from [0.3, 1.7].", """{"brightness_range": [0.3, 1.7]}""");
Keras("channel-shift", "Channel shift", "One value in [−80, 80] added to every channel (clipped to the photo's own range).", """{"channel_shift_range": 80}""", astronaut);

Section("Transform pipelines");
md.AppendLine("Transforms beyond Keras's options run as a pipeline config (`{\"transforms\": [...]}`, see `mirage transforms`).").AppendLine();
Pipeline("random-resized-crop", "random_resized_crop", "A crop covering 8–100 % of the area with aspect ratio in [3/4, 4/3], resized to 160×160 (torchvision's RandomResizedCrop).",
    """{"transforms": [{"name": "random_resized_crop", "size": [160, 160]}]}""");
Pipeline("color-jitter", "color_jitter", "Brightness, contrast and saturation factors in [0.6, 1.4] and a hue shift in [−0.1, 0.1] turns (torchvision's ColorJitter).",
    """{"transforms": [{"name": "color_jitter", "brightness": 0.4, "contrast": 0.4, "saturation": 0.4, "hue": 0.1}]}""", astronaut);

Section("Preprocessing and normalization");
BeforeAfter("clahe", "CLAHE", astronaut,
    "Contrast-limited adaptive histogram equalization, `Preprocessing.Clahe(0.03)` (`{\"preprocessing_function\": {\"name\": \"clahe\", \"clip_limit\": 0.03}}`), equal to scikit-image's `equalize_adapthist`. Left: the photo; right: after CLAHE.",
    x => Preprocessing.Clahe(0.03)(x));
BeforeAfter("samplewise-normalization", "Samplewise normalization", cat,
    "`{\"samplewise_center\": true, \"samplewise_std_normalization\": true}`: each image minus its mean, divided by its standard deviation. The result is not a picture (values around 0), so the right half shows it as 128 + 64·x: the overall brightness is gone, contrasts are equalized.",
    x =>
    {
        new ImageDataGenerator(new ImageDataGeneratorOptions { SamplewiseCenter = true, SamplewiseStdNormalization = true }).Standardize(x);
        foreach (ref float v in x.Span) v = 128f + 64f * v;
    });
BeforeAfter("rescale", "Rescale", cat,
    "`{\"rescale\": \"1/255\"}`: values multiplied by 1/255 into [0, 1], shown as 255·x — identical to the photo, which is the point: rescaling changes the scale the network sees, not the picture.",
    x =>
    {
        new ImageDataGenerator(new ImageDataGeneratorOptions { Rescale = 1.0 / 255 }).Standardize(x);
        foreach (ref float v in x.Span) v *= 255f;
    });

File.WriteAllText(Path.Combine(outDir, "index.md"), md.ToString());
Console.WriteLine($"gallery: wrote {Directory.GetFiles(images, "*.png").Length} pictures and index.md to {outDir}");
return 0;

void Section(string title) => md.AppendLine($"## {title}").AppendLine();

void Entry(string id, string title, string text, string? config)
{
    md.AppendLine($"### {title}").AppendLine().AppendLine(text).AppendLine();
    if (config != null) md.AppendLine("```json").AppendLine(config).AppendLine("```").AppendLine();
    md.AppendLine($"![{title}](images/{id}.png)").AppendLine();
}

void Keras(string id, string title, string text, string json, string? photo = null)
{
    var generator = new ImageDataGenerator(ImageDataGeneratorOptions.FromJson(json, id));
    using var strip = PreviewCommand.Render(photo ?? cat, generator, Columns, 1, Seed, Gap, out _, Cell);
    ImageEncoder.Save(strip, Path.Combine(images, id + ".png"));
    Entry(id, title, text, json);
}

void Pipeline(string id, string title, string text, string json, string? photo = null)
{
    using var strip = PreviewCommand.Render(photo ?? cat, TransformPipeline.FromJson(json, source: id), Columns, 1, Seed, Gap, out _, Cell);
    ImageEncoder.Save(strip, Path.Combine(images, id + ".png"));
    Entry(id, title, text, json);
}

// The photo (shrunk to Cell) and the same photo after `change` on its float pixels, side by side.
void BeforeAfter(string id, string title, string photo, string text, Action<Image<float>> change)
{
    using var before = Shrink(ImageDecoder.Decode(photo, ColorMode.Rgb));
    using var x = ImageConvert.ToFloat(before);
    change(x);
    using var after = ImageConvert.ToByte(x);  // clamps to [0, 255]
    int h = before.Height, w = before.Width, ch = before.Channels;
    using var pair = new Image<byte>(h, 2 * w + Gap, ch);
    pair.Span.Fill(255);
    for (int y = 0; y < h; y++)
    {
        before.Row(y).CopyTo(pair.Row(y));
        after.Row(y).CopyTo(pair.Row(y)[((w + Gap) * ch)..]);
    }
    ImageEncoder.Save(pair, Path.Combine(images, id + ".png"));
    Entry(id, title, text, null);
}

static Image<byte> Shrink(Image<byte> image)
{
    double f = (double)Cell / Math.Max(image.Height, image.Width);
    using (image)
        return Resize.To(image, (int)Math.Round(image.Height * f), (int)Math.Round(image.Width * f), ResizeInterpolation.Lanczos);
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir != null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Mirage.slnx"))) return dir.FullName;
    throw new DirectoryNotFoundException("Gallery: run it inside the Mirage repository (no Mirage.slnx found above the current folder).");
}
