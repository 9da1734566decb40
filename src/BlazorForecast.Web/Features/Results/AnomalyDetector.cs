using System.Globalization;
using BlazorForecast.Forecasting.Data;

namespace BlazorForecast.Web.Features.Results;

/// <summary>
/// A first screen for unusual market activity in a forecast segment: forecast errors whose robust z-score (median and
/// MAD of the segment's residuals) exceeds the threshold, and days whose log volume does the same.
/// </summary>
public static class AnomalyDetector
{
    public const double DefaultThreshold = 3.5;

    public const string ForecastError = "Forecast error";

    public const string VolumeSpike = "Volume spike";

    // Scales the MAD to a standard deviation under normality (Iglewicz and Hoaglin's modified z-score).
    private const double MadScale = 0.6745;

    // Scales the mean absolute deviation to a standard deviation under normality (sqrt(pi / 2)).
    private const double MeanDeviationScale = 1.253314;

    public static IReadOnlyList<Anomaly> Find(IReadOnlyList<PredictionPoint> points, TimeSeriesFrame frame, double threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(frame);
        var anomalies = new List<Anomaly>();
        var residualScores = RobustScores(points.Select(p => p.Residual).ToArray());
        for (var i = 0; i < points.Count; i++)
        {
            if (Math.Abs(residualScores[i]) > threshold)
            {
                var p = points[i];
                anomalies.Add(new Anomaly(p.Time, ForecastError, p.Residual, residualScores[i], string.Create(CultureInfo.InvariantCulture,
                    $"Actual {p.Actual:G6} against a forecast of {p.Predicted:G6} ({(p.Residual > 0 ? "higher" : "lower")} than expected)")));
            }
        }

        if (frame.Find(ColumnRole.Volume) is { } volume)
        {
            var rows = points.Select(p => PredictionSeries.RowOf(frame, p.Time)).Where(r => r >= 0 && volume.Values[r] > 0).Distinct().ToArray();
            var volumeScores = RobustScores(rows.Select(r => Math.Log(volume.Values[r])).ToArray());
            for (var i = 0; i < rows.Length; i++)
            {
                if (volumeScores[i] > threshold)
                {
                    anomalies.Add(new Anomaly(frame.Timestamps[rows[i]], VolumeSpike, volume.Values[rows[i]], volumeScores[i],
                        string.Create(CultureInfo.InvariantCulture, $"Volume {volume.Values[rows[i]]:N0}, far above the segment's usual level")));
                }
            }
        }

        return anomalies.OrderBy(a => a.Time).ToList();
    }

    /// <summary>
    /// Modified z-scores. Where more than half the values equal the median (MAD 0), the mean absolute deviation
    /// stands in, scaled to a standard deviation under normality; all zero when the values have no spread at all.
    /// </summary>
    public static double[] RobustScores(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0)
        {
            return [];
        }

        var median = RobustStatistics.Median(values);
        var deviations = values.Select(v => Math.Abs(v - median)).ToArray();
        var mad = RobustStatistics.Median(deviations);
        if (mad > 0)
        {
            return values.Select(v => MadScale * (v - median) / mad).ToArray();
        }

        var meanDeviation = deviations.Average();
        return meanDeviation > 0 ? values.Select(v => (v - median) / (MeanDeviationScale * meanDeviation)).ToArray() : new double[values.Length];
    }
}
