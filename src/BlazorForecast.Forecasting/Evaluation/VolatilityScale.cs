namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>
/// A causal volatility estimate of a series: at each row, the exponentially weighted root mean square of its one-row
/// changes up to and including that row (RiskMetrics' λ = 0.94 by default). It starts from the mean square of the
/// first changes, and never falls below a thousandth of that start, so flat stretches do not divide by zero. In the
/// series' own units (price changes for prices), so errors divided by it are comparable across calm and wild periods.
/// </summary>
public static class VolatilityScale
{
    public const double DefaultDecay = 0.94;

    private const int StartChanges = 30;

    public static double[] Of(IReadOnlyList<double> values, double decay = DefaultDecay)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (decay is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "The decay must lie strictly between 0 and 1.");
        }

        var scale = new double[values.Count];
        var start = StartingVariance(values);
        var floor = start * 1e-6;
        var variance = start;
        for (var t = 0; t < values.Count; t++)
        {
            if (t > 0 && double.IsFinite(values[t]) && double.IsFinite(values[t - 1]))
            {
                var change = values[t] - values[t - 1];
                variance = (decay * variance) + ((1 - decay) * change * change);
            }

            scale[t] = Math.Sqrt(Math.Max(variance, floor));
        }

        return scale;
    }

    private static double StartingVariance(IReadOnlyList<double> values)
    {
        var (sum, count) = (0.0, 0);
        for (var t = 1; t < values.Count && count < StartChanges; t++)
        {
            if (double.IsFinite(values[t]) && double.IsFinite(values[t - 1]))
            {
                sum += (values[t] - values[t - 1]) * (values[t] - values[t - 1]);
                count++;
            }
        }

        return count == 0 || sum == 0 ? 1e-24 : sum / count;
    }
}
