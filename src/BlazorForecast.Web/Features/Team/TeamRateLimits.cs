using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Features.Team;

/// <summary>What a person may do only so often.</summary>
public enum LimitedAction
{
    /// <summary>Dataset uploads and model-file imports.</summary>
    Upload,

    RunLaunch,

    /// <summary>Password checks (sign-in form and API), per client address.</summary>
    PasswordCheck,
}

/// <summary>
/// Per-person limits on uploads and run launches (and per-address on password checks), shared by the API and the
/// pages so neither is a way round the other. Sliding one-minute windows, sizes from <see cref="TeamOptions"/>.
/// </summary>
public sealed class TeamRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<(LimitedAction Action, string Key)> _limiter;
    private readonly TeamOptions _options;

    public TeamRateLimits(IOptions<TeamOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _limiter = PartitionedRateLimiter.Create<(LimitedAction Action, string Key), (LimitedAction, string)>(request =>
            RateLimitPartition.GetSlidingWindowLimiter(request, key => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = Limit(key.Item1),
                Window = TimeSpan.FromMinutes(1),
                SegmentsPerWindow = 6,
                QueueLimit = 0,
            }));
    }

    public int Limit(LimitedAction action) => action switch
    {
        LimitedAction.Upload => _options.UploadsPerMinute,
        LimitedAction.RunLaunch => _options.RunLaunchesPerMinute,
        _ => _options.PasswordChecksPerMinute,
    };

    /// <summary>A password check by the request's client address: null when granted, else the message to show.</summary>
    public string? TryAcquirePasswordCheck(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return TryAcquire(LimitedAction.PasswordCheck, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    /// <summary>Takes one permit; null when granted, else the message to show (with when to try again).</summary>
    public string? TryAcquire(LimitedAction action, string key)
    {
        using var lease = _limiter.AttemptAcquire((action, key));
        if (lease.IsAcquired)
        {
            return null;
        }

        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 10;
        var what = action switch
        {
            LimitedAction.Upload => "uploads",
            LimitedAction.RunLaunch => "run launches",
            _ => "sign-in attempts",
        };
        return $"Too many {what}: at most {Limit(action)} a minute. Try again in {wait} s.";
    }

    public void Dispose() => _limiter.Dispose();
}
