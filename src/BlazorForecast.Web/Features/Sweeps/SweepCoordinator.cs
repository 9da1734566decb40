using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using BlazorForecast.Forecasting.Sweeps;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Runs;
using BlazorForecast.Web.Features.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Features.Sweeps;

/// <summary>
/// Runs every searching sweep: proposes trials and queues them as ordinary runs (up to the sweep's concurrency), feeds
/// each trial's epochs to the sweep's early-stopping rule and stops the ones it rules out, records each trial's
/// validation objective when it ends, and when the budget is spent picks the best on validation and queues it
/// retrained on the base seeds as the sweep's result (with, when the sweep asks for one, an ensemble of the best trials
/// beside it; the sweep finishes when both have ended). All of it happens on one loop, in the order events arrive, so
/// no two decisions about a sweep interleave. After a restart it rebuilds each sweep's stopping rule by replaying the
/// stored epochs in the order they finished. With several web nodes, only the one that leads (<see cref="ISweepLeadership"/>)
/// coordinates; the others send it their commands, and a node that takes over takes stock as after a restart.
/// </summary>
public sealed partial class SweepCoordinator(
    IDbContextFactory<ForecastDbContext> dbFactory,
    DatasetFrames frames,
    RunService runs,
    PendingRuns pending,
    TrainingNotifier runNotifier,
    IRunEventPublisher runEvents,
    ISweepChangePublisher changes,
    ISweepLeadership leadership,
    IOptions<TrainingQueueOptions> training,
    IOptions<SweepCoordinationOptions> coordination,
    TimeProvider time,
    ILogger<SweepCoordinator> logger) : BackgroundService
{
    private readonly Channel<Func<Task>> _work = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<int, int> _sweepOfRun = new();
    private readonly Dictionary<int, SearchState> _searches = [];

    /// <summary>Has a sweep queue its first trials (or its next, after a change).</summary>
    public Task WakeAsync(int sweepId)
    {
        var command = SweepCommand.Of(SweepCommandKind.Wake, sweepId);
        return leadership.IsLeading ? HandleAsync(command) : leadership.TellLeaderAsync(command);
    }

    /// <summary>Stops a sweep that has not ended, with its queued and training runs; false when it had ended.</summary>
    public async Task<bool> CancelAsync(int sweepId, CancellationToken cancellationToken = default) =>
        (await AskAsync(SweepCommand.Of(SweepCommandKind.Stop, sweepId), cancellationToken)).Stopped;

    /// <summary>Queues the chosen trial's retraining for a sweep waiting for a choice; the reason when it cannot.</summary>
    public async Task<string?> PickAsync(int sweepId, int trialRunId, CancellationToken cancellationToken = default) =>
        (await AskAsync(SweepCommand.Of(SweepCommandKind.Pick, sweepId, trialRunId), cancellationToken)).Problem;

    /// <summary>Carries out a command on this node, which leads; a <see cref="SweepsUnavailableException"/> when it stops leading first.</summary>
    public async Task<SweepAnswer> HandleAsync(SweepCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        switch (command.Kind)
        {
            case SweepCommandKind.Wake:
                await _work.Writer.WriteAsync(() => TopUpAsync(command.SweepId), cancellationToken);
                return new SweepAnswer(command.Id, false, null);
            case SweepCommandKind.Stop:
                return new SweepAnswer(command.Id, await InTurnAsync(() => StopAsync(command.SweepId), cancellationToken), null);
            default:
                return new SweepAnswer(command.Id, false, await InTurnAsync(() => ChooseAsync(command.SweepId, command.TrialRunId ?? 0), cancellationToken));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = runNotifier.Subscribe(0, OnRunEvent);
        await pending.Recovered.WaitAsync(stoppingToken);
        try
        {
            await leadership.LeadAsync(CoordinateAsync, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The server is stopping; searching sweeps carry on from the database when a node leads again.
        }
    }

    // While this node leads: takes stock from the database, then carries out events and commands in order until the term
    // ends. What it knew is dropped at both ends: another node may have decided in between.
    private async Task CoordinateAsync(CancellationToken term)
    {
        _searches.Clear();
        _sweepOfRun.Clear();
        try
        {
            await RecoverAsync(term);
            await foreach (var work in _work.Reader.ReadAllAsync(term))
            {
                try
                {
                    await work();
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !term.IsCancellationRequested)
                {
                    LogStepFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (term.IsCancellationRequested)
        {
            // The term ended: this node no longer leads, or is stopping.
        }
        finally
        {
            _sweepOfRun.Clear();
        }
    }

    private Task<SweepAnswer> AskAsync(SweepCommand command, CancellationToken cancellationToken) =>
        leadership.IsLeading ? HandleAsync(command, cancellationToken) : leadership.AskLeaderAsync(command, cancellationToken);

    // Runs a question on the coordination's loop, in turn with its events.
    private async Task<T> InTurnAsync<T>(Func<Task<T>> question, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _work.Writer.WriteAsync(async () =>
        {
            try
            {
                answer.SetResult(await question());
            }
            catch (Exception ex)
            {
                answer.SetException(ex);
            }
        }, cancellationToken);
        try
        {
            return await answer.Task.WaitAsync(coordination.Value.AnswerWithin, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new SweepsUnavailableException();
        }
    }

    // The notifier's thread: only what concerns a sweep's run is queued.
    private void OnRunEvent(RunEvent runEvent)
    {
        if (!_sweepOfRun.TryGetValue(runEvent.RunId, out var sweepId))
        {
            return;
        }

        switch (runEvent)
        {
            case RunEpochCompleted epoch:
                _work.Writer.TryWrite(() => EpochAsync(sweepId, epoch));
                break;
            case RunStatusChanged { Status: RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled } ended:
                _work.Writer.TryWrite(() => RunEndedAsync(sweepId, ended));
                break;
        }
    }

    // Takes stock after a start or a takeover: runs that ended while no node coordinated get their objectives, searching
    // sweeps are topped up, and finishing sweeps whose result and ensemble have ended are finished.
    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sweeps = await db.Sweeps.AsNoTracking().Where(s => s.Status == SweepStatus.Searching || s.Status == SweepStatus.Finishing)
            .Select(s => new { s.Id, s.Status }).ToListAsync(cancellationToken);
        var searching = sweeps.Where(s => s.Status == SweepStatus.Searching).Select(s => s.Id).ToList();
        var unscored = await db.Runs.Where(r => r.SweepId != null && searching.Contains(r.SweepId.Value) && r.SweepRole == SweepRole.Trial
            && r.Objective == null && r.SameAsTrial == null && (r.Status == RunStatus.Succeeded || r.Status == RunStatus.Cancelled)).ToListAsync(cancellationToken);
        var objectives = await SweepTrials.ObjectivesAsync(db, unscored.Select(r => r.Id).ToList(), cancellationToken);
        foreach (var run in unscored)
        {
            run.Objective = objectives.GetValueOrDefault(run.Id).Objective;
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var sweepId in searching)
        {
            await _work.Writer.WriteAsync(() => TopUpAsync(sweepId), cancellationToken);
        }

        var finishing = sweeps.Where(s => s.Status == SweepStatus.Finishing).Select(s => s.Id).ToList();
        foreach (var run in await db.Runs.AsNoTracking()
            .Where(r => r.SweepId != null && finishing.Contains(r.SweepId.Value) && (r.SweepRole == SweepRole.Result || r.SweepRole == SweepRole.Ensemble))
            .Select(r => new { r.Id, SweepId = r.SweepId!.Value }).ToListAsync(cancellationToken))
        {
            _sweepOfRun[run.Id] = run.SweepId;
        }

        foreach (var sweepId in finishing)
        {
            await _work.Writer.WriteAsync(async () =>
            {
                await using var finishingDb = await dbFactory.CreateDbContextAsync();
                await FinishIfDoneAsync(finishingDb, sweepId);
            }, cancellationToken);
        }
    }

    private async Task<SearchState?> SearchOfAsync(int sweepId)
    {
        if (_searches.TryGetValue(sweepId, out var known))
        {
            return known;
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        var sweep = await db.Sweeps.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sweepId);
        if (sweep is not { Status: SweepStatus.Searching })
        {
            return null;
        }

        var definition = JsonSerializer.Deserialize<SweepDefinition>(sweep.DefinitionJson, ForecastJson.Options)!;
        var baseConfig = JsonSerializer.Deserialize<ForecastConfig>(sweep.BaseConfigJson, ForecastJson.Options)!;
        var state = new SearchState(
            sweep.Id, sweep.Name, sweep.DatasetId, sweep.OwnerId, sweep.Visibility, sweep.SearchEndsBy, definition, definition.ParseSpace(),
            TrialConfigs.Base(baseConfig, training.Value.Limits), definition.CreatePruner(baseConfig.Training.MaxEpochs));
        state.Sampler = SweepSampler.Create(definition.Method, state.Space, definition.Seed);

        // Replays the stored epochs in the order they finished, so the stopping rule knows what it knew before a restart.
        var trials = await db.Runs.AsNoTracking().Where(r => r.SweepId == sweepId && r.SweepRole == SweepRole.Trial)
            .Select(r => new { r.Id, r.TrialNumber }).ToListAsync();
        foreach (var trial in trials)
        {
            state.Trials[trial.Id] = new TrialProgress(trial.TrialNumber ?? 0);
            _sweepOfRun[trial.Id] = sweepId;
        }

        var ids = trials.Select(t => t.Id).ToList();
        var epochs = await db.RunEpochs.AsNoTracking().Where(e => ids.Contains(e.RunId))
            .OrderBy(e => e.CompletedAt).ThenBy(e => e.RunId).ThenBy(e => e.Epoch).ToListAsync();
        foreach (var epoch in epochs)
        {
            var progress = state.Trials[epoch.RunId];
            var best = progress.Record(epoch.Fold, epoch.ValidationLoss);
            state.Pruner?.ShouldStop(progress.Number, epoch.Fold, epoch.Epoch, best);
        }

        _searches[sweepId] = state;
        return state;
    }

    private async Task EpochAsync(int sweepId, RunEpochCompleted epoch)
    {
        if (await SearchOfAsync(sweepId) is not { } state || !state.Trials.TryGetValue(epoch.RunId, out var progress) || progress.Stopping)
        {
            return;
        }

        var best = progress.Record(epoch.Fold, epoch.ValidationLoss);
        if (state.Pruner?.ShouldStop(progress.Number, epoch.Fold, epoch.Epoch, best) == true)
        {
            progress.Stopping = true;
            var rule = state.Definition.EarlyStopping == EarlyStoppingRule.Median ? "the median rule" : "successive halving";
            var because = string.Create(CultureInfo.InvariantCulture,
                $"Stopped early by {rule} after epoch {epoch.Epoch}: its best validation loss ({best:G4}) was behind the other trials' at that point.");
            await using (var db = await dbFactory.CreateDbContextAsync())
            {
                await db.Runs.Where(r => r.Id == epoch.RunId && r.Status == RunStatus.Running)
                    .ExecuteUpdateAsync(set => set.SetProperty(r => r.StoppedEarlyBecause, because));
            }

            await runs.StopRunningAsync(epoch.RunId);
        }

        await PublishAsync(sweepId);
    }

    private async Task RunEndedAsync(int sweepId, RunStatusChanged ended)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == ended.RunId);
        if (run is null)
        {
            return;
        }

        if (run.SweepRole is SweepRole.Result or SweepRole.Ensemble)
        {
            _sweepOfRun.TryRemove(run.Id, out _);
            await FinishIfDoneAsync(db, sweepId);
            return;
        }

        run.Objective = (await SweepTrials.ObjectivesAsync(db, [run.Id])).GetValueOrDefault(run.Id).Objective;
        await db.SaveChangesAsync();
        await TopUpAsync(sweepId);
    }

    // Queues trials until the sweep's concurrency is met or its budget is spent; ends the search once nothing runs.
    private async Task TopUpAsync(int sweepId)
    {
        if (await SearchOfAsync(sweepId) is not { } state)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        var trials = await db.Runs.AsNoTracking().Where(r => r.SweepId == sweepId && r.SweepRole == SweepRole.Trial).OrderBy(r => r.TrialNumber).ToListAsync();
        var history = trials.Select(r => new TrialObservation(
            JsonSerializer.Deserialize<double[]>(r.TrialPointJson ?? "[]")!, SweepTrials.StateOf(r.Status, r.StoppedEarlyBecause), r.Objective)).ToList();
        var trained = TrainedNetworks(trials);
        var active = history.Count(t => t.State == TrialState.Running);
        var exhausted = false;
        var frame = await TrialFrameAsync(state);
        while (frame is not null && active < state.Definition.Concurrency && history.Count < state.Definition.MaxTrials
            && time.GetUtcNow().UtcDateTime < state.SearchEndsBy)
        {
            if (state.Sampler!.Propose(history.Count, history) is not { } point)
            {
                exhausted = true;
                break;
            }

            var trial = await AddTrialAsync(db, state, frame, history.Count, point, trained);
            history.Add(new TrialObservation(point, SweepTrials.StateOf(trial.Status, trial.StoppedEarlyBecause), trial.Objective));
            active += trial.Status == RunStatus.Queued ? 1 : 0;
        }

        var spent = frame is null || exhausted || history.Count >= state.Definition.MaxTrials || time.GetUtcNow().UtcDateTime >= state.SearchEndsBy;
        if (active == 0 && spent)
        {
            await EndSearchAsync(state, frame is null ? "The dataset, or a dataset an input reads, is gone." : null);
            return;
        }

        await PublishAsync(sweepId);
    }

    // The series the sweep's trials train on (its base config's inputs joined); null when the dataset, or an input's, is gone.
    private async Task<Forecasting.Data.TimeSeriesFrame?> TrialFrameAsync(SearchState state)
    {
        try
        {
            return (await frames.ForConfigAsync(state.DatasetId, state.TrialBase))?.Frame;
        }
        catch (Forecasting.Data.JoinException)
        {
            return null;
        }
    }

    // The trials that trained to an objective (completed, or stopped by the sweep's rule), by the network they trained.
    private static Dictionary<string, Run> TrainedNetworks(IEnumerable<Run> trials)
    {
        var trained = new Dictionary<string, Run>();
        foreach (var trial in trials.Where(t => t.SameAsTrial is null && t.Objective is not null
            && (t.Status == RunStatus.Succeeded || (t.Status == RunStatus.Cancelled && t.StoppedEarlyBecause is not null))))
        {
            trained.TryAdd(TrialConfigs.Identity(JsonSerializer.Deserialize<ForecastConfig>(trial.ConfigJson, ForecastJson.Options)!), trial);
        }

        return trained;
    }

    // Queues a trial, or records it ended at once: when its combination cannot run, or when an earlier trial trained its network.
    private async Task<Run> AddTrialAsync(
        ForecastDbContext db, SearchState state, Forecasting.Data.TimeSeriesFrame frame, int number, IReadOnlyList<double> point, Dictionary<string, Run> trained)
    {
        var (config, problem) = TrialConfigs.At(state.Space, state.TrialBase, point, frame, training.Value.Limits);
        var now = time.GetUtcNow().UtcDateTime;
        var run = Run.Queued(state.DatasetId, $"{Truncated(state.Name, 170)} · trial {number + 1}", state.OwnerId, state.Visibility, config, now);
        run.SweepId = state.SweepId;
        run.SweepRole = SweepRole.Trial;
        run.TrialNumber = number;
        run.TrialPointJson = JsonSerializer.Serialize(point);
        if (problem is not null)
        {
            run.Status = RunStatus.Failed;
            run.StatusDetail = problem;
            run.FinishedAt = now;
        }
        else if (trained.TryGetValue(TrialConfigs.Identity(config), out var same))
        {
            (run.Status, run.Objective, run.StoppedEarlyBecause, run.SameAsTrial) = (same.Status, same.Objective, same.StoppedEarlyBecause, same.TrialNumber);
            run.StatusDetail = TrialConfigs.SameAsDetail(same.TrialNumber ?? 0, config);
            run.FinishedAt = now;
        }

        db.Runs.Add(run);
        await db.SaveChangesAsync();
        if (run.Status == RunStatus.Queued)
        {
            state.Trials[run.Id] = new TrialProgress(number);
            _sweepOfRun[run.Id] = state.SweepId;
            pending.Enqueue(run.Id);
            await runEvents.PublishAsync(new RunStatusChanged(run.Id, RunStatus.Queued, null, null, pending.PositionOf(run.Id)));
        }

        return run;
    }

    private async Task EndSearchAsync(SearchState state, string? failure)
    {
        _searches.Remove(state.SweepId);
        await using var db = await dbFactory.CreateDbContextAsync();
        var best = failure is null
            ? await db.Runs.Where(r => r.SweepId == state.SweepId && r.SweepRole == SweepRole.Trial && r.Status == RunStatus.Succeeded && r.Objective != null
                    && r.SameAsTrial == null)
                .OrderBy(r => r.Objective).ThenBy(r => r.TrialNumber).FirstOrDefaultAsync()
            : null;
        if (best is null)
        {
            await EndAsync(state.SweepId, SweepStatus.Failed, failure ?? "No trial completed, so there is nothing to retrain. Look at the trials' messages, then widen the space or the budget.");
            return;
        }

        if (state.Definition.PickAutomatically)
        {
            await StartResultAsync(state.SweepId, best.Id);
            return;
        }

        var sweep = await db.Sweeps.FirstAsync(s => s.Id == state.SweepId);
        sweep.Status = SweepStatus.Choosing;
        sweep.StatusDetail = string.Create(CultureInfo.InvariantCulture,
            $"The search is over. Pick the trial to retrain on the base seeds; the best on validation is trial {best.TrialNumber + 1} (loss {best.Objective:G4}).");
        await db.SaveChangesAsync();
        await PublishAsync(state.SweepId);
    }

    private async Task<string?> ChooseAsync(int sweepId, int trialRunId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var sweep = await db.Sweeps.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sweepId);
        if (sweep is not { Status: SweepStatus.Choosing })
        {
            return $"Sweep {sweepId} is not waiting for a choice{(sweep is null ? "" : $": it is {sweep.Status.ToString().ToLowerInvariant()}")}.";
        }

        var trial = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == trialRunId && r.SweepId == sweepId && r.SweepRole == SweepRole.Trial);
        if (trial is not { Status: RunStatus.Succeeded, Objective: not null })
        {
            return $"Run {trialRunId} is not a completed trial of this sweep.";
        }

        if (trial.SameAsTrial is int same)
        {
            return $"Trial {trial.TrialNumber + 1} was not trained: it is the same network as trial {same + 1}. Pick trial {same + 1}.";
        }

        await StartResultAsync(sweepId, trialRunId);
        return null;
    }

    // Ends a finishing sweep once its result (and its ensemble, when it has one) have ended; the result decides how.
    private async Task FinishIfDoneAsync(ForecastDbContext db, int sweepId)
    {
        var sweep = await db.Sweeps.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sweepId);
        var finals = await db.Runs.AsNoTracking()
            .Where(r => r.SweepId == sweepId && (r.SweepRole == SweepRole.Result || r.SweepRole == SweepRole.Ensemble))
            .Select(r => new { r.SweepRole, r.Status, r.StatusDetail, r.Seeds, r.Folds }).ToListAsync();
        if (sweep is not { Status: SweepStatus.Finishing } || finals.Any(r => r.Status is RunStatus.Queued or RunStatus.Running))
        {
            await PublishAsync(sweepId);
            return;
        }

        var result = finals.First(r => r.SweepRole == SweepRole.Result);
        var detail = result.Status switch
        {
            RunStatus.Succeeded => $"The chosen trial, retrained on {result.Seeds} seed(s), is the sweep's result: its test scores are on its page.",
            RunStatus.Cancelled => "The result's training was stopped.",
            _ => $"The result's training failed: {result.StatusDetail}",
        };
        if (finals.FirstOrDefault(r => r.SweepRole == SweepRole.Ensemble) is { } ensemble)
        {
            detail += ensemble.Status switch
            {
                RunStatus.Succeeded => $" The ensemble of the {ensemble.Folds} best trials is scored beside it.",
                RunStatus.Cancelled => " The ensemble's training was stopped.",
                _ => $" The ensemble's training failed: {ensemble.StatusDetail}",
            };
        }

        await EndAsync(sweepId, result.Status switch
        {
            RunStatus.Succeeded => SweepStatus.Finished,
            RunStatus.Cancelled => SweepStatus.Cancelled,
            _ => SweepStatus.Failed,
        }, detail);
    }

    // Queues the chosen trial's config on the base seeds as the sweep's result, and the ensemble of the best trials when
    // the sweep asks for one, in one transaction with the sweep's change.
    private async Task StartResultAsync(int sweepId, int trialRunId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var sweep = await db.Sweeps.FirstAsync(s => s.Id == sweepId);
        var trial = await db.Runs.AsNoTracking().FirstAsync(r => r.Id == trialRunId);
        var seeds = JsonSerializer.Deserialize<ForecastConfig>(sweep.BaseConfigJson, ForecastJson.Options)!.Training.Seeds;
        var config = TrialConfigs.OnSeeds(JsonSerializer.Deserialize<ForecastConfig>(trial.ConfigJson, ForecastJson.Options)!, seeds);
        var now = time.GetUtcNow().UtcDateTime;
        var run = Run.Queued(sweep.DatasetId, $"{Truncated(sweep.Name, 180)} · result", sweep.OwnerId, sweep.Visibility, config, now);
        run.Notes = $"Trial {trial.TrialNumber + 1} of the sweep, chosen on validation loss and retrained on {seeds} seed(s).";
        run.SweepId = sweepId;
        run.SweepRole = SweepRole.Result;
        db.Runs.Add(run);
        var ensemble = await EnsembleRunAsync(db, sweep, trial, seeds, now);
        if (ensemble is not null)
        {
            db.Runs.Add(ensemble);
        }

        await db.SaveChangesAsync();
        sweep.Status = SweepStatus.Finishing;
        sweep.ChosenRunId = trialRunId;
        sweep.ResultRunId = run.Id;
        sweep.StatusDetail = $"Retraining trial {trial.TrialNumber + 1} on {seeds} seed(s){(ensemble is null ? "" : $", and an ensemble of the {ensemble.Folds} best trials")}; the test scores come when {(ensemble is null ? "it ends" : "they end")}.";
        await db.SaveChangesAsync();
        await transaction.CommitAsync();

        foreach (var queued in ensemble is null ? [run] : new[] { run, ensemble })
        {
            _sweepOfRun[queued.Id] = sweepId;
            pending.Enqueue(queued.Id);
            await runEvents.PublishAsync(new RunStatusChanged(queued.Id, RunStatus.Queued, null, null, pending.PositionOf(queued.Id)));
        }

        await PublishAsync(sweepId);
    }

    // The ensemble run of a sweep that asks for one: the chosen trial first, then the best others on validation, each
    // retrained on the base seeds; null when the sweep asks for none or fewer than two trials completed.
    private static async Task<Run?> EnsembleRunAsync(ForecastDbContext db, Sweep sweep, Run chosen, int seeds, DateTime now)
    {
        var definition = JsonSerializer.Deserialize<SweepDefinition>(sweep.DefinitionJson, ForecastJson.Options)!;
        if (definition.Ensemble == SweepEnsemble.None)
        {
            return null;
        }

        var others = await db.Runs.AsNoTracking()
            .Where(r => r.SweepId == sweep.Id && r.SweepRole == SweepRole.Trial && r.Status == RunStatus.Succeeded && r.Objective != null && r.Id != chosen.Id
                && r.SameAsTrial == null)
            .OrderBy(r => r.Objective).ThenBy(r => r.TrialNumber).Take(definition.EnsembleSize - 1).ToListAsync();
        if (others.Count == 0)
        {
            return null;
        }

        var members = others.Prepend(chosen)
            .Select(t => new EnsembleMember(t.Id, t.TrialNumber ?? 0, TrialConfigs.OnSeeds(JsonSerializer.Deserialize<ForecastConfig>(t.ConfigJson, ForecastJson.Options)!, seeds)))
            .ToList();
        var how = definition.Ensemble == SweepEnsemble.Greedy ? "greedy ensemble selection" : "equal weights";
        var run = Run.Queued(sweep.DatasetId, $"{Truncated(sweep.Name, 178)} · ensemble", sweep.OwnerId, sweep.Visibility, members[0].Config, now);
        run.Notes = $"Trials {string.Join(", ", members.Select(m => m.TrialNumber + 1))} of the sweep, each retrained on {seeds} seed(s) and blended by {how} on the validation segment.";
        run.Folds = members.Count;
        run.SweepId = sweep.Id;
        run.SweepRole = SweepRole.Ensemble;
        run.EnsembleJson = JsonSerializer.Serialize(new EnsemblePlan(definition.Ensemble, members), ForecastJson.Options);
        return run;
    }

    private async Task<bool> StopAsync(int sweepId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var sweep = await db.Sweeps.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sweepId);
        if (sweep is not { Status: SweepStatus.Searching or SweepStatus.Finishing or SweepStatus.Choosing })
        {
            return false;
        }

        _searches.Remove(sweepId);
        var mine = db.Runs.Where(r => r.SweepId == sweepId);
        var queued = await mine.Where(r => r.Status == RunStatus.Queued).Select(r => r.Id).ToListAsync();
        await mine.Where(r => r.Status == RunStatus.Queued).ExecuteUpdateAsync(set => set
            .SetProperty(r => r.Status, RunStatus.Cancelled)
            .SetProperty(r => r.StatusDetail, "The sweep was stopped before this run started.")
            .SetProperty(r => r.FinishedAt, time.GetUtcNow().UtcDateTime));
        foreach (var id in await mine.Where(r => r.Status == RunStatus.Running).Select(r => r.Id).ToListAsync())
        {
            await runs.StopRunningAsync(id);
        }

        foreach (var id in queued)
        {
            await runEvents.PublishAsync(new RunStatusChanged(id, RunStatus.Cancelled, "The sweep was stopped before this run started.", null, null));
        }

        await EndAsync(sweepId, SweepStatus.Cancelled, "Stopped; trials that had ended keep their results.");
        return true;
    }

    private async Task EndAsync(int sweepId, SweepStatus status, string detail)
    {
        _searches.Remove(sweepId);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await db.Sweeps.Where(s => s.Id == sweepId).ExecuteUpdateAsync(set => set
                .SetProperty(s => s.Status, status)
                .SetProperty(s => s.StatusDetail, detail)
                .SetProperty(s => s.FinishedAt, time.GetUtcNow().UtcDateTime));
        }

        await PublishAsync(sweepId);
    }

    private async Task PublishAsync(int sweepId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var sweep = await db.Sweeps.AsNoTracking().Where(s => s.Id == sweepId).Select(s => new { s.Status, s.StatusDetail }).FirstOrDefaultAsync();
        if (sweep is null)
        {
            return;
        }

        var trials = await db.Runs.AsNoTracking().Where(r => r.SweepId == sweepId && r.SweepRole == SweepRole.Trial)
            .Select(r => new { r.Status, r.Objective }).ToListAsync();
        var (started, ended, best) = SweepTrials.Progress(trials.Select(t => (t.Status, t.Objective)).ToList());
        await changes.PublishAsync(new SweepChanged(sweepId, sweep.Status, sweep.StatusDetail, started, ended, best));
    }

    private static string Truncated(string text, int length) => text.Length <= length ? text : text[..length];

    [LoggerMessage(Level = LogLevel.Error, Message = "A sweep step failed")]
    private static partial void LogStepFailed(ILogger logger, Exception exception);

    /// <summary>What the coordinator keeps of a searching sweep between events.</summary>
    private sealed record SearchState(
        int SweepId, string Name, int DatasetId, string? OwnerId, Visibility Visibility, DateTime SearchEndsBy, SweepDefinition Definition,
        SearchSpace Space, ForecastConfig TrialBase, TrialPruner? Pruner)
    {
        public SweepSampler? Sampler { get; set; }

        public Dictionary<int, TrialProgress> Trials { get; } = [];
    }

    /// <summary>A trial's best validation loss so far in each of its trainings (one per walk-forward fold).</summary>
    private sealed class TrialProgress(int number)
    {
        private readonly Dictionary<int, double> _best = [];

        public int Number { get; } = number;

        public bool Stopping { get; set; }

        public double Record(int fold, double validationLoss)
        {
            var loss = double.IsNaN(validationLoss) ? double.PositiveInfinity : validationLoss;
            var best = _best.TryGetValue(fold, out var sofar) ? Math.Min(sofar, loss) : loss;
            _best[fold] = best;
            return best;
        }
    }
}
