namespace BlazorForecast.Web.Data;

/// <summary>
/// A personal token for scripts and the CLI, sent as "Authorization: Bearer …". Only its SHA-256 hash is stored; the
/// prefix lets people tell their tokens apart in the list.
/// </summary>
public sealed class ApiToken
{
    public int Id { get; set; }

    public required string UserId { get; set; }

    public required string Name { get; set; }

    public required string Prefix { get; set; }

    public required string Hash { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? ExpiresAt { get; set; }

    public DateTime? LastUsedAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}
