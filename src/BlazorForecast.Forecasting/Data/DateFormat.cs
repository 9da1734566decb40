using System.Globalization;

namespace BlazorForecast.Forecasting.Data;

/// <summary>
/// One way dates are written in a file: an exact .NET pattern, or Unix seconds/milliseconds. Detected once from a
/// sample so a million rows parse with a single pattern; times without an offset are taken as written (stored as UTC).
/// </summary>
public sealed class DateFormat
{
    private const DateTimeStyles Styles = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal;

    // Order matters: unambiguous ISO first; US month-first before day-first for slashes (Yahoo, Excel US), and the
    // day-first slash pattern is chosen only when a sample day exceeds 12.
    private const string IsoDate = "yyyy-MM-dd";

    private static readonly DateFormat[] Known =
    [
        new(IsoDate),
        new("yyyy-MM-dd HH:mm:ss"),
        new("yyyy-MM-dd HH:mm"),
        new("yyyy-MM-ddTHH:mm:ss"),
        new("yyyy-MM-ddTHH:mm"),
        new("yyyy-MM-ddTHH:mm:ss.FFFFFFF"),
        new("yyyy-MM-ddTHH:mm:ssK"),
        new("yyyy-MM-ddTHH:mm:ss.FFFFFFFK"),
        new("yyyy-MM-dd HH:mm:ssK"),
        new("yyyy-MM-dd HH:mm:ss.FFFFFFF"),
        new("yyyy-M-d"),
        new("yyyy/M/d"),
        new("yyyy/M/d H:mm"),
        new("yyyy/M/d H:mm:ss"),
        new("yyyyMMdd"),
        new("M/d/yyyy"),
        new("M/d/yyyy H:mm"),
        new("M/d/yyyy H:mm:ss"),
        new("M/d/yyyy h:mm:ss tt"),
        new("M/d/yyyy h:mm tt"),
        new("d/M/yyyy"),
        new("d/M/yyyy H:mm"),
        new("d/M/yyyy H:mm:ss"),
        new("d.M.yyyy"),
        new("d.M.yyyy H:mm"),
        new("d.M.yyyy H:mm:ss"),
        new("d-M-yyyy"),
        new("d-MMM-yyyy"),
        new("d-MMM-yy"),
        new("d MMM yyyy"),
        new("MMM d, yyyy"),
        new("M/d/yy"),
        new("d.M.yy"),
    ];

    private readonly string? _pattern;
    private readonly long _unitTicks;

    private DateFormat(string pattern)
    {
        _pattern = pattern;
        Name = pattern;
    }

    private DateFormat(long unitTicks, string name)
    {
        _unitTicks = unitTicks;
        Name = name;
    }

    public static DateFormat UnixSeconds { get; } = new(TimeSpan.TicksPerSecond, "Unix seconds");

    public static DateFormat UnixMilliseconds { get; } = new(TimeSpan.TicksPerMillisecond, "Unix milliseconds");

    /// <summary>The pattern as users read it, e.g. "yyyy-MM-dd" or "Unix seconds".</summary>
    public string Name { get; }

    /// <summary>
    /// The first known format that parses every sample value, or null. Under a header that names a date, the format
    /// that parses at least 90% is taken. Unix epochs are considered only under such a header, because plain
    /// integers are far more often data.
    /// </summary>
    public static DateFormat? Detect(IReadOnlyList<string> samples, bool headerSaysDate)
    {
        if (samples.Count == 0)
        {
            return null;
        }

        DateFormat? best = null;
        var bestParsed = 0;
        foreach (var format in Known)
        {
            var parsed = samples.Count(s => format.TryParse(s, out _));
            if (parsed == samples.Count)
            {
                return format;
            }

            if (parsed > bestParsed)
            {
                (best, bestParsed) = (format, parsed);
            }
        }

        // Under a date header, a few bad cells should not hide the column: the import then names the bad line.
        if (headerSaysDate && best is not null && bestParsed >= samples.Count * 0.9)
        {
            return best;
        }

        if (headerSaysDate && samples.All(s => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            var first = long.Parse(samples[0], CultureInfo.InvariantCulture);
            return first switch
            {
                >= 100_000_000 and < 10_000_000_000 => UnixSeconds,
                >= 100_000_000_000 and < 10_000_000_000_000 => UnixMilliseconds,
                _ => null,
            };
        }

        return null;
    }

    /// <summary>Parses with this format only; other formats are not tried, so one file cannot mix day- and month-first.</summary>
    public bool TryParse(ReadOnlySpan<char> text, out DateTime value)
    {
        if (_pattern is not null)
        {
            // ISO dates are by far the most common; parsing their digits directly is several times faster.
            return ReferenceEquals(_pattern, IsoDate) && TryParseIsoDate(text, out value)
                || DateTime.TryParseExact(text, _pattern, CultureInfo.InvariantCulture, Styles, out value);
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var units)
            && units <= (DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / _unitTicks)
        {
            value = DateTime.UnixEpoch.AddTicks(units * _unitTicks);
            return true;
        }

        value = default;
        return false;
    }

    private static bool TryParseIsoDate(ReadOnlySpan<char> text, out DateTime value)
    {
        value = default;
        if (text.Length != 10 || text[4] != '-' || text[7] != '-')
        {
            return false;
        }

        var year = Digits(text[..4]);
        var month = Digits(text.Slice(5, 2));
        var day = Digits(text.Slice(8, 2));
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        value = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc);
        return true;
    }

    private static int Digits(ReadOnlySpan<char> text)
    {
        var number = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return -1;
            }

            number = (number * 10) + (c - '0');
        }

        return number;
    }
}
