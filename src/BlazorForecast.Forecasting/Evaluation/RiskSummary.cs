using MathNet.Numerics.Distributions;

namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>One-period loss thresholds at a confidence level, as positive fractions of the position's value.</summary>
public sealed record ValueAtRisk(double Level, double Historical, double HistoricalShortfall, double Parametric, double ParametricShortfall);

/// <summary>The deepest fall from a peak, with its dates; Recovery is null while the price is still below the peak.</summary>
public sealed record DrawdownPeriod(double Depth, DateTime Peak, DateTime Trough, DateTime? Recovery);

/// <summary>
/// Risk of holding the series: annualised volatility of simple returns; historical VaR and CVaR (expected shortfall)
/// from the empirical return distribution; parametric (normal) VaR and CVaR from the mean and standard deviation;
/// the maximum drawdown of the price with its dates.
/// </summary>
public sealed record RiskSummary(
    int Returns, double PeriodsPerYear, double AnnualizedReturn, double AnnualizedVolatility, IReadOnlyList<ValueAtRisk> ValueAtRisk, DrawdownPeriod MaxDrawdown)
{
    public static readonly double[] DefaultLevels = [0.95, 0.99];

    public static RiskSummary Compute(IReadOnlyList<DateTime> times, IReadOnlyList<double> prices, double periodsPerYear, IReadOnlyList<double>? levels = null)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(prices);
        if (times.Count != prices.Count)
        {
            throw new ArgumentException("Every price needs its time.", nameof(times));
        }

        var returns = ReturnStatistics.SimpleReturns(prices);
        if (returns.Length < 2)
        {
            throw new ArgumentException("A risk summary needs at least three positive prices.", nameof(prices));
        }

        var mean = ReturnStatistics.Mean(returns);
        var deviation = ReturnStatistics.StandardDeviation(returns);
        var valueAtRisk = (levels ?? DefaultLevels).Select(level =>
        {
            var tail = 1 - level;
            var quantile = ReturnStatistics.Quantile(returns, tail);
            var z = Normal.InvCDF(0, 1, tail);
            return new ValueAtRisk(
                level,
                -quantile,
                -returns.Where(r => r <= quantile).Average(),
                -(mean + (z * deviation)),
                -(mean - (deviation * Normal.PDF(0, 1, z) / tail)));
        }).ToList();

        var (depth, peak, trough, recovery) = ReturnStatistics.MaxDrawdown(prices);
        var growth = returns.Aggregate(1.0, (equity, r) => equity * (1 + r));
        return new RiskSummary(
            returns.Length,
            periodsPerYear,
            Math.Pow(growth, periodsPerYear / returns.Length) - 1,
            deviation * Math.Sqrt(periodsPerYear),
            valueAtRisk,
            new DrawdownPeriod(depth, times[peak], times[trough], recovery < 0 ? null : times[recovery]));
    }
}
