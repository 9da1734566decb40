using BlazorForecast.Forecasting.Evaluation;

namespace BlazorForecast.Web.Features.Results;

/// <summary>
/// The dataset target's risk summary and the backtests of trading the run's one-step forecasts over its test segments,
/// each strategy's Sharpe ratio with its bootstrap interval and its difference from buy-and-hold's (in
/// <see cref="SharpeRatios"/>, in the order of <see cref="Backtests"/>). Build throws
/// <see cref="InvalidOperationException"/> when the target is not a price series.
/// </summary>
public sealed record RiskReport(
    string Target, RiskSummary Risk, double CostBasisPoints, DateTime[] EquityTimes, IReadOnlyList<BacktestResult> Backtests, IReadOnlyList<SharpeComparison> SharpeRatios)
{
    public const double DefaultCostBasisPoints = 5;

    public static RiskReport Build(RunResults results, int target, double costBasisPoints = DefaultCostBasisPoints)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentOutOfRangeException.ThrowIfNegative(costBasisPoints);
        var name = results.Config.Targets[target];
        var prices = results.Frame.Find(name)!.Values;
        if (Array.Exists(prices, p => !(p > 0)) || prices.Length < 3)
        {
            throw new InvalidOperationException(
                $"'{name}' is not a price series (it needs at least three values, all above zero), so returns, risk and a backtest do not apply.");
        }

        var risk = RiskSummary.Compute(results.Frame.Timestamps, prices, results.PeriodsPerYear);

        var points = PredictionSeries.Build(results, PredictionSegment.Test, 1, target);
        if (points.Count == 0)
        {
            return new RiskReport(name, risk, costBasisPoints, [], [], []);
        }

        var history = points.Select(p => new BacktestPeriod(prices[PredictionSeries.RowOf(results.Frame, p.Origin)], p.Actual, p.Predicted)).ToList();
        var backtests = Enum.GetValues<BacktestStrategy>()
            .Select(s => Backtester.Run(s, history, costBasisPoints / 10_000, results.PeriodsPerYear))
            .ToList();
        var benchmark = backtests.Single(b => b.Strategy == BacktestStrategy.BuyAndHold).Returns();
        var sharpe = SharpeBootstrap.Compare(backtests.Select(b => b.Returns()).ToList(), benchmark, results.PeriodsPerYear);
        return new RiskReport(name, risk, costBasisPoints, [points[0].Origin, .. points.Select(p => p.Time)], backtests, sharpe);
    }
}
