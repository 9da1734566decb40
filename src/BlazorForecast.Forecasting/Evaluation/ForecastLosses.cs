namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>
/// One method's squared errors per forecast origin and horizon step, [origin][step], in standardised units (training
/// statistics) and averaged over the targets, so several targets and several folds pool on one scale. For one target
/// the ratio of two methods' errors is the same as in original units. Kept in memory for significance tests, not stored.
/// </summary>
public sealed class ForecastLosses(string method, double[][] values)
{
    public string Method { get; } = method;

    public IReadOnlyList<double[]> Values { get; } = values;

    public int Origins => Values.Count;

    public int Horizon => Values.Count == 0 ? 0 : Values[0].Length;

    /// <summary>Several folds' losses in time order, as one series (walk-forward test blocks follow each other).</summary>
    public static ForecastLosses Concat(IReadOnlyList<ForecastLosses> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return new ForecastLosses(parts.Count == 0 ? "" : parts[0].Method, parts.SelectMany(p => p.Values).ToArray());
    }

    /// <summary>RMSE over every origin and step.</summary>
    public double Rmse() => Values.Count == 0 ? double.NaN : Math.Sqrt(Values.Average(row => row.Average()));

    public double Rmse(int step) => Values.Count == 0 ? double.NaN : Math.Sqrt(Values.Average(row => row[step]));
}
