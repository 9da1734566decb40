using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Team;
using BlazorForecast.Web.Features.Training;
using BlazorForecast.Web.Tests.Features.Training;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Web.Tests.Features.Sweeps;

/// <summary>Sweeps over HTTP and the hub, with the scripted engine: a config's validation loss grows with its hidden size.</summary>
public sealed class SweepApiTests : IDisposable
{
    private readonly ScriptedTrainingEngine _engine = new()
    {
        EpochPause = TimeSpan.FromMilliseconds(15),
        ValidationLoss = (config, epoch) => (config.Model.HiddenSize / 10.0) + (1.0 / epoch),
    };

    private readonly ForecastAppFactory _app;
    private readonly HttpClient _client;

    public SweepApiTests()
    {
        _app = new ForecastAppFactory(services: s => s.AddSingleton<ITrainingEngine>(_engine));
        _client = _app.CreateClient();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Sweep_StopsLosersEarly_WithholdsTrialTestScores_ThenRetrainsTheBestOnValidationOnTheBaseSeeds()
    {
        // Epochs long enough that a stop decided after epoch 1 reaches the training before its last epoch, even on a busy
        // machine (at 100 ms, a clean clone's CI once saw a loser complete first).
        _engine.EpochPause = TimeSpan.FromMilliseconds(250);
        var dataset = await DatasetAsync();

        var created = await _client.PostAsJsonAsync("api/sweeps", Body(dataset, """{"hiddenSize": [8, 16, 32, 64]}""", epochs: 6));

        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("id").GetInt32();
        Assert.Equal($"/api/sweeps/{id}", created.Headers.Location?.OriginalString);

        // While it searches, a finished trial's test scores are withheld everywhere.
        var searching = await Wait.ForAsync(() => SweepAsync(id), s => s.GetProperty("trials").EnumerateArray().Any(Ended) || Status(s) != "Searching", "a trial to end", 30);
        if (Status(searching) == "Searching")
        {
            var trial = searching.GetProperty("trials").EnumerateArray().First(Ended).GetProperty("runId").GetInt32();
            var metrics = await _client.GetAsync($"api/runs/{trial}/metrics");
            Assert.Equal(HttpStatusCode.Conflict, metrics.StatusCode);
            Assert.Contains("withheld until its sweep has its result", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var run = await _client.GetFromJsonAsync<JsonElement>($"api/runs/{trial}");
            Assert.Equal(JsonValueKind.Null, run.GetProperty("run").GetProperty("testRmse").ValueKind);
            Assert.True(run.GetProperty("run").GetProperty("testScoresWithheld").GetBoolean());
            Assert.Equal(JsonValueKind.Null, run.GetProperty("results").ValueKind);
        }

        var finished = await Wait.ForAsync(() => SweepAsync(id), s => Status(s) is "Finished" or "Failed" or "Cancelled", "the sweep to finish", 60);
        Assert.Equal("Finished", Status(finished));
        var trials = finished.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(4, trials.Count);
        Assert.Equal([0, 1, 2, 3], trials.Select(t => t.GetProperty("number").GetInt32()));

        // The smallest model has the lowest validation loss; every trial that came after it was stopped at the first rung.
        var best = trials.Single(t => Setting(t, "hiddenSize") == "8");
        Assert.Equal("Complete", best.GetProperty("state").GetString());
        Assert.Equal(0.8 + (1.0 / 6), best.GetProperty("objective").GetDouble(), 9);
        foreach (var later in trials.Where(t => t.GetProperty("number").GetInt32() > best.GetProperty("number").GetInt32()))
        {
            Assert.Equal("Stopped", later.GetProperty("state").GetString());
            Assert.Equal("Cancelled", later.GetProperty("status").GetString());
            Assert.StartsWith("Stopped early by successive halving after epoch 1:", later.GetProperty("stoppedEarlyBecause").GetString(), StringComparison.Ordinal);
            Assert.InRange(later.GetProperty("epochsTrained").GetInt32(), 1, 5);
        }

        var summary = finished.GetProperty("summary");
        Assert.Equal(best.GetProperty("runId").GetInt32(), summary.GetProperty("chosenRunId").GetInt32());
        var result = await _client.GetFromJsonAsync<JsonElement>($"api/runs/{summary.GetProperty("resultRunId").GetInt32()}");
        Assert.Equal("Succeeded", result.GetProperty("run").GetProperty("status").GetString());
        Assert.Equal("Result", result.GetProperty("run").GetProperty("sweepRole").GetString());
        Assert.Equal(2, result.GetProperty("run").GetProperty("seeds").GetInt32());
        Assert.Equal(0.25, result.GetProperty("run").GetProperty("testRmse").GetDouble());

        // Once the sweep has its result, trials' test scores are shown (labelled on the page as not used for selection).
        Assert.All(trials.Where(t => t.GetProperty("status").GetString() == "Succeeded"), t => Assert.Equal(0.25, t.GetProperty("testRmse").GetDouble()));
        var stopped = trials.Count(t => t.GetProperty("state").GetString() == "Stopped");
        Assert.Equal(trials.Where(t => t.GetProperty("state").GetString() == "Stopped").Sum(t => 6 - t.GetProperty("epochsTrained").GetInt32()),
            finished.GetProperty("epochsSavedAtMost").GetInt32());
        Assert.True(stopped == trials.Count(t => t.GetProperty("number").GetInt32() > best.GetProperty("number").GetInt32()));

        // Trials stay off the runs list; the result is on it. Neither can be deleted on its own.
        var list = await _client.GetFromJsonAsync<JsonElement>("api/runs");
        Assert.Equal([summary.GetProperty("resultRunId").GetInt32()], list.EnumerateArray().Select(r => r.GetProperty("id").GetInt32()));
        var deleteTrial = await _client.DeleteAsync($"api/runs/{best.GetProperty("runId").GetInt32()}");
        Assert.Equal(HttpStatusCode.Conflict, deleteTrial.StatusCode);
        Assert.Contains($"is trial {best.GetProperty("number").GetInt32() + 1} of sweep {id}; delete the sweep to remove its runs.",
            await deleteTrial.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await _client.DeleteAsync($"api/runs/{summary.GetProperty("resultRunId").GetInt32()}")).StatusCode);
    }

    [Fact]
    public async Task ABadSweep_Answers400WithEveryProblem_AndStoresNothing()
    {
        var dataset = await DatasetAsync();
        var body = new
        {
            datasetId = dataset,
            baseConfig = new { targets = new[] { "Close" }, lookback = 10, walkForwardFolds = 3, model = new { kind = "Mlp" }, training = new { maxEpochs = 4 } },
            definition = new
            {
                space = JsonDocument.Parse("""{"colour": ["red"], "hiddenSize": {"int": [8, 9000]}, "dropout": {"uniform": [0.5, 0.1]}}""").RootElement,
                maxTrials = 1000,
                concurrency = 0,
                method = "Grid",
                ensemble = "Greedy",
            },
        };

        var response = await _client.PostAsJsonAsync("api/sweeps", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problems = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Contains(problems, p => p.StartsWith("Unknown setting 'colour'.", StringComparison.Ordinal));
        Assert.Contains("'dropout': [0.5, 0.1] is not a range; its low end must be below its high end.", problems);
        Assert.Contains("The number of trials must be from 1 to 200 on this server, not 1,000.", problems);
        Assert.Contains("Trials at once must be from 1 to 4 on this server, not 0.", problems);
        Assert.Contains(problems, p => p.StartsWith("An ensemble needs one chronological split: walk-forward folds each have their own test segment.", StringComparison.Ordinal));
        Assert.Equal(0L, await _app.CountRowsAsync("Sweeps"));
        Assert.Equal(0L, await _app.CountRowsAsync("Runs"));

        var limits = await _client.PostAsJsonAsync("api/sweeps", Body(dataset, """{"hiddenSize": {"int": [8, 9000]}}""", method: "Random"));
        Assert.Equal(HttpStatusCode.BadRequest, limits.StatusCode);
        Assert.Equal(["hiddenSize = 9000: The hidden size is 9,000; this server allows at most 1,024."],
            (await limits.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("problems").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task AnEnsembleSweep_ScoresTheBestTrialsBlendBesideTheResult_AndFinishesWhenBothHaveEnded()
    {
        var dataset = await DatasetAsync();

        var created = await _client.PostAsJsonAsync("api/sweeps", Body(dataset, """{"hiddenSize": [8, 16, 32, 64]}""", earlyStopping: "None", ensemble: "Greedy"));

        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("id").GetInt32();
        var finishing = await Wait.ForAsync(() => SweepAsync(id), s => Status(s) != "Searching", "the search to end", 30);
        if (Status(finishing) == "Finishing")
        {
            // Until both have ended, the ensemble's test score is withheld like the trials'.
            Assert.Contains("and an ensemble of the 3 best trials", finishing.GetProperty("summary").GetProperty("statusDetail").GetString(), StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.Null, finishing.GetProperty("ensemble").GetProperty("testRmse").ValueKind);
        }

        var finished = await Wait.ForAsync(() => SweepAsync(id), s => Status(s) is not ("Searching" or "Finishing"), "the sweep to finish", 60);
        Assert.Equal("Finished", Status(finished));
        Assert.EndsWith("The ensemble of the 3 best trials is scored beside it.", finished.GetProperty("summary").GetProperty("statusDetail").GetString(), StringComparison.Ordinal);

        // The chosen trial first, then the next best on validation; each retrained on the base config's two seeds.
        var trials = finished.GetProperty("trials").EnumerateArray().ToDictionary(t => t.GetProperty("runId").GetInt32(), t => Setting(t, "hiddenSize"));
        var ensemble = finished.GetProperty("ensemble");
        Assert.Equal("Succeeded", ensemble.GetProperty("status").GetString());
        Assert.Equal("Greedy", ensemble.GetProperty("method").GetString());
        var members = ensemble.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(finished.GetProperty("summary").GetProperty("chosenRunId").GetInt32(), members[0].GetProperty("trialRunId").GetInt32());
        Assert.Equal(["8", "16", "32"], members.Select(m => trials[m.GetProperty("trialRunId").GetInt32()]));
        Assert.All(members, m => Assert.Equal(1.0 / 3, m.GetProperty("weight").GetDouble(), 12));
        Assert.Equal(0.2, ensemble.GetProperty("testRmse").GetDouble());
        var trained = Assert.Single(_engine.Ensembles);
        Assert.Equal([8, 16, 32], trained.Select(c => c.Model.HiddenSize));
        Assert.All(trained, c => Assert.Equal(2, c.Training.Seeds));

        // The ensemble is a run of its own: its members train in the place of folds, and it has no model to download.
        var ensembleId = ensemble.GetProperty("runId").GetInt32();
        var run = (await _client.GetFromJsonAsync<JsonElement>($"api/runs/{ensembleId}")).GetProperty("run");
        Assert.Equal(("Ensemble", "Succeeded", 3, 2, 6), (run.GetProperty("sweepRole").GetString(), run.GetProperty("status").GetString(),
            run.GetProperty("folds").GetInt32(), run.GetProperty("seeds").GetInt32(), run.GetProperty("partsDone").GetInt32()));
        var model = await _client.GetAsync($"api/runs/{ensembleId}/model");
        Assert.Equal(HttpStatusCode.Conflict, model.StatusCode);
        Assert.Contains($"Run {ensembleId} is a sweep's ensemble: it blends its members' forecasts", await model.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var forecast = await _client.GetAsync($"api/runs/{ensembleId}/forecast");
        Assert.Equal(HttpStatusCode.BadRequest, forecast.StatusCode);
        Assert.Contains("has no single model to forecast with", await forecast.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var delete = await _client.DeleteAsync($"api/runs/{ensembleId}");
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Contains($"is the ensemble of sweep {id}", await delete.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var list = await _client.GetFromJsonAsync<JsonElement>("api/runs");
        Assert.Equal([ensembleId, finished.GetProperty("summary").GetProperty("resultRunId").GetInt32()],
            list.EnumerateArray().Select(r => r.GetProperty("id").GetInt32()).Order().Reverse());
    }

    [Fact]
    public async Task ATrialOfTheSameNetworkAsAnEndedOne_IsNotTrained_SharesItsLoss_AndCannotBePicked()
    {
        var dataset = await DatasetAsync();

        var created = await _client.PostAsJsonAsync("api/sweeps",
            Body(dataset, """{"model": ["DLinear", "Mlp"], "hiddenSize": [8, 16]}""", earlyStopping: "None", pickAutomatically: false));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("id").GetInt32();
        var choosing = await Wait.ForAsync(() => SweepAsync(id), s => Status(s) != "Searching", "the search to end", 30);

        Assert.Equal("Choosing", Status(choosing));
        var trials = choosing.GetProperty("trials").EnumerateArray().ToList();
        var dlinear = trials.Where(t => Setting(t, "model") == "DLinear").OrderBy(t => t.GetProperty("number").GetInt32()).ToList();
        var (first, second) = (dlinear[0], dlinear[1]);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("sameAsTrial").ValueKind);
        Assert.Equal(first.GetProperty("number").GetInt32(), second.GetProperty("sameAsTrial").GetInt32());
        Assert.Equal(("Succeeded", "Complete", 0), (second.GetProperty("status").GetString(), second.GetProperty("state").GetString(), second.GetProperty("epochsTrained").GetInt32()));
        Assert.Equal(first.GetProperty("objective").GetDouble(), second.GetProperty("objective").GetDouble());
        Assert.StartsWith($"Not trained: the same network as trial {first.GetProperty("number").GetInt32() + 1}, since DLinear does not read",
            second.GetProperty("statusDetail").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, _engine.Horizons.Count);
        Assert.All(trials.Where(t => Setting(t, "model") == "Mlp"), t => Assert.Equal(JsonValueKind.Null, t.GetProperty("sameAsTrial").ValueKind));

        var picked = await _client.PostAsJsonAsync($"api/sweeps/{id}/pick", new { runId = second.GetProperty("runId").GetInt32() });
        Assert.Equal(HttpStatusCode.Conflict, picked.StatusCode);
        Assert.Contains($"it is the same network as trial {first.GetProperty("number").GetInt32() + 1}", await picked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api/sweeps", """{"datasetId": 1}""", "The sweep needs a baseConfig (a run's config) and a definition (its space and budget).")]
    [InlineData("api/sweeps", """{"datasetId": 1, "baseConfig": {}}""", "The sweep needs a baseConfig (a run's config) and a definition (its space and budget).")]
    [InlineData("api/runs", """{"datasetId": 1}""", "The run needs a config.")]
    [InlineData("api/runs", """{"datasetId": 1, "config": {"model": null, "targets": null}}""", "The config has no targets, model; leave a part out for its defaults rather than set it to null.")]
    [InlineData("api/sweeps", """{"datasetId": 1, "baseConfig": {"training": null}, "definition": {"space": {"layers": [1, 2]}}}""", "Base config: The config has no training;")]
    public async Task ABodyWithoutItsConfig_Answers400WithWhatIsMissing(string path, string body, string problem)
    {
        await DatasetAsync();

        var response = await _client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(problem, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASweepThatWaitsForAChoice_RetrainsOnlyACompletedTrialOfItsOwn()
    {
        var dataset = await DatasetAsync();
        var created = await _client.PostAsJsonAsync("api/sweeps", Body(dataset, """{"hiddenSize": [8, 64]}""", pickAutomatically: false));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("id").GetInt32();

        var choosing = await Wait.ForAsync(() => SweepAsync(id), s => Status(s) != "Searching", "the search to end", 30);

        Assert.Equal("Choosing", Status(choosing));
        Assert.StartsWith("The search is over. Pick the trial to retrain", choosing.GetProperty("summary").GetProperty("statusDetail").GetString(), StringComparison.Ordinal);
        var trials = choosing.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(JsonValueKind.Null, choosing.GetProperty("summary").GetProperty("resultRunId").ValueKind);
        var metrics = await _client.GetAsync($"api/runs/{trials[0].GetProperty("runId").GetInt32()}/metrics");
        Assert.Equal(HttpStatusCode.Conflict, metrics.StatusCode);

        var notATrial = await _client.PostAsJsonAsync($"api/sweeps/{id}/pick", new { runId = 999 });
        Assert.Equal(HttpStatusCode.Conflict, notATrial.StatusCode);
        Assert.Contains("Run 999 is not a completed trial of this sweep.", await notATrial.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var worse = trials.Single(t => Setting(t, "hiddenSize") == "64");
        var picked = await _client.PostAsJsonAsync($"api/sweeps/{id}/pick", new { runId = worse.GetProperty("runId").GetInt32() });
        var state = worse.GetProperty("state").GetString();
        if (state == "Complete")
        {
            // A person may pick a trial that is not the best on validation; the choice is recorded as theirs.
            Assert.Equal(HttpStatusCode.Accepted, picked.StatusCode);
            var finished = await Wait.ForAsync(() => SweepAsync(id), s => Status(s) == "Finished", "the result", 30);
            Assert.Equal(worse.GetProperty("runId").GetInt32(), finished.GetProperty("summary").GetProperty("chosenRunId").GetInt32());
        }
        else
        {
            Assert.Equal(HttpStatusCode.Conflict, picked.StatusCode);
        }
    }

    [Fact]
    public async Task Cancel_StopsTheSweepAndItsRuns_ThenAnswers409()
    {
        _engine.EpochPause = TimeSpan.FromMilliseconds(200);
        var dataset = await DatasetAsync();
        var created = await _client.PostAsJsonAsync("api/sweeps", Body(dataset, """{"hiddenSize": [8, 16, 32, 64]}""", concurrency: 2, epochs: 20));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("id").GetInt32();
        await Wait.ForAsync(() => SweepAsync(id), s => s.GetProperty("trials").EnumerateArray().Any(t => t.GetProperty("status").GetString() == "Running"), "a trial to train", 20);

        Assert.Equal(HttpStatusCode.Accepted, (await _client.PostAsync($"api/sweeps/{id}/cancel", null)).StatusCode);

        var cancelled = await Wait.ForAsync(() => SweepAsync(id),
            s => s.GetProperty("trials").EnumerateArray().All(t => t.GetProperty("status").GetString() is not ("Queued" or "Running")), "the trials to stop", 20);
        Assert.Equal("Cancelled", Status(cancelled));
        Assert.Equal(2, cancelled.GetProperty("trials").GetArrayLength());
        Assert.All(cancelled.GetProperty("trials").EnumerateArray(), t => Assert.Equal("Cancelled", t.GetProperty("status").GetString()));
        var again = await _client.PostAsync($"api/sweeps/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"api/sweeps/{id}")).StatusCode);
        Assert.Equal(0L, await _app.CountRowsAsync("Runs"));
    }

    [Fact]
    public async Task Access_ViewersCannotStart_OthersCannotStop_PrivateSweepsAreInvisible()
    {
        var dataset = await DatasetAsync();
        var (viewer, _) = await _app.CreateClientAsAsync(TeamRole.Viewer, "Vera Viewer");
        var (member, _) = await _app.CreateClientAsAsync(TeamRole.Member, "Max Member");
        using (viewer)
        using (member)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("api/sweeps", Body(dataset, """{"hiddenSize": [8]}"""))).StatusCode);

            var created = await _client.PostAsJsonAsync("api/sweeps", Body(dataset, """{"hiddenSize": [8, 16]}""", visibility: "Private"));
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("id").GetInt32();
            Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync($"api/sweeps/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await member.PostAsync($"api/sweeps/{id}/cancel", null)).StatusCode);
            Assert.Empty((await member.GetFromJsonAsync<JsonElement>("api/sweeps")).EnumerateArray());

            var shared = await _client.PostAsJsonAsync("api/sweeps", Body(dataset, """{"hiddenSize": [8, 16]}""", visibility: "Team"));
            var sharedId = (await shared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("id").GetInt32();
            Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"api/sweeps/{sharedId}")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsync($"api/sweeps/{sharedId}/cancel", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"api/sweeps/{sharedId}")).StatusCode);
        }
    }

    [Fact]
    public async Task Hub_JoinSweep_GivesTheSweepAndSendsEachChangeUntilTheResult()
    {
        await using var app = new ForecastAppFactory(services: s => s.AddSingleton<ITrainingEngine>(_engine));
        var address = app.StartKestrel();
        var dataset = await DatasetAsync(app);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(address, TrainingHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(app.AdminToken))
            .Build();
        var changes = new List<JsonElement>();
        hub.On<JsonElement>("SweepChanged", c =>
        {
            lock (changes)
            {
                changes.Add(c);
            }
        });
        await hub.StartAsync();
        using var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new("Bearer", app.AdminToken);
        _engine.EpochPause = TimeSpan.FromMilliseconds(60);
        var created = await client.PostAsJsonAsync("api/sweeps", Body(dataset, """{"hiddenSize": [8, 16, 32]}"""));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("id").GetInt32();

        var joined = await hub.InvokeAsync<JsonElement>("JoinSweep", id);

        Assert.Equal(id, joined.GetProperty("summary").GetProperty("id").GetInt32());
        Assert.Equal(["hiddenSize"], joined.GetProperty("settings").EnumerateArray().Select(s => s.GetString()));
        await Wait.UntilAsync(() => { lock (changes) { return changes.Any(c => c.GetProperty("status").GetString() == "Finished"); } }, "the hub to say the sweep finished", 30);
        lock (changes)
        {
            Assert.Contains(changes, c => c.GetProperty("status").GetString() == "Finishing");
            Assert.Equal(3, changes.Last().GetProperty("trialsEnded").GetInt32());
            Assert.Equal(0.8 + 0.25, changes.Last().GetProperty("bestObjective").GetDouble(), 9);
        }

        var refused = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<JsonElement>("JoinSweep", 999));
        Assert.Contains("There is no sweep 999.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARestartedServer_CarriesOnWithASearchingSweep_UntilItsResult()
    {
        using var folder = new TestDataFolder();
        var engine = new ScriptedTrainingEngine { EpochPause = TimeSpan.FromMilliseconds(150), ValidationLoss = _engine.ValidationLoss };
        int id;
        await using (var first = new ForecastAppFactory(services: s => s.AddSingleton<ITrainingEngine>(engine), dataDirectory: folder.Path))
        {
            using var client = first.CreateClient();
            var dataset = await DatasetAsync(first);
            var created = await client.PostAsJsonAsync("api/sweeps", Body(dataset, """{"hiddenSize": [8, 16, 32, 64]}""", epochs: 3, method: "Random"));
            id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("id").GetInt32();
            await Wait.ForAsync(() => client.GetFromJsonAsync<JsonElement>($"api/sweeps/{id}"),
                s => s.GetProperty("trials").EnumerateArray().Any(Ended) && s.GetProperty("trials").EnumerateArray().Any(t => t.GetProperty("status").GetString() == "Running"),
                "one trial to end and the next to train", 30);
        }

        engine.EpochPause = TimeSpan.FromMilliseconds(10);
        await using var second = new ForecastAppFactory(services: s => s.AddSingleton<ITrainingEngine>(engine), dataDirectory: folder.Path);
        using var again = second.CreateClient();

        var finished = await Wait.ForAsync(() => again.GetFromJsonAsync<JsonElement>($"api/sweeps/{id}"),
            s => Status(s) is not ("Searching" or "Finishing"), "the sweep to end after the restart", 60);

        Assert.Equal("Finished", Status(finished));
        var trials = finished.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(4, trials.Count);
        Assert.All(trials, t => Assert.False(t.GetProperty("status").GetString() is "Queued" or "Running"));
        if (second.Database == DatabaseProvider.Sqlite)
        {
            // On PostgreSQL the trial that was training is not interrupted: once its lease passes it is queued again and resumed.
            Assert.Contains(trials, t => t.GetProperty("status").GetString() is "Interrupted" or "Cancelled");
        }

        // After the restart the search went on: a trial proposed then trained (or shared the network of one that had).
        var stoppedBy = trials.Where(t => t.GetProperty("status").GetString() == "Interrupted").Select(t => t.GetProperty("number").GetInt32()).DefaultIfEmpty(-1).Max();
        Assert.Contains(trials.Where(t => t.GetProperty("number").GetInt32() > stoppedBy),
            t => t.GetProperty("epochsTrained").GetInt32() > 0 || t.GetProperty("sameAsTrial").ValueKind == JsonValueKind.Number);
        Assert.Contains(trials, t => t.GetProperty("state").GetString() == "Complete");
    }

    private static object Body(
        int dataset, string space, bool pickAutomatically = true, int concurrency = 1, int epochs = 4, string? visibility = null, string method = "Grid",
        string earlyStopping = "SuccessiveHalving", string ensemble = "None") => new
    {
        datasetId = dataset,
        name = "Hidden sizes",
        visibility,
        baseConfig = new { targets = new[] { "Close" }, lookback = 10, model = new { kind = "Mlp" }, training = new { maxEpochs = epochs, seeds = 2 } },
        definition = new
        {
            space = JsonDocument.Parse(space).RootElement,
            method,
            maxTrials = 4,
            concurrency,
            earlyStopping,
            minEpochs = 1,
            reductionFactor = 2,
            pickAutomatically,
            ensemble,
        },
    };

    private async Task<JsonElement> SweepAsync(int id) => await _client.GetFromJsonAsync<JsonElement>($"api/sweeps/{id}");

    private static string Status(JsonElement sweep) => sweep.GetProperty("summary").GetProperty("status").GetString()!;

    private static bool Ended(JsonElement trial) => trial.GetProperty("status").GetString() is not ("Queued" or "Running");

    private static string Setting(JsonElement trial, string name) =>
        trial.GetProperty("settings").EnumerateArray().Single(s => s.GetProperty("key").GetString() == name).GetProperty("value").GetString()!;

    private Task<int> DatasetAsync() => DatasetAsync(_app);

    private static async Task<int> DatasetAsync(ForecastAppFactory app)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(TestSeries.SineCsv()));
        return (await app.Services.GetRequiredService<DatasetService>().ImportAsync(stream, "sine.csv", null, null, new CsvImportOptions(), app.AdminCaller)).Id;
    }
}
