using BlazorForecast.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace BlazorForecast.Web.Features.Training;

/// <summary>
/// How training workers share the queue in PostgreSQL: each claims the oldest queued run it can serve in one
/// statement that skips rows another worker has locked, so no run is claimed twice; holds it by renewing a lease; and
/// any worker gives a run whose lease has passed (its worker died) back to the queue, to resume from its checkpoint,
/// or, after too many attempts, ends it as interrupted with the reason.
/// </summary>
public static class RunClaims
{
    /// <summary>The oldest queued run this worker can serve, now Running and held by it until the lease ends; null when none waits.</summary>
    public static async Task<int?> ClaimNextAsync(ForecastDbContext db, string worker, bool hasGpu, DateTime now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var claimed = await db.Database.SqlQuery<int>($"""
            UPDATE "Runs" SET "Status" = 'Running', "ClaimedBy" = {worker}, "LeaseExpiresAt" = {now + lease}, "Attempts" = "Attempts" + 1
            WHERE "Id" = (
                SELECT "Id" FROM "Runs"
                WHERE "Status" = 'Queued' AND ({hasGpu} OR NOT "NeedsGpu")
                ORDER BY "CreatedAt", "Id"
                FOR UPDATE SKIP LOCKED
                LIMIT 1)
            RETURNING "Id" AS "Value"
            """).ToListAsync(cancellationToken);
        return claimed.Count == 0 ? null : claimed[0];
    }

    /// <summary>
    /// Extends this worker's hold on its runs; returns those to stop: asked to by someone, or no longer this worker's
    /// (taken for dead after a pause, its run was given to another).
    /// </summary>
    public static async Task<IReadOnlyList<int>> RenewAsync(
        ForecastDbContext db, string worker, IReadOnlyCollection<int> runIds, DateTime until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (runIds.Count == 0)
        {
            return [];
        }

        await db.Runs.Where(r => runIds.Contains(r.Id) && r.ClaimedBy == worker && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.LeaseExpiresAt, until), cancellationToken);
        return await db.Runs.Where(r => runIds.Contains(r.Id) && (r.CancelRequested || r.ClaimedBy == null || r.ClaimedBy != worker))
            .Select(r => r.Id).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Runs whose worker stopped renewing: queued again to resume from their last checkpoint, or, once they have been
    /// claimed <paramref name="maxAttempts"/> times, interrupted with the reason. Returns the runs queued again and those ended.
    /// </summary>
    public static async Task<(IReadOnlyList<int> Requeued, IReadOnlyList<int> GivenUp)> ReleaseExpiredAsync(
        ForecastDbContext db, DateTime now, int maxAttempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var expired = await db.Runs.Where(r => r.Status == RunStatus.Running && r.ClaimedBy != null && r.LeaseExpiresAt < now)
            .Select(r => new { r.Id, r.Attempts, r.ClaimedBy }).ToListAsync(cancellationToken);
        var requeued = new List<int>();
        var givenUp = new List<int>();
        foreach (var run in expired)
        {
            var detail = run.Attempts < maxAttempts
                ? $"Its worker ({run.ClaimedBy}) stopped answering; queued again to resume from its last checkpoint (attempt {run.Attempts + 1} of {maxAttempts})."
                : $"Its workers stopped answering {run.Attempts} times (the last was {run.ClaimedBy}); it was not queued again. Resume it from its last checkpoint, or retry it.";
            var done = await db.Runs.Where(r => r.Id == run.Id && r.Status == RunStatus.Running && r.LeaseExpiresAt < now)
                .ExecuteUpdateAsync(set => Release(set, run.Attempts < maxAttempts ? RunStatus.Queued : RunStatus.Interrupted, detail), cancellationToken);
            if (done == 1)
            {
                (run.Attempts < maxAttempts ? requeued : givenUp).Add(run.Id);
            }
        }

        return (requeued, givenUp);
    }

    /// <summary>
    /// Lets go of a run's claim (its worker died, or handed it back): its new status with the reason, to resume from its
    /// checkpoint when it trains again.
    /// </summary>
    public static void Release(UpdateSettersBuilder<Run> set, RunStatus status, string detail)
    {
        ArgumentNullException.ThrowIfNull(set);
        set.SetProperty(r => r.Status, status)
            .SetProperty(r => r.ResumeFromCheckpoint, true)
            .SetProperty(r => r.ClaimedBy, (string?)null)
            .SetProperty(r => r.LeaseExpiresAt, (DateTime?)null)
            .SetProperty(r => r.FinishedAt, (DateTime?)null)
            .SetProperty(r => r.StatusDetail, detail);
    }
}
