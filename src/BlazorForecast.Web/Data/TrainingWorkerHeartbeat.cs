namespace BlazorForecast.Web.Data;

/// <summary>
/// A training worker as the database knows it: its name, the device it trains on, and when it last said it was alive
/// (every few seconds), so the web tier knows which workers, and so which devices, can take runs.
/// </summary>
public sealed class TrainingWorkerHeartbeat
{
    public required string Name { get; set; }

    /// <summary>"cpu", or the CUDA device it trains on ("cuda:0").</summary>
    public required string Device { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime LastSeenAt { get; set; }
}
