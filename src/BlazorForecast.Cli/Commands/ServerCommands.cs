using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace BlazorForecast.Cli.Commands;

/// <summary>
/// The CLI against a team's BlazorForecast server, with a personal API token: `pull` downloads a finished run's model
/// (for `forecast` on this machine), `push` turns a model trained here into a run on the server.
/// </summary>
public static class ServerCommands
{
    public const string TokenVariable = "BLAZORFORECAST_TOKEN";

    public static async Task<int> PullAsync(CliArguments args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Positional.Count != 1 || !int.TryParse(args.Positional[0], NumberStyles.None, CultureInfo.InvariantCulture, out var runId))
        {
            throw new CliUsageException("pull needs the id of a finished run, e.g. pull 42 --server https://forecast.example.com");
        }

        using var client = Client(args);
        using var response = await client.GetAsync(new Uri($"api/runs/{runId}/model", UriKind.Relative));
        await EnsureSuccessAsync(response, $"run {runId}'s model");
        var path = Path.GetFullPath(args.Value("out") ?? $"run-{runId}.bfmodel");
        await using (var file = File.Create(path))
        {
            await response.Content.CopyToAsync(file);
        }

        await output.WriteLineAsync($"Saved run {runId}'s model to {path}");
        return 0;
    }

    public static async Task<int> PushAsync(CliArguments args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Positional.Count != 1 || args.Value("dataset") is not { } dataset)
        {
            throw new CliUsageException("push needs a model file and the server's dataset it forecasts from, e.g. push model.bfmodel --dataset 3 --server https://forecast.example.com");
        }

        var path = args.Positional[0];
        if (!File.Exists(path))
        {
            throw new CliUsageException($"There is no file {path}.");
        }

        using var client = Client(args);
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(await File.ReadAllBytesAsync(path)), "file", Path.GetFileName(path) },
            { new StringContent(dataset), "datasetId" },
        };
        if (args.Value("name") is { } name)
        {
            form.Add(new StringContent(name), "name");
        }

        using var response = await client.PostAsync(new Uri("api/runs/import", UriKind.Relative), form);
        await EnsureSuccessAsync(response, "the model");
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = run.GetProperty("id").GetInt32();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Run {id} “{run.GetProperty("name").GetString()}” on the server: {new Uri(client.BaseAddress!, $"runs/{id}")}"));
        return 0;
    }

    private static HttpClient Client(CliArguments args)
    {
        var server = args.Value("server") ?? throw new CliUsageException("Say which server: --server https://forecast.example.com");
        if (!Uri.TryCreate(server.EndsWith('/') ? server : server + "/", UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            throw new CliUsageException($"--server must be an http(s) address, not '{server}'.");
        }

        var token = args.Value("token") ?? Environment.GetEnvironmentVariable(TokenVariable);
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new CliUsageException($"Give an API token (account menu → API tokens) with --token or in {TokenVariable}.");
        }

        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        return client;
    }

    // The server answers problems as RFC 7807 details; their detail is the message for the user.
    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string? detail = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : null;
        }

        throw new CliUsageException($"The server refused {what} ({(int)response.StatusCode}): {detail ?? response.ReasonPhrase}");
    }
}
