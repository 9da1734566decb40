using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;

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
            for (var w = 0; w < predictions.Origins.Length; w++)
            {
                var origin = predictions.Origins[w];
                var row = origin + step;
                var predicted = (double)predictions.Values[w][stepIndex][target];
                var half80 = HalfWidth(f, predictions, level80, w, stepIndex, step, target);
                var half95 = HalfWidth(f, predictions, level95, w, stepIndex, step, target);
                points.Add(new PredictionPoint(results.Frame.Timestamps[row], results.Frame.Timestamps[origin], actual[row], predicted,
                    predicted - half80, predicted + half80, predicted - half95, predicted + half95));
            }
        }

        return points.OrderBy(p => p.Time).ToList();
    }

    // Runs store each origin's half-width (volatility-scaled intervals move with the market); older runs had one per step.
    private static double HalfWidth(FoldPredictions fold, SegmentPredictions predictions, int level, int window, int stepIndex, int step, int target) =>
        level < 0 ? double.NaN
        : predictions.HalfWidths is { } widths ? widths[level][window][stepIndex][target]
        : fold.Intervals.HalfWidth(level, step - 1, target);

    /// <summary>
    /// The share of the last <paramref name="window"/> points (by time) whose actual value lay inside the 80% and the 95%
    /// interval, at each point from the window-th on: how coverage moved through the segment.
    /// </summary>
    public static IReadOnlyList<(DateTime Time, double Inside80, double Inside95)> RollingCoverage(IReadOnlyList<PredictionPoint> points, int window)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var result = new List<(DateTime, double, double)>();
        var (inside80, inside95) = (0, 0);
        for (var i = 0; i < points.Count; i++)
        {
            inside80 += Inside(points[i], narrow: true);
            inside95 += Inside(points[i], narrow: false);
            if (i >= window)
            {
                inside80 -= Inside(points[i - window], narrow: true);
                inside95 -= Inside(points[i - window], narrow: false);
            }

            if (i >= window - 1)
            {
                result.Add((points[i].Time, (double)inside80 / window, (double)inside95 / window));
            }
        }

        return result;
    }

    private static int Inside(PredictionPoint p, bool narrow) =>
        narrow ? (p.Actual >= p.Lower80 && p.Actual <= p.Upper80 ? 1 : 0) : (p.Actual >= p.Lower95 && p.Actual <= p.Upper95 ? 1 : 0);

    /// <summary>The share of points whose actual value lies inside the 80% and the 95% interval.</summary>
    public static (double Inside80, double Inside95) Coverage(IReadOnlyList<PredictionPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        return points.Count == 0
            ? (double.NaN, double.NaN)
            : ((double)points.Sum(p => Inside(p, narrow: true)) / points.Count, (double)points.Sum(p => Inside(p, narrow: false)) / points.Count);
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
