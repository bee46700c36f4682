// One copy of the ELF patcher: compiled into Mirage.TorchSharp (MIRAGE_TORCHSHARP_LIBRARY defined, no MSBuild task)
// and by the MSBuild inline task in Mirage.TorchSharp.targets (RoslynCodeTaskFactory, netstandard2.0 references:
// hence byte[] and BitConverter rather than spans, and File.Replace rather than File.Move(overwrite)).
#nullable enable
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace Mirage.TorchSharp.Native
{
    /// <summary>One version requirement of a shared library (.gnu.version_r): library, version name, flags.</summary>
    public sealed class ElfVersionNeed
    {
        /// <summary>One entry as read from .gnu.version_r.</summary>
        public ElfVersionNeed(string file, string version, ushort flags, ushort index, int flagsOffset)
        {
            File = file;
            Version = version;
            Flags = flags;
            Index = index;
            FlagsOffset = flagsOffset;
        }

        /// <summary>The library the version is needed from, e.g. libstdc++.so.6.</summary>
        public string File { get; }
        /// <summary>The version name, e.g. GLIBCXX_3.4.32.</summary>
        public string Version { get; }
        /// <summary>vna_flags: <see cref="ElfImage.VerFlgWeak"/> marks a requirement the loader may do without.</summary>
        public ushort Flags { get; }
        /// <summary>vna_other: the index symbols bound to this version carry in .gnu.version.</summary>
        public ushort Index { get; }
        /// <summary>File offset of vna_flags (2 bytes, little-endian).</summary>
        public int FlagsOffset { get; }
        /// <summary>True when the loader may start without this version.</summary>
        public bool IsWeak => (Flags & ElfImage.VerFlgWeak) != 0;
    }

    /// <summary>
    /// A little-endian ELF64 shared library held in memory: its version requirements (.gnu.version_r), version
    /// definitions (.gnu.version_d) and which undefined dynamic symbols bind to which version. Only vna_flags is ever
    /// written; every other byte stays as read.
    /// </summary>
    public sealed class ElfImage
    {
        /// <summary>VER_FLG_WEAK: a version requirement the loader may do without.</summary>
        public const ushort VerFlgWeak = 0x2;
        private const uint ShtDynsym = 11, ShtGnuVerdef = 0x6ffffffd, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;

        private readonly string _name;
        private readonly List<Section> _sections = new List<Section>();

        private ElfImage(byte[] bytes, string name)
        {
            Bytes = bytes;
            _name = name;
            if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
                throw Bad("is not an ELF file (no \\x7fELF magic)");
            if (bytes[4] != 2) throw Bad(bytes[4] == 1 ? "is a 32-bit ELF file; only ELF64 is supported" : "has an unknown ELF class " + bytes[4]);
            if (bytes[5] != 1) throw Bad(bytes[5] == 2 ? "is big-endian; only little-endian ELF is supported" : "has an unknown ELF data encoding " + bytes[5]);
            ReadSections();
            Needs = ReadNeeds();
            Definitions = ReadDefinitions();
        }

        /// <summary>The file's bytes; <see cref="MarkWeak"/> changes them in place.</summary>
        public byte[] Bytes { get; }
        /// <summary>Every version requirement of the file, in file order.</summary>
        public IReadOnlyList<ElfVersionNeed> Needs { get; private set; }
        /// <summary>Version names the library defines (empty for one without .gnu.version_d).</summary>
        public IReadOnlyList<string> Definitions { get; }

        /// <summary>Reads the ELF file at <paramref name="path"/>.</summary>
        public static ElfImage Read(string path) => new ElfImage(System.IO.File.ReadAllBytes(path), path);

        /// <summary>Parses ELF bytes; <paramref name="name"/> names the file in errors.</summary>
        public static ElfImage Parse(byte[] bytes, string name) => new ElfImage(bytes, name);

        /// <summary>Undefined dynamic symbols that require version index <paramref name="index"/> (vna_other).</summary>
        public IReadOnlyList<string> SymbolsNeeding(ushort index)
        {
            var result = new List<string>();
            Section? dynsym = Find(ShtDynsym), versym = Find(ShtGnuVersym);
            if (dynsym == null || versym == null) return result;
            var strtab = Linked(dynsym);
            long count = dynsym.Size / 24;
            for (long i = 0; i < count; i++)
            {
                long sym = dynsym.Offset + i * 24;
                if (U16(sym + 6) != 0) continue; // st_shndx != SHN_UNDEF: defined here
                if ((U16(versym.Offset + i * 2) & 0x7fff) != index) continue;
                result.Add(Str(strtab, U32(sym)));
            }
            return result;
        }

        /// <summary>Sets VER_FLG_WEAK on <paramref name="need"/> in <see cref="Bytes"/>; false when it was already weak.</summary>
        public bool MarkWeak(ElfVersionNeed need)
        {
            if (need.IsWeak) return false;
            ushort flags = (ushort)(need.Flags | VerFlgWeak);
            Bytes[need.FlagsOffset] = (byte)flags;
            Bytes[need.FlagsOffset + 1] = (byte)(flags >> 8);
            Needs = ReadNeeds();
            return true;
        }

        private sealed class Section
        {
            public uint Type;
            public long Offset, Size;
            public uint Link, Info;
        }

        private void ReadSections()
        {
            long shoff = (long)U64(40);
            int shentsize = U16(58);
            long shnum = U16(60);
            if (shoff == 0) throw Bad("has no section headers");
            if (shentsize != 64) throw Bad("has section headers of " + shentsize + " bytes, not 64");
            if (shnum == 0) shnum = (long)U64(shoff + 32); // extended numbering: the count is section 0's sh_size
            if (shnum <= 0 || shoff + shnum * 64 > Bytes.Length) throw Bad("is truncated: its section headers lie past the end of the file");
            for (long i = 0; i < shnum; i++)
            {
                long h = shoff + i * 64;
                var s = new Section { Type = U32(h + 4), Offset = (long)U64(h + 24), Size = (long)U64(h + 32), Link = U32(h + 40), Info = U32(h + 44) };
                if (s.Type != 8 && (s.Offset < 0 || s.Size < 0 || s.Offset + s.Size > Bytes.Length)) // 8 = SHT_NOBITS
                    throw Bad("is truncated or corrupt: section " + i + " lies past the end of the file");
                _sections.Add(s);
            }
        }

        private List<ElfVersionNeed> ReadNeeds()
        {
            var needs = new List<ElfVersionNeed>();
            var section = Find(ShtGnuVerneed);
            if (section == null) return needs;
            var strtab = Linked(section);
            long at = section.Offset;
            for (uint n = 0; n < section.Info; n++)
            {
                Check(at, 16, section);
                string file = Str(strtab, U32(at + 4));
                int count = U16(at + 2);
                long aux = at + U32(at + 8);
                for (int k = 0; k < count; k++)
                {
                    Check(aux, 16, section);
                    needs.Add(new ElfVersionNeed(file, Str(strtab, U32(aux + 8)), U16(aux + 4), U16(aux + 6), (int)(aux + 4)));
                    uint nextAux = U32(aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                uint next = U32(at + 12);
                if (next == 0) break;
                at += next;
            }
            return needs;
        }

        private List<string> ReadDefinitions()
        {
            var defs = new List<string>();
            var section = Find(ShtGnuVerdef);
            if (section == null) return defs;
            var strtab = Linked(section);
            long at = section.Offset;
            for (uint n = 0; n < section.Info; n++)
            {
                Check(at, 20, section);
                if ((U16(at + 2) & 0x1) == 0) // VER_FLG_BASE names the file itself, not a version
                {
                    long aux = at + U32(at + 12);
                    Check(aux, 8, section);
                    defs.Add(Str(strtab, U32(aux)));
                }
                uint next = U32(at + 16);
                if (next == 0) break;
                at += next;
            }
            return defs;
        }

        private Section? Find(uint type)
        {
            foreach (var s in _sections)
                if (s.Type == type) return s;
            return null;
        }

        private Section Linked(Section s)
        {
            if (s.Link >= _sections.Count) throw Bad("is corrupt: a section links to string table " + s.Link + " of " + _sections.Count);
            return _sections[(int)s.Link];
        }

        private void Check(long at, int length, Section within)
        {
            if (at < within.Offset || at + length > within.Offset + within.Size)
                throw Bad("is corrupt: a version entry lies outside its section");
        }

        private string Str(Section strtab, uint offset)
        {
            long start = strtab.Offset + offset, end = start;
            long limit = strtab.Offset + strtab.Size;
            if (start >= limit) throw Bad("is corrupt: a name lies outside its string table");
            while (end < limit && Bytes[end] != 0) end++;
            return Encoding.UTF8.GetString(Bytes, (int)start, (int)(end - start));
        }

        private ushort U16(long at) { Need(at, 2); return (ushort)(Bytes[at] | Bytes[at + 1] << 8); }
        private uint U32(long at) { Need(at, 4); return BitConverter.IsLittleEndian ? BitConverter.ToUInt32(Bytes, (int)at) : (uint)(U16(at) | U16(at + 2) << 16); }
        private ulong U64(long at) { Need(at, 8); return U32(at) | (ulong)U32(at + 4) << 32; }

        private void Need(long at, int length)
        {
            if (at < 0 || at + length > Bytes.Length) throw Bad("is truncated: a header lies past the end of the file");
        }

        private InvalidDataException Bad(string what) => new InvalidDataException("'" + _name + "' " + what + ".");
    }

    /// <summary>What <see cref="LibStdCxxCompat.Patch"/> did to a file.</summary>
    public enum PatchOutcome
    {
        /// <summary>The system library defines every version the file needs; nothing to do.</summary>
        NotNeeded,
        /// <summary>The missing versions were already weak (patched before).</summary>
        AlreadyPatched,
        /// <summary>The missing versions are now weak; the file was rewritten atomically.</summary>
        Patched,
        /// <summary>A missing version binds real symbols; weakening it would only move the failure to a call. Untouched.</summary>
        Unfixable,
    }

    /// <summary>
    /// TorchSharp 0.107.0's libLibTorchSharp.so is linked against GCC 13's libstdc++ and requires GLIBCXX_3.4.32,
    /// which Debian 12 / Ubuntu 22.04 lack; the load fails (reported as "libtorch-cpu-linux-x64 is not restored").
    /// The only symbol it takes from that version is the marker std::ios_base_library_init(), which nothing calls, so
    /// marking the requirement weak (VER_FLG_WEAK) lets the loader go on. Versions that bind anything else are never
    /// weakened.
    /// </summary>
    public static class LibStdCxxCompat
    {
        /// <summary>The system library whose symbol versions are checked.</summary>
        public const string Library = "libstdc++.so.6";

        /// <summary>Symbols that only mark a version (GCC 13's &lt;iostream&gt; initialization marker).</summary>
        public static readonly IReadOnlyList<string> MarkerSymbols = new[] { "_ZSt21ios_base_library_initv" };

        private static readonly string[] Candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        };

        /// <summary>The libstdc++.so.6 the dynamic loader would pick (ldconfig's cache first), or null.</summary>
        public static string? FindSystemLibrary()
        {
            try
            {
                var info = new ProcessStartInfo("ldconfig", "-p") { RedirectStandardOutput = true, UseShellExecute = false, CreateNoWindow = true };
                using (var p = Process.Start(info))
                {
                    if (p != null)
                    {
                        string output = p.StandardOutput.ReadToEnd();
                        p.WaitForExit();
                        foreach (var line in output.Split('\n'))
                        {
                            // "\tlibstdc++.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libstdc++.so.6"
                            var t = line.Trim();
                            int arrow = t.IndexOf("=> ", StringComparison.Ordinal);
                            if (!t.StartsWith(Library + " ", StringComparison.Ordinal) || arrow < 0) continue;
                            if (IntPtr.Size == 8 && t.IndexOf("64", StringComparison.Ordinal) < 0) continue; // a 32-bit copy
                            string path = t.Substring(arrow + 3).Trim();
                            if (System.IO.File.Exists(path)) return path;
                        }
                    }
                }
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception || e is InvalidOperationException)
            {
                // no ldconfig on PATH: try the usual places
            }
            foreach (var c in Candidates)
                if (System.IO.File.Exists(c)) return c;
            return null;
        }

        /// <summary>Version names the library at <paramref name="path"/> defines (e.g. GLIBCXX_3.4.30).</summary>
        public static HashSet<string> DefinedVersions(string path) => new HashSet<string>(ElfImage.Read(path).Definitions, StringComparer.Ordinal);

        /// <summary>
        /// Marks weak every version <paramref name="path"/> needs from libstdc++.so.6 that <paramref name="available"/>
        /// lacks, provided only marker symbols bind to it. Idempotent; writes atomically and only when a byte changes.
        /// </summary>
        public static PatchOutcome Patch(string path, ICollection<string> available, out string message)
        {
            var elf = ElfImage.Read(path);
            var missing = new List<ElfVersionNeed>();
            foreach (var need in elf.Needs)
                if (need.File == Library && !available.Contains(need.Version)) missing.Add(need);
            if (missing.Count == 0)
            {
                message = "'" + path + "': the system's " + Library + " defines every version it needs.";
                return PatchOutcome.NotNeeded;
            }
            var names = new List<string>();
            foreach (var need in missing)
            {
                names.Add(need.Version);
                foreach (var symbol in elf.SymbolsNeeding(need.Index))
                    if (((IList<string>)MarkerSymbols).IndexOf(symbol) < 0)
                    {
                        message = "'" + path + "' needs " + need.Version + " from " + Library + " for " + symbol +
                                  ", which the system's library lacks; install a newer libstdc++ (GCC 13 or later) to use it.";
                        return PatchOutcome.Unfixable;
                    }
            }
            bool changed = false;
            foreach (var need in missing)
                foreach (var current in elf.Needs)
                    if (current.FlagsOffset == need.FlagsOffset) changed |= elf.MarkWeak(current);
            if (!changed)
            {
                message = "'" + path + "': " + string.Join(", ", names) + " already marked weak.";
                return PatchOutcome.AlreadyPatched;
            }
            WriteAtomically(path, elf.Bytes);
            message = "'" + path + "': marked " + string.Join(", ", names) + " weak (the system's " + Library + " lacks it; only a marker symbol uses it).";
            return PatchOutcome.Patched;
        }

        /// <summary>Writes next to <paramref name="path"/>, keeps its permissions, then renames over it.</summary>
        public static void WriteAtomically(string path, byte[] bytes)
        {
            string full = Path.GetFullPath(path);
            string temp = Path.Combine(Path.GetDirectoryName(full) ?? ".", "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                bool exists = System.IO.File.Exists(full);
                if (exists) System.IO.File.Copy(full, temp, true); // the copy carries the permissions over
                using (var stream = new FileStream(temp, exists ? FileMode.Truncate : FileMode.CreateNew, FileAccess.Write))
                {
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(true);
                }
                if (exists) System.IO.File.Replace(temp, full, null);
                else System.IO.File.Move(temp, full);
            }
            finally
            {
                if (System.IO.File.Exists(temp)) System.IO.File.Delete(temp);
            }
        }
    }

#if !MIRAGE_TORCHSHARP_LIBRARY
    /// <summary>MSBuild task: patches the given files (when present) if the system's libstdc++ needs it.</summary>
    public sealed class MiragePatchLibStdCxx : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = new Microsoft.Build.Framework.ITaskItem[0];

        /// <summary>Overrides the libstdc++.so.6 to check against.</summary>
        public string? SystemLibrary { get; set; }

        public override bool Execute()
        {
            string? system = string.IsNullOrEmpty(SystemLibrary) ? LibStdCxxCompat.FindSystemLibrary() : SystemLibrary;
            if (system == null)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "Mirage.TorchSharp: no libstdc++.so.6 found; nothing patched.");
                return true;
            }
            var available = LibStdCxxCompat.DefinedVersions(system);
            foreach (var item in Files)
            {
                if (!System.IO.File.Exists(item.ItemSpec)) continue;
                var outcome = LibStdCxxCompat.Patch(item.ItemSpec, available, out string message);
                if (outcome == PatchOutcome.Unfixable) Log.LogWarning("Mirage.TorchSharp: " + message);
                else Log.LogMessage(outcome == PatchOutcome.Patched ? Microsoft.Build.Framework.MessageImportance.Normal : Microsoft.Build.Framework.MessageImportance.Low, "Mirage.TorchSharp: " + message);
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
