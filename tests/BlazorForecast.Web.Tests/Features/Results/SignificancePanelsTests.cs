using System.Globalization;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Web.Features.Results;
using BlazorForecast.Web.Tests.Components;
using Bunit;

namespace BlazorForecast.Web.Tests.Features.Results;

public sealed class SignificancePanelsTests : AppComponentTestContext
{
    private static RunResults Results => TrainedResults.Chronological;

    // The same run, its comparison with naive replaced: what the page says for each outcome.
    private static RunResults WithNaive(double modelRmse, double p, double meanDifference, DirectionAssessment? direction = null)
    {
        var assessment = Results.Assessment!;
        var naive = new MethodComparison("Naive", modelRmse, 1.0, new DieboldMarianoTest(500, 2, meanDifference, meanDifference < 0 ? -3 : 3, p),
            assessment.VersusNaive.PerStep, assessment.VersusNaive.PerStepRmseChange);
        var changed = assessment with
        {
            Comparisons = [naive, .. assessment.Comparisons.Skip(1)],
            Direction = direction ?? assessment.Direction,
        };
        return Results with { Assessment = changed, Folds = [Results.Folds[0] with { Assessment = changed }] };
    }

    [Theory]
    [InlineData(0.979, 0.003, -0.1, "Better", "Beats naive: RMSE 2.1% lower, p = 0.003.", "mud-alert-text-success")]
    [InlineData(0.993, 0.35, -0.01, "NoDifference", "No detectable difference from naive (RMSE 0.7% lower, p = 0.35).", "mud-alert-text-info")]
    [InlineData(1.05, 0.002, 0.1, "Worse", "Worse than naive: RMSE 5.0% higher, p = 0.002.", "mud-alert-text-warning")]
    public void Verdict_OnlyASignificantWinIsShownAsASuccess(double modelRmse, double p, double mean, string outcome, string text, string style)
    {
        var cut = RenderWithProviders<MetricsPanel>((nameof(MetricsPanel.Results), WithNaive(modelRmse, p, mean)));

        var verdict = cut.Find("[data-testid=verdict]");
        Assert.Equal(outcome, verdict.GetAttribute("data-outcome"));
        Assert.Equal(text, cut.Find("[data-testid=verdict-text]").TextContent.Trim());
        Assert.Contains(style, verdict.ClassName, StringComparison.Ordinal);
        Assert.Contains("Diebold–Mariano", cut.Find("[data-testid=verdict-meaning]").TextContent, StringComparison.Ordinal);
        var naiveRow = cut.FindAll("[data-testid=metrics-row]").Single(r => r.GetAttribute("data-method") == "Naive");
        Assert.Equal(Verdict.PValue(p), naiveRow.QuerySelector("[data-testid=p-value]")!.TextContent.Trim());
        Assert.Equal(outcome, naiveRow.QuerySelector("[data-testid=outcome]")!.GetAttribute("data-outcome"));
    }

