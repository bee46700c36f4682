using Mirage.Codecs;

namespace Mirage.Tests.Codecs;

/// <summary>
/// The guard of tests that need libjpeg-turbo (as decoder or as oracle). On a developer machine without it they skip;
/// where the library is required — CI=true, or MIRAGE_REQUIRE_TURBOJPEG=1 as .ci/run sets — a missing library fails
/// the test instead of letting it pass having checked nothing.
/// </summary>
internal static class NativeDependency
{
    public static bool Required =>
        Environment.GetEnvironmentVariable("CI") is "true" or "1" || Environment.GetEnvironmentVariable("MIRAGE_REQUIRE_TURBOJPEG") is "1" or "true";

    /// <summary>True when libjpeg-turbo is loaded; false (the caller returns) when it is absent and not required.</summary>
    public static bool TurboJpegPresent()
    {
        if (TurboJpeg.IsAvailable) return true;
        if (Required)
            Assert.Fail("libturbojpeg.so.0 is required here (CI=true or MIRAGE_REQUIRE_TURBOJPEG=1) but could not be loaded " +
                        "(or MIRAGE_DISABLE_TURBOJPEG is set): apt-get install libturbojpeg0.");
        return false;
    }
}
