using BlazorForecast.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorForecast.Web.Features.Team;

/// <summary>A line of the activity feed as the page and GET /api/activity show it.</summary>
public sealed record ActivityItem(
    long Id, DateTime At, string ActorName, ActivityAction Action, ActivitySubject Subject, int SubjectId, string SubjectName, Visibility Visibility)
{
    /// <summary>"uploaded dataset", "stopped run", …</summary>
    public string Verb => $"{Action switch
    {
        ActivityAction.Imported => "imported a model as",
        ActivityAction.Shared => "made a share link for",
        ActivityAction.Unshared => "revoked a share link for",
        _ => Action.ToString().ToLowerInvariant(),
    }} {Subject.ToString().ToLowerInvariant()}";
}

/// <summary>
/// Who uploaded, started, stopped, deleted or shared what. Entries join the caller's own unit of work (the same
/// SaveChanges as the change they describe), so the feed never claims what did not happen.
/// </summary>
public sealed class ActivityLog(IDbContextFactory<ForecastDbContext> dbFactory, TimeProvider time)
{
    public const int MaxPage = 200;

    /// <summary>Adds an entry about a run to the context; it is written by the caller's next SaveChanges.</summary>
    public void Add(ForecastDbContext db, Caller actor, ActivityAction action, Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Add(db, actor, action, ActivitySubject.Run, run.Id, run.Name, Ownership.Of(run));
    }

    /// <summary>Adds an entry about a dataset to the context; it is written by the caller's next SaveChanges.</summary>
    public void Add(ForecastDbContext db, Caller actor, ActivityAction action, Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Add(db, actor, action, ActivitySubject.Dataset, dataset.Id, dataset.Name, Ownership.Of(dataset));
    }

    /// <summary>Adds an entry about a run known by its id (its name and ownership read from the context), and saves it.</summary>
    public async Task AddAndSaveAsync(ForecastDbContext db, Caller actor, ActivityAction action, int runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new { r.Name, Ownership = new Ownership(r.OwnerId, r.Visibility) })
            .FirstAsync(cancellationToken);
        Add(db, actor, action, ActivitySubject.Run, runId, run.Name, run.Ownership);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Adds an entry to the context; it is written by the caller's next SaveChanges.</summary>
    public void Add(ForecastDbContext db, Caller actor, ActivityAction action, ActivitySubject subject, int subjectId, string subjectName, Ownership ownership)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(ownership);
        db.Activity.Add(new ActivityEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            ActorId = actor.UserId,
            ActorName = actor.IsSignedIn ? actor.Name : "BlazorForecast",
            Action = action,
            Subject = subject,
            SubjectId = subjectId,
            SubjectName = subjectName.Length > 200 ? subjectName[..200] : subjectName,
            OwnerId = ownership.OwnerId,
            Visibility = ownership.Visibility,
        });
    }

    /// <summary>The newest entries the caller may see (private work only for its owner and admins).</summary>
    public async Task<IReadOnlyList<ActivityItem>> ListAsync(Caller caller, int skip = 0, int take = 50, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Activity.AsNoTracking().VisibleTo(caller)
            .OrderByDescending(e => e.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, MaxPage))
            .Select(e => new ActivityItem(e.Id, e.At, e.ActorName, e.Action, e.Subject, e.SubjectId, e.SubjectName, e.Visibility))
            .ToListAsync(cancellationToken);
    }
}
