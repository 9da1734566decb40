using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Web.Features.Results;

namespace BlazorForecast.Web.Api;

/// <summary>
/// GET /api/runs/{id}/metrics: the headline verdict at the server's significance level with what qualifies it, the
/// model's test RMSE across folds, the assessment pooled over every fold's test windows (null for runs trained before
/// significance tests), and each fold on its own.
/// </summary>
public sealed record MetricsResponse(
    int RunId, double SignificanceLevel, string Verdict, ComparisonOutcome? Outcome, IReadOnlyList<string> Notes, string TestMeaning,
    double RmseMean, double RmseStdDev, AssessmentReport? Assessment, IReadOnlyList<FoldMetricsResponse> Folds)
{
    public static MetricsResponse From(RunResults results, double level)
    {
        ArgumentNullException.ThrowIfNull(results);
        var frequency = results.Calendar.Frequency;
        var verdict = ResultsVerdict.Of(results, level);
        var folds = results.Folds.Select((f, i) =>
        {
            var foldVerdict = ResultsVerdict.Of(results, level, i);
            return new FoldMetricsResponse(f.Split.Fold, foldVerdict.Text, foldVerdict.Outcome, f.Test.Windows, f.Test.Methods, f.Coverage,
                f.Assessment is null ? null : AssessmentReport.From(f.Assessment, level, frequency));
        }).ToList();
        var rmse = results.Folds.Select(f => f.Test.Model.Original.Overall.Rmse).ToArray();
        return new MetricsResponse(results.RunId, level, verdict.Text, verdict.Outcome, verdict.Notes, Forecasting.Evaluation.Verdict.Meaning(level),
            rmse.Average(), ReturnStatistics.StandardDeviation(rmse),
            results.Assessment is null ? null : AssessmentReport.From(results.Assessment, level, frequency), folds);
    }
}

/// <summary>A fold's test scores for the model (first) and every baseline, its interval coverage and its own assessment.</summary>
public sealed record FoldMetricsResponse(
    int Fold, string Verdict, ComparisonOutcome? Outcome, int Windows, IReadOnlyList<MethodScores> Methods, IReadOnlyList<IntervalCoverage> Coverage,
    AssessmentReport? Assessment);


/// <summary>
/// A direction run's test calls: its settings, the verdict against always-majority at the server's significance level,
/// the pooled scores and each fold's.
/// </summary>
public sealed record DirectionResponse(
    int RunId, Forecasting.Training.DirectionTarget Settings, double SignificanceLevel, string Verdict, ComparisonOutcome Outcome,
    DirectionClassification Pooled, IReadOnlyList<DirectionFoldResponse> Folds)
{
    public static DirectionResponse From(int runId, Forecasting.Training.DirectionTarget settings, DirectionResults direction, double level)
    {
        ArgumentNullException.ThrowIfNull(direction);
        return new DirectionResponse(runId, settings, level, direction.Pooled.Verdict(level), direction.Pooled.Outcome(level), direction.Pooled,
            direction.Folds.Select(f => new DirectionFoldResponse(f.Split.Fold, f.TrainUpRate, f.Test.Verdict(level), f.Test.Outcome(level), f.Test, f.Importance)).ToList());
    }
}

/// <summary>One fold of a direction run: its training part's share of next-row rises, its verdict, its test calls scored, and importance on the loss.</summary>
public sealed record DirectionFoldResponse(
    int Fold, double TrainUpRate, string Verdict, ComparisonOutcome Outcome, DirectionClassification Test, IReadOnlyList<FeatureImportance> Importance);

/// <summary>
/// A run trained across its targets: its options, how long training took, each series' scores, interval coverage and
/// verdict against naive at the server's significance level, the cross-section's IC and Rank IC (with ICIR and each test
/// date's Rank IC) beside the drift baseline's and tested against it, and the long–short backtest.
/// </summary>
public sealed record UniverseResponse(
    int RunId,
    Forecasting.Training.UniverseOptions Options,
    double TrainingSeconds,
    IReadOnlyList<UniverseSeriesResponse> Series,
    Forecasting.Evaluation.InformationCoefficients Ic,
    double Icir,
    double RankIcir,
    DateTime[] Dates,
    double[] RankIc,
    Forecasting.Evaluation.LongShortBacktest LongShort)
{
    /// <summary>The drift baseline's IC and Rank IC: each series predicted at its training-part mean return.</summary>
    public required Forecasting.Evaluation.InformationCoefficients DriftIc { get; init; }

    /// <summary>The model's daily Rank IC minus the drift baseline's: mean, t and p.</summary>
    public required Forecasting.Evaluation.RankIcComparison VersusDrift { get; init; }

    /// <summary>The level of the series' verdicts and outcomes (and of the tests' p-values in the page's words).</summary>
    public required double SignificanceLevel { get; init; }

    public static UniverseResponse From(int runId, Forecasting.Training.UniverseOptions options, UniverseResults universe, double level)
    {
        ArgumentNullException.ThrowIfNull(universe);
        var series = universe.Series.Select(s => new UniverseSeriesResponse(s.Series, s.Rmse, s.StandardizedMse,
            Forecasting.Evaluation.Verdict.Against(s.Assessment.VersusNaive, level) + ".", s.Assessment.VersusNaive.Outcome(level), s.Assessment.VersusNaive,
            s.Assessment.Intervals.Where(i => i.Method == s.Assessment.IntervalMethod).ToList(), s.Folds)).ToList();
        return new UniverseResponse(runId, options, universe.TrainingSeconds, series, universe.Ic, universe.Ic.Icir, universe.Ic.RankIcir, universe.Dates,
            universe.RankIc, universe.LongShort)
        {
            DriftIc = universe.DriftIc,
            VersusDrift = universe.VersusDrift,
            SignificanceLevel = level,
        };
    }
}

/// <summary>
/// One series of a run across its targets: its test RMSE and standardised MSE, the verdict against naive with the
/// comparison behind it, the test coverage of its intervals (the run's method, each level, pooled over folds), and folds.
/// </summary>
public sealed record UniverseSeriesResponse(
    string Series, double Rmse, double StandardizedMse, string Verdict, Forecasting.Evaluation.ComparisonOutcome Outcome,
    Forecasting.Evaluation.MethodComparison VersusNaive, IReadOnlyList<Forecasting.Evaluation.IntervalAssessment> Intervals,
    IReadOnlyList<Features.Results.StoredFold> Folds);
