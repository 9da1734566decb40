using BlazorForecast.Forecasting.Data;

namespace BlazorForecast.Web.Features.Results;

/// <summary>Lines up a run's stored forecasts at one horizon step with what happened and with their intervals.</summary>
public static class PredictionSeries
{
    public const double Level80 = 0.8;
    public const double Level95 = 0.95;

    /// <summary>Every window of the segment in time order; empty when the run kept no predictions.</summary>
    public static IReadOnlyList<PredictionPoint> Build(RunResults results, PredictionSegment segment, int step, int target, int? fold = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var set = results.Predictions;
        if (set is null)
        {
            return [];
        }

        var stepIndex = set.StepIndex(step);
        if (stepIndex < 0 || target < 0 || target >= set.Targets.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(step), $"Step {step} of target {target} is not among the stored predictions.");
        }

        var actual = results.Frame.Find(set.Targets[target])!.Values;
        var points = new List<PredictionPoint>();
        foreach (var f in set.Folds.Where(f => fold is null || f.Fold == fold))
        {
            var predictions = segment == PredictionSegment.Test ? f.Test : f.Validation;
            var level80 = f.Intervals.Levels.ToList().IndexOf(Level80);
            var level95 = f.Intervals.Levels.ToList().IndexOf(Level95);
            var half80 = level80 < 0 ? double.NaN : f.Intervals.HalfWidth(level80, step - 1, target);
            var half95 = level95 < 0 ? double.NaN : f.Intervals.HalfWidth(level95, step - 1, target);
            for (var w = 0; w < predictions.Origins.Length; w++)
            {
                var origin = predictions.Origins[w];
                var row = origin + step;
                var predicted = (double)predictions.Values[w][stepIndex][target];
                points.Add(new PredictionPoint(results.Frame.Timestamps[row], results.Frame.Timestamps[origin], actual[row], predicted,
                    predicted - half80, predicted + half80, predicted - half95, predicted + half95));
            }
        }

        return points.OrderBy(p => p.Time).ToList();
    }

    /// <summary>The share of points whose actual value lies inside the 80% and the 95% interval.</summary>
    public static (double Inside80, double Inside95) Coverage(IReadOnlyList<PredictionPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        return points.Count == 0
            ? (double.NaN, double.NaN)
            : ((double)points.Count(p => p.Actual >= p.Lower80 && p.Actual <= p.Upper80) / points.Count,
                (double)points.Count(p => p.Actual >= p.Lower95 && p.Actual <= p.Upper95) / points.Count);
    }

    /// <summary>Equal-width bins of the residuals for a histogram: (left edge, count).</summary>
    public static IReadOnlyList<(double From, int Count)> Histogram(IReadOnlyList<PredictionPoint> points, int bins = 30)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            return [];
        }

        var min = points.Min(p => p.Residual);
        var max = points.Max(p => p.Residual);
        var width = max > min ? (max - min) / bins : 1;
        var counts = new int[bins];
        foreach (var p in points)
        {
            counts[Math.Min(bins - 1, (int)((p.Residual - min) / width))]++;
        }

        return counts.Select((count, i) => (min + (i * width), count)).ToList();
    }

    /// <summary>The row of a point's target time, for looking up other columns (e.g. volume).</summary>
    public static int RowOf(TimeSeriesFrame frame, DateTime time)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return Array.BinarySearch(frame.Timestamps, time);
    }
}
