using BlazorForecast.Forecasting.Evaluation;

namespace BlazorForecast.Forecasting.Tests.Evaluation;

public class DieboldMarianoTestTests
{
    private static readonly double[] Differences = [1, -1, 2, 0, 3];

    [Fact]
    public void OneStep_MatchesTheHandComputedStatistic()
    {
        // mean 1; γ0 = (0 + 4 + 1 + 1 + 4) / 5 = 2; DM = 1 / √(2/5); HLN factor √((5 + 1 − 2 + 0) / 5) = √0.8, so √2;
        // two-sided p from Student's t with 4 degrees of freedom (R: 2 * pt(-sqrt(2), 4)).
        var test = DieboldMarianoTest.Of(Differences, horizon: 1);

        Assert.Equal((5, 0, 1.0), (test.Count, test.Lag, test.MeanDifference));
        Assert.Equal(Math.Sqrt(2), test.Statistic, 1e-12);
        Assert.Equal(0.230199641080, test.PValue, 1e-11);
    }

    [Fact]
    public void TwoSteps_AddTheFirstAutocovarianceWithHalfWeight()
    {
        // γ1 = (0·(−2) + (−2)·1 + 1·(−1) + (−1)·2) / 5 = −1, Bartlett weight 1 − 1/2: variance 2 + 2·½·(−1) = 1; DM = 1 / √(1/5)
        // = √5; HLN √((5 + 1 − 4 + 2/5) / 5) = √0.48. R's forecast 8.20, dm.test(..., h = 2, varestimator = "bartlett"),
        // gives 1.549193338483 and p = 0.196261178149 for errors whose squared difference is this series.
        var test = DieboldMarianoTest.Of(Differences, horizon: 2);

        Assert.Equal(1, test.Lag);
        Assert.Equal(1.549193338483, test.Statistic, 1e-11);
        Assert.Equal(0.196261178149, test.PValue, 1e-11);
        Assert.NotEqual(DieboldMarianoTest.Of(Differences, horizon: 1).Statistic, test.Statistic, 6);
    }

    [Fact]
    public void PublishedExample_WwwUsage_MatchesRsForecastPackage()
    {
        // The out-of-sample example of dm.test's help in R's forecast package: ets and auto.arima fitted to
        // WWWusage[1:80], their one-step errors on WWWusage[81:100] (printed by forecast 8.20 to ten decimals).
        double[] ets = [0.0022412702, -0.0006619060, -1.2000026125, -4.0002181779, 3.7993735332, 3.4010051111, -1.1996921245, -0.8004900476, -1.2000489995, 3.3998472286, 7.0007089477, 2.2009892408, -4.8001655694, -1.2010433753, 3.4001675563, 3.0007090852, 0.4002679496, -6.8001692072, -2.4012590501, 1.2001121977];
        double[] arima = [0.1209998176, 8.0622269390, -0.9189429300, -1.7952435729, 5.3431277448, 2.0459822683, -0.6073261160, 0.5516816125, -0.7633237942, 4.1229471578, 5.8785333354, 1.2828331056, -3.4854233295, 1.1971370060, 3.1709313779, 2.3408456726, 0.4962285629, -5.9841361538, 0.1537113573, 0.4207951199];
        var differences = ets.Zip(arima, (a, b) => (a * a) - (b * b)).ToList();

        // dm.test(e1, e2, h = 1): DM = -0.143918063949, p = 0.887080672313.
        var oneStep = DieboldMarianoTest.Of(differences, horizon: 1);
        Assert.Equal(-0.143918063949, oneStep.Statistic, 1e-9);
        Assert.Equal(0.887080672313, oneStep.PValue, 1e-9);

        // dm.test(e1, e2, h = 3, varestimator = "bartlett"): DM = -0.138413736479, p = 0.891369902532.
        var threeSteps = DieboldMarianoTest.Of(differences, horizon: 3);
        Assert.Equal(-0.138413736479, threeSteps.Statistic, 1e-9);
        Assert.Equal(0.891369902532, threeSteps.PValue, 1e-9);
    }

    [Theory]
    [InlineData(-1.0, 0.01, ComparisonOutcome.Better)]
    [InlineData(1.0, 0.01, ComparisonOutcome.Worse)]
    [InlineData(-1.0, 0.2, ComparisonOutcome.NoDifference)]
    [InlineData(1.0, 0.05, ComparisonOutcome.NoDifference)]
    [InlineData(-1.0, double.NaN, ComparisonOutcome.NoDifference)]
    public void Outcome_IsADifferenceOnlyBelowTheLevel_InTheDirectionOfTheMeanLoss(double mean, double p, ComparisonOutcome expected)
    {
        Assert.Equal(expected, new DieboldMarianoTest(100, 0, mean, double.NaN, p).Outcome(0.05));
    }

    [Fact]
    public void IdenticalForecasts_DoNotDiffer_AndAConstantGapIsNoAccident()
    {
        var same = DieboldMarianoTest.Of([0, 0, 0, 0], horizon: 1);
        var gap = DieboldMarianoTest.Of([-0.5, -0.5, -0.5, -0.5], horizon: 1);

        Assert.Equal((0.0, 1.0), (same.Statistic, same.PValue));
        Assert.Equal(ComparisonOutcome.NoDifference, same.Outcome(0.05));
        Assert.Equal((double.NegativeInfinity, 0.0), (gap.Statistic, gap.PValue));
        Assert.Equal(ComparisonOutcome.Better, gap.Outcome(0.05));
    }

    [Fact]
    public void TooFewOrigins_ForTheHorizon_GiveNoTest()
    {
        Assert.True(double.IsNaN(DieboldMarianoTest.Of([1.0], horizon: 1).PValue));
        Assert.True(double.IsNaN(DieboldMarianoTest.Of([1.0, -2, 0.5], horizon: 5).PValue));
    }

    [Fact]
    public void MethodComparison_TestsTheLossAveragedOverSteps_AndEachStepWithItsOwnLag()
    {
        double[][] model = [[1, 4], [2, 1], [0.5, 3], [1, 1], [2, 5], [0.2, 2]];
        double[][] naive = [[2, 4], [2, 3], [1, 2], [2, 1], [1, 6], [1, 3]];

        var comparison = MethodComparison.Of(new ForecastLosses("Model", model), new ForecastLosses("Naive", naive));

        var averaged = model.Zip(naive, (m, n) => ((m[0] - n[0]) + (m[1] - n[1])) / 2).ToArray();
        Assert.Equal(DieboldMarianoTest.Of(averaged, horizon: 2), comparison.Overall);
        Assert.Equal(DieboldMarianoTest.Of(model.Zip(naive, (m, n) => m[0] - n[0]).ToArray(), horizon: 1), comparison.PerStep[0]);
        Assert.Equal(DieboldMarianoTest.Of(model.Zip(naive, (m, n) => m[1] - n[1]).ToArray(), horizon: 2), comparison.PerStep[1]);
        Assert.Equal(Math.Sqrt(model.Average(r => r.Average())), comparison.ModelRmse, 12);
        Assert.Equal((Math.Sqrt(model.Average(r => r[0])) / Math.Sqrt(naive.Average(r => r[0]))) - 1, comparison.PerStepRmseChange[0], 12);
        Assert.Equal("Naive", comparison.Baseline);
    }

    [Fact]
    public void MethodComparison_RefusesLossesOfDifferentWindows()
    {
        Assert.Throws<ArgumentException>(() => MethodComparison.Of(new ForecastLosses("Model", [[1.0], [2.0]]), new ForecastLosses("Naive", [[1.0]])));
    }
}
