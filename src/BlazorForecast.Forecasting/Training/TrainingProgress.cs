namespace BlazorForecast.Forecasting.Training;

/// <summary>What a running training reports; subscribers receive these on the training thread.</summary>
public abstract record TrainingProgress;

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
