namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>
/// Split-conformal prediction intervals: the half-width for each horizon step and target is the finite-sample
/// corrected quantile of absolute validation errors (in original units), so a forecast ± width covers the actual
/// value with at least the nominal probability when errors are exchangeable.
/// </summary>
public sealed record ConformalIntervals(IReadOnlyList<double> Levels, double[][][] HalfWidths)
{
    public static readonly double[] DefaultLevels = [0.8, 0.95];

    /// <param name="absoluteErrors">[step][target] → absolute validation errors.</param>
    public static ConformalIntervals Fit(IReadOnlyList<List<double>[]> absoluteErrors, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(absoluteErrors);
        ArgumentNullException.ThrowIfNull(levels);
        var widths = levels.Select(level => absoluteErrors
            .Select(step => step.Select(errors => Quantile(errors, level)).ToArray())
            .ToArray()).ToArray();
        return new ConformalIntervals(levels, widths);
    }

    public double HalfWidth(int level, int step, int target) => HalfWidths[level][step][target];

    private static double Quantile(List<double> errors, double level)
    {
        if (errors.Count == 0)
        {
            return double.NaN;
        }

        var sorted = errors.Order().ToArray();
        var rank = (int)Math.Ceiling((sorted.Length + 1) * level);
        return rank > sorted.Length ? double.PositiveInfinity : sorted[Math.Max(rank, 1) - 1];
    }
}

/// <summary>How often the actual test value fell inside each interval, against the nominal level.</summary>
public sealed record IntervalCoverage(double Level, double Coverage, double MeanWidth);
