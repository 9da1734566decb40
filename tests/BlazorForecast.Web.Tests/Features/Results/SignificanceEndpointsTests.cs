using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorForecast.Web.Features.Training;
using Microsoft.AspNetCore.SignalR.Client;

namespace BlazorForecast.Web.Tests.Features.Results;

/// <summary>Verdicts, tests and seeds over HTTP and the hub, from real trainings on the demo dataset in a real SQLite file.</summary>
public sealed class SignificanceEndpointsTests
{
    private static Task<(int Id, JsonElement Details)> TrainAsync(HttpClient client, object config) => RunApi.TrainAsync(client, new { datasetId = 1, config });

    [Fact]
    public async Task Metrics_AreValidJson_ForEveryTransformAndModel()
    {
        await using var app = new ForecastAppFactory(seedDemo: true);
        using var client = app.CreateClient();

        foreach (var transform in new[] { "Level", "Return", "LogReturn" })
        {
            foreach (var kind in new[] { "Lstm", "Gru", "Cnn", "Transformer", "DLinear", "Mlp" })
            {
                var (id, _) = await TrainAsync(client, new
                {
                    targets = new[] { "Close" },
                    transform,
                    lookback = 16,
                    horizon = 3,
                    model = new { kind, hiddenSize = 8, layers = 1, heads = 2 },
                    training = new { maxEpochs = 1, device = "Cpu" },
                });

                using var response = await client.GetAsync($"/api/runs/{id}/metrics");
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{kind}/{transform}: {(int)response.StatusCode} {body}");
                var json = JsonDocument.Parse(body).RootElement;
                Assert.Contains(json.GetProperty("outcome").GetString(), new[] { "better", "no-difference", "worse" });
                var comparisons = json.GetProperty("assessment").GetProperty("comparisons").EnumerateArray().ToList();
                Assert.Equal(["Naive", "Drift", "SeasonalNaive", "MovingAverage"], comparisons.Select(c => c.GetProperty("baseline").GetString()));
                Assert.All(comparisons, c => Assert.InRange(c.GetProperty("pValue").GetDouble(), 0, 1));
                Assert.Equal(3, comparisons[0].GetProperty("perStep").GetArrayLength());
                JsonDocument.Parse(await client.GetStringAsync($"/api/runs/{id}"));
            }
        }
    }

    [Fact]
    public async Task LogReturnRun_Metrics_CarryEveryBaselinesTest_TheDirectionTest_AndNullsForWhatIsNotANumber()
    {
        await using var app = new ForecastAppFactory(seedDemo: true);
        using var client = app.CreateClient();
        var (id, _) = await TrainAsync(client, new
        {
            targets = new[] { "Close" },
            transform = "LogReturn",
            lookback = 32,
            horizon = 5,
            model = new { kind = "Mlp", hiddenSize = 16, layers = 1 },
            training = new { maxEpochs = 2, device = "Cpu" },
        });

        var json = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{id}/metrics");

        var naive = json.GetProperty("assessment").GetProperty("comparisons")[0];
        foreach (var field in new[] { "rmseChange", "statistic", "pValue" })
        {
            Assert.Equal(JsonValueKind.Number, naive.GetProperty(field).ValueKind);
        }

        Assert.Equal(4, naive.GetProperty("lag").GetInt32());
        var direction = json.GetProperty("assessment").GetProperty("direction");
        Assert.InRange(direction.GetProperty("upCallRate").GetDouble(), 0, 1);
        Assert.InRange(direction.GetProperty("binomialP").GetDouble(), 0, 1);
        // The confusion matrix adds up to the moves, and agrees with the up-rate and the share of rise calls.
        var confusion = direction.GetProperty("confusion").EnumerateArray().Select(c => c.GetInt32()).ToList();
        var moves = direction.GetProperty("count").GetInt32();
        Assert.Equal(moves, confusion.Sum());
        Assert.Equal(direction.GetProperty("upRate").GetDouble(), (double)(confusion[0] + confusion[3]) / moves, 9);
        Assert.Equal(direction.GetProperty("upCallRate").GetDouble(), (double)(confusion[0] + confusion[1]) / moves, 9);
        Assert.Equal(direction.GetProperty("accuracy").GetDouble(), (double)(confusion[0] + confusion[2]) / moves, 9);
        if (direction.GetProperty("balancedAccuracy").ValueKind == JsonValueKind.Number)
        {
            Assert.InRange(direction.GetProperty("balancedAccuracy").GetDouble(), 0, 1);
        }

        Assert.Equal(JsonValueKind.Null, json.GetProperty("assessment").GetProperty("seeds").ValueKind);
        Assert.Equal(4, json.GetProperty("assessment").GetProperty("intervals").GetArrayLength());
        Assert.Equal("Adaptive", json.GetProperty("assessment").GetProperty("intervalMethod").GetString());
        // On the model's own scale (log returns) MASE has no naive scale: NaN, written as null where it used to break the answer.
        var modelScale = json.GetProperty("folds")[0].GetProperty("methods")[0].GetProperty("modelScale").GetProperty("overall");
        Assert.Equal(JsonValueKind.Null, modelScale.GetProperty("mase").ValueKind);
        Assert.Equal(JsonValueKind.Number, modelScale.GetProperty("rmse").ValueKind);
    }

