using System.Globalization;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Components;
using BlazorForecast.Forecasting.Evaluation;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;
using Plotly.Blazor;

namespace BlazorForecast.Web.Features.Results;

/// <summary>
/// A direction run's test calls: the verdict against always-majority, the model beside always-majority and always-up
/// on every classification score, the confusion matrix, each horizon step, the reliability diagram and each fold.
/// </summary>
public sealed partial class DirectionResultsPanel
{
    private readonly string _chartId = $"reliability-{Guid.NewGuid():N}";
    private readonly Config _config = ChartData.Config();
    private readonly Plotly.Blazor.Layout _layout = DirectionCharts.ReliabilityLayout();
    private IList<ITrace> _traces = [];

    [Parameter, EditorRequired]
    public RunResults Results { get; set; } = default!;

    [Inject]
    private IOptions<EvaluationOptions> Evaluation { get; set; } = default!;

    private double Level => Evaluation.Value.SignificanceLevel;

    private string LevelPercent => (Level * 100).ToString("0.##", CultureInfo.CurrentCulture) + "%";

    private DirectionResults Direction => Results.Direction!;

    private string Target => Results.Config.Targets[0];

    // The training parts' share of rises at the next row, each fold weighted by its scored calls.
    private double TrainUpRate => Direction.Folds.Sum(f => f.TrainUpRate * f.Test.Count) / Math.Max(1, Direction.Folds.Sum(f => f.Test.Count));

    private Severity VerdictSeverity => Direction.Pooled.Outcome(Level) switch
    {
        ComparisonOutcome.Better => Severity.Success,
        ComparisonOutcome.Worse => Severity.Warning,
        _ => Severity.Info,
    };

    private string Weighting => Results.Config.Direction! switch
    {
        { Weighting: ClassWeighting.Balanced } d => $"balanced class weights{Oversampled(d)}",
        { Weighting: ClassWeighting.Focal } d => string.Create(CultureInfo.InvariantCulture, $"focal loss (γ {d.FocalGamma:0.##}){Oversampled(d)}"),
        var d => $"plain cross-entropy{Oversampled(d)}",
    };

    protected override void OnParametersSet() => _traces = DirectionCharts.Reliability(Direction.Pooled, TrainUpRate);

    private static string Oversampled(DirectionTarget target) => target.Oversample ? ", the rarer direction oversampled" : "";

    private static string Percent(double value) => double.IsFinite(value) ? value.ToString("P1", CultureInfo.CurrentCulture) : "—";

    private static string Number(double value, string format) => double.IsFinite(value) ? value.ToString(format, CultureInfo.CurrentCulture) : "—";
}
