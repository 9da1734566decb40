using System.Globalization;
using System.Text;

namespace BlazorForecast.Forecasting.Data;

/// <summary>How a CSV file is written, as detected from its first bytes.</summary>
public sealed record CsvFormat(char Delimiter, char DecimalSeparator, Encoding Encoding, bool HasByteOrderMark)
{
    public string DelimiterName => Delimiter switch
    {
        ',' => "comma",
        ';' => "semicolon",
        '\t' => "tab",
        '|' => "pipe",
        _ => $"'{Delimiter}'",
    };

    public string EncodingName => Encoding.CodePage == Encoding.UTF8.CodePage ? "UTF-8" : "Latin-1";

    /// <summary>Number format for values: a decimal comma implies '.' as the thousands separator, and the reverse.</summary>
    public NumberFormatInfo NumberFormat { get; } = DecimalSeparator == ','
        ? new NumberFormatInfo { NumberDecimalSeparator = ",", NumberGroupSeparator = "." }
        : NumberFormatInfo.InvariantInfo;

    /// <summary>Thousands separators are accepted only where they cannot be mistaken for the delimiter or the decimal.</summary>
    public NumberStyles NumberStyles { get; } = DecimalSeparator == ',' || Delimiter != ','
        ? NumberStyles.Float | NumberStyles.AllowThousands
        : NumberStyles.Float;
}
