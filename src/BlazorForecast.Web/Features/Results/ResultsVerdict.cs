using System.Globalization;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;

namespace BlazorForecast.Web.Features.Results;

/// <summary>The plain-words judgement of a model against the naive forecast (repeat the last value), on test RMSE in original units.</summary>
public static class ResultsVerdict
{
    public static string Against(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var model = report.Model.Original.Overall.Rmse;
        var naive = report.Method(nameof(BaselineKind.Naive)).Original.Overall.Rmse;
        if (!double.IsFinite(model) || !double.IsFinite(naive) || naive <= 0)
        {
            return "Cannot compare with naive: the errors are not finite.";
        }

        var gain = 1 - (model / naive);
        return Math.Abs(gain) < 0.0005
            ? "Matches naive: the same RMSE as repeating the last value."
            : gain > 0
                ? string.Create(CultureInfo.InvariantCulture, $"Beats naive by {gain * 100:0.0}% RMSE.")
                : string.Create(CultureInfo.InvariantCulture, $"Does not beat naive: RMSE {-gain * 100:0.0}% higher than repeating the last value.");
    }

    /// <summary>True when the model's test RMSE is below the naive forecast's.</summary>
    public static bool BeatsNaive(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Model.Original.Overall.Rmse < report.Method(nameof(BaselineKind.Naive)).Original.Overall.Rmse;
    }
}