    [Fact]
    public void Verdict_ARunTrainedBeforeTests_IsNeutralAndSaysItIsUntested()
    {
        var old = Results with { Assessment = null, Folds = [Results.Folds[0] with { Assessment = null }] };

        var cut = RenderWithProviders<MetricsPanel>((nameof(MetricsPanel.Results), old));

        Assert.Equal("untested", cut.Find("[data-testid=verdict]").GetAttribute("data-outcome"));
        Assert.StartsWith("Untested: RMSE", cut.Find("[data-testid=verdict-text]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(ResultsVerdict.Untested, cut.Find("[data-testid=verdict-note]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=p-value]"));
        Assert.Empty(cut.FindAll("[data-testid=direction]"));
        Assert.Equal(2, cut.FindAll("[data-testid=interval-row]").Count);
    }

    [Fact]
    public void Direction_CallsAllOneWay_AreWarnedAbout_InTheVerdictAndTheirPanel()
    {
        var calls = Enumerable.Range(0, 200).Select(i => new DirectionCall(true, i % 7 < 4)).ToList();

        var cut = RenderWithProviders<MetricsPanel>((nameof(MetricsPanel.Results), WithNaive(0.99, 0.01, -0.1, DirectionAssessment.Of(calls))));

        const string warning = "The model predicted a rise on 100% of days: its direction is the same as always-long.";
        Assert.Equal(warning, cut.Find("[data-testid=one-way-warning]").TextContent.Trim());
        Assert.Contains(cut.FindAll("[data-testid=verdict-note]"), n => n.TextContent.Trim() == warning);
        Assert.Contains("calls all one way", cut.Find("[data-testid=direction-verdict]").TextContent, StringComparison.Ordinal);
        // 116 of the 200 days rose: always-up is right on 58% of them, and its balanced accuracy is chance's.
        var tiles = cut.FindAll("[data-testid=direction] .summary-tile").ToDictionary(t => t.QuerySelector(".mud-typography-caption")!.TextContent, t => t.QuerySelector(".mud-typography-subtitle1")!.TextContent);
        Assert.Equal(("58.0 %", "50.0 %", "—", "116 of 116", "0 of 84"),
            (tiles["Calls right"], tiles["Balanced accuracy"], tiles["Matthews correlation"], tiles["Rises called rises"], tiles["Falls called falls"]));
    }

    [Fact]
    public void Seeds_EachSeedTheSpreadAndTheEnsemble_WithTheirOwnTests()
    {
        var results = TrainedResults.ThreeSeeds;
        var seeds = results.Assessment!.Seeds!;

        var cut = RenderWithProviders<MetricsPanel>((nameof(MetricsPanel.Results), results));

        var rows = cut.FindAll("[data-testid=seed-row]");
        Assert.Equal(["5", "6", "7"], rows.Select(r => r.GetAttribute("data-seed")));
        for (var i = 0; i < 3; i++)
        {
            var cells = rows[i].QuerySelectorAll("td");
            Assert.Equal(seeds.Seeds[i].Rmse.ToString("G4", CultureInfo.InvariantCulture), cells[1].TextContent.Trim());
            Assert.Equal(Verdict.PValue(seeds.Seeds[i].VersusNaive.Overall.PValue), cells[5].TextContent.Trim());
        }

        Assert.Contains(seeds.RmseMean.ToString("G4", CultureInfo.InvariantCulture) + " ± " + seeds.RmseStdDev.ToString("G4", CultureInfo.InvariantCulture),
            cut.Find("[data-testid=seed-summary]").TextContent, StringComparison.Ordinal);
        var ensemble = cut.Find("[data-testid=seed-ensemble]");
        Assert.Contains(results.Folds[0].Test.Model.Original.Overall.Rmse.ToString("G4", CultureInfo.InvariantCulture), ensemble.TextContent, StringComparison.Ordinal);
        Assert.Equal(Verdict.PValue(results.Assessment.VersusNaive.Overall.PValue), ensemble.QuerySelectorAll("td")[4].TextContent.Trim());
        Assert.Equal("Model (Mlp, 3 seeds)", cut.FindAll("[data-testid=metrics-row]")[0].QuerySelector("td")!.TextContent.Trim());
        Assert.Contains("the model is the mean forecast of 3 seeds", cut.Find("[data-testid=verdict-context]").TextContent, StringComparison.Ordinal);
        Assert.Equal(seeds.Disagree(0.05), cut.FindAll("[data-testid=seed-disagreement]").Count == 1);
    }

    [Fact]
    public void Seeds_ThatDisagree_AreSaidToInTheVerdict()
    {
        var assessment = Results.Assessment!;
        SeedOutcome Seed(int seed, double p, double mean) => new(seed, 1, 1, 0.5,
            new MethodComparison("Naive", 0.98, 1, new DieboldMarianoTest(500, 2, mean, -2, p), [], []));
        var disagreeing = assessment with { Seeds = new SeedAssessment([Seed(5, 0.01, -0.1), Seed(6, 0.4, -0.01), Seed(7, 0.6, 0.01)], 3) };

        var cut = RenderWithProviders<MetricsPanel>((nameof(MetricsPanel.Results), Results with { Assessment = disagreeing }));

        const string note = "Seeds disagree: of 3 seeds on their own, 1 beats naive, 2 show no detectable difference.";
        Assert.Contains(cut.FindAll("[data-testid=verdict-note]"), n => n.TextContent.Trim() == note);
        Assert.Equal(note, cut.Find("[data-testid=seed-disagreement]").TextContent.Trim());
    }

    [Fact]
    public void Intervals_BothMethodsAtBothLevels_TheRunsOwnMarked_WithCoverageOverTime()
    {
        var cut = RenderWithProviders<MetricsPanel>((nameof(MetricsPanel.Results), Results));

        var rows = cut.FindAll("[data-testid=interval-row]");
        Assert.Equal(["Adaptive 0.8", "Adaptive 0.95", "SplitConformal 0.8", "SplitConformal 0.95"],
            rows.Select(r => $"{r.GetAttribute("data-method")} {r.GetAttribute("data-level")}"));
        Assert.Contains("(this run's bands)", rows[0].TextContent, StringComparison.Ordinal);
        var adaptive80 = Results.Assessment!.IntervalsAt(0.8)!;
        Assert.Equal(adaptive80.Coverage.ToString("P1", CultureInfo.InvariantCulture), rows[0].QuerySelectorAll("td")[2].TextContent.Trim());
        Assert.Equal("3", cut.Find("[data-testid=coverage-per-step]").GetAttribute("data-points"));
        Assert.True(int.Parse(cut.Find("[data-testid=coverage-over-time]").GetAttribute("data-points")!, CultureInfo.InvariantCulture) > 50);
    }

    [Fact]
    public void RollingCoverage_CountsTheLastWindowOfPoints()
    {
        var start = new DateTime(2024, 1, 1);
        var points = Enumerable.Range(0, 6).Select(i => new PredictionPoint(start.AddDays(i), start, i < 3 ? 1 : 5, 0, -2, 2, -4, 4)).ToList();

        var rolling = PredictionSeries.RollingCoverage(points, 3);

        Assert.Equal([(1.0, 1.0), (2 / 3.0, 2 / 3.0), (1 / 3.0, 1 / 3.0), (0.0, 0.0)], rolling.Select(r => (r.Inside80, r.Inside95)));
        Assert.Equal(start.AddDays(2), rolling[0].Time);
    }
}
