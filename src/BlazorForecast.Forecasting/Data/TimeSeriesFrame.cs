namespace BlazorForecast.Forecasting.Data;

/// <summary>One numeric column of a series: its display name, the header it came from, and its values.</summary>
public sealed record SeriesColumn(string Name, string SourceName, ColumnRole Role, double[] Values);

/// <summary>A dated multi-column series, sorted by time with unique timestamps (UTC).</summary>
public sealed class TimeSeriesFrame
{
    public TimeSeriesFrame(DateTime[] timestamps, IReadOnlyList<SeriesColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(timestamps);
        ArgumentNullException.ThrowIfNull(columns);
        foreach (var column in columns)
        {
            if (column.Values.Length != timestamps.Length)
            {
                throw new ArgumentException(
                    $"Column '{column.Name}' has {column.Values.Length} values for {timestamps.Length} timestamps.",
                    nameof(columns));
            }
        }

        Timestamps = timestamps;
        Columns = columns;
    }

    public DateTime[] Timestamps { get; }

    public IReadOnlyList<SeriesColumn> Columns { get; }

    public int RowCount => Timestamps.Length;

    public SeriesColumn? Find(ColumnRole role) => Columns.FirstOrDefault(c => c.Role == role);

    public SeriesColumn? Find(string name) =>
        Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>True when the series has Open, High, Low and Close, so it can be drawn as candlesticks.</summary>
    public bool HasOhlc =>
        Find(ColumnRole.Open) is not null && Find(ColumnRole.High) is not null
        && Find(ColumnRole.Low) is not null && Find(ColumnRole.Close) is not null;
}
