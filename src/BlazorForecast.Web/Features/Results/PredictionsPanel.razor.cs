using System.Globalization;
using BlazorForecast.Web.Components;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace BlazorForecast.Web.Features.Results;

/// <summary>
/// Actual against forecast over the test (or validation) segment at a chosen horizon step, with the 80% and 95%
/// interval bands and their coverage, the fan of the forecast beyond the data's last date, residuals over time and
/// their distribution, and the anomalies found in the segment.
/// </summary>
public sealed partial class PredictionsPanel
{
    private readonly string _id = $"predictions-{Guid.NewGuid():N}";
    private readonly Config _config = ChartData.Config();
    private RunResults? _builtFor;
    private int _target;
    private int _step = 1;
    private bool _validation;
    private IReadOnlyList<PredictionPoint> _points = [];
    private IReadOnlyList<Anomaly> _anomalies = [];
    private (double Inside80, double Inside95) _coverage = (double.NaN, double.NaN);
    private IList<ITrace> _predictionTraces = [];
    private IList<ITrace> _residualTraces = [];
    private IList<ITrace> _histogramTraces = [];
    private IList<ITrace> _fanTraces = [];
    private readonly Plotly.Blazor.Layout _fanLayout = ChartData.TimeLayout(300);
    private readonly Plotly.Blazor.Layout _predictionLayout = ChartData.TimeLayout(420);
    private readonly Plotly.Blazor.Layout _residualLayout = ChartData.Layout(220, legend: false);
    private readonly Plotly.Blazor.Layout _histogramLayout = ChartData.Layout(300, legend: false);

    [Parameter, EditorRequired]
    public RunResults Results { get; set; } = default!;

    private IReadOnlyList<int> Steps => Results.Predictions?.Steps ?? [1];

    private string IntervalName => Results.Predictions?.Folds[0].Intervals.Method == Forecasting.Evaluation.IntervalMethod.Adaptive
        ? "adaptive (volatility-scaled)"
        : "split-conformal";

    // Parents re-render with the same results (e.g. on a tab change); build only for new ones.
    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(_builtFor, Results))
        {
            _builtFor = Results;
            Build();
        }
    }

    private void TargetChanged(int target)
    {
        _target = target;
        Build();
    }

    private void StepChanged(int step)
    {
        _step = step;
        Build();
    }

    private void SegmentChanged(bool validation)
    {
        _validation = validation;
        Build();
    }

    private void Build()
    {
        if (Results.Predictions is null)
        {
            return;
        }

        _points = PredictionSeries.Build(Results, _validation ? PredictionSegment.Validation : PredictionSegment.Test, _step, _target);
        _coverage = PredictionSeries.Coverage(_points);
        _anomalies = AnomalyDetector.Find(_points, Results.Frame);
        BuildPredictionChart();
        BuildFanChart();
        BuildResidualCharts();
    }

    private void BuildPredictionChart()
    {
        var times = _points.Select(p => p.Time).ToList();
        var traces = new List<ITrace>();
        traces.AddRange(FanChart.Band("95% interval", times, _points.Select(p => p.Lower95), _points.Select(p => p.Upper95), "rgba(30,136,229,0.12)"));
        traces.AddRange(FanChart.Band("80% interval", times, _points.Select(p => p.Lower80), _points.Select(p => p.Upper80), "rgba(30,136,229,0.24)"));
        traces.Add(FanChart.Line("Actual", times, _points.Select(p => p.Actual), "#90a4ae", null));
        traces.Add(FanChart.Line("Forecast", times, _points.Select(p => p.Predicted), "#1e88e5", null));

        traces.AddRange(AnomalyMarkers(AnomalyDetector.ForecastError, "#ef5350", Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.CircleOpen));
        traces.AddRange(AnomalyMarkers(AnomalyDetector.VolumeSpike, "#8e24aa", Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.DiamondOpen));

        if (Results.Predictions?.Future is { } future)
        {
            var futureTimes = future.Times.ToList();
            if (future.Intervals.FirstOrDefault(i => i.Level == PredictionSeries.Level95) is { } wide)
            {
                traces.AddRange(FanChart.Band("Next: 95% interval", futureTimes, wide.Lower.Select(r => r[_target]), wide.Upper.Select(r => r[_target]), "rgba(251,140,0,0.18)"));
            }

            traces.Add(FanChart.Line($"Next {futureTimes.Count.ToString(CultureInfo.InvariantCulture)}", futureTimes, future.Values.Select(row => row[_target]), "#fb8c00", "dot"));
        }

        _predictionTraces = traces;
    }

    // The anomalies of one kind, marked on the actual series.
    private IEnumerable<ITrace> AnomalyMarkers(string kind, string color, Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum symbol)
    {
        var times = _anomalies.Where(a => a.Kind == kind).Select(a => a.Time).ToHashSet();
        var marked = _points.Where(p => times.Contains(p.Time)).ToList();
        return marked.Count == 0
            ? []
            : [new Scatter
            {
                Name = kind,
                Mode = ModeFlag.Markers,
                X = ChartData.Dates(marked.Select(p => p.Time)),
                Y = ChartData.Values(marked.Select(p => p.Actual)),
                Marker = new Marker { Color = color, Size = 10, Symbol = symbol },
            }];
    }

    private void BuildFanChart()
    {
        _fanTraces = Results.Predictions?.Future is { } future ? FanChart.Traces(Results.Frame, future, _target) : [];
    }

    private void BuildResidualCharts()
    {
        _residualTraces =
        [
            new Scatter
            {
                Name = "Residual",
                Mode = ModeFlag.Lines,
                X = ChartData.Dates(_points.Select(p => p.Time)),
                Y = ChartData.Values(_points.Select(p => p.Residual)),
                Line = new Line { Color = "#7e57c2", Width = 1 },
            },
        ];
        var bins = PredictionSeries.Histogram(_points);
        _histogramTraces =
        [
            new Bar
            {
                Name = "Count",
                X = ChartData.Values(bins.Select(b => b.From)),
                Y = bins.Select(b => (object)b.Count).ToList(),
                Marker = new Plotly.Blazor.Traces.BarLib.Marker { Color = "rgba(126,87,194,0.6)" },
            },
        ];
    }

    private static string Percent(double value) => double.IsFinite(value) ? value.ToString("P1", CultureInfo.InvariantCulture) : "—";
}
