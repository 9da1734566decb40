using System.Collections.Concurrent;
using System.Text.Json;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Sweeps;
using BlazorForecast.Web.Features.Team;
using BlazorForecast.Web.Features.Training;
using BlazorForecast.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Features.Runs;

/// <summary>A request to train: which dataset, what config, and a name and notes for people.</summary>
public sealed record RunRequest(int DatasetId, ForecastConfig Config, string? Name = null, string? Notes = null, Visibility? Visibility = null);

public enum RunSort
{
    Newest,
    TestRmse,
}

/// <summary>Filters and a page of the runs list.</summary>
public sealed record RunQuery(
    int? DatasetId = null, string? ModelKind = null, RunStatus? Status = null, RunSort Sort = RunSort.Newest, int Skip = 0, int Take = 50,
    string? Tag = null, bool OnlyMine = false);

/// <summary>A run as lists and the API show it.</summary>
public sealed record RunSummary(
    int Id, int DatasetId, string Name, string ModelKind, RunStatus Status, string? StatusDetail, DateTime CreatedAt,
    DateTime? StartedAt, DateTime? FinishedAt, string? Device, int EpochsDone, int MaxEpochs, double? BestValidationLoss,
    double? TestRmse, int? QueuePosition, string? Notes = null, IReadOnlyList<string>? Tags = null,
    string? OwnerId = null, string? OwnerName = null, Visibility Visibility = Visibility.Team, int Seeds = 1, int Folds = 1, int PartsDone = 0)
{
    public Ownership Access => new(OwnerId, Visibility);

    /// <summary>The sweep that queued the run (as a trial or as its result); null for a run started by hand.</summary>
    public int? SweepId { get; init; }

    public SweepRole SweepRole { get; init; }

    /// <summary>A trial's number in its sweep, from 0.</summary>
    public int? TrialNumber { get; init; }

    /// <summary>The training worker that trains (or last trained) the run; null where the web process trains runs itself.</summary>
    public string? Worker { get; init; }

    /// <summary>A trial's test scores are withheld while its sweep has no result (and <see cref="TestRmse"/> is null).</summary>
    public bool TestScoresWithheld { get; init; }

    /// <summary>Trainings in the run: every seed of every fold.</summary>
    public int Parts => Math.Max(1, Seeds * Folds);

    /// <summary>Share of the run's epoch budget done, 0–1 (early stopping ends a training before its budget).</summary>
    public double Progress => MaxEpochs == 0 ? 0
        : Parts == 1 ? (double)EpochsDone / MaxEpochs
        : Math.Min(1, (PartsDone + (PartsDone < Parts ? (double)EpochsDone / MaxEpochs : 0)) / Parts);

    /// <summary>Where training is, in words: "epoch 5 of 30", or "seed 2 of 3, fold 1 of 2 · epoch 5 of 30".</summary>
    public string ProgressText
    {
        get
        {
            if (Parts == 1)
            {
                return $"epoch {EpochsDone} of {MaxEpochs}";
            }

            if (PartsDone >= Parts)
            {
                return $"all {Parts} trainings done";
            }

            var where = new List<string>();
            if (Seeds > 1)
            {
                where.Add($"seed {(PartsDone % Seeds) + 1} of {Seeds}");
            }

            if (Folds > 1)
            {
                where.Add($"fold {(PartsDone / Seeds) + 1} of {Folds}");
            }

            return $"{string.Join(", ", where)} · epoch {EpochsDone} of {MaxEpochs}";
        }
    }
}

/// <summary>Body of PATCH /api/runs/{id}: what is given changes, what is null stays.</summary>
public sealed record RunUpdateRequest(string? Name = null, string? Notes = null, IReadOnlyList<string>? Tags = null, Visibility? Visibility = null);

