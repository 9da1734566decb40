using System.Text;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Team;
using BlazorForecast.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Api;

/// <summary>/api/datasets: upload (multipart), list, read, rename, download as CSV, delete. Errors are RFC 7807.</summary>
public static class DatasetEndpoints
{
    public static IEndpointRouteBuilder MapDatasetEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/datasets").WithTags("Datasets")
            .RequireAuthorization().RequireDatasetAccess().RequireAntiforgeryForCookies();
        group.MapPost("/", UploadAsync).AcceptsUpload(routes).RequireAuthorization(TeamAccessRegistration.CanCreate)
            .Accepts<DatasetUploadForm>("multipart/form-data").ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:int}", GetAsync);
        group.MapPatch("/{id:int}", UpdateAsync);
        group.MapGet("/{id:int}/csv", DownloadCsvAsync).AnswersFile("text/csv", "The dataset as stored: the date column, then every numeric column.");
        group.MapDelete("/{id:int}", DeleteAsync).ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    private static async Task<Results<Created<DatasetResponse>, ProblemHttpResult>> UploadAsync(
        HttpRequest request, DatasetService datasets, IOptions<BlazorForecastOptions> options, IOptions<TeamOptions> team,
        CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxUploadBytes;
        if (!request.HasFormContentType)
        {
            return Problem(StatusCodes.Status400BadRequest, "Not a file upload",
                "Send the CSV as multipart/form-data in a field named 'file'.");
        }

        if (await ApiProblems.ReadUploadFormAsync(request, cancellationToken) is not { } form)
        {
            return ApiProblems.UploadTooLarge(limit);
        }

        var file = form.Files.GetFile("file");
        if (file is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "No file", "Send the CSV in a multipart field named 'file'.");
        }

        if (file.Length > limit)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "File too large", ByteSize.TooLarge(file.Length, limit));
        }

        if (!TryParseMissingPolicy(form["missingValues"], out var policy))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid option",
                $"missingValues must be 'drop' or 'forward-fill', not '{form["missingValues"]}'.");
        }

        if (!TryParseVisibility(form["visibility"], team.Value.DefaultVisibility, out var visibility))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid option",
                $"visibility must be 'private' or 'team', not '{form["visibility"]}'.");
        }

        var importOptions = new CsvImportOptions
        {
            DateColumn = NullIfEmpty(form["dateColumn"]),
            Target = NullIfEmpty(form["target"]),
            MissingValues = policy,
        };

        try
        {
            await using var stream = file.OpenReadStream();
            var details = await datasets.ImportAsync(stream, file.FileName, NullIfEmpty(form["name"]),
                NullIfEmpty(form["description"]), importOptions, Caller.From(request.HttpContext.User), visibility, cancellationToken);
            return TypedResults.Created($"/api/datasets/{details.Id}", DatasetResponse.From(details));
        }
        catch (DatasetImportException ex)
        {
            return ImportProblem(ex);
        }
        catch (RateLimitedException ex)
        {
            return ApiProblems.From(ex);
        }
        catch (DatasetValidationException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid dataset", ex.Message);
        }
    }

    private static async Task<Ok<IReadOnlyList<DatasetSummary>>> ListAsync(HttpContext context, DatasetService datasets, CancellationToken cancellationToken) =>
        TypedResults.Ok(await datasets.ListAsync(Caller.From(context.User), cancellationToken));

    private static async Task<Results<Ok<DatasetResponse>, ProblemHttpResult>> GetAsync(
        int id, DatasetService datasets, CancellationToken cancellationToken)
    {
        var details = await datasets.GetAsync(id, cancellationToken);
        return details is null ? NotFound(id) : TypedResults.Ok(DatasetResponse.From(details));
    }

    private static async Task<Results<Ok<DatasetResponse>, ProblemHttpResult>> UpdateAsync(
        int id, DatasetUpdateRequest body, HttpContext context, DatasetService datasets, CancellationToken cancellationToken)
    {
        var current = await datasets.GetAsync(id, cancellationToken);
        if (current is null)
        {
            return NotFound(id);
        }

        try
        {
            await datasets.UpdateAsync(id, Caller.From(context.User), body.Name ?? current.Name, body.Description ?? current.Summary.Description, body.Visibility, cancellationToken);
        }
        catch (DatasetValidationException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid dataset", ex.Message);
        }

        return TypedResults.Ok(DatasetResponse.From((await datasets.GetAsync(id, cancellationToken))!));
    }

    private static async Task<IResult> DownloadCsvAsync(int id, HttpContext context, DatasetService datasets, CancellationToken cancellationToken)
    {
        var frame = await datasets.GetFrameAsync(id, cancellationToken);
        if (frame is null)
        {
            return NotFound(id);
        }

        // The download name is ours, never the uploader's.
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"dataset-{id}.csv\"";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false), 1 << 16);
        await SeriesCsvWriter.WriteAsync(frame, writer, cancellationToken);
        return TypedResults.Empty;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        int id, HttpContext context, DatasetService datasets, CancellationToken cancellationToken)
    {
        return await datasets.DeleteAsync(id, Caller.From(context.User), cancellationToken) is { } blocker
            ? blocker.StartsWith("There is no dataset", StringComparison.Ordinal) ? NotFound(id) : Problem(StatusCodes.Status409Conflict, "The dataset cannot be deleted", blocker)
            : TypedResults.NoContent();
    }

    private static ProblemHttpResult ImportProblem(DatasetImportException ex)
    {
        var extensions = new Dictionary<string, object?>();
        if (ex.Line is not null)
        {
            extensions["line"] = ex.Line;
        }

        if (ex.Column is not null)
        {
            extensions["column"] = ex.Column;
        }

        return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest,
            title: "The file could not be imported", extensions: extensions);
    }

    private static ProblemHttpResult NotFound(int id) =>
        Problem(StatusCodes.Status404NotFound, "Dataset not found", $"There is no dataset {id}.");

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);

    private static bool TryParseMissingPolicy(string? value, out MissingValuePolicy policy)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "" or "drop" or "droprows" or "drop-rows":
                policy = MissingValuePolicy.DropRows;
                return true;
            case "forward-fill" or "forwardfill" or "ffill":
                policy = MissingValuePolicy.ForwardFill;
                return true;
            default:
                policy = default;
                return false;
        }
    }

    private static bool TryParseVisibility(string? value, Visibility fallback, out Visibility visibility)
    {
        visibility = fallback;
        return string.IsNullOrWhiteSpace(value) || Enum.TryParse(value.Trim(), ignoreCase: true, out visibility) && Enum.IsDefined(visibility);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
