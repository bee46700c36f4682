namespace Mirage.Tests.Root;

public class AtomicFileTests
{
    [Fact]
    public void AWriteFailureNamesTheTargetNotTheHiddenTempFile()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mirage-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string target = Path.Combine(dir, "out.png");
            var e = Assert.Throws<IOException>(() => AtomicFile.Write(target, s =>
                throw new IOException($"No space left on device : '{((FileStream)s).Name}'")));
            Assert.Contains($"Cannot write '{target}'", e.Message);
            Assert.Contains("No space left on device", e.Message);
            Assert.DoesNotContain(".tmp", e.Message);
            Assert.Empty(Directory.GetFiles(dir)); // the temp file is gone too
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
