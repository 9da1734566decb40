using BlazorForecast.Forecasting.Evaluation;

namespace BlazorForecast.Web.Features.Results;

/// <summary>
/// The dataset target's risk summary and the backtests of trading the run's one-step forecasts over its test segments,
/// each strategy's Sharpe ratio with its bootstrap interval and its difference from buy-and-hold's (in
/// <see cref="SharpeRatios"/>, in the order of <see cref="Backtests"/>). A direction run trades its probability of a rise
/// instead: long above the threshold, short (long–short only) below one minus it. Build throws
/// <see cref="InvalidOperationException"/> when the target is not a price series.
/// </summary>
public sealed record RiskReport(
    string Target, RiskSummary Risk, double CostBasisPoints, DateTime[] EquityTimes, IReadOnlyList<BacktestResult> Backtests, IReadOnlyList<SharpeComparison> SharpeRatios)
{
    public const double DefaultCostBasisPoints = 5;

    /// <summary>For a direction run, the probability of a rise above which it went long; null for value forecasts.</summary>
    public double? Threshold { get; init; }

    public static RiskReport Build(RunResults results, int target, double costBasisPoints = DefaultCostBasisPoints, double? threshold = null)
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
        if (results.Direction is { } direction)
        {
            var cut = threshold ?? results.Config.Direction!.Threshold;
            var periods = direction.Periods(results.Frame, name, target);
            var traded = Enum.GetValues<BacktestStrategy>()
                .Select(s => Backtester.RunOnProbabilities(s, periods, cut, costBasisPoints / 10_000, results.PeriodsPerYear))
                .ToList();
            var origins = direction.Folds.SelectMany(f => f.TestOrigins).ToList();
            return Compared(name, risk, costBasisPoints, [results.Frame.Timestamps[origins[0]], .. origins.Select(o => results.Frame.Timestamps[o + 1])], traded, results.PeriodsPerYear)
                with { Threshold = cut };
        }

        var points = PredictionSeries.Build(results, PredictionSegment.Test, 1, target);
        if (points.Count == 0)
        {
            return new RiskReport(name, risk, costBasisPoints, [], [], []);
        }

        var history = points.Select(p => new BacktestPeriod(prices[PredictionSeries.RowOf(results.Frame, p.Origin)], p.Actual, p.Predicted)).ToList();
        var backtests = Enum.GetValues<BacktestStrategy>()
            .Select(s => Backtester.Run(s, history, costBasisPoints / 10_000, results.PeriodsPerYear))
            .ToList();
        return Compared(name, risk, costBasisPoints, [points[0].Origin, .. points.Select(p => p.Time)], backtests, results.PeriodsPerYear);
    }

    // Each strategy's Sharpe ratio against buy-and-hold's on the same periods.
    private static RiskReport Compared(string name, RiskSummary risk, double costBasisPoints, DateTime[] times, List<BacktestResult> backtests, double periodsPerYear)
    {
        var benchmark = backtests.Single(b => b.Strategy == BacktestStrategy.BuyAndHold).Returns();
        var sharpe = SharpeBootstrap.Compare(backtests.Select(b => b.Returns()).ToList(), benchmark, periodsPerYear);
        return new RiskReport(name, risk, costBasisPoints, times, backtests, sharpe);
    }
}
