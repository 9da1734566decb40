namespace BlazorForecast.Web.Data;

/// <summary>Where a sweep is: Searching → (Choosing →) Finishing → Finished, or Cancelled | Failed.</summary>
public enum SweepStatus
{
    /// <summary>Trials are proposed, trained and stopped early; test scores stay hidden.</summary>
    Searching,

    /// <summary>The search is over and waits for someone to pick the trial to retrain.</summary>
    Choosing,

    /// <summary>The chosen configuration is retrained on the base seeds; its test scores come once it ends.</summary>
    Finishing,

    Finished,
    Cancelled,
    Failed,
}

/// <summary>
/// What a run is to a sweep: one of its trials, its result (the chosen configuration retrained), or the ensemble of its
/// best trials scored beside the result.
/// </summary>
public enum SweepRole
{
    None,
    Trial,
    Result,
    Ensemble,
}

/// <summary>
/// A search over settings on one dataset: a base config, a <see cref="Forecasting.Sweeps.SweepDefinition"/>, and the
/// runs it queued — trials ranked by validation loss, then one result run scored on test (and, when asked for, an ensemble
/// run of the best trials beside it).
/// </summary>
public sealed class Sweep : IOwned
{
    public int Id { get; set; }

    public int DatasetId { get; set; }

    public string? OwnerId { get; set; }

    public Visibility Visibility { get; set; } = Visibility.Team;

    public required string Name { get; set; }

    /// <summary>The <see cref="Forecasting.Training.ForecastConfig"/> every trial starts from, as JSON.</summary>
    public required string BaseConfigJson { get; set; }

    /// <summary>The <see cref="Forecasting.Sweeps.SweepDefinition"/> as JSON.</summary>
    public required string DefinitionJson { get; set; }

    public SweepStatus Status { get; set; }

    /// <summary>Why it ended the way it did, or what it waits for, in words.</summary>
    public string? StatusDetail { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>No trial starts after this moment (UTC).</summary>
    public DateTime SearchEndsBy { get; set; }

    public DateTime? FinishedAt { get; set; }

    /// <summary>The trial picked on validation loss, once the search is over.</summary>
    public int? ChosenRunId { get; set; }

    /// <summary>The chosen configuration retrained on the base seeds: the sweep's result.</summary>
    public int? ResultRunId { get; set; }
}
