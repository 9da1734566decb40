using System.Text.Json;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Web.Features.Results;

/// <summary>
/// One fold of a direction run as its result JSON keeps it: the training, the test calls scored, importance, and the
/// probability of a rise at every test origin for the first horizon step of each target [window][target].
/// </summary>
public sealed record StoredDirectionFold(
    Forecasting.Data.SeriesSplit Split,
    TrainingSummary Training,
    IReadOnlyList<SeedTraining> Seeds,
    double TrainUpRate,
    DirectionClassification Test,
    IReadOnlyList<FeatureImportance> Importance,
    int[] TestOrigins,
    double[][] NextRowProbabilities);

/// <summary>What a direction run stores as its result: every fold, and their calls scored together.</summary>
public sealed record DirectionResults(IReadOnlyList<StoredDirectionFold> Folds, DirectionClassification Pooled)
{
    public static string Serialize(DirectionRunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var targets = run.Config.Targets.Count;
        var folds = run.Folds.Select(f => new StoredDirectionFold(f.Split, f.Training, f.Seeds, f.TrainUpRate, f.Test, f.Importance, f.TestOrigins,
            f.TestProbabilities.Select(p => p[..targets]).ToArray())).ToList();
        return JsonSerializer.Serialize(new DirectionResults(folds, run.Pooled), ForecastJson.Options);
    }

    public static DirectionResults Deserialize(string json) => JsonSerializer.Deserialize<DirectionResults>(json, ForecastJson.Options)!;

    /// <summary>The next-row trades of every fold's test origins in order, for the given target of the run's (joined) series.</summary>
    public IReadOnlyList<DirectionPeriod> Periods(Forecasting.Data.TimeSeriesFrame frame, string target, int targetIndex)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return DirectionPeriod.Of(frame.Find(target)!.Values, Folds.Select(f => (f.TestOrigins, f.NextRowProbabilities)), targetIndex);
    }
}
