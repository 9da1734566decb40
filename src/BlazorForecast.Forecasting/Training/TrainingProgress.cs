namespace BlazorForecast.Forecasting.Training;

/// <summary>What a running training reports; subscribers receive these on the training thread.</summary>
public abstract record TrainingProgress
{
    /// <summary>The walk-forward fold being trained (0 for a single split).</summary>
    public int Fold { get; init; }

    /// <summary>Which of the run's seeds is being trained: 0 for the first (the config's seed), 1 for the next, ...</summary>
    public int SeedIndex { get; init; }

    /// <summary>The seed itself: the config's seed plus <see cref="SeedIndex"/>.</summary>
    public int Seed { get; init; }
}

/// <summary>
/// An epoch has finished. Losses are mean squared errors on the standardised targets; <see cref="IsBest"/> marks a new
/// best validation loss (whose weights are kept).
/// </summary>
public sealed record EpochCompleted(
    int Epoch,
    int MaxEpochs,
    double TrainLoss,
    double ValidationLoss,
    double LearningRate,
    TimeSpan Duration,
    double SamplesPerSecond,
    bool IsBest) : TrainingProgress;

/// <summary>Within an epoch, throttled to a few per second: batch <see cref="Batch"/> of <see cref="Batches"/>.</summary>
public sealed record BatchCompleted(int Epoch, int Batch, int Batches) : TrainingProgress;

/// <summary>
/// One training of a run (one seed of one fold) has finished; with its best weights a resumed run evaluates it
/// again instead of training it again.
/// </summary>
public sealed record PartTrained(TrainingSummary Summary, byte[] BestWeights) : TrainingProgress;

public enum StopReason
{
    /// <summary>All epochs ran.</summary>
    MaxEpochs,

    /// <summary>The validation loss stopped improving for the patience.</summary>
    EarlyStopped,

    /// <summary>The time limit was reached.</summary>
    WallTime,

    /// <summary>Someone stopped the run.</summary>
    Cancelled,

    /// <summary>The loss became NaN or infinite.</summary>
    NonFiniteLoss,
}
