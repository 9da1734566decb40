namespace BlazorForecast.Web.Features.Datasets;

/// <summary>A name or description the user must change; the message says how.</summary>
public sealed class DatasetValidationException : Exception
{
    public DatasetValidationException(string message)
        : base(message)
    {
    }

    public DatasetValidationException()
    {
    }

    public DatasetValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
