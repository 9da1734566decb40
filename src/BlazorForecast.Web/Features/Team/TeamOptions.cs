using BlazorForecast.Web.Data;

namespace BlazorForecast.Web.Features.Team;

/// <summary>Settings under "BlazorForecast:Team".</summary>
public sealed class TeamOptions
{
    public const string Section = "BlazorForecast:Team";

    /// <summary>
    /// With <see cref="AdminPassword"/>, the admin account created at start-up when it does not exist yet. Without
    /// them, the first person to open a new instance creates the admin account.
    /// </summary>
    public string? AdminEmail { get; set; }

    public string? AdminPassword { get; set; }

    public string AdminName { get; set; } = "Administrator";

    /// <summary>Whether people may create their own (viewer) accounts; off, only admins add people.</summary>
    public bool AllowRegistration { get; set; }

    /// <summary>Who sees a new dataset or run unless its owner says otherwise.</summary>
    public Visibility DefaultVisibility { get; set; } = Visibility.Team;

    /// <summary>Failed sign-ins in a row before an account is locked, and for how long.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Uploads (datasets and model files) and run launches one person may make per minute.</summary>
    public int UploadsPerMinute { get; set; } = 20;

    public int RunLaunchesPerMinute { get; set; } = 30;

    /// <summary>
    /// Password checks (sign-in form and API token requests) one client address may make per minute, whichever
    /// accounts they name. Behind a reverse proxy every request comes from the proxy's address, so this is per team.
    /// </summary>
    public int PasswordChecksPerMinute { get; set; } = 30;

    /// <summary>
    /// The longest an API token may live, in days (365 by default): every token expires. Tokens created before this
    /// limit without an expiry stop this many days after they were created.
    /// </summary>
    public int MaxTokenLifetimeDays { get; set; } = 365;
}
