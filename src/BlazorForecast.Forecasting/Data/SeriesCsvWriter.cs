using System.Globalization;
using System.Text;

namespace BlazorForecast.Forecasting.Data;

/// <summary>
/// Writes a series as RFC 4180 CSV (ISO dates, invariant numbers). Text that a spreadsheet would run as a formula
/// (leading = + - @, tab or carriage return) is prefixed with a quote, so a downloaded file cannot execute anything.
/// </summary>
public static class SeriesCsvWriter
{
    public static async Task WriteAsync(TimeSeriesFrame frame, TextWriter writer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(writer);
        var intraday = Array.Exists(frame.Timestamps, t => t.TimeOfDay != TimeSpan.Zero);
        var line = new StringBuilder(256);

        line.Append("Date");
        foreach (var column in frame.Columns)
        {
            line.Append(',').Append(EscapeText(column.Name));
        }

        await writer.WriteLineAsync(line, cancellationToken);
        for (var r = 0; r < frame.RowCount; r++)
        {
            line.Clear();
            line.Append(frame.Timestamps[r].ToString(intraday ? "yyyy-MM-ddTHH:mm:ss" : "yyyy-MM-dd", CultureInfo.InvariantCulture));
            foreach (var column in frame.Columns)
            {
                line.Append(',').Append(column.Values[r].ToString("R", CultureInfo.InvariantCulture));
            }

            await writer.WriteLineAsync(line, cancellationToken);
        }
    }

    /// <summary>Quotes a text cell and neutralises a leading formula character.</summary>
    public static string EscapeText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var guarded = text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
        var needsQuotes = guarded.AsSpan().IndexOfAny(",\"\r\n") >= 0 || guarded != text;
        return needsQuotes ? "\"" + guarded.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : guarded;
    }
}
