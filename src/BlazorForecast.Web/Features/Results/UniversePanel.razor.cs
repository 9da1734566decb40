using System.Globalization;
using BlazorForecast.Web.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace BlazorForecast.Web.Features.Results;

/// <summary>
/// A run across its targets: each series' scores and verdict against naive, the cross-section's IC and Rank IC with
/// the Rank IC over time (a 20-date rolling mean), and the long–short backtest's figures and equity.
/// </summary>
public sealed partial class UniversePanel
{
    private const int RollingDates = 20;
    private readonly string _icChartId = $"rank-ic-{Guid.NewGuid():N}";
    private readonly string _equityChartId = $"long-short-{Guid.NewGuid():N}";
    private readonly Config _config = ChartData.Config();
    private readonly Plotly.Blazor.Layout _icLayout = ChartData.TimeLayout(220, legend: false, valueTitle: $"Rank IC, {RollingDates}-date mean");
    private readonly Plotly.Blazor.Layout _equityLayout = ChartData.TimeLayout(220, legend: false, valueTitle: "equity (start = 1)");
    private IList<ITrace> _icTraces = [];
    private IList<ITrace> _equityTraces = [];

    [Parameter, EditorRequired]
    public RunResults Results { get; set; } = default!;

    [Inject]
    private IOptions<EvaluationOptions> Evaluation { get; set; } = default!;

    private UniverseResults Universe => Results.Universe!;

    private double Level => Evaluation.Value.SignificanceLevel;

    protected override void OnParametersSet()
    {
        var rankIc = Universe.RankIc;
        var rolling = rankIc.Select((_, i) =>
        {
            var window = rankIc.Skip(Math.Max(0, i - RollingDates + 1)).Take(Math.Min(RollingDates, i + 1)).Where(double.IsFinite).ToList();
            return window.Count == 0 ? double.NaN : window.Average();
        });
        _icTraces =
        [
            new Scatter { Name = "Rank IC", Mode = ModeFlag.Lines, X = ChartData.Dates(Universe.Dates), Y = ChartData.Values(rolling), Line = new Line { Color = "#1e88e5", Width = 1.5m } },
        ];
        var ls = Universe.LongShort;
        _equityTraces =
        [
            new Scatter { Name = "long–short", Mode = ModeFlag.Lines, X = ChartData.Dates(Universe.EquityTimes), Y = ChartData.Values(ls.Equity), Line = new Line { Color = "#7e57c2", Width = 1.5m } },
        ];
    }

    // The share of the series' test values inside its intervals at a level (the run's method, pooled over folds).
    private static string Covered(StoredUniverseSeries series, double level) =>
        series.Assessment.IntervalsAt(level) is { } measured ? measured.Coverage.ToString("P1", CultureInfo.CurrentCulture) : "—";

    private static string Signed(double value) => double.IsFinite(value) ? value.ToString("+0.0000;-0.0000", CultureInfo.CurrentCulture) : "—";

    private static string Number(double value, string format) => double.IsFinite(value) ? value.ToString(format, CultureInfo.CurrentCulture) : "—";
}
