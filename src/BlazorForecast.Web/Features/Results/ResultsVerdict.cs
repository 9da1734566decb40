using System.Globalization;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;

namespace BlazorForecast.Web.Features.Results;

/// <summary>
/// A run's headline against the naive forecast (repeat the last value), with what qualifies it: whether the seeds
/// disagree, whether the direction calls all go one way. <see cref="Outcome"/> is null when the run predates
/// significance tests; then only the RMSE gap is shown, and it is not called a success.
/// </summary>
public sealed record ResultsVerdict(string Text, ComparisonOutcome? Outcome, IReadOnlyList<string> Notes)
{
    public const string Untested =
        "This run was trained before significance tests were measured, so its gap to naive may be chance; retry it for a tested verdict.";

    public bool IsSuccess => Outcome == ComparisonOutcome.Better;

    /// <summary>The verdict of a whole run (pooled over its folds) or, with <paramref name="fold"/>, of one fold.</summary>
    public static ResultsVerdict Of(RunResults results, double level, int? fold = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var assessment = fold is int f ? results.Folds[f].Assessment : results.Assessment;
        if (assessment is null)
        {
            List<EvaluationReport> reports = fold is int only ? [results.Folds[only].Test] : results.Folds.Select(x => x.Test).ToList();
            return new ResultsVerdict(UntestedText(reports), null, [Untested]);
        }

        var notes = new List<string>();
        if (Verdict.SeedDisagreement(assessment.Seeds, level) is { } seeds)
        {
            notes.Add(seeds);
        }

        if (Verdict.OneWay(assessment.Direction, results.Calendar.Frequency) is { } oneWay)
        {
            notes.Add(oneWay);
        }

        var naive = assessment.VersusNaive;
        return new ResultsVerdict(Verdict.Against(naive, level) + ".", naive.Outcome(level), notes);
    }

    // The gap in RMSE alone, for runs without tests: never worded as a win.
    private static string UntestedText(List<EvaluationReport> folds)
    {
        var model = folds.Average(f => f.Model.Original.Overall.Rmse);
        var naive = folds.Average(f => f.Method(nameof(BaselineKind.Naive)).Original.Overall.Rmse);
        if (!double.IsFinite(model) || !double.IsFinite(naive) || naive <= 0)
        {
            return "Cannot compare with naive: the errors are not finite.";
        }

        var over = folds.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" (mean over {folds.Count} folds)") : "";
        var change = (model / naive) - 1;
        return Math.Abs(change) < 0.0005
            ? $"Untested: the same RMSE as naive{over}."
            : $"Untested: {Verdict.RmseChange(change)} than naive{over}.";
    }
}
