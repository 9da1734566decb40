using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Training;

/// <summary>
/// What the trainer needs of the data: the windows to fit on and to stop on (by id), batches of them, their shape and
/// the loss. One series' <see cref="WindowedProblem"/>, or a <see cref="UniverseProblem"/> drawing windows from many.
/// </summary>
public interface ITrainingProblem
{
    ForecastConfig Config { get; }

    int Lookback { get; }

    int Horizon { get; }

    int FeatureCount { get; }

    int TargetCount { get; }

    /// <summary>Where each target's own series sits among the inputs (DLinear and anchoring read these).</summary>
    IReadOnlyList<int> TargetFeatureIndices { get; }

    int[] TrainOrigins { get; }

    int[] ValidationOrigins { get; }

    TrainingLoss Loss { get; }

    /// <summary>One epoch's training windows in a seeded random order.</summary>
    int[] TrainingOrder(int epochSeed);

    /// <summary>Inputs [B, Lookback, Features] and targets [B, Horizon, Targets] for the given windows.</summary>
    (Tensor Inputs, Tensor Targets) Batch(ReadOnlySpan<int> origins, Device device);
}
