namespace BlazorForecast.Forecasting.Training;

/// <summary>
/// The largest run a server accepts: an upper bound for every size, count and duration a request can set, so no
/// request can allocate what the machine does not have or hold the training slot for days. An operator's settings;
/// the defaults leave room for every published long-horizon setup (e.g. lookback 336, horizon 720).
/// </summary>
public sealed record RunLimits
{
    public int MaxLookback { get; init; } = 2048;

    public int MaxHorizon { get; init; } = 1024;

    public int MaxTargets { get; init; } = 64;

    public int MaxFeatures { get; init; } = 64;

    /// <summary>The longest window of a feature (moving average, RSI, volatility, volume z-score).</summary>
    public int MaxFeatureWindow { get; init; } = 1000;

    public int MaxHiddenSize { get; init; } = 1024;

    public int MaxLayers { get; init; } = 8;

    public int MaxHeads { get; init; } = 32;

    public int MaxKernelSize { get; init; } = 64;

    public int MaxTrendKernel { get; init; } = 1001;

    public int MaxEpochs { get; init; } = 1000;

    public int MaxBatchSize { get; init; } = 4096;

    public int MaxWalkForwardFolds { get; init; } = 20;

    /// <summary>The longest a training may run, and the limit of runs that set none.</summary>
    public TimeSpan MaxWallTime { get; init; } = TimeSpan.FromHours(12);

    /// <summary>The most trials one sweep may train.</summary>
    public int MaxSweepTrials { get; init; } = 200;

    /// <summary>The most trials of one sweep queued or training at once.</summary>
    public int MaxSweepConcurrency { get; init; } = 4;

    /// <summary>The longest a sweep may search, and the limit of sweeps that set none.</summary>
    public TimeSpan MaxSweepWallTime { get; init; } = TimeSpan.FromHours(72);

    /// <summary>Every setting of the config above its limit, in words; empty when the config fits.</summary>
    public IReadOnlyList<string> Problems(ForecastConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<string>();
        void Check(string what, long value, long max)
        {
            if (value > max)
            {
                problems.Add($"{what} is {value:N0}; this server allows at most {max:N0}.");
            }
        }

        Check("The lookback", config.Lookback, MaxLookback);
        Check("The horizon", config.Horizon, MaxHorizon);
        Check("The number of targets", config.Targets.Count, MaxTargets);
        Check("The number of features and joined inputs", config.Features.Count + config.Inputs.Count, MaxFeatures);
        foreach (var feature in config.Features.Where(f => f.Window > MaxFeatureWindow))
        {
            problems.Add($"The window of feature '{feature.Name}' is {feature.Window:N0} rows; this server allows at most {MaxFeatureWindow:N0}.");
        }

        Check("The hidden size", config.Model.HiddenSize, MaxHiddenSize);
        Check("The number of layers", config.Model.Layers, MaxLayers);
        Check("The number of attention heads", config.Model.Heads, MaxHeads);
        Check("The CNN kernel size", config.Model.KernelSize, MaxKernelSize);
        Check("The DLinear trend kernel", config.Model.TrendKernel, MaxTrendKernel);
        Check("The number of epochs", config.Training.MaxEpochs, MaxEpochs);
        Check("The patience", config.Training.Patience, MaxEpochs);
        Check("The learning-rate patience", config.Training.LearningRatePatience, MaxEpochs);
        Check("The batch size", config.Training.BatchSize, MaxBatchSize);
        Check("The number of walk-forward folds", config.WalkForwardFolds, MaxWalkForwardFolds);
        if (config.Training.MaxWallTime is TimeSpan wallTime && (wallTime > MaxWallTime || wallTime <= TimeSpan.Zero))
        {
            problems.Add($"The time limit must be above zero and at most {MaxWallTime} on this server, not {wallTime}.");
        }

        return problems;
    }

    /// <summary>
    /// The config as this server trains it: without a time limit it gets the server's, and the thread count is the
    /// server's setting, never a request's.
    /// </summary>
    public ForecastConfig Apply(ForecastConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config with { Training = config.Training with { MaxWallTime = config.Training.MaxWallTime ?? MaxWallTime, Threads = null } };
    }
}
