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
        _stepTraces = [.. Assessments.Where(a => a.Method == Method).SelectMany(a => Lines($"{a.Level:P0}", LevelColor(a.Level), steps, ChartData.Values(a.PerStepCoverage), a.Level))];
        _stepLayout.XAxis = [new Plotly.Blazor.LayoutLib.XAxis
        {
            Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = "steps ahead" },
            GridColor = ChartData.GridColor,
            DTick = Math.Max(1, Results.Config.Horizon / 10),
        }];
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
            .. Lines("80%", LevelColor(PredictionSeries.Level80), times, ChartData.Values(_rolling.Select(r => r.Inside80)), PredictionSeries.Level80),
            .. Lines("95%", LevelColor(PredictionSeries.Level95), times, ChartData.Values(_rolling.Select(r => r.Inside95)), PredictionSeries.Level95),
        ];
        _rollingLayout.YAxis = [new Plotly.Blazor.LayoutLib.YAxis { TickFormat = ".0%", GridColor = ChartData.GridColor }];
    }

    // A level's actual coverage (solid) and its nominal level (dotted), in one colour.
    private static ITrace[] Lines(string level, string color, List<object> x, List<object> actual, double nominal) =>
    [
        new Scatter { Name = $"{level} actual", Mode = ModeFlag.Lines | (x.Count <= 30 ? ModeFlag.Markers : 0), X = x, Y = actual, Line = new Line { Color = color } },
        new Scatter { Name = $"{level} nominal", Mode = ModeFlag.Lines, X = x, Y = x.Select(_ => (object)nominal).ToList(), Line = new Line { Color = color, Dash = "dot", Width = 1 } },
    ];

    private static string LevelColor(double level) => level < 0.9 ? "#1e88e5" : "#fb8c00";

    internal static string MethodName(IntervalMethod method) => method == IntervalMethod.Adaptive ? "Adaptive (volatility-scaled)" : "Split-conformal";

    private static string Percent(double value) => double.IsFinite(value) ? value.ToString("P1", CultureInfo.InvariantCulture) : "—";

    private static string Points(double difference) =>
        double.IsFinite(difference) ? (difference * 100).ToString("+0.0;−0.0;0.0", CultureInfo.InvariantCulture) + " pts" : "—";

    private static string Number(double value) => double.IsFinite(value) ? value.ToString("G4", CultureInfo.InvariantCulture)
        : double.IsPositiveInfinity(value) ? "unbounded" : "—";
}
