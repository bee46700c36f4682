namespace Mirage;

/// <summary>
/// Every file Mirage writes goes through here: written to <c>.{name}.{random}.tmp</c> beside the target, then renamed
/// over it, so a crash never leaves a half-written output and a reader never sees one; the temp file is removed if
/// anything fails. (No fsync: the rename protects against a crashed process, not against power loss.)
/// </summary>
/// <remarks>Thread-safe: each write has its own temp name, so concurrent writers never share a temp file; two writers
/// of the same target both succeed and the later rename wins.</remarks>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> atomically through a stream: <paramref name="write"/> fills a temp file
    /// beside it, which then replaces the target (an existing file is overwritten).</summary>
    /// <param name="path">The file to write; its folder must exist.</param>
    /// <param name="write">Writes the content; the stream is closed by this method, not by the callback. If it throws,
    /// the temp file is deleted, the target is left as it was, and the exception propagates.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> names a folder or has no folder part.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    /// <exception cref="IOException">A folder named <paramref name="path"/> exists, or the write or rename failed (disk
    /// full, permissions); the message names <paramref name="path"/>, not the temp file.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        var (full, temp) = Prepare(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                write(stream);
            File.Move(temp, full, overwrite: true);
        }
        catch (IOException e)
        {
            Discard(temp);
            throw Named(e, temp, path);
        }
        catch
        {
            Discard(temp);
            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically (temp file, then rename over the
    /// target).</summary>
    /// <param name="path">The file to write; its folder must exist.</param>
    /// <param name="bytes">The whole content.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> names a folder or has no folder part.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    /// <exception cref="IOException">A folder named <paramref name="path"/> exists, or the write or rename failed.</exception>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var (full, temp) = Prepare(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                stream.Write(bytes);
            File.Move(temp, full, overwrite: true);
        }
        catch (IOException e)
        {
            Discard(temp);
            throw Named(e, temp, path);
        }
        catch
        {
            Discard(temp);
            throw;
        }
    }

    /// <summary>Writes <paramref name="lines"/> as UTF-8 text (no BOM), each followed by
    /// <see cref="Environment.NewLine"/>, atomically.</summary>
    /// <param name="path">The file to write; its folder must exist.</param>
    /// <param name="lines">The lines, enumerated once while the temp file is written.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> names a folder or has no folder part.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    /// <exception cref="IOException">A folder named <paramref name="path"/> exists, or the write or rename failed.</exception>
    public static void WriteAllLines(string path, IEnumerable<string> lines) => Write(path, s =>
    {
        using var writer = new StreamWriter(s, leaveOpen: true);
        foreach (var line in lines) writer.WriteLine(line);
    });

    /// <summary>
    /// True for a name of this class's temp files (<c>.{name}.{32 hex digits}.tmp</c>). One left behind means its
    /// writer was killed (kill -9, power loss) before the rename; nothing else reads it, so a resume removes it.
    /// </summary>
    /// <param name="fileName">A file name without its folder.</param>
    public static bool IsTempName(string fileName) =>
        fileName.Length >= 39 && fileName[0] == '.' && fileName.EndsWith(".tmp", StringComparison.Ordinal) && fileName[^37] == '.'
        && fileName.AsSpan(fileName.Length - 36, 32).IndexOfAnyExcept("0123456789abcdef") < 0;

    /// <summary>Deletes this class's temp files left under <paramref name="folder"/> (recursively); returns how many.
    /// Call only when no other writer works in that folder.</summary>
    /// <param name="folder">The folder to clean; it must exist. Symbolic links and unreadable folders are skipped.</param>
    /// <returns>How many temp files were found and deleted (a delete that fails for I/O or permission reasons is
    /// ignored, and still counted).</returns>
    public static int RemoveStale(string folder)
    {
        int removed = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var file in Directory.EnumerateFiles(folder, ".*.tmp", options))
            if (IsTempName(Path.GetFileName(file)))
            {
                Discard(file);
                removed++;
            }
        return removed;
    }

    private static (string Full, string Temp) Prepare(string path)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        string name = Path.GetFileName(full);
        if (name.Length == 0) throw new ArgumentException($"'{path}' names a folder, not a file.", nameof(path));
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Cannot write '{path}': the folder '{folder}' does not exist.");
        if (Directory.Exists(full))
            throw new IOException($"Cannot write '{path}': a folder with that name exists.");
        return (full, Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp"));
    }

    /// <summary>A write failure (disk full, quota, I/O error) named by the file the user asked for, not the hidden temp file.</summary>
    private static IOException Named(IOException e, string temp, string path)
    {
        string reason = e.Message.Replace($" : '{temp}'", "").Replace($"'{temp}'", $"'{path}'").Replace(temp, path).TrimEnd('.');
        return new IOException($"Cannot write '{path}': {reason}. Check the free space and permissions there, then run again.", e);
    }

    private static void Discard(string temp)
    {
        try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
