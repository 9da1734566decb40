using System.Globalization;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;

namespace BlazorForecast.Web.Features.Results;

/// <summary>
/// The plain-words judgement of a model against the naive forecast (repeat the last value), on test RMSE in original
/// units: of one fold, or of a walk-forward run by the mean RMSE over its folds.
/// </summary>
public static class ResultsVerdict
{
    public static string Against(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Against([report]);
    }

    public static string Against(IReadOnlyList<EvaluationReport> folds)
    {
        ArgumentNullException.ThrowIfNull(folds);
        var (model, naive) = MeanRmse(folds);
        if (!double.IsFinite(model) || !double.IsFinite(naive) || naive <= 0)
        {
            return "Cannot compare with naive: the errors are not finite.";
        }

        var gain = 1 - (model / naive);
        var over = folds.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" (mean over {folds.Count} folds)") : "";
        return Math.Abs(gain) < 0.0005
            ? $"Matches naive: the same RMSE as repeating the last value{over}."
            : gain > 0
                ? string.Create(CultureInfo.InvariantCulture, $"Beats naive by {gain * 100:0.0}% RMSE{over}.")
                : string.Create(CultureInfo.InvariantCulture, $"Does not beat naive: RMSE {-gain * 100:0.0}% higher than repeating the last value{over}.");
    }

    /// <summary>True when the model's test RMSE is below the naive forecast's.</summary>
    public static bool BeatsNaive(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var (model, naive) = MeanRmse([report]);
        return model < naive;
    }

    private static (double Model, double Naive) MeanRmse(IReadOnlyList<EvaluationReport> folds) =>
        (folds.Average(f => f.Model.Original.Overall.Rmse), folds.Average(f => f.Method(nameof(BaselineKind.Naive)).Original.Overall.Rmse));
}
