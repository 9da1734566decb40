using BlazorForecast.Web.Features.Sweeps;
using BlazorForecast.Web.Features.Team;
using BlazorForecast.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorForecast.Web.Api;

/// <summary>
/// /api/sweeps: start a search over settings on a dataset (202, or 400 with every problem), list, read one with its
/// trials (test scores withheld until the sweep has its result), stop, pick the trial to retrain when the sweep waits
/// for a choice (503 while no web node coordinates sweeps, for the seconds one takes to take over from another), delete.
/// </summary>
public static class SweepEndpoints
{
    public static IEndpointRouteBuilder MapSweepEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/sweeps").WithTags("Sweeps")
            .RequireAuthorization().RequireSweepAccess().RequireAntiforgeryForCookies();
        group.MapPost("/", CreateAsync).RequireAuthorization(TeamAccessRegistration.CanCreate).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:int}", GetAsync);
        group.MapPost("/{id:int}/cancel", CancelAsync).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/{id:int}/pick", PickAsync).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapDelete("/{id:int}", DeleteAsync).ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    private static async Task<Results<Accepted<SweepDetails>, ProblemHttpResult>> CreateAsync(
        SweepRequest request, HttpContext context, SweepService sweeps, CancellationToken cancellationToken)
    {
        var caller = Caller.From(context.User);
        try
        {
            var id = await sweeps.CreateAsync(request, caller, cancellationToken);
            return TypedResults.Accepted($"/api/sweeps/{id}", (await sweeps.GetAsync(id, caller, cancellationToken))!);
        }
        catch (SweepValidationException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "The sweep cannot start",
                extensions: new Dictionary<string, object?> { ["problems"] = ex.Problems });
        }
        catch (RateLimitedException ex)
        {
            return ApiProblems.From(ex);
        }
    }

    private static async Task<Ok<IReadOnlyList<SweepSummary>>> ListAsync(HttpContext context, SweepService sweeps, int? datasetId, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sweeps.ListAsync(Caller.From(context.User), datasetId, cancellationToken));

    private static async Task<Results<Ok<SweepDetails>, ProblemHttpResult>> GetAsync(int id, HttpContext context, SweepService sweeps, CancellationToken cancellationToken) =>
        await sweeps.GetAsync(id, Caller.From(context.User), cancellationToken) is { } sweep
            ? TypedResults.Ok(sweep)
            : TypedResults.Problem($"There is no sweep {id}.", statusCode: StatusCodes.Status404NotFound, title: "Sweep not found");

    private static Task<Results<Accepted, ProblemHttpResult>> CancelAsync(int id, HttpContext context, SweepService sweeps, CancellationToken cancellationToken) =>
        AskAsync(id, context, () => sweeps.CancelAsync(id, Caller.From(context.User), cancellationToken), "Nothing to stop");

    private static Task<Results<Accepted, ProblemHttpResult>> PickAsync(
        int id, SweepPickRequest request, HttpContext context, SweepService sweeps, CancellationToken cancellationToken) =>
        AskAsync(id, context, () => sweeps.PickAsync(id, request.RunId, Caller.From(context.User), cancellationToken), "The trial cannot be picked");

    // A stop or a pick: 202, the refusal (409), or 503 while no web node coordinates sweeps (between one and the next).
    private static async Task<Results<Accepted, ProblemHttpResult>> AskAsync(int id, HttpContext context, Func<Task<string?>> ask, string refusedTitle)
    {
        try
        {
            return await ask() is { } problem ? Refused(problem, refusedTitle) : TypedResults.Accepted($"/api/sweeps/{id}");
        }
        catch (SweepsUnavailableException ex)
        {
            context.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Sweeps are not coordinated at this moment");
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(int id, HttpContext context, SweepService sweeps, CancellationToken cancellationToken) =>
        await sweeps.DeleteAsync(id, Caller.From(context.User), cancellationToken) is { } problem
            ? Refused(problem, "The sweep cannot be deleted")
            : TypedResults.NoContent();

    // The access filter has answered 404 and 403 already; what is left is the sweep's state.
    private static ProblemHttpResult Refused(string problem, string title) =>
        TypedResults.Problem(problem, statusCode: StatusCodes.Status409Conflict, title: title);
}

/// <summary>Body of POST /api/sweeps/{id}/pick: the trial (its run id) to retrain as the sweep's result.</summary>
public sealed record SweepPickRequest(int RunId);
