namespace BlazorForecast.Forecasting.Data;

/// <summary>What the first rows of a file say about one column.</summary>
public sealed record CsvColumnProfile(int Index, string Header, ColumnRole Role, bool IsNumeric, DateFormat? DateFormat);

/// <summary>
/// The result of reading a file's first rows: its format, its columns, and the guesses the user confirms
/// (date column and default target) before the full import.
/// </summary>
public sealed record CsvInspection(
    CsvFormat Format,
    IReadOnlyList<CsvColumnProfile> Columns,
    IReadOnlyList<string> DateColumnCandidates,
    string GuessedDateColumn,
    IReadOnlyList<string> NumericColumns,
    string GuessedTarget,
    IReadOnlyList<IReadOnlyList<string>> SampleRows)
{
    public IReadOnlyList<string> Headers => Columns.Select(c => c.Header).ToList();

    /// <summary>Numeric columns other than the given date column: the choices for the target.</summary>
    public IReadOnlyList<string> TargetCandidates(string dateColumn) =>
        NumericColumns.Where(c => !string.Equals(c, dateColumn, StringComparison.Ordinal)).ToList();
}
