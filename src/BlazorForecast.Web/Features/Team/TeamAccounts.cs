using System.Net.Mail;
using BlazorForecast.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Features.Team;

/// <summary>An account as the team page and GET /api/users show it.</summary>
public sealed record TeamMember(string Id, string Email, string DisplayName, TeamRole Role, DateTime CreatedAt, DateTimeOffset? LockedUntil);

/// <summary>The new account's id, or every reason it was not created.</summary>
public sealed record AccountResult(string? UserId, IReadOnlyList<string> Problems)
{
    public bool Succeeded => UserId is not null;

    public static AccountResult Failed(params string[] problems) => new(null, problems);
}

/// <summary>
/// The team's accounts: roles and the first admin at start-up, adding people, changing roles, locking and removing.
/// Each operation takes its own scope (Identity's managers are scoped), so pages and endpoints share one singleton.
/// </summary>
public sealed partial class TeamAccounts(
    IServiceScopeFactory scopes,
    IOptions<TeamOptions> options,
    TimeProvider time,
    ILogger<TeamAccounts> logger) : IDisposable
{
    public const int MaxDisplayNameLength = 100;
    public const string NoSuchAccount = "There is no such account.";
    private const string OnlyAdmin = "This is the only admin; make someone else admin first.";

    private readonly SemaphoreSlim _firstAccount = new(1, 1);

    /// <summary>Creates the roles, and the configured admin when that account does not exist yet.</summary>
    public async Task InitializeAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Enum.GetValues<TeamRole>())
        {
            if (!await roles.RoleExistsAsync(role.ToString()))
            {
                await roles.CreateAsync(new IdentityRole(role.ToString()));
            }
        }

        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.AdminEmail) || string.IsNullOrEmpty(settings.AdminPassword))
        {
            return;
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync(settings.AdminEmail) is not null)
        {
            return;
        }

        var created = await CreateAsync(settings.AdminEmail, settings.AdminName, settings.AdminPassword, TeamRole.Admin);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(
                $"The admin account from {TeamOptions.Section}:AdminEmail could not be created: {string.Join(" ", created.Problems)}");
        }

        LogAdminCreated(logger, settings.AdminEmail);
    }

    public async Task<bool> HasAccountsAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().Users.AnyAsync();
    }

    /// <summary>The first account of a new instance becomes its admin; refused once any account exists.</summary>
    public async Task<AccountResult> CreateFirstAdminAsync(string email, string displayName, string password)
    {
        await _firstAccount.WaitAsync();
        try
        {
            return await HasAccountsAsync()
                ? AccountResult.Failed("This instance already has its admin; sign in, or ask the admin for an account.")
                : await CreateAsync(email, displayName, password, TeamRole.Admin);
        }
        finally
        {
            _firstAccount.Release();
        }
    }

    public async Task<AccountResult> CreateAsync(string email, string displayName, string password, TeamRole role)
    {
        var problems = new List<string>();
        email = email?.Trim() ?? "";
        displayName = displayName?.Trim() ?? "";
        if (!MailAddress.TryCreate(email, out var address) || address.Address != email)
        {
            problems.Add($"'{email}' is not an e-mail address.");
        }

        if (displayName.Length is 0 or > MaxDisplayNameLength)
        {
            problems.Add($"A name needs 1 to {MaxDisplayNameLength} characters.");
        }

        if (problems.Count > 0)
        {
            return new AccountResult(null, problems);
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, DisplayName = displayName, CreatedAt = time.GetUtcNow().UtcDateTime };
        var result = await users.CreateAsync(user, password ?? "");
        if (!result.Succeeded)
        {
            return new AccountResult(null, result.Errors.Select(e => e.Description).ToList());
        }

        await users.AddToRoleAsync(user, role.ToString());
        return new AccountResult(user.Id, []);
    }

    public Task<IReadOnlyList<TeamMember>> ListAsync() => MembersAsync(null);

    /// <summary>One account as the team page shows it, or null.</summary>
    public async Task<TeamMember?> FindAsync(string userId) => (await MembersAsync(userId)).SingleOrDefault();

    /// <summary>Gives an account another role; null when done, else why not (the last admin stays an admin).</summary>
    public Task<string?> SetRoleAsync(string userId, TeamRole role) => ChangeAsync(userId, async (users, user) =>
    {
        var current = await users.GetRolesAsync(user);
        if (current.Contains(nameof(TeamRole.Admin)) && role != TeamRole.Admin && await IsLastAdminAsync(users))
        {
            return OnlyAdmin;
        }

        await users.RemoveFromRolesAsync(user, current);
        await users.AddToRoleAsync(user, role.ToString());

        // A new security stamp ends the account's browser sessions within a minute, so they come back with the new
        // role; API tokens read the roles on every request anyway.
        await users.UpdateSecurityStampAsync(user);
        return null;
    });

    /// <summary>Locks an account until unlocked (or unlocks it); its open sessions end at their next stamp check.</summary>
    public Task<string?> SetLockedAsync(string userId, bool locked, Caller by)
    {
        ArgumentNullException.ThrowIfNull(by);
        return locked && userId == by.UserId
            ? Task.FromResult<string?>("You cannot lock your own account.")
            : ChangeAsync(userId, async (users, user) =>
            {
                await users.SetLockoutEnabledAsync(user, true);
                await users.SetLockoutEndDateAsync(user, locked ? AccountLocks.AdminLockEnd : null);
                await users.ResetAccessFailedCountAsync(user);
                await users.UpdateSecurityStampAsync(user);
                return null;
            });
    }

    /// <summary>Removes an account; what it owned stays, owned by nobody (admins can still manage it).</summary>
    public Task<string?> RemoveAsync(string userId, Caller by)
    {
        ArgumentNullException.ThrowIfNull(by);
        return userId == by.UserId
            ? Task.FromResult<string?>("You cannot remove your own account.")
            : ChangeAsync(userId, async (users, user) =>
            {
                if (await users.IsInRoleAsync(user, nameof(TeamRole.Admin)) && await IsLastAdminAsync(users))
                {
                    return OnlyAdmin;
                }

                await users.DeleteAsync(user);
                return null;
            });
    }

    public void Dispose() => _firstAccount.Dispose();

    // Every account, or the one with this id, with its strongest role and any lockout still running.
    private async Task<IReadOnlyList<TeamMember>> MembersAsync(string? userId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForecastDbContext>();
        var rows = await db.Users.AsNoTracking()
            .Where(u => userId == null || u.Id == userId)
            .OrderBy(u => u.DisplayName)
            .Select(u => new
            {
                User = u,
                Roles = db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToList(),
            })
            .ToListAsync();
        var now = time.GetUtcNow();
        return rows.Select(row => new TeamMember(
            row.User.Id, row.User.Email ?? "", row.User.DisplayName, StrongestRole(row.Roles), row.User.CreatedAt,
            row.User.LockoutEnd > now ? row.User.LockoutEnd : null)).ToList();
    }

    // Finds the account in a scope of its own and applies the change; null when done, else the reason.
    private async Task<string?> ChangeAsync(string userId, Func<UserManager<AppUser>, AppUser, Task<string?>> change)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await users.FindByIdAsync(userId) is { } user ? await change(users, user) : NoSuchAccount;
    }

    private static async Task<bool> IsLastAdminAsync(UserManager<AppUser> users) =>
        (await users.GetUsersInRoleAsync(nameof(TeamRole.Admin))).Count <= 1;

    private static TeamRole StrongestRole(IEnumerable<string?> names) =>
        names.Select(n => Enum.TryParse<TeamRole>(n, out var role) ? role : TeamRole.Viewer).DefaultIfEmpty(TeamRole.Viewer).Max();

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the admin account {Email} from configuration")]
    private static partial void LogAdminCreated(ILogger logger, string email);
}
