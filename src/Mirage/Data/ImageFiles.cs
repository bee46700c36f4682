namespace Mirage.Data;

/// <summary>Finding image files as Keras does: its extension list (plus webp), case-insensitive, sorted walk.</summary>
public static class ImageFiles
{
    /// <summary>
    /// Keras's white_list_formats plus webp and gif: every format <see cref="Codecs.ImageDecoder"/> reads, so a folder
    /// command takes what `mirage preview` takes (Keras 1.1.0 leaves .webp and .gif files out of its folder flows).
    /// </summary>
    public static IReadOnlyList<string> Extensions { get; } = ["png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff", "webp", "gif"];

    /// <summary>True when <paramref name="fileName"/> ends in a dot and one of <see cref="Extensions"/>, in any case
    /// (<c>x.JPG</c> yes, <c>.jpg</c> alone or <c>xjpg</c> no).</summary>
    /// <param name="fileName">A file name or path.</param>
    public static bool HasImageExtension(string fileName)
    {
        foreach (var ext in Extensions)
            if (fileName.Length > ext.Length && fileName[^(ext.Length + 1)] == '.' && fileName.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
                return true;
        return false;
    }

    /// <summary>Sorted names of the sub-folders of <paramref name="directory"/> (Keras's class discovery).</summary>
    /// <param name="directory">The dataset folder.</param>
    /// <returns>Folder names (not paths) in code-point order, as Python's sorted(); linked folders included.</returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist or is a file.</exception>
    public static IReadOnlyList<string> DiscoverClasses(string directory)
    {
        RequireDirectory(directory);
        return new DirectoryInfo(directory).EnumerateDirectories()
            .Select(d => d.Name).OrderBy(n => n, CodePointComparer.Instance).ToArray();
    }

    /// <summary>
    /// Image files under <paramref name="directory"/>, in Keras's order: folders sorted by full path (os.walk sorted by
    /// root), files sorted by name within each. With <paramref name="followLinks"/>, linked folders are entered; a link
    /// back to one of its own ancestors (a cycle) is reported through <paramref name="onCycle"/> and not entered.
    /// Paths are relative to <paramref name="directory"/>.
    /// </summary>
    /// <param name="directory">The folder to walk.</param>
    /// <param name="followLinks">Enter symbolic links to folders (Keras's follow_links).</param>
    /// <param name="onCycle">Called with the full path of each link not entered because it forms a cycle; or null.</param>
    /// <remarks>Unreadable folders are skipped silently.</remarks>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist or is a file.</exception>
    public static IReadOnlyList<string> Enumerate(string directory, bool followLinks, Action<string>? onCycle = null) =>
        Stream(directory, followLinks, onCycle).ToList();

    /// <summary><see cref="Enumerate"/> one folder at a time: only the folder list and one folder's names are held.</summary>
    /// <param name="directory">The folder to walk.</param>
    /// <param name="followLinks">Enter symbolic links to folders.</param>
    /// <param name="onCycle">Called for each link not entered because it forms a cycle; or null.</param>
    /// <remarks>The folder tree is walked at once (and a missing folder throws at once); the files of each folder are
    /// listed as the enumeration reaches it.</remarks>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist or is a file.</exception>
    public static IEnumerable<string> Stream(string directory, bool followLinks, Action<string>? onCycle = null)
    {
        RequireDirectory(directory);
        var root = Path.GetFullPath(directory);
        var folders = new List<string>();
        Walk(root, RealPath(root), [], folders, followLinks, onCycle);
        folders.Sort(CodePointComparer.Instance);
        return Files(root, folders);
    }

    private static IEnumerable<string> Files(string root, List<string> folders)
    {
        foreach (var folder in folders)
        {
            List<string> names;
            try
            {
                names = new DirectoryInfo(folder).EnumerateFiles().Where(f => HasImageExtension(f.Name)).Select(f => f.Name).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            names.Sort(CodePointComparer.Instance);
            string relFolder = Path.GetRelativePath(root, folder);
            foreach (var n in names) yield return relFolder == "." ? n : Path.Combine(relFolder, n);
        }
    }

    private static void Walk(string folder, string real, HashSet<string> ancestors, List<string> folders, bool followLinks, Action<string>? onCycle)
    {
        folders.Add(folder);
        ancestors.Add(real);
        DirectoryInfo[] subs;
        try { subs = new DirectoryInfo(folder).GetDirectories(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { subs = []; }
        foreach (var sub in subs)
        {
            bool isLink = sub.LinkTarget is not null;
            if (isLink && !followLinks) continue;
            string subReal = isLink ? RealPath(sub.FullName) : Path.Combine(real, sub.Name);
            if (ancestors.Contains(subReal))
            {
                onCycle?.Invoke(sub.FullName);
                continue;
            }
            Walk(sub.FullName, subReal, ancestors, folders, followLinks, onCycle);
        }
        ancestors.Remove(real);
    }

    private static string RealPath(string path)
    {
        var info = new DirectoryInfo(path);
        if (info.LinkTarget is null) return info.FullName.TrimEnd(Path.DirectorySeparatorChar);
        try
        {
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            return target is null ? info.FullName : Path.GetFullPath(target.FullName).TrimEnd(Path.DirectorySeparatorChar);
        }
        catch (IOException)
        {
            return info.FullName; // a broken or too-deep link: treated as its own path
        }
    }

    internal static void RequireDirectory(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException(File.Exists(directory)
                ? $"'{directory}' is a file, not a folder: pass the folder that holds the images (it is searched recursively)."
                : $"The folder '{directory}' does not exist; check the path.");
    }

    /// <summary>The log line for a linked folder not entered because it links back to one of its own parents.</summary>
    internal static Action<string>? LogCycles(TextWriter? log) =>
        log is null ? null : cycle => log.WriteLine($"mirage: not following '{cycle}': it links back to one of its own parent folders");

    /// <summary>
    /// Keras's validation split of <paramref name="count"/> items: validation = the first int(count · split)
    /// (or, <see cref="SplitMode.Shuffled"/>, a seeded random pick of that many), training = the rest. Positions come back sorted.
    /// </summary>
    /// <param name="count">Items to split.</param>
    /// <param name="split">Keras's validation_split, in [0, 1).</param>
    /// <param name="subset">Which side to return.</param>
    /// <param name="mode">Head (Keras) or Shuffled.</param>
    /// <param name="seed">Seed of the shuffled pick; the same seed gives complementary sides.</param>
    /// <param name="stream">Distinguishes independent picks under one seed (the class index for folders).</param>
    /// <returns>The chosen positions, ascending.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="split"/> is outside [0, 1).</exception>
    public static int[] Split(int count, double split, Subset subset, SplitMode mode = SplitMode.Head, ulong seed = 0, long stream = 0)
    {
        if (!(split >= 0 && split < 1)) throw new ArgumentOutOfRangeException(nameof(split), split, "validation_split must be in [0, 1).");
        int k = (int)(split * count);
        if (mode == SplitMode.Head)
            return subset == Subset.Validation ? Enumerable.Range(0, k).ToArray() : Enumerable.Range(k, count - k).ToArray();
        var perm = Randomness.Permutation.Of(count, Randomness.StreamKeys.ValidationSplit(seed, stream));
        var pick = subset == Subset.Validation ? perm.AsSpan(0, k).ToArray() : perm.AsSpan(k).ToArray();
        Array.Sort(pick);
        return pick;
    }
}