    [Fact]
    public async Task ThreeSeedRun_ReportsEachSeedAndTheEnsemble_AndTheHubNamesTheSeedOfEachEpoch()
    {
        await using var app = new ForecastAppFactory(seedDemo: true);
        var address = app.StartKestrel();
        using var client = app.CreateClient();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(address, TrainingHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(app.AdminToken))
            .Build();
        var seeds = new List<(int SeedIndex, int Seed, int Epoch)>();
        hub.On<JsonElement>("EpochCompleted", e =>
        {
            lock (seeds)
            {
                seeds.Add((e.GetProperty("seedIndex").GetInt32(), e.GetProperty("seed").GetInt32(), e.GetProperty("epoch").GetInt32()));
            }
        });
        await hub.StartAsync();
        var blocker = await client.PostAsJsonAsync("/api/runs", new { datasetId = 1, config = new { lookback = 16, horizon = 2, model = new { kind = "Lstm" }, training = new { maxEpochs = 3, device = "Cpu" } } });
        Assert.Equal(HttpStatusCode.Accepted, blocker.StatusCode);
        var queued = await client.PostAsJsonAsync("/api/runs", new
        {
            datasetId = 1,
            config = new { transform = "LogReturn", lookback = 16, horizon = 2, model = new { kind = "Mlp", hiddenSize = 8, layers = 1 }, training = new { maxEpochs = 2, seeds = 3, seed = 7, patience = 5, device = "Cpu" } },
        });
        var id = (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await hub.InvokeAsync<JsonElement>("JoinRun", id);
        await TrainAsync(client, new { lookback = 16, horizon = 1, model = new { kind = "Mlp", hiddenSize = 4, layers = 1 }, training = new { maxEpochs = 1, device = "Cpu" } });

        var json = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{id}/metrics");

        var summary = json.GetProperty("assessment").GetProperty("seeds");
        Assert.Equal(3, summary.GetProperty("configured").GetInt32());
        Assert.Equal([7, 8, 9], summary.GetProperty("seeds").EnumerateArray().Select(s => s.GetProperty("seed").GetInt32()));
        var rmse = summary.GetProperty("seeds").EnumerateArray().Select(s => s.GetProperty("rmse").GetDouble()).ToList();
        Assert.Equal(rmse.Average(), summary.GetProperty("rmseMean").GetDouble(), 9);
        Assert.Equal(rmse.Min(), summary.GetProperty("rmseMin").GetDouble());
        var disagree = summary.GetProperty("disagree").GetBoolean();
        Assert.Equal(disagree, summary.GetProperty("note").ValueKind == JsonValueKind.String);
        Assert.Equal(disagree, json.GetProperty("notes").EnumerateArray().Any(n => n.GetString()!.StartsWith("Seeds disagree", StringComparison.Ordinal)));
        Assert.Equal(json.GetProperty("assessment").GetProperty("comparisons")[0].GetProperty("pValue").GetDouble(),
            summary.GetProperty("ensemble").GetProperty("pValue").GetDouble());
        lock (seeds)
        {
            Assert.Equal([(0, 7, 1), (0, 7, 2), (1, 8, 1), (1, 8, 2), (2, 9, 1), (2, 9, 2)], seeds);
        }
    }

    [Fact]
    public async Task SignificanceLevel_IsASetting_ThatEveryOutcomeFollows()
    {
        await using var app = new ForecastAppFactory(seedDemo: true, settings: new Dictionary<string, string?> { ["BlazorForecast:Evaluation:SignificanceLevel"] = "0.2" });
        using var client = app.CreateClient();
        var (id, _) = await TrainAsync(client, new { lookback = 16, horizon = 2, model = new { kind = "Mlp", hiddenSize = 8, layers = 1 }, training = new { maxEpochs = 2, device = "Cpu" } });

        var json = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{id}/metrics");

        Assert.Equal(0.2, json.GetProperty("significanceLevel").GetDouble());
        Assert.Contains("below 20%", json.GetProperty("testMeaning").GetString(), StringComparison.Ordinal);
        foreach (var comparison in json.GetProperty("assessment").GetProperty("comparisons").EnumerateArray())
        {
            var p = comparison.GetProperty("pValue").GetDouble();
            var better = comparison.GetProperty("rmseChange").GetDouble() < 0;
            Assert.Equal(p >= 0.2 ? "no-difference" : better ? "better" : "worse", comparison.GetProperty("outcome").GetString());
        }
    }

    [Fact]
    public async Task TooManySeeds_AreRefusedWithTheReason()
    {
        await using var app = new ForecastAppFactory(seedDemo: true);
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/api/runs", new { datasetId = 1, config = new { training = new { seeds = 11 } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Seeds must be between 1 and 10.", problem.GetProperty("problems").EnumerateArray().Select(p => p.GetString()));
    }
}
