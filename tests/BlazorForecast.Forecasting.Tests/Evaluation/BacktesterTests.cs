using BlazorForecast.Forecasting.Evaluation;

namespace BlazorForecast.Forecasting.Tests.Evaluation;

public class BacktesterTests
{
    // Market returns +2%, -0.980%, +1.980%, -2.913%; the forecasts say up, down, up, up.
    private static readonly double[] Prices = [100, 102, 101, 103, 100];
    private static readonly double[] Forecasts = [101, 100, 104, 104];

    [Fact]
    public void LongFlat_PaysCostOnEveryEntryAndExit()
    {
        var result = Backtester.Run(BacktestStrategy.LongFlat, Prices, Forecasts, 0.001, 252);

        Assert.Equal(0.0069136491, result.TotalReturn, 1e-9);
        Assert.Equal(0.5435132433, result.AnnualizedReturn, 1e-8);
        Assert.Equal(1.3405404911, result.Sharpe, 1e-8);
        Assert.Equal(2.0905097044, result.Sortino, 1e-8);
        Assert.Equal(0.0291262136, result.MaxDrawdown, 1e-9);
        Assert.Equal(2.0 / 3, result.HitRate, 1e-12);
        Assert.Equal(3, result.Trades);
        Assert.Equal(3.0 / 4 * 252, result.TurnoverPerYear, 1e-9);
        Assert.Equal(1, result.Equity[0]);
        Assert.Equal(1.019, result.Equity[1], 1e-12);
        Assert.Equal(1.019 * 0.999, result.Equity[2], 1e-12);
    }

    [Fact]
    public void LongShort_FlipsCostTwoUnits_AndProfitsFromTheFall()
    {
        var result = Backtester.Run(BacktestStrategy.LongShort, Prices, Forecasts, 0.001, 252);

        Assert.Equal(0.0147902706, result.TotalReturn, 1e-9);
        Assert.Equal(2.7227581580, result.Sharpe, 1e-8);
        Assert.Equal(4.2184067441, result.Sortino, 1e-8);
        Assert.Equal(0.75, result.HitRate, 1e-12);
        Assert.Equal(3, result.Trades);
        Assert.Equal(5.0 / 4 * 252, result.TurnoverPerYear, 1e-9);
    }

    [Fact]
    public void BuyAndHold_EntersOnce_AndIgnoresTheForecasts()
    {
        var result = Backtester.Run(BacktestStrategy.BuyAndHold, Prices, Forecasts, 0.001, 252);

        Assert.Equal(-0.0009803922, result.TotalReturn, 1e-9);
        Assert.Equal(-0.0213807437, result.Sharpe, 1e-8);
        Assert.Equal(1, result.Trades);
        Assert.Equal(0.5, result.HitRate, 1e-12);
    }

    [Fact]
    public void WithoutCosts_LongFlatEquityIsTheCompoundedReturnsOfTheDaysInTheMarket()
    {
        var result = Backtester.Run(BacktestStrategy.LongFlat, Prices, Forecasts, 0, 252);

        Assert.Equal((1.02 * (103.0 / 101) * (100.0 / 103)) - 1, result.TotalReturn, 1e-12);
    }

    [Fact]
    public void MismatchedLengths_AreRefused() =>
        Assert.Throws<ArgumentException>(() => Backtester.Run(BacktestStrategy.LongFlat, Prices, Forecasts[..3], 0, 252));

    [Fact]
    public void Exposure_CountsPeriodsInTheMarketAndLong_AndAStrategyLongEveryPeriodIsBuyAndHold()
    {
        var longFlat = Backtester.Run(BacktestStrategy.LongFlat, Prices, Forecasts, 0.001, 252);
        var longShort = Backtester.Run(BacktestStrategy.LongShort, Prices, Forecasts, 0.001, 252);
        var alwaysUp = Backtester.Run(BacktestStrategy.LongFlat, Prices, Prices.Take(4).Select(p => p * 1.1).ToArray(), 0.001, 252);
        var hold = Backtester.Run(BacktestStrategy.BuyAndHold, Prices, Forecasts, 0.001, 252);

        Assert.Equal((0.75, 0.75), (longFlat.InMarketShare, longFlat.LongShare));
        Assert.Equal((1.0, 0.75), (longShort.InMarketShare, longShort.LongShare));
        Assert.True(alwaysUp.AlwaysLong);
        Assert.False(longFlat.AlwaysLong);
        Assert.False(hold.AlwaysLong);
        Assert.Equal(hold.Returns(), alwaysUp.Returns());
        Assert.Equal(0.02 - 0.001, longFlat.Returns()[0], 12);
    }

    [Fact]
    public void SharpeBootstrap_AStrategyThatIsTheBenchmark_HasNothingToTest()
    {
        var random = new Random(3);
        var benchmark = Enumerable.Range(0, 500).Select(_ => (random.NextDouble() - 0.48) * 0.02).ToArray();

        var same = SharpeBootstrap.Compare([(double[])benchmark.Clone()], benchmark, 252).Single();

        Assert.True(same.SameAsBenchmark);
        Assert.Equal((0.0, 1.0), (same.Difference, same.DifferencePValue));
        Assert.False(same.Differs(0.05));
        Assert.InRange(same.Sharpe, same.Lower, same.Upper);
    }

    [Fact]
    public void SharpeBootstrap_AClearlyBetterStrategy_Differs_AndANoisyOneDoesNot()
    {
        var random = new Random(5);
        var benchmark = Enumerable.Range(0, 750).Select(_ => (random.NextDouble() - 0.5) * 0.02).ToArray();
        var better = benchmark.Select(r => r + 0.002).ToArray();
        var noisy = benchmark.Select(_ => (random.NextDouble() - 0.5) * 0.02).ToArray();

        var results = SharpeBootstrap.Compare([better, noisy], benchmark, 252);

        Assert.True(results[0].Differs(0.05), $"p = {results[0].DifferencePValue}");
        Assert.True(results[0].DifferenceLower > 0);
        Assert.InRange(results[0].Difference, results[0].DifferenceLower, results[0].DifferenceUpper);
        Assert.False(results[1].Differs(0.05), $"p = {results[1].DifferencePValue}");
        Assert.True(results[1].Upper - results[1].Lower > 1, "Three years of daily returns leave a Sharpe ratio uncertain by more than one.");
        Assert.Equal(results, SharpeBootstrap.Compare([better, noisy], benchmark, 252));
    }
}
