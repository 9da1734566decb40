using System.Buffers;
using System.Text;

namespace BlazorForecast.Forecasting.Data;

/// <summary>
/// Detects encoding, delimiter and decimal separator from the first bytes of a file, and rejects what is not
/// delimited text at all (empty files, binary files, spreadsheets, archives).
/// </summary>
internal static class CsvSniffer
{
    public const int SampleBytes = 64 * 1024;

    private static readonly char[] CandidateDelimiters = [',', ';', '\t', '|'];
    private static readonly SearchValues<char> GroupedDigits = SearchValues.Create("0123456789.");
    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");
    private static readonly SearchValues<char> NumberChars = SearchValues.Create("0123456789.eE+-");

    private static readonly (byte[] Magic, string What)[] BinarySignatures =
    [
        ("PK\u0003\u0004"u8.ToArray(), "a ZIP archive or an Excel workbook (.xlsx); save it as CSV first"),
        ([0xD0, 0xCF, 0x11, 0xE0], "an Excel 97-2003 workbook (.xls); save it as CSV first"),
        ("%PDF"u8.ToArray(), "a PDF document"),
        ([0x89, (byte)'P', (byte)'N', (byte)'G'], "a PNG image"),
        ([0xFF, 0xD8, 0xFF], "a JPEG image"),
        ([0x1F, 0x8B], "a gzip archive; decompress it first"),
        ("SQLite format 3"u8.ToArray(), "a SQLite database"),
    ];

    /// <summary>
    /// Returns the decoded text sample (without BOM) and the format, or throws a user-facing error.
    /// <paramref name="isWholeFile"/> is false when <paramref name="head"/> was cut, so its last line may be partial.
    /// </summary>
    public static (string Sample, CsvFormat Format) Sniff(ReadOnlySpan<byte> head, bool isWholeFile)
    {
        var hasBom = head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
        var body = hasBom ? head[3..] : head;

        foreach (var (magic, what) in BinarySignatures)
        {
            if (body.StartsWith(magic))
            {
                throw new DatasetImportException($"This is not a CSV file: it looks like {what}.");
            }
        }

        if (body.IndexOf((byte)0) >= 0)
        {
            throw new DatasetImportException("This is not a CSV file: it contains binary data (zero bytes).");
        }

        var encoding = IsUtf8(body) ? (Encoding)new UTF8Encoding(false) : Encoding.Latin1;
        var sample = encoding.GetString(body);
        if (sample.AsSpan().Trim().IsEmpty)
        {
            throw new DatasetImportException("The file is empty.");
        }

        if (CountControlCharacters(sample) > sample.Length / 100)
        {
            throw new DatasetImportException("This is not a CSV file: it contains binary data (control characters).");
        }

        if (!isWholeFile && sample.IndexOf('\n') < 0)
        {
            throw new DatasetImportException(
                $"The first {SampleBytes / 1024} KB of the file hold no line break. A CSV has one row per line; a header this long would have " +
                "far more columns than a dataset may have.", 1);
        }

        var lines = SampleLines(sample, truncated: !isWholeFile);
        var delimiter = DetectDelimiter(lines);
        var decimalSeparator = DetectDecimalSeparator(lines, delimiter);
        return (sample, new CsvFormat(delimiter, decimalSeparator, encoding, hasBom));
    }

    private static bool IsUtf8(ReadOnlySpan<byte> bytes)
    {
        // A sample cut mid-character is still UTF-8: ignore up to three trailing bytes of an incomplete sequence.
        for (var trim = 0; trim <= Math.Min(3, bytes.Length); trim++)
        {
            if (System.Text.Unicode.Utf8.IsValid(bytes[..^trim]))
            {
                return true;
            }
        }

        return false;
    }

    private static int CountControlCharacters(string text)
    {
        var count = 0;
        foreach (var c in text)
        {
            if (char.IsControl(c) && c is not '\r' and not '\n' and not '\t')
            {
                count++;
            }
        }

        return count;
    }

    private static List<string> SampleLines(string sample, bool truncated)
    {
        var lines = sample.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();
        if (truncated && lines.Count > 1)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines.Take(50).ToList();
    }

    private static char DetectDelimiter(List<string> lines)
    {
        var best = ',';
        var bestScore = -1;
        foreach (var candidate in CandidateDelimiters)
        {
            var headerCount = CountOutsideQuotes(lines[0], candidate);
            if (headerCount == 0)
            {
                continue;
            }

            // Rows that agree with the header's field count vote for the candidate.
            var agreeing = lines.Skip(1).Count(l => CountOutsideQuotes(l, candidate) >= headerCount);
            var score = (agreeing * 1000) + headerCount;
            if (score > bestScore)
            {
                bestScore = score;
                best = candidate;
            }
        }

        if (bestScore < 0)
        {
            var header = lines[0].Length > 60 ? lines[0][..60] + "…" : lines[0];
            throw new DatasetImportException(
                $"Only one column was found (header '{header}'). A dataset needs a date column and at least one numeric " +
                "column, separated by commas, semicolons or tabs.",
                1);
        }

        return best;
    }

    private static int CountOutsideQuotes(string line, char delimiter)
    {
        var count = 0;
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == delimiter && !quoted)
            {
                count++;
            }
        }

        return count;
    }

    private static char DetectDecimalSeparator(List<string> lines, char delimiter)
    {
        var commaDecimals = 0;
        var dotDecimals = 0;
        foreach (var line in lines.Skip(1))
        {
            foreach (var raw in SplitOutsideQuotes(line, delimiter))
            {
                var cell = raw.Trim().Trim('"');
                if (LooksLikeCommaDecimal(cell))
                {
                    commaDecimals++;
                }
                else if (LooksLikeDotDecimal(cell))
                {
                    dotDecimals++;
                }
            }
        }

        return commaDecimals > dotDecimals ? ',' : '.';
    }

    private static IEnumerable<string> SplitOutsideQuotes(string line, char delimiter)
    {
        var quoted = false;
        var start = 0;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                quoted = !quoted;
            }
            else if (line[i] == delimiter && !quoted)
            {
                yield return line[start..i];
                start = i + 1;
            }
        }

        yield return line[start..];
    }

    // 2,5 or 1.234,5 — digits, optional '.' groups, one comma, digits.
    private static bool LooksLikeCommaDecimal(string cell)
    {
        var comma = cell.IndexOf(',', StringComparison.Ordinal);
        return comma > 0 && comma == cell.LastIndexOf(',') && comma < cell.Length - 1
            && cell.AsSpan(0, comma).TrimStart("+-").ContainsAnyExcept(GroupedDigits) is false
            && cell.AsSpan(comma + 1).ContainsAnyExcept(Digits) is false
            && char.IsAsciiDigit(cell[comma - 1]);
    }

    // 2.5 with exactly one dot that is not a 3-digit thousands group (1.234 is ambiguous and votes for neither).
    private static bool LooksLikeDotDecimal(string cell)
    {
        var dot = cell.IndexOf('.', StringComparison.Ordinal);
        return dot >= 0 && dot == cell.LastIndexOf('.') && dot < cell.Length - 1
            && cell.Length - dot - 1 != 3
            && cell.AsSpan().TrimStart("+-").ContainsAnyExcept(NumberChars) is false;
    }
}
