namespace BlazorForecast.Forecasting.Training;

/// <summary>
/// The state after a completed epoch, enough to resume: current and best weights, the optimiser's moments and
/// learning rate, and the early-stopping counters. Weights are TorchSharp's own format (fits a BLOB). A run of several
/// folds or seeds trains one part at a time; <see cref="Fold"/> and <see cref="SeedIndex"/> say which part this is.
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
    IReadOnlyList<EpochCompleted> History)
{
    public int Fold { get; init; }

    public int SeedIndex { get; init; }
}

/// <summary>
/// Where an interrupted run picks up: the parts it finished (each seed of each fold, with its best weights) and the
/// checkpoint of the part it was training, if any.
/// </summary>
public sealed record ResumePoint(IReadOnlyList<PartTrained> Completed, TrainingCheckpoint? Checkpoint)
{
    public PartTrained? CompletedPart(int fold, int seedIndex) =>
        Completed.FirstOrDefault(p => p.Fold == fold && p.SeedIndex == seedIndex);

    public TrainingCheckpoint? CheckpointOf(int fold, int seedIndex) =>
        Checkpoint is { } c && c.Fold == fold && c.SeedIndex == seedIndex ? c : null;
}
