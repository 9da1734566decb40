namespace BlazorForecast.Forecasting.Sweeps;

/// <summary>A search space or sweep definition that cannot run, with every problem in words for the user.</summary>
public sealed class SweepSpaceException : Exception
{
    public SweepSpaceException(IReadOnlyList<string> problems)
        : base(string.Join(" ", problems ?? []))
    {
        Problems = problems ?? [];
    }

    public SweepSpaceException()
    {
        Problems = [];
    }

    public SweepSpaceException(string message)
        : base(message)
    {
        Problems = [message];
    }

    public SweepSpaceException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public IReadOnlyList<string> Problems { get; }
}
