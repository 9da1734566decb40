namespace BlazorForecast.Web.Features.Team;

/// <summary>Someone did something more often than <see cref="TeamRateLimits"/> allows; the message says when to retry.</summary>
public sealed class RateLimitedException(string message) : Exception(message)
{
    /// <summary>Takes a permit for the person (none needed for the app's own work, e.g. seeding the demo).</summary>
    public static void ThrowIfLimited(TeamRateLimits limits, LimitedAction action, string? userId)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (userId is not null && limits.TryAcquire(action, userId) is { } problem)
        {
            throw new RateLimitedException(problem);
        }
    }
}
