namespace Mirage.Codecs;

/// <summary>
/// The decoder choices of a <see cref="MirageConfiguration"/>, resolved once per decode call: whether libjpeg-turbo
/// decodes JPEG (<see cref="Turbo"/>) and whether Mirage's own 1/8 decoder takes 1/8-scale requests (<see cref="Eighth"/>).
/// </summary>
internal readonly record struct DecodeSettings(bool Turbo, bool Eighth)
{
    /// <exception cref="MirageException">libjpeg-turbo was asked for and the system has none.</exception>
    public static DecodeSettings Of(MirageConfiguration? configuration)
    {
        var c = configuration ?? MirageConfiguration.Default;
        bool turbo = c.JpegDecoder switch
        {
            JpegDecoderChoice.SkiaSharp => false,
            JpegDecoderChoice.LibjpegTurbo => TurboJpeg.IsAvailable ? true
                : throw new MirageException("The configuration asks for libjpeg-turbo (JpegDecoder = LibjpegTurbo), but libturbojpeg.so.0 " +
                    "could not be loaded (or MIRAGE_DISABLE_TURBOJPEG is set): install libturbojpeg0, or use JpegDecoderChoice.Auto."),
            _ => TurboJpeg.IsAvailable,
        };
        return new DecodeSettings(turbo, c.EighthScaleJpegDecoder);
    }
}
