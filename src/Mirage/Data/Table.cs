using System.Text;

namespace Mirage.Data;

/// <summary>
/// A small table of strings with named columns: what flow_from_dataframe reads. Load a CSV file (RFC 4180 quoting,
/// header row) with <see cref="FromCsv"/>, or build one in code.
/// </summary>
public sealed class Table
{
    /// <summary>A table from columns and rows (kept, not copied).</summary>
    /// <param name="columns">Column names; looked up case-sensitively.</param>
    /// <param name="rows">Rows, each with one cell per column.</param>
    /// <exception cref="FormatException">A row has a different number of cells.</exception>
    public Table(IReadOnlyList<string> columns, IReadOnlyList<string[]> rows)
    {
        Columns = columns;
        Rows = rows;
        for (int i = 0; i < rows.Count; i++)
            if (rows[i].Length != columns.Count)
                throw new FormatException($"Row {i + 1} has {rows[i].Length} cells but the table has {columns.Count} columns ({string.Join(", ", columns)}).");
    }

    /// <summary>Column names, in order.</summary>
    public IReadOnlyList<string> Columns { get; }
    /// <summary>The rows (header excluded), each one cell per column.</summary>
    public IReadOnlyList<string[]> Rows { get; }

    /// <summary>The position of <paramref name="column"/> in <see cref="Columns"/>.</summary>
    /// <param name="column">A column name (case-sensitive).</param>
    /// <exception cref="ArgumentException">No such column; the message lists them.</exception>
    public int IndexOf(string column)
    {
        for (int i = 0; i < Columns.Count; i++) if (Columns[i] == column) return i;
        throw new ArgumentException($"The table has no column '{column}'. Columns: {string.Join(", ", Columns)}.");
    }

    /// <summary>Reads a CSV file: a header row, then rows; commas separate cells, double quotes quote them (RFC 4180,
    /// newlines inside quotes allowed); blank lines are dropped. Encoding is detected from a BOM, else UTF-8.</summary>
    /// <param name="path">The CSV file.</param>
    /// <exception cref="FormatException">The file is empty, a quote is never closed, or a row has the wrong number of cells.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Table FromCsv(string path)
    {
        using var reader = new StreamReader(path);
        return FromRecords(Parse(reader, path).ToList(), path);
    }

    /// <summary>Parses CSV text as <see cref="FromCsv"/> does.</summary>
    /// <param name="text">The whole CSV, header row first.</param>
    /// <param name="source">Names the input in error messages.</param>
    /// <exception cref="FormatException">The text is empty, a quote is never closed, or a row has the wrong number of cells.</exception>
    public static Table FromCsvText(string text, string source = "csv") => FromRecords(Parse(new StringReader(text), source).ToList(), source);

    private static Table FromRecords(List<string[]> records, string source)
    {
        if (records.Count == 0) throw new FormatException($"{source}: the CSV text is empty (it needs a header row).");
        return new Table(records[0], records.Skip(1).Where(r => !(r.Length == 1 && r[0].Length == 0)).ToArray());
    }

    private static IEnumerable<string[]> Parse(TextReader reader, string source)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false, any = false;
        int line = 1, c;
        while ((c = reader.Read()) >= 0)
        {
            char ch = (char)c;
            any = true;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); cell.Append('"'); }
                    else quoted = false;
                }
                else
                {
                    if (ch == '\n') line++;
                    cell.Append(ch);
                }
                continue;
            }
            switch (ch)
            {
                case '"' when cell.Length == 0: quoted = true; break;
                case ',': cells.Add(cell.ToString()); cell.Clear(); break;
                case '\r': break;
                case '\n':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    yield return cells.ToArray();
                    cells.Clear();
                    any = false;
                    line++;
                    break;
                default: cell.Append(ch); break;
            }
        }
        if (quoted) throw new FormatException($"{source}: line {line}: a quoted cell is never closed.");
        if (any)
        {
            cells.Add(cell.ToString());
            yield return cells.ToArray();
        }
    }
}
