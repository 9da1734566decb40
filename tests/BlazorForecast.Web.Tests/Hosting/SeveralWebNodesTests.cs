using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Sweeps;
using BlazorForecast.Web.Features.Training;
using BlazorForecast.Web.Tests.Features.Training;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BlazorForecast.Web.Tests.Hosting;

/// <summary>
/// Web nodes sharing one PostgreSQL database (each also a training worker, with the scripted engine): starting together,
/// and sweeps coordinated by exactly one of them at a time. Skipped with the reason where PostgreSQL is not installed.
/// </summary>
public sealed class SeveralWebNodesTests : IAsyncLifetime
{
    private readonly AppNodes _nodes = new();

    public Task InitializeAsync() => _nodes.InitializeAsync();

    public Task DisposeAsync() => _nodes.DisposeAsync();

    [SkippableFact]
    public async Task NodesStartedTogether_OnANewDatabase_MigrateAndSeedItOnce()
    {
        var a = Node(seedDemo: true);
        var b = Node(sharing: a.DataPath, seedDemo: true);

        await Task.WhenAll(Task.Run(() => a.Server), Task.Run(() => b.Server));

        Assert.Equal(1, await a.CountRowsAsync("Datasets"));
        Assert.Equal(DemoDatasetSeeder.DemoName, await a.ScalarAsync("SELECT \"Name\" FROM \"Datasets\"") as string);
    }

