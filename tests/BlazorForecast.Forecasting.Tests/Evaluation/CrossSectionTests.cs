using BlazorForecast.Forecasting.Evaluation;

namespace BlazorForecast.Forecasting.Tests.Evaluation;

public class CrossSectionTests
{
    private static readonly DateTime Day = new(2024, 1, 2);

    [Fact]
    public void IcAndRankIc_MatchTheHandComputedCrossSections()
    {
        // Date 1: predicted 1, 2, 3, 4 against actual 1, 3, 2, 4: Pearson = (Σ dx·dy) / √(Σdx² Σdy²) = 4 / 5 = 0.8, ranks the same.
        // Date 2: predicted 4, 3, 2, 1 against actual 1, 2, 4, 3: ranks 4,3,2,1 vs 1,2,4,3: ρ = 1 − 6·Σd²/(n(n²−1)) = 1 − 6·18/60 = −0.8.
        // Date 3: predicted 0.1, 0.1, 0.3, 0.4 (a tie) against actual 0, 1, 2, 3: ranks 1.5, 1.5, 3, 4.
        var dates = new[]
        {
            new CrossSectionDate(Day, [1, 2, 3, 4], [1, 3, 2, 4]),
            new CrossSectionDate(Day.AddDays(1), [4, 3, 2, 1], [1, 2, 4, 3]),
            new CrossSectionDate(Day.AddDays(2), [0.1, 0.1, 0.3, 0.4], [0, 1, 2, 3]),
        };
        var tied = InformationCoefficients.Pearson([1.5, 1.5, 3, 4], [1, 2, 3, 4]);

        var ic = InformationCoefficients.Of(dates);

        Assert.Equal(0.8, InformationCoefficients.Pearson([1, 2, 3, 4], [1, 3, 2, 4]), 12);
        Assert.Equal([1.5, 1.5, 3, 4], InformationCoefficients.Ranks([0.1, 0.1, 0.3, 0.4]));
        // Tied ranks 1.5, 1.5, 3, 4 against 1, 2, 3, 4: deviations −1, −1, ½, 1½ and −1½, −½, ½, 1½ → 4.5 / √(4.5 · 5).
        Assert.Equal(4.5 / Math.Sqrt(4.5 * 5), tied, 12);
        Assert.Equal(3, ic.Dates);
        var rank = new[] { 0.8, -0.8, tied };
        Assert.Equal(rank.Average(), ic.RankIcMean, 12);
        Assert.Equal(Math.Sqrt(rank.Select(r => Math.Pow(r - rank.Average(), 2)).Sum() / 2), ic.RankIcStdDev, 12);
        Assert.Equal(ic.RankIcMean / ic.RankIcStdDev, ic.RankIcir, 12);
        AssertNeweyWestTest(rank, ic.RankIcLag, ic.RankIcT, ic.RankIcP);
    }

    // Three dates get lag 1 (⌊4 · 0.03^(2/9)⌋ = ⌊1.83⌋): variance γ₀ + γ₁ (each a sum over n = 3), t = mean / √(variance / 3),
    // and with 2 degrees of freedom the two-sided p is 1 − |t| / √(t² + 2).
    private static void AssertNeweyWestTest(double[] values, int lag, double t, double p)
    {
        var mean = values.Average();
        var e = values.Select(v => v - mean).ToArray();
        var variance = ((e[0] * e[0]) + (e[1] * e[1]) + (e[2] * e[2]) + (e[1] * e[0]) + (e[2] * e[1])) / 3;
        var expected = mean / Math.Sqrt(variance / 3);
        Assert.Equal(1, lag);
        Assert.Equal(expected, t, 12);
        Assert.Equal(1 - (Math.Abs(expected) / Math.Sqrt((expected * expected) + 2)), p, 12);
    }

    [Fact]
    public void AgainstDrift_TheDailyRankIcDifferencesAreTested()
    {
        // Drift ranks the series 1, 2, 3, 4 every day. Date 1: the model's Rank IC 0.8, drift's 1 − 6·2/60 = 0.8 (actual
        // ranks 1, 3, 2, 4); date 2: the model's −0.8, drift's 0.8 (actual ranks 1, 2, 4, 3); date 3: the model's (tied)
        // 4.5/√22.5, drift's 1 (actual 0, 1, 2, 3).
        double[] drift = [0.1, 0.2, 0.3, 0.4];
        var dates = new[]
        {
            new CrossSectionDate(Day, [1, 2, 3, 4], [1, 3, 2, 4]) { Drift = drift },
            new CrossSectionDate(Day.AddDays(1), [4, 3, 2, 1], [1, 2, 4, 3]) { Drift = drift },
            new CrossSectionDate(Day.AddDays(2), [0.1, 0.1, 0.3, 0.4], [0, 1, 2, 3]) { Drift = drift },
        };
        double[] differences = [0.8 - 0.8, -0.8 - 0.8, (4.5 / Math.Sqrt(22.5)) - 1];

        var versus = RankIcComparison.Of(dates);

        Assert.Equal(3, versus.Dates);
        Assert.Equal(differences.Average(), versus.MeanDifference, 12);
        AssertNeweyWestTest(differences, versus.Lag, versus.T, versus.P);
        Assert.Equal((0.8 + 0.8 + 1) / 3, InformationCoefficients.Of(dates.Select(d => d with { Predicted = d.Drift }).ToList()).RankIcMean, 12);
    }

