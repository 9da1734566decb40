using BlazorForecast.Forecasting.Evaluation;

namespace BlazorForecast.Forecasting.Tests.Evaluation;

public class VerdictTests
{
    private static MethodComparison Comparison(double modelRmse, double p, double meanDifference, string baseline = "Naive") =>
        new(baseline, modelRmse, 1.0, new DieboldMarianoTest(500, 4, meanDifference, meanDifference < 0 ? -3 : 3, p), [], []);

    [Theory]
    [InlineData(0.979, 0.003, -0.1, "Beats naive: RMSE 2.1% lower, p = 0.003")]
    [InlineData(0.993, 0.35, -0.01, "No detectable difference from naive (RMSE 0.7% lower, p = 0.35)")]
    [InlineData(1.034, 0.0004, 0.1, "Worse than naive: RMSE 3.4% higher, p < 0.001")]
    [InlineData(1.002, 0.86, 0.001, "No detectable difference from naive (RMSE 0.2% higher, p = 0.86)")]
    [InlineData(0.9, double.NaN, -0.1, "No detectable difference from naive (RMSE 10.0% lower, too few test windows to test)")]
    public void Against_ReadsOneOfThreeVerdicts_WithTheNumbers(double modelRmse, double p, double meanDifference, string expected)
    {
        Assert.Equal(expected, Verdict.Against(Comparison(modelRmse, p, meanDifference), 0.05));
    }

    [Fact]
    public void Against_OtherBaselines_AreNamedInWords_AndTheLevelIsASetting()
    {
        var comparison = Comparison(0.95, 0.03, -0.1, "MovingAverage");

        Assert.Equal("Beats moving average: RMSE 5.0% lower, p = 0.03", Verdict.Against(comparison, 0.05));
        Assert.Equal("No detectable difference from moving average (RMSE 5.0% lower, p = 0.03)", Verdict.Against(comparison, 0.01));
        Assert.Contains("below 1%", Verdict.Meaning(0.01), StringComparison.Ordinal);
    }

    [Fact]
    public void SeedDisagreement_CountsEachVerdict_AndIsSilentWhenSeedsAgree()
    {
        SeedOutcome Seed(int seed, double p, double mean) => new(seed, 1, 1, 0.5, Comparison(mean < 0 ? 0.98 : 1.02, p, mean));

        var disagree = new SeedAssessment([Seed(1, 0.01, -0.1), Seed(2, 0.4, -0.01), Seed(3, 0.5, 0.01)], 3);
        var agree = new SeedAssessment([Seed(1, 0.4, -0.1), Seed(2, 0.6, 0.01)], 2);

        Assert.Equal("Seeds disagree: of 3 seeds on their own, 1 beats naive, 2 show no detectable difference.", Verdict.SeedDisagreement(disagree, 0.05));
        Assert.Null(Verdict.SeedDisagreement(agree, 0.05));
        Assert.Null(Verdict.SeedDisagreement(null, 0.05));
    }
}
