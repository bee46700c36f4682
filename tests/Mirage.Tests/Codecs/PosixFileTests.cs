using Mirage.Codecs;

namespace Mirage.Tests.Codecs;

public class PosixFileTests
{
    private static byte[] Read(string path, bool managed)
    {
        PosixFile.t_disabledForTests = managed;
        try
        {
            var buffer = ImageDecoder.ReadFile(path, out int length);
            var copy = buffer.AsSpan(0, length).ToArray();
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            return copy;
        }
        finally
        {
            PosixFile.t_disabledForTests = false;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4095)]
    [InlineData(65_536)]
    [InlineData(3_000_001)]
    public void BothPathsReadTheSameBytes(int size)
    {
        string dir = Cli.CliRunner.TempFolder();
        try
        {
            var data = new byte[size];
            new Random(size).NextBytes(data);
            string path = Path.Combine(dir, "ünïcode name.bin");
            File.WriteAllBytes(path, data);
            Assert.Equal(data, Read(path, managed: false));
            Assert.Equal(data, Read(path, managed: true));
            if (PosixFile.Enabled) Assert.True(PosixFile.TryRead(path, out var b, out int n) && n == size && b!.AsSpan(0, n).SequenceEqual(data));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ErrorsAreTheManagedPathsMessages()
    {
        string dir = Cli.CliRunner.TempFolder();
        try
        {
            string empty = Path.Combine(dir, "empty.jpg");
            File.WriteAllBytes(empty, []);
            foreach (bool managed in new[] { false, true })
            {
                Assert.Contains("file not found", Assert.Throws<ImageDecodeException>(() => Read(Path.Combine(dir, "missing.jpg"), managed)).Message);
                Assert.Contains("empty file", Assert.Throws<ImageDecodeException>(() => Read(empty, managed)).Message);
                Assert.Contains("folder", Assert.Throws<ImageDecodeException>(() => Read(dir, managed)).Message);
            }
            // The fast path declines what it cannot read and leaves the message to the managed path.
            Assert.False(PosixFile.TryRead(Path.Combine(dir, "missing.jpg"), out _, out _));
            Assert.False(PosixFile.TryRead(dir, out _, out _));
            Assert.False(PosixFile.TryRead(empty, out _, out _));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
