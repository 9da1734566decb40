namespace BlazorForecast.Web.Data;

/// <summary>Where a training run is in its life: Queued → Running → Succeeded | Failed | Cancelled | Interrupted.</summary>
public enum RunStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,

    /// <summary>The server stopped while the run was running; it can be resumed from its last checkpoint or retried.</summary>
    Interrupted,
}

/// <summary>A training run of one dataset with one config, its progress and, once finished, its results.</summary>
public sealed class Run : IOwned
{
    /// <summary>A queued run of a config: the config stored as JSON with the figures lists show (model, epochs, seeds, folds).</summary>
    public static Run Queued(int datasetId, string name, string? ownerId, Visibility visibility, Forecasting.Training.ForecastConfig config, DateTime createdAt)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Run
        {
            DatasetId = datasetId,
            Name = name,
            OwnerId = ownerId,
            Visibility = visibility,
            ConfigJson = System.Text.Json.JsonSerializer.Serialize(config, Forecasting.Training.ForecastJson.Options),
            ModelKind = config.Model.Kind.ToString(),
            MaxEpochs = config.Training.MaxEpochs,
            Seeds = config.Training.Seeds,
            Folds = Math.Max(1, config.WalkForwardFolds),
            NeedsGpu = config.Training.Device == Forecasting.Training.DeviceChoice.Cuda,
            Status = RunStatus.Queued,
            CreatedAt = createdAt,
        };
    }

    public int Id { get; set; }

    public int DatasetId { get; set; }

    /// <summary>The account that uploaded or started it; null for the demo and for data from before accounts.</summary>
    public string? OwnerId { get; set; }

    public Visibility Visibility { get; set; } = Visibility.Team;

    public required string Name { get; set; }

    public string? Notes { get; set; }

    /// <summary>The <see cref="Forecasting.Training.ForecastConfig"/> as JSON.</summary>
    public required string ConfigJson { get; set; }

    public required string ModelKind { get; set; }

    public RunStatus Status { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public string? Device { get; set; }

    /// <summary>Epochs done in the training under way (one seed of one fold).</summary>
    public int EpochsDone { get; set; }

    /// <summary>The epoch limit of each training.</summary>
    public int MaxEpochs { get; set; }

    /// <summary>Seeds trained per fold (1 unless several were asked for).</summary>
    public int Seeds { get; set; } = 1;

    /// <summary>Walk-forward folds (1 for a single split); for a sweep's ensemble, its members, each trained in the place of a fold.</summary>
    public int Folds { get; set; } = 1;

    /// <summary>Trainings finished, of <see cref="Seeds"/> × <see cref="Folds"/>; fold-major (every seed of a fold, then the next fold).</summary>
    public int PartsDone { get; set; }

    public double? BestValidationLoss { get; set; }

    /// <summary>Why the run ended the way it did: the stop reason, or the failure in words.</summary>
    public string? StatusDetail { get; set; }

    /// <summary>The model's test RMSE in original units (the first fold's for walk-forward), for sorting the list.</summary>
    public double? TestRmse { get; set; }

    /// <summary>Set when a stopped or interrupted run is queued again to continue from its last checkpoint.</summary>
    public bool ResumeFromCheckpoint { get; set; }

    /// <summary>The run insists on a GPU: only a worker with one may claim it (Auto and Cpu runs go to any).</summary>
    public bool NeedsGpu { get; set; }

    /// <summary>The training worker that claimed the run (null while queued, and for runs trained by the web process).</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>
    /// Until when the claiming worker holds the run; it renews this every few seconds, so a passed lease means the
    /// worker died and the run is queued again from its last checkpoint.
    /// </summary>
    public DateTime? LeaseExpiresAt { get; set; }

    /// <summary>How many times a worker has claimed the run (a run whose workers keep dying is given up after a few).</summary>
    public int Attempts { get; set; }

    /// <summary>Someone asked to stop the run; the worker training it stops within a batch.</summary>
    public bool CancelRequested { get; set; }

    /// <summary>Test scores of the model and the baselines, per fold, as JSON.</summary>
    public string? ResultJson { get; set; }

    /// <summary>
    /// The run's significance tests, direction tests, interval coverage and seed summary pooled over its folds, as JSON
    /// (an <see cref="Forecasting.Evaluation.Assessment"/>); null for runs finished before these were measured.
    /// </summary>
    public string? AssessmentJson { get; set; }

    /// <summary>The sweep that queued this run, as one of its trials or as its result; null for a run started by hand.</summary>
    public int? SweepId { get; set; }

    public SweepRole SweepRole { get; set; }

    /// <summary>A trial's number in its sweep, from 0.</summary>
    public int? TrialNumber { get; set; }

    /// <summary>A trial's point in the sweep's search space, as a JSON array of numbers.</summary>
    public string? TrialPointJson { get; set; }

    /// <summary>
    /// A trial's objective: the best validation loss of each of its trainings, averaged over walk-forward folds (set
    /// when the trial ends; partial for one stopped early).
    /// </summary>
    public double? Objective { get; set; }

    /// <summary>
    /// A sweep's ensemble run: its members and how they are blended, as JSON (an <see cref="Features.Sweeps.EnsemblePlan"/>),
    /// with each member's weight once trained; null for every other run.
    /// </summary>
    public string? EnsembleJson { get; set; }

    /// <summary>
    /// A trial not trained because an earlier trial of its sweep trains the same network (its model kind does not read
    /// the settings that differ): that trial's number, whose validation loss it shares. Null for every trained run.
    /// </summary>
    public int? SameAsTrial { get; set; }

    /// <summary>Why the sweep's rule stopped this trial early; null for a trial that was not.</summary>
    public string? StoppedEarlyBecause { get; set; }

    public List<RunEpoch> Epochs { get; set; } = [];

    public List<RunTag> Tags { get; set; } = [];
}

