using System.Globalization;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Web.Components;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace BlazorForecast.Web.Features.Results;

/// <summary>
/// Both interval methods' coverage, mean width and interval score at 80% and 95% on the test period (the run's own
/// method marked), the run's coverage at each horizon step, and its rolling coverage through the test period, so a
/// band that held on average but failed in a wild stretch shows where it failed. Runs from before the adaptive
/// method show their split-conformal coverage as stored.
/// </summary>
public sealed partial class IntervalSummary
{
    private readonly string _id = $"intervals-{Guid.NewGuid():N}";
    private readonly Config _config = ChartData.Config();
    private readonly Plotly.Blazor.Layout _stepLayout = ChartData.Layout(240);
    private readonly Plotly.Blazor.Layout _rollingLayout = ChartData.TimeLayout(240);
    private RunResults? _builtFor;
    private IList<ITrace> _stepTraces = [];
    private IList<ITrace> _rollingTraces = [];
    private IReadOnlyList<(DateTime Time, double Inside80, double Inside95)> _rolling = [];
    private int _window;

    [Parameter, EditorRequired]
    public RunResults Results { get; set; } = default!;

    /// <summary>The fold whose stored coverage a run without an assessment shows.</summary>
    [Parameter]
    public int Fold { get; set; }

    private IReadOnlyList<IntervalAssessment> Assessments => Results.Assessment?.Intervals ?? [];

    private IntervalMethod Method => Results.Assessment?.IntervalMethod ?? IntervalMethod.SplitConformal;

    protected override void OnParametersSet()
    {
        if (ReferenceEquals(_builtFor, Results) || Assessments.Count == 0)
        {
            return;
        }

        _builtFor = Results;
        BuildStepChart();
        BuildRollingChart();
    }

    private void BuildStepChart()
    {
        var steps = Enumerable.Range(1, Results.Config.Horizon).Select(k => (object)k).ToList();
        _stepTraces = [.. Assessments.Where(a => a.Method == Method).SelectMany(a => new ITrace[]
        {
            new Scatter { Name = $"{a.Level:P0} actual", Mode = ModeFlag.Lines | ModeFlag.Markers, X = steps, Y = ChartData.Values(a.PerStepCoverage) },
            new Scatter { Name = $"{a.Level:P0} nominal", Mode = ModeFlag.Lines, X = steps, Y = steps.Select(_ => (object)a.Level).ToList(), Line = new Line { Dash = "dot", Width = 1 } },
        })];
        _stepLayout.XAxis = [new Plotly.Blazor.LayoutLib.XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = "steps ahead" }, GridColor = ChartData.GridColor }];
        _stepLayout.YAxis = [new Plotly.Blazor.LayoutLib.YAxis { TickFormat = ".0%", GridColor = ChartData.GridColor }];
    }

    private void BuildRollingChart()
    {
        if (Results.Predictions is not { } set)
        {
            return;
        }

        var points = PredictionSeries.Build(Results, PredictionSegment.Test, set.Steps[0], 0);
        _window = Math.Clamp(points.Count / 8, Math.Min(20, points.Count), 100);
        if (_window < 1)
        {
            return;
        }

        _rolling = PredictionSeries.RollingCoverage(points, _window);
        var times = ChartData.Dates(_rolling.Select(r => r.Time));
        _rollingTraces =
        [
            new Scatter { Name = "80% actual", Mode = ModeFlag.Lines, X = times, Y = ChartData.Values(_rolling.Select(r => r.Inside80)) },
            new Scatter { Name = "95% actual", Mode = ModeFlag.Lines, X = times, Y = ChartData.Values(_rolling.Select(r => r.Inside95)) },
            new Scatter { Name = "80% nominal", Mode = ModeFlag.Lines, X = times, Y = times.Select(_ => (object)0.8).ToList(), Line = new Line { Dash = "dot", Width = 1 } },
            new Scatter { Name = "95% nominal", Mode = ModeFlag.Lines, X = times, Y = times.Select(_ => (object)0.95).ToList(), Line = new Line { Dash = "dot", Width = 1 } },
        ];
        _rollingLayout.YAxis = [new Plotly.Blazor.LayoutLib.YAxis { TickFormat = ".0%", GridColor = ChartData.GridColor }];
    }

    internal static string MethodName(IntervalMethod method) => method == IntervalMethod.Adaptive ? "Adaptive (volatility-scaled)" : "Split-conformal";

    private static string Percent(double value) => double.IsFinite(value) ? value.ToString("P1", CultureInfo.InvariantCulture) : "—";

    private static string Points(double difference) =>
        double.IsFinite(difference) ? (difference * 100).ToString("+0.0;−0.0;0.0", CultureInfo.InvariantCulture) + " pts" : "—";

    private static string Number(double value) => double.IsFinite(value) ? value.ToString("G4", CultureInfo.InvariantCulture)
        : double.IsPositiveInfinity(value) ? "unbounded" : "—";
}
