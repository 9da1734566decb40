using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Team;
using BlazorForecast.Web.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace BlazorForecast.Web.Api;

/// <summary>Body of POST /api/tokens and POST /api/account/tokens (the latter with the account's e-mail and password).</summary>
public sealed record TokenRequest(string? Name, int? ExpiresInDays, string? Email = null, string? Password = null);

/// <summary>A new token: its secret appears in this answer only.</summary>
public sealed record TokenCreatedResponse(ApiTokenInfo Token, string Secret);

/// <summary>GET /api/me: who the API takes the caller for.</summary>
public sealed record MeResponse(string Id, string Name, TeamRole Role);

/// <summary>Body of POST /api/users.</summary>
public sealed record NewMemberRequest(string Email, string DisplayName, TeamRole Role, string Password);

/// <summary>Body of PATCH /api/users/{id}: what is given changes.</summary>
public sealed record MemberUpdateRequest(TeamRole? Role = null, bool? Locked = null);

/// <summary>
/// Signing out (the layout's form), API tokens (your own: list, create, revoke; or one for a script from an e-mail and
/// password), who am I, the activity feed, and the team's accounts for admins.
/// </summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/account/logout", SignOutAsync).RequireAuthorization().ExcludeFromDescription();

        routes.MapPost("/api/account/tokens", CreateTokenWithPasswordAsync).WithTags("Account").AllowAnonymous()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        routes.MapGet("/api/me", (HttpContext context) =>
        {
            var caller = Caller.From(context.User);
            return TypedResults.Ok(new MeResponse(caller.UserId!, caller.Name, caller.Role!.Value));
        }).WithTags("Account").RequireAuthorization();

        var tokens = routes.MapGroup("/api/tokens").WithTags("Account").RequireAuthorization().RequireAntiforgeryForCookies();
        tokens.MapGet("/", async (HttpContext context, ApiTokens store) => TypedResults.Ok(await store.ListAsync(Caller.From(context.User).UserId!)));
        tokens.MapPost("/", CreateTokenAsync);
        tokens.MapDelete("/{id:int}", RevokeTokenAsync);

        routes.MapGet("/api/activity", async (HttpContext context, ActivityLog activity, int? skip, int? take, CancellationToken ct) =>
            TypedResults.Ok(await activity.ListAsync(Caller.From(context.User), skip ?? 0, take ?? 50, ct))).WithTags("Team").RequireAuthorization();

        var users = routes.MapGroup("/api/users").WithTags("Team").RequireAuthorization(TeamAccessRegistration.AdminOnly).RequireAntiforgeryForCookies();
        users.MapGet("/", async (TeamAccounts accounts) => TypedResults.Ok(await accounts.ListAsync()));
        users.MapPost("/", AddMemberAsync);
        users.MapPatch("/{id}", UpdateMemberAsync).ProducesProblem(StatusCodes.Status409Conflict);
        users.MapDelete("/{id}", RemoveMemberAsync).ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> SignOutAsync(
        HttpContext context, IAntiforgery antiforgery, SignInManager<AppUser> signIn)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.Problem("The sign-out form's antiforgery token is missing or wrong; reload the page and try again.",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid form");
        }

        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect("~/account/login");
    }

    private static async Task<Results<Created<TokenCreatedResponse>, ProblemHttpResult>> CreateTokenWithPasswordAsync(
        TokenRequest request, HttpContext context, UserManager<AppUser> users, SignInManager<AppUser> signIn, ApiTokens store, TeamRateLimits limits)
    {
        if (limits.TryAcquirePasswordCheck(context) is { } limited)
        {
            return ApiProblems.TooManyRequests(limited);
        }

        var user = string.IsNullOrWhiteSpace(request.Email) ? null : await users.FindByEmailAsync(request.Email.Trim());
        var check = user is null ? null : await signIn.CheckPasswordSignInAsync(user, request.Password ?? "", lockoutOnFailure: true);
        if (check is null || !check.Succeeded)
        {
            return TypedResults.Problem(AccountLocks.SignInFailed, statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in");
        }

        return await IssueAsync(store, user!.Id, request);
    }

    private static Task<Results<Created<TokenCreatedResponse>, ProblemHttpResult>> CreateTokenAsync(TokenRequest request, HttpContext context, ApiTokens store) =>
        IssueAsync(store, Caller.From(context.User).UserId!, request);

    private static async Task<Results<Created<TokenCreatedResponse>, ProblemHttpResult>> IssueAsync(ApiTokens store, string userId, TokenRequest request)
    {
        var (token, problem) = await store.CreateAsync(userId, request.Name ?? "", request.ExpiresInDays);
        return token is null
            ? TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "The token cannot be created")
            : TypedResults.Created($"/api/tokens/{token.Token.Id}", new TokenCreatedResponse(token.Token, token.Secret));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeTokenAsync(int id, HttpContext context, ApiTokens store) =>
        await store.RevokeAsync(Caller.From(context.User).UserId!, id)
            ? TypedResults.NoContent()
            : TypedResults.Problem($"You have no token {id}.", statusCode: StatusCodes.Status404NotFound, title: "Token not found");

    private static async Task<Results<Created<TeamMember>, ProblemHttpResult>> AddMemberAsync(NewMemberRequest request, TeamAccounts accounts)
    {
        var result = await accounts.CreateAsync(request.Email, request.DisplayName, request.Password, request.Role);
        if (!result.Succeeded)
        {
            return TypedResults.Problem(string.Join(" ", result.Problems), statusCode: StatusCodes.Status400BadRequest, title: "The account cannot be created",
                extensions: new Dictionary<string, object?> { ["problems"] = result.Problems });
        }

        var member = (await accounts.FindAsync(result.UserId!))!;
        return TypedResults.Created($"/api/users/{member.Id}", member);
    }

    private static async Task<Results<Ok<TeamMember>, ProblemHttpResult>> UpdateMemberAsync(
        string id, MemberUpdateRequest update, HttpContext context, TeamAccounts accounts)
    {
        var problem = update.Role is { } role ? await accounts.SetRoleAsync(id, role) : null;
        if (problem is null && update.Locked is { } locked)
        {
            problem = await accounts.SetLockedAsync(id, locked, Caller.From(context.User));
        }

        return await MemberResultAsync(id, problem, accounts);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveMemberAsync(string id, HttpContext context, TeamAccounts accounts)
    {
        var problem = await accounts.RemoveAsync(id, Caller.From(context.User));
        return problem is null ? TypedResults.NoContent() : MemberProblem(problem);
    }

    private static async Task<Results<Ok<TeamMember>, ProblemHttpResult>> MemberResultAsync(string id, string? problem, TeamAccounts accounts)
    {
        if (problem is not null)
        {
            return MemberProblem(problem);
        }

        var member = await accounts.FindAsync(id);
        return member is null ? MemberProblem(TeamAccounts.NoSuchAccount) : TypedResults.Ok(member);
    }

    private static ProblemHttpResult MemberProblem(string problem) => TypedResults.Problem(problem,
        statusCode: problem == TeamAccounts.NoSuchAccount ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict,
        title: "The account cannot be changed");
}
