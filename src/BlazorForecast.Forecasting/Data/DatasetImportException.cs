namespace BlazorForecast.Forecasting.Data;

/// <summary>
/// Input that cannot become a dataset. The message is written for the user; <see cref="Line"/> (1-based, the header
/// is line 1) and <see cref="Column"/> say where, when the problem has a place.
/// </summary>
public sealed class DatasetImportException : Exception
{
    public DatasetImportException(string message, int? line = null, string? column = null)
        : base(message)
    {
        Line = line;
        Column = column;
    }

    public DatasetImportException()
    {
    }

    public DatasetImportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int? Line { get; }

    public string? Column { get; }
}
