using BlazorForecast.Forecasting.Data;

namespace BlazorForecast.Forecasting.Evaluation;

// How an assessment reads for other programs (the API's /metrics and the CLI's metrics.json): flat records with the
// outcomes at a significance level and the sentences a person reads, built from the stored tests.

/// <summary>The model against every baseline, its direction calls, its seeds and both interval methods' coverage.</summary>
public sealed record AssessmentReport(
    IReadOnlyList<ComparisonReport> Comparisons, DirectionReport Direction, SeedSummaryReport? Seeds, IntervalMethod IntervalMethod,
    IReadOnlyList<IntervalAssessment> Intervals)
{
    public static AssessmentReport From(Assessment assessment, double level, SeriesFrequency frequency)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        return new AssessmentReport(
            assessment.Comparisons.Select(c => ComparisonReport.From(c, level)).ToList(),
            DirectionReport.From(assessment.Direction, frequency),
            assessment.Seeds is { } seeds ? SeedSummaryReport.From(seeds, assessment.VersusNaive, level) : null,
            assessment.IntervalMethod,
            assessment.Intervals);
    }
}

/// <summary>
/// The model against one baseline on the same windows: RMSE of each (standardised units), the relative change, the
/// Diebold–Mariano statistic and p-value over all steps, the outcome at the level, and the same at each step.
/// </summary>
public sealed record ComparisonReport(
    string Baseline, double ModelRmse, double BaselineRmse, double RmseChange, double Statistic, double PValue, int Windows, int Lag,
    ComparisonOutcome Outcome, string Verdict, IReadOnlyList<StepComparisonReport> PerStep)
{
    public static ComparisonReport From(MethodComparison comparison, double level)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var test = comparison.Overall;
        return new ComparisonReport(comparison.Baseline, comparison.ModelRmse, comparison.BaselineRmse, comparison.RmseChange, test.Statistic,
            test.PValue, test.Count, test.Lag, comparison.Outcome(level), Evaluation.Verdict.Against(comparison, level),
            comparison.PerStep.Select((t, k) => new StepComparisonReport(k + 1, comparison.PerStepRmseChange[k], t.Statistic, t.PValue, t.Outcome(level))).ToList());
    }
}

/// <summary>The comparison at one horizon step (HAC lag step − 1).</summary>
public sealed record StepComparisonReport(int Step, double RmseChange, double Statistic, double PValue, ComparisonOutcome Outcome);

/// <summary>
/// The model's one-step direction calls: accuracy beside the up-rate, its share of up-calls, and the two tests; balanced
/// accuracy, Matthews' correlation, F1 per direction and the confusion matrix, which an imbalance between rises and falls
/// does not flatter.
/// </summary>
public sealed record DirectionReport(
    int Count, double Accuracy, double UpRate, double UpCallRate, double MajorityRate, double PesaranTimmermann, double PesaranTimmermannP,
    double BinomialP, bool OneWay, string? Warning)
{
    public double BalancedAccuracy { get; init; }

    public double Mcc { get; init; }

    public double UpF1 { get; init; }

    public double DownF1 { get; init; }

    /// <summary>Rises called rises, falls called rises, falls called falls, rises called falls.</summary>
    public IReadOnlyList<int> Confusion { get; init; } = [];

    public static DirectionReport From(DirectionAssessment direction, SeriesFrequency frequency)
    {
        ArgumentNullException.ThrowIfNull(direction);
        var (upUp, downUp, downDown, upDown) = direction.Confusion;
        return new DirectionReport(direction.Count, direction.Accuracy, direction.UpRate, direction.UpCallRate, direction.MajorityRate,
            direction.PesaranTimmermann, direction.PesaranTimmermannP, direction.BinomialP, direction.OneWay, Verdict.OneWay(direction, frequency))
        {
            BalancedAccuracy = direction.BalancedAccuracy,
            Mcc = direction.Mcc,
            UpF1 = direction.F1.Up,
            DownF1 = direction.F1.Down,
            Confusion = [upUp, downUp, downDown, upDown],
        };
    }
}

/// <summary>One seed's model alone against naive.</summary>
public sealed record SeedReport(int Seed, double Rmse, double Mae, double DirectionalAccuracy, double RmseChange, double PValue, ComparisonOutcome Outcome);

/// <summary>Each seed, the spread of their RMSE, whether they disagree, and the ensemble (the run's model) against naive.</summary>
public sealed record SeedSummaryReport(
    int Configured, IReadOnlyList<SeedReport> Seeds, double RmseMean, double RmseStdDev, double RmseMin, double RmseMax, bool Disagree, string? Note,
    ComparisonReport Ensemble)
{
    public static SeedSummaryReport From(SeedAssessment seeds, MethodComparison ensemble, double level)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        return new SeedSummaryReport(
            seeds.Configured,
            seeds.Seeds.Select(s => new SeedReport(s.Seed, s.Rmse, s.Mae, s.DirectionalAccuracy, s.VersusNaive.RmseChange, s.VersusNaive.Overall.PValue,
                s.VersusNaive.Outcome(level))).ToList(),
            seeds.RmseMean, seeds.RmseStdDev, seeds.RmseMin, seeds.RmseMax, seeds.Disagree(level), Verdict.SeedDisagreement(seeds, level),
            ComparisonReport.From(ensemble, level));
    }
}