/// <summary>A config that cannot run; every problem in words.</summary>
public sealed class RunValidationException(IReadOnlyList<string> problems) : Exception(string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>Creates, lists, reads and stops training runs; the worker does the training.</summary>
public sealed class RunService(
    IDbContextFactory<ForecastDbContext> dbFactory,
    DatasetService datasets,
    PendingRuns queue,
    IRunEventPublisher notifier,
    TeamRateLimits limits,
    ActivityLog activity,
    IOptions<TeamOptions> team,
    IOptions<TrainingQueueOptions> training,
    TimeProvider time)
{
    private const int MaxNameLength = 200;
    private const int MaxNotesLength = 4000;

    private readonly ConcurrentDictionary<int, CancellationTokenSource> _running = new();

    /// <summary>
    /// Queues a run owned by the caller on a dataset they may read; refused with every reason as a
    /// <see cref="RunValidationException"/>, or as a <see cref="RateLimitedException"/> when they launch too often.
    /// </summary>
    public async Task<int> CreateAsync(RunRequest request, Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);
        await EnsureMayStartOnAsync(request.DatasetId, caller, cancellationToken);
        if (request.Config is not { } requested)
        {
            throw new RunValidationException(["The run needs a config."]);
        }

        if (requested.MissingParts() is { } missing)
        {
            throw new RunValidationException([missing]);
        }

        RateLimitedException.ThrowIfLimited(limits, LimitedAction.RunLaunch, caller.UserId);
        var serverLimits = training.Value.Limits;
        var config = serverLimits.Apply(requested);
        var (joined, joinProblems) = await datasets.TrainingFrameAsync(request.DatasetId, config, caller, cancellationToken);
        var frame = joined?.Frame ?? throw new RunValidationException(joinProblems);

        var problems = TextProblems(request.Name, request.Notes).Concat(serverLimits.Problems(config)).Concat(config.Problems(frame)).ToList();
        if (problems.Count > 0)
        {
            throw new RunValidationException(problems);
        }

        var name = string.IsNullOrWhiteSpace(request.Name) ? $"{config.Model.Kind} {string.Join("+", config.Targets)} H{config.Horizon}{(config.Direction is null ? "" : " direction")}{(config.AcrossTargets is null ? "" : " across series")}" : request.Name.Trim();
        var run = Run.Queued(request.DatasetId, name, caller.UserId, request.Visibility ?? team.Value.DefaultVisibility, config, time.GetUtcNow().UtcDateTime);
        run.Notes = string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes.Trim();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.Runs.Add(run);
            await db.SaveChangesAsync(cancellationToken);
            activity.Add(db, caller, ActivityAction.Started, run);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        queue.Enqueue(run.Id);
        await notifier.PublishAsync(new RunStatusChanged(run.Id, RunStatus.Queued, null, null, await QueuePositionAsync(run.Id)));
        return run.Id;
    }

    /// <summary>
    /// Adds a model trained elsewhere (a .bfmodel file from another BlazorForecast or the CLI) as a finished run on a
    /// dataset. Who may import, the dataset and the rate limit are checked before the file is read; the file is read
    /// once, up to <paramref name="maxBytes"/>, its entries unpacked only up to the same size, and the model it declares
    /// held to this server's limits before it is built and tried on the dataset. It has no test scores here; its page
    /// offers Forecast now. Refused with every reason as a <see cref="RunValidationException"/>.
    /// </summary>
    public async Task<int> ImportModelAsync(
        Stream file, string fileName, int datasetId, string? name, Caller caller, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(caller);
        var frame = await ReadableFrameAsync(datasetId, caller, cancellationToken);
        RateLimitedException.ThrowIfLimited(limits, LimitedAction.Upload, caller.UserId);
        if (TextProblems(name, null) is { Count: > 0 } textProblems)
        {
            throw new RunValidationException(textProblems);
        }

        var shownName = Path.GetFileName(fileName);
        var bytes = await ReadAtMostAsync(file, maxBytes, shownName, cancellationToken);
        ModelBundle bundle;
        try
        {
            // Weights barely compress: twice the file's size leaves room for any real model and none for a zip bomb.
            bundle = ModelBundle.Load(new MemoryStream(bytes, writable: false), 2 * maxBytes);
            var problems = bundle.Problems().ToList();
            if (bundle.Universe is { } universe)
            {
                problems.Add($"It was trained across several series ({string.Join(", ", universe.Series)}); a run here forecasts one series, so it cannot be imported yet. The command line's forecast --series reads it.");
            }
            else if (bundle.Config is { Inputs.Count: > 0 } reading)
            {
                problems.Add($"It reads other datasets as inputs ({string.Join(", ", reading.Inputs.Select(i => i.Name))}), which an imported model cannot be joined to yet. The command line's forecast joins them from their files.");
            }
            else if (bundle.Config is { } declared && declared.MissingParts() is null)
            {
                problems.AddRange(training.Value.Limits.Problems(declared));
            }

            if (problems.Count > 0)
            {
                throw new RunValidationException([.. problems.Select(p => $"{shownName}: {p}")]);
            }

            await Task.Run(() => Forecaster.Forecast(bundle, frame), cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            throw new RunValidationException([$"{shownName}: {ex.Message}"]);
        }
        catch (ForecastConfigException ex)
        {
            throw new RunValidationException(ex.Problems);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var run = new Run
        {
            DatasetId = datasetId,
            Name = string.IsNullOrWhiteSpace(name) ? Truncate($"Imported {Path.GetFileNameWithoutExtension(shownName)}", MaxNameLength) : name.Trim(),
            ConfigJson = JsonSerializer.Serialize(bundle.Config, ForecastJson.Options),
            ModelKind = bundle.Config.Model.Kind.ToString(),
            Status = RunStatus.Succeeded,
            StatusDetail = $"Imported from {Truncate(shownName, 200)}: trained elsewhere, so it has no test scores here. Forecast now uses it.",
            ResultJson = Results.RunResultsService.ImportedModelResults,
            OwnerId = caller.UserId,
            Visibility = team.Value.DefaultVisibility,
            CreatedAt = now,
            StartedAt = now,
            FinishedAt = now,
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Runs.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        db.RunArtifacts.Add(new RunArtifact { RunId = run.Id, Model = bytes });
        activity.Add(db, caller, ActivityAction.Imported, run);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return run.Id;
    }

    // The whole file in one buffer, refused as soon as it passes the limit.
    private static async Task<byte[]> ReadAtMostAsync(Stream file, long maxBytes, string fileName, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await file.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new RunValidationException([$"{fileName}: {ByteSize.TooLarge(buffer.Length + read, maxBytes)}"]);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    /// <summary>
    /// One page of the runs the caller may read and their total count; filtering, sorting and paging happen in SQLite
    /// (indexed columns).
    /// </summary>
    public async Task<(IReadOnlyList<RunSummary> Items, int Total)> QueryAsync(RunQuery request, Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // A sweep's trials are listed on its page; the runs list keeps to runs people started and sweeps' results.
        var query = db.Runs.AsNoTracking().VisibleTo(caller).Where(r => r.SweepRole != SweepRole.Trial);
        if (request.DatasetId is not null)
        {
            query = query.Where(r => r.DatasetId == request.DatasetId);
        }

        if (!string.IsNullOrEmpty(request.ModelKind))
        {
            query = query.Where(r => r.ModelKind == request.ModelKind);
        }

        if (request.Status is not null)
        {
            query = query.Where(r => r.Status == request.Status);
        }

        if (request.OnlyMine)
        {
            var me = caller.UserId;
            query = query.Where(r => r.OwnerId == me);
        }

        if (!string.IsNullOrWhiteSpace(request.Tag))
        {
            var tag = request.Tag.Trim();
            query = query.Where(r => r.Tags.Any(t => t.Tag == tag));
        }

        var total = await query.CountAsync(cancellationToken);
        query = request.Sort == RunSort.TestRmse
            ? query.OrderBy(r => r.TestRmse == null).ThenBy(r => r.TestRmse).ThenByDescending(r => r.Id)
            : query.OrderByDescending(r => r.Id);
        var runs = await query.Skip(Math.Max(0, request.Skip)).Take(Math.Clamp(request.Take, 1, 500)).Include(r => r.Tags).ToListAsync(cancellationToken);
        var owners = await db.OwnerNamesAsync(runs.Select(r => r.OwnerId), cancellationToken);
        var positions = await QueuePositionsAsync(db, cancellationToken);
        return (runs.Select(r => Summarize(r, owners, positions)).ToList(), total);
    }

    public async Task<RunSummary?> GetAsync(int runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().Include(r => r.Tags).FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            return null;
        }

        var summary = Summarize(run, await db.OwnerNamesAsync([run.OwnerId], cancellationToken), await QueuePositionsAsync(db, cancellationToken));
        return await SweepTrials.TestScoresWithheldAsync(db, run.SweepRole, run.SweepId, cancellationToken)
            ? summary with { TestRmse = null, TestScoresWithheld = true }
            : summary;
    }

    /// <summary>Who owns a run and who may see it; null when it does not exist.</summary>
    public async Task<Ownership?> OwnershipAsync(int runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => new Ownership(r.OwnerId, r.Visibility)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Deletes a run that is not queued or running, with its epochs, results and model; the reason when it cannot.</summary>
    public async Task<string?> DeleteAsync(int runId, Caller by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || !by.CanRead(Ownership.Of(run)))
        {
            return $"There is no run {runId}.";
        }

        if (!by.CanEdit(Ownership.Of(run)))
        {
            return NotYours;
        }

        if (run.Status is RunStatus.Queued or RunStatus.Running)
        {
            return $"Run {runId} is {run.Status.ToString().ToLowerInvariant()}; stop it before deleting it.";
        }

        if (run.SweepId is int sweep)
        {
            // A sweep's record of its trials and its result must stay whole: its sampler and its page read them all.
            var role = run.SweepRole switch
            {
                SweepRole.Result => "the result",
                SweepRole.Ensemble => "the ensemble",
                _ => $"trial {run.TrialNumber + 1}",
            };
            return $"Run {runId} is {role} of sweep {sweep}; delete the sweep to remove its runs.";
        }

        // Cascades to epochs, tags, artefacts and share links; the feed's line goes in the same SaveChanges (one transaction).
        db.Runs.Remove(run);
        activity.Add(db, by, ActivityAction.Deleted, run);
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    private async Task<TimeSeriesFrame> ReadableFrameAsync(int datasetId, Caller caller, CancellationToken cancellationToken)
    {
        await EnsureMayStartOnAsync(datasetId, caller, cancellationToken);
        return (await datasets.GetFrameAsync(datasetId, cancellationToken))!;
    }

    // The caller may start (or import) a run on the dataset: they may read it and are not a viewer.
    private async Task EnsureMayStartOnAsync(int datasetId, Caller caller, CancellationToken cancellationToken)
    {
        var ownership = await datasets.OwnershipAsync(datasetId, cancellationToken);
        if (!caller.CanRead(ownership))
        {
            throw new RunValidationException([$"There is no dataset {datasetId}."]);
        }

        if (!caller.CanCreate)
        {
            throw new RunValidationException(["Viewers cannot start or import runs; ask an admin for the member role."]);
        }
    }

    /// <summary>The dataset, config and name of an earlier run, for cloning it.</summary>
    public async Task<(int DatasetId, ForecastConfig Config, string Name)?> ConfigAsync(int runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.DatasetId, r.ConfigJson, r.Name }).FirstOrDefaultAsync(cancellationToken);
        return run is null ? null : (run.DatasetId, JsonSerializer.Deserialize<ForecastConfig>(run.ConfigJson, ForecastJson.Options)!, run.Name);
    }

    public async Task<string?> ResultJsonAsync(int runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.ResultJson, r.SweepRole, r.SweepId }).FirstOrDefaultAsync(cancellationToken);
        return run is null || await SweepTrials.TestScoresWithheldAsync(db, run.SweepRole, run.SweepId, cancellationToken) ? null : run.ResultJson;
    }

    public async Task<RunSnapshot?> SnapshotAsync(int runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().Include(r => r.Epochs).FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            return null;
        }

        var firstSeed = JsonSerializer.Deserialize<ForecastConfig>(run.ConfigJson, ForecastJson.Options)!.Training.Seed;
        var epochs = run.Epochs.GroupBy(e => (e.Fold, e.SeedIndex)).OrderBy(g => g.Key).SelectMany(training =>
        {
            var best = double.PositiveInfinity;
            return training.OrderBy(e => e.Epoch).Select(e =>
            {
                var isBest = e.ValidationLoss < best;
                best = Math.Min(best, e.ValidationLoss);
                return new RunEpochCompleted(run.Id, e.Epoch, run.MaxEpochs, e.TrainLoss, e.ValidationLoss, e.LearningRate, e.DurationSeconds,
                    e.SamplesPerSecond, isBest, e.CompletedAt) { Fold = e.Fold, SeedIndex = e.SeedIndex, Seed = firstSeed + e.SeedIndex };
            });
        }).ToList();
        return new RunSnapshot(run.Id, run.Status, run.StatusDetail, run.Device, run.MaxEpochs, epochs)
        {
            Seeds = run.Seeds,
            Folds = run.Folds,
            FoldsAreMembers = run.SweepRole == SweepRole.Ensemble,
            FirstSeed = firstSeed,
            Worker = run.ClaimedBy,
        };
    }

    /// <summary>Stops a queued or running run; false when it has already finished, does not exist or is not the caller's to stop.</summary>
    public async Task<bool> CancelAsync(int runId, Caller by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (await OwnershipAsync(runId, cancellationToken) is not { } ownership || !by.CanEdit(ownership))
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await StopRunningAsync(runId))
        {
            await activity.AddAndSaveAsync(db, by, ActivityAction.Stopped, runId, cancellationToken);
            return true;
        }

        var cancelled = await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Queued).ExecuteUpdateAsync(set => set
            .SetProperty(r => r.Status, RunStatus.Cancelled)
            .SetProperty(r => r.StatusDetail, "Stopped before it started.")
            .SetProperty(r => r.FinishedAt, time.GetUtcNow().UtcDateTime), cancellationToken);
        if (cancelled == 1)
        {
            await activity.AddAndSaveAsync(db, by, ActivityAction.Stopped, runId, cancellationToken);
            await notifier.PublishAsync(new RunStatusChanged(runId, RunStatus.Cancelled, "Stopped before it started.", null, null));
        }

        return cancelled == 1;
    }

    /// <summary>
    /// Queues a cancelled or interrupted run again from its last checkpoint (same seed, so on CPU it ends as an
    /// uninterrupted run would). Returns the reason when it cannot, null when queued.
    /// </summary>
    public async Task<string?> ResumeAsync(int runId, Caller by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (AccessProblem(run, runId, by) is { } denied)
        {
            return denied;
        }

        if (run is not { Status: RunStatus.Cancelled or RunStatus.Interrupted })
        {
            return $"Only stopped or interrupted runs can be resumed; this one is {run!.Status}.";
        }

        var hasCheckpoint = await db.RunArtifacts.AnyAsync(a => a.RunId == runId && a.Checkpoint != null, cancellationToken)
            || await db.RunParts.AnyAsync(p => p.RunId == runId, cancellationToken);
        if (!hasCheckpoint)
        {
            return "This run has no checkpoint yet (it stopped before its first epoch ended); retry it instead.";
        }

        await RequeueAsync(db, run, resume: true, cancellationToken);
        return null;
    }

    /// <summary>Queues a finished, failed, cancelled or interrupted run again from scratch, dropping its epochs.</summary>
    public async Task<string?> RetryAsync(int runId, Caller by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (AccessProblem(run, runId, by) is { } denied)
        {
            return denied;
        }

        if (run is not { Status: RunStatus.Failed or RunStatus.Cancelled or RunStatus.Interrupted or RunStatus.Succeeded })
        {
            return $"A {run!.Status.ToString().ToLowerInvariant()} run cannot be retried.";
        }

        await db.RunEpochs.Where(e => e.RunId == runId).ExecuteDeleteAsync(cancellationToken);
        await db.RunArtifacts.Where(a => a.RunId == runId).ExecuteDeleteAsync(cancellationToken);
        await db.RunParts.Where(p => p.RunId == runId).ExecuteDeleteAsync(cancellationToken);
        run.EpochsDone = 0;
        run.PartsDone = 0;
        run.MaxEpochs = JsonSerializer.Deserialize<ForecastConfig>(run.ConfigJson, ForecastJson.Options)!.Training.MaxEpochs;
        run.BestValidationLoss = null;
        run.TestRmse = null;
        run.ResultJson = null;
        run.AssessmentJson = null;
        run.Device = null;
        run.StartedAt = null;
        await RequeueAsync(db, run, resume: false, cancellationToken);
        return null;
    }

    private async Task RequeueAsync(ForecastDbContext db, Run run, bool resume, CancellationToken cancellationToken)
    {
        run.Status = RunStatus.Queued;
        run.StatusDetail = resume ? $"Resuming {ResumeText(run)}." : null;
        run.FinishedAt = null;
        run.ResumeFromCheckpoint = resume;
        (run.ClaimedBy, run.LeaseExpiresAt, run.CancelRequested, run.Attempts) = (null, null, false, 0);
        await db.SaveChangesAsync(cancellationToken);
        queue.Enqueue(run.Id);
        await notifier.PublishAsync(new RunStatusChanged(run.Id, RunStatus.Queued, run.StatusDetail, null, await QueuePositionAsync(run.Id)));
    }

    private static string ResumeText(Run run)
    {
        var parts = run.Seeds * run.Folds;
        return parts <= 1 ? $"after epoch {run.EpochsDone}"
            : run.PartsDone >= parts ? "to evaluate its finished trainings"
            : $"at training {run.PartsDone + 1} of {parts}, after epoch {run.EpochsDone}";
    }

    /// <summary>
    /// Stops a training run (asked by a person, a sweep's rule or a stopped sweep): at once when this process trains it,
    /// else by the stop request its training worker reads within a heartbeat. False when it is not training.
    /// </summary>
    internal async Task<bool> StopRunningAsync(int runId)
    {
        if (_running.TryGetValue(runId, out var running))
        {
            try
            {
                await running.CancelAsync();
                return true;
            }
            catch (ObjectDisposedException)
            {
                // The training ended between the lookup and the stop.
                return false;
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        var requested = await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running && r.ClaimedBy != null)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.CancelRequested, true)) == 1;
        if (requested && !db.IsSqlite())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({PostgresRunEvents.CancelChannel}, {runId.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        }

        return requested;
    }

    /// <summary>The worker registers the token of each run it starts, so a stop request reaches the training thread.</summary>
    internal IDisposable RegisterRunning(int runId, CancellationTokenSource cancellation)
    {
        _running[runId] = cancellation;
        // Removes this registration only: a resumed run may register again before the stopped attempt's is disposed.
        return new Registration(() => _running.TryRemove(KeyValuePair.Create(runId, cancellation)));
    }

    // Where training workers claim runs, each queued run's place in the order they claim them (oldest first); empty
    // where this process's own queue knows the positions.
    private async Task<Dictionary<int, int>> QueuePositionsAsync(ForecastDbContext db, CancellationToken cancellationToken)
    {
        if (!queue.WorkersClaim)
        {
            return [];
        }

        var waiting = await db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Queued).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .Select(r => r.Id).ToListAsync(cancellationToken);
        return waiting.Select((id, index) => (id, index)).ToDictionary(w => w.id, w => w.index + 1);
    }

    private async Task<int?> QueuePositionAsync(int runId)
    {
        if (!queue.WorkersClaim)
        {
            return queue.PositionOf(runId);
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        return (await QueuePositionsAsync(db, CancellationToken.None)).TryGetValue(runId, out var position) ? position : null;
    }

    private RunSummary Summarize(Run r, Dictionary<string, string> ownerNames, Dictionary<int, int> positions) => new(
        r.Id, r.DatasetId, r.Name, r.ModelKind, r.Status, r.StatusDetail, r.CreatedAt, r.StartedAt, r.FinishedAt,
        r.Device, r.EpochsDone, r.MaxEpochs, r.BestValidationLoss, r.TestRmse,
        r.Status != RunStatus.Queued ? null : positions.TryGetValue(r.Id, out var position) ? position : queue.PositionOf(r.Id),
        r.Notes, r.Tags.Select(t => t.Tag).Order(StringComparer.OrdinalIgnoreCase).ToList(),
        r.OwnerId, r.OwnerId is null ? null : ownerNames.GetValueOrDefault(r.OwnerId), r.Visibility, r.Seeds, r.Folds, r.PartsDone)
    {
        SweepId = r.SweepId,
        SweepRole = r.SweepRole,
        TrialNumber = r.TrialNumber,
        Worker = r.ClaimedBy,
    };

    /// <summary>
    /// Renames a run, rewrites its notes or replaces its tags (null leaves a field as it is). Returns every problem in
    /// words, or null when saved; a run that does not exist is a problem too.
    /// </summary>
    public async Task<IReadOnlyList<string>?> UpdateAsync(int runId, RunUpdateRequest update, Caller by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(by);
        var problems = TextProblems(update.Name, update.Notes, nameRequired: update.Name is not null);
        var (tags, tagProblems) = RunTags.Normalize(update.Tags ?? []);
        problems.AddRange(tagProblems);
        if (problems.Count > 0)
        {
            return problems;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.Include(r => r.Tags).FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (AccessProblem(run, runId, by) is { } denied)
        {
            return [denied];
        }

        run!.Name = update.Name?.Trim() ?? run.Name;
        run.Visibility = update.Visibility ?? run.Visibility;
        run.Notes = update.Notes is null ? run.Notes : string.IsNullOrWhiteSpace(update.Notes) ? null : update.Notes.Trim();
        if (update.Tags is not null)
        {
            run.Tags.Clear();
            run.Tags.AddRange(tags.Select(t => new RunTag { RunId = runId, Tag = t }));
        }

        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    private const string NotYours = "Only the run's owner or an admin can change it.";

    // What a caller may not do to a run, in words: one they may not see does not exist for them.
    private static string? AccessProblem(Run? run, int runId, Caller by) =>
        run is null || !by.CanRead(Ownership.Of(run)) ? $"There is no run {runId}."
        : !by.CanEdit(Ownership.Of(run)) ? NotYours
        : null;

    // A name of 1 to 200 characters (when one is given, or required) and notes of at most 4,000: on create, import and edit alike.
    private static List<string> TextProblems(string? name, string? notes, bool nameRequired = false)
    {
        var problems = new List<string>();
        if ((nameRequired && string.IsNullOrWhiteSpace(name)) || name?.Trim().Length > MaxNameLength)
        {
            problems.Add($"A run's name needs 1 to {MaxNameLength} characters.");
        }

        if (notes?.Length > MaxNotesLength)
        {
            problems.Add("Notes are limited to 4,000 characters.");
        }

        return problems;
    }

    private sealed class Registration(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}
