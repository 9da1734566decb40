namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>
/// A strategy's annualised Sharpe ratio with its 95% interval, and its difference from a benchmark's on the same
/// periods with that difference's interval and two-sided p-value. <see cref="SameAsBenchmark"/>: the strategy's returns
/// are the benchmark's, period by period, so there is nothing to test.
/// </summary>
public sealed record SharpeComparison(
    double Sharpe, double Lower, double Upper, double Difference, double DifferenceLower, double DifferenceUpper, double DifferencePValue, bool SameAsBenchmark)
{
    public bool Differs(double level) => !SameAsBenchmark && DifferencePValue < level;
}

/// <summary>
/// Sharpe ratio intervals by the stationary bootstrap (Politis &amp; Romano 1994): resampled paths of the same length are
/// built from blocks of consecutive periods whose lengths are geometric with mean n^⅓, so the returns' autocorrelation
/// and volatility clustering carry into each resample. Every strategy and the benchmark are resampled on the same
/// indices (a paired test of their difference). Percentile intervals; seeded, so a report reads the same every time.
/// </summary>
public static class SharpeBootstrap
{
    public const int DefaultResamples = 2000;

    /// <param name="strategies">Each strategy's returns per period.</param>
    /// <param name="benchmark">The benchmark's returns over the same periods.</param>
    /// <param name="periodsPerYear">For annualising.</param>
    public static IReadOnlyList<SharpeComparison> Compare(
        IReadOnlyList<double[]> strategies, double[] benchmark, double periodsPerYear, int resamples = DefaultResamples, int seed = 20_260_101)
    {
        ArgumentNullException.ThrowIfNull(strategies);
        ArgumentNullException.ThrowIfNull(benchmark);
        var n = benchmark.Length;
        if (strategies.Any(s => s.Length != n))
        {
            throw new ArgumentException("Every strategy needs a return for each of the benchmark's periods.", nameof(strategies));
        }

        var annualisation = Math.Sqrt(periodsPerYear);
        var random = new Random(seed);
        var meanBlock = Math.Max(1.0, Math.Round(Math.Cbrt(n)));
        var sharpes = strategies.Select(_ => new double[resamples]).ToArray();
        var differences = strategies.Select(_ => new double[resamples]).ToArray();
        var indices = new int[n];
        for (var b = 0; b < resamples && n > 1; b++)
        {
            indices[0] = random.Next(n);
            for (var t = 1; t < n; t++)
            {
                indices[t] = random.NextDouble() < 1 / meanBlock ? random.Next(n) : (indices[t - 1] + 1) % n;
            }

            var benchmarkSharpe = Sharpe(benchmark, indices, annualisation);
            for (var s = 0; s < strategies.Count; s++)
            {
                sharpes[s][b] = Sharpe(strategies[s], indices, annualisation);
                differences[s][b] = sharpes[s][b] - benchmarkSharpe;
            }
        }

        var observedBenchmark = Sharpe(benchmark, Enumerable.Range(0, n).ToArray(), annualisation);
        return strategies.Select((returns, s) =>
        {
            var observed = Sharpe(returns, Enumerable.Range(0, n).ToArray(), annualisation);
            var same = returns.AsSpan().SequenceEqual(benchmark);
            if (n < 2)
            {
                return new SharpeComparison(observed, double.NaN, double.NaN, observed - observedBenchmark, double.NaN, double.NaN, double.NaN, same);
            }

            var below = differences[s].Count(d => d <= 0) / (double)resamples;
            var above = differences[s].Count(d => d >= 0) / (double)resamples;
            return new SharpeComparison(
                observed,
                ReturnStatistics.Quantile(sharpes[s], 0.025),
                ReturnStatistics.Quantile(sharpes[s], 0.975),
                observed - observedBenchmark,
                same ? 0 : ReturnStatistics.Quantile(differences[s], 0.025),
                same ? 0 : ReturnStatistics.Quantile(differences[s], 0.975),
                same ? 1 : Math.Min(1, 2 * Math.Min(below, above)),
                same);
        }).ToList();
    }

    // Annualised mean over sample standard deviation of the returns at the given periods (0 when nothing varies).
    private static double Sharpe(double[] returns, int[] indices, double annualisation)
    {
        var (sum, squares) = (0.0, 0.0);
        foreach (var i in indices)
        {
            sum += returns[i];
        }

        var mean = sum / indices.Length;
        foreach (var i in indices)
        {
            squares += (returns[i] - mean) * (returns[i] - mean);
        }

        var deviation = Math.Sqrt(squares / Math.Max(1, indices.Length - 1));
        return deviation > 0 ? mean / deviation * annualisation : 0;
    }
}
