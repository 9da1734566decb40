namespace BlazorForecast.Forecasting.Data;

/// <summary>What to do with rows that have an empty or non-numeric-marker value (empty, null, NaN, N/A, ...).</summary>
public enum MissingValuePolicy
{
    /// <summary>Drop every row with a missing value in any imported column.</summary>
    DropRows,

    /// <summary>Carry the previous row's value forward; leading rows without a previous value are dropped.</summary>
    ForwardFill,
}

/// <summary>Choices the user confirms before an import; null means "use the detected guess".</summary>
public sealed record CsvImportOptions
{
    public const int DefaultMaxColumns = 64;

    public string? DateColumn { get; init; }

    public string? Target { get; init; }

    public MissingValuePolicy MissingValues { get; init; } = MissingValuePolicy.DropRows;

    public int MaxColumns { get; init; } = DefaultMaxColumns;
}
