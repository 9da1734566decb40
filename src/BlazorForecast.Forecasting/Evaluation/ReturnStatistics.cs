using BlazorForecast.Forecasting.Data;

namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>Shared arithmetic of per-period returns: annualisation, moments, quantiles, drawdowns.</summary>
public static class ReturnStatistics
{
    /// <summary>Periods in a year for annualising: 252 trading days, 365 calendar days, 52 weeks, 12 months; intraday bars by their step over a 6.5-hour session.</summary>
    public static double PeriodsPerYear(SeriesFrequency frequency, TimeSpan step) => frequency switch
    {
        SeriesFrequency.Intraday when step > TimeSpan.Zero => 252 * Math.Max(1, TimeSpan.FromHours(6.5) / step),
        SeriesFrequency.Daily => 365,
        SeriesFrequency.Weekly => 52,
        SeriesFrequency.Monthly => 12,
        _ => 252,
    };

    /// <summary>Simple returns p[t] / p[t-1] - 1 between consecutive positive prices.</summary>
    public static double[] SimpleReturns(IReadOnlyList<double> prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var returns = new List<double>(Math.Max(0, prices.Count - 1));
        for (var t = 1; t < prices.Count; t++)
        {
            if (prices[t - 1] > 0 && double.IsFinite(prices[t - 1]) && double.IsFinite(prices[t]))
            {
                returns.Add((prices[t] / prices[t - 1]) - 1);
            }
        }

        return [.. returns];
    }

    public static double Mean(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Count == 0 ? double.NaN : values.Average();
    }

    /// <summary>Sample standard deviation (n - 1); 0 for a single value (nothing varies), NaN for none.</summary>
    public static double StandardDeviation(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2)
        {
            return values.Count == 0 ? double.NaN : 0;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    /// <summary>The p-quantile with linear interpolation between order statistics (numpy's default).</summary>
    public static double Quantile(IReadOnlyList<double> values, double p)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var position = p * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }

    /// <summary>The deepest fall of a value series from a running peak, as a positive fraction, with the indices of peak, trough and recovery (-1 when it never recovered).</summary>
    public static (double Depth, int Peak, int Trough, int Recovery) MaxDrawdown(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var (depth, peak, trough, runningPeak) = (0.0, 0, 0, 0);
        for (var t = 1; t < values.Count; t++)
        {
            if (values[t] > values[runningPeak])
            {
                runningPeak = t;
            }
            else if (values[runningPeak] > 0 && 1 - (values[t] / values[runningPeak]) > depth)
            {
                (depth, peak, trough) = (1 - (values[t] / values[runningPeak]), runningPeak, t);
            }
        }

        var recovery = -1;
        for (var t = trough + 1; depth > 0 && t < values.Count; t++)
        {
            if (values[t] >= values[peak])
            {
                recovery = t;
                break;
            }
        }

        return (depth, peak, trough, recovery);
    }
}
