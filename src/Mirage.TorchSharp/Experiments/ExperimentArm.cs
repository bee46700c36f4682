using Mirage.Generation;
using Mirage.Kernels.Geometric;

namespace Mirage.TorchSharp.Experiments;

/// <summary>
/// One arm of an augmentation experiment: the generator options its training batches are drawn with, or none for
/// the plain arm (one shuffled pass over the training set per epoch). An arm with a generator draws
/// <see cref="ExperimentOptions.SamplesPerEpochFactor"/> × N samples per epoch (the reference's samples_per_epoch = 2N).
/// A preprocessing function in the options (e.g. CLAHE) is applied to the validation and test images too.
/// </summary>
public sealed record ExperimentArm(string Name, ImageDataGeneratorOptions? Augmentation)
{
    /// <summary>The arms <see cref="BuiltIn"/> knows, in the order the report lists them.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = ["none", "flip", "mild", "reference", "clahe"];

    /// <summary>
    /// none = no generator; flip = horizontal flip; mild = rotation 10, shifts 0.1, zoom 0.1, horizontal flip, fill
    /// nearest; reference = rotation 40, shifts 0.2, shear 0.2, zoom 0.2, horizontal flip, fill nearest (the
    /// reference tutorial's generator); clahe = CLAHE with clip limit 0.03 as the preprocessing function only.
    /// </summary>
    public static ExperimentArm BuiltIn(string name) => name switch
    {
        "none" => new(name, null),
        "flip" => new(name, new ImageDataGeneratorOptions { HorizontalFlip = true }),
        "mild" => new(name, new ImageDataGeneratorOptions
        {
            RotationRange = 10, WidthShiftRange = 0.1, HeightShiftRange = 0.1, ZoomRange = (0.9, 1.1),
            HorizontalFlip = true, FillMode = FillMode.Nearest,
        }),
        "reference" => new(name, new ImageDataGeneratorOptions
        {
            RotationRange = 40, WidthShiftRange = 0.2, HeightShiftRange = 0.2, ShearRange = 0.2, ZoomRange = (0.8, 1.2),
            HorizontalFlip = true, FillMode = FillMode.Nearest,
        }),
        "clahe" => new(name, new ImageDataGeneratorOptions { PreprocessingFunction = Preprocessing.Clahe(0.03) }),
        _ => throw new ArgumentException(
            $"Unknown arm '{name}': use one of {string.Join(", ", BuiltInNames)} or the path of a generator config (.json).", nameof(name)),
    };

    /// <summary>A built-in name, or the path of a generator config JSON (the arm is named after the file).</summary>
    public static ExperimentArm Parse(string nameOrPath)
    {
        if (BuiltInNames.Contains(nameOrPath)) return BuiltIn(nameOrPath);
        if (nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || File.Exists(nameOrPath))
        {
            if (!File.Exists(nameOrPath))
                throw new FileNotFoundException($"--arms: the config file '{nameOrPath}' does not exist; give an existing .json or one of {string.Join(", ", BuiltInNames)}.", nameOrPath);
            var options = ImageDataGeneratorOptions.FromJson(File.ReadAllText(nameOrPath), nameOrPath);
            return new ExperimentArm(Path.GetFileNameWithoutExtension(nameOrPath), options);
        }
        return BuiltIn(nameOrPath);
    }
}
