namespace BlazorForecast.Web.Features.Team;

/// <summary>
/// The two kinds of lock on an account. An admin's lock has no end (<see cref="AdminLockEnd"/>) and stops everything:
/// sign-ins, open sessions and API tokens. A lockout after too many wrong passwords ends after a while and stops
/// password sign-ins only, so someone guessing at an e-mail address cannot take its owner's sessions or scripts down.
/// </summary>
public static class AccountLocks
{
    public static readonly DateTimeOffset AdminLockEnd = DateTimeOffset.MaxValue;

    /// <summary>The one answer to every failed sign-in: it never tells whether the account exists or is locked.</summary>
    public const string SignInFailed =
        "Sign-in failed: the e-mail address or the password is wrong, or the account is locked (for a while after too many attempts, or by an admin).";

    public static bool IsLockedByAdmin(DateTimeOffset? lockoutEnd) => lockoutEnd == AdminLockEnd;
}
