using System.Globalization;
using nietras.SeparatedValues;

namespace BlazorForecast.Forecasting.Data;

/// <summary>
/// Reads dated market data from delimited text: detects the format from the first rows, parses every row into
/// typed columns (rejecting the file with the line and column of the first unreadable value), then hands the raw
/// rows to <see cref="QualityAnalyzer"/> for sorting, de-duplication, the missing-value policy and the report.
/// </summary>
public static class CsvImporter
{
    /// <summary>The most rows pre-sized per column (a million: 8 MB per value column).</summary>
    internal const int MaxPresizedRows = 1_000_000;

    private const int ProfileRows = 500;

    private static readonly HashSet<string> MissingMarkers = new(StringComparer.OrdinalIgnoreCase)
    {
        "null", "nan", "na", "n/a", "#n/a", "-", "--", "none", "nil", ".",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> MissingLookup =
        MissingMarkers.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Reads the first rows of a seekable stream and returns what was detected; the stream is rewound.</summary>
    public static CsvInspection Inspect(Stream stream, int maxColumns = CsvImportOptions.DefaultMaxColumns)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The importer needs a seekable stream (a file or a buffered upload).", nameof(stream));
        }

        var start = stream.Position;
        var head = new byte[CsvSniffer.SampleBytes];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = start;

        var (sample, format) = CsvSniffer.Sniff(head.AsSpan(0, read), isWholeFile: read < head.Length);
        if (read == head.Length)
        {
            // Drop the last, possibly cut line of the sample.
            sample = sample[..(sample.LastIndexOf('\n') + 1)];
        }
        else if (UnclosedQuoteLine(sample) is int line)
        {
            throw new DatasetImportException($"Line {line}: a quote opens a field that never closes.", line);
        }

