using System.Text.Json;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Runs;
using BlazorForecast.Web.Features.Training;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Web.Tests.Features.Training;

/// <summary>
/// Training workers sharing one PostgreSQL database: two web nodes on it, each also claiming runs as a worker (or one
/// serving pages only), with the scripted engine. Skipped with the reason where PostgreSQL is not installed.
/// </summary>
public sealed class ClaimingWorkerTests : IAsyncLifetime
{
    private readonly AppNodes _nodes = new();

    public Task InitializeAsync() => _nodes.InitializeAsync();

    public Task DisposeAsync() => _nodes.DisposeAsync();

    [SkippableFact]
    public async Task FiveQueuedRuns_SpreadOverTwoWorkers_AndNoneIsClaimedTwice()
    {
        var (first, second) = (new ScriptedTrainingEngine { EpochPause = TimeSpan.FromMilliseconds(80) }, new ScriptedTrainingEngine { EpochPause = TimeSpan.FromMilliseconds(80) });
        var a = Node(first);
        var b = Node(second, a.DataPath);
        var dataset = await DatasetAsync(a);

        // Each run's horizon names it, so the engines' records say which worker trained which run.
        var ids = new List<int>();
        for (var horizon = 1; horizon <= 5; horizon++)
        {
            ids.Add(await a.Services.GetRequiredService<RunService>().CreateAsync(new RunRequest(dataset, Config(horizon)), a.AdminCaller));
        }

        var runs = await Wait.ForAsync(() => RunsAsync(a, ids), r => r.All(run => run.Status == RunStatus.Succeeded), "every run to succeed", 60);

        Assert.Equal([1, 2, 3, 4, 5], first.Horizons.Concat(second.Horizons).Order());
        Assert.NotEmpty(first.Horizons);
        Assert.NotEmpty(second.Horizons);
        Assert.All(runs, run => Assert.Equal(1, run.Attempts));
        Assert.Equal(2, runs.Select(run => run.ClaimedBy).Distinct().Count());
        await using var db = await Db(a).CreateDbContextAsync();
        Assert.Equal(2, await db.Workers.CountAsync());
        Assert.All(await db.Workers.ToListAsync(), w => Assert.Equal("cpu", w.Device));
    }

    [SkippableFact]
    public async Task AWorkerShutDown_HandsItsRunBack_AndAnotherResumesItFromItsCheckpoint()
    {
        // The first worker holds in the second seed's second epoch until it is shut down, so it cannot finish the run first.
        var engine = new ScriptedTrainingEngine { EpochPause = TimeSpan.FromMilliseconds(50), HoldUntilCancelledAfter = (1, 2) };
        var a = Node(engine);
        var dataset = await DatasetAsync(a);
        var id = await a.Services.GetRequiredService<RunService>().CreateAsync(
            new RunRequest(dataset, Config(2) with { Training = new TrainingOptions { MaxEpochs = 6, Seeds = 3 } }), a.AdminCaller);
        await Wait.ForAsync(() => RunAsync(a, id), r => r.PartsDone == 1 && r.EpochsDone == 2, "the second seed to be under way", 30);
        var b = Node(engine, a.DataPath);

        await _nodes.StopAsync(a);

        var resumed = await Wait.ForAsync(() => RunAsync(b, id), r => r.Status == RunStatus.Succeeded, "another worker to finish the run", 60);
        Assert.Equal(2, resumed.Attempts);
        Assert.Equal(3, resumed.PartsDone);

        // The second worker reused the seed the first had finished and continued the second from its checkpoint.
        Assert.Equal([(0, 0)], engine.Reused[1]);
        Assert.Equal([0, 2], engine.StartedAfter);
        var epochs = (await b.Services.GetRequiredService<RunService>().SnapshotAsync(id))!.Epochs;
        foreach (var seed in new[] { 0, 1, 2 })
        {
            Assert.Equal(Enumerable.Range(1, 6), epochs.Where(e => e.SeedIndex == seed).Select(e => e.Epoch));
        }
    }

