using System.CommandLine;

namespace Mirage.Cli.Commands;

/// <summary>
/// `--simd LEVEL` and `--jpeg-decoder NAME`: how a command runs, read into one <see cref="MirageConfiguration"/> that the
/// command passes down (never a process-wide switch). Neither changes an output's bytes except the decoder, whose two
/// libraries agree on the files measured.
/// </summary>
internal sealed class ConfigurationOptions
{
    public Option<string> Simd { get; } = new("--simd")
    {
        Description = "Vector instructions the kernels may use: auto (the widest available), vector256, vector128 or scalar. Same bytes at every level.",
        DefaultValueFactory = _ => "auto",
    };

    public Option<string> JpegDecoder { get; } = new("--jpeg-decoder")
    {
        Description = "JPEG decoder: auto (libjpeg-turbo when installed, else SkiaSharp), libjpeg-turbo (required) or skiasharp.",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Simd);
        command.Options.Add(JpegDecoder);
    }

    /// <summary>The configuration the options name; <see cref="MirageConfiguration.Default"/> when both are auto.</summary>
    public MirageConfiguration Read(ParseResult parse)
    {
        var simd = CommandRunner.ParseEnum<SimdLevel>(parse.GetValue(Simd)!, "--simd");
        var decoder = parse.GetValue(JpegDecoder)!.ToLowerInvariant() switch
        {
            "auto" => JpegDecoderChoice.Auto,
            "libjpeg-turbo" or "libjpegturbo" or "turbo" => JpegDecoderChoice.LibjpegTurbo,
            "skiasharp" or "skia" => JpegDecoderChoice.SkiaSharp,
            var other => throw new FormatException($"--jpeg-decoder expects auto, libjpeg-turbo or skiasharp; got '{other}'."),
        };
        return simd == SimdLevel.Auto && decoder == JpegDecoderChoice.Auto
            ? MirageConfiguration.Default
            : new MirageConfiguration { SimdLevel = simd, JpegDecoder = decoder };
    }
}
