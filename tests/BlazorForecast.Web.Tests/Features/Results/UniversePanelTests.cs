using System.Globalization;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Web.Features.Results;
using BlazorForecast.Web.Tests.Components;
using Bunit;

namespace BlazorForecast.Web.Tests.Features.Results;

public sealed class UniversePanelTests : AppComponentTestContext
{
    private static RunResults Results => TrainedResults.Universe;

    [Fact]
    public void EverySeries_HasItsScoresAndVerdict_AsStored()
    {
        var universe = Results.Universe!;

        var cut = RenderWithProviders<UniversePanel>((nameof(UniversePanel.Results), Results));

        var rows = cut.FindAll("[data-testid=universe-series-row]");
        Assert.Equal(["Close", "Open", "Index"], rows.Select(r => r.GetAttribute("data-series")));
        for (var i = 0; i < 3; i++)
        {
            var cells = rows[i].QuerySelectorAll("td");
            Assert.Equal(universe.Series[i].Rmse.ToString("G5", CultureInfo.CurrentCulture), cells[1].TextContent.Trim());
            Assert.Equal(universe.Series[i].StandardizedMse.ToString("F4", CultureInfo.CurrentCulture), cells[2].TextContent.Trim());
            Assert.Contains(Verdict.Against(universe.Series[i].Assessment.VersusNaive, 0.05), cells[3].TextContent, StringComparison.Ordinal);
        }

        Assert.Contains("tagged with its one-hot code", cut.Find("[data-testid=universe-summary]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCrossSection_ShowsIcRankIcTheirTest_AndTheLongShortBacktest()
    {
        var universe = Results.Universe!;

        var cut = RenderWithProviders<UniversePanel>((nameof(UniversePanel.Results), Results));

        var rank = cut.Find("[data-testid=rank-ic-row]").QuerySelectorAll("td");
        Assert.Equal(universe.Ic.RankIcMean.ToString("+0.0000;-0.0000", CultureInfo.CurrentCulture), rank[1].TextContent.Trim());
        Assert.Equal(universe.Ic.RankIcir.ToString("+0.0000;-0.0000", CultureInfo.CurrentCulture), rank[3].TextContent.Trim());
        Assert.Equal(universe.DriftIc.RankIcMean.ToString("+0.0000;-0.0000", CultureInfo.CurrentCulture),
            cut.Find("[data-testid=drift-rank-ic-row]").QuerySelectorAll("td")[1].TextContent.Trim());
        Assert.Contains($"minus drift's is {universe.VersusDrift.MeanDifference.ToString("+0.0000;-0.0000", CultureInfo.CurrentCulture)} per date",
            cut.Find("[data-testid=versus-drift]").TextContent, StringComparison.Ordinal);
        Assert.Contains($"over {universe.Ic.Dates.ToString("N0", CultureInfo.CurrentCulture)} test dates", cut.Find("[data-testid=rank-ic-test]").TextContent, StringComparison.Ordinal);
        Assert.Contains($"Newey–West variance, lag {universe.Ic.RankIcLag})", cut.Find("[data-testid=rank-ic-test]").TextContent, StringComparison.Ordinal);
        Assert.Equal(LongRunVariance.AutomaticLag(universe.Ic.Dates), universe.Ic.RankIcLag);
        Assert.Contains(universe.LongShort.TotalReturn.ToString("P1", CultureInfo.CurrentCulture), cut.Find("[data-testid=universe-long-short]").TextContent, StringComparison.Ordinal);
        Assert.Contains("the top 1 against the bottom 1", cut.Markup, StringComparison.Ordinal);
        Assert.Equal(universe.LongShort.Equity.Length.ToString(CultureInfo.InvariantCulture), cut.Find("[data-testid=long-short-chart]").GetAttribute("data-points"));
        Assert.Equal(universe.Dates.Length + 1, universe.EquityTimes.Length);
    }
}
