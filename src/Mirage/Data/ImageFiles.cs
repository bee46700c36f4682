namespace Mirage.Data;

/// <summary>Finding image files as Keras does: its extension list (plus webp), case-insensitive, sorted walk.</summary>
public static class ImageFiles
{
    /// <summary>
    /// Keras's white_list_formats plus webp and gif: every format <see cref="Codecs.ImageDecoder"/> reads, so a folder
    /// command takes what `mirage preview` takes (Keras 1.1.0 leaves .webp and .gif files out of its folder flows).
    /// </summary>
    public static IReadOnlyList<string> Extensions { get; } = ["png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff", "webp", "gif"];

    public static bool HasImageExtension(string fileName)
    {
        foreach (var ext in Extensions)
            if (fileName.Length > ext.Length && fileName[^(ext.Length + 1)] == '.' && fileName.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
                return true;
        return false;
    }

    /// <summary>Sorted names of the sub-folders of <paramref name="directory"/> (Keras's class discovery).</summary>
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
    public static IReadOnlyList<string> Enumerate(string directory, bool followLinks, Action<string>? onCycle = null) =>
        Stream(directory, followLinks, onCycle).ToList();

    /// <summary><see cref="Enumerate"/> one folder at a time: only the folder list and one folder's names are held.</summary>
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
    public static int[] Split(int count, double split, Subset subset, SplitMode mode = SplitMode.Head, ulong seed = 0, long stream = 0)
    {
        if (!(split >= 0 && split < 1)) throw new ArgumentOutOfRangeException(nameof(split), split, "validation_split must be in [0, 1).");
        int k = (int)(split * count);
        if (mode == SplitMode.Head)
            return subset == Subset.Validation ? Enumerable.Range(0, k).ToArray() : Enumerable.Range(k, count - k).ToArray();
        var perm = Randomness.Permutation.Of(count, Randomness.RandomStream.For(seed, -2, stream));
        var pick = subset == Subset.Validation ? perm.AsSpan(0, k).ToArray() : perm.AsSpan(k).ToArray();
        Array.Sort(pick);
        return pick;
    }
}
