using System.Globalization;
using System.Text;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Web.Features.Results;

/// <summary>Predictions and metrics of a run as CSV (invariant numbers, ISO dates, text cells guarded against formulas).</summary>
public static class ResultsCsv
{
    public static string Predictions(RunResults results, PredictionSegment segment)
    {
        ArgumentNullException.ThrowIfNull(results);
        var csv = new StringBuilder("Fold,Segment,Origin,Date,Target,Step,Actual,Predicted,Lower80,Upper80,Lower95,Upper95\n");
        var set = results.Predictions;
        if (set is null)
        {
            return csv.ToString();
        }

        foreach (var fold in set.Folds)
        {
            for (var target = 0; target < set.Targets.Count; target++)
            {
                foreach (var step in set.Steps)
                {
                    foreach (var p in PredictionSeries.Build(results, segment, step, target, fold.Fold))
                    {
                        csv.Append(CultureInfo.InvariantCulture,
                            $"{fold.Fold},{segment},{Date(p.Origin)},{Date(p.Time)},{SeriesCsvWriter.EscapeText(set.Targets[target])},{step},{Number(p.Actual)},{Number(p.Predicted)},{Number(p.Lower80)},{Number(p.Upper80)},{Number(p.Lower95)},{Number(p.Upper95)}\n");
                    }
                }
            }
        }

        return csv.ToString();
    }

    /// <summary>A forecast beyond the data: one row per date and target, with both intervals.</summary>
    public static string Forecast(FutureForecast forecast)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        if (forecast.IsDirection)
        {
            var probabilities = new StringBuilder("Date,Target,ProbabilityUp\n");
            for (var k = 0; k < forecast.Times.Length; k++)
            {
                for (var j = 0; j < forecast.Targets.Count; j++)
                {
                    probabilities.Append(CultureInfo.InvariantCulture, $"{Date(forecast.Times[k])},{SeriesCsvWriter.EscapeText(forecast.Targets[j])},{Number(forecast.Values[k][j])}\n");
                }
            }

            return probabilities.ToString();
        }

        var csv = new StringBuilder("Date,Target,Forecast,Lower80,Upper80,Lower95,Upper95\n");
        var narrow = forecast.Intervals.FirstOrDefault(i => i.Level == PredictionSeries.Level80);
        var wide = forecast.Intervals.FirstOrDefault(i => i.Level == PredictionSeries.Level95);
        for (var k = 0; k < forecast.Times.Length; k++)
        {
            for (var j = 0; j < forecast.Targets.Count; j++)
            {
                csv.Append(CultureInfo.InvariantCulture,
                    $"{Date(forecast.Times[k])},{SeriesCsvWriter.EscapeText(forecast.Targets[j])},{Number(forecast.Values[k][j])},{Number(narrow?.Lower[k][j] ?? double.NaN)},{Number(narrow?.Upper[k][j] ?? double.NaN)},{Number(wide?.Lower[k][j] ?? double.NaN)},{Number(wide?.Upper[k][j] ?? double.NaN)}\n");
            }
        }

        return csv.ToString();
    }

    public static string Metrics(RunResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var csv = new StringBuilder("Fold,Method,Scale,Step,MSE,RMSE,MAE,MAPE,sMAPE,R2,MASE,DirectionalAccuracy,UpRate,Count\n");
        foreach (var fold in results.Folds)
        {
            foreach (var method in fold.Test.Methods)
            {
                foreach (var (scale, metrics) in new[] { ("Original", method.Original), ("Standardized", method.Standardized) })
                {
                    Row(csv, fold.Split.Fold, method.Method, scale, "All", metrics.Overall);
                    for (var k = 0; k < metrics.PerStep.Count; k++)
                    {
                        Row(csv, fold.Split.Fold, method.Method, scale, (k + 1).ToString(CultureInfo.InvariantCulture), metrics.PerStep[k]);
                    }
                }
            }
        }

        return csv.ToString();
    }

    private static void Row(StringBuilder csv, int fold, string method, string scale, string step, ErrorMetrics m) =>
        csv.Append(CultureInfo.InvariantCulture,
            $"{fold},{SeriesCsvWriter.EscapeText(method)},{scale},{step},{Number(m.Mse)},{Number(m.Rmse)},{Number(m.Mae)},{Number(m.Mape)},{Number(m.Smape)},{Number(m.R2)},{Number(m.Mase)},{Number(m.DirectionalAccuracy)},{Number(m.UpRate)},{m.Count}\n");

    private static string Date(DateTime t) =>
        t.ToString(t.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);

    private static string Number(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "";
}
