using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BlazorForecast.Web.Api;

/// <summary>
/// The API's machine-readable contract at /openapi/v1.json (ASP.NET Core's OpenAPI support): every /api endpoint with
/// its request and response types, the problem-details answers it can give, and the bearer scheme of API tokens.
/// Success types come from the handlers' typed results; the problem answers every endpoint shares follow the rules in
/// <see cref="DescribeProblems{TBuilder}"/>, and each endpoint adds the ones only it gives (409, 429).
/// </summary>
public static class ApiDescription
{
    public const string DocumentPath = "/openapi/v1.json";
    private const string BearerScheme = "Bearer";

    public static IServiceCollection AddApiDescription(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "BlazorForecast API",
                Version = "v1",
                Description = "Datasets, forecast runs and their results, API tokens and the team. Every error is a problem "
                    + "details object (application/problem+json) whose `detail` says what to change; validation errors also list "
                    + "`problems`. Send an API token (Tokens page, or POST /api/account/tokens with an e-mail and password) as "
                    + "`Authorization: Bearer <token>`. Live progress of a run streams over SignalR at /hubs/training: invoke "
                    + "`JoinRun(runId)` for a snapshot, then receive `EpochCompleted`, `BatchProgress` and `StatusChanged`.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API token of a team member; it acts with that member's role.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (RequiresSignIn(metadata))
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
            }

            foreach (var file in metadata.OfType<FileAnswer>())
            {
                operation.Responses ??= [];
                if (!operation.Responses.TryGetValue("200", out var ok) || ok is not OpenApiResponse response)
                {
                    operation.Responses["200"] = response = new OpenApiResponse { Description = "OK" };
                }

                response.Content ??= new Dictionary<string, OpenApiMediaType>();
                response.Content[file.ContentType] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = file.Binary ? "binary" : null, Description = file.Description },
                };
            }

            return Task.CompletedTask;
        });
    });

    /// <summary>Serves the document to anyone: it describes the API, never its data.</summary>
    public static IEndpointConventionBuilder MapApiDescription(this IEndpointRouteBuilder routes) =>
        routes.MapOpenApi(DocumentPath.Replace("v1", "{documentName}", StringComparison.Ordinal)).AllowAnonymous();

    /// <summary>
    /// Declares the problem answers the app's plumbing gives any endpoint: 401 and 403 where a sign-in is needed (the
    /// caller's role or the resource's owner decides), 404 where the route names a resource, 400 and 413 where a body
    /// is sent (validation; the request size limit).
    /// </summary>
    public static TBuilder DescribeProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            var statuses = new SortedSet<int>();
            if (RequiresSignIn(endpoint.Metadata))
            {
                statuses.UnionWith([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden]);
            }

            if (endpoint is RouteEndpointBuilder { RoutePattern.Parameters.Count: > 0 })
            {
                statuses.Add(StatusCodes.Status404NotFound);
            }

            if (endpoint.Metadata.OfType<IHttpMethodMetadata>().SelectMany(m => m.HttpMethods).Any(m => m is "POST" or "PATCH" or "PUT"))
            {
                statuses.UnionWith([StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge]);
            }

            var declared = endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Select(m => m.StatusCode).ToHashSet();
            foreach (var status in statuses.Where(s => !declared.Contains(s)))
            {
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
            }
        });
        return builder;
    }

    /// <summary>Marks an endpoint whose JSON answer also comes as CSV with ?format=csv.</summary>
    public static RouteHandlerBuilder AlsoAnswersCsv(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(new FileAnswer("text/csv", "The same data as CSV, with ?format=csv.", Binary: false));

    /// <summary>Marks an endpoint that answers with a file (a download, not JSON).</summary>
    public static RouteHandlerBuilder AnswersFile(this RouteHandlerBuilder endpoint, string contentType, string description) =>
        endpoint.WithMetadata(new FileAnswer(contentType, description, Binary: contentType != "text/csv"));

    private static bool RequiresSignIn(IEnumerable<object> metadata)
    {
        var list = metadata as IList<object> ?? metadata.ToList();
        return list.OfType<IAuthorizeData>().Any() && !list.OfType<IAllowAnonymous>().Any();
    }
}

/// <summary>A 200 answer that is a file or text of the given type, added to the document by the operation transformer.</summary>
internal sealed record FileAnswer(string ContentType, string Description, bool Binary);

/// <summary>
/// The multipart form of POST /api/datasets as the API description shows it (the endpoint reads the form itself, so a
/// large file streams to disk).
/// </summary>
public sealed class DatasetUploadForm
{
    [Required, Description("The CSV: a date column and numeric columns, comma, semicolon or tab separated.")]
    public required IFormFile File { get; init; }

    [Description("The dataset's name; the file's name when absent.")]
    public string? Name { get; init; }

    public string? Description { get; init; }

    [Description("The column holding the dates; detected when absent.")]
    public string? DateColumn { get; init; }

    [Description("The default series to forecast; the last numeric column when absent.")]
    public string? Target { get; init; }

    [Description("'drop' (default) or 'forward-fill'.")]
    public string? MissingValues { get; init; }

    [Description("'private' or 'team'; the team's default when absent.")]
    public string? Visibility { get; init; }
}

/// <summary>The multipart form of POST /api/runs/import.</summary>
public sealed class ModelImportForm
{
    [Required, Description("A .bfmodel file exported from a run.")]
    public required IFormFile File { get; init; }

    [Required, Description("The dataset the model forecasts from; it must have the model's columns.")]
    public required int DatasetId { get; init; }

    [Description("The imported run's name; the file's name when absent.")]
    public string? Name { get; init; }
}