    [SkippableFact]
    public async Task ASweepStartedOnANodeThatDoesNotLead_IsCoordinatedOnce_HeardEverywhere_AndTakenOverWhenItsLeaderStops()
    {
        var a = Started(Node());
        await Wait.UntilAsync(() => Leads(a), "the first node to lead", 10);
        var b = Started(Node(sharing: a.DataPath));
        Assert.False(Leads(b));
        var heardOnB = new List<SweepChanged>();
        using var subscription = b.Services.GetRequiredService<SweepNotifier>().Subscribe(0, change => { lock (heardOnB) { heardOnB.Add(change); } });
        using var client = b.CreateClient();
        var dataset = await ClaimingWorkerTests.DatasetAsync(a);

        var created = await client.PostAsJsonAsync("api/sweeps", Body(dataset, maxTrials: 6, concurrency: 2));
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("id").GetInt32();

        await Wait.ForAsync(() => Task.FromResult(Heard()), h => h.Any(c => c.SweepId == id && c.TrialsEnded >= 1), "node B to hear a trial end", 30);
        Assert.Equal(SweepStatus.Searching, Heard().Last(c => c.SweepId == id).Status);
        await _nodes.StopAsync(a);
        await Wait.UntilAsync(() => Leads(b), "node B to take over", 10);
        var finished = await Wait.ForAsync(async () => await client.GetFromJsonAsync<JsonElement>($"api/sweeps/{id}"),
            s => s.GetProperty("summary").GetProperty("status").GetString() is not ("Searching" or "Finishing"), "the sweep to end on node B", 90);

        Assert.Equal("Finished", finished.GetProperty("summary").GetProperty("status").GetString());
        var trials = finished.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3, 4, 5], trials.Select(t => t.GetProperty("number").GetInt32()));
        Assert.All(trials, t => Assert.Equal("Complete", t.GetProperty("state").GetString()));
        Assert.All(trials, t => Assert.Equal(JsonValueKind.Number, t.GetProperty("objective").ValueKind));
        Assert.Equal(6, Convert.ToInt64(await b.ScalarAsync($"SELECT COUNT(*) FROM \"Runs\" WHERE \"SweepId\" = {id} AND \"SweepRole\" = 'Trial'"),
            System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(Heard(), c => c.SweepId == id && c.Status == SweepStatus.Finished);

        List<SweepChanged> Heard()
        {
            lock (heardOnB)
            {
                return [.. heardOnB];
            }
        }
    }

    [SkippableFact]
    public async Task AStopThroughANodeThatDoesNotLead_ReachesTheLeader()
    {
        var a = Started(Node());
        await Wait.UntilAsync(() => Leads(a), "the first node to lead", 10);
        var b = Started(Node(sharing: a.DataPath));
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        var dataset = await ClaimingWorkerTests.DatasetAsync(a);
        var created = await clientA.PostAsJsonAsync("api/sweeps", Body(dataset, maxTrials: 4, concurrency: 1, epochs: 200));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("id").GetInt32();
        await Wait.ForAsync(() => clientB.GetFromJsonAsync<JsonElement>($"api/sweeps/{id}"),
            s => s.GetProperty("trials").EnumerateArray().Any(t => t.GetProperty("status").GetString() == "Running"), "a trial to train", 30);

        var stop = await clientB.PostAsync($"api/sweeps/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
        var stopped = await Wait.ForAsync(() => clientB.GetFromJsonAsync<JsonElement>($"api/sweeps/{id}"),
            s => s.GetProperty("trials").EnumerateArray().All(t => t.GetProperty("status").GetString() is not ("Queued" or "Running")), "its trial to stop", 30);
        Assert.Equal("Cancelled", stopped.GetProperty("summary").GetProperty("status").GetString());
        var again = await clientB.PostAsync($"api/sweeps/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains($"Sweep {id} has already ended.", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task WhileNoNodeLeads_AStopIsRefused503_AndTheNodeThatTakesOverCarriesTheSweepOn()
    {
        var node = Node(answerWithin: TimeSpan.FromSeconds(1));
        await using var holder = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(node.PostgresConnectionString) { Pooling = false }.ConnectionString);
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({PostgresAdvisoryLocks.SweepCoordination})", holder))
        {
            await take.ExecuteScalarAsync();
        }

        Started(node);
        using var client = node.CreateClient();
        var dataset = await ClaimingWorkerTests.DatasetAsync(node);
        var created = await client.PostAsJsonAsync("api/sweeps", Body(dataset, maxTrials: 2, concurrency: 1));
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("id").GetInt32();

        var stop = await client.PostAsync($"api/sweeps/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, stop.StatusCode);
        Assert.Equal("application/problem+json", stop.Content.Headers.ContentType?.MediaType);
        Assert.Contains("No web node is coordinating sweeps at this moment", await stop.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(5), stop.Headers.RetryAfter?.Delta);
        Assert.Equal(0L, await node.CountRowsAsync("Runs"));

        await holder.CloseAsync();
        var finished = await Wait.ForAsync(() => client.GetFromJsonAsync<JsonElement>($"api/sweeps/{id}"),
            s => s.GetProperty("summary").GetProperty("status").GetString() is not ("Searching" or "Finishing"), "the node that took over to run the sweep", 60);
        Assert.Equal("Finished", finished.GetProperty("summary").GetProperty("status").GetString());
    }

    private static bool Leads(ForecastAppFactory node) => node.Services.GetRequiredService<ISweepLeadership>().IsLeading;

    // A web node on the shared database (a new one unless it shares another's), with a quick takeover for tests.
    private ForecastAppFactory Node(string? sharing = null, bool seedDemo = false, TimeSpan? answerWithin = null)
    {
        var engine = new ScriptedTrainingEngine { EpochPause = TimeSpan.FromMilliseconds(60) };
        var node = new ForecastAppFactory(
            seedDemo: seedDemo, services: s => s.AddSingleton<ITrainingEngine>(engine), dataDirectory: sharing, database: DatabaseProvider.PostgreSql,
            settings: new Dictionary<string, string?>
            {
                ["BlazorForecast:Sweeps:LeaderCheck"] = "00:00:00.200",
                ["BlazorForecast:Sweeps:AnswerWithin"] = (answerWithin ?? TimeSpan.FromSeconds(20)).ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            });
        _nodes.Add(node);
        return node;
    }

    private static ForecastAppFactory Started(ForecastAppFactory node)
    {
        _ = node.Server;
        return node;
    }

    private static object Body(int dataset, int maxTrials, int concurrency, int epochs = 4) => new
    {
        datasetId = dataset,
        name = "Across nodes",
        baseConfig = new { targets = new[] { "Close" }, lookback = 10, model = new { kind = "Mlp" }, training = new { maxEpochs = epochs } },
        definition = new
        {
            space = JsonDocument.Parse("""{"hiddenSize": [8, 16, 24, 32, 48, 64]}""").RootElement,
            method = "Grid",
            maxTrials,
            concurrency,
            earlyStopping = "None",
            pickAutomatically = true,
        },
    };
}
