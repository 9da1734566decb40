using System.Text.Json.Serialization;

namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>How a run's prediction intervals are built.</summary>
public enum IntervalMethod
{
    /// <summary>
    /// Conformal scores divided by a causal volatility estimate, and the level adapted online from each revealed test
    /// actual (adaptive conformal inference, Gibbs &amp; Candès 2021): holds its coverage when volatility moves.
    /// </summary>
    Adaptive,

    /// <summary>
    /// Split-conformal on validation errors: exact when errors are exchangeable, off whenever the test period is
    /// calmer or wilder than validation.
    /// </summary>
    SplitConformal,
}

/// <summary>
/// Interval half-widths for each level, horizon step and target, as a model carries them to forecast beyond its data.
/// Split-conformal: absolute half-widths, the finite-sample corrected quantile of absolute validation errors.
/// Adaptive: multiples of the series' volatility scale (<see cref="VolatilityScale"/> with <see cref="VolatilityDecay"/>)
/// at the quantile level the online adaptation had reached by the end of the data.
/// </summary>
public sealed record ConformalIntervals(IReadOnlyList<double> Levels, double[][][] HalfWidths)
{
    public static readonly double[] DefaultLevels = [0.8, 0.95];

    /// <summary>Runs from before the adaptive method stored no method: theirs is split-conformal.</summary>
    public IntervalMethod Method { get; init; } = IntervalMethod.SplitConformal;

    /// <summary>The EWMA decay of the volatility scale the adaptive half-widths multiply; 0 for split-conformal.</summary>
    public double VolatilityDecay { get; init; }

    [JsonIgnore]
    public bool ScalesWithVolatility => Method == IntervalMethod.Adaptive;

    /// <param name="absoluteErrors">[step][target] → absolute validation errors.</param>
    public static ConformalIntervals Fit(IReadOnlyList<List<double>[]> absoluteErrors, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(absoluteErrors);
        ArgumentNullException.ThrowIfNull(levels);
        var widths = levels.Select(level => absoluteErrors
            .Select(step => step.Select(errors => Quantile(errors.Order().ToArray(), level)).ToArray())
            .ToArray()).ToArray();
        return new ConformalIntervals(levels, widths);
    }

    /// <summary>The half-width in the series' units; <paramref name="volatility"/> is the series' scale at the origin (ignored by split-conformal).</summary>
    public double HalfWidth(int level, int step, int target, double volatility = 1) =>
        ScalesWithVolatility ? HalfWidths[level][step][target] * volatility : HalfWidths[level][step][target];

    /// <summary>
    /// The conformal quantile of sorted scores: the ⌈(n + 1)·level⌉-th smallest, unbounded when n scores cannot promise
    /// the level (e.g. 95% from 9 errors).
    /// </summary>
    public static double Quantile(double[] sortedScores, double level)
    {
        ArgumentNullException.ThrowIfNull(sortedScores);
        if (sortedScores.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling((sortedScores.Length + 1) * level);
        return rank > sortedScores.Length ? double.PositiveInfinity : sortedScores[Math.Max(rank, 1) - 1];
    }

    /// <summary>
    /// The same, held between the smallest and the largest score: an adapted level that drifts above what the scores
    /// can promise (or below zero) gives the widest (narrowest) finite interval instead of an unbounded (empty) one.
    /// </summary>
    public static double BoundedQuantile(double[] sortedScores, double level)
    {
        ArgumentNullException.ThrowIfNull(sortedScores);
        if (sortedScores.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling((sortedScores.Length + 1) * level);
        return sortedScores[Math.Clamp(rank, 1, sortedScores.Length) - 1];
    }
}

/// <summary>How often the actual test value fell inside the run's interval at a nominal level, and the mean width.</summary>
public sealed record IntervalCoverage(double Level, double Coverage, double MeanWidth);
