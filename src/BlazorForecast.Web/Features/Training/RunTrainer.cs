using System.Text.Json;
using System.Threading.Channels;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Sweeps;
using Microsoft.EntityFrameworkCore;

namespace BlazorForecast.Web.Features.Training;

/// <summary>
/// Trains one run, wherever the run was taken from (the web process's own queue, or a claim by a training worker on
/// another machine): the engine runs on a dedicated thread (libtorch's dispose scopes are thread-bound); epochs,
/// finished trainings and checkpoints are persisted and published as they come, and the outcome is saved in one
/// transaction.
/// </summary>
public sealed partial class RunTrainer(
    IDbContextFactory<ForecastDbContext> dbFactory,
    DatasetFrames datasets,
    IRunEventPublisher events,
    ITrainingEngine engine,
    TimeProvider time,
    ILogger<RunTrainer> logger)
{
    private const string DatasetDeleted = "The dataset of this run was deleted.";

    /// <summary>
    /// Trains a run taken from the queue: marks it running on its device, continues from its checkpoint when it is
    /// resumed, and finishes it (succeeded, stopped or failed with the reason in words) in one transaction. Stopping
    /// <paramref name="cancellation"/> stops training within a batch; the run then keeps what it trained. A training
    /// worker names its <paramref name="device"/>, where runs that leave the choice to the server then train.
    /// </summary>
    public async Task TrainAsync(Run run, CancellationTokenSource cancellation, CancellationToken stoppingToken, DeviceChoice? device = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(cancellation);
        var runId = run.Id;
        try
        {
            var config = JsonSerializer.Deserialize<ForecastConfig>(run.ConfigJson, ForecastJson.Options)!;
            var frame = (await datasets.ForConfigAsync(run.DatasetId, config, stoppingToken))?.Frame
                ?? throw new InvalidOperationException(DatasetDeleted);
            if (device is DeviceChoice placed && config.Training.Device == DeviceChoice.Auto)
            {
                config = config with { Training = config.Training with { Device = placed } };
            }

            var trainsOn = engine.DeviceFor(config);
            await UpdateAsync(runId, r =>
            {
                r.Status = RunStatus.Running;
                r.StartedAt = time.GetUtcNow().UtcDateTime;
                r.Device = trainsOn;
            });
            await events.PublishAsync(new RunStatusChanged(runId, RunStatus.Running, null, trainsOn, null) { Worker = run.ClaimedBy });

            var resumeFrom = run.ResumeFromCheckpoint ? await LoadResumePointAsync(runId) : null;
            var ensemble = run.EnsembleJson is null ? null : JsonSerializer.Deserialize<EnsemblePlan>(run.EnsembleJson, ForecastJson.Options)!;
            var outcome = await TrainOnDedicatedThreadAsync(runId, (progress, checkpointed) => ensemble is null
                ? engine.Train(frame, config, progress, checkpointed, resumeFrom, cancellation.Token)
                : engine.TrainEnsemble(frame, ensemble.Members.Select(m => m.Config).ToList(), ensemble.Method, progress, checkpointed, resumeFrom, cancellation.Token),
                cancellation);
            var status = outcome.StopReason switch
            {
                StopReason.Cancelled => RunStatus.Cancelled,
                StopReason.NonFiniteLoss => RunStatus.Failed,
                _ => RunStatus.Succeeded,
            };
            await FinishAsync(runId, run.ClaimedBy, status, outcome.Detail, outcome, ensemble);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogRunFailed(logger, runId, ex);
            await FinishAsync(runId, run.ClaimedBy, RunStatus.Failed, FailureText(ex, runId), null, null);
        }
    }

    /// <summary>
    /// The trainings a stopped run finished (reused, not trained again) and the checkpoint of the one it was in. Epochs
    /// of trainings that will run again are dropped, so the stored history matches what is replayed.
    /// </summary>
    private async Task<ResumePoint> LoadResumePointAsync(int runId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var completed = (await db.RunParts.AsNoTracking().Where(p => p.RunId == runId).ToListAsync())
            .Select(p => new PartTrained(JsonSerializer.Deserialize<TrainingSummary>(p.SummaryJson, ForecastJson.Options)!, p.Weights)
            {
                Fold = p.Fold,
                SeedIndex = p.SeedIndex,
            })
            .ToList();
        var bytes = await db.RunArtifacts.Where(a => a.RunId == runId).Select(a => a.Checkpoint).FirstOrDefaultAsync();
        var checkpoint = bytes is null ? null : JsonSerializer.Deserialize<TrainingCheckpoint>(bytes, ForecastJson.Options);
        var resume = new ResumePoint(completed, checkpoint);
        if (checkpoint is not null && resume.CompletedPart(checkpoint.Fold, checkpoint.SeedIndex) is not null)
        {
            resume = resume with { Checkpoint = null };
        }

        var trained = await db.RunEpochs.Where(e => e.RunId == runId).Select(e => new { e.Fold, e.SeedIndex }).Distinct().ToListAsync();
        foreach (var part in trained.Where(p => resume.CompletedPart(p.Fold, p.SeedIndex) is null))
        {
            var kept = resume.CheckpointOf(part.Fold, part.SeedIndex)?.EpochsDone ?? 0;
            await db.RunEpochs.Where(e => e.RunId == runId && e.Fold == part.Fold && e.SeedIndex == part.SeedIndex && e.Epoch > kept).ExecuteDeleteAsync();
        }

        await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(set => set
            .SetProperty(r => r.PartsDone, completed.Count)
            .SetProperty(r => r.EpochsDone, resume.Checkpoint == null ? 0 : resume.Checkpoint.EpochsDone));
        return resume;
    }

    // Runs the engine on a thread of its own; what it reports is persisted and published here, in order.
    private async Task<TrainingOutcome> TrainOnDedicatedThreadAsync(
        int runId, Func<IProgress<TrainingProgress>, Action<TrainingCheckpoint>, TrainingOutcome> train, CancellationTokenSource cancellation)
    {
        var updates = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        var completion = new TaskCompletionSource<TrainingOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                completion.SetResult(train(new ChannelProgress(updates.Writer, time), checkpoint => updates.Writer.TryWrite(checkpoint)));
            }
            catch (Exception ex)
            {
                completion.SetException(ex);
            }
            finally
            {
                updates.Writer.TryComplete();
            }
        })
        {
            IsBackground = true,
            Name = $"training-run-{runId}",
        };
        thread.Start();

        try
        {
            await foreach (var update in updates.Reader.ReadAllAsync(CancellationToken.None))
            {
                await PersistAndPublishAsync(runId, update);
            }
        }
        catch (Exception)
        {
            // What training reports can no longer be kept: stop training within a batch rather than let it run on
            // unseen, and wait for the thread so the run is not marked failed while it still trains.
            await cancellation.CancelAsync();
            await completion.Task.ContinueWith(_ => { }, TaskScheduler.Default);
            throw;
        }

        return await completion.Task;
    }

    private async Task PersistAndPublishAsync(int runId, object update)
    {
        switch (update)
        {
            case StampedEpoch(var e, var completedAt):
                await using (var db = await dbFactory.CreateDbContextAsync())
                {
                    db.RunEpochs.Add(new RunEpoch
                    {
                        RunId = runId,
                        Fold = e.Fold,
                        SeedIndex = e.SeedIndex,
                        Epoch = e.Epoch,
                        TrainLoss = e.TrainLoss,
                        ValidationLoss = e.ValidationLoss,
                        LearningRate = e.LearningRate,
                        DurationSeconds = e.Duration.TotalSeconds,
                        SamplesPerSecond = e.SamplesPerSecond,
                        CompletedAt = completedAt,
                    });
                    var run = await db.Runs.FirstAsync(r => r.Id == runId);
                    run.EpochsDone = e.Epoch;
                    run.BestValidationLoss = run.BestValidationLoss is double best ? Math.Min(best, e.ValidationLoss) : e.ValidationLoss;
                    await db.SaveChangesAsync();
                }

                await events.PublishAsync(new RunEpochCompleted(runId, e.Epoch, e.MaxEpochs, e.TrainLoss, e.ValidationLoss, e.LearningRate,
                    e.Duration.TotalSeconds, e.SamplesPerSecond, e.IsBest, completedAt) { Fold = e.Fold, SeedIndex = e.SeedIndex, Seed = e.Seed });
                break;
            case PartTrained part:
                await using (var db = await dbFactory.CreateDbContextAsync())
                {
                    db.RunParts.Add(new RunPart
                    {
                        RunId = runId,
                        Fold = part.Fold,
                        SeedIndex = part.SeedIndex,
                        SummaryJson = JsonSerializer.Serialize(part.Summary, ForecastJson.Options),
                        Weights = part.BestWeights,
                    });
                    var run = await db.Runs.FirstAsync(r => r.Id == runId);
                    run.PartsDone++;
                    run.EpochsDone = run.PartsDone < run.Seeds * run.Folds ? 0 : run.EpochsDone;
                    await db.SaveChangesAsync();
                }

                break;
            case BatchCompleted b:
                await events.PublishAsync(new RunBatchProgress(runId, b.Epoch, b.Batch, b.Batches) { Fold = b.Fold, SeedIndex = b.SeedIndex, Seed = b.Seed });
                break;
            case TrainingCheckpoint checkpoint:
                await SaveArtifactAsync(runId, a => a.Checkpoint = JsonSerializer.SerializeToUtf8Bytes(checkpoint, ForecastJson.Options));
                break;
        }
    }

    // Saves how the run ended, unless the worker that trained it (claimedBy; null for the web process's own queue) no
    // longer holds it.
    private async Task FinishAsync(int runId, string? claimedBy, RunStatus status, string detail, TrainingOutcome? outcome, EnsemblePlan? ensemble)
    {
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var run = await db.Runs.FirstAsync(r => r.Id == runId);
            if (run.ClaimedBy != claimedBy)
            {
                // A worker taken for dead that came back: another worker has this run now, and its outcome is the one kept.
                LogNoLongerHeld(logger, runId, claimedBy);
                return;
            }

            run.Status = status;
            run.StatusDetail = detail;
            run.FinishedAt = time.GetUtcNow().UtcDateTime;
            if (outcome is not null)
            {
                run.Device = outcome.Device;
                run.TestRmse = double.IsFinite(outcome.TestRmse ?? double.NaN) ? outcome.TestRmse : null;
                run.ResultJson = outcome.ResultJson;
                run.AssessmentJson = outcome.AssessmentJson;
                var artifact = await ArtifactOfAsync(db, runId);
                artifact.Model = outcome.Model;
                artifact.Predictions = outcome.Predictions;
                if (ensemble is not null && outcome.MemberWeights is { } weights)
                {
                    run.EnsembleJson = JsonSerializer.Serialize(ensemble.WithWeights(weights) with { VersusChosen = outcome.VersusFirstMember }, ForecastJson.Options);
                }
            }

            if (status != RunStatus.Cancelled)
            {
                // Finished trainings are kept only to resume a stopped run; a run that ended otherwise cannot resume.
                await db.RunParts.Where(p => p.RunId == runId).ExecuteDeleteAsync();
            }

            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        await events.PublishAsync(new RunStatusChanged(runId, status, detail, outcome?.Device, null));
    }

    private async Task SaveArtifactAsync(int runId, Action<RunArtifact> change)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        change(await ArtifactOfAsync(db, runId));
        await db.SaveChangesAsync();
    }

    // A run has at most one artefact row, created by whichever comes first: a checkpoint or the final model.
    private static async Task<RunArtifact> ArtifactOfAsync(ForecastDbContext db, int runId)
    {
        var artifact = await db.RunArtifacts.FirstOrDefaultAsync(a => a.RunId == runId);
        if (artifact is null)
        {
            artifact = new RunArtifact { RunId = runId };
            db.RunArtifacts.Add(artifact);
        }

        return artifact;
    }

    private async Task UpdateAsync(int runId, Action<Run> change)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var run = await db.Runs.FirstAsync(r => r.Id == runId);
        change(run);
        await db.SaveChangesAsync();
    }

    // What a person reads when a run fails: the reason in their terms where there is one, never an exception's text
    // meant for developers (that goes to the server's log, which the message points to).
    private static string FailureText(Exception ex, int runId) => ex switch
    {
        ForecastConfigException config => string.Join(" ", config.Problems),
        OutOfMemoryException => "The server ran out of memory during training; try a smaller batch, model or lookback.",
        _ when ex.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase) => "The device ran out of memory during training; try a smaller batch, model or lookback.",
        InvalidOperationException when ex.Message == DatasetDeleted => DatasetDeleted,
        JoinException join => $"Its inputs cannot be joined any more: {string.Join(" ", join.Problems)}",
        DeviceUnavailableException => ex.Message,
        _ => $"Training failed because of an internal error; the server's log has the details (run {runId}). Retry the run, and report it if it fails again.",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} ended here, but worker {Worker} no longer holds it: its outcome was not kept")]
    private static partial void LogNoLongerHeld(ILogger logger, int runId, string? worker);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} failed")]
    private static partial void LogRunFailed(ILogger logger, int runId, Exception exception);

    /// <summary>
    /// Hands progress from the training thread to the persisting loop without blocking training; epochs are stamped
    /// here, when training finished them, so the time viewers see excludes the persisting and sending after.
    /// </summary>
    private sealed class ChannelProgress(ChannelWriter<object> writer, TimeProvider time) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) =>
            writer.TryWrite(value is EpochCompleted epoch ? new StampedEpoch(epoch, WholeMicroseconds(time.GetUtcNow().UtcDateTime)) : value);

        // PostgreSQL keeps microseconds: an epoch's time as stored is then exactly the one published live.
        private static DateTime WholeMicroseconds(DateTime time) => new(time.Ticks - (time.Ticks % 10), DateTimeKind.Utc);
    }

    private sealed record StampedEpoch(EpochCompleted Epoch, DateTime CompletedAt);
}
