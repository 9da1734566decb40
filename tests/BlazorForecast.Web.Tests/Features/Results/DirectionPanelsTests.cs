using System.Globalization;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Web.Features.Results;
using BlazorForecast.Web.Tests.Components;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Web.Tests.Features.Results;

public sealed class DirectionPanelsTests : AppComponentTestContext
{
    private static RunResults Results => TrainedResults.Direction;

    private static string Cell(AngleSharp.Dom.IElement row, int column) => row.QuerySelectorAll("td")[column].TextContent.Trim();

    [Fact]
    public void DirectionPanel_ShowsTheVerdict_TheModelBesideBothRules_AndEveryScoreAsStored()
    {
        var pooled = Results.Direction!.Pooled;

        var cut = RenderWithProviders<DirectionResultsPanel>((nameof(DirectionResultsPanel.Results), Results));

        Assert.Contains(pooled.Verdict(Verdict.DefaultLevel), cut.Find("[data-testid=direction-verdict]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Pooled over 2 folds.", cut.Find("[data-testid=direction-verdict]").TextContent, StringComparison.Ordinal);
        var model = cut.Find("[data-testid=rule-model]");
        Assert.Equal(pooled.Calls.Accuracy.ToString("P1", CultureInfo.CurrentCulture), Cell(model, 1));
        Assert.Equal(pooled.Calls.BalancedAccuracy.ToString("P1", CultureInfo.CurrentCulture), Cell(model, 2));
        Assert.Equal(pooled.RocAuc.ToString("F3", CultureInfo.CurrentCulture), Cell(model, 6));
        Assert.Equal(pooled.LogLoss.ToString("F4", CultureInfo.CurrentCulture), Cell(model, 7));
        Assert.Equal(pooled.Brier.ToString("F4", CultureInfo.CurrentCulture), Cell(model, 8));
        var majority = cut.Find("[data-testid=rule-majority]");
        Assert.Equal(pooled.MajorityAccuracy.ToString("P1", CultureInfo.CurrentCulture), Cell(majority, 1));
        Assert.Equal(0.5.ToString("P1", CultureInfo.CurrentCulture), Cell(majority, 2));
        Assert.Equal(pooled.MajorityLogLoss.ToString("F4", CultureInfo.CurrentCulture), Cell(majority, 7));
        Assert.Equal(pooled.AlwaysUpAccuracy.ToString("P1", CultureInfo.CurrentCulture), Cell(cut.Find("[data-testid=rule-up]"), 1));
        Assert.Contains("balanced class weights", cut.Find("[data-testid=direction-summary]").TextContent, StringComparison.Ordinal);
        Assert.Contains($"within the dead zone of ±{0.002.ToString("P2", CultureInfo.CurrentCulture)} left out", cut.Find("[data-testid=direction-summary]").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.05, "better", "Calls the direction better than always-majority", "5%")]
    [InlineData(0.01, "no difference", "No detectable difference from always-majority", "1%")]
    public void DirectionPanel_JudgesAtTheServersSignificanceLevel(double level, string chip, string finding, string shown)
    {
        // The model right on 9 of the 10 calls where it and always-majority differ, in each fold and pooled: p = 11 / 1024 ≈ 0.011.
        var direction = Results.Direction!;
        DirectionClassification Nine(DirectionClassification c) => c with { ModelOnlyRight = 9, MajorityOnlyRight = 1, McNemarP = DirectionClassification.McNemarOneSided(9, 1) };
        var results = Results with
        {
            Direction = direction with { Pooled = Nine(direction.Pooled), Folds = direction.Folds.Select(f => f with { Test = Nine(f.Test) }).ToList() },
        };
        Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EvaluationOptions>>().Value.SignificanceLevel = level;

        var cut = RenderWithProviders<DirectionResultsPanel>((nameof(DirectionResultsPanel.Results), results));

        Assert.StartsWith($"{finding}: right on 9 of the 10", cut.Find("[data-testid=direction-verdict]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains($"only p below {shown} counts as a difference", cut.Markup, StringComparison.Ordinal);
        Assert.All(cut.FindAll("[data-testid=direction-folds] [data-testid=outcome]"), c => Assert.Equal(chip, c.TextContent.Trim()));
        Assert.Equal(2, cut.FindAll("[data-testid=direction-folds] [data-testid=outcome]").Count);
    }

    [Fact]
    public void DirectionPanel_TheConfusionMatrixAddsUpToTheMoves_AndEveryStepAndFoldHasARow()
    {
        var pooled = Results.Direction!.Pooled;

        var cut = RenderWithProviders<DirectionResultsPanel>((nameof(DirectionResultsPanel.Results), Results));

        int Count(string id) => int.Parse(cut.Find($"[data-testid={id}]").TextContent.Trim().Replace(",", "", StringComparison.Ordinal), CultureInfo.CurrentCulture);
        Assert.Equal(pooled.Count, Count("up-called-up") + Count("up-called-down") + Count("down-called-up") + Count("down-called-down"));
        Assert.Equal(pooled.Calls.UpMoves, Count("up-called-up") + Count("up-called-down"));
        Assert.Equal(pooled.Calls.UpCalls, Count("up-called-up") + Count("down-called-up"));
        Assert.Equal(2, cut.FindAll("[data-testid=direction-step]").Count);
        Assert.Equal(3, cut.FindAll("[data-testid=direction-folds] tr").Count);
        Assert.Equal(pooled.Reliability.Count.ToString(CultureInfo.CurrentCulture), cut.Find("[data-testid=reliability-chart]").GetAttribute("data-bins"));
    }

    [Fact]
    public void RiskPanel_ForADirectionRun_TradesTheProbabilities_AndTheThresholdChangesTheTrades()
    {
        var cut = RenderWithProviders<RiskPanel>((nameof(RiskPanel.Results), Results));

        Assert.Contains("probability of a rise", cut.Markup, StringComparison.Ordinal);
        var given = Results.Direction!.Folds.SelectMany(f => f.NextRowProbabilities.Select(p => p[0])).ToList();
        Assert.Contains($"from {given.Min().ToString("P1", CultureInfo.CurrentCulture)} to {given.Max().ToString("P1", CultureInfo.CurrentCulture)}",
            cut.Find("[data-testid=probability-range]").TextContent, StringComparison.Ordinal);
        var threshold = cut.Find("input[data-testid=threshold-input]");
        Assert.Equal("0.55", threshold.GetAttribute("value"));
        var atConfigured = RiskReport.Build(Results, 0, RiskReport.DefaultCostBasisPoints, 0.55);
        Assert.Equal(atConfigured.Backtests[0].Trades.ToString(CultureInfo.CurrentCulture),
            Cell(cut.FindAll("[data-testid=backtest-row]")[0], 10));

        threshold.Change("0.5");

        var atHalf = RiskReport.Build(Results, 0, RiskReport.DefaultCostBasisPoints, 0.5);
        Assert.Equal(atHalf.Backtests[0].Trades.ToString(CultureInfo.CurrentCulture), Cell(cut.FindAll("[data-testid=backtest-row]")[0], 10));
        Assert.True(atHalf.Backtests[0].InMarketShare >= atConfigured.Backtests[0].InMarketShare, "A lower threshold is long at least as often.");
    }

    [Fact]
    public void ImportancePanel_ForADirectionRun_NamesTheLossItMeasures()
    {
        var cut = RenderWithProviders<ImportancePanel>((nameof(ImportancePanel.Results), Results));

        Assert.Contains("test cross-entropy grows", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Loss increase", cut.Find("[data-testid=importance-table]").TextContent, StringComparison.Ordinal);
        Assert.Equal(Results.Direction!.Folds[0].Importance.Count, cut.FindAll("[data-testid=importance-table] tbody tr").Count);
    }

    [Fact]
    public void Reliability_PlotsEveryBin_AndTheBaseRate()
    {
        var pooled = Results.Direction!.Pooled;

        var traces = DirectionCharts.Reliability(pooled, 0.55);

        Assert.Equal(3, traces.Count);
        var bins = (Plotly.Blazor.Traces.Scatter)traces[1];
        Assert.Equal(pooled.Reliability.Select(b => (object)b.UpRate), bins.Y);
        Assert.Equal([(object)0.55], ((Plotly.Blazor.Traces.Scatter)traces[2]).X);
        Assert.IsType<ReliabilityBin>(pooled.Reliability[0]);
    }
}
