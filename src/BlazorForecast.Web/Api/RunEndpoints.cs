using System.Text.Json;
using BlazorForecast.Web.Features.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorForecast.Web.Api;

/// <summary>
/// /api/runs: queue a training (202), import a trained model file as a finished run (201), list, read (status,
/// progress, metrics), rename and annotate (name, notes, tags), cancel, resume, retry.
/// </summary>
public static class RunEndpoints
{
    public static IEndpointRouteBuilder MapRunEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/runs").WithTags("Runs");
        group.MapPost("/", CreateAsync);
        group.MapPost("/import", ImportAsync).DisableAntiforgery();
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:int}", GetAsync);
        group.MapPatch("/{id:int}", UpdateAsync);
        group.MapPost("/{id:int}/cancel", CancelAsync);
        group.MapPost("/{id:int}/resume", (int id, RunService runs, CancellationToken ct) => RequeueAsync(id, runs.ResumeAsync, ct));
        group.MapPost("/{id:int}/retry", (int id, RunService runs, CancellationToken ct) => RequeueAsync(id, runs.RetryAsync, ct));
        return routes;
    }

    private static async Task<Results<Accepted<RunSummary>, ProblemHttpResult>> CreateAsync(
        RunRequest request, RunService runs, CancellationToken cancellationToken)
    {
        try
        {
            var id = await runs.CreateAsync(request, cancellationToken);
            return TypedResults.Accepted($"/api/runs/{id}", (await runs.GetAsync(id, cancellationToken))!);
        }
        catch (RunValidationException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "The run cannot start",
                extensions: new Dictionary<string, object?> { ["problems"] = ex.Problems });
        }
    }

    private static async Task<Results<Created<RunSummary>, ProblemHttpResult>> ImportAsync(HttpRequest request, RunService runs, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return ImportProblem("Send the model as multipart/form-data: the .bfmodel file in a field named 'file' and the dataset's id in 'datasetId'.");
        }

        var form = await request.ReadFormAsync(cancellationToken);
        if (form.Files.GetFile("file") is not { } file)
        {
            return ImportProblem("No file: send the .bfmodel file in a field named 'file'.");
        }

        if (!int.TryParse(form["datasetId"], out var datasetId))
        {
            return ImportProblem("Say which dataset the model forecasts from: 'datasetId'.");
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        try
        {
            var id = await runs.ImportModelAsync(buffer.ToArray(), file.FileName, datasetId, form["name"], cancellationToken);
            return TypedResults.Created($"/api/runs/{id}", (await runs.GetAsync(id, cancellationToken))!);
        }
        catch (RunValidationException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "The model cannot be imported",
                extensions: new Dictionary<string, object?> { ["problems"] = ex.Problems });
        }
    }

    private static async Task<Results<Ok<RunSummary>, ProblemHttpResult>> UpdateAsync(
        int id, RunUpdateRequest update, RunService runs, CancellationToken cancellationToken)
    {
        if (await runs.GetAsync(id, cancellationToken) is null)
        {
            return NotFound(id);
        }

        var problems = await runs.UpdateAsync(id, update, cancellationToken);
        return problems is null
            ? TypedResults.Ok((await runs.GetAsync(id, cancellationToken))!)
            : TypedResults.Problem(string.Join(" ", problems), statusCode: StatusCodes.Status400BadRequest, title: "The run cannot be changed",
                extensions: new Dictionary<string, object?> { ["problems"] = problems });
    }

    private static ProblemHttpResult ImportProblem(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The model cannot be imported");

    private static async Task<Ok<IReadOnlyList<RunSummary>>> ListAsync(
        RunService runs, int? datasetId, string? tag, int? skip, int? take, CancellationToken cancellationToken) =>
        TypedResults.Ok((await runs.QueryAsync(new RunQuery(datasetId, Skip: skip ?? 0, Take: take ?? 50, Tag: tag), cancellationToken)).Items);

    private static async Task<Results<Ok<RunDetailsResponse>, ProblemHttpResult>> GetAsync(int id, RunService runs, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(id, cancellationToken);
        if (run is null)
        {
            return NotFound(id);
        }

        var result = await runs.ResultJsonAsync(id, cancellationToken);
        return TypedResults.Ok(new RunDetailsResponse(run, result is null ? null : JsonDocument.Parse(result).RootElement));
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> CancelAsync(int id, RunService runs, CancellationToken cancellationToken)
    {
        if (await runs.GetAsync(id, cancellationToken) is null)
        {
            return NotFound(id);
        }

        return await runs.CancelAsync(id, cancellationToken)
            ? TypedResults.Accepted($"/api/runs/{id}")
            : TypedResults.Problem($"Run {id} has already finished.", statusCode: StatusCodes.Status409Conflict, title: "Nothing to stop");
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> RequeueAsync(
        int id, Func<int, CancellationToken, Task<string?>> requeue, CancellationToken cancellationToken)
    {
        var problem = await requeue(id, cancellationToken);
        return problem is null
            ? TypedResults.Accepted($"/api/runs/{id}")
            : TypedResults.Problem(problem, statusCode: problem.StartsWith("There is no run", StringComparison.Ordinal) ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict,
                title: "The run cannot be queued again");
    }

    private static ProblemHttpResult NotFound(int id) =>
        TypedResults.Problem($"There is no run {id}.", statusCode: StatusCodes.Status404NotFound, title: "Run not found");
}

/// <summary>GET /api/runs/{id}: the run and, once finished, its per-fold test results.</summary>
public sealed record RunDetailsResponse(RunSummary Run, JsonElement? Results);
