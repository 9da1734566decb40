using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

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

        var response = await client.PostAsJsonAsync("/api/runs", new
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
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        JsonElement details = default;
        for (var i = 0; i < 300; i++)
        {
            details = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{id}");
            if (details.GetProperty("run").GetProperty("status").GetString() is "Succeeded" or "Failed")
            {
                break;
            }

            await Task.Delay(100);
        }

        var run = details.GetProperty("run");
        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Equal("cpu", run.GetProperty("device").GetString());
        Assert.Equal(2, run.GetProperty("epochsDone").GetInt32());
        Assert.True(run.GetProperty("testRmse").GetDouble() > 0);
        var methods = details.GetProperty("results")[0].GetProperty("test").GetProperty("methods");
        Assert.Equal(["Model", "Naive", "Drift", "SeasonalNaive", "MovingAverage"], methods.EnumerateArray().Select(m => m.GetProperty("method").GetString()));
    }
}
