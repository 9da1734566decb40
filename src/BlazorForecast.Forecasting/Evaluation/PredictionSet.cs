using System.IO.Compression;
using System.Text.Json;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>A segment's forecasts: for each origin (the row index of the last input), the levels [window][stored step][target].</summary>
public sealed record SegmentPredictions(int[] Origins, float[][][] Values)
{
    /// <summary>
    /// The interval half-widths at each origin, [level][window][stored step][target]. Runs from before per-origin
    /// intervals have none: their fold's fixed half-widths apply.
    /// </summary>
    public float[][][][]? HalfWidths { get; init; }
}

/// <summary>One fold's validation and test forecasts and the interval half-widths fitted on its validation errors.</summary>
public sealed record FoldPredictions(int Fold, SegmentPredictions Validation, SegmentPredictions Test, ConformalIntervals Intervals);

/// <summary>
/// What a finished run keeps of its forecasts for charts, residuals, backtests and exports: every validation and test
/// origin of every fold with its interval half-widths, at every horizon step where forecasts and half-widths fit in
/// <see cref="ValueBudget"/> values per segment, else at evenly spaced steps that always include the first and the
/// last; and the forecast beyond the data's last row.
/// </summary>
public sealed record PredictionSet(IReadOnlyList<string> Targets, int Horizon, int[] Steps, IReadOnlyList<FoldPredictions> Folds, FutureForecast? Future)
{
    public const int ValueBudget = 500_000;

    public static PredictionSet From(ForecastRunResult run, TimeSeriesFrame frame)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(frame);
        return Of(run.Config, run.KeptSteps, run.Folds, Forecaster.Forecast(run.Model, frame));
    }

    /// <summary>The kept steps of some folds' forecasts (a run's, or a blend's), with the forecast beyond the data when there is a model to make one.</summary>
    public static PredictionSet Of(ForecastConfig config, int[] steps, IReadOnlyList<FoldResult> folds, FutureForecast? future)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(folds);
        var kept = folds.Select(f => new FoldPredictions(
            f.Split.Fold,
            new SegmentPredictions(f.ValidationOrigins, Keep(f.ValidationForecasts, steps)) { HalfWidths = f.Bands.ValidationHalfWidths },
            new SegmentPredictions(f.TestOrigins, Keep(f.TestForecasts, steps)) { HalfWidths = f.Bands.TestHalfWidths },
            f.Intervals)).ToList();
        return new PredictionSet(config.Targets, config.Horizon, steps, kept, future);
    }

    /// <summary>The 1-based horizon steps kept: all of them when each window's forecast and its half-widths at every level fit the budget.</summary>
    public static int[] StepsToKeep(int horizon, int targets, int windows)
    {
        var valuesPerStep = targets * (1 + ConformalIntervals.DefaultLevels.Length) * Math.Max(1, windows);
        var affordable = Math.Max(2, ValueBudget / Math.Max(1, valuesPerStep));
        if (horizon <= affordable)
        {
            return Enumerable.Range(1, horizon).ToArray();
        }

        return Enumerable.Range(0, affordable)
            .Select(i => 1 + (int)Math.Round(i * (horizon - 1) / (double)(affordable - 1)))
            .Distinct()
            .ToArray();
    }

    /// <summary>The position of a 1-based horizon step among the kept ones, or -1.</summary>
    public int StepIndex(int step) => Array.IndexOf(Steps, step);

    /// <summary>Gzipped JSON, the form a run stores.</summary>
    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
        {
            JsonSerializer.Serialize(gzip, this, ForecastJson.Options);
        }

        return buffer.ToArray();
    }

    public static PredictionSet FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        return JsonSerializer.Deserialize<PredictionSet>(gzip, ForecastJson.Options)
            ?? throw new InvalidDataException("The stored predictions are empty.");
    }

    private static float[][][] Keep(double[][][] forecasts, int[] steps) =>
        forecasts.Select(window => steps.Select(step => window[step - 1].Select(v => (float)v).ToArray()).ToArray()).ToArray();
}