    [SkippableFact]
    public async Task ARunWhoseWorkerStoppedAnswering_IsQueuedAgain_UntilItsAttemptsRunOut()
    {
        var engine = new ScriptedTrainingEngine { EpochPause = TimeSpan.FromMilliseconds(10) };
        var a = Node(new ScriptedTrainingEngine(), claims: false);
        var dataset = await DatasetAsync(a);
        var runs = a.Services.GetRequiredService<RunService>();
        var config = Config(3);
        var (again, givenUp) = (await runs.CreateAsync(new RunRequest(dataset, config), a.AdminCaller), await runs.CreateAsync(new RunRequest(dataset, config), a.AdminCaller));

        // Two runs as a worker that then died would have left them: claimed, their leases passed, one at its last attempt.
        await using (var db = await Db(a).CreateDbContextAsync())
        {
            await db.Runs.Where(r => r.Id == again || r.Id == givenUp).ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, RunStatus.Running)
                .SetProperty(r => r.ClaimedBy, "gone")
                .SetProperty(r => r.LeaseExpiresAt, DateTime.UtcNow.AddMinutes(-1))
                .SetProperty(r => r.Attempts, r => r.Id == again ? 1 : 3));
        }

        // A live worker starts only now, so it finds them as the dead one left them.
        Node(engine, a.DataPath);

        var finished = await Wait.ForAsync(() => RunAsync(a, again), r => r.Status == RunStatus.Succeeded, "the run to be trained again", 30);
        Assert.Equal(2, finished.Attempts);
        var interrupted = await Wait.ForAsync(() => RunAsync(a, givenUp), r => r.Status == RunStatus.Interrupted, "the run to be given up", 30);
        Assert.StartsWith("Its workers stopped answering 3 times (the last was gone); it was not queued again.", interrupted.StatusDetail, StringComparison.Ordinal);
        Assert.Single(engine.Horizons);
    }

    [SkippableFact]
    public async Task AWorkerThatLostItsRun_StopsTrainingIt_AndLeavesItsOutcomeToTheNewHolder()
    {
        var engine = new ScriptedTrainingEngine { EpochPause = TimeSpan.FromMilliseconds(50) };
        var a = Node(engine);
        var dataset = await DatasetAsync(a);
        var id = await a.Services.GetRequiredService<RunService>().CreateAsync(
            new RunRequest(dataset, Config(2) with { Training = new TrainingOptions { MaxEpochs = 400 } }), a.AdminCaller);
        await Wait.ForAsync(() => RunAsync(a, id), r => r.EpochsDone >= 2, "the worker to train two epochs", 30);

        // As after a pause longer than its lease: the run was given to another worker, which holds it now.
        await using (var db = await Db(a).CreateDbContextAsync())
        {
            await db.Runs.Where(r => r.Id == id).ExecuteUpdateAsync(set => set.SetProperty(r => r.ClaimedBy, "the new holder"));
        }

        var epochs = (await RunAsync(a, id)).EpochsDone;

        // Within a heartbeat (0.2 s here) it stops, where it would otherwise have trained twenty more epochs in a second,
        // and what it ended with is not written over the new holder's run.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var run = await RunAsync(a, id);
        Assert.Equal((RunStatus.Running, "the new holder", (DateTime?)null), (run.Status, run.ClaimedBy, run.FinishedAt));
        Assert.InRange(run.EpochsDone, epochs, epochs + 10);
    }

    [SkippableFact]
    public async Task ARunTrainedThroughOneNode_IsFollowedAndStoppedFromAnother()
    {
        var engine = new ScriptedTrainingEngine { EpochPause = TimeSpan.FromMilliseconds(100) };
        var a = Node(engine);
        var b = Node(new ScriptedTrainingEngine(), a.DataPath, claims: false);
        var dataset = await DatasetAsync(a);
        var id = await a.Services.GetRequiredService<RunService>().CreateAsync(
            new RunRequest(dataset, Config(2) with { Training = new TrainingOptions { MaxEpochs = 200 } }), a.AdminCaller);

        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(b.Server.BaseAddress, TrainingHub.Path), o =>
            {
                o.HttpMessageHandlerFactory = _ => b.Server.CreateHandler();
                o.AccessTokenProvider = () => Task.FromResult<string?>(b.AdminToken);
            })
            .Build();
        var epochs = new List<JsonElement>();
        var statuses = new List<JsonElement>();
        hub.On<JsonElement>("EpochCompleted", e => { lock (epochs) { epochs.Add(e); } });
        hub.On<JsonElement>("StatusChanged", e => { lock (statuses) { statuses.Add(e); } });
        await hub.StartAsync();
        var snapshot = await hub.InvokeAsync<JsonElement>("JoinRun", id);
        var stored = snapshot.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()).ToList();

        await Wait.ForAsync(() => Task.FromResult(epochs.Count), n => n >= 3, "node B's client to see three epochs", 30);
        Assert.True(await b.Services.GetRequiredService<RunService>().CancelAsync(id, b.AdminCaller));
        var stopped = await Wait.ForAsync(() => RunAsync(b, id), r => r.Status == RunStatus.Cancelled, "the worker on node A to stop the run", 10);

        Assert.Empty(engine.Horizons.Skip(1));
        Assert.InRange(stopped.EpochsDone, 3, 199);
        using var clientB = b.CreateClient();
        var seenOnB = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<JsonElement>(clientB, $"api/runs/{id}");
        Assert.Equal(stopped.ClaimedBy, seenOnB.GetProperty("run").GetProperty("worker").GetString());
        Assert.StartsWith("test-worker-", stopped.ClaimedBy, StringComparison.Ordinal);
        // What node B's client joined to and what it was sent live, together, are every epoch in order, none missing.
        lock (epochs)
        {
            var live = epochs.Select(e => e.GetProperty("epoch").GetInt32()).ToList();
            Assert.Equal(Enumerable.Range(live[0], live.Count), live);
            Assert.InRange(live[0], 1, stored.Count + 1);
        }

        await Wait.ForAsync(() => Task.FromResult(statuses.ToList()), s => s.Any(e => e.GetProperty("status").GetString() == "Cancelled"), "node B's client to hear it stopped", 10);
    }

    [SkippableFact]
    public async Task TheNewRunForm_OffersTheDevicesOfTheWorkersAlive_AndSaysWhenThereAreNone()
    {
        var web = Node(new ScriptedTrainingEngine(), claims: false);
        var devices = web.Services.GetRequiredService<TrainingDevices>();

        Assert.Equal(new DeviceAvailability(false, "No training worker is running: runs wait in the queue until one starts."), await devices.DescribeAsync());

        await using (var db = await Db(web).CreateDbContextAsync())
        {
            var now = DateTime.UtcNow;
            db.Workers.AddRange(
                new TrainingWorkerHeartbeat { Name = "cpu-box", Device = "cpu", StartedAt = now, LastSeenAt = now },
                new TrainingWorkerHeartbeat { Name = "gone-gpu", Device = "cuda:0", StartedAt = now.AddHours(-1), LastSeenAt = now.AddMinutes(-5) });
            await db.SaveChangesAsync();
        }

        Assert.Equal(new DeviceAvailability(false, "Workers: cpu-box (cpu); none has a GPU, so cuda is not offered"), await devices.DescribeAsync());

        await using (var db = await Db(web).CreateDbContextAsync())
        {
            await db.Workers.Where(w => w.Name == "gone-gpu").ExecuteUpdateAsync(set => set.SetProperty(w => w.LastSeenAt, DateTime.UtcNow));
        }

        Assert.Equal(new DeviceAvailability(true, "Workers: cpu-box (cpu), gone-gpu (cuda:0)"), await devices.DescribeAsync());
    }

    [SkippableFact]
    public async Task AnIdleWorker_ClaimsARunQueuedOnAnotherNode_AtOnce_NotAtItsNextPoll()
    {
        var worker = Node(new ScriptedTrainingEngine(), poll: TimeSpan.FromMinutes(5));
        var web = Node(new ScriptedTrainingEngine(), worker.DataPath, claims: false);
        var dataset = await DatasetAsync(web);
        await Wait.ForAsync(() => web.CountRowsAsync("Workers"), n => n == 1, "the worker to say it is alive", 30);

        var id = await web.Services.GetRequiredService<RunService>().CreateAsync(new RunRequest(dataset, Config(1)), web.AdminCaller);

        var claimed = await Wait.ForAsync(() => RunAsync(web, id), r => r.StartedAt is not null, "the idle worker to claim the run", 30);
        Assert.InRange(claimed.StartedAt!.Value - claimed.CreatedAt, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [SkippableFact]
    public async Task QueuedRuns_AreNumberedInTheOrderWorkersClaimThem()
    {
        var web = Node(new ScriptedTrainingEngine(), claims: false);
        var dataset = await DatasetAsync(web);
        var runs = web.Services.GetRequiredService<RunService>();
        var ids = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await runs.CreateAsync(new RunRequest(dataset, Config(2) with { Training = new TrainingOptions { MaxEpochs = 100 } }), web.AdminCaller));
        }

        Assert.Equal([1, 2, 3], await PositionsAsync());

        Node(new ScriptedTrainingEngine { EpochPause = TimeSpan.FromMilliseconds(200) }, web.DataPath);
        await Wait.ForAsync(() => RunAsync(web, ids[0]), r => r.Status == RunStatus.Running, "a worker to claim the first run", 30);

        Assert.Equal([null, 1, 2], await PositionsAsync());

        async Task<List<int?>> PositionsAsync()
        {
            var positions = new List<int?>();
            foreach (var id in ids)
            {
                positions.Add((await runs.GetAsync(id))!.QueuePosition);
            }

            return positions;
        }
    }

    // A web node on the shared database; unless told otherwise it also claims runs as a training worker.
    private ForecastAppFactory Node(ScriptedTrainingEngine engine, string? sharing = null, bool claims = true, TimeSpan? poll = null)
    {
        var settings = new Dictionary<string, string?> { ["BlazorForecast:Training:InProcess"] = claims ? "true" : "false" };
        if (poll is not null)
        {
            settings["BlazorForecast:Worker:Poll"] = poll.Value.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }

        var node = new ForecastAppFactory(
            services: s => s.AddSingleton<ITrainingEngine>(engine), dataDirectory: sharing, database: DatabaseProvider.PostgreSql, settings: settings);
        _nodes.Add(node);
        _ = node.Server;
        return node;
    }

    private static ForecastConfig Config(int horizon) => new()
    {
        Targets = ["Close"],
        Lookback = 10,
        Horizon = horizon,
        Model = new Forecasting.Models.ModelOptions { Kind = Forecasting.Models.ModelKind.Mlp, HiddenSize = 8, Layers = 1 },
        Training = new TrainingOptions { MaxEpochs = 3 },
    };

    private static IDbContextFactory<ForecastDbContext> Db(ForecastAppFactory node) => node.Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>();

    internal static async Task<Run> RunAsync(ForecastAppFactory node, int id)
    {
        await using var db = await Db(node).CreateDbContextAsync();
        return await db.Runs.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    private static async Task<List<Run>> RunsAsync(ForecastAppFactory node, List<int> ids)
    {
        await using var db = await Db(node).CreateDbContextAsync();
        return await db.Runs.AsNoTracking().Where(r => ids.Contains(r.Id)).ToListAsync();
    }

    internal static async Task<int> DatasetAsync(ForecastAppFactory node)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(TestSeries.SineCsv()));
        return (await node.Services.GetRequiredService<DatasetService>().ImportAsync(stream, "sine.csv", null, null, new CsvImportOptions(), node.AdminCaller)).Id;
    }
}
