namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>
/// The variance that a mean of serially correlated values needs: Newey and West's sum of the sample autocovariances up to
/// a lag, with Bartlett weights (1 − j / (lag + 1)), so that neighbouring values that move together (overlapping forecast
/// errors, the daily ICs of forecasts that change slowly) are not counted as independent evidence.
/// </summary>
public static class LongRunVariance
{
    /// <summary>Newey and West's (1994) rule of thumb for the lag of n values: ⌊4 (n / 100)^(2/9)⌋ (5 for 457 dates).</summary>
    public static int AutomaticLag(int count) => count < 2 ? 0 : Math.Min(count - 1, (int)Math.Floor(4 * Math.Pow(count / 100.0, 2.0 / 9)));

    /// <summary>γ₀ + 2 Σⱼ (1 − j / (lag + 1)) γⱼ for j = 1 … lag; the autocovariances divide by n, as the HAC literature and R's acf do.</summary>
    public static double NeweyWest(IReadOnlyList<double> values, double mean, int lag)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(lag);
        var variance = Autocovariance(values, mean, 0);
        for (var j = 1; j <= lag; j++)
        {
            variance += 2 * (1 - (j / (double)(lag + 1))) * Autocovariance(values, mean, j);
        }

        return variance;
    }

    private static double Autocovariance(IReadOnlyList<double> values, double mean, int lag)
    {
        var sum = 0.0;
        for (var t = lag; t < values.Count; t++)
        {
            sum += (values[t] - mean) * (values[t - lag] - mean);
        }

        return sum / values.Count;
    }
}
