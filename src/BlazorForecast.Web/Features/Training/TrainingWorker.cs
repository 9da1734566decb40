using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Features.Training;

/// <summary>
/// The web process's own training: takes queued runs in order and has the <see cref="RunTrainer"/> train each, at most
/// <see cref="TrainingQueueOptions.MaxConcurrentTrainings"/> at once, registered so a stop request reaches it. At
/// start-up, runs left Running by a stopped server become Interrupted and queued runs are taken up again.
/// </summary>
public sealed class TrainingWorker(
    IDbContextFactory<ForecastDbContext> dbFactory,
    RunService runs,
    PendingRuns pending,
    RunTrainer trainer,
    IOptions<TrainingQueueOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RecoverAsync(stoppingToken);
        pending.MarkRecovered();
        using var slots = new SemaphoreSlim(Math.Max(1, options.Value.MaxConcurrentTrainings));
        var active = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var runId = await pending.DequeueAsync(stoppingToken);
                await slots.WaitAsync(stoppingToken);
                active.RemoveAll(t => t.IsCompleted);
                active.Add(Task.Run(async () =>
                {
                    try
                    {
                        await ProcessAsync(runId, stoppingToken);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await Task.WhenAll(active);
        }
    }

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Runs.Where(r => r.Status == RunStatus.Running).ExecuteUpdateAsync(set => set
            .SetProperty(r => r.Status, RunStatus.Interrupted)
            .SetProperty(r => r.StatusDetail, "The server stopped during training; resume from the last checkpoint or retry."), cancellationToken);
        foreach (var id in await db.Runs.Where(r => r.Status == RunStatus.Queued).OrderBy(r => r.CreatedAt).Select(r => r.Id).ToListAsync(cancellationToken))
        {
            pending.Enqueue(id);
        }
    }

    private async Task ProcessAsync(int runId, CancellationToken stoppingToken)
    {
        Run? run;
        await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
        {
            run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, stoppingToken);
        }

        if (run is not { Status: RunStatus.Queued })
        {
            return;
        }

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var registration = runs.RegisterRunning(runId, cancellation);
        await trainer.TrainAsync(run, cancellation, stoppingToken);
    }
}
