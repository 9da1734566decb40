using BlazorForecast.Forecasting.Data;

namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>Shared arithmetic of per-period returns: annualisation, moments, quantiles, drawdowns, the normal distribution.</summary>
public static class ReturnStatistics
{
    // Coefficients of Acklam's inverse normal approximation.
    private static readonly double[] CentralNumerator = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];

    private static readonly double[] CentralDenominator = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];

    private static readonly double[] TailNumerator = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];

    private static readonly double[] TailDenominator = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];

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

    public static double NormalDensity(double z) => Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);

    /// <summary>The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9).</summary>
    public static double NormalQuantile(double p)
    {
        if (p is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "The probability must lie strictly between 0 and 1.");
        }

        const double low = 0.02425;
        if (p > 1 - low)
        {
            return -NormalQuantile(1 - p);
        }

        if (p < low)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            return Polynomial(TailNumerator, q) / ((Polynomial(TailDenominator, q) * q) + 1);
        }

        var r = p - 0.5;
        var s = r * r;
        return Polynomial(CentralNumerator, s) * r / ((Polynomial(CentralDenominator, s) * s) + 1);
    }

    // Horner's rule: coefficients from the highest power down.
    private static double Polynomial(double[] coefficients, double x)
    {
        var value = 0.0;
        foreach (var coefficient in coefficients)
        {
            value = (value * x) + coefficient;
        }

        return value;
    }
}