        return Profile(sample, format, maxColumns);
    }

    // The line of a quote that opens a field and is never closed, in a sample holding the whole file; null if none.
    private static int? UnclosedQuoteLine(string sample)
    {
        var (line, open, quoted) = (1, 0, false);
        foreach (var c in sample)
        {
            if (c == '"')
            {
                quoted = !quoted;
                open = quoted ? line : open;
            }
            else if (c == '\n')
            {
                line++;
            }
        }

        return quoted ? open : null;
    }

    /// <summary>Imports a whole seekable stream with the user's confirmed choices; throws <see cref="DatasetImportException"/>.</summary>
    public static ImportedSeries Import(Stream stream, CsvImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        var start = stream.Position;
        var inspection = Inspect(stream, options.MaxColumns);
        var dateColumn = ChooseDateColumn(inspection, options.DateColumn);
        var dateProfile = inspection.Columns.First(c => c.Header == dateColumn);
        var valueColumns = inspection.Columns.Where(c => c.IsNumeric && c.Index != dateProfile.Index).ToList();
        if (valueColumns.Count == 0)
        {
            throw new DatasetImportException(
                $"No numeric column: besides the date column '{dateColumn}', no column holds numbers in its first rows.");
        }

        var target = ChooseTarget(inspection, valueColumns, options.Target);
        var dateFormat = dateProfile.DateFormat!;
        var expectedRows = EstimateRows(stream.Length - start, inspection);

        stream.Position = start;
        var raw = ReadRows(stream, inspection, dateProfile, dateFormat, valueColumns, expectedRows);
        var skipped = inspection.Columns
            .Where(c => !c.IsNumeric && c.Index != dateProfile.Index)
            .Select(c => new SkippedColumn(c.Header, "It holds text, not numbers."))
            .ToList();

        var (frame, report) = QualityAnalyzer.Analyze(raw, options.MissingValues, new QualityAnalyzer.FileFacts(
            inspection.Format, dateFormat.Name, skipped));
        var targetName = frame.Columns.First(c => c.SourceName == target).Name;
        return new ImportedSeries(frame, report, dateColumn, targetName);
    }

    private static CsvInspection Profile(string sample, CsvFormat format, int maxColumns)
    {
        using var reader = Sep.New(format.Delimiter)
            .Reader(o => o with { HasHeader = false, Unescape = true, Trim = SepTrim.All, DisableColCountCheck = true })
            .FromText(sample);

        var rows = new List<string[]>();
        foreach (var row in reader)
        {
            if (row.ColCount == 1 && row[0].Span.IsEmpty)
            {
                continue;
            }

            var cells = new string[row.ColCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = row[i].ToString();
            }

            rows.Add(cells);
            if (rows.Count > ProfileRows)
            {
                break;
            }
        }

        if (rows.Count == 0)
        {
            throw new DatasetImportException("The file is empty.");
        }

        var headers = UniqueHeaders(rows[0]);
        if (headers.Count > maxColumns)
        {
            throw new DatasetImportException(
                $"The file has {headers.Count} columns; the limit is {maxColumns}. Remove columns you do not need.", 1);
        }

        var data = rows.Skip(1).ToList();
        if (data.Count == 0)
        {
            throw new DatasetImportException("The file has a header but no data rows.", 1);
        }

        var profiles = new List<CsvColumnProfile>(headers.Count);
        for (var c = 0; c < headers.Count; c++)
        {
            var values = data.Where(r => c < r.Length && !IsMissing(r[c])).Select(r => r[c]).ToList();
            var role = ColumnAliases.RoleOf(headers[c]);
            var parsed = values.Count(v => TryParseNumber(v, format, out _));

            // Mostly numbers, or a recognised price/volume header with numbers: a data column whose bad cells the
            // import then reports by line, rather than a text column silently skipped.
            var isNumeric = parsed > 0 && (parsed >= values.Count * 0.9 || role != ColumnRole.Other);
            var dateFormat = DateFormat.Detect(values, ColumnAliases.IsDateName(headers[c]));
            profiles.Add(new CsvColumnProfile(c, headers[c], role, isNumeric, dateFormat));
        }

        // A recognised date header wins; otherwise text dates beat integer columns that merely look like epochs.
        var candidates = profiles.Where(p => p.DateFormat is not null)
            .OrderByDescending(p => ColumnAliases.IsDateName(p.Header))
            .ThenBy(p => p.IsNumeric)
            .ThenBy(p => p.Index)
            .Select(p => p.Header)
            .ToList();
        if (candidates.Count == 0)
        {
            throw new DatasetImportException(
                $"No date column: none of the columns ({string.Join(", ", headers.Take(8).Select(h => $"'{h}'"))}" +
                $"{(headers.Count > 8 ? ", ..." : "")}) holds dates in a recognised format such as 2024-01-31, " +
                "01/31/2024, 31.01.2024, 2024-01-31 09:30:00 or Unix seconds.");
        }

        var numeric = profiles.Where(p => p.IsNumeric).Select(p => p.Header).ToList();
        if (!numeric.Any(n => n != candidates[0]))
        {
            throw new DatasetImportException(
                $"No numeric column: besides the date column '{candidates[0]}', no column holds numbers in its first rows" +
                (profiles.Count > 1 ? $" (first row: {string.Join(", ", data[0].Take(8))})." : "."));
        }

        var guessedTarget = GuessTarget(profiles.Where(p => p.IsNumeric && p.Header != candidates[0]).ToList());
        var sampleRows = data.Take(10).Select(r => (IReadOnlyList<string>)r).ToList();
        return new CsvInspection(format, profiles, candidates, candidates[0], numeric, guessedTarget, sampleRows);
    }

    private static string GuessTarget(IReadOnlyList<CsvColumnProfile> numeric) =>
        (numeric.FirstOrDefault(p => p.Role == ColumnRole.Close)
         ?? numeric.FirstOrDefault(p => p.Role == ColumnRole.AdjClose)
         ?? numeric.LastOrDefault(p => p.Role != ColumnRole.Volume)
         ?? numeric[^1]).Header;

    private static string ChooseDateColumn(CsvInspection inspection, string? requested)
    {
        if (requested is null)
        {
            return inspection.GuessedDateColumn;
        }

        if (!inspection.Headers.Contains(requested))
        {
            throw new DatasetImportException($"The date column '{requested}' is not in the file. Columns: {string.Join(", ", inspection.Headers)}.");
        }

        if (!inspection.DateColumnCandidates.Contains(requested))
        {
            throw new DatasetImportException($"Column '{requested}' does not hold dates in a recognised format.", column: requested);
        }

        return requested;
    }

    private static string ChooseTarget(CsvInspection inspection, List<CsvColumnProfile> valueColumns, string? requested)
    {
        if (requested is null)
        {
            return valueColumns.Any(c => c.Header == inspection.GuessedTarget)
                ? inspection.GuessedTarget
                : GuessTarget(valueColumns);
        }

        var byHeader = valueColumns.FirstOrDefault(c => c.Header == requested)
            ?? valueColumns.FirstOrDefault(c => string.Equals(ColumnAliases.CanonicalName(c.Role, c.Header), requested, StringComparison.OrdinalIgnoreCase));
        return byHeader?.Header ?? throw new DatasetImportException(
            $"The target '{requested}' is not a numeric column of the file. Numeric columns: {string.Join(", ", valueColumns.Select(c => c.Header))}.",
            column: requested);
    }

    /// <summary>
    /// The rows to make room for up front: the file's size over the sample's mean row length, but never more than
    /// <see cref="MaxPresizedRows"/>. The first rows may be short and the rest long (or not rows at all): beyond the
    /// cap the lists grow as rows are actually read and validated.
    /// </summary>
    internal static int EstimateRows(long bytes, CsvInspection inspection)
    {
        var sampleChars = inspection.SampleRows.Sum(r => r.Sum(c => c.Length + 1));
        var perRow = Math.Max(8.0, sampleChars / (double)Math.Max(1, inspection.SampleRows.Count));
        return (int)Math.Min(MaxPresizedRows, (bytes / perRow) + 16);
    }

    private static QualityAnalyzer.RawSeries ReadRows(
        Stream stream, CsvInspection inspection, CsvColumnProfile dateProfile, DateFormat dateFormat,
        List<CsvColumnProfile> valueColumns, int expectedRows)
    {
        var format = inspection.Format;
        var headerCount = inspection.Columns.Count;
        var timestamps = new List<DateTime>(expectedRows);
        var lines = new List<int>(expectedRows);
        var values = valueColumns.Select(_ => new List<double>(expectedRows)).ToArray();
        var indices = valueColumns.Select(c => c.Index).ToArray();

        // Plain invariant numbers go through Sep's fast float parser; other formats through the configured culture.
        var fastNumbers = format.DecimalSeparator == '.' && format.NumberStyles == NumberStyles.Float;

        using var text = new StreamReader(stream, format.Encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        using var reader = Sep.New(format.Delimiter)
            .Reader(o => o with { HasHeader = false, Unescape = true, Trim = SepTrim.All, DisableColCountCheck = true })
            .From(text);

        var isHeader = true;
        foreach (var row in reader)
        {
            if (row.ColCount == 1 && row[0].Span.IsEmpty)
            {
                continue;
            }

            if (isHeader)
            {
                isHeader = false;
                continue;
            }

            var line = row.LineNumberFrom;
            CheckFieldCount(row, headerCount, line);

            var dateCell = row[dateProfile.Index].Span;
            if (dateCell.IsEmpty || IsMissing(dateCell))
            {
                throw new DatasetImportException($"Line {line}, column '{dateProfile.Header}': the date is empty.", line, dateProfile.Header);
            }

            if (!dateFormat.TryParse(dateCell, out var timestamp))
            {
                throw new DatasetImportException(
                    $"Line {line}, column '{dateProfile.Header}': '{Shorten(dateCell)}' is not a date in the format {dateFormat.Name} used by the rows above.",
                    line, dateProfile.Header);
            }

            timestamps.Add(timestamp);
            lines.Add(line);
            for (var v = 0; v < indices.Length; v++)
            {
                var cell = row[indices[v]].Span;
                double value;
                if (cell.IsEmpty || IsMissing(cell))
                {
                    value = double.NaN;
                }
                else if (!(fastNumbers ? row[indices[v]].TryParse(out value) : TryParseNumber(cell, format, out value)) || !double.IsFinite(value))
                {
                    var header = valueColumns[v].Header;
                    throw new DatasetImportException(
                        $"Line {line}, column '{header}': '{Shorten(cell)}' is not a number.", line, header);
                }

                values[v].Add(value);
            }
        }

        var columns = valueColumns.Select((c, i) => new QualityAnalyzer.RawColumn(c.Header, c.Role, values[i])).ToList();
        return new QualityAnalyzer.RawSeries(timestamps, lines, columns);
    }

    private static void CheckFieldCount(SepReader.Row row, int headerCount, int line)
    {
        if (row.ColCount < headerCount)
        {
            throw new DatasetImportException(
                $"Line {line} has {row.ColCount} field(s) but the header has {headerCount}.", line);
        }

        // Extra fields are tolerated only when empty (a trailing delimiter, as some exports write).
        for (var i = headerCount; i < row.ColCount; i++)
        {
            if (!row[i].Span.IsEmpty)
            {
                throw new DatasetImportException(
                    $"Line {line} has {row.ColCount} fields but the header has {headerCount}.", line);
            }
        }
    }

    private static List<string> UniqueHeaders(string[] raw)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var headers = new List<string>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var name = raw[i].Trim();
            if (name.Length == 0)
            {
                name = $"Column {i + 1}";
            }

            var unique = name;
            for (var n = 2; !seen.Add(unique); n++)
            {
                unique = $"{name} ({n})";
            }

            headers.Add(unique);
        }

        // A trailing delimiter in the header gives an empty last name with no data; drop it.
        if (headers.Count > 1 && raw[^1].Trim().Length == 0)
        {
            headers.RemoveAt(headers.Count - 1);
        }

        return headers;
    }

    private static bool TryParseNumber(ReadOnlySpan<char> text, CsvFormat format, out double value) =>
        double.TryParse(text, format.NumberStyles, format.NumberFormat, out value);

    private static bool IsMissing(ReadOnlySpan<char> cell) =>
        cell.IsEmpty || (cell.Length <= 4 && MissingLookup.Contains(cell));

    private static string Shorten(ReadOnlySpan<char> cell) =>
        cell.Length > 40 ? string.Concat(cell[..40], "…") : cell.ToString();
}
