namespace BlazorForecast.Forecasting.Training;

public enum LearningRateSchedule
{
    /// <summary>Multiply the rate by the factor after <see cref="TrainingOptions.LearningRatePatience"/> epochs without improvement.</summary>
    ReduceOnPlateau,

    /// <summary>
    /// Multiply the rate by the factor after every epoch from the second on: the DLinear/Autoformer "type1" schedule
    /// (with 0.5), whose first two epochs both train at the initial rate.
    /// </summary>
    DecayEveryEpoch,
}

public enum DeviceChoice
{
    Auto,
    Cpu,
    Cuda,
}

/// <summary>How a model is fitted: optimiser, schedule, regularisation, stopping rules, reproducibility, device.</summary>
public sealed record TrainingOptions
{
    public const int MaxSeeds = 10;

    public int MaxEpochs { get; init; } = 50;

    public int BatchSize { get; init; } = 64;

    /// <summary>AdamW's initial learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>AdamW's decoupled weight decay.</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>Epochs without a better validation loss before training stops (best weights are restored).</summary>
    public int Patience { get; init; } = 8;

    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.ReduceOnPlateau;

    /// <summary>Epochs without improvement before the learning rate is multiplied by <see cref="LearningRateFactor"/>.</summary>
    public int LearningRatePatience { get; init; } = 3;

    public double LearningRateFactor { get; init; } = 0.5;

    /// <summary>Largest gradient norm; 0 turns clipping off.</summary>
    public double GradientClip { get; init; } = 1.0;

    /// <summary>Stop after this long even if epochs remain; null for no limit.</summary>
    public TimeSpan? MaxWallTime { get; init; }

    public int Seed { get; init; } = 42;

    /// <summary>
    /// How many seeds to train (<see cref="Seed"/>, <see cref="Seed"/> + 1, ...): one seed is one draw, and several show
    /// how much of a result is the draw. With more than one, the run's model is their ensemble (the mean forecast).
    /// </summary>
    public int Seeds { get; init; } = 1;

    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;

    /// <summary>libtorch intra-op threads for this process; null keeps the current setting.</summary>
    public int? Threads { get; init; }

    public string? Problem() => this switch
    {
        { MaxEpochs: < 1 } => "Training needs at least one epoch.",
        { BatchSize: < 1 } => "The batch size must be at least 1.",
        { LearningRate: <= 0 } => "The learning rate must be positive.",
        { WeightDecay: < 0 } => "Weight decay cannot be negative.",
        { Patience: < 1 } => "Early-stopping patience must be at least 1 epoch.",
        { LearningRateFactor: <= 0 or >= 1 } => "The learning-rate factor must be between 0 and 1.",
        { GradientClip: < 0 } => "The gradient clip cannot be negative.",
        { Threads: < 1 } => "Threads must be at least 1.",
        { Seeds: < 1 or > MaxSeeds } => $"Seeds must be between 1 and {MaxSeeds}.",
        _ => null,
    };
}
