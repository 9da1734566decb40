using System.Globalization;
using BlazorForecast.Web.Features.Results;

namespace BlazorForecast.Web.Features.Compare;

/// <summary>The metrics the compare page lines up per run (first fold's test scores in original units), with best values and differences.</summary>
public static class MetricComparison
{
    public static readonly ComparedMetric[] Metrics =
    [
        new("MSE", r => Overall(r).Mse, LowerIsBetter: true, Percent: false),
        new("RMSE", r => Overall(r).Rmse, LowerIsBetter: true, Percent: false),
        new("MAE", r => Overall(r).Mae, LowerIsBetter: true, Percent: false),
        new("MAPE %", r => Overall(r).Mape, LowerIsBetter: true, Percent: false),
        new("MASE", r => Overall(r).Mase, LowerIsBetter: true, Percent: false),
        new("Directional accuracy", r => Overall(r).DirectionalAccuracy, LowerIsBetter: false, Percent: true),
        new("RMSE vs naive", r => (Overall(r).Rmse / r.Folds[0].Test.Method("Naive").Original.Overall.Rmse) - 1, LowerIsBetter: true, Percent: true),
    ];

    public static bool IsBest(ComparedMetric metric, IReadOnlyList<double> values, double value)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(values);
        var finite = values.Where(double.IsFinite).ToList();
        return finite.Count > 1 && double.IsFinite(value) && value == (metric.LowerIsBetter ? finite.Min() : finite.Max());
    }

    public static string Format(ComparedMetric metric, double value)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return !double.IsFinite(value) ? "—" : metric.Percent ? value.ToString("P1", CultureInfo.InvariantCulture) : value.ToString("G4", CultureInfo.InvariantCulture);
    }

    /// <summary>The change from the reference: points for percentages, else the relative change.</summary>
    public static string Difference(ComparedMetric metric, double reference, double value)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (!double.IsFinite(reference) || !double.IsFinite(value))
        {
            return "—";
        }

        return metric.Percent
            ? string.Create(CultureInfo.InvariantCulture, $"{(value - reference) * 100:+0.0;-0.0;0.0} pts")
            : reference == 0 ? "—" : string.Create(CultureInfo.InvariantCulture, $"{(value / reference) - 1:+0.0%;-0.0%;0.0%}");
    }

    private static Forecasting.Evaluation.ErrorMetrics Overall(RunResults results) => results.Folds[0].Test.Model.Original.Overall;
}

/// <summary>A metric of a run; LowerIsBetter decides which value is highlighted; Percent values are shown as percentages.</summary>
public sealed record ComparedMetric(string Name, Func<RunResults, double> Value, bool LowerIsBetter, bool Percent);