/// <summary>A label on a run ("baseline", "paper", "2024 review"), for finding and grouping runs.</summary>
public sealed class RunTag
{
    public int RunId { get; set; }

    public required string Tag { get; set; }
}

/// <summary>One finished epoch of one of a run's trainings, persisted so late or reconnecting viewers can catch up.</summary>
public sealed class RunEpoch
{
    public int RunId { get; set; }

    /// <summary>The walk-forward fold whose training this epoch belongs to (0 for a single split).</summary>
    public int Fold { get; set; }

    /// <summary>Which of the run's seeds (0 for the first) this epoch trained.</summary>
    public int SeedIndex { get; set; }

    public int Epoch { get; set; }

    public double TrainLoss { get; set; }

    public double ValidationLoss { get; set; }

    public double LearningRate { get; set; }

    public double DurationSeconds { get; set; }

    public double SamplesPerSecond { get; set; }

    /// <summary>When training finished the epoch (UTC).</summary>
    public DateTime CompletedAt { get; set; }
}

/// <summary>Binary artefacts of a run: the latest checkpoint (for resume), the trained model bundle and its predictions.</summary>
public sealed class RunArtifact
{
    public int RunId { get; set; }

    public byte[]? Checkpoint { get; set; }

    public byte[]? Model { get; set; }

    /// <summary>A gzipped <see cref="Forecasting.Evaluation.PredictionSet"/>.</summary>
    public byte[]? Predictions { get; set; }
}

/// <summary>
/// A finished training of a run of several (one seed of one fold) with its best weights, so an interrupted run resumes
/// without training it again. Removed once the run has succeeded: its model bundle then holds what is needed.
/// </summary>
public sealed class RunPart
{
    public int RunId { get; set; }

    public int Fold { get; set; }

    public int SeedIndex { get; set; }

    /// <summary>The <see cref="Forecasting.Training.TrainingSummary"/> as JSON.</summary>
    public required string SummaryJson { get; set; }

    public required byte[] Weights { get; set; }
}
