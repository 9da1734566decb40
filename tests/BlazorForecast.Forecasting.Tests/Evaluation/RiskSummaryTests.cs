using BlazorForecast.Forecasting.Evaluation;

namespace BlazorForecast.Forecasting.Tests.Evaluation;

public class RiskSummaryTests
{
    private static readonly DateTime[] Days = Enumerable.Range(0, 5).Select(i => new DateTime(2024, 1, 1).AddDays(i)).ToArray();

    // Returns +10%, -10%, +10%, -10%: mean 0, sample deviation sqrt(0.04 / 3) = 0.1154701.
    private static readonly double[] Prices = [100, 110, 99, 108.9, 98.01];

    [Fact]
    public void Volatility_AndReturn_AreAnnualisedFromTheSimpleReturns()
    {
        var risk = RiskSummary.Compute(Days, Prices, 252);

        Assert.Equal(4, risk.Returns);
        Assert.Equal(0.1154701 * Math.Sqrt(252), risk.AnnualizedVolatility, 1e-6);
        Assert.Equal(Math.Pow(0.9801, 63) - 1, risk.AnnualizedReturn, 1e-9);
    }

    [Fact]
    public void ValueAtRisk_HistoricalAndParametric_MatchHandComputedValues()
    {
        var risk = RiskSummary.Compute(Days, Prices, 252);

        var at95 = risk.ValueAtRisk.Single(v => v.Level == 0.95);
        Assert.Equal(0.1, at95.Historical, 1e-12);
        Assert.Equal(0.1, at95.HistoricalShortfall, 1e-12);
        Assert.Equal(0.1154701 * 1.6448536, at95.Parametric, 1e-6);
        Assert.Equal(0.1154701 * 0.1031356 / 0.05, at95.ParametricShortfall, 1e-6);
        var at99 = risk.ValueAtRisk.Single(v => v.Level == 0.99);
        Assert.Equal(0.2686235, at99.Parametric, 1e-6);
        Assert.Equal(0.3077524, at99.ParametricShortfall, 1e-6);
    }

    [Fact]
    public void MaxDrawdown_RunsFromThePeakToTheLowestLaterPrice_WithoutRecovery()
    {
        var drawdown = RiskSummary.Compute(Days, Prices, 252).MaxDrawdown;

        Assert.Equal(1 - (98.01 / 110), drawdown.Depth, 1e-12);
        Assert.Equal(Days[1], drawdown.Peak);
        Assert.Equal(Days[4], drawdown.Trough);
        Assert.Null(drawdown.Recovery);
    }

    [Fact]
    public void MaxDrawdown_RecoveryIsTheFirstDateBackAtThePeak()
    {
        var drawdown = RiskSummary.Compute(Days[..4], [100, 120, 90, 130], 252).MaxDrawdown;

        Assert.Equal(0.25, drawdown.Depth, 1e-12);
        Assert.Equal(Days[3], drawdown.Recovery);
    }

    [Fact]
    public void TooFewPrices_AreRefusedWithAReason()
    {
        var error = Assert.Throws<ArgumentException>(() => RiskSummary.Compute(Days[..2], [100, 101], 252));

        Assert.StartsWith("A risk summary needs at least three positive prices.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StandardDeviation_IsTheSampleOne_ZeroForOneValue_AndUndefinedForNone()
    {
        Assert.Equal(Math.Sqrt(2.5), ReturnStatistics.StandardDeviation([1, 2, 3, 4, 5]), 1e-12);
        Assert.Equal(0, ReturnStatistics.StandardDeviation([7]));
        Assert.True(double.IsNaN(ReturnStatistics.StandardDeviation([])));
    }

    [Fact]
    public void Quantile_InterpolatesBetweenOrderStatistics() =>
        Assert.Equal(1.75, ReturnStatistics.Quantile([4, 1, 3, 2], 0.25), 1e-12);
}
