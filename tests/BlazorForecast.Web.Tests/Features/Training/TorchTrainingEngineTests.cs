using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorForecast.Web.Features.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Web.Tests.Features.Training;

public sealed class TorchTrainingEngineTests
{
    [SkippableFact]
    public async Task RealRun_OnARealDataset_SucceedsWithModelAndBaselineScores()
    {
        var csv = await File.ReadAllBytesAsync(SharedDatasets.PathOf("SPY_daily_2007_2017.csv"));
        await using var app = new ForecastAppFactory();
        using var client = app.CreateClient();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(csv), "file", "spy.csv" } };
        var dataset = (await (await client.PostAsync("/api/datasets", form)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        var (_, details) = await RunApi.TrainAsync(client, new
        {
            datasetId = dataset,
            config = new
            {
                targets = new[] { "Close" },
                transform = "LogReturn",
                lookback = 16,
                horizon = 2,
                model = new { kind = "Mlp", hiddenSize = 16, layers = 1 },
                training = new { maxEpochs = 2, device = "Cpu" },
            },
        });

        var run = details.GetProperty("run");
        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Equal("cpu", run.GetProperty("device").GetString());
        Assert.Equal(2, run.GetProperty("epochsDone").GetInt32());
        Assert.True(run.GetProperty("testRmse").GetDouble() > 0);
        var methods = details.GetProperty("results")[0].GetProperty("test").GetProperty("methods");
        Assert.Equal(["Model", "Naive", "Drift", "SeasonalNaive", "MovingAverage"], methods.EnumerateArray().Select(m => m.GetProperty("method").GetString()));
    }

    [Fact]
    public async Task WalkForwardRun_OnTheRealEngine_FinishesWithEveryFoldsEpochsAndResults()
    {
        await using var app = new ForecastAppFactory(seedDemo: true);
        using var client = app.CreateClient();
        var dataset = (await client.GetFromJsonAsync<JsonElement>("/api/datasets"))[0].GetProperty("id").GetInt32();

        var (id, run) = await RunApi.TrainAsync(client, new
        {
            datasetId = dataset,
            config = new
            {
                targets = new[] { "Close" },
                transform = "LogReturn",
                lookback = 16,
                horizon = 3,
                walkForwardFolds = 2,
                model = new { kind = "Mlp", hiddenSize = 8, layers = 1 },
                training = new { maxEpochs = 3, patience = 5, device = "Cpu" },
            },
        });

        Assert.Equal(2, run.GetProperty("results").GetArrayLength());
        var snapshot = await app.Services.GetRequiredService<RunService>().SnapshotAsync(id);
        Assert.Equal([(0, 1), (0, 2), (0, 3), (1, 1), (1, 2), (1, 3)], snapshot!.Epochs.Select(e => (e.Fold, e.Epoch)));
        using var metrics = await client.GetAsync($"/api/runs/{id}/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(await metrics.Content.ReadAsStringAsync()).RootElement.GetProperty("folds").GetArrayLength());
    }
}
