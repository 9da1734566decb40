namespace BlazorForecast.Forecasting.Data;

/// <summary>Feature columns computed from a series, aligned with its rows; rows before <see cref="FirstValidRow"/> are NaN.</summary>
public sealed record FeatureMatrix(IReadOnlyList<string> Names, double[][] Columns, int FirstValidRow)
{
    public int RowCount => Columns.Length == 0 ? 0 : Columns[0].Length;
}

/// <summary>Computes causal features (each row from its own and earlier rows only), so no future value leaks in.</summary>
public static class FeatureBuilder
{
    public static FeatureMatrix Build(TimeSeriesFrame frame, IReadOnlyList<FeatureSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(specs);
        if (specs.Count == 0)
        {
            throw new ArgumentException("At least one feature is needed.", nameof(specs));
        }

        var columns = new double[specs.Count][];
        for (var i = 0; i < specs.Count; i++)
        {
            columns[i] = Compute(frame, specs[i]);
        }

        return new FeatureMatrix(specs.Select(s => s.Name).ToList(), columns, specs.Max(s => s.WarmUp));
    }

    public static double[] Compute(TimeSeriesFrame frame, FeatureSpec spec)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Kind == FeatureKind.DayOfWeek)
        {
            return frame.Timestamps.Select(t => (double)(((int)t.DayOfWeek + 6) % 7)).ToArray();
        }

        var column = frame.Find(spec.Column ?? "")
            ?? throw new ArgumentException($"Feature '{spec.Name}' reads column '{spec.Column}', which the dataset does not have.", nameof(spec));
        if (spec.Kind is not (FeatureKind.Raw or FeatureKind.Return or FeatureKind.LogReturn) && spec.Window < 2)
        {
            throw new ArgumentException($"Feature '{spec.Name}' needs a window of at least 2 rows.", nameof(spec));
        }

        var x = column.Values;
        return spec.Kind switch
        {
            FeatureKind.Raw => (double[])x.Clone(),
            FeatureKind.Return => Returns(x, log: false),
            FeatureKind.LogReturn => Returns(x, log: true),
            FeatureKind.MovingAverage => MovingAverage(x, spec.Window),
            FeatureKind.ExponentialMovingAverage => ExponentialMovingAverage(x, spec.Window),
            FeatureKind.RelativeStrengthIndex => RelativeStrengthIndex(x, spec.Window),
            FeatureKind.RollingVolatility => RollingStandardDeviation(Returns(x, log: true), spec.Window, firstValid: 1),
            FeatureKind.VolumeZScore => RollingZScore(x, spec.Window),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "Unknown feature kind."),
        };
    }

    public static double[] Returns(double[] x, bool log)
    {
        ArgumentNullException.ThrowIfNull(x);
        var r = new double[x.Length];
        if (x.Length > 0)
        {
            r[0] = double.NaN;
        }

        for (var i = 1; i < x.Length; i++)
        {
            r[i] = log ? Math.Log(x[i] / x[i - 1]) : (x[i] / x[i - 1]) - 1;
        }

        return r;
    }

    private static double[] MovingAverage(double[] x, int window)
    {
        var result = NaNs(x.Length);
        var sum = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            sum += x[i];
            if (i >= window)
            {
                sum -= x[i - window];
            }

            if (i >= window - 1)
            {
                result[i] = sum / window;
            }
        }

        return result;
    }

    private static double[] ExponentialMovingAverage(double[] x, int span)
    {
        // Seeded with the simple average of the first span rows, like most charting tools.
        var result = NaNs(x.Length);
        if (x.Length < span)
        {
            return result;
        }

        var alpha = 2.0 / (span + 1);
        var ema = x.Take(span).Average();
        result[span - 1] = ema;
        for (var i = span; i < x.Length; i++)
        {
            ema += alpha * (x[i] - ema);
            result[i] = ema;
        }

        return result;
    }

    private static double[] RelativeStrengthIndex(double[] x, int window)
    {
        var result = NaNs(x.Length);
        if (x.Length <= window)
        {
            return result;
        }

        double gain = 0, loss = 0;
        for (var i = 1; i <= window; i++)
        {
            var change = x[i] - x[i - 1];
            gain += Math.Max(change, 0);
            loss += Math.Max(-change, 0);
        }

        gain /= window;
        loss /= window;
        result[window] = Rsi(gain, loss);
        for (var i = window + 1; i < x.Length; i++)
        {
            // Wilder's smoothing.
            var change = x[i] - x[i - 1];
            gain = ((gain * (window - 1)) + Math.Max(change, 0)) / window;
            loss = ((loss * (window - 1)) + Math.Max(-change, 0)) / window;
            result[i] = Rsi(gain, loss);
        }

        return result;
    }

    private static double Rsi(double gain, double loss) =>
        loss == 0 ? (gain == 0 ? 50 : 100) : 100 - (100 / (1 + (gain / loss)));

    private static double[] RollingStandardDeviation(double[] x, int window, int firstValid)
    {
        var result = NaNs(x.Length);
        for (var i = firstValid + window - 1; i < x.Length; i++)
        {
            var mean = 0.0;
            for (var j = i - window + 1; j <= i; j++)
            {
                mean += x[j];
            }

            mean /= window;
            var variance = 0.0;
            for (var j = i - window + 1; j <= i; j++)
            {
                variance += (x[j] - mean) * (x[j] - mean);
            }

            result[i] = Math.Sqrt(variance / (window - 1));
        }

        return result;
    }

    private static double[] RollingZScore(double[] x, int window)
    {
        var deviation = RollingStandardDeviation(x, window, firstValid: 0);
        var mean = MovingAverage(x, window);
        var result = NaNs(x.Length);
        for (var i = window - 1; i < x.Length; i++)
        {
            result[i] = deviation[i] > 0 ? (x[i] - mean[i]) / deviation[i] : 0;
        }

        return result;
    }

    private static double[] NaNs(int length)
    {
        var values = new double[length];
        Array.Fill(values, double.NaN);
        return values;
    }
}
