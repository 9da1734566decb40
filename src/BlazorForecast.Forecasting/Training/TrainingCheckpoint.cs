namespace BlazorForecast.Forecasting.Training;

/// <summary>
/// The state after a completed epoch, enough to resume: current and best weights, the optimiser's moments and
/// learning rate, and the early-stopping counters. Weights are TorchSharp's own format (fits a BLOB).
/// </summary>
public sealed record TrainingCheckpoint(
    int EpochsDone,
    byte[] Weights,
    byte[] Optimizer,
    byte[] BestWeights,
    double BestValidationLoss,
    int BestEpoch,
    int EpochsWithoutImprovement,
    int EpochsSinceLearningRateChange,
    double LearningRate,
    IReadOnlyList<EpochCompleted> History);
