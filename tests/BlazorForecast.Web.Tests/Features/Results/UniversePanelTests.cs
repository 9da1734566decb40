using System.Globalization;
using System.Text.Json;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Results;
using BlazorForecast.Web.Tests.Components;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

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
            Assert.Equal(universe.Series[i].Assessment.IntervalsAt(0.8)!.Coverage.ToString("P1", CultureInfo.CurrentCulture), cells[3].TextContent.Trim());
            Assert.Equal(universe.Series[i].Assessment.IntervalsAt(0.95)!.Coverage.ToString("P1", CultureInfo.CurrentCulture), cells[4].TextContent.Trim());
            Assert.Contains(Verdict.Against(universe.Series[i].Assessment.VersusNaive, 0.05), cells[5].TextContent, StringComparison.Ordinal);
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

    [Fact]
    public async Task ForecastNow_GivesAKnownSeriesItsOwnIntervals_AZeroShotOneNone_AndDownloadsTheSeriesShown()
    {
        // A stored run across A, B and C of a dataset that also has D, with its model.
        var dataset = await ImportAsync(TestSeries.WideCsv(), "wide");
        var frame = (await Datasets.GetFrameAsync(dataset.Id))!;
        var config = new ForecastConfig
        {
            Targets = ["A", "B", "C"],
            Transform = TargetTransform.LogReturn,
            Lookback = 10,
            Horizon = 2,
            AcrossTargets = new UniverseOptions(),
            Model = new ModelOptions { Kind = ModelKind.Mlp, HiddenSize = 8, Layers = 1 },
            Training = new TrainingOptions { MaxEpochs = 2, Device = DeviceChoice.Cpu },
        };
        var run = UniverseRunner.Run(frame, UniverseConfig.From(config));
        using var model = new MemoryStream();
        run.Model!.Save(model);
        var id = await StoreRunAsync(dataset.Id, config, UniverseResults.Serialize(run), model.ToArray());
        var results = new RunResults(id, "across", dataset.Id, "wide", config, [], null, frame) { Universe = UniverseResults.Deserialize(UniverseResults.Serialize(run)) };

        var cut = RenderWithProviders<ForecastNowPanel>((nameof(ForecastNowPanel.Results), results));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=forecast-row]").Count), TimeSpan.FromSeconds(10));
        var known = cut.FindAll("[data-testid=forecast-row]");
        Assert.All(known, row => Assert.Equal("A", row.QuerySelectorAll("td")[1].TextContent.Trim()));
        Assert.All(known, row => Assert.Matches(@"^\d+(\.\d+)? – \d+(\.\d+)?$", row.QuerySelectorAll("td")[3].TextContent.Trim()));
        Assert.EndsWith($"forecast?datasetId={dataset.Id}&format=csv&series=A", cut.Find("[data-testid=forecast-download]").GetAttribute("href"), StringComparison.Ordinal);

        var select = cut.FindComponent<MudSelect<string>>();
        await cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync("D"));

        cut.WaitForAssertion(() => Assert.Contains("the model never saw D", cut.Find("[data-testid=forecast-zero-shot]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.All(cut.FindAll("[data-testid=forecast-row]"), row => Assert.Equal(("D", "—", "—"),
            (row.QuerySelectorAll("td")[1].TextContent.Trim(), row.QuerySelectorAll("td")[3].TextContent.Trim(), row.QuerySelectorAll("td")[4].TextContent.Trim())));
        Assert.EndsWith("&series=D", cut.Find("[data-testid=forecast-download]").GetAttribute("href"), StringComparison.Ordinal);
    }

    private async Task<int> StoreRunAsync(int dataset, ForecastConfig config, string resultJson, byte[] model)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>().CreateDbContextAsync();
        var run = new Run
        {
            DatasetId = dataset, Name = "across", ModelKind = "Mlp", Status = RunStatus.Succeeded, MaxEpochs = 2, EpochsDone = 2,
            ConfigJson = JsonSerializer.Serialize(config, ForecastJson.Options), ResultJson = resultJson,
            CreatedAt = DateTime.UtcNow, FinishedAt = DateTime.UtcNow,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        db.RunArtifacts.Add(new RunArtifact { RunId = run.Id, Model = model });
        await db.SaveChangesAsync();
        return run.Id;
    }
}
