using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Mirage.Imaging;

namespace Mirage.Codecs;

/// <summary>
/// Decodes a baseline JPEG at 1/8 scale to exactly the bytes libjpeg-turbo's tjDecompress2 gives at 1/8: each block at
/// 1/8 is its DC value (libjpeg's 1×1 "IDCT"), chroma that 4:2:0 keeps at 1/4 goes through libjpeg's 2×2 islow IDCT,
/// other subsampled chroma is box-upsampled (libjpeg does no fancy upsampling at this scale), and YCbCr → RGB uses
/// libjpeg's integer tables.
/// </summary>
/// <remarks>
/// Why: at 1/8 scale libjpeg-turbo spends almost all its time Huffman-decoding AC coefficients it then throws away, so a
/// camera-size photo decoded for a 224² target costs about half its full decode. Here the entropy data is un-stuffed
/// once, and AC codes are skipped several at a time: one lookup of the next <see cref="SkipBits"/> bits gives the length
/// of the whole codes (with their extra bits) it holds. The 2×2 IDCT follows libjpeg-turbo's x86-64 SSE2 kernel, the one
/// tjDecompress2 runs, so even corrupt coefficients give its bytes. Anything else —
/// progressive or arithmetic coding, 12-bit, CMYK or RGB JPEGs, 4:1:1, separate scans per component, extraneous bytes,
/// a bad code, data past a marker — returns false and the caller decodes with libjpeg-turbo as before, so what a
/// caller gets never depends on which of the two decoded it.
/// </remarks>
internal static class JpegEighthDecoder
{
    private const int DcBits = 9, AcBits = 11, SkipBits = 13;
    private const int SkipEndsBlock = 1 << 14;
    /// <summary>How far an end of block moves the coefficient index: past any index a block can otherwise reach (≤ 79).</summary>
    private const int EndOfBlock = 128;

    /// <summary>
    /// The default of <see cref="MirageConfiguration.EighthScaleJpegDecoder"/>: true unless the environment variable
    /// MIRAGE_DISABLE_EIGHTH_DECODER=1 (or true) was set at start-up.
    /// </summary>
    internal static readonly bool EnabledByEnvironment = Environment.GetEnvironmentVariable("MIRAGE_DISABLE_EIGHTH_DECODER") is not ("1" or "true");

    /// <summary>
    /// True when tjDecompress2, asked for <paramref name="scaledWidth"/>×<paramref name="scaledHeight"/>, decodes at 1/8:
    /// that is the 1/8 size, and no larger scale gives it too (tjDecompress2 takes the largest scale that fits, so a
    /// JPEG of at most 4×4 pixels goes at 1/4 or more).
    /// </summary>
    public static bool IsEighthScale(int width, int height, int scaledWidth, int scaledHeight) =>
        scaledWidth == (width + 7) / 8 && scaledHeight == (height + 7) / 8 && (width > 4 || height > 4);

