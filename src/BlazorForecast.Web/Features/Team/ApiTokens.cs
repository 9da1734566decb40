using BlazorForecast.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Features.Team;

/// <summary>A token as its owner sees it in the list: never the secret itself.</summary>
public sealed record ApiTokenInfo(int Id, string Name, string Prefix, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? LastUsedAt, DateTime? RevokedAt)
{
    public bool IsActive(DateTime now) => RevokedAt is null && ExpiresAt > now;
}

/// <summary>A token just created: the secret is shown this once and stored only as a hash.</summary>
public sealed record CreatedApiToken(ApiTokenInfo Token, string Secret);

/// <summary>
/// The account an API token acts for, as a request needs it. <see cref="IsLockedByAdmin"/>: an admin locked the account,
/// which stops its tokens (a lockout after wrong passwords stops password sign-ins only).
/// </summary>
public sealed record TokenHolder(string UserId, string UserName, string DisplayName, bool IsLockedByAdmin, IReadOnlyList<string> Roles);

/// <summary>
/// Personal API tokens: "bf_" + a <see cref="Secrets"/> secret, stored hashed. Every token expires (at most
/// <see cref="TeamOptions.MaxTokenLifetimeDays"/> after it was made), a password change revokes them all, and revoked
/// and expired tokens stay listed so their owner sees what happened to them.
/// </summary>
public sealed class ApiTokens(IDbContextFactory<ForecastDbContext> dbFactory, IOptions<TeamOptions> team, TimeProvider time)
{
    public const string SecretPrefix = "bf_";
    public const int MaxNameLength = 100;
    public const int MaxActivePerUser = 20;

    /// <summary>How long a token lives when its request says nothing (within the server's longest lifetime).</summary>
    public const int DefaultLifetimeDays = 90;

    // Writing LastUsedAt on every request would turn each read into a write.
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<(CreatedApiToken? Token, string? Problem)> CreateAsync(string userId, string name, int? expiresInDays)
    {
        ArgumentNullException.ThrowIfNull(userId);
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            return (null, $"A token's name needs 1 to {MaxNameLength} characters, e.g. \"laptop CLI\".");
        }

        var maxDays = team.Value.MaxTokenLifetimeDays;
        var days = expiresInDays ?? Math.Min(DefaultLifetimeDays, maxDays);
        if (days < 1 || days > maxDays)
        {
            return (null, $"A token expires after 1 to {maxDays:N0} days; every token expires.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var oldest = now.AddDays(-maxDays);
        await using var db = await dbFactory.CreateDbContextAsync();
        var active = await db.ApiTokens.CountAsync(t => t.UserId == userId && t.RevokedAt == null && (t.ExpiresAt == null ? t.CreatedAt > oldest : t.ExpiresAt > now));
        if (active >= MaxActivePerUser)
        {
            return (null, $"You already have {active} active tokens; revoke one you no longer use first.");
        }

        var secret = SecretPrefix + Secrets.New();
        var token = new ApiToken
        {
            UserId = userId,
            Name = name,
            Prefix = secret[..10],
            Hash = Secrets.Hash(secret),
            CreatedAt = now,
            ExpiresAt = now.AddDays(days),
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync();
        return (new CreatedApiToken(ToInfo(token), secret), null);
    }

    public async Task<IReadOnlyList<ApiTokenInfo>> ListAsync(string userId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.Id).ToListAsync();
        return tokens.Select(ToInfo).ToList();
    }

    /// <summary>Revokes one of the user's tokens; false when they have no such token.</summary>
    public async Task<bool> RevokeAsync(string userId, int tokenId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var now = time.GetUtcNow().UtcDateTime;
        var changed = await db.ApiTokens.Where(t => t.Id == tokenId && t.UserId == userId)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.RevokedAt, t => t.RevokedAt ?? now));
        return changed == 1;
    }

    /// <summary>Revokes every active token of a user (their password changed); how many were revoked.</summary>
    public async Task<int> RevokeAllAsync(string userId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var now = time.GetUtcNow().UtcDateTime;
        return await db.ApiTokens.Where(t => t.UserId == userId && t.RevokedAt == null).ExecuteUpdateAsync(set => set.SetProperty(t => t.RevokedAt, now));
    }

    /// <summary>
    /// The account behind an active token with this secret, with its roles, or null; notes when it was last used. Two
    /// indexed queries (token with its account, then roles), since every API request asks.
    /// </summary>
    public async Task<TokenHolder?> FindHolderAsync(string secret, CancellationToken cancellationToken)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal) || secret.Length > 100)
        {
            return null;
        }

        var hash = Secrets.Hash(secret);
        var now = time.GetUtcNow().UtcDateTime;
        var oldest = now.AddDays(-team.Value.MaxTokenLifetimeDays);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.AsNoTracking()
            .Where(t => t.Hash == hash && t.RevokedAt == null && (t.ExpiresAt == null ? t.CreatedAt > oldest : t.ExpiresAt > now))
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { TokenId = t.Id, t.LastUsedAt, UserId = u.Id, u.UserName, u.DisplayName, u.LockoutEnd })
            .FirstOrDefaultAsync(cancellationToken);
        if (token is null)
        {
            return null;
        }

        var roles = await db.UserRoles.AsNoTracking().Where(ur => ur.UserId == token.UserId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .ToListAsync(cancellationToken);
        if (token.LastUsedAt is null || now - token.LastUsedAt > LastUsedResolution)
        {
            await db.ApiTokens.Where(t => t.Id == token.TokenId).ExecuteUpdateAsync(set => set.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        }

        return new TokenHolder(token.UserId, token.UserName ?? token.UserId, token.DisplayName, AccountLocks.IsLockedByAdmin(token.LockoutEnd), roles);
    }

    // Tokens from before every token expired show when they stop: their creation plus the longest lifetime.
    private ApiTokenInfo ToInfo(ApiToken t) =>
        new(t.Id, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt ?? t.CreatedAt.AddDays(team.Value.MaxTokenLifetimeDays), t.LastUsedAt, t.RevokedAt);
}
