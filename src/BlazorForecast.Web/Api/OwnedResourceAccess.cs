using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Runs;
using BlazorForecast.Web.Features.Sweeps;
using BlazorForecast.Web.Features.Team;
using Microsoft.AspNetCore.Antiforgery;

namespace BlazorForecast.Web.Api;

/// <summary>
/// The team's rules on every /api/datasets/{id}, /api/runs/{id} and /api/sweeps/{id} endpoint, before it runs: what the caller may not
/// read answers 404 exactly like what does not exist (no probing for private ids); what they may read but not change
/// answers 403 to anything but GET. Unsafe requests signed in by the browser cookie must also carry an antiforgery
/// token; API tokens are not ambient, so requests bearing one need none.
/// </summary>
public static class OwnedResourceAccess
{
    public static RouteGroupBuilder RequireDatasetAccess(this RouteGroupBuilder group) =>
        group.RequireOwnedAccess("dataset", "Dataset not found", (services, id, ct) => services.GetRequiredService<DatasetService>().OwnershipAsync(id, ct));

    public static RouteGroupBuilder RequireRunAccess(this RouteGroupBuilder group) =>
        group.RequireOwnedAccess("run", "Run not found", (services, id, ct) => services.GetRequiredService<RunService>().OwnershipAsync(id, ct));

    public static RouteGroupBuilder RequireSweepAccess(this RouteGroupBuilder group) =>
        group.RequireOwnedAccess("sweep", "Sweep not found", (services, id, ct) => services.GetRequiredService<SweepService>().OwnershipAsync(id, ct));

    /// <summary>Cookie-authenticated POST, PATCH and DELETE requests need the antiforgery token (header RequestVerificationToken).</summary>
    public static RouteGroupBuilder RequireAntiforgeryForCookies(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (IsSafe(http.Request.Method) || http.User.Identity?.AuthenticationType == ApiTokenAuthenticationHandler.SchemeName)
            {
                return await next(context);
            }

            return await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http)
                ? await next(context)
                : TypedResults.Problem(
                    "Requests signed in with the browser's cookie must carry an antiforgery token; scripts should send an API token instead.",
                    statusCode: StatusCodes.Status400BadRequest, title: "Antiforgery token missing");
        });
        return group;
    }

    private static RouteGroupBuilder RequireOwnedAccess(
        this RouteGroupBuilder group, string noun, string notFoundTitle, Func<IServiceProvider, int, CancellationToken, Task<Ownership?>> lookup)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (!int.TryParse(http.Request.RouteValues["id"]?.ToString(), out var id))
            {
                return await next(context);
            }

            var caller = Caller.From(http.User);
            var ownership = await lookup(http.RequestServices, id, http.RequestAborted);
            if (!caller.CanRead(ownership))
            {
                return TypedResults.Problem($"There is no {noun} {id}.", statusCode: StatusCodes.Status404NotFound, title: notFoundTitle);
            }

            return IsSafe(http.Request.Method) || caller.CanEdit(ownership)
                ? await next(context)
                : TypedResults.Problem(
                    caller.CanCreate ? $"Only the {noun}'s owner or an admin can change it." : $"Viewers cannot change a {noun}.",
                    statusCode: StatusCodes.Status403Forbidden, title: "Not allowed");
        });
        return group;
    }

    private static bool IsSafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);
}
