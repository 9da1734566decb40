using System.Text.Json;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Compare;
using BlazorForecast.Web.Features.Results;
using BlazorForecast.Web.Tests.Components;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Web.Tests.Features.Compare;

public sealed class ComparePageTests : AppComponentTestContext
{
    // Trains for real and stores the run as the worker would: config, results, predictions and two epochs.
    private async Task<(int Id, double Rmse)> AddFinishedRunAsync(int datasetId, TimeSeriesFrame frame, string name, ModelKind kind, int seed)
    {
        var config = new ForecastConfig
        {
            Targets = ["Close"],
            Lookback = 20,
            Horizon = 2,
            Model = new ModelOptions { Kind = kind, HiddenSize = 8, Layers = 1 },
            Training = new TrainingOptions { MaxEpochs = 2, Device = DeviceChoice.Cpu, Seed = seed },
        };
        var result = ForecastRunner.Run(frame, config);
        var rmse = result.Folds[0].Test.Model.Original.Overall.Rmse;
        await using var db = await Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>().CreateDbContextAsync();
        var run = new Run
        {
            DatasetId = datasetId, Name = name, ModelKind = kind.ToString(), Status = RunStatus.Succeeded, MaxEpochs = 2, EpochsDone = 2,
            ConfigJson = JsonSerializer.Serialize(config, ForecastJson.Options), ResultJson = StoredFold.Serialize(result), TestRmse = rmse,
            CreatedAt = DateTime.UtcNow, FinishedAt = DateTime.UtcNow,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        db.RunArtifacts.Add(new RunArtifact { RunId = run.Id, Predictions = PredictionSet.From(result, frame).ToBytes() });
        db.RunEpochs.AddRange(result.Folds[0].Training.History.Select(e => new RunEpoch
        {
            RunId = run.Id, Epoch = e.Epoch, TrainLoss = e.TrainLoss, ValidationLoss = e.ValidationLoss, CompletedAt = DateTime.UtcNow,
        }));
        await db.SaveChangesAsync();
        return (run.Id, rmse);
    }

    private async Task<(int Dataset, (int Id, double Rmse) First, (int Id, double Rmse) Second)> TwoRunsAsync()
    {
        var csv = new System.Text.StringBuilder();
        await SeriesCsvWriter.WriteAsync(SyntheticMarketData.Generate(400, seed: 2), new StringWriter(csv));
        var dataset = await ImportAsync(csv.ToString(), "synthetic");
        var frame = (await Datasets.GetFrameAsync(dataset.Id))!;
        return (dataset.Id, await AddFinishedRunAsync(dataset.Id, frame, "mlp run", ModelKind.Mlp, 1), await AddFinishedRunAsync(dataset.Id, frame, "cnn run", ModelKind.Cnn, 2));
    }

    [Fact]
    public async Task Leaderboard_OrdersTheDatasetsFinishedRunsByTestRmse_AndAsksForTwo()
    {
        var (dataset, first, second) = await TwoRunsAsync();

        Services.GetRequiredService<NavigationManager>().NavigateTo($"compare?datasetId={dataset}");
        var cut = RenderWithProviders<ComparePage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=leaderboard-row]").Count));
        var expected = new[] { first, second }.OrderBy(r => r.Rmse).Select(r => r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, cut.FindAll("[data-testid=leaderboard-row]").Select(r => r.GetAttribute("data-run")));
        Assert.NotNull(cut.Find("[data-testid=compare-hint]"));
    }

    [Fact]
    public async Task TwoRunsFromTheAddress_AreComparedSideBySide()
    {
        var (dataset, first, second) = await TwoRunsAsync();

        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"compare?datasetId={dataset}&runs={first.Id},{second.Id}");
        var cut = RenderWithProviders<ComparePage>();

        cut.WaitForAssertion(() => Assert.Equal(MetricComparison.Metrics.Length, cut.FindAll("[data-testid=compare-metric-row]").Count));
        var rmse = cut.Find("[data-testid=compare-metric-row][data-metric=RMSE]").QuerySelectorAll("td");
        Assert.Contains(first.Rmse.ToString("G4", System.Globalization.CultureInfo.InvariantCulture), rmse[1].TextContent, StringComparison.Ordinal);
        Assert.Contains(MetricComparison.Difference(MetricComparison.Metrics[1], first.Rmse, second.Rmse), rmse[2].TextContent, StringComparison.Ordinal);
        Assert.Equal(["model.kind", "training.seed"], cut.FindAll("[data-testid=config-difference]").Select(d => d.GetAttribute("data-setting")).Order());
        Assert.Equal("2", cut.Find("[data-testid=compare-predictions]").GetAttribute("data-runs"));
        Assert.Equal("2", cut.Find("[data-testid=compare-curves]").GetAttribute("data-runs"));
    }

    [Fact]
    public async Task ARunOfSeveralSeeds_ShowsOneValidationCurve_ItsFirstSeeds()
    {
        var (dataset, first, second) = await TwoRunsAsync();
        await using (var db = await Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>().CreateDbContextAsync())
        {
            db.RunEpochs.AddRange(Enumerable.Range(1, 2).Select(e => new RunEpoch { RunId = first.Id, SeedIndex = 1, Epoch = e, ValidationLoss = 9, CompletedAt = DateTime.UtcNow }));
            await db.SaveChangesAsync();
        }

        Services.GetRequiredService<NavigationManager>().NavigateTo($"compare?datasetId={dataset}&runs={first.Id},{second.Id}");
        var cut = RenderWithProviders<ComparePage>();

        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-testid=compare-curves]").GetAttribute("data-runs")));
        var curves = cut.FindComponents<Plotly.Blazor.PlotlyChart>().Single(c => c.Instance.Id == "compare-curves-chart").Instance.Data.Cast<Plotly.Blazor.Traces.Scatter>().ToList();
        Assert.Equal([1, 2], curves[0].X.Cast<int>());
        Assert.DoesNotContain(9.0, curves[0].Y.Cast<double>());
    }

    [Theory]
    [InlineData(10.0, 12.0, false, "+20.0%")]
    [InlineData(10.0, 8.0, false, "-20.0%")]
    [InlineData(0.50, 0.55, true, "+5.0 pts")]
    public void Difference_IsRelativeForErrors_AndInPointsForPercentages(double reference, double value, bool percent, string expected) =>
        Assert.Equal(expected, MetricComparison.Difference(new ComparedMetric("m", _ => 0, true, percent), reference, value));
}
