using BlazorForecast.Forecasting.Sweeps;
using BlazorForecast.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorForecast.Web.Features.Sweeps;

/// <summary>
/// What the sweep pages, the API, the coordinator and the run views read the same way off a sweep's trial runs: a
/// trial's state, a sweep's progress, each trial's objective from its stored epochs, and whether a trial's test scores
/// are still withheld.
/// </summary>
public static class SweepTrials
{
    /// <summary>How a trial run stands for the sampler and the page, from its run status.</summary>
    public static TrialState StateOf(RunStatus status, string? stoppedEarlyBecause) => status switch
    {
        RunStatus.Queued or RunStatus.Running => TrialState.Running,
        RunStatus.Succeeded => TrialState.Complete,
        RunStatus.Cancelled when stoppedEarlyBecause is not null => TrialState.Stopped,
        _ => TrialState.Failed,
    };

    /// <summary>Trials started and ended, and the best objective of the completed ones.</summary>
    public static (int Started, int Ended, double? Best) Progress(IReadOnlyCollection<(RunStatus Status, double? Objective)> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        return (trials.Count, trials.Count(t => t.Status is not (RunStatus.Queued or RunStatus.Running)),
            trials.Where(t => t.Status == RunStatus.Succeeded).Min(t => t.Objective));
    }

    /// <summary>
    /// Each run's epochs, objective and longest training from its stored epochs: the objective is the best validation
    /// loss of each training (fold and seed), averaged; null when a training's loss is not a number. For a trial still
    /// training it is its loss so far.
    /// </summary>
    public static async Task<Dictionary<int, (int Epochs, double? Objective, int LongestTraining)>> ObjectivesAsync(
        ForecastDbContext db, IReadOnlyCollection<int> runIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var trainings = await db.RunEpochs.AsNoTracking().Where(e => runIds.Contains(e.RunId)).GroupBy(e => new { e.RunId, e.Fold, e.SeedIndex })
            .Select(g => new { g.Key.RunId, Count = g.Count(), Best = g.Min(e => e.ValidationLoss) }).ToListAsync(cancellationToken);
        return trainings.GroupBy(t => t.RunId).ToDictionary(g => g.Key, g =>
        {
            var best = g.Average(t => t.Best);
            return (g.Sum(t => t.Count), double.IsFinite(best) ? best : (double?)null, g.Max(t => t.Count));
        });
    }

    /// <summary>
    /// The last successive-halving rung a trial reached (1 for the first), from the epochs of its longest training;
    /// null under another rule or before the first rung.
    /// </summary>
    public static int? RungReached(SweepDefinition definition, int maxEpochs, int longestTraining)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.EarlyStopping != EarlyStoppingRule.SuccessiveHalving)
        {
            return null;
        }

        var reached = SuccessiveHalvingPruner.RungsOf(definition.MinEpochs, definition.ReductionFactor, maxEpochs).Count(r => r <= longestTraining);
        return reached == 0 ? null : reached;
    }

    /// <summary>A trial's test scores wait until its sweep has its result: trials are compared on validation loss only.</summary>
    public static async Task<bool> TestScoresWithheldAsync(ForecastDbContext db, SweepRole role, int? sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return role == SweepRole.Trial && await db.Sweeps.AnyAsync(s => s.Id == sweepId && s.Status != SweepStatus.Finished, cancellationToken);
    }
}
