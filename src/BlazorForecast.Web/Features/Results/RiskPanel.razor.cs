using System.Globalization;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Web.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace BlazorForecast.Web.Features.Results;

/// <summary>
/// The target's risk (volatility, historical and parametric VaR and CVaR at 95% and 99%, maximum drawdown with its
/// dates) and a backtest of long/flat and long/short trading on the forecast against buy-and-hold, with a cost per
/// trade: each Sharpe ratio with its bootstrap interval and whether it differs from buy-and-hold's, and a warning for a
/// strategy that was long every period (and so is buy-and-hold).
/// </summary>
public sealed partial class RiskPanel
{
    private readonly string _chartId = $"equity-{Guid.NewGuid():N}";
    private readonly Config _config = ChartData.Config();
    private RunResults? _builtFor;
    private int _target;
    private double _costBps = RiskReport.DefaultCostBasisPoints;
    private double _threshold = 0.5;
    private RiskReport? _report;
    private string? _problem;
    private IList<ITrace> _equityTraces = [];
    private readonly Plotly.Blazor.Layout _equityLayout = ChartData.TimeLayout(340, valueTitle: "equity (start = 1)");
    private string _chartKey = "";

    [Parameter, EditorRequired]
    public RunResults Results { get; set; } = default!;

    [Inject]
    private IOptions<EvaluationOptions> Evaluation { get; set; } = default!;

    private double Level => Evaluation.Value.SignificanceLevel;

    private string Period => Verdict.Period(Results.Calendar.Frequency);

    private static string Interval(double lower, double upper) =>
        double.IsFinite(lower) && double.IsFinite(upper) ? string.Create(CultureInfo.InvariantCulture, $"[{lower:F2}, {upper:F2}]") : "";

    private string Versus(BacktestResult backtest, SharpeComparison sharpe) => backtest.Strategy switch
    {
        BacktestStrategy.BuyAndHold => "—",
        _ when sharpe.SameAsBenchmark => "identical",
        _ => string.Create(CultureInfo.InvariantCulture,
            $"{sharpe.Difference:+0.00;−0.00;0.00}, {Verdict.PValue(sharpe.DifferencePValue)}{(sharpe.Differs(Level) ? (sharpe.Difference > 0 ? " (better)" : " (worse)") : "")}"),
    };

    // Parents re-render with the same results (e.g. on a tab change); build only for new ones.
    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(_builtFor, Results))
        {
            _builtFor = Results;
            _target = 0;
            _threshold = Results.Config.Direction?.Threshold ?? 0.5;
            Build();
        }
    }

    private void TargetChanged(int target)
    {
        _target = target;
        Build();
    }

    private void CostChanged(double cost)
    {
        _costBps = double.IsFinite(cost) ? Math.Clamp(cost, 0, 10_000) : RiskReport.DefaultCostBasisPoints;
        Build();
    }

    private void ThresholdChanged(double threshold)
    {
        _threshold = double.IsFinite(threshold) ? Math.Clamp(threshold, 0.5, 0.99) : 0.5;
        Build();
    }

    private void Build()
    {
        try
        {
            _report = RiskReport.Build(Results, _target, _costBps, Results.Direction is null ? null : _threshold);
            _problem = null;
        }
        catch (InvalidOperationException ex)
        {
            _report = null;
            _problem = ex.Message;
            return;
        }

        var colors = new Dictionary<BacktestStrategy, string>
        {
            [BacktestStrategy.LongFlat] = "#1e88e5",
            [BacktestStrategy.LongShort] = "#7e57c2",
            [BacktestStrategy.BuyAndHold] = "#90a4ae",
        };
        _equityTraces = _report.Backtests.Select(b => (ITrace)new Scatter
        {
            Name = StrategyName(b.Strategy),
            Mode = ModeFlag.Lines,
            X = ChartData.Dates(_report.EquityTimes),
            Y = ChartData.Values(b.Equity),
            Line = new Line { Color = colors[b.Strategy], Width = 1.5m },
        }).ToList();
        _chartKey = $"{_target}-{_costBps}-{_threshold}";
    }

    private static string StrategyName(BacktestStrategy strategy) => strategy switch
    {
        BacktestStrategy.LongFlat => "Long / flat",
        BacktestStrategy.LongShort => "Long / short",
        _ => "Buy and hold",
    };
}
