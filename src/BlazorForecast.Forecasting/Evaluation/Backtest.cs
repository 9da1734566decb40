namespace BlazorForecast.Forecasting.Evaluation;

public enum BacktestStrategy
{
    /// <summary>Long when the forecast is above the current price, otherwise out of the market.</summary>
    LongFlat,

    /// <summary>Long when the forecast is above the current price, short when below, out when equal.</summary>
    LongShort,

    /// <summary>Long throughout: the benchmark.</summary>
    BuyAndHold,
}

/// <summary>
/// How a strategy would have done on past data. Equity starts at 1 before the first period; Sharpe and Sortino are
/// annualised with a zero risk-free rate; hit rate counts periods in the market whose return had the position's
/// sign; turnover is the summed absolute position change per year (entering and leaving count one each, a flip two).
/// <see cref="InMarketShare"/> and <see cref="LongShare"/> are the shares of periods holding any position and a long
/// one: a strategy long in every period is buy-and-hold, whatever its forecasts said.
/// </summary>
public sealed record BacktestResult(
    BacktestStrategy Strategy,
    double[] Equity,
    double TotalReturn,
    double AnnualizedReturn,
    double Sharpe,
    double Sortino,
    double MaxDrawdown,
    double HitRate,
    double TurnoverPerYear,
    int Trades,
    double InMarketShare,
    double LongShare)
{
    /// <summary>Each period's return after costs, from the equity curve.</summary>
    public double[] Returns() => Equity.Skip(1).Select((e, t) => Equity[t] == 0 ? 0 : (e / Equity[t]) - 1).ToArray();

    /// <summary>Long in every period: the same positions as buy-and-hold.</summary>
    public bool AlwaysLong => Strategy != BacktestStrategy.BuyAndHold && LongShare >= 1;
}

/// <summary>One period of a backtest: the price at the origin, the next price, and the forecast of the next price.</summary>
public readonly record struct BacktestPeriod(double Price, double NextPrice, double Forecast);

/// <summary>One period of a direction model's backtest: the price at the origin, the next price, and the probability of a rise given at the origin.</summary>
public readonly record struct DirectionPeriod(double Price, double NextPrice, double ProbabilityUp)
{
    /// <summary>
    /// The next-row trades of every fold's test origins in order: a target's price at each origin and a row later, and
    /// the probability of a rise given there ([window][target] per fold).
    /// </summary>
    public static IReadOnlyList<DirectionPeriod> Of(double[] prices, IEnumerable<(int[] Origins, double[][] Probabilities)> folds, int target)
    {
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(folds);
        return folds.SelectMany(f => f.Origins.Select((origin, w) => new DirectionPeriod(prices[origin], prices[origin + 1], f.Probabilities[w][target]))).ToList();
    }
}

/// <summary>
/// Trades one-step forecasts: at each origin t the position is set from the forecast of the next price against the
/// price at t, held over (t, t+1], and each change of position pays <c>costPerTrade</c> (a fraction, e.g. 0.001 for
/// 10 basis points) per unit changed.
/// </summary>
public static class Backtester
{
    /// <param name="strategy">How a forecast becomes a position.</param>
    /// <param name="prices">Prices at the origins and one after the last: n + 1 values for n periods.</param>
    /// <param name="forecasts">For each origin, the forecast of the next price: n values.</param>
    /// <param name="costPerTrade">Cost per unit of position changed, as a fraction of value.</param>
    /// <param name="periodsPerYear">For annualising.</param>
    public static BacktestResult Run(BacktestStrategy strategy, IReadOnlyList<double> prices, IReadOnlyList<double> forecasts, double costPerTrade, double periodsPerYear)
    {
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(forecasts);
        if (forecasts.Count < 1 || prices.Count != forecasts.Count + 1)
        {
            throw new ArgumentException("A backtest needs n forecasts and the n + 1 prices around them.", nameof(prices));
        }

        return Run(strategy, forecasts.Select((f, t) => new BacktestPeriod(prices[t], prices[t + 1], f)).ToList(), costPerTrade, periodsPerYear);
    }

