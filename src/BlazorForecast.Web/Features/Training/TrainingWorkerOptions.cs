namespace BlazorForecast.Web.Features.Training;

/// <summary>Settings of a training worker on its own machine (`blazorforecast worker`), under "BlazorForecast:Worker".</summary>
public sealed class TrainingWorkerOptions
{
    public const string Section = "BlazorForecast:Worker";

    /// <summary>How the worker is named on runs and in the list of workers; unique among the workers sharing a database.</summary>
    public string Name { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Where it trains: "cpu", or "cuda" / "cuda:0" for a GPU, which also lets it claim runs that insist on one.</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>How long a claim holds without renewal: a worker silent for this long is taken for dead.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the worker renews its claims, says it is alive and looks for a stop request or a dead worker's run.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often an idle worker looks for a queued run.</summary>
    public TimeSpan Poll { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Claims of one run (its workers dying each time) after which it is interrupted instead of queued again.</summary>
    public int MaxAttempts { get; set; } = 3;

    public bool HasGpu => Device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase);
}
