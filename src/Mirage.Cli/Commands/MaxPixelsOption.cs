using System.CommandLine;
using Mirage.Codecs;

namespace Mirage.Cli.Commands;

/// <summary>`--max-pixels N`, the decompression-bomb guard every command that decodes files takes.</summary>
internal static class MaxPixelsOption
{
    public static Option<long> Create() => new("--max-pixels")
    {
        Description = $"Refuse images whose header claims more pixels than this (decompression bombs), before decoding. " +
                      $"Default {ImageDecoder.DefaultMaxPixels} (Pillow's limit).",
        DefaultValueFactory = _ => ImageDecoder.DefaultMaxPixels,
    };

    public static long Read(ParseResult parse, Option<long> option)
    {
        long value = parse.GetValue(option);
        return value >= 1 ? value : throw new FormatException($"--max-pixels must be at least 1; got {value}.");
    }
}
