using System.Text.Json;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Features.Results;
using BlazorForecast.Web.Features.Runs;
using BlazorForecast.Web.Features.Team;
using BlazorForecast.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Api;

/// <summary>
/// /api/runs: queue a training (202), import a trained model file as a finished run (201), list, read (status,
/// progress, metrics), rename and annotate (name, notes, tags, visibility), cancel, resume, retry, delete.
/// </summary>
public static class RunEndpoints
{
    public static IEndpointRouteBuilder MapRunEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/runs").WithTags("Runs")
            .RequireAuthorization().RequireRunAccess().RequireAntiforgeryForCookies();
        group.MapPost("/", CreateAsync).RequireAuthorization(TeamAccessRegistration.CanCreate).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/import", ImportAsync).AcceptsUpload(routes).RequireAuthorization(TeamAccessRegistration.CanCreate)
            .Accepts<ModelImportForm>("multipart/form-data").ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:int}", GetAsync);
        group.MapPatch("/{id:int}", UpdateAsync);
        group.MapDelete("/{id:int}", DeleteAsync);
        group.MapGet("/{id:int}/share-links", ListShareLinksAsync);
        group.MapPost("/{id:int}/share-links", CreateShareLinkAsync);
        group.MapDelete("/{id:int}/share-links/{linkId:int}", RevokeShareLinkAsync);
        group.MapPost("/{id:int}/cancel", CancelAsync).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:int}/resume", (int id, HttpContext context, RunService runs, CancellationToken ct) => RequeueAsync(id, Caller.From(context.User), runs.ResumeAsync, ct))
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:int}/retry", (int id, HttpContext context, RunService runs, CancellationToken ct) => RequeueAsync(id, Caller.From(context.User), runs.RetryAsync, ct))
            .ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    private static async Task<Results<Accepted<RunSummary>, ProblemHttpResult>> CreateAsync(
        RunRequest request, HttpContext context, RunService runs, CancellationToken cancellationToken)
    {
        try
        {
            var id = await runs.CreateAsync(request, Caller.From(context.User), cancellationToken);
            return TypedResults.Accepted($"/api/runs/{id}", (await runs.GetAsync(id, cancellationToken))!);
        }
        catch (RunValidationException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "The run cannot start",
                extensions: new Dictionary<string, object?> { ["problems"] = ex.Problems });
        }
        catch (RateLimitedException ex)
        {
            return ApiProblems.From(ex);
        }
    }

    private static async Task<Results<Created<RunSummary>, ProblemHttpResult>> ImportAsync(
        HttpRequest request, RunService runs, IOptions<BlazorForecastOptions> options, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return ImportProblem("Send the model as multipart/form-data: the .bfmodel file in a field named 'file' and the dataset's id in 'datasetId'.");
        }

        if (await ApiProblems.ReadUploadFormAsync(request, cancellationToken) is not { } form)
        {
            return ApiProblems.UploadTooLarge(options.Value.MaxUploadBytes);
        }

        if (form.Files.GetFile("file") is not { } file)
        {
            return ImportProblem("No file: send the .bfmodel file in a field named 'file'.");
        }

        if (!int.TryParse(form["datasetId"], out var datasetId))
        {
            return ImportProblem("Say which dataset the model forecasts from: 'datasetId'.");
        }

        try
        {
            await using var stream = file.OpenReadStream();
            var id = await runs.ImportModelAsync(stream, file.FileName, datasetId, form["name"], Caller.From(request.HttpContext.User),
                options.Value.MaxUploadBytes, cancellationToken);
            return TypedResults.Created($"/api/runs/{id}", (await runs.GetAsync(id, cancellationToken))!);
        }
        catch (RunValidationException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "The model cannot be imported",
                extensions: new Dictionary<string, object?> { ["problems"] = ex.Problems });
        }
        catch (RateLimitedException ex)
        {
            return ApiProblems.From(ex);
        }
    }

    private static async Task<Results<Ok<RunSummary>, ProblemHttpResult>> UpdateAsync(
        int id, RunUpdateRequest update, HttpContext context, RunService runs, CancellationToken cancellationToken)
    {
        if (await runs.GetAsync(id, cancellationToken) is null)
        {
            return NotFound(id);
        }

        var problems = await runs.UpdateAsync(id, update, Caller.From(context.User), cancellationToken);
        return problems is null
            ? TypedResults.Ok((await runs.GetAsync(id, cancellationToken))!)
            : TypedResults.Problem(string.Join(" ", problems), statusCode: StatusCodes.Status400BadRequest, title: "The run cannot be changed",
                extensions: new Dictionary<string, object?> { ["problems"] = problems });
    }

    private static ProblemHttpResult ImportProblem(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The model cannot be imported");

    private static async Task<Ok<IReadOnlyList<RunSummary>>> ListAsync(
        HttpContext context, RunService runs, int? datasetId, string? tag, bool? mine, int? skip, int? take, CancellationToken cancellationToken) =>
        TypedResults.Ok((await runs.QueryAsync(new RunQuery(datasetId, Skip: skip ?? 0, Take: take ?? 50, Tag: tag, OnlyMine: mine == true),
            Caller.From(context.User), cancellationToken)).Items);

    private static async Task<Results<Ok<RunDetailsResponse>, ProblemHttpResult>> GetAsync(int id, RunService runs, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(id, cancellationToken);
        if (run is null)
        {
            return NotFound(id);
        }

        var result = await runs.ResultJsonAsync(id, cancellationToken);
        if (result is null)
        {
            return TypedResults.Ok(new RunDetailsResponse(run, null));
        }

        var stored = StoredResults.Read((await runs.ConfigAsync(id, cancellationToken))?.Config ?? new ForecastConfig(), result);
        return TypedResults.Ok(new RunDetailsResponse(run, stored.Direction is null && stored.Universe is null ? stored.Folds : null)
        {
            Direction = stored.Direction,
            Universe = stored.Universe,
        });
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> CancelAsync(int id, HttpContext context, RunService runs, CancellationToken cancellationToken)
    {
        if (await runs.GetAsync(id, cancellationToken) is null)
        {
            return NotFound(id);
        }

        return await runs.CancelAsync(id, Caller.From(context.User), cancellationToken)
            ? TypedResults.Accepted($"/api/runs/{id}")
            : TypedResults.Problem($"Run {id} has already finished.", statusCode: StatusCodes.Status409Conflict, title: "Nothing to stop");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(int id, HttpContext context, RunService runs, CancellationToken cancellationToken)
    {
        var problem = await runs.DeleteAsync(id, Caller.From(context.User), cancellationToken);
        return problem is null ? TypedResults.NoContent() : RefusedProblem(problem, "The run cannot be deleted");
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> RequeueAsync(
        int id, Caller by, Func<int, Caller, CancellationToken, Task<string?>> requeue, CancellationToken cancellationToken)
    {
        var problem = await requeue(id, by, cancellationToken);
        return problem is null ? TypedResults.Accepted($"/api/runs/{id}") : RefusedProblem(problem, "The run cannot be queued again");
    }

    // RunService answers a refusal in words: a missing run is 404, anything else the run's state forbids is 409.
    private static ProblemHttpResult RefusedProblem(string problem, string title) => TypedResults.Problem(problem,
        statusCode: problem.StartsWith("There is no run", StringComparison.Ordinal) ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict,
        title: title);

    private static async Task<Results<Ok<IReadOnlyList<ShareLinkInfo>>, ProblemHttpResult>> ListShareLinksAsync(
        int id, HttpContext context, RunService runs, RunShareLinks links, CancellationToken cancellationToken)
    {
        // Reading a run is not enough to see who it was shared with: the links are the owner's business.
        var ownership = await runs.OwnershipAsync(id, cancellationToken);
        return Caller.From(context.User).CanEdit(ownership!)
            ? TypedResults.Ok(await links.ListAsync(id, cancellationToken))
            : TypedResults.Problem("Only the run's owner or an admin sees its share links.", statusCode: StatusCodes.Status403Forbidden, title: "Not allowed");
    }

    private static async Task<Results<Created<ShareLinkResponse>, ProblemHttpResult>> CreateShareLinkAsync(
        int id, ShareLinkRequest request, HttpContext context, RunShareLinks links, CancellationToken cancellationToken)
    {
        var (link, problem) = await links.CreateAsync(id, Caller.From(context.User), request.ExpiresInDays ?? RunShareLinks.DefaultDays, cancellationToken);
        if (link is null)
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "The run cannot be shared");
        }

        var url = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/{link.Path}";
        return TypedResults.Created($"/api/runs/{id}/share-links/{link.Link.Id}", new ShareLinkResponse(link.Link, url));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeShareLinkAsync(
        int id, int linkId, HttpContext context, RunShareLinks links, CancellationToken cancellationToken) =>
        await links.RevokeAsync(id, linkId, Caller.From(context.User), cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem($"Run {id} has no share link {linkId}.", statusCode: StatusCodes.Status404NotFound, title: "Share link not found");

    private static ProblemHttpResult NotFound(int id) =>
        TypedResults.Problem($"There is no run {id}.", statusCode: StatusCodes.Status404NotFound, title: "Run not found");
}

/// <summary>Body of POST /api/runs/{id}/share-links.</summary>
public sealed record ShareLinkRequest(int? ExpiresInDays);

/// <summary>A new share link with its address, which holds the secret and appears in this answer only.</summary>
public sealed record ShareLinkResponse(ShareLinkInfo Link, string Url);

/// <summary>GET /api/runs/{id}: the run and, once finished, its per-fold test results (GET …/metrics has the verdicts and tests).</summary>
public sealed record RunDetailsResponse(RunSummary Run, IReadOnlyList<StoredFold>? Results)
{
    /// <summary>A direction run's folds and pooled classification (its <see cref="Results"/> are null); null otherwise.</summary>
    public DirectionResults? Direction { get; init; }

    /// <summary>A run across its targets: each series' scores and the cross-section's (its <see cref="Results"/> are null); null otherwise.</summary>
    public UniverseResults? Universe { get; init; }
}
