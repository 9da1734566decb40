using System.Net;
using System.Net.Http.Json;
using System.Text;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Runs;
using BlazorForecast.Web.Features.Training;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Web.Tests.Features.Training;

public sealed class TrainingWorkerTests : IDisposable
{
    private readonly ScriptedTrainingEngine _engine = new();
    private readonly ForecastAppFactory _app;

    public TrainingWorkerTests()
    {
        _app = new ForecastAppFactory(services: s => s.AddSingleton<ITrainingEngine>(_engine));
        _ = _app.Server;
    }

    private RunService Runs => _app.Services.GetRequiredService<RunService>();

    public void Dispose() => _app.Dispose();

    private async Task<int> DatasetAsync()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(TestSeries.SineCsv()));
        return (await _app.Services.GetRequiredService<DatasetService>().ImportAsync(stream, "sine.csv", null, null, new CsvImportOptions(), _app.AdminCaller)).Id;
    }

    private static ForecastConfig Config(int horizon = 1, int epochs = 3, int lookback = 10) => new()
    {
        Targets = ["Close"],
        Lookback = lookback,
        Horizon = horizon,
        Model = new ModelOptions { Kind = ModelKind.Mlp },
        Training = new TrainingOptions { MaxEpochs = epochs },
    };

    // A minute, as for runs over HTTP: these runs take a second or two, but a machine busy with other tests can stall them.
    private Task<RunSummary> WaitForAsync(int runId, Func<RunSummary, bool> done) =>
        Wait.ForAsync(async () => (await Runs.GetAsync(runId))!, done, $"run {runId} to reach the expected state", seconds: 60);

    private static bool Finished(RunSummary run) => run.Status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled;

    [Fact]
    public async Task Runs_TrainInQueueOrder_OneAtATime_AndPersistTheirEpochs()
    {
        var dataset = await DatasetAsync();

        var ids = new List<int>();
        foreach (var horizon in new[] { 1, 2, 3 })
        {
            ids.Add(await Runs.CreateAsync(new RunRequest(dataset, Config(horizon)), _app.AdminCaller));
        }

        foreach (var id in ids)
        {
            var run = await WaitForAsync(id, Finished);
            Assert.Equal(RunStatus.Succeeded, run.Status);
            Assert.Equal(3, run.EpochsDone);
            Assert.Equal(0.25, run.TestRmse);
            Assert.Equal("cpu", run.Device);
        }

        Assert.Equal([1, 2, 3], _engine.Horizons);
        Assert.Equal(1, _engine.MaxConcurrent);
        var snapshot = await Runs.SnapshotAsync(ids[0]);
        Assert.Equal([1, 2, 3], snapshot!.Epochs.Select(e => e.Epoch));
    }

    [Fact]
    public async Task Cancel_RunningRun_EndsCancelled_QueuedRunNeverTrains()
    {
        _engine.EpochPause = TimeSpan.FromMilliseconds(100);
        var dataset = await DatasetAsync();
        var running = await Runs.CreateAsync(new RunRequest(dataset, Config(horizon: 1, epochs: 50)), _app.AdminCaller);
        var queued = await Runs.CreateAsync(new RunRequest(dataset, Config(horizon: 2, epochs: 50)), _app.AdminCaller);
        await WaitForAsync(running, r => r.EpochsDone >= 1);

        Assert.True(await Runs.CancelAsync(queued, _app.AdminCaller));
        Assert.True(await Runs.CancelAsync(running, _app.AdminCaller));

        var stopped = await WaitForAsync(running, Finished);
        Assert.Equal(RunStatus.Cancelled, stopped.Status);
        Assert.True(stopped.EpochsDone < 50);
        Assert.Equal(RunStatus.Cancelled, (await WaitForAsync(queued, Finished)).Status);
        Assert.DoesNotContain(2, _engine.Horizons);
        Assert.False(await Runs.CancelAsync(running, _app.AdminCaller));
    }

    [Fact]
    public async Task Resume_AfterAStop_ContinuesFromTheLastCheckpoint()
    {
        // The engine holds after epoch 2 until stopped, so the stop lands there however busy the machine is.
        _engine.HoldUntilCancelledAfter = (0, 2);
        var dataset = await DatasetAsync();
        var id = await Runs.CreateAsync(new RunRequest(dataset, Config(epochs: 12)), _app.AdminCaller);
        await WaitForAsync(id, r => r.EpochsDone == 2);
        await Runs.CancelAsync(id, _app.AdminCaller);
        var stopped = await WaitForAsync(id, Finished);
        Assert.Equal((RunStatus.Cancelled, 2), (stopped.Status, stopped.EpochsDone));

        Assert.Null(await Runs.ResumeAsync(id, _app.AdminCaller));
        var resumed = await WaitForAsync(id, r => r.Status == RunStatus.Succeeded);

        Assert.Equal(12, resumed.EpochsDone);
        Assert.Equal([0, 2], _engine.StartedAfter);
        Assert.Equal(Enumerable.Range(1, 12), (await Runs.SnapshotAsync(id))!.Epochs.Select(e => e.Epoch));
        Assert.Equal("Only stopped or interrupted runs can be resumed; this one is Succeeded.", await Runs.ResumeAsync(id, _app.AdminCaller));
    }

    [Fact]
    public async Task Retry_StartsOverFromScratch()
    {
        var dataset = await DatasetAsync();
        var id = await Runs.CreateAsync(new RunRequest(dataset, Config(epochs: 2)), _app.AdminCaller);
        await WaitForAsync(id, Finished);

        Assert.Null(await Runs.RetryAsync(id, _app.AdminCaller));
        var retried = await WaitForAsync(id, r => r.Status == RunStatus.Succeeded && _engine.StartedAfter.Count == 2);

        Assert.Equal([0, 0], _engine.StartedAfter);
        Assert.Equal(2, retried.EpochsDone);
        Assert.Equal([1, 2], (await Runs.SnapshotAsync(id))!.Epochs.Select(e => e.Epoch));
    }

    [Fact]
    public async Task Failure_EndsFailedWithTheReason_AndTheNextRunStillTrains()
    {
        _engine.FailingLookback = 7;
        var dataset = await DatasetAsync();
        var failing = await Runs.CreateAsync(new RunRequest(dataset, Config(lookback: 7)), _app.AdminCaller);
        var next = await Runs.CreateAsync(new RunRequest(dataset, Config()), _app.AdminCaller);

        var failed = await WaitForAsync(failing, Finished);
        var succeeded = await WaitForAsync(next, Finished);

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Equal($"Training failed because of an internal error; the server's log has the details (run {failing}). Retry the run, and report it if it fails again.", failed.StatusDetail);
        Assert.DoesNotContain("scripted failure", failed.StatusDetail, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Succeeded, succeeded.Status);
    }

    [Fact]
    public async Task SeveralSeedsAndFolds_PersistEveryTrainingsEpochs_AndCountTheTrainingsDone()
    {
        var dataset = await DatasetAsync();
        var config = Config(epochs: 2) with { WalkForwardFolds = 2, Training = new TrainingOptions { MaxEpochs = 2, Seeds = 3, Seed = 10 } };

        var id = await Runs.CreateAsync(new RunRequest(dataset, config), _app.AdminCaller);
        var run = await WaitForAsync(id, Finished);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal((3, 2, 6), (run.Seeds, run.Folds, run.PartsDone));
        Assert.Equal("all 6 trainings done", run.ProgressText);
        var snapshot = await Runs.SnapshotAsync(id);
        Assert.Equal((3, 2, 10), (snapshot!.Seeds, snapshot.Folds, snapshot.FirstSeed));
        Assert.Equal(
            [(0, 0, 1), (0, 0, 2), (0, 1, 1), (0, 1, 2), (0, 2, 1), (0, 2, 2), (1, 0, 1), (1, 0, 2), (1, 1, 1), (1, 1, 2), (1, 2, 1), (1, 2, 2)],
            snapshot.Epochs.Select(e => (e.Fold, e.SeedIndex, e.Epoch)));
        Assert.Equal([10, 10, 11, 11, 12, 12], snapshot.Epochs.Take(6).Select(e => e.Seed));

        // Finished trainings are kept for resuming only: a run that succeeded no longer needs them.
        var factory = _app.Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        Assert.False(await db.RunParts.AnyAsync(p => p.RunId == id));
    }

    [Fact]
    public async Task Resume_OfASeveralSeedRun_ReusesTheFinishedSeeds_AndContinuesTheStoppedOne()
    {
        // The engine holds in the second seed's second epoch until stopped, so even a busy machine stops it there.
        _engine.EpochPause = TimeSpan.FromMilliseconds(50);
        _engine.HoldUntilCancelledAfter = (1, 2);
        var dataset = await DatasetAsync();
        var config = Config() with { Training = new TrainingOptions { MaxEpochs = 6, Seeds = 3 } };
        var id = await Runs.CreateAsync(new RunRequest(dataset, config), _app.AdminCaller);
        await WaitForAsync(id, r => r.PartsDone == 1 && r.EpochsDone == 2);
        await Runs.CancelAsync(id, _app.AdminCaller);
        var stopped = await WaitForAsync(id, Finished);
        Assert.Equal(RunStatus.Cancelled, stopped.Status);
        Assert.Equal(1, stopped.PartsDone);

        Assert.Null(await Runs.ResumeAsync(id, _app.AdminCaller));
        Assert.StartsWith("Resuming at training 2 of 3, after epoch", (await Runs.GetAsync(id))!.StatusDetail, StringComparison.Ordinal);
        var resumed = await WaitForAsync(id, r => r.Status == RunStatus.Succeeded);

        Assert.Equal(3, resumed.PartsDone);
        Assert.Equal([(0, 0)], _engine.Reused[1]);
        Assert.Equal([0, stopped.EpochsDone], _engine.StartedAfter);
        var epochs = (await Runs.SnapshotAsync(id))!.Epochs;
        foreach (var seed in new[] { 0, 1, 2 })
        {
            Assert.Equal(Enumerable.Range(1, 6), epochs.Where(e => e.SeedIndex == seed).Select(e => e.Epoch));
        }
    }

    [Fact]
    public async Task AStoppedAttemptsRegistrationEndingLate_LeavesTheResumedAttemptStoppable()
    {
        using var stopped = new CancellationTokenSource();
        using var resumed = new CancellationTokenSource();
        var first = Runs.RegisterRunning(42, stopped);
        using (Runs.RegisterRunning(42, resumed))
        {
            first.Dispose();

            Assert.True(await Runs.StopRunningAsync(42));
            Assert.True(resumed.IsCancellationRequested);
            Assert.False(stopped.IsCancellationRequested);
        }
    }

    [Fact]
    public async Task InvalidConfig_IsRefusedWithEveryProblem()
    {
        var dataset = await DatasetAsync();

        var error = await Assert.ThrowsAsync<RunValidationException>(() =>
            Runs.CreateAsync(new RunRequest(dataset, Config(lookback: 1000) with { Targets = ["Open"] }), _app.AdminCaller));

        Assert.Contains(error.Problems, p => p.StartsWith("Unknown target column 'Open'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Api_PostRun_Returns202_ThenGetShowsTheResult()
    {
        var dataset = await DatasetAsync();
        using var client = _app.CreateClient();

        var response = await client.PostAsJsonAsync("/api/runs", new { datasetId = dataset, name = "api run", config = new { targets = new[] { "Close" }, lookback = 10, horizon = 2, model = new { kind = "Mlp" }, training = new { maxEpochs = 2 } } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt32();
        await WaitForAsync(id, Finished);
        var details = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/runs/{id}");
        Assert.Equal("Succeeded", details.GetProperty("run").GetProperty("status").GetString());
        Assert.Equal("api run", details.GetProperty("run").GetProperty("name").GetString());
        Assert.Equal(1, details.GetProperty("results").GetArrayLength());
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/runs/{id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/runs/{id}/resume", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/runs/999/retry", null)).StatusCode);
    }

    [Fact]
    public async Task Api_PostRunWithBadConfig_Returns400WithProblems()
    {
        var dataset = await DatasetAsync();
        using var client = _app.CreateClient();

        var response = await client.PostAsJsonAsync("/api/runs", new { datasetId = dataset, config = new { targets = new[] { "Nope" } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.StartsWith("Unknown target column 'Nope'", problem.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hub_TwoClientsInAGroup_ReceiveIdenticalSequences_AndALateJoinerCatchesUp()
    {
        var started = DateTime.UtcNow;
        _engine.EpochPause = TimeSpan.FromMilliseconds(60);
        var dataset = await DatasetAsync();
        await using var first = Connect();
        await using var second = Connect();
        var firstEpochs = new List<int>();
        var secondEpochs = new List<int>();
        var completedAt = new List<string>();
        var firstDone = new TaskCompletionSource();
        first.On<System.Text.Json.JsonElement>("EpochCompleted", e =>
        {
            lock (firstEpochs)
            {
                firstEpochs.Add(e.GetProperty("epoch").GetInt32());
                completedAt.Add(e.GetProperty("completedAt").GetString()!);
            }
        });
        second.On<System.Text.Json.JsonElement>("EpochCompleted", e => { lock (secondEpochs) { secondEpochs.Add(e.GetProperty("epoch").GetInt32()); } });
        first.On<System.Text.Json.JsonElement>("StatusChanged", e =>
        {
            if (e.GetProperty("status").GetString() == "Succeeded")
            {
                firstDone.TrySetResult();
            }
        });
        await first.StartAsync();
        await second.StartAsync();

        // Queue a run, and join its group before it can start (a blocker keeps the worker busy first).
        var blocker = await Runs.CreateAsync(new RunRequest(dataset, Config(epochs: 25)), _app.AdminCaller);
        var id = await Runs.CreateAsync(new RunRequest(dataset, Config(epochs: 5)), _app.AdminCaller);
        await first.InvokeAsync<System.Text.Json.JsonElement>("JoinRun", id);
        await second.InvokeAsync<System.Text.Json.JsonElement>("JoinRun", id);
        await firstDone.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await WaitForAsync(blocker, Finished);
        await Task.Delay(100);

        Assert.Equal([1, 2, 3, 4, 5], firstEpochs);
        Assert.Equal(firstEpochs, secondEpochs);

        await using var late = Connect();
        await late.StartAsync();
        var snapshot = await late.InvokeAsync<System.Text.Json.JsonElement>("JoinRun", id);
        Assert.Equal("Succeeded", snapshot.GetProperty("status").GetString());
        Assert.Equal([1, 2, 3, 4, 5], snapshot.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()));

        // Epoch times are UTC instants from the training thread, and the persisted ones read back the same.
        var live = completedAt.Select(t => DateTime.Parse(t, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind)).ToList();
        Assert.All(completedAt, t => Assert.EndsWith("Z", t, StringComparison.Ordinal));
        Assert.All(live, t => Assert.InRange(t, started, DateTime.UtcNow));
        Assert.Equal(live.Order(), live);
        Assert.Equal(live, snapshot.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("completedAt").GetDateTime()));
    }

    [Fact]
    public async Task WhileARunTrains_ItsDeviceIsKnown_InTheApi_TheJoinSnapshot_AndTheStatusEvent()
    {
        _engine.EpochPause = TimeSpan.FromMilliseconds(100);
        var dataset = await DatasetAsync();
        await using var hub = Connect();
        var running = new TaskCompletionSource<System.Text.Json.JsonElement>();
        hub.On<System.Text.Json.JsonElement>("StatusChanged", e =>
        {
            if (e.GetProperty("status").GetString() == "Running")
            {
                running.TrySetResult(e);
            }
        });
        await hub.StartAsync();
        var blocker = await Runs.CreateAsync(new RunRequest(dataset, Config(epochs: 3)), _app.AdminCaller);
        var id = await Runs.CreateAsync(new RunRequest(dataset, Config(epochs: 20)), _app.AdminCaller);
        await hub.InvokeAsync<System.Text.Json.JsonElement>("JoinRun", id);

        Assert.Equal("cpu", (await running.Task.WaitAsync(TimeSpan.FromSeconds(20))).GetProperty("device").GetString());
        await WaitForAsync(id, r => r.EpochsDone >= 1);
        using var client = _app.CreateClient();
        var record = (await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/runs/{id}")).GetProperty("run");
        Assert.Equal("Running", record.GetProperty("status").GetString());
        Assert.Equal("cpu", record.GetProperty("device").GetString());
        Assert.Equal("cpu", (await hub.InvokeAsync<System.Text.Json.JsonElement>("JoinRun", id)).GetProperty("device").GetString());
        await Runs.CancelAsync(id, _app.AdminCaller);
        await WaitForAsync(blocker, Finished);
    }

    [Fact]
    public async Task ARunThatInsistsOnAMissingGpu_FailsWithThatReason_BeforeTraining()
    {
        var dataset = await DatasetAsync();
        var config = Config();
        var id = await Runs.CreateAsync(new RunRequest(dataset, config with { Training = config.Training with { Device = DeviceChoice.Cuda } }), _app.AdminCaller);
        if (_app.Database == DatabaseProvider.PostgreSql)
        {
            // Training workers claim only what they can serve: this CPU worker leaves the run queued for a GPU worker.
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Equal(RunStatus.Queued, (await Runs.GetAsync(id))!.Status);
            Assert.Empty(_engine.Horizons);
            return;
        }

        var failed = await WaitForAsync(id, Finished);

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Equal("The run asks for a GPU (cuda), but this scripted server has none.", failed.StatusDetail);
        Assert.Equal(0, failed.EpochsDone);
        Assert.Empty(_engine.Horizons);
    }

    [Fact]
    public async Task Hub_UnknownRun_IsAnError()
    {
        await using var client = Connect();
        await client.StartAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => client.InvokeAsync<System.Text.Json.JsonElement>("JoinRun", 4242));

        Assert.Contains("There is no run 4242.", error.Message, StringComparison.Ordinal);
    }

    private HubConnection Connect() => new HubConnectionBuilder()
        .WithUrl(new Uri(_app.Server.BaseAddress, TrainingHub.Path), o =>
        {
            o.HttpMessageHandlerFactory = _ => _app.Server.CreateHandler();
            o.AccessTokenProvider = () => Task.FromResult<string?>(_app.AdminToken);
        })
        .Build();
}

public sealed class TrainingRecoveryTests
{
    [Fact]
    public async Task RunningRunsAtStartUp_BecomeInterrupted()
    {
        var engine = new ScriptedTrainingEngine();
        string folder;
        // The web process's own queue: on PostgreSQL, training workers' leases do this instead (ClaimingWorkerTests).
        await using (var first = new ForecastAppFactory(services: s => s.AddSingleton<ITrainingEngine>(engine), database: DatabaseProvider.Sqlite))
        {
            _ = first.Server;
            folder = first.DataPath;
            var factory = first.Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>();
            await using var db = await factory.CreateDbContextAsync();
            var dataset = db.Datasets.Add(new Dataset { Name = "d", OriginalFileName = "d.csv", Frequency = "Daily", DateColumn = "Date", DefaultTarget = "Close", QualityReportJson = "{}" }).Entity;
            await db.SaveChangesAsync();
            db.Runs.Add(new Run { DatasetId = dataset.Id, Name = "was running", ConfigJson = "{}", ModelKind = "Lstm", Status = RunStatus.Running });
            await db.SaveChangesAsync();

            // Starting a second host on the same database plays the restarted server.
            await using var restarted = new ForecastAppFactory(services: s =>
            {
                s.AddSingleton<ITrainingEngine>(engine);
            }, dataDirectory: folder, database: DatabaseProvider.Sqlite);
            _ = restarted.Server;
            await Task.Delay(200);
            var run = await restarted.Services.GetRequiredService<RunService>().GetAsync(1);

            Assert.Equal(RunStatus.Interrupted, run!.Status);
            Assert.Contains("resume", run.StatusDetail, StringComparison.Ordinal);
        }
    }
}
