using System.Security.Claims;
using BlazorForecast.Web.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Features.Team;

/// <summary>
/// Checks an open circuit's account every minute: once an admin locks it, it is removed or its role changed (all of
/// which renew the security stamp), the circuit drops to signed out instead of acting with stale rights until the tab
/// is closed. A lockout after wrong passwords (someone guessing) leaves open sessions alone.
/// </summary>
public sealed class RevalidatingTeamAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopes,
    IOptions<IdentityOptions> options) : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var principal = authenticationState.User;
        if (await users.GetUserAsync(principal) is not { } user || AccountLocks.IsLockedByAdmin(await users.GetLockoutEndDateAsync(user)))
        {
            return false;
        }

        if (!users.SupportsUserSecurityStamp)
        {
            return true;
        }

        var stamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        return stamp == await users.GetSecurityStampAsync(user);
    }
}
