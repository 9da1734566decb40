using BlazorForecast.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorForecast.Web.Features.Team;

/// <summary>A share link as its run's owner sees it in the list (never the secret).</summary>
public sealed record ShareLinkInfo(int Id, int RunId, DateTime CreatedAt, DateTime ExpiresAt, DateTime? RevokedAt)
{
    public bool IsActive(DateTime now) => RevokedAt is null && ExpiresAt > now;
}

/// <summary>A link just made: the address with its secret is shown this once.</summary>
public sealed record CreatedShareLink(ShareLinkInfo Link, string Secret)
{
    public string Path => $"share/{Secret}";
}

/// <summary>
/// Read-only links to a finished run's results for people without an account. The <see cref="Secrets"/> secret travels
/// only in the address; the database keeps its hash. Every link expires (at most <see cref="MaxDays"/> days).
/// </summary>
public sealed class RunShareLinks(IDbContextFactory<ForecastDbContext> dbFactory, ActivityLog activity, TimeProvider time)
{
    public const int MaxDays = 90;
    public const int DefaultDays = 7;

    public async Task<(CreatedShareLink? Link, string? Problem)> CreateAsync(int runId, Caller by, int expiresInDays, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (expiresInDays is < 1 or > MaxDays)
        {
            return (null, $"A share link lasts 1 to {MaxDays} days.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new { r.Name, r.Status, Ownership = new Ownership(r.OwnerId, r.Visibility), HasResults = r.ResultJson != null && r.ResultJson != "[]" })
            .FirstOrDefaultAsync(cancellationToken);
        if (run is null || !by.CanRead(run.Ownership))
        {
            return (null, $"There is no run {runId}.");
        }

        if (!by.CanEdit(run.Ownership))
        {
            return (null, "Only the run's owner or an admin can share it.");
        }

        if (run.Status != RunStatus.Succeeded || !run.HasResults)
        {
            return (null, "Only a finished run with test results can be shared.");
        }

        var secret = Secrets.New();
        var now = time.GetUtcNow().UtcDateTime;
        var link = new RunShareLink { RunId = runId, Hash = Secrets.Hash(secret), CreatedById = by.UserId!, CreatedAt = now, ExpiresAt = now.AddDays(expiresInDays) };
        db.RunShareLinks.Add(link);
        activity.Add(db, by, ActivityAction.Shared, ActivitySubject.Run, runId, run.Name, run.Ownership);
        await db.SaveChangesAsync(cancellationToken);
        return (new CreatedShareLink(ToInfo(link), secret), null);
    }

    public async Task<IReadOnlyList<ShareLinkInfo>> ListAsync(int runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var links = await db.RunShareLinks.AsNoTracking().Where(l => l.RunId == runId).OrderByDescending(l => l.Id).ToListAsync(cancellationToken);
        return links.Select(ToInfo).ToList();
    }

    /// <summary>Revokes a link of the run at once; false when the run has no such link or it is not the caller's to revoke.</summary>
    public async Task<bool> RevokeAsync(int runId, int linkId, Caller by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ownership = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => new Ownership(r.OwnerId, r.Visibility)).FirstOrDefaultAsync(cancellationToken);
        var link = await db.RunShareLinks.FirstOrDefaultAsync(l => l.Id == linkId && l.RunId == runId, cancellationToken);
        if (link is null || ownership is null || !by.CanEdit(ownership))
        {
            return false;
        }

        if (link.RevokedAt is null)
        {
            link.RevokedAt = time.GetUtcNow().UtcDateTime;
            await activity.AddAndSaveAsync(db, by, ActivityAction.Unshared, runId, cancellationToken);
        }

        return true;
    }

    /// <summary>The run a live link opens, or null for an unknown, expired or revoked one (all alike to the visitor).</summary>
    public async Task<int?> ResolveAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > 100)
        {
            return null;
        }

        var hash = Secrets.Hash(secret);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.RunShareLinks.AsNoTracking()
            .Where(l => l.Hash == hash && l.RevokedAt == null && l.ExpiresAt > now)
            .Select(l => (int?)l.RunId)
            .FirstOrDefaultAsync(cancellationToken);
    }

    private static ShareLinkInfo ToInfo(RunShareLink l) => new(l.Id, l.RunId, l.CreatedAt, l.ExpiresAt, l.RevokedAt);
}
