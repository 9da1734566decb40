using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;

namespace BlazorForecast.Forecasting.Training;

/// <summary>
/// One split of a direction run: its training, the test calls scored (<see cref="Test"/>), permutation importance on
/// the loss, and the probability of a rise at every test origin [window][step * targets + target]. The share of rises of
/// the first target's next row on the training part is the majority rule's base rate for those calls.
/// </summary>
public sealed record DirectionFoldResult(
    SeriesSplit Split,
    TrainingSummary Training,
    DirectionClassification Test,
    IReadOnlyList<FeatureImportance> Importance,
    int[] TestOrigins,
    double[][] TestProbabilities,
    double TrainUpRate)
{
    public IReadOnlyList<SeedTraining> Seeds { get; init; } = [];

    /// <summary>Every scored call of the fold (what the run's pooled classification is built from).</summary>
    public IReadOnlyList<ScoredDirection> Scored { get; init; } = [];
}

/// <summary>A whole direction run: its folds, the last fold's model, and every fold's test calls scored together.</summary>
public sealed record DirectionRunResult(ForecastConfig Config, IReadOnlyList<DirectionFoldResult> Folds, ModelBundle Model, DirectionClassification Pooled)
{
    /// <summary>
    /// The next-row trades of every fold's test origins in order (the frame is the one the run trained on, inputs joined).
    /// </summary>
    public IReadOnlyList<DirectionPeriod> BacktestPeriods(TimeSeriesFrame frame, int target = 0)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return DirectionPeriod.Of(frame.Find(Config.Targets[target])!.Values, Folds.Select(f => (f.TestOrigins, f.TestProbabilities)), target);
    }

    /// <summary>How the run's trainings ended, the most serious first (as <see cref="ForecastRunResult.Outcome"/>).</summary>
    public TrainingSummary Outcome => RunOutcome.Of(Folds.Select(f => (f.Training, f.Seeds)));
}
