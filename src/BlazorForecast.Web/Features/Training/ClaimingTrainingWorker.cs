using System.Collections.Concurrent;
using BlazorForecast.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Features.Training;

/// <summary>
/// A training worker on its own machine, sharing the queue through PostgreSQL (<see cref="RunClaims"/>): it claims the
/// oldest run it can serve, has the <see cref="RunTrainer"/> train it with the same engine as the web process, renews
/// its claims and says it is alive every heartbeat, stops a run within a batch once someone asks (notified, and read
/// again every heartbeat in case a notification was missed), and gives runs of dead workers back to the queue. An idle
/// worker claims a run as soon as one is queued (notified; it also looks every poll). Shut down, it hands its runs back
/// to resume elsewhere.
/// </summary>
public sealed partial class ClaimingTrainingWorker(
    IDbContextFactory<ForecastDbContext> dbFactory,
    RunTrainer trainer,
    IRunEventPublisher events,
    IOptions<TrainingWorkerOptions> options,
    IOptions<TrainingQueueOptions> queue,
    TimeProvider time,
    ILogger<ClaimingTrainingWorker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<int, CancellationTokenSource> _training = new();
    private readonly SemaphoreSlim _queued = new(0, 1);

    private TrainingWorkerOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(logger, Options.Name, Options.Device);
        var listening = PostgresListener.ListenAsync(dbFactory, new Dictionary<string, Func<string, Task>>
        {
            [PostgresRunEvents.CancelChannel] = StopAsync,
            [PostgresRunEvents.QueuedChannel] = _ => WakeUp(),
        }, logger, stoppingToken);
        var active = new List<Task>();
        var nextHeartbeat = DateTime.MinValue;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var now = time.GetUtcNow().UtcDateTime;
                    if (now >= nextHeartbeat)
                    {
                        await HeartbeatAsync(now, stoppingToken);
                        nextHeartbeat = now + Options.Heartbeat;
                    }

                    active.RemoveAll(t => t.IsCompleted);
                    if (active.Count < Math.Max(1, queue.Value.MaxConcurrentTrainings) && await ClaimAsync(stoppingToken) is int runId)
                    {
                        active.Add(Task.Run(() => TrainClaimedAsync(runId, stoppingToken), CancellationToken.None));
                        continue;
                    }
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or DbUpdateException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
                {
                    // The database did not answer (restarting, or the network): the worker waits and asks again rather than stop.
                    LogDatabaseUnavailable(logger, ex);
                    await Task.Delay(Options.Heartbeat, time, stoppingToken);
                }

                using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                await Task.WhenAny(_queued.WaitAsync(poll.Token), Task.Delay(Options.Poll, time, poll.Token));
                await poll.CancelAsync();
                stoppingToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await Task.WhenAll(active);
            await listening.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    // A run was queued somewhere: the next look for one happens now.
    private Task WakeUp()
    {
        try
        {
            _queued.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }

        return Task.CompletedTask;
    }

    public override void Dispose()
    {
        _queued.Dispose();
        base.Dispose();
    }

    // A stop request notified by any web node: the run stops within a batch if this worker trains it.
    private Task StopAsync(string payload) =>
        int.TryParse(payload, System.Globalization.CultureInfo.InvariantCulture, out var runId) ? StopAsync(runId) : Task.CompletedTask;

    private async Task StopAsync(int runId)
    {
        if (!_training.TryGetValue(runId, out var cancellation))
        {
            return;
        }

        try
        {
            await cancellation.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The training ended between the lookup and the stop.
        }
    }

    private async Task<int?> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await RunClaims.ClaimNextAsync(db, Options.Name, Options.HasGpu, time.GetUtcNow().UtcDateTime, Options.Lease, cancellationToken);
    }

    // Says this worker is alive, renews its claims, stops the runs someone asked to stop, and releases dead workers' runs.
    private async Task HeartbeatAsync(DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var me = await db.Workers.FirstOrDefaultAsync(w => w.Name == Options.Name, cancellationToken);
        if (me is null)
        {
            db.Workers.Add(new TrainingWorkerHeartbeat { Name = Options.Name, Device = Options.Device, StartedAt = now, LastSeenAt = now });
        }
        else
        {
            (me.Device, me.LastSeenAt) = (Options.Device, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var stop in await RunClaims.RenewAsync(db, Options.Name, _training.Keys.ToList(), now + Options.Lease, cancellationToken))
        {
            await StopAsync(stop);
        }

        var (requeued, givenUp) = await RunClaims.ReleaseExpiredAsync(db, now, Options.MaxAttempts, cancellationToken);
        foreach (var runId in requeued)
        {
            await events.PublishAsync(new RunStatusChanged(runId, RunStatus.Queued, "Its worker stopped answering; queued again to resume from its last checkpoint.", null, null));
        }

        foreach (var runId in givenUp)
        {
            await events.PublishAsync(new RunStatusChanged(runId, RunStatus.Interrupted, "Its workers kept stopping; it was not queued again.", null, null));
        }
    }

    private async Task TrainClaimedAsync(int runId, CancellationToken stoppingToken)
    {
        Run? run;
        await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken.None))
        {
            run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, CancellationToken.None);
        }

        if (run is null)
        {
            return;
        }

        using var cancellation = new CancellationTokenSource();
        _training[runId] = cancellation;
        await using var shutdown = stoppingToken.Register(cancellation.Cancel);
        try
        {
            LogClaimed(logger, runId, Options.Name);
            await trainer.TrainAsync(run, cancellation, CancellationToken.None, Options.HasGpu ? Forecasting.Training.DeviceChoice.Cuda : Forecasting.Training.DeviceChoice.Cpu);
        }
        finally
        {
            _training.TryRemove(runId, out _);
        }

        if (stoppingToken.IsCancellationRequested)
        {
            await HandBackAsync(runId);
        }
    }

    // A worker shutting down stops its runs within a batch; those nobody asked to stop go back to the queue to resume.
    private async Task HandBackAsync(int runId)
    {
        const string Detail = "Its worker was shut down; queued again to resume from its last checkpoint.";
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var handedBack = await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Cancelled && !r.CancelRequested)
            .ExecuteUpdateAsync(set => RunClaims.Release(set, RunStatus.Queued, Detail));
        if (handedBack == 1)
        {
            await events.PublishAsync(new RunStatusChanged(runId, RunStatus.Queued, Detail, null, null));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Training worker {Name} started on {Device}")]
    private static partial void LogStarted(ILogger logger, string name, string device);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database did not answer the training worker; trying again")]
    private static partial void LogDatabaseUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} claimed by {Name}")]
    private static partial void LogClaimed(ILogger logger, int runId, string name);
}
