using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using BlazorForecast.Web.Api;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Web.Tests.Api;

/// <summary>The OpenAPI document is the API's contract: it must list what the app actually serves.</summary>
public sealed partial class ApiDescriptionTests : IDisposable
{
    private readonly ForecastAppFactory _app = new();
    private JsonElement? _document;

    public void Dispose() => _app.Dispose();

    private async Task<JsonElement> DocumentAsync()
    {
        if (_document is null)
        {
            using var anonymous = _app.CreateAnonymousClient();
            using var response = await anonymous.GetAsync(ApiDescription.DocumentPath);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            _document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }

        return _document.Value;
    }

    /// <summary>Every /api route the app maps, as (METHOD, /path/{param}).</summary>
    private List<(string Method, string Path)> ServedApiEndpoints() => _app.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
        .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => (m, OpenApiPath(e.RoutePattern.RawText!))))
        .Distinct()
        .ToList();

    private static string OpenApiPath(string route) => RouteParameter().Replace(route, "{$1}").TrimEnd('/') is { Length: > 0 } path ? path : "/";

    [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
    private static partial Regex RouteParameter();

    private static JsonElement? Operation(JsonElement document, string method, string path)
    {
        var paths = document.GetProperty("paths");
        foreach (var candidate in new[] { path, path + "/" })
        {
            if (paths.TryGetProperty(candidate, out var item) && item.TryGetProperty(method.ToLowerInvariant(), out var operation))
            {
                return operation;
            }
        }

        return null;
    }

    [Fact]
    public async Task EveryServedApiEndpoint_IsInTheDocument()
    {
        var document = await DocumentAsync();
        var served = ServedApiEndpoints();

        Assert.True(served.Count >= 30, $"Only {served.Count} API endpoints found; the route table is not what this test expects.");
        var missing = served.Where(e => Operation(document, e.Method, e.Path) is null).Select(e => $"{e.Method} {e.Path}").ToList();
        Assert.True(missing.Count == 0, "Missing from the OpenAPI document: " + string.Join(", ", missing));
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryOperation_NamesASuccessAndItsProblemAnswers_AsProblemDetails()
    {
        var document = await DocumentAsync();

        foreach (var (method, path) in ServedApiEndpoints())
        {
            var responses = Operation(document, method, path)!.Value.GetProperty("responses");
            var codes = responses.EnumerateObject().Select(r => r.Name).ToList();
            Assert.True(codes.Any(c => c.StartsWith('2')), $"{method} {path} documents no success answer.");
            if (method == "GET")
            {
                Assert.True(responses.GetProperty("200").TryGetProperty("content", out _), $"GET {path} does not say what it answers.");
            }

            foreach (var problem in codes.Where(c => c[0] is '4' or '5'))
            {
                Assert.True(responses.GetProperty(problem).GetProperty("content").TryGetProperty("application/problem+json", out _),
                    $"{method} {path} answers {problem} without a problem-details body.");
            }

            if (path.Contains('{', StringComparison.Ordinal))
            {
                Assert.Contains("404", codes);
            }

            if (method is "POST" or "PATCH")
            {
                Assert.Contains("400", codes);
                Assert.Contains("413", codes);
            }
        }
    }

    [Fact]
    public async Task SignedInOperations_UseTheBearerScheme_AndTheTokenExchangeDoesNot()
    {
        var document = await DocumentAsync();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var runs = Operation(document, "GET", "/api/runs")!.Value;
        Assert.Equal("Bearer", runs.GetProperty("security")[0].EnumerateObject().Single().Name);
        Assert.Contains("401", runs.GetProperty("responses").EnumerateObject().Select(r => r.Name));
        var exchange = Operation(document, "POST", "/api/account/tokens")!.Value;
        Assert.False(exchange.TryGetProperty("security", out _));
        Assert.Contains("429", exchange.GetProperty("responses").EnumerateObject().Select(r => r.Name));
    }

    [Fact]
    public async Task RequestAndResponseTypes_AreDescribed()
    {
        var document = await DocumentAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");

        var create = Operation(document, "POST", "/api/runs")!.Value;
        Assert.Equal("#/components/schemas/RunRequest", create.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.True(create.GetProperty("responses").GetProperty("202").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(schemas.TryGetProperty("RunSummary", out _));

        var upload = Operation(document, "POST", "/api/datasets")!.Value.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data");
        var form = schemas.GetProperty(upload.GetProperty("schema").GetProperty("$ref").GetString()!.Split('/')[^1]);
        Assert.Equal(["file"], form.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.True(form.GetProperty("properties").TryGetProperty("missingValues", out _));
        var predictions = Operation(document, "GET", "/api/runs/{id}/predictions")!.Value.GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.Equal("#/components/schemas/PredictionsResponse", predictions.GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.False(predictions.GetProperty("text/csv").TryGetProperty("schema", out var csv) && csv.TryGetProperty("$ref", out _), "The CSV is text, not the JSON type.");
        Assert.Contains("409", Operation(document, "DELETE", "/api/datasets/{id}")!.Value.GetProperty("responses").EnumerateObject().Select(r => r.Name));
    }

    [Fact]
    public async Task TheSignOutForm_IsNotPartOfTheApi()
    {
        var document = await DocumentAsync();

        Assert.False(document.GetProperty("paths").TryGetProperty("/account/logout", out _));
    }
}
