using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Features.Team;

/// <summary>
/// Signs a request in from "Authorization: Bearer bf_…" (or, on the hub's WebSocket, the access_token query value
/// SignalR clients send) as the token's owner, with their current roles; tokens of an account an admin locked or removed stop.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokens tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    /// <summary>The token a request carries, or null when it carries none (it is then a cookie or anonymous request).</summary>
    public static string? ReadSecret(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        return request.Path.StartsWithSegments(Training.TrainingHub.Path) && request.Query.TryGetValue("access_token", out var query)
            ? query.ToString()
            : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = ReadSecret(Request);
        if (string.IsNullOrEmpty(secret))
        {
            return AuthenticateResult.NoResult();
        }

        var holder = await tokens.FindHolderAsync(secret, Context.RequestAborted);
        if (holder is null)
        {
            return AuthenticateResult.Fail("The API token is unknown, expired or revoked.");
        }

        if (holder.IsLockedByAdmin)
        {
            return AuthenticateResult.Fail("The API token's account is locked by an admin.");
        }

        // The claims a cookie sign-in carries (TeamClaimsPrincipalFactory), so both read alike downstream.
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, holder.UserId),
            new(ClaimTypes.Name, holder.UserName),
            new(TeamClaims.DisplayName, holder.DisplayName),
        };
        claims.AddRange(holder.Roles.Select(role => new Claim(ClaimTypes.Role, role)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer";
        await ApiAccessProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized,
            result.Failure?.Message ?? "Sign in, or send an API token as \"Authorization: Bearer …\".");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiAccessProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, ApiAccessProblems.ForbiddenDetail);
}
