using System.Collections;
using System.Text;

namespace Mirage.Data;

/// <summary>
/// An append-only list of strings stored as UTF-8 in 1 MiB chunks: about 8 bytes plus the name's length per entry,
/// instead of a .NET string object each (≈ 80 bytes for "class/img0000001.jpg"), and no doubling copies while it grows.
/// Millions of file names fit in a few tens of megabytes. Reads decode a fresh string.
/// </summary>
internal sealed class CompactStrings : IReadOnlyList<string>
{
    private const int ChunkSize = 1 << 20;
    private readonly List<byte[]> _chunks = [];
    private long[] _entries = new long[1024]; // chunk << 40 | offset << 20 | length
    private int _count, _used = ChunkSize;

    public int Count => _count;

    public void Add(string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        if (length >= ChunkSize) throw new ArgumentException($"A name of {length} bytes is too long.", nameof(value));
        if (_used + length > ChunkSize)
        {
            _chunks.Add(new byte[ChunkSize]);
            _used = 0;
        }
        int chunk = _chunks.Count - 1;
        Encoding.UTF8.GetBytes(value, _chunks[chunk].AsSpan(_used, length));
        if (_count == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
        _entries[_count++] = ((long)chunk << 40) | ((long)_used << 20) | (uint)length;
        _used += length;
    }

    public string this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The list holds {_count} names.");
            long e = _entries[index];
            return Encoding.UTF8.GetString(_chunks[(int)(e >> 40)].AsSpan((int)((e >> 20) & 0xFFFFF), (int)(e & 0xFFFFF)));
        }
    }

    /// <summary>Keeps only the entries at <paramref name="positions"/> (ascending).</summary>
    public CompactStrings Select(IEnumerable<int> positions)
    {
        var kept = new CompactStrings();
        foreach (int i in positions) kept.Add(this[i]);
        return kept;
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (int i = 0; i < _count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