    /// <summary>The same over periods given one by one, e.g. the test blocks of several walk-forward folds in a row.</summary>
    public static BacktestResult Run(BacktestStrategy strategy, IReadOnlyList<BacktestPeriod> history, double costPerTrade, double periodsPerYear)
    {
        ArgumentNullException.ThrowIfNull(history);
        return Trade(strategy, history.Select(p => (p.Price, p.NextPrice, Position(strategy, p.Price, p.Forecast))).ToList(), costPerTrade, periodsPerYear);
    }

    /// <summary>
    /// Trades a direction model's probability of a rise over (t, t+1]: long above <paramref name="threshold"/>, and
    /// for long–short short below 1 − threshold; out of the market in between (with 0.5, on the predicted class).
    /// </summary>
    public static BacktestResult RunOnProbabilities(
        BacktestStrategy strategy, IReadOnlyList<DirectionPeriod> history, double threshold, double costPerTrade, double periodsPerYear)
    {
        ArgumentNullException.ThrowIfNull(history);
        return Trade(strategy, history.Select(p => (p.Price, p.NextPrice, strategy switch
        {
            BacktestStrategy.BuyAndHold => 1.0,
            _ when p.ProbabilityUp > threshold => 1.0,
            BacktestStrategy.LongShort when p.ProbabilityUp < 1 - threshold => -1.0,
            _ => 0.0,
        })).ToList(), costPerTrade, periodsPerYear);
    }

    private static BacktestResult Trade(BacktestStrategy strategy, List<(double Price, double NextPrice, double Position)> history, double costPerTrade, double periodsPerYear)
    {
        var periods = history.Count;
        if (periods < 1)
        {
            throw new ArgumentException("A backtest needs at least one period.", nameof(history));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(costPerTrade);
        var equity = new double[periods + 1];
        equity[0] = 1;
        var returns = new double[periods];
        var (previous, changed, trades, inMarket, hits, longs) = (0.0, 0.0, 0, 0, 0, 0);
        for (var t = 0; t < periods; t++)
        {
            var position = history[t].Position;
            var marketReturn = (history[t].NextPrice / history[t].Price) - 1;
            var change = Math.Abs(position - previous);
            returns[t] = (position * marketReturn) - (costPerTrade * change);
            equity[t + 1] = equity[t] * (1 + returns[t]);
            changed += change;
            trades += change > 0 ? 1 : 0;
            longs += position > 0 ? 1 : 0;
            if (position != 0)
            {
                inMarket++;
                hits += position * marketReturn > 0 ? 1 : 0;
            }

            previous = position;
        }

        var mean = returns.Average();
        var deviation = ReturnStatistics.StandardDeviation(returns);
        var downside = Math.Sqrt(returns.Sum(r => Math.Min(r, 0) * Math.Min(r, 0)) / periods);
        var annualisation = Math.Sqrt(periodsPerYear);
        return new BacktestResult(
            strategy,
            equity,
            equity[^1] - 1,
            Math.Pow(equity[^1], periodsPerYear / periods) - 1,
            deviation > 0 ? mean / deviation * annualisation : 0,
            downside > 0 ? mean / downside * annualisation : 0,
            ReturnStatistics.MaxDrawdown(equity).Depth,
            inMarket == 0 ? double.NaN : (double)hits / inMarket,
            changed / periods * periodsPerYear,
            trades,
            (double)inMarket / periods,
            (double)longs / periods);
    }

    private static double Position(BacktestStrategy strategy, double price, double forecast) => strategy switch
    {
        BacktestStrategy.BuyAndHold => 1,
        BacktestStrategy.LongFlat => forecast > price ? 1 : 0,
        _ => Math.Sign(forecast - price),
    };
}
