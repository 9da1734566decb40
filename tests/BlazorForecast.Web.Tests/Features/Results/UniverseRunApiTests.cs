using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Training;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Web.Tests.Features.Results;

/// <summary>Runs trained across their targets, over HTTP and SignalR with the real engine and a real SQLite file.</summary>
public sealed class UniverseRunApiTests
{
    // Four daily series at different levels: A, B and C are trained on; D is left for zero-shot.
    private static async Task<int> ImportWideAsync(ForecastAppFactory app)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(TestSeries.WideCsv()));
        return (await app.Services.GetRequiredService<DatasetService>().ImportAsync(stream, "wide.csv", "Wide", null, new CsvImportOptions(), app.AdminCaller)).Id;
    }

    // A run across A, B and C: a small MLP for two epochs unless a test needs another model or training.
    private static object Run(int dataset, object? features = null, object? model = null, object? training = null) => new
    {
        datasetId = dataset,
        config = new
        {
            targets = new[] { "A", "B", "C" },
            transform = "LogReturn",
            lookback = 10,
            horizon = 2,
            features = features ?? Array.Empty<object>(),
            acrossTargets = new { embedding = true, quantile = 0.34, costPerTrade = 0.0005 },
            model = model ?? new { kind = "Mlp", hiddenSize = 8, layers = 1 },
            training = training ?? new { maxEpochs = 2, device = "Cpu", seed = 3 },
        },
    };

    [Fact]
    public async Task ARunAcrossItsTargets_ScoresEachSeriesAndTheCrossSection_StreamsItsEpochs_AndForecastsAnySeries()
    {
        // At a server's own significance level (20%), which every series' verdict follows.
        await using var app = new ForecastAppFactory(settings: new Dictionary<string, string?> { ["BlazorForecast:Evaluation:SignificanceLevel"] = "0.2" });
        var address = app.StartKestrel();
        using var client = app.CreateClient();
        var dataset = await ImportWideAsync(app);

        var (id, details) = await RunApi.TrainAsync(client, Run(dataset));

        Assert.Equal("Mlp A+B+C H2 across series", details.GetProperty("run").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, details.GetProperty("results").ValueKind);
        Assert.Equal(3, details.GetProperty("universe").GetProperty("series").GetArrayLength());
        var universe = await client.GetFromJsonAsync<JsonElement>($"api/runs/{id}/universe");
        Assert.Equal(["A", "B", "C"], universe.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("series").GetString()));
        Assert.Equal(0.2, universe.GetProperty("significanceLevel").GetDouble());
        foreach (var s in universe.GetProperty("series").EnumerateArray())
        {
            var versus = s.GetProperty("versusNaive");
            var (p, change) = (versus.GetProperty("overall").GetProperty("pValue").GetDouble(), versus.GetProperty("rmseChange").GetDouble());
            var outcome = p >= 0.2 ? "no-difference" : change < 0 ? "better" : "worse";
            Assert.Equal(outcome, s.GetProperty("outcome").GetString());
            Assert.StartsWith(outcome switch { "better" => "Beats naive", "worse" => "Worse than naive", _ => "No detectable difference from naive" },
                s.GetProperty("verdict").GetString(), StringComparison.Ordinal);

            // The coverage of the series' own intervals on its test values, at both levels, by the run's method.
            var held = s.GetProperty("intervals").EnumerateArray().ToList();
            Assert.Equal([0.8, 0.95], held.Select(i => i.GetProperty("level").GetDouble()));
            Assert.All(held, i => Assert.Equal("Adaptive", i.GetProperty("method").GetString()));
            Assert.All(held, i => Assert.InRange(i.GetProperty("coverage").GetDouble(), 0, 1));
            Assert.True(held[0].GetProperty("meanWidth").GetDouble() < held[1].GetProperty("meanWidth").GetDouble());
        }
        var ic = universe.GetProperty("ic");
        Assert.Equal(universe.GetProperty("rankIc").GetArrayLength(), universe.GetProperty("dates").GetArrayLength());
        Assert.InRange(ic.GetProperty("rankIcMean").GetDouble(), -1, 1);
        Assert.Equal(1, universe.GetProperty("longShort").GetProperty("perLeg").GetInt32());
        Assert.InRange(universe.GetProperty("driftIc").GetProperty("rankIcMean").GetDouble(), -1, 1);
        Assert.True(universe.GetProperty("versusDrift").GetProperty("dates").GetInt32() > 0);
        // Both tests' Newey–West lag is the rule's for their number of dates, as stored with the run.
        Assert.Equal(Forecasting.Evaluation.LongRunVariance.AutomaticLag(ic.GetProperty("dates").GetInt32()), ic.GetProperty("rankIcLag").GetInt32());
        Assert.Equal(Forecasting.Evaluation.LongRunVariance.AutomaticLag(universe.GetProperty("versusDrift").GetProperty("dates").GetInt32()),
            universe.GetProperty("versusDrift").GetProperty("lag").GetInt32());
        Assert.Equal(universe.GetProperty("dates").GetArrayLength() + 1, universe.GetProperty("longShort").GetProperty("equity").GetArrayLength());

        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(address, TrainingHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(app.AdminToken))
            .Build();
        await hub.StartAsync();
        var snapshot = await hub.InvokeAsync<JsonElement>("JoinRun", id);
        Assert.Equal("Succeeded", snapshot.GetProperty("status").GetString());
        Assert.Equal([1, 2], snapshot.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()));

        foreach (var path in new[] { "metrics", "predictions", "risk", "direction" })
        {
            using var refused = await client.GetAsync($"api/runs/{id}/{path}");
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains($"its scores are at /api/runs/{id}/universe", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var known = await client.GetFromJsonAsync<JsonElement>($"api/runs/{id}/forecast?series=B");
        Assert.Equal(["B"], known.GetProperty("targets").EnumerateArray().Select(t => t.GetString()));
        Assert.False(known.GetProperty("zeroShot").GetBoolean());
        // B's own intervals (80% and 95%) around each step's value, the wider level outside the narrower.
        var intervals = known.GetProperty("intervals").EnumerateArray().ToList();
        Assert.Equal([0.8, 0.95], intervals.Select(i => i.GetProperty("level").GetDouble()));
        var values = known.GetProperty("values").EnumerateArray().Select(v => v[0].GetDouble()).ToList();
        double Bound(int level, string side, int step) => intervals[level].GetProperty(side)[step][0].GetDouble();
        Assert.All(Enumerable.Range(0, values.Count), k =>
            Assert.True(Bound(1, "lower", k) < Bound(0, "lower", k) && Bound(0, "lower", k) < values[k] && values[k] < Bound(0, "upper", k) && Bound(0, "upper", k) < Bound(1, "upper", k)));
        var zeroShot = await client.GetFromJsonAsync<JsonElement>($"api/runs/{id}/forecast?series=D");
        Assert.True(zeroShot.GetProperty("zeroShot").GetBoolean());
        Assert.Empty(zeroShot.GetProperty("intervals").EnumerateArray());
        Assert.All(zeroShot.GetProperty("values").EnumerateArray(), v => Assert.InRange(v[0].GetDouble(), 400, 600));
        using var unknown = await client.GetAsync($"api/runs/{id}/forecast?series=E");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("The data has no column 'E'", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStoppedRunAcrossItsTargets_Resumes_KeepingItsFinishedTrainingAndItsCheckpoint()
    {
        await using var app = new ForecastAppFactory();
        var address = app.StartKestrel();
        using var client = app.CreateClient();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(address, TrainingHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(app.AdminToken))
            .Build();
        var secondSeedUnderWay = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<JsonElement>("EpochCompleted", e =>
        {
            if (e.GetProperty("seedIndex").GetInt32() == 1 && e.GetProperty("epoch").GetInt32() >= 2)
            {
                secondSeedUnderWay.TrySetResult();
            }
        });
        await hub.StartAsync();
        var dataset = await ImportWideAsync(app);

        // An LSTM whose epochs take longer than storing them, so the hub's word of an epoch comes while the next trains, and
        // enough of them that the stop lands inside the second seed's training even on a machine busy with other tests.
        const int Epochs = 200;
        var created = await client.PostAsJsonAsync("api/runs", Run(dataset, model: new { kind = "Lstm", hiddenSize = 32, layers = 1 },
            training: new { maxEpochs = Epochs, patience = Epochs, device = "Cpu", seed = 3, seeds = 2 }));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        async Task<JsonElement> Current() => (await client.GetFromJsonAsync<JsonElement>($"api/runs/{id}")).GetProperty("run");

        // Stopped in the second seed's training, once the first has finished: as soon as the hub says its second epoch is done.
        await hub.InvokeAsync<JsonElement>("JoinRun", id);
        await secondSeedUnderWay.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"api/runs/{id}/cancel", null)).StatusCode);
        var stopped = await Wait.ForAsync(Current, r => r.GetProperty("status").GetString() == "Cancelled", "the run to stop", 30);
        var stoppedAt = DateTime.UtcNow;
        Assert.Equal(1, stopped.GetProperty("partsDone").GetInt32());
        var kept = stopped.GetProperty("epochsDone").GetInt32();
        Assert.InRange(kept, 2, Epochs - 1);

        Assert.True((await client.PostAsync($"api/runs/{id}/resume", null)).IsSuccessStatusCode);
        Assert.StartsWith("Resuming at training 2 of 2, after epoch", (await Current()).GetProperty("statusDetail").GetString(), StringComparison.Ordinal);
        var finished = await Wait.ForAsync(Current, r => r.GetProperty("status").GetString() is "Succeeded" or "Failed", "the resumed run to finish", 120);
        Assert.Equal(("Succeeded", 2), (finished.GetProperty("status").GetString(), finished.GetProperty("partsDone").GetInt32()));

        // Every epoch of both seeds once; the first seed's and the second's up to its checkpoint from before the stop, the rest trained after.
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<Data.ForecastDbContext>>().CreateDbContextAsync();
        var epochs = await db.RunEpochs.AsNoTracking().Where(e => e.RunId == id).OrderBy(e => e.SeedIndex).ThenBy(e => e.Epoch).ToListAsync();
        Assert.Equal(Enumerable.Range(1, Epochs).Concat(Enumerable.Range(1, Epochs)), epochs.Select(e => e.Epoch));
        Assert.All(epochs.Where(e => e.SeedIndex == 0), e => Assert.True(e.CompletedAt < stoppedAt));
        var second = epochs.Where(e => e.SeedIndex == 1).ToList();
        var resumedAfter = second.Count(e => e.CompletedAt < stoppedAt);
        Assert.InRange(resumedAfter, 1, kept);
        Assert.All(second.Skip(resumedAfter), e => Assert.True(e.CompletedAt > stoppedAt));
        var universe = await client.GetFromJsonAsync<JsonElement>($"api/runs/{id}/universe");
        Assert.Equal(3, universe.GetProperty("series").GetArrayLength());
    }

    [Fact]
    public async Task ASeriesFromAnotherDataset_JoinsTheUniverseAsOneMoreSeries()
    {
        await using var app = new ForecastAppFactory();
        using var client = app.CreateClient();
        var datasets = app.Services.GetRequiredService<DatasetService>();
        var wide = await ImportWideAsync(app);
        int other;

        var csv = new StringBuilder("Date,Close\n");
        for (var i = 0; i < 300; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{new DateTime(2020, 1, 1).AddDays(i):yyyy-MM-dd},{70 + (2 * Math.Sin(i / 6.0))}\n");
        }

        using (var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())))
        {
            other = (await datasets.ImportAsync(stream, "other.csv", "Other", null, new CsvImportOptions(), app.AdminCaller)).Id;
        }

        object Config(string readAs) => new
        {
            datasetId = wide,
            config = new
            {
                targets = new[] { "A", "B", "Other" },
                transform = "LogReturn",
                lookback = 10,
                horizon = 2,
                inputs = new[] { new { source = $"{other}", column = "Close", name = "Other", @as = readAs } },
                acrossTargets = new { },
                model = new { kind = "Mlp", hiddenSize = 8, layers = 1 },
                training = new { maxEpochs = 2, device = "Cpu" },
            },
        };

        using var asReturns = await client.PostAsJsonAsync("api/runs", Config("LogReturn"));
        Assert.Equal(HttpStatusCode.BadRequest, asReturns.StatusCode);
        Assert.Contains("in a universe an input from another dataset is one more series", await asReturns.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var (id, _) = await RunApi.TrainAsync(client, Config("Raw"));

        var universe = await client.GetFromJsonAsync<JsonElement>($"api/runs/{id}/universe");
        Assert.Equal(["A", "B", "Other"], universe.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("series").GetString()));
        // Its errors are in its own units: a wave of amplitude 2 around 70, not the wide dataset's.
        Assert.InRange(universe.GetProperty("series")[2].GetProperty("rmse").GetDouble(), 0, 2);
    }

    [Fact]
    public async Task ARunAcrossTargetsWithExtraFeatures_IsRefusedWithTheReason()
    {
        await using var app = new ForecastAppFactory();
        using var client = app.CreateClient();
        var dataset = await ImportWideAsync(app);

        using var response = await client.PostAsJsonAsync("api/runs", Run(dataset, new[] { new { kind = "MovingAverage", column = "A", window = 5 } }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("A universe model reads each series' own history only: leave out features, inputs and a direction target.",
            await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var sweep = await client.PostAsJsonAsync("/api/sweeps", new
        {
            datasetId = dataset,
            baseConfig = new { targets = new[] { "A", "B" }, transform = "LogReturn", acrossTargets = new { }, model = new { kind = "Mlp" }, training = new { device = "Cpu" } },
            definition = new { space = JsonDocument.Parse("{\"hiddenSize\": [8, 16]}").RootElement, method = "Grid", maxTrials = 2 },
        });
        Assert.Equal(HttpStatusCode.BadRequest, sweep.StatusCode);
        Assert.Contains("a model across the targets cannot be swept yet", await sweep.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
