namespace BlazorForecast.Forecasting.Data;

/// <summary>
/// Per-column standardisation with the population mean and standard deviation (ddof = 0, like scikit-learn's
/// StandardScaler), fitted on the training rows only and then applied to every row.
/// </summary>
public sealed record StandardScaler(double[] Means, double[] Deviations)
{
    /// <summary>Fits on rows [from, to) of each column, skipping NaN (feature warm-up rows).</summary>
    public static StandardScaler Fit(IReadOnlyList<double[]> columns, int from, int to)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var means = new double[columns.Count];
        var deviations = new double[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            double sum = 0, sumSquares = 0;
            var count = 0;
            for (var r = from; r < to; r++)
            {
                var v = columns[c][r];
                if (double.IsNaN(v))
                {
                    continue;
                }

                sum += v;
                count++;
            }

            if (count == 0)
            {
                throw new ArgumentException($"Column {c} has no values in rows {from}..{to - 1} to fit a scaler on.", nameof(columns));
            }

            var mean = sum / count;
            for (var r = from; r < to; r++)
            {
                var v = columns[c][r];
                if (!double.IsNaN(v))
                {
                    sumSquares += (v - mean) * (v - mean);
                }
            }

            means[c] = mean;

            // A constant column keeps its scale of 1 rather than dividing by zero.
            var deviation = Math.Sqrt(sumSquares / count);
            deviations[c] = deviation > 1e-12 ? deviation : 1;
        }

        return new StandardScaler(means, deviations);
    }

    public double Transform(int column, double value) => (value - Means[column]) / Deviations[column];

    public double Inverse(int column, double value) => (value * Deviations[column]) + Means[column];

    public double[][] TransformAll(IReadOnlyList<double[]> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var result = new double[columns.Count][];
        for (var c = 0; c < columns.Count; c++)
        {
            result[c] = new double[columns[c].Length];
            for (var r = 0; r < columns[c].Length; r++)
            {
                result[c][r] = Transform(c, columns[c][r]);
            }
        }

        return result;
    }
}
