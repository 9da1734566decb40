namespace BlazorForecast.Forecasting.Data;

/// <summary>The inputs a model can be given; every one is causal (row t uses rows up to t only).</summary>
public enum FeatureKind
{
    /// <summary>The column's value.</summary>
    Raw,

    /// <summary>Simple return x[t] / x[t-1] - 1.</summary>
    Return,

    /// <summary>Log return ln(x[t] / x[t-1]).</summary>
    LogReturn,

    /// <summary>Simple moving average over Window rows.</summary>
    MovingAverage,

    /// <summary>Exponential moving average with span Window (alpha = 2 / (Window + 1)).</summary>
    ExponentialMovingAverage,

    /// <summary>Wilder's relative strength index over Window rows, 0..100.</summary>
    RelativeStrengthIndex,

    /// <summary>Standard deviation of log returns over Window rows (not annualised).</summary>
    RollingVolatility,

    /// <summary>(volume - mean) / std over the last Window rows.</summary>
    VolumeZScore,

    /// <summary>Day of week as 0 (Monday) .. 6 (Sunday).</summary>
    DayOfWeek,
}

/// <summary>One input feature: a kind, the column it reads (none for day of week) and its window where it has one.</summary>
public sealed record FeatureSpec(FeatureKind Kind, string? Column = null, int Window = 0)
{
    public string Name => Kind switch
    {
        FeatureKind.Raw => Column!,
        FeatureKind.Return => $"{Column} return",
        FeatureKind.LogReturn => $"{Column} log return",
        FeatureKind.MovingAverage => $"{Column} SMA({Window})",
        FeatureKind.ExponentialMovingAverage => $"{Column} EMA({Window})",
        FeatureKind.RelativeStrengthIndex => $"{Column} RSI({Window})",
        FeatureKind.RollingVolatility => $"{Column} volatility({Window})",
        FeatureKind.VolumeZScore => $"{Column} z-score({Window})",
        FeatureKind.DayOfWeek => "day of week",
        _ => Kind.ToString(),
    };

    /// <summary>Rows at the start of a series for which this feature has no value yet.</summary>
    public int WarmUp => Kind switch
    {
        FeatureKind.Raw or FeatureKind.DayOfWeek => 0,
        FeatureKind.Return or FeatureKind.LogReturn => 1,
        FeatureKind.MovingAverage or FeatureKind.ExponentialMovingAverage or FeatureKind.VolumeZScore => Window - 1,
        FeatureKind.RelativeStrengthIndex or FeatureKind.RollingVolatility => Window,
        _ => 0,
    };
}
