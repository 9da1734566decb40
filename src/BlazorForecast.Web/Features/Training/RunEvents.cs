using BlazorForecast.Web.Data;

namespace BlazorForecast.Web.Features.Training;

/// <summary>
/// A change to a run, sent to in-process subscribers and to the SignalR group "run-{id}". Between machines (a training
/// worker's events relayed by every web node) it travels as JSON with a "kind".
/// </summary>
[System.Text.Json.Serialization.JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[System.Text.Json.Serialization.JsonDerivedType(typeof(RunStatusChanged), "status")]
[System.Text.Json.Serialization.JsonDerivedType(typeof(RunEpochCompleted), "epoch")]
[System.Text.Json.Serialization.JsonDerivedType(typeof(RunBatchProgress), "batch")]
public abstract record RunEvent(int RunId);

/// <summary>Hub event "StatusChanged".</summary>
public sealed record RunStatusChanged(int RunId, RunStatus Status, string? Detail, string? Device, int? QueuePosition) : RunEvent(RunId)
{
    /// <summary>The training worker that trains the run (null when the web process trains it itself).</summary>
    public string? Worker { get; init; }
}

/// <summary>
/// Hub event "EpochCompleted": one persisted epoch of one training of the run — <see cref="Fold"/> (0 for a single
/// split) and <see cref="SeedIndex"/> (0 for the first seed) say which; <paramref name="CompletedAt"/> (UTC) is when
/// training finished it.
/// </summary>
public sealed record RunEpochCompleted(
    int RunId, int Epoch, int MaxEpochs, double TrainLoss, double ValidationLoss, double LearningRate,
    double DurationSeconds, double SamplesPerSecond, bool IsBest, DateTime CompletedAt) : RunEvent(RunId)
{
    public int Fold { get; init; }

    public int SeedIndex { get; init; }

    public int Seed { get; init; }

    /// <summary>The training's place in the run's order (every seed of a fold, then the next fold).</summary>
    public int Part(int seeds) => (Fold * seeds) + SeedIndex;
}

/// <summary>Hub event "BatchProgress": batch i of n within an epoch of one training (throttled).</summary>
public sealed record RunBatchProgress(int RunId, int Epoch, int Batch, int Batches) : RunEvent(RunId)
{
    public int Fold { get; init; }

    public int SeedIndex { get; init; }

    public int Seed { get; init; }
}

/// <summary>
/// What a viewer needs to catch up when it joins a run: its state and every persisted epoch, with how many seeds and
/// folds it trains and the first seed.
/// </summary>
public sealed record RunSnapshot(int RunId, RunStatus Status, string? Detail, string? Device, int MaxEpochs, IReadOnlyList<RunEpochCompleted> Epochs)
{
    public int Seeds { get; init; } = 1;

    public int Folds { get; init; } = 1;

    /// <summary>A sweep's ensemble, whose members train in the place of folds: they are named members, not folds.</summary>
    public bool FoldsAreMembers { get; init; }

    public int FirstSeed { get; init; }

    /// <summary>The training worker that trains (or trained) the run; null when the web process trains it itself.</summary>
    public string? Worker { get; init; }
}

/// <summary>
/// Where a training's events go: the web process's hub and components (<see cref="TrainingNotifier"/>), or, from a
/// training worker on another machine, the database's notification channel that every web node relays.
/// </summary>
public interface IRunEventPublisher
{
    Task PublishAsync(RunEvent runEvent);
}
