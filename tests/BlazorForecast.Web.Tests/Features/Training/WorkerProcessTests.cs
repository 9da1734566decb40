using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Web.Tests.Features.Training;

/// <summary>
/// Real `blazorforecast worker` processes with the real engine, beside a web app that trains nothing itself, on the
/// test PostgreSQL cluster. Skipped with the reason where PostgreSQL is not installed or the command line is not built.
/// </summary>
public sealed class WorkerProcessTests
{
    [SkippableFact]
    public async Task FiveQueuedRuns_SpreadOverTwoWorkerProcesses_AndNoneIsClaimedTwice()
    {
        var (web, dataset) = await WebAppAsync();
        await using var app = web;
        await using var workers = new WorkerProcesses();
        workers.Start(web.PostgresConnectionString!, "left");
        workers.Start(web.PostgresConnectionString!, "right");
        await Wait.ForAsync(() => web.CountRowsAsync("Workers"), n => n == 2, "both workers to say they are alive", 60);

        var runs = web.Services.GetRequiredService<RunService>();
        var ids = new List<int>();
        for (var horizon = 1; horizon <= 5; horizon++)
        {
            ids.Add(await runs.CreateAsync(new RunRequest(dataset, new ForecastConfig
            {
                Targets = ["Close"],
                Lookback = 16,
                Horizon = horizon,
                Model = new ModelOptions { Kind = ModelKind.Mlp, HiddenSize = 64, Layers = 2 },
                Training = new TrainingOptions { MaxEpochs = 30, Patience = 30, Device = DeviceChoice.Cpu },
            }), web.AdminCaller));
        }

        var finished = new List<Run>();
        try
        {
            foreach (var id in ids)
            {
                finished.Add(await Wait.ForAsync(() => ClaimingWorkerTests.RunAsync(web, id), r => r.Status is not (RunStatus.Queued or RunStatus.Running), $"run {id} to finish", 120));
            }
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} The workers said:{Environment.NewLine}{workers.Output()}", ex);
        }

        Assert.All(finished, r => Assert.Equal((RunStatus.Succeeded, 1), (r.Status, r.Attempts)));
        Assert.Equal(["left", "right"], finished.Select(r => r.ClaimedBy).Distinct().Order());
    }

    [SkippableFact]
    public async Task AWorkerKilledMidRun_ItsRunResumesOnAnother_AndEndsAsAnUninterruptedRunWould()
    {
        var (web, dataset) = await WebAppAsync();
        await using var app = web;
        await using var workers = new WorkerProcesses();

        var config = new ForecastConfig
        {
            Targets = ["Close"],
            Transform = TargetTransform.LogReturn,
            Lookback = 16,
            Horizon = 2,
            Model = new ModelOptions { Kind = ModelKind.Mlp, HiddenSize = 16, Layers = 1 },
            // Enough epochs that polling sees the run partway even when other tests keep the machine busy (at 40, it once
            // had ended before the poll saw its fifth).
            Training = new TrainingOptions { MaxEpochs = 200, Patience = 200, Device = DeviceChoice.Cpu },
        };
        var runs = web.Services.GetRequiredService<RunService>();

        var first = workers.Start(web.PostgresConnectionString!, "first");
        var id = await runs.CreateAsync(new RunRequest(dataset, config), web.AdminCaller);
        var partway = await Wait.ForAsync(() => ClaimingWorkerTests.RunAsync(web, id), r => r.ClaimedBy == "first" && r.EpochsDone >= 5, "the first worker to train five epochs", 60);
        first.Kill(entireProcessTree: true);
        await first.WaitForExitAsync();
        Assert.True(partway.EpochsDone < config.Training.MaxEpochs, "the run had ended before the worker was killed");

        workers.Start(web.PostgresConnectionString!, "second");
        var finished = await Wait.ForAsync(() => ClaimingWorkerTests.RunAsync(web, id), r => r.Status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Interrupted,
            "the second worker to finish the run", 120);
        Assert.Equal(RunStatus.Succeeded, finished.Status);
        Assert.Equal(("second", 2), (finished.ClaimedBy, finished.Attempts));

        // The reference: the same run trained once more, without a break, the way the resumed run was (a worker process,
        // one thread), not in this test process, where other tests train at the same time with other thread settings.
        var again = await runs.CreateAsync(new RunRequest(dataset, config), web.AdminCaller);
        var uninterrupted = await Wait.ForAsync(() => ClaimingWorkerTests.RunAsync(web, again), r => r.Status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Interrupted,
            "the second worker to train the run again without a break", 120);
        Assert.Equal((RunStatus.Succeeded, 1), (uninterrupted.Status, uninterrupted.Attempts));
        var expected = uninterrupted.TestRmse!.Value;
        Assert.True(Math.Abs(finished.TestRmse!.Value - expected) <= 1e-6 * expected, $"resumed RMSE {finished.TestRmse:R}, uninterrupted {expected:R}");
        await using var db = await web.Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>().CreateDbContextAsync();
        var epochs = await db.RunEpochs.Where(e => e.RunId == id || e.RunId == again).OrderBy(e => e.Epoch).ToListAsync();
        var (resumed, reference) = (epochs.Where(e => e.RunId == id).ToList(), epochs.Where(e => e.RunId == again).ToList());
        Assert.Equal(Enumerable.Range(1, config.Training.MaxEpochs), resumed.Select(e => e.Epoch));
        Assert.Equal(reference.Select(e => e.Epoch), resumed.Select(e => e.Epoch));
        Assert.All(resumed.Zip(reference), pair => Assert.Equal(pair.Second.ValidationLoss, pair.First.ValidationLoss, 1e-6 * pair.Second.ValidationLoss));
    }

    // The web app over PostgreSQL, training nothing itself, with a dataset; the test is skipped where PostgreSQL or the
    // command line is missing.
    private static async Task<(ForecastAppFactory Web, int Dataset)> WebAppAsync()
    {
        PostgresTestServer.SkipIfUnavailable();
        Skip.If(WorkerProcesses.CommandLine is null, WorkerProcesses.NotBuilt);
        var web = new ForecastAppFactory(database: DatabaseProvider.PostgreSql,
            settings: new Dictionary<string, string?> { ["BlazorForecast:Training:InProcess"] = "false" });
        _ = web.Server;
        return (web, await ClaimingWorkerTests.DatasetAsync(web));
    }
}
