using System.Text.Json;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Web.Features.Results;

/// <summary>
/// One fold's outcome as a run stores it in its result JSON (the forecasts are kept apart, in its predictions). Runs
/// from before seeds and significance tests have no <see cref="Seeds"/> and no <see cref="Assessment"/>.
/// </summary>
public sealed record StoredFold(
    SeriesSplit Split, TrainingSummary Training, EvaluationReport Test, IReadOnlyList<IntervalCoverage> Coverage, IReadOnlyList<FeatureImportance> Importance)
{
    public IReadOnlyList<SeedTraining> Seeds { get; init; } = [];

    public Assessment? Assessment { get; init; }

    public static StoredFold From(FoldResult fold)
    {
        ArgumentNullException.ThrowIfNull(fold);
        return new StoredFold(fold.Split, fold.Training, fold.Test, fold.Coverage, fold.Importance) { Seeds = fold.Seeds, Assessment = fold.Assessment };
    }

    /// <summary>The result JSON of a run: every fold, in order.</summary>
    public static string Serialize(ForecastRunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return JsonSerializer.Serialize(run.Folds.Select(From), ForecastJson.Options);
    }
}

/// <summary>
/// A run's result JSON read by what the run forecast: the folds of value forecasts, a direction run's results, or those
/// of a run across its targets (whose folds are then empty, as an imported model's are).
/// </summary>
public sealed record StoredResults(IReadOnlyList<StoredFold> Folds, DirectionResults? Direction, UniverseResults? Universe)
{
    public static StoredResults Read(ForecastConfig config, string resultJson)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(resultJson);
        return resultJson == RunResultsService.ImportedModelResults ? new([], null, null)
            : config.Direction is not null ? new([], DirectionResults.Deserialize(resultJson), null)
            : config.AcrossTargets is not null ? new([], null, UniverseResults.Deserialize(resultJson))
            : new(JsonSerializer.Deserialize<List<StoredFold>>(resultJson, ForecastJson.Options)!, null, null);
    }
}

/// <summary>
/// Everything the results views need of a finished run: its config, scores, predictions, the dataset's series, and the
/// assessment pooled over its folds (null for runs finished before significance tests were measured).
/// </summary>
public sealed record RunResults(
    int RunId, string RunName, int DatasetId, string DatasetName, ForecastConfig Config, IReadOnlyList<StoredFold> Folds, PredictionSet? Predictions, TimeSeriesFrame Frame,
    Assessment? Assessment = null)
{
    /// <summary>A direction run's scores (its <see cref="Folds"/> are empty: they hold value forecasts' scores); null otherwise.</summary>
    public DirectionResults? Direction { get; init; }

    /// <summary>A run trained across its targets: each series' scores and the cross-section's (its <see cref="Folds"/> are empty); null otherwise.</summary>
    public UniverseResults? Universe { get; init; }

    /// <summary>A model trained elsewhere: it forecasts, but has no test results here.</summary>
    public bool IsImported => Folds.Count == 0 && Direction is null && Universe is null;

    public bool IsWalkForward => Folds.Count > 1;

    public (SeriesFrequency Frequency, TimeSpan Step) Calendar => QualityAnalyzer.DetectFrequency(Frame.Timestamps);

    public double PeriodsPerYear => ReturnStatistics.PeriodsPerYear(Calendar.Frequency, Calendar.Step);
}

public enum PredictionSegment
{
    Test,
    Validation,
}

/// <summary>A forecast made <c>Step</c> rows before <c>Time</c>, beside what happened, with its 80% and 95% intervals.</summary>
public sealed record PredictionPoint(DateTime Time, DateTime Origin, double Actual, double Predicted, double Lower80, double Upper80, double Lower95, double Upper95)
{
    public double Residual => Actual - Predicted;
}

/// <summary>Something unusual at a time: a forecast error far beyond the usual, or a spike in traded volume.</summary>
public sealed record Anomaly(DateTime Time, string Kind, double Value, double Score, string Description);
