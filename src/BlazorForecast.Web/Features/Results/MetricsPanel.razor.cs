using System.Globalization;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Features.Results;

/// <summary>
/// The model beside every baseline on the same test windows: MSE, RMSE, MAE, MAPE, MASE and directional accuracy with
/// the up-rate, the best value of each column highlighted, and the model's RMSE change and Diebold–Mariano p-value
/// against each baseline under a verdict that only calls a significant win a success; the direction calls and their
/// tests; with several seeds, each seed and their ensemble; RMSE (and p against naive) per step for H > 1; each
/// walk-forward fold with its own verdict; both interval methods' coverage.
/// </summary>
public sealed partial class MetricsPanel
{
    private static readonly MetricColumn[] Columns =
    [
        new("MSE", m => m.Mse, LowerIsBetter: true),
        new("RMSE", m => m.Rmse, LowerIsBetter: true),
        new("MAE", m => m.Mae, LowerIsBetter: true),
        new("MAPE %", m => m.Mape, LowerIsBetter: true),
        new("MASE", m => m.Mase, LowerIsBetter: true),
        new("Dir. accuracy", m => m.DirectionalAccuracy, LowerIsBetter: false),
    ];

    private int _fold;
    private bool _standardized;

    [Parameter, EditorRequired]
    public RunResults Results { get; set; } = default!;

    [Inject]
    private IOptions<EvaluationOptions> Evaluation { get; set; } = default!;

    private double Level => Evaluation.Value.SignificanceLevel;

    private string ModelLabel => Results.Config.Training.Seeds > 1
        ? $"Model ({Results.Config.Model.Kind}, {Results.Config.Training.Seeds} seeds)"
        : $"Model ({Results.Config.Model.Kind})";

    // The run's model over every fold's test points, in original units (what the seed table sets beside each seed).
    private double PooledModelRmse
    {
        get
        {
            var overall = Results.Folds.Select(f => f.Test.Model.Original.Overall).ToList();
            return Math.Sqrt(overall.Sum(m => m.Mse * m.Count) / overall.Sum(m => m.Count));
        }
    }

    // Long horizons list the first steps, then every tenth, then the last.
    private IEnumerable<int> StepsShown => Enumerable.Range(0, Results.Config.Horizon)
        .Where(k => Results.Config.Horizon <= 30 || k < 10 || (k + 1) % 10 == 0 || k == Results.Config.Horizon - 1);

    private static MethodComparison? NaiveComparison(StoredFold fold) =>
        fold.Assessment?.Comparisons.FirstOrDefault(c => c.Baseline == nameof(BaselineKind.Naive));

    private HorizonMetrics Scale(MethodScores method) => _standardized ? method.Standardized : method.Original;

    // Naive never predicts a move, so it has no directional accuracy to show or to win with.
    private static double Shown(MethodScores method, MetricColumn column, ErrorMetrics metrics) =>
        !column.LowerIsBetter && method.Method == nameof(BaselineKind.Naive) ? double.NaN : column.Value(metrics);

    private bool IsBest(IReadOnlyList<MethodScores> methods, MetricColumn column, double value)
    {
        var values = methods.Select(m => Shown(m, column, Scale(m).Overall)).Where(double.IsFinite).ToList();
        return values.Count > 1 && double.IsFinite(value) && value == (column.LowerIsBetter ? values.Min() : values.Max());
    }

    private string Format(double value, MetricColumn column)
    {
        if (!double.IsFinite(value))
        {
            return "—";
        }

        if (column.LowerIsBetter)
        {
            return value.ToString("G4", CultureInfo.InvariantCulture);
        }

        var upRate = Scale(Results.Folds[_fold].Test.Model).Overall.UpRate;
        return string.Create(CultureInfo.InvariantCulture, $"{value:P1} ({upRate:P0} up)");
    }

    private string FoldSummary(Func<StoredFold, double> score)
    {
        var values = Results.Folds.Select(score).ToArray();
        return string.Create(CultureInfo.InvariantCulture, $"{values.Average():G5} ± {ReturnStatistics.StandardDeviation(values):G3}");
    }

    private static string Label(string method) => method switch
    {
        "SeasonalNaive" => "Seasonal naive",
        "MovingAverage" => "Moving average",
        _ => method,
    };

    private sealed record MetricColumn(string Name, Func<ErrorMetrics, double> Value, bool LowerIsBetter);
}
