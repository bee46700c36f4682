using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Mirage.Codecs;

/// <summary>
/// Opens an input file for reading only when it is a regular file. A FIFO, socket or device named "x.jpg" would
/// block a plain open() or read() forever (a FIFO waits for a writer), so on Unix the type is checked before opening
/// (stat, following links), the file is opened non-blocking, and the type is checked again on the open descriptor
/// (the path may have been swapped in between). Failures are <see cref="ImageDecodeException"/>s naming the file.
/// </summary>
internal static unsafe class RegularFile
{
    // The runtime's own POSIX shim (shipped with every .NET on Unix): a fixed, platform-independent stat layout,
    // unlike libc's struct stat, which differs per architecture. Mode is at offset 4; PAL_S_IF* values below.
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte* status);
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_FStat", SetLastError = true)]
    private static extern int FStat(SafeFileHandle fd, byte* status);
    [DllImport("libc.so.6", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenLinux([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
    [DllImport("libSystem.dylib", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenMac([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    private const int StatusSize = 256; // FileStatus is ~140 bytes; room to spare
    private const int TypeMask = 0xF000, Regular = 0x8000, Directory = 0x4000, Fifo = 0x1000, CharDevice = 0x2000,
        BlockDevice = 0x6000, Socket = 0xC000;

    // open(2) with: read-only, never become the controlling terminal, never block on open or read, close on exec.
    private static int OpenNonBlocking(string path) => OperatingSystem.IsMacOS()
        ? OpenMac(path, 0x4 | 0x20000 | 0x1000000)
        : OpenLinux(path, 0x800 | 0x100 | 0x80000);

    private static bool CheckedByType => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    public static FileStream Open(string path)
    {
        var handle = OpenHandle(path, out _);
        try
        {
            return new FileStream(handle, FileAccess.Read, bufferSize: 1);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The checks of <see cref="Open"/>, returning the bare handle and the size the descriptor's fstat saw. The pipeline's
    /// whole-file read uses it: a FileStream over the handle would add an fstat and three lseeks per file
    /// (stat, open, fstat, pread, close is all a read needs).
    /// </summary>
    public static SafeFileHandle OpenHandle(string path, out long size)
    {
        if (!CheckedByType)
        {
            var plain = OpenPlain(path);
            size = RandomAccess.GetLength(plain);
            return plain;
        }
        byte* status = stackalloc byte[StatusSize];
        if (Stat(path, status) != 0) throw Missing(path, Marshal.GetLastPInvokeError());
        RequireRegular(path, ModeOf(status));
        int fd = OpenNonBlocking(path);
        if (fd < 0) throw Missing(path, Marshal.GetLastPInvokeError());
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (FStat(handle, status) != 0) throw Missing(path, Marshal.GetLastPInvokeError());
            RequireRegular(path, ModeOf(status)); // the path may now name something else
            size = SizeOf(status);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    // FileStatus: int32 Flags, int32 Mode, uint32 Uid, uint32 Gid, int64 Size, ...
    private static long SizeOf(byte* status) => *(long*)(status + 16);

    private static int ModeOf(byte* status) => *(int*)(status + 4);

    private static void RequireRegular(string path, int mode)
    {
        string? what = (mode & TypeMask) switch
        {
            Regular => null,
            Directory => "is a folder, not a file",
            Fifo => "not a regular file (a named pipe, FIFO); only regular files are read as images",
            CharDevice or BlockDevice => "not a regular file (a device); only regular files are read as images",
            Socket => "not a regular file (a socket); only regular files are read as images",
            _ => "not a regular file; only regular files are read as images",
        };
        if (what is not null) throw new ImageDecodeException(path, what);
    }

    private static ImageDecodeException Missing(string path, int errno)
    {
        // Linux and macOS agree on these errno values.
        const int ENOENT = 2, EACCES = 13, ENOTDIR = 20, ELOOP_LINUX = 40, ELOOP_MAC = 62;
        string reason = errno switch
        {
            ENOENT or ENOTDIR => IsLink(path) ? "broken symbolic link (its target does not exist)" : "file not found",
            EACCES => "access denied",
            ELOOP_LINUX when OperatingSystem.IsLinux() => "symbolic link loop (too many levels of links)",
            ELOOP_MAC when OperatingSystem.IsMacOS() => "symbolic link loop (too many levels of links)",
            _ => $"cannot open the file: {Marshal.GetPInvokeErrorMessage(errno)}",
        };
        return new ImageDecodeException(path, reason);
    }

    private static bool IsLink(string path)
    {
        try { return new FileInfo(path).LinkTarget is not null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    private static SafeFileHandle OpenPlain(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ImageDecodeException(path, "file not found", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ImageDecodeException(path, System.IO.Directory.Exists(path) ? "is a folder, not a file" : "access denied", e);
        }
        catch (Exception e) when (e is IOException or ArgumentException or NotSupportedException)
        {
            throw new ImageDecodeException(path, $"cannot open the file: {e.Message}", e);
        }
    }
}