    [Fact]
    public void NeweyWest_MatchesTheHandComputedVariance_AndItsLagRule()
    {
        // 1, 3, 2, 6: mean 3, deviations −2, 0, −1, 3; γ₀ = 14 / 4, γ₁ = (0·−2 + −1·0 + 3·−1) / 4 = −3 / 4; at lag 1 the
        // Bartlett weight is ½: 3.5 + 2 · ½ · −0.75 = 2.75.
        Assert.Equal(2.75, LongRunVariance.NeweyWest([1, 3, 2, 6], 3, 1), 12);
        Assert.Equal(3.5, LongRunVariance.NeweyWest([1, 3, 2, 6], 3, 0), 12);
        Assert.Equal([0, 1, 1, 4, 5, 6], new[] { 1, 2, 4, 100, 457, 1000 }.Select(LongRunVariance.AutomaticLag));
    }

    [Fact]
    public void TheMeanTest_KeepsItsFalseAlarmsNearTheLevel_WhenNeighbouringDatesMoveTogether()
    {
        // Daily ICs with no skill at all (mean 0) but carried over from one date to the next (AR(1), φ 0.5), as a slowly
        // changing model's are. Counted as independent they "show skill" at 5% about a quarter of the time; the test must not.
        var random = new Random(11);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        int Alarms(double phi, bool independent)
        {
            var alarms = 0;
            for (var series = 0; series < 400; series++)
            {
                var values = new double[500];
                for (var t = 1; t < values.Length; t++)
                {
                    values[t] = (phi * values[t - 1]) + Normal();
                }

                var p = InformationCoefficients.MeanTest(values).P;
                if (independent)
                {
                    var naive = values.Average() / Math.Sqrt(LongRunVariance.NeweyWest(values, values.Average(), 0) / values.Length);
                    p = 2 * MathNet.Numerics.Distributions.StudentT.CDF(0, 1, values.Length - 1, -Math.Abs(naive));
                }

                alarms += p < 0.05 ? 1 : 0;
            }

            return alarms;
        }

        Assert.InRange(Alarms(0.5, independent: true), 72, 400);
        Assert.InRange(Alarms(0.5, independent: false), 0, 48);
        Assert.InRange(Alarms(0, independent: false), 8, 32);
    }

    [Fact]
    public void AConstantForecast_HasNoIc_AndIsLeftOut()
    {
        var ic = InformationCoefficients.Of([new CrossSectionDate(Day, [1, 1, 1], [0.1, 0.2, 0.3]), new CrossSectionDate(Day, [1, 2, 3], [0.1, 0.2, 0.3])]);

        Assert.Equal(1, ic.Dates);
        Assert.Equal(1, ic.RankIcMean, 12);
    }

    [Fact]
    public void LongShort_HoldsTheTopAgainstTheBottom_AndPaysForEveryWeightChanged()
    {
        // Four series, quantile 0.25: one long, one short. Date 1 longs A (+2%) and shorts D (−1%): +3%, less the cost of
        // building 1 + 1 of weight. Date 2 keeps the same book: +1% − (−1%) = +2%, no cost.
        var dates = new[]
        {
            new CrossSectionDate(Day, [0.9, 0.5, 0.4, 0.1], [0.02, 0.0, 0.01, -0.01]),
            new CrossSectionDate(Day.AddDays(1), [0.8, 0.5, 0.4, 0.2], [0.01, 0.05, 0.03, -0.01]),
        };

        var backtest = LongShortBacktest.Run(dates, 0.25, 0.001, 252);

        Assert.Equal(1, backtest.PerLeg);
        Assert.Equal(1 + (0.03 - 0.002), backtest.Equity[1], 12);
        Assert.Equal((1 + 0.028) * 1.02, backtest.Equity[2], 12);
        Assert.Equal(backtest.Equity[2] - 1, backtest.TotalReturn, 12);
        Assert.Equal(2.0 / 2 * 252, backtest.TurnoverPerYear, 9);
        Assert.Throws<ArgumentException>(() => LongShortBacktest.Run(dates, 0.7, 0, 252));
    }
}