    /// <summary>
    /// Width and height from the frame header (any SOFn), walking the markers before it; false when the stream does not
    /// get that far. For choosing a scale when libjpeg-turbo is missing; decoding checks far more.
    /// </summary>
    public static bool TryReadSize(ReadOnlySpan<byte> d, out int width, out int height)
    {
        width = height = 0;
        if (d.Length < 4 || d[0] != 0xFF || d[1] != 0xD8) return false;
        int pos = 2;
        while (pos + 4 <= d.Length && d[pos] == 0xFF)
        {
            while (pos < d.Length && d[pos] == 0xFF) pos++;
            if (pos + 3 > d.Length) return false;
            int marker = d[pos++], length = BinaryPrimitives.ReadUInt16BigEndian(d[pos..]);
            if (length < 2 || pos + length > d.Length) return false;
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                if (length < 7) return false;
                (height, width) = (BinaryPrimitives.ReadUInt16BigEndian(d[(pos + 3)..]), BinaryPrimitives.ReadUInt16BigEndian(d[(pos + 5)..]));
                return width > 0 && height > 0;
            }
            if (marker is 0xDA or 0xD9) return false;
            pos += length;
        }
        return false;
    }

    /// <summary>Decodes <paramref name="data"/> at 1/8 scale; false (and no image) when this decoder does not handle it.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, ColorMode mode, out Image<byte>? image)
    {
        image = null;
        var frame = new Frame();
        if (!frame.ParseHeaders(data, out int scanStart)) return false;
        if (!frame.Plan()) return false;

        var planes = new byte[frame.Components.Length][];
        try
        {
            for (int i = 0; i < planes.Length; i++)
                planes[i] = ArrayPool<byte>.Shared.Rent(frame.Components[i].PlaneStride * frame.Components[i].PlaneHeight);
            if (!DecodeScan(data, scanStart, frame, planes)) return false;
            image = Convert(frame, planes, mode);
            return true;
        }
        finally
        {
            foreach (var p in planes)
                if (p is not null) ArrayPool<byte>.Shared.Return(p);
        }
    }

    private sealed class Component
    {
        public int Index, Id, H, V, QuantTable, DcTable, AcTable;
        /// <summary>Output pixels per block side at 1/8 (1, or 2 for 4:2:0 chroma) and the box-upsampling factors after it.</summary>
        public int Scale, UpX, UpY;
        public int BlocksPerLine, BlockRows, PlaneStride, PlaneHeight;
        public short[] Quant = [];
    }

    private sealed class Huffman
    {
        public readonly int[] MaxCode = new int[17];
        public readonly int[] ValOffset = new int[17];
        public readonly byte[] Values = new byte[256];
        /// <summary>DC: (symbol &lt;&lt; 16) | code length. AC: see <see cref="AcEntry"/>. 0: decode bit by bit.</summary>
        public int[] Fast = [];
        /// <summary>
        /// AC only: for each <see cref="SkipBits"/>-bit window, the whole codes (with their extra bits) it holds, up to
        /// and including an end of block: bits 0–3 their length, 8–13 how far they advance the coefficient index (end
        /// of block not counted; 63 when 63 or more), <see cref="SkipEndsBlock"/> when the last is an end of block.
        /// 0: no whole code. 16 bits an entry so the table stays in L1.
        /// </summary>
        public ushort[] Skip = [];
    }

    private sealed class Frame
    {
        public int Width, Height, RestartInterval;
        public Component[] Components = [];
        /// <summary>The scan's components, in the scan's order.</summary>
        public Component[] Scan = [];
        public readonly short[]?[] Quant = new short[]?[4];
        public readonly Huffman?[] Dc = new Huffman?[4], Ac = new Huffman?[4];
        public int McusPerLine, McuRows, MaxH, MaxV;
        private bool _jfif, _adobe;
        private int _adobeTransform;

        public bool ParseHeaders(ReadOnlySpan<byte> d, out int scanStart)
        {
            scanStart = 0;
            if (d.Length < 4 || d[0] != 0xFF || d[1] != 0xD8) return false;
            int pos = 2;
            bool sawFrame = false;
            while (true)
            {
                // libjpeg warns (and tjDecompress2 with stop-on-warning fails) on bytes between segments.
                if (pos >= d.Length || d[pos] != 0xFF) return false;
                while (pos < d.Length && d[pos] == 0xFF) pos++;
                if (pos + 2 >= d.Length) return false;
                int marker = d[pos++];
                int length = BinaryPrimitives.ReadUInt16BigEndian(d[pos..]);
                if (length < 2 || pos + length > d.Length) return false;
                var seg = d.Slice(pos + 2, length - 2);
                pos += length;
                switch (marker)
                {
                    case 0xC0 or 0xC1:
                        if (sawFrame || !ParseFrame(seg)) return false;
                        sawFrame = true;
                        break;
                    case 0xC4:
                        if (!ParseHuffman(seg)) return false;
                        break;
                    case 0xDB:
                        if (!ParseQuant(seg)) return false;
                        break;
                    case 0xDD:
                        if (seg.Length != 2) return false;
                        RestartInterval = BinaryPrimitives.ReadUInt16BigEndian(seg);
                        break;
                    case 0xDA:
                        if (!sawFrame || !ParseScan(seg)) return false;
                        scanStart = pos;
                        return true;
                    case 0xE0:
                        if (seg.Length >= 14 && seg[..5].SequenceEqual("JFIF\0"u8))
                        {
                            if (seg[5] is not (1 or 2)) return false; // libjpeg warns of an unknown JFIF major version
                            _jfif = true;
                        }
                        break;
                    case 0xEE:
                        if (seg.Length >= 12 && seg[..5].SequenceEqual("Adobe"u8)) (_adobe, _adobeTransform) = (true, seg[11]);
                        break;
                    case >= 0xE1 and <= 0xEF or 0xFE:
                        break; // other APPn, COM
                    default:
                        return false; // progressive/arithmetic/lossless frames, DNL, stray SOI/EOI/RSTn, …
                }
            }
        }

        private bool ParseFrame(ReadOnlySpan<byte> s)
        {
            if (s.Length < 6 || s[0] != 8) return false; // 8-bit samples only
            Height = BinaryPrimitives.ReadUInt16BigEndian(s[1..]);
            Width = BinaryPrimitives.ReadUInt16BigEndian(s[3..]);
            int n = s[5];
            if (Height == 0 || Width == 0 || n is not (1 or 3) || s.Length != 6 + 3 * n) return false;
            Components = new Component[n];
            for (int i = 0; i < n; i++)
            {
                var c = Components[i] = new Component
                {
                    Index = i, Id = s[6 + 3 * i], H = s[7 + 3 * i] >> 4, V = s[7 + 3 * i] & 15, QuantTable = s[8 + 3 * i],
                };
                if (c.H is < 1 or > 4 || c.V is < 1 or > 4 || c.QuantTable > 3) return false;
                for (int j = 0; j < i; j++)
                    if (Components[j].Id == c.Id) return false; // libjpeg renames duplicate ids; not worth following
            }
            return true;
        }

        private bool ParseQuant(ReadOnlySpan<byte> s)
        {
            while (!s.IsEmpty)
            {
                int precision = s[0] >> 4, id = s[0] & 15;
                int size = precision == 0 ? 64 : 128;
                if (precision > 1 || id > 3 || s.Length < 1 + size) return false;
                var q = new short[64];
                // Tables arrive in zigzag order; libjpeg keeps them as 16-bit multipliers in natural order.
                for (int k = 0; k < 64; k++)
                    q[ZigZag[k]] = (short)(precision == 0 ? s[1 + k] : BinaryPrimitives.ReadUInt16BigEndian(s[(1 + 2 * k)..]));
                Quant[id] = q;
                s = s[(1 + size)..];
            }
            return true;
        }

        private bool ParseHuffman(ReadOnlySpan<byte> s)
        {
            while (!s.IsEmpty)
            {
                if (s.Length < 17) return false;
                int cls = s[0] >> 4, id = s[0] & 15;
                if (cls > 1 || id > 3) return false;
                var counts = s.Slice(1, 16);
                int total = 0;
                foreach (byte c in counts) total += c;
                if (total > 256 || s.Length < 17 + total) return false;
                var table = CachedHuffman(s[..(17 + total)], dc: cls == 0);
                if (table is null) return false;
                (cls == 0 ? Dc : Ac)[id] = table;
                s = s[(17 + total)..];
            }
            return true;
        }

        private bool ParseScan(ReadOnlySpan<byte> s)
        {
            if (s.Length < 1) return false;
            int n = s[0];
            // One interleaved scan holding every component; Ss = 0, Se = 63, Ah = Al = 0 (sequential).
            if (n != Components.Length || s.Length != 4 + 2 * n) return false;
            if (s[1 + 2 * n] != 0 || s[2 + 2 * n] != 63 || s[3 + 2 * n] != 0) return false;
            Scan = new Component[n];
            for (int i = 0; i < n; i++)
            {
                int id = s[1 + 2 * i];
                var c = Array.Find(Components, x => x.Id == id);
                if (c is null || Array.IndexOf(Scan, c) >= 0) return false;
                c.DcTable = s[2 + 2 * i] >> 4;
                c.AcTable = s[2 + 2 * i] & 15;
                if (c.DcTable > 3 || c.AcTable > 3 || Dc[c.DcTable] is null || Ac[c.AcTable] is null) return false;
                Scan[i] = c;
            }
            return true;
        }

        /// <summary>Block grid, per-component 1/8 scale and upsampling, as libjpeg-turbo's jdmaster/jdsample choose them.</summary>
        public bool Plan()
        {
            if (Components.Length == 3)
            {
                // libjpeg's guess of the colour space (default_decompress_parms); only YCbCr is handled here.
                bool ycc = _jfif || (_adobe ? _adobeTransform == 1 : !(Components[0].Id == 82 && Components[1].Id == 71 && Components[2].Id == 66));
                if (!ycc) return false;
            }
            foreach (var c in Components)
            {
                if (Quant[c.QuantTable] is not { } q) return false;
                c.Quant = q;
            }
            if (Components.Length == 1)
            {
                // A single-component scan is not interleaved: one block per MCU over the component's own grid.
                var c = Components[0];
                MaxH = MaxV = 1;
                c.H = c.V = c.Scale = c.UpX = c.UpY = 1;
                McusPerLine = c.BlocksPerLine = (Width + 7) / 8;
                McuRows = c.BlockRows = (Height + 7) / 8;
            }
            else
            {
                if (Components.Sum(c => c.H * c.V) > 10) return false; // libjpeg's limit on blocks per MCU
                MaxH = Components.Max(c => c.H);
                MaxV = Components.Max(c => c.V);
                McusPerLine = (Width + 8 * MaxH - 1) / (8 * MaxH);
                McuRows = (Height + 8 * MaxV - 1) / (8 * MaxV);
                foreach (var c in Components)
                {
                    // jpeg_core_output_dimensions: a component's DCT size doubles while it still divides the frame's.
                    int size = 1;
                    while (size < 8 && MaxH % (c.H * size * 2) == 0 && MaxV % (c.V * size * 2) == 0) size *= 2;
                    if (size > 2 || MaxH % (c.H * size) != 0 || MaxV % (c.V * size) != 0) return false;
                    c.Scale = size;
                    c.UpX = MaxH / (c.H * size);
                    c.UpY = MaxV / (c.V * size);
                    if (c.UpX > 2 || c.UpY > 2) return false;
                    c.BlocksPerLine = McusPerLine * c.H;
                    c.BlockRows = McuRows * c.V;
                }
            }
            foreach (var c in Components)
            {
                c.PlaneStride = c.BlocksPerLine * c.Scale;
                c.PlaneHeight = c.BlockRows * c.Scale;
            }
            return true;
        }
    }

    // Files from one camera or encoder share their Huffman tables, and building the skip table (8,192 windows) costs
    // about as much as decoding a small image: each thread keeps the last few it built, keyed by the DHT bytes.
    [ThreadStatic] private static List<(byte[] Key, Huffman Table)>? t_huffmanCache;
    private const int HuffmanCacheSize = 8;

    /// <summary>The table for one DHT entry (class/id byte, 16 counts, symbols), from the thread's cache or built.</summary>
    private static Huffman? CachedHuffman(ReadOnlySpan<byte> entry, bool dc)
    {
        var cache = t_huffmanCache ??= new List<(byte[], Huffman)>(HuffmanCacheSize);
        // The class/id byte is part of the key only through its class bit: the same codes serve any table id.
        for (int i = 0; i < cache.Count; i++)
        {
            var key = cache[i].Key;
            if ((key[0] >> 4) == (entry[0] >> 4) && key.AsSpan(1).SequenceEqual(entry[1..])) return cache[i].Table;
        }
        var table = BuildHuffman(entry.Slice(1, 16), entry[17..], dc);
        if (table is null) return null;
        if (cache.Count == HuffmanCacheSize) cache.RemoveAt(0);
        cache.Add((entry.ToArray(), table));
        return table;
    }

    private static Huffman? BuildHuffman(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> symbols, bool dc)
    {
        var t = new Huffman();
        symbols.CopyTo(t.Values);
        if (dc)
            foreach (byte s in symbols)
                if (s > 15) return null;
        int code = 0, k = 0;
        for (int l = 1; l <= 16; l++)
        {
            int n = counts[l - 1];
            t.ValOffset[l] = k - code;
            code += n;
            k += n;
            t.MaxCode[l] = n > 0 ? code - 1 : -1;
            if (code >= 1 << l) return null; // no code may be all ones (libjpeg's JERR_BAD_HUFF_TABLE)
            code <<= 1;
        }
        int bits = dc ? DcBits : AcBits;
        t.Fast = new int[1 << bits];
        code = 0;
        k = 0;
        for (int l = 1; l <= bits; l++, code <<= 1)
            for (int i = 0; i < counts[l - 1]; i++, code++, k++)
                for (int idx = code << (bits - l), end = (code + 1) << (bits - l); idx < end; idx++)
                    t.Fast[idx] = dc ? (symbols[k] << 16) | l : AcEntry(symbols[k], l, idx);
        if (!dc)
        {
            t.Skip = new ushort[1 << SkipBits];
            for (int window = 0; window < t.Skip.Length; window++) t.Skip[window] = (ushort)SkipEntry(t, window);
        }
        return t;
    }

    /// <summary>
    /// An AC lookup entry for the code of length <paramref name="length"/> that starts the <see cref="AcBits"/>-bit
    /// window <paramref name="window"/>. Bits 0–7: bits to drop; bits 8–15: how far the coefficient index advances
    /// (0: the extra bits do not fit the window, take the symbol from bits 16+ and read them separately; EndOfBlock: end of
    /// block); bits 16+: the coefficient's value (or the symbol, when bits 8–15 are 0).
    /// </summary>
    private static int AcEntry(int symbol, int length, int window)
    {
        int run = symbol >> 4, size = symbol & 15;
        if (size == 0) return ((run == 15 ? 16 : EndOfBlock) << 8) | length; // ZRL, or end of block (libjpeg: any other run)
        if (length + size > AcBits) return (symbol << 16) | length;
        int extra = (window >> (AcBits - length - size)) & ((1 << size) - 1);
        return (Extend(extra, size) << 16) | ((run + 1) << 8) | (length + size);
    }

    private static int SkipEntry(Huffman t, int window)
    {
        int used = 0, advance = 0;
        while (true)
        {
            // The window's unused bits, most significant first; the zeros after them can only complete codes that
            // are longer than what is left, which the length check turns away.
            int e = DecodeSlow(t, (ulong)(uint)window << (64 - SkipBits + used));
            int length = e & 0xFF;
            if (e < 0 || length > SkipBits - used) break;
            int symbol = e >> 16, run = symbol >> 4, size = symbol & 15;
            if (size == 0 && run != 15) return (used + length) | (advance << 8) | SkipEndsBlock;
            if (used + length + size > SkipBits) break;
            used += length + size;
            advance += size == 0 ? 16 : run + 1;
            if (advance >= 63) return used | (63 << 8); // k + 63 ≥ 64: never taken, the block may end inside
        }
        return used == 0 ? 0 : used | (advance << 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Extend(int v, int size) => v < 1 << (size - 1) ? v - (1 << size) + 1 : v;

    /// <summary>(symbol &lt;&lt; 16) | length of the code at the top of <paramref name="bits"/>, bit by bit (codes longer than the fast windows, and building the skip table), or -1 for a bad code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // no call in the decoding loops: it would push the bit reader out of registers
    private static int DecodeSlow(Huffman t, ulong bits)
    {
        for (int l = 1; l <= 16; l++)
        {
            int code = (int)(bits >> (64 - l));
            if (code <= t.MaxCode[l]) return (t.Values[(code + t.ValOffset[l]) & 255] << 16) | l;
        }
        return -1;
    }

    /// <summary>
    /// The scan's entropy-coded data with byte stuffing removed (0xFF 0x00 → 0xFF), one segment per restart interval,
    /// then <see cref="TailPadding"/> zero bytes so the reader never needs a bounds check inside a block. False
    /// unless the segments are separated by RST0…7 in order, the count matches the restart interval and EOI follows.
    /// </summary>
    private static bool Unstuff(ReadOnlySpan<byte> d, int start, Frame f, byte[] clean, int[] segmentEnd, out int segments)
    {
        segments = 0;
        int o = 0, i = start;
        while (true)
        {
            int ff = d[i..].IndexOf((byte)0xFF);
            if (ff < 0) return false; // no EOI
            d.Slice(i, ff).CopyTo(clean.AsSpan(o));
            o += ff;
            int p = i + ff + 1;
            while (p < d.Length && d[p] == 0xFF) p++; // fill bytes
            if (p >= d.Length) return false;
            if (d[p] == 0)
            {
                clean[o++] = 0xFF;
                i = p + 1;
                continue;
            }
            if (segments == segmentEnd.Length) return false;
            segmentEnd[segments++] = o;
            if (d[p] == 0xD9) return segments == segmentEnd.Length;
            if (d[p] != 0xD0 + ((segments - 1) & 7)) return false; // not the next RSTn: another scan, DNL, garbage
            i = p + 1;
        }
    }

    private const int TailPadding = 512;

    /// <summary>
    /// Decodes every MCU. The bit reader (64-bit, most significant bit first) refills without branches from the
    /// un-stuffed data; after each block the bits used so far must lie within the restart segment.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one long loop per image: no tiering, no OSR
    private static bool DecodeScan(ReadOnlySpan<byte> d, int start, Frame f, byte[][] planes)
    {
        int mcus = f.McusPerLine * f.McuRows;
        int interval = f.RestartInterval > 0 ? f.RestartInterval : mcus;
        var segmentEnd = new int[(mcus + interval - 1) / interval];
        byte[] clean = ArrayPool<byte>.Shared.Rent(d.Length - start + TailPadding);
        short[]? kept = null;
        bool[]? keptHasAc = null;
        try
        {
            if (!Unstuff(d, start, f, clean, segmentEnd, out int segments)) return false;
            Array.Clear(clean, segmentEnd[segments - 1], TailPadding);
            // Coefficients of the blocks that keep them (4:2:0 chroma) for one MCU row, zeroed (IdctRow re-zeroes them).
            int keptBlocks = f.McusPerLine * f.Scan.Where(c => c.Scale == 2).Sum(c => c.H * c.V);
            kept = ArrayPool<short>.Shared.Rent(Math.Max(1, 64 * keptBlocks));
            keptHasAc = ArrayPool<bool>.Shared.Rent(Math.Max(1, keptBlocks));
            Array.Clear(kept, 0, 64 * keptBlocks);
            return DecodeSegments(clean, segmentEnd, f, planes, kept, keptHasAc);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(clean);
            if (kept is not null) ArrayPool<short>.Shared.Return(kept);
            if (keptHasAc is not null) ArrayPool<bool>.Shared.Return(keptHasAc);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool DecodeSegments(byte[] clean, int[] segmentEnd, Frame f, byte[][] planes, short[] kept, bool[] keptHasAc)
    {
        // The MCU's blocks in decoding order: which scan component, where in the MCU.
        int nBlocks = f.Scan.Sum(c => c.H * c.V);
        var blockComp = new int[nBlocks];
        var blockX = new int[nBlocks];
        var blockY = new int[nBlocks];
        for (int si = 0, b = 0; si < f.Scan.Length; si++)
            for (int by = 0; by < f.Scan[si].V; by++)
            for (int bx = 0; bx < f.Scan[si].H; bx++, b++)
                (blockComp[b], blockX[b], blockY[b]) = (si, bx, by);
        int n = f.Scan.Length;
        var dcTables = new Huffman[n];
        var acTables = new Huffman[n];
        var pred = new int[n];
        for (int si = 0; si < n; si++) (dcTables[si], acTables[si]) = (f.Dc[f.Scan[si].DcTable]!, f.Ac[f.Scan[si].AcTable]!);
        // Blocks that keep their coefficients (4:2:0 chroma) go through the 2×2 IDCT after each MCU row.
        bool anyKept = f.Scan.Any(c => c.Scale == 2);

        ref byte data = ref MemoryMarshal.GetArrayDataReference(clean);
        ulong bits = 0;
        int count = 0, pos = 0, segment = 0, segmentStart = 0;
        int interval = f.RestartInterval > 0 ? f.RestartInterval : int.MaxValue, left = interval;
        for (int my = 0; my < f.McuRows; my++)
        {
            int keptIndex = 0;
            for (int mx = 0; mx < f.McusPerLine; mx++)
            {
                if (left == 0)
                {
                    // Restart: only the last byte's padding may be left of the segment; predictors start over.
                    long unused = 8L * (segmentEnd[segment] - segmentStart) - (8L * (pos - segmentStart) - count);
                    if (unused is < 0 or >= 8) return false;
                    segmentStart = pos = segmentEnd[segment++];
                    (bits, count, left) = (0, 0, interval);
                    Array.Clear(pred);
                }
                left--;
                for (int b = 0; b < nBlocks; b++)
                {
                    int si = blockComp[b];
                    var c = f.Scan[si];
                    Huffman dc = dcTables[si], ac = acTables[si];

                    // DC difference.
                    bits |= BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref data, pos))) >> count;
                    pos += (63 - count) >> 3;
                    count |= 56;
                    int e = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(dc.Fast), (nint)(bits >> (64 - DcBits)));
                    if (e == 0 && (e = DecodeSlow(dc, bits)) < 0) return false;
                    int len = e & 0xFF, size = e >> 16;
                    bits <<= len;
                    count -= len;
                    if (size != 0)
                    {
                        pred[si] += Extend((int)(bits >> (64 - size)), size);
                        bits <<= size;
                        count -= size;
                    }

                    ref int fast = ref MemoryMarshal.GetArrayDataReference(ac.Fast);
                    if (c.Scale == 1)
                    {
                        // AC codes skipped: several per lookup while the block cannot end inside the window.
                        ref ushort skip = ref MemoryMarshal.GetArrayDataReference(ac.Skip);
                        for (int k = 1; k < 64;)
                        {
                            bits |= BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref data, pos))) >> count;
                            pos += (63 - count) >> 3;
                            count |= 56;
                            e = Unsafe.Add(ref skip, (nint)(bits >> (64 - SkipBits)));
                            int advance = (e >> 8) & 63;
                            if (e != 0 && k + advance < 64)
                            {
                                bits <<= e; // the shift uses the low 6 bits: the length (≤ SkipBits)
                                count -= e & 0xFF;
                                k += advance;
                                if ((e & SkipEndsBlock) != 0) break;
                                continue;
                            }
                            e = Unsafe.Add(ref fast, (nint)(bits >> (64 - AcBits)));
                            advance = (e >> 8) & 0xFF;
                            if (advance == 0)
                            {
                                if (e == 0 && (e = DecodeSlow(ac, bits)) < 0) return false;
                                int symbol = (e >> 16) & 0xFF;
                                size = symbol & 15;
                                advance = size != 0 ? (symbol >> 4) + 1 : symbol == 0xF0 ? 16 : EndOfBlock;
                                e = (e & 0xFF) + size;
                            }
                            bits <<= e & 0xFF;
                            count -= e & 0xFF;
                            k += advance;
                        }
                        // 1/8 scale: the block's pixel is its mean, DC·q/8 + 128 (libjpeg's jpeg_idct_1x1).
                        int px = mx * c.H + blockX[b], py = my * c.V + blockY[b];
                        planes[c.Index][py * c.PlaneStride + px] = IdctLimit[(((short)pred[si] * c.Quant[0] + 4) >> 3) & 1023];
                    }
                    else
                    {
                        ref short coef = ref kept[keptIndex];
                        keptIndex += 64;
                        coef = (short)pred[si];
                        int k = 1;
                        while (k < 64)
                        {
                            bits |= BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref data, pos))) >> count;
                            pos += (63 - count) >> 3;
                            count |= 56;
                            e = Unsafe.Add(ref fast, (nint)(bits >> (64 - AcBits)));
                            int advance = (e >> 8) & 0xFF;
                            if (advance != 0)
                            {
                                bits <<= e; // the low 6 bits: the length (≤ AcBits)
                                count -= e & 0xFF;
                                if (e >> 16 != 0) Unsafe.Add(ref coef, NaturalOrder[k + advance - 1]) = (short)(e >> 16); // not ZRL/EOB
                                k += advance;
                                continue;
                            }
                            if (e == 0 && (e = DecodeSlow(ac, bits)) < 0) return false;
                            len = e & 0xFF;
                            int symbol = (e >> 16) & 0xFF, run = symbol >> 4;
                            size = symbol & 15;
                            bits <<= len;
                            count -= len;
                            if (size != 0)
                            {
                                k += run;
                                Unsafe.Add(ref coef, NaturalOrder[k]) = (short)Extend((int)(bits >> (64 - size)), size);
                                bits <<= size;
                                count -= size;
                                k++;
                            }
                            else if (run == 15) k += 16;
                            else break;
                        }
                        // 1 + EndOfBlock only when the first code was an end of block: no coefficient was stored (a run
                        // past 63 of a corrupt stream ends a block at 64 to 79, with a coefficient stored at 63).
                        keptHasAc[(keptIndex >> 6) - 1] = k != 1 + EndOfBlock;
                    }
                    // A block never reads more than TailPadding bytes, so checking after each one keeps reads in bounds.
                    if (8L * (pos - segmentStart) - count > 8L * (segmentEnd[segment] - segmentStart)) return false;
                }
            }
            if (anyKept) IdctRow(f, my, kept, keptHasAc, planes);
        }
        long rest = 8L * (segmentEnd[segment] - segmentStart) - (8L * (pos - segmentStart) - count);
        return segment == segmentEnd.Length - 1 && rest is >= 0 and < 8;
    }

    /// <summary>
    /// The 2×2 IDCT of one MCU row's kept blocks, in the order they were decoded, leaving the buffer zeroed for the next
    /// row. A block with no AC coefficient is one value four times: <see cref="Idct2x2"/> with only d0, ((d0·4) &lt;&lt; 15 + 2^19) &gt;&gt; 20.
    /// </summary>
    private static void IdctRow(Frame f, int my, short[] kept, bool[] keptHasAc, byte[][] planes)
    {
        int i = 0;
        for (int mx = 0; mx < f.McusPerLine; mx++)
            foreach (var c in f.Scan)
            {
                if (c.Scale != 2) continue;
                byte[] plane = planes[c.Index];
                for (int by = 0; by < c.V; by++)
                for (int bx = 0; bx < c.H; bx++, i++)
                {
                    int o = 2 * (my * c.V + by) * c.PlaneStride + 2 * (mx * c.H + bx);
                    var coef = kept.AsSpan(64 * i, 64);
                    if (keptHasAc[i])
                    {
                        if (Vector128.IsHardwareAccelerated) Idct2x2Vector(coef, c.Quant, plane, o, c.PlaneStride);
                        else Idct2x2(coef, c.Quant, plane, o, c.PlaneStride);
                        coef.Clear();
                    }
                    else
                    {
                        byte v = unchecked((byte)(Math.Clamp(((short)(coef[0] * c.Quant[0]) << 17) + (1 << 19) >> 20, -128, 127) + 128));
                        plane[o] = plane[o + 1] = plane[o + c.PlaneStride] = plane[o + c.PlaneStride + 1] = v;
                        coef[0] = 0;
                    }
                }
            }
    }

    /// <summary>
    /// libjpeg-turbo's 2×2 reduced IDCT (islow, coefficient rows/columns 0, 1, 3, 5, 7) as its x86-64 SSE2 kernel
    /// (jidctred-sse2) computes it, which is what tjDecompress2 runs there: 16-bit dequantization, 32-bit sums, pass-1
    /// odd terms saturated to 16 bits, and the output saturated rather than wrapped. For a valid stream this is exactly
    /// jidctred.c's jpeg_idct_2x2; the SSE2 details only show on corrupt coefficients.
    /// </summary>
    internal static void Idct2x2(ReadOnlySpan<short> coef, short[] quant, byte[] plane, int offset, int stride)
    {
        unchecked
        {
            Column(coef, quant, 0, out int a0, out int b0);
            Column(coef, quant, 1, out int a1, out int b1);
            Column(coef, quant, 3, out int a3, out int b3);
            Column(coef, quant, 5, out int a5, out int b5);
            Column(coef, quant, 7, out int a7, out int b7);
            Row(a0, a1, a3, a5, a7, plane, offset);
            Row(b0, b1, b3, b5, b7, plane, offset + stride);
        }
    }

    /// <summary>
    /// <see cref="Idct2x2"/> with pass 1 on all eight columns at once (columns 2, 4, 6 are computed and ignored), in the
    /// same 16-bit products and 32-bit wrapping sums; pass 2 is the scalar <see cref="Row"/>. Same bytes (tested).
    /// </summary>
    internal static void Idct2x2Vector(ReadOnlySpan<short> coef, short[] quant, byte[] plane, int offset, int stride)
    {
        var (d0, d1, d3, d5, d7) = (Dequantized(coef, quant, 0), Dequantized(coef, quant, 1), Dequantized(coef, quant, 3),
            Dequantized(coef, quant, 5), Dequantized(coef, quant, 7));
        const int shift = ConstBits - Pass1Bits + 2;
        var round = Vector128.Create(1 << (shift - 1));
        Pass1(Vector128.WidenLower(d0), Vector128.WidenLower(d1), Vector128.WidenLower(d3), Vector128.WidenLower(d5), Vector128.WidenLower(d7),
            round, out var aLo, out var bLo);
        Pass1(Vector128.WidenUpper(d0), Vector128.WidenUpper(d1), Vector128.WidenUpper(d3), Vector128.WidenUpper(d5), Vector128.WidenUpper(d7),
            round, out var aHi, out var bHi);
        Row(aLo[0], aLo[1], aLo[3], aHi[1], aHi[3], plane, offset);
        Row(bLo[0], bLo[1], bLo[3], bHi[1], bHi[3], plane, offset + stride);
    }

    /// <summary>One row of coefficients times the quantization row, 16-bit wrapping as pmullw.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Dequantized(ReadOnlySpan<short> coef, short[] quant, int row) =>
        Vector128.Create(coef.Slice(8 * row, 8)) * Vector128.Create(quant.AsSpan(8 * row, 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pass1(Vector128<int> d0, Vector128<int> d1, Vector128<int> d3, Vector128<int> d5, Vector128<int> d7,
        Vector128<int> round, out Vector128<int> top, out Vector128<int> bottom)
    {
        const int shift = ConstBits - Pass1Bits + 2;
        var tmp10 = d0 << (ConstBits + 2);
        var tmp0 = d1 * Fix3624509785 + d3 * -Fix1272758580 + (d5 * Fix0850430095 + d7 * -Fix0720959822);
        top = (tmp10 + tmp0 + round) >> shift;
        bottom = (tmp10 - tmp0 + round) >> shift;
    }

    private const int ConstBits = 13, Pass1Bits = 2;
    private const int Fix0720959822 = 5906, Fix0850430095 = 6967, Fix1272758580 = 10426, Fix3624509785 = 29692;

    /// <summary>Pass 1 on one column: its two outputs (rows 0 and 1), 32-bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Column(ReadOnlySpan<short> coef, short[] quant, int col, out int top, out int bottom)
    {
        unchecked
        {
            int d0 = (short)(coef[col] * quant[col]), d1 = (short)(coef[8 + col] * quant[8 + col]);
            int d3 = (short)(coef[24 + col] * quant[24 + col]), d5 = (short)(coef[40 + col] * quant[40 + col]);
            int d7 = (short)(coef[56 + col] * quant[56 + col]);
            int tmp10 = d0 << (ConstBits + 2);
            int tmp0 = d1 * Fix3624509785 + d3 * -Fix1272758580 + (d5 * Fix0850430095 + d7 * -Fix0720959822);
            const int shift = ConstBits - Pass1Bits + 2;
            top = (tmp10 + tmp0 + (1 << (shift - 1))) >> shift;
            bottom = (tmp10 - tmp0 + (1 << (shift - 1))) >> shift;
        }
    }

    /// <summary>Pass 2 on one row of pass-1 results: two output pixels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(int w0, int w1, int w3, int w5, int w7, byte[] plane, int o)
    {
        unchecked
        {
            int tmp0 = Sat16(w1) * Fix3624509785 + Sat16(w3) * -Fix1272758580 + (Sat16(w5) * Fix0850430095 + Sat16(w7) * -Fix0720959822);
            int tmp10 = w0 << (ConstBits + 2);
            const int shift = ConstBits + Pass1Bits + 3 + 2;
            plane[o] = (byte)(Math.Clamp((tmp10 + tmp0 + (1 << (shift - 1))) >> shift, -128, 127) + 128);
            plane[o + 1] = (byte)(Math.Clamp((tmp10 - tmp0 + (1 << (shift - 1))) >> shift, -128, 127) + 128);
        }
    }

    private static int Sat16(int v) => Math.Clamp(v, short.MinValue, short.MaxValue);


    /// <summary>The planes (component resolution at 1/8) to interleaved pixels in the asked colour mode.</summary>
    private static Image<byte> Convert(Frame f, byte[][] planes, ColorMode mode)
    {
        int w = (f.Width + 7) / 8, h = (f.Height + 7) / 8;
        if (f.Components.Length == 1)
        {
            // A grayscale JPEG: L as is; RGB/RGBA repeat it (libjpeg's gray → RGB), alpha opaque.
            int channels = mode switch { ColorMode.Grayscale => 1, ColorMode.Rgb => 3, _ => 4 };
            var img = new Image<byte>(h, w, channels);
            int stride = f.Components[0].PlaneStride;
            for (int y = 0; y < h; y++) PixelConvert.GrayTo(planes[0].AsSpan(y * stride, w), img.Row(y), channels);
            return img;
        }
        var (cy, cb, cr) = (f.Components[0], f.Components[1], f.Components[2]);
        int outChannels = mode == ColorMode.Rgba ? 4 : 3;
        var rgb = new Image<byte>(h, w, outChannels);
        ref byte o = ref MemoryMarshal.GetReference(rgb.Span);
        ref byte limit = ref MemoryMarshal.GetArrayDataReference(RgbLimit);
        ref int crR = ref MemoryMarshal.GetArrayDataReference(CrToR), cbB = ref MemoryMarshal.GetArrayDataReference(CbToB);
        ref int crG = ref MemoryMarshal.GetArrayDataReference(CrToG), cbG = ref MemoryMarshal.GetArrayDataReference(CbToG);
        // Box upsampling: factors are 1 or 2, so a shift.
        int syx = cy.UpX - 1, sbx = cb.UpX - 1, srx = cr.UpX - 1;
        for (int y = 0; y < h; y++)
        {
            ref byte yRow = ref planes[0][(y >> (cy.UpY - 1)) * cy.PlaneStride];
            ref byte bRow = ref planes[1][(y >> (cb.UpY - 1)) * cb.PlaneStride];
            ref byte rRow = ref planes[2][(y >> (cr.UpY - 1)) * cr.PlaneStride];
            for (int x = 0; x < w; x++)
            {
                // Every index is below the plane's size: x < w ≤ each plane's stride × its upsampling factor.
                int yy = Unsafe.Add(ref yRow, x >> syx) + 256, b = Unsafe.Add(ref bRow, x >> sbx), r = Unsafe.Add(ref rRow, x >> srx);
                o = Unsafe.Add(ref limit, yy + Unsafe.Add(ref crR, r));
                Unsafe.Add(ref o, 1) = Unsafe.Add(ref limit, yy + ((Unsafe.Add(ref cbG, b) + Unsafe.Add(ref crG, r)) >> 16));
                Unsafe.Add(ref o, 2) = Unsafe.Add(ref limit, yy + Unsafe.Add(ref cbB, b));
                if (outChannels == 4) Unsafe.Add(ref o, 3) = 255;
                o = ref Unsafe.Add(ref o, outChannels);
            }
        }
        if (mode != ColorMode.Grayscale) return rgb;
        // Pillow's L from the RGB, as the libjpeg-turbo path does.
        var gray = new Image<byte>(h, w, 1);
        PixelConvert.ColorToL(rgb.Span, gray.Span, channels: 3);
        rgb.Dispose();
        return gray;
    }

    /// <summary>libjpeg's sample_range_limit: v clamped to 0–255, indexed by v + 256 (|v − 128| stays below 512 here).</summary>
    private static readonly byte[] RgbLimit = Enumerable.Range(-256, 1024).Select(v => (byte)Math.Clamp(v, 0, 255)).ToArray();

    // libjpeg's jdcolor.c tables (SCALEBITS 16): R = Y + Cr_r, G = Y + ((Cb_g + Cr_g) >> 16), B = Y + Cb_b.
    private static readonly int[] CrToR = Table(x => (int)((Fix(1.40200) * x + (1L << 15)) >> 16));
    private static readonly int[] CbToB = Table(x => (int)((Fix(1.77200) * x + (1L << 15)) >> 16));
    private static readonly int[] CrToG = Table(x => (int)(-Fix(0.71414) * x));
    private static readonly int[] CbToG = Table(x => (int)(-Fix(0.34414) * x + (1L << 15)));

    private static long Fix(double v) => (long)(v * (1L << 16) + 0.5);

    private static int[] Table(Func<int, int> f)
    {
        var t = new int[256];
        for (int i = 0; i < 256; i++) t[i] = f(i - 128);
        return t;
    }

    /// <summary>libjpeg's post-IDCT range limit indexed by (value &amp; 1023): value + 128 clamped to 0–255 for −512…511.</summary>
    private static readonly byte[] IdctLimit = Enumerable.Range(0, 1024)
        .Select(i => (byte)Math.Clamp((i < 512 ? i : i - 1024) + 128, 0, 255)).ToArray();

    private static readonly byte[] ZigZag =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
        28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
        54, 47, 55, 62, 63,
    ];

    /// <summary>Zigzag index → natural index, with libjpeg's 16 extra entries so a corrupt run past 63 lands on 63.</summary>
    private static readonly byte[] NaturalOrder = [.. ZigZag, .. Enumerable.Repeat((byte)63, 16)];
}
