namespace BlazorForecast.Web.Data;

/// <summary>
/// A read-only link to one run's results for people without an account (/share/{secret}). Only the secret's SHA-256
/// hash is stored; a link always expires, and its run's owner or an admin can revoke it sooner.
/// </summary>
public sealed class RunShareLink
{
    public int Id { get; set; }

    public int RunId { get; set; }

    public required string Hash { get; set; }

    public required string CreatedById { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}
