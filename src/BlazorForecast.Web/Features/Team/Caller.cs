using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using BlazorForecast.Web.Data;

namespace BlazorForecast.Web.Features.Team;

/// <summary>Who owns a dataset or run and who else may see it.</summary>
public sealed record Ownership(string? OwnerId, Visibility Visibility)
{
    public static Ownership Of(IOwned owned)
    {
        ArgumentNullException.ThrowIfNull(owned);
        return new Ownership(owned.OwnerId, owned.Visibility);
    }
}

/// <summary>
/// The person behind a request, a hub call or a Blazor circuit, and what the team's rules let them do. Every page,
/// endpoint and hub method asks this one type, so the rules live in one place.
/// </summary>
public sealed record Caller(string? UserId, string Name, TeamRole? Role)
{
    public static Caller Anonymous { get; } = new(null, "Anonymous", null);

    public bool IsSignedIn => Role is not null;

    public bool IsAdmin => Role == TeamRole.Admin;

    /// <summary>Members and admins upload datasets and start runs; viewers only read.</summary>
    public bool CanCreate => Role is TeamRole.Member or TeamRole.Admin;

    public static Caller From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (user.Identity?.IsAuthenticated != true || id is null)
        {
            return Anonymous;
        }

        // An account holds one role; should it hold several, the strongest counts.
        TeamRole? role = null;
        foreach (var candidate in Enum.GetValues<TeamRole>())
        {
            if (user.IsInRole(candidate.ToString()))
            {
                role = candidate;
            }
        }

        return new Caller(id, user.FindFirstValue(TeamClaims.DisplayName) ?? user.Identity.Name ?? id, role);
    }

    public bool Owns(Ownership ownership)
    {
        ArgumentNullException.ThrowIfNull(ownership);
        return UserId is not null && ownership.OwnerId == UserId;
    }

    /// <summary>Whether the caller may see it; nothing (a missing dataset or run, null) is never readable.</summary>
    public bool CanRead([NotNullWhen(true)] Ownership? ownership) =>
        ownership is not null && IsSignedIn && (IsAdmin || ownership.Visibility == Visibility.Team || Owns(ownership));

    /// <summary>Rename, annotate, stop, resume, delete, share: the owner (if a member) and admins.</summary>
    public bool CanEdit(Ownership ownership)
    {
        ArgumentNullException.ThrowIfNull(ownership);
        return IsAdmin || (Role == TeamRole.Member && Owns(ownership));
    }
}

/// <summary>Claims the app adds to a signed-in principal besides Identity's own.</summary>
public static class TeamClaims
{
    public const string DisplayName = "blazorforecast:display_name";
}

/// <summary>Filters queries to what a caller may read, in SQL.</summary>
public static class OwnedQueries
{
    public static IQueryable<T> VisibleTo<T>(this IQueryable<T> query, Caller caller)
        where T : class, IOwned
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAdmin)
        {
            return query;
        }

        if (!caller.IsSignedIn)
        {
            return query.Where(_ => false);
        }

        var userId = caller.UserId;
        return query.Where(item => item.Visibility == Visibility.Team || item.OwnerId == userId);
    }
}
