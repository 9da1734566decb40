using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorForecast.Web.Features.Training;
using Microsoft.AspNetCore.SignalR.Client;

namespace BlazorForecast.Web.Tests.Features.Results;

/// <summary>Direction runs over HTTP and SignalR with the real engine and a real SQLite file (the demo dataset).</summary>
public sealed class DirectionRunApiTests
{
    private static object Run(object direction, int seeds = 1, int folds = 0) => new
    {
        datasetId = 1,
        name = "direction",
        config = new
        {
            transform = "LogReturn",
            lookback = 8,
            horizon = 2,
            walkForwardFolds = folds,
            direction,
            model = new { kind = "Mlp", hiddenSize = 8, layers = 1 },
            training = new { maxEpochs = 3, device = "Cpu", seed = 5, seeds },
        },
    };

    [Fact]
    public async Task ADirectionRun_StreamsItsEpochs_StoresItsClassification_TradesItsProbabilities_AndForecastsProbabilities()
    {
        // At a server's own significance level (20%), which the verdicts against always-majority follow.
        await using var app = new ForecastAppFactory(seedDemo: true, settings: new Dictionary<string, string?> { ["BlazorForecast:Evaluation:SignificanceLevel"] = "0.2" });
        var address = app.StartKestrel();
        using var client = app.CreateClient();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(address, TrainingHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(app.AdminToken))
            .Build();
        var losses = new List<double>();
        hub.On<JsonElement>("EpochCompleted", e =>
        {
            lock (losses)
            {
                losses.Add(e.GetProperty("validationLoss").GetDouble());
            }
        });
        await hub.StartAsync();
        var blocker = await client.PostAsJsonAsync("/api/runs", new { datasetId = 1, config = new { lookback = 16, horizon = 2, model = new { kind = "Lstm" }, training = new { maxEpochs = 3, device = "Cpu" } } });
        Assert.Equal(HttpStatusCode.Accepted, blocker.StatusCode);
        var queued = await client.PostAsJsonAsync("/api/runs", Run(new { deadZone = 0.001, weighting = "Focal", focalGamma = 1.5, threshold = 0.55 }, folds: 2));
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        var id = (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await hub.InvokeAsync<JsonElement>("JoinRun", id);
        await Wait.ForAsync(async () => (await client.GetFromJsonAsync<JsonElement>($"api/runs/{id}")).GetProperty("run").GetProperty("status").GetString(),
            status => status is "Succeeded" or "Failed" or "Cancelled", "the direction run to finish", seconds: 120);

        var details = await client.GetFromJsonAsync<JsonElement>($"api/runs/{id}");
        Assert.Equal("Succeeded", details.GetProperty("run").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, details.GetProperty("run").GetProperty("testRmse").ValueKind);
        Assert.Equal(JsonValueKind.Null, details.GetProperty("results").ValueKind);
        Assert.Equal(2, details.GetProperty("direction").GetProperty("folds").GetArrayLength());
        lock (losses)
        {
            // Two folds of three epochs, each validation loss a cross-entropy: positive and finite.
            Assert.Equal(6, losses.Count);
            Assert.All(losses, l => Assert.InRange(l, 1e-6, 10));
        }

        var direction = await client.GetFromJsonAsync<JsonElement>($"api/runs/{id}/direction");
        var settings = direction.GetProperty("settings");
        Assert.Equal((0.001, "Focal", 1.5, 0.55), (settings.GetProperty("deadZone").GetDouble(), settings.GetProperty("weighting").GetString(),
            settings.GetProperty("focalGamma").GetDouble(), settings.GetProperty("threshold").GetDouble()));
        var pooled = direction.GetProperty("pooled");
        var folds = direction.GetProperty("folds").EnumerateArray().ToList();
        Assert.Equal(folds.Sum(f => f.GetProperty("test").GetProperty("count").GetInt32()), pooled.GetProperty("count").GetInt32());
        var calls = pooled.GetProperty("calls");
        Assert.Equal(pooled.GetProperty("count").GetInt32(), calls.GetProperty("count").GetInt32());
        Assert.Equal(0.2, direction.GetProperty("significanceLevel").GetDouble());
        foreach (var (verdict, scores) in folds.Select(f => (f, f.GetProperty("test"))).Prepend((direction, pooled)))
        {
            var (better, worse) = (scores.GetProperty("mcNemarP").GetDouble(), scores.GetProperty("worseP").GetDouble());
            var outcome = better < 0.2 ? "better" : worse < 0.2 ? "worse" : "no-difference";
            Assert.Equal(outcome, verdict.GetProperty("outcome").GetString());
            var finding = outcome switch { "better" => "Calls the direction better than", "worse" => "Calls the direction worse than", _ => "No detectable difference from" };
            Assert.StartsWith($"{finding} always-majority", verdict.GetProperty("verdict").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(2, pooled.GetProperty("steps").GetArrayLength());
        Assert.Equal(pooled.GetProperty("count").GetInt32(), pooled.GetProperty("reliability").EnumerateArray().Sum(b => b.GetProperty("count").GetInt32()));
        Assert.All(folds, f => Assert.NotEmpty(f.GetProperty("importance").EnumerateArray()));

        foreach (var path in new[] { "metrics", "predictions" })
        {
            var refused = await client.GetAsync($"api/runs/{id}/{path}");
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains($"forecasts directions, not values: its scores are at /api/runs/{id}/direction", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var risk = await client.GetFromJsonAsync<JsonElement>($"api/runs/{id}/risk?threshold=0.6&costBps=0");
        Assert.Equal(0.6, risk.GetProperty("threshold").GetDouble());
        Assert.Equal(3, risk.GetProperty("backtests").GetArrayLength());
        var tests = folds.Sum(f => f.GetProperty("test").GetProperty("count").GetInt32() + f.GetProperty("test").GetProperty("flat").GetInt32());
        Assert.Equal(tests + 1, risk.GetProperty("equityTimes").GetArrayLength());
        var cautious = risk.GetProperty("backtests").EnumerateArray().Single(b => b.GetProperty("strategy").GetString() == "LongFlat").GetProperty("inMarketShare").GetDouble();
        var atHalf = (await client.GetFromJsonAsync<JsonElement>($"api/runs/{id}/risk?threshold=0.5&costBps=0")).GetProperty("backtests").EnumerateArray()
            .Single(b => b.GetProperty("strategy").GetString() == "LongFlat").GetProperty("inMarketShare").GetDouble();
        Assert.True(cautious <= atHalf, "A higher threshold is long on fewer days.");
        var badThreshold = await client.GetAsync($"api/runs/{id}/risk?threshold=0.3");
        Assert.Equal(HttpStatusCode.BadRequest, badThreshold.StatusCode);
        Assert.Contains("The threshold must be a probability of at least 0.5 and below 1.", await badThreshold.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var forecast = await client.GetFromJsonAsync<JsonElement>($"api/runs/{id}/forecast");
        Assert.True(forecast.GetProperty("isDirection").GetBoolean());
        Assert.Equal(2, forecast.GetProperty("values").GetArrayLength());
        Assert.All(forecast.GetProperty("values").EnumerateArray(), v => Assert.InRange(v[0].GetDouble(), 0, 1));
        var csv = (await client.GetStringAsync($"api/runs/{id}/forecast?format=csv")).Trim().Split('\n');
        Assert.Equal("Date,Target,ProbabilityUp", csv[0]);
        Assert.Equal(3, csv.Length);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"api/runs/{id}/model")).StatusCode);
    }

    [Fact]
    public async Task BadDirectionSettings_AreRefusedWithTheReason_AndValueRunsHaveNoDirectionScores()
    {
        await using var app = new ForecastAppFactory(seedDemo: true);
        using var client = app.CreateClient();

        var bad = await client.PostAsJsonAsync("/api/runs", Run(new { deadZone = -0.01 }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("The dead zone must be at least 0% and below 50% of the value.", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var anchored = await client.PostAsJsonAsync("/api/runs", new
        {
            datasetId = 1,
            config = new { transform = "LogReturn", direction = new { }, model = new { kind = "Mlp", anchorToLastValue = true }, training = new { device = "Cpu" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, anchored.StatusCode);
        Assert.Contains("a direction model outputs the probability of a rise, so turn anchoring off", await anchored.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var sweep = await client.PostAsJsonAsync("/api/sweeps", new
        {
            datasetId = 1,
            baseConfig = new { transform = "LogReturn", direction = new { }, model = new { kind = "Mlp" }, training = new { device = "Cpu" } },
            definition = new { space = JsonDocument.Parse("{\"hiddenSize\": [8, 16]}").RootElement, method = "Grid", maxTrials = 2 },
        });
        Assert.Equal(HttpStatusCode.BadRequest, sweep.StatusCode);
        Assert.Contains("a direction target cannot be swept yet", await sweep.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var (valueRun, _) = await RunApi.TrainAsync(client, new { datasetId = 1, config = new { lookback = 8, horizon = 1, model = new { kind = "Mlp", hiddenSize = 4, layers = 1 }, training = new { maxEpochs = 1, device = "Cpu" } } });
        var refused = await client.GetAsync($"api/runs/{valueRun}/direction");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("forecasts values, not directions", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var threshold = await client.GetAsync($"api/runs/{valueRun}/risk?threshold=0.6");
        Assert.Equal(HttpStatusCode.BadRequest, threshold.StatusCode);
    }
}
