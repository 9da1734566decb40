using System.Text.Json;
using BlazorForecast.Forecasting.Sweeps;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Team;
using BlazorForecast.Web.Features.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Features.Sweeps;

/// <summary>
/// Sweeps as people and the API see them: start one (every problem refused at once), list, read with its trials,
/// stop, pick the trial to retrain when the sweep waits for a choice, delete. The searching itself is the
/// <see cref="SweepCoordinator"/>'s. Every method checks the caller.
/// </summary>
public sealed class SweepService(
    IDbContextFactory<ForecastDbContext> dbFactory,
    DatasetService datasets,
    SweepCoordinator coordinator,
    TeamRateLimits limits,
    ActivityLog activity,
    IOptions<TeamOptions> team,
    IOptions<TrainingQueueOptions> training,
    TimeProvider time)
{
    public const int MaxNameLength = 200;

    /// <summary>Starts a sweep owned by the caller; refused with every reason as a <see cref="SweepValidationException"/>.</summary>
    public async Task<int> CreateAsync(SweepRequest request, Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.CanRead(await datasets.OwnershipAsync(request.DatasetId, cancellationToken)))
        {
            throw new SweepValidationException([$"There is no dataset {request.DatasetId}."]);
        }

        if (!caller.CanCreate)
        {
            throw new SweepValidationException(["Viewers cannot start sweeps; ask an admin for the member role."]);
        }

        if (request.BaseConfig is null || request.Definition?.Space is null)
        {
            throw new SweepValidationException(["The sweep needs a baseConfig (a run's config) and a definition (its space and budget)."]);
        }

        if (request.BaseConfig.MissingParts() is { } missing)
        {
            throw new SweepValidationException([$"Base config: {missing}"]);
        }

        RateLimitedException.ThrowIfLimited(limits, LimitedAction.RunLaunch, caller.UserId);
        var serverLimits = training.Value.Limits;
        var baseConfig = serverLimits.Apply(request.BaseConfig);
        var (joined, joinProblems) = await datasets.TrainingFrameAsync(request.DatasetId, baseConfig, caller, cancellationToken);
        var frame = joined?.Frame ?? throw new SweepValidationException(joinProblems.Select(p => $"Base config: {p}").ToList());

        var definition = request.Definition;
        var problems = new List<string>();
        var name = request.Name?.Trim();
        if (name?.Length > MaxNameLength)
        {
            problems.Add($"The name is {name.Length} characters long; at most {MaxNameLength} are allowed.");
        }

        if (baseConfig.Direction is not null)
        {
            problems.Add("Sweeps search settings of value forecasts only: a direction target cannot be swept yet. Start it as a run, or forecast values.");
        }

        if (baseConfig.AcrossTargets is not null)
        {
            problems.Add("Sweeps search one model of one dataset's targets: a model across the targets cannot be swept yet. Start it as a run.");
        }

        problems.AddRange(definition.Problems(serverLimits, baseConfig));
        if (problems.Count == 0)
        {
            problems.AddRange(definition.ParseSpace().Problems(baseConfig, frame, serverLimits));
        }

        if (problems.Count > 0)
        {
            throw new SweepValidationException(problems);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var sweep = new Sweep
        {
            DatasetId = request.DatasetId,
            OwnerId = caller.UserId,
            Visibility = request.Visibility ?? team.Value.DefaultVisibility,
            Name = string.IsNullOrEmpty(name) ? $"Sweep of {string.Join(", ", definition.ParseSpace().Dimensions.Select(d => d.Setting.Name))}" : name,
            BaseConfigJson = JsonSerializer.Serialize(baseConfig, ForecastJson.Options),
            DefinitionJson = JsonSerializer.Serialize(definition, ForecastJson.Options),
            Status = SweepStatus.Searching,
            CreatedAt = now,
            SearchEndsBy = now + (definition.MaxWallTime ?? serverLimits.MaxSweepWallTime),
        };
        if (sweep.Name.Length > MaxNameLength)
        {
            sweep.Name = sweep.Name[..MaxNameLength];
        }

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.Sweeps.Add(sweep);
            await db.SaveChangesAsync(cancellationToken);
            activity.Add(db, caller, ActivityAction.Started, ActivitySubject.Sweep, sweep.Id, sweep.Name, Ownership.Of(sweep));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await coordinator.WakeAsync(sweep.Id);
        return sweep.Id;
    }

    /// <summary>The sweeps the caller may see, newest first, optionally of one dataset.</summary>
    public async Task<IReadOnlyList<SweepSummary>> ListAsync(Caller caller, int? datasetId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Sweeps.AsNoTracking().VisibleTo(caller);
        if (datasetId is not null)
        {
            query = query.Where(s => s.DatasetId == datasetId);
        }

        var sweeps = await query.OrderByDescending(s => s.Id).Take(500).ToListAsync(cancellationToken);
        var ids = sweeps.Select(s => s.Id).ToList();
        var trials = await db.Runs.AsNoTracking().Where(r => r.SweepId != null && ids.Contains(r.SweepId.Value) && r.SweepRole == SweepRole.Trial)
            .Select(r => new { SweepId = r.SweepId!.Value, r.Status, r.Objective })
            .ToListAsync(cancellationToken);
        var owners = await db.OwnerNamesAsync(sweeps.Select(s => s.OwnerId), cancellationToken);
        return sweeps.Select(s => Summarize(s, SweepTrials.Progress(trials.Where(t => t.SweepId == s.Id).Select(t => (t.Status, t.Objective)).ToList()), owners))
            .ToList();
    }

    /// <summary>A sweep with its trials, or null when it does not exist or the caller may not see it.</summary>
    public async Task<SweepDetails?> GetAsync(int sweepId, Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sweep = await db.Sweeps.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sweepId, cancellationToken);
        if (sweep is null || !caller.CanRead(Ownership.Of(sweep)))
        {
            return null;
        }

        var definition = JsonSerializer.Deserialize<SweepDefinition>(sweep.DefinitionJson, ForecastJson.Options)!;
        var baseConfig = JsonSerializer.Deserialize<ForecastConfig>(sweep.BaseConfigJson, ForecastJson.Options)!;
        var space = definition.ParseSpace();
        var runs = await db.Runs.AsNoTracking().Where(r => r.SweepId == sweepId && r.SweepRole == SweepRole.Trial).OrderBy(r => r.TrialNumber).ToListAsync(cancellationToken);
        var sofar = await SweepTrials.ObjectivesAsync(db, runs.Select(r => r.Id).ToList(), cancellationToken);
        var shown = sweep.Status == SweepStatus.Finished;
        var trials = runs.Select(r =>
        {
            var point = JsonSerializer.Deserialize<double[]>(r.TrialPointJson ?? "[]")!;
            var (epochs, objective, longest) = sofar.GetValueOrDefault(r.Id);
            return new SweepTrialSummary(r.Id, r.TrialNumber ?? 0, r.Status, SweepTrials.StateOf(r.Status, r.StoppedEarlyBecause),
                point.Length == space.Dimensions.Count ? space.Describe(point) : [], point, r.Objective ?? objective, epochs, r.StoppedEarlyBecause,
                r.StatusDetail, shown ? r.TestRmse : null)
            {
                SameAsTrial = r.SameAsTrial,
                Rung = SweepTrials.RungReached(definition, baseConfig.Training.MaxEpochs, longest),
            };
        }).ToList();
        var owners = await db.OwnerNamesAsync([sweep.OwnerId], cancellationToken);
        var summary = Summarize(sweep, SweepTrials.Progress(trials.Select(t => (t.Status, t.Objective)).ToList()), owners);
        var ensemble = await db.Runs.AsNoTracking().Where(r => r.SweepId == sweepId && r.SweepRole == SweepRole.Ensemble)
            .Select(r => new { r.Id, r.Status, r.StatusDetail, r.EnsembleJson, r.TestRmse }).FirstOrDefaultAsync(cancellationToken);
        var plan = ensemble?.EnsembleJson is { } json ? JsonSerializer.Deserialize<EnsemblePlan>(json, ForecastJson.Options) : null;
        return new SweepDetails(summary, baseConfig, definition, space.Dimensions.Select(d => d.Setting.Name).ToList(), trials,
            baseConfig.Training.MaxEpochs * Math.Max(1, baseConfig.WalkForwardFolds))
        {
            Ensemble = ensemble is null || plan is null ? null : new SweepEnsembleSummary(ensemble.Id, ensemble.Status, ensemble.StatusDetail, plan.Method,
                plan.Members.Select(m => new SweepEnsembleMember(m.TrialRunId, m.TrialNumber, m.Weight)).ToList(), shown ? ensemble.TestRmse : null)
            {
                VersusChosen = shown ? plan.VersusChosen : null,
            },
        };
    }

    /// <summary>Who owns a sweep and who may see it; null when it does not exist.</summary>
    public async Task<Ownership?> OwnershipAsync(int sweepId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Sweeps.AsNoTracking().Where(s => s.Id == sweepId).Select(s => new Ownership(s.OwnerId, s.Visibility)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Stops a searching or finishing sweep and its queued and training runs; the reason when it cannot, null when stopped.</summary>
    public async Task<string?> CancelAsync(int sweepId, Caller by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (await RefusalAsync(sweepId, by, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (!await coordinator.CancelAsync(sweepId, cancellationToken))
        {
            return $"Sweep {sweepId} has already ended.";
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sweep = await db.Sweeps.AsNoTracking().FirstAsync(s => s.Id == sweepId, cancellationToken);
        activity.Add(db, by, ActivityAction.Stopped, ActivitySubject.Sweep, sweep.Id, sweep.Name, Ownership.Of(sweep));
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>
    /// Retrains the given completed trial on the base config's seeds as the sweep's result, when the sweep waits for a
    /// choice; the reason when it cannot, null when queued.
    /// </summary>
    public async Task<string?> PickAsync(int sweepId, int trialRunId, Caller by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        return await RefusalAsync(sweepId, by, cancellationToken) ?? await coordinator.PickAsync(sweepId, trialRunId, cancellationToken);
    }

    /// <summary>Deletes an ended sweep with its trials and result; the reason when it may not, null when deleted.</summary>
    public async Task<string?> DeleteAsync(int sweepId, Caller by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (await RefusalAsync(sweepId, by, cancellationToken) is { } refused)
        {
            return refused;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sweep = await db.Sweeps.FirstAsync(s => s.Id == sweepId, cancellationToken);
        if (sweep.Status is SweepStatus.Searching or SweepStatus.Finishing)
        {
            return "The sweep is still running; stop it first.";
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Sweeps.Remove(sweep);
        activity.Add(db, by, ActivityAction.Deleted, ActivitySubject.Sweep, sweep.Id, sweep.Name, Ownership.Of(sweep));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    private async Task<string?> RefusalAsync(int sweepId, Caller by, CancellationToken cancellationToken)
    {
        var ownership = await OwnershipAsync(sweepId, cancellationToken);
        return !by.CanRead(ownership) ? $"There is no sweep {sweepId}."
            : !by.CanEdit(ownership) ? "Only the sweep's owner or an admin can change it."
            : null;
    }

    private static SweepSummary Summarize(Sweep s, (int Started, int Ended, double? Best) progress, Dictionary<string, string> owners)
    {
        var (started, ended, best) = progress;
        var definition = JsonSerializer.Deserialize<SweepDefinition>(s.DefinitionJson, ForecastJson.Options)!;
        return new SweepSummary(s.Id, s.DatasetId, s.Name, s.Status, s.StatusDetail, s.CreatedAt, s.FinishedAt, definition.Method, definition.MaxTrials,
            started, ended, best, s.ChosenRunId, s.ResultRunId, s.OwnerId, s.OwnerId is null ? null : owners.GetValueOrDefault(s.OwnerId), s.Visibility);
    }
}
