using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Runs;
using BlazorForecast.Web.Features.Training;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Cli.Commands;

/// <summary>
/// `bench soak`: one app (its own process) under mixed traffic for a set time — members uploading CSVs, starting and
/// stopping runs, reading results, joining runs over the hub and sending bad input, a viewer trying what it may not,
/// and a Chromium tab opening live run pages — then checks what a long-lived server must keep: no 5xx, every answer
/// the one its request deserves, no error or unobserved task exception in the log, memory and open handles flat after
/// the warm-up, and every run in a final state once the traffic stops.
/// </summary>
public static class SoakBenchmark
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(CliArguments args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var duration = TimeSpan.FromMinutes(args.WholeNumber("minutes", 30, 1));
        var members = args.WholeNumber("clients", 4, 1);
        var chromium = args.Value("chromium") ?? ChromiumPage.DefaultPath;

        await using var server = await AppServerProcess.StartAsync("Development");
        var tally = new Tally();
        var clients = new List<SoakClient>();
        for (var i = 0; i < members; i++)
        {
            clients.Add(await SoakClient.CreateAsync(server, tally, $"member{i}", "Member", seed: i + 1));
        }

        clients.Add(await SoakClient.CreateAsync(server, tally, "viewer", "Viewer", seed: 99));
        var browser = File.Exists(chromium) ? await ChromiumPage.StartAsync(chromium, 1280, 800) : null;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Soak for {duration.TotalMinutes:F0} min against {server.Address} (its own process): {members} members, a viewer{(browser is null ? "" : " and a Chromium tab")}."));

        using var stop = new CancellationTokenSource(duration);
        var samples = new List<Sample>();
        var sampling = SampleAsync(server, samples, output, stop.Token);
        var traffic = clients.Select(c => c.RunAsync(stop.Token)).ToList();
        var pages = browser is null ? Task.CompletedTask : BrowseAsync(server, browser, clients[0], tally, stop.Token);
        await Task.WhenAll([.. traffic, pages, sampling]);
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        var unfinished = await WaitForRunsToEndAsync(server, clients.SelectMany(c => c.Runs).ToList(), TimeSpan.FromMinutes(10));
        var statuses = await RunStatusesAsync(server);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        return await ReportAsync(output, server, tally, samples, statuses, unfinished, duration);
    }

    private static async Task SampleAsync(AppServerProcess server, List<Sample> samples, TextWriter output, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var reading = server.Read();
                samples.Add(new Sample(clock.Elapsed, reading.WorkingSetMb, reading.PrivateMb, reading.Handles, reading.Threads));
                if (samples.Count % 30 == 1)
                {
                    var s = samples[^1];
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"  {s.At.TotalMinutes,5:F1} min: working set {s.WorkingSetMb:F0} MB, private {s.PrivateMb:F0} MB, {s.Handles} handles, {s.Threads} threads"));
                }

                await Task.Delay(SampleInterval, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The soak is over.
        }
    }

    // Chromium opens the page of a running run when there is one (the live page: hub events, chart growing), else a
    // finished one or a list, waits for Blazor to be interactive, stays a few seconds, and moves on.
    private static async Task BrowseAsync(AppServerProcess server, ChromiumPage browser, SoakClient reader, Tally tally, CancellationToken stop)
    {
        await server.SignInAsync(browser);
        var random = new Random(5);
        while (!stop.IsCancellationRequested)
        {
            var runs = await reader.VisibleRunsAsync();
            var running = runs.Where(r => r.Status == RunStatus.Running).ToList();
            var path = running.Count > 0 ? $"runs/{running[random.Next(running.Count)].Id}"
                : runs.Count > 0 && random.Next(3) > 0 ? $"runs/{runs[random.Next(runs.Count)].Id}"
                : random.Next(2) == 0 ? "datasets" : "runs";
            try
            {
                await browser.TimeNavigationAsync(new Uri(server.Address, path), "document.body?.dataset.interactive === 'true'", TimeSpan.FromSeconds(60));
                tally.Count("page", path.StartsWith("runs/", StringComparison.Ordinal) ? "run page" : path, expected: true);
                await Task.Delay(TimeSpan.FromSeconds(random.Next(2, 6)), stop);
            }
            catch (TimeoutException)
            {
                tally.Count("page", $"{path}: not interactive within 60 s", expected: false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static async Task<List<int>> WaitForRunsToEndAsync(AppServerProcess server, List<int> runs, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var open = (await RunStatusesAsync(server)).Where(r => runs.Contains(r.Key) && r.Value is RunStatus.Queued or RunStatus.Running).Select(r => r.Key).ToList();
            if (open.Count == 0 || clock.Elapsed > timeout)
            {
                return open;
            }

            await Task.Delay(1000);
        }
    }

    private static async Task<Dictionary<int, RunStatus>> RunStatusesAsync(AppServerProcess server)
    {
        var statuses = new Dictionary<int, RunStatus>();
        for (var skip = 0; ; skip += 500)
        {
            var page = await server.Http.GetFromJsonAsync<List<RunSummary>>($"/api/runs?skip={skip}&take=500", Json) ?? [];
            foreach (var run in page)
            {
                statuses[run.Id] = run.Status;
            }

            if (page.Count < 500)
            {
                return statuses;
            }
        }
    }

    private static async Task<int> ReportAsync(
        TextWriter output, AppServerProcess server, Tally tally, List<Sample> samples, Dictionary<int, RunStatus> statuses, List<int> unfinished, TimeSpan duration)
    {
        var log = server.Output();
        var errors = log.Split('\n').Where(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal)).ToList();
        var unobserved = log.Split('\n').Count(l => l.Contains("Unobserved task exception", StringComparison.Ordinal));

        // The first third warms up (JIT, libtorch's pools, SQLite's cache, the first circuits); flat means the last third
        // holds no more than the middle one.
        var third = samples.Count / 3;
        var middle = samples.Skip(third).Take(third).ToList();
        var last = samples.Skip(2 * third).ToList();
        var memoryGrowth = Median(last, s => s.WorkingSetMb) / Median(middle, s => s.WorkingSetMb) - 1;
        var handleGrowth = Median(last, s => s.Handles) / Median(middle, s => s.Handles) - 1;
        var slope = Slope(samples.Skip(third).ToList());
        var flat = third > 0 && memoryGrowth <= 0.10 && handleGrowth <= 0.10;

        await output.WriteLineAsync();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Requests in {duration.TotalMinutes:F0} min ({tally.Total:N0}, {tally.Total / duration.TotalSeconds:F1} per second):"));
        foreach (var line in tally.Lines())
        {
            await output.WriteLineAsync("  " + line);
        }

        var byStatus = statuses.Values.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""

            Server errors (5xx): {tally.ServerErrors}; unexpected answers: {tally.Unexpected}; transport failures: {tally.TransportFailures}
            Log: {errors.Count} error lines, {unobserved} unobserved task exceptions
            Runs at the end: {string.Join(", ", byStatus)}; not final 10 min after the traffic stopped: {unfinished.Count}
            Memory (working set, median): {Median(middle, s => s.WorkingSetMb):F0} MB in the middle third, {Median(last, s => s.WorkingSetMb):F0} MB in the last ({memoryGrowth:P1}); trend after warm-up {slope:F1} MB/hour
            Open handles (median): {Median(middle, s => s.Handles):F0} in the middle third, {Median(last, s => s.Handles):F0} in the last ({handleGrowth:P1}); threads {samples.LastOrDefault()?.Threads}
            Database: {new FileInfo(server.DatabasePath).Length / 1048576.0:F1} MB
            """));
        foreach (var error in errors.Take(10))
        {
            await output.WriteLineAsync("  " + error);
        }

        var passed = tally.ServerErrors == 0 && tally.Unexpected == 0 && tally.TransportFailures == 0 && errors.Count == 0 && unobserved == 0
            && unfinished.Count == 0 && flat;
        await output.WriteLineAsync(passed ? "Soak passed." : "Soak FAILED: see above.");
        return passed ? 0 : 1;
    }

    private static double Median<T>(List<T> items, Func<T, double> value)
    {
        var sorted = items.Select(value).Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    // Least-squares slope of the working set, in MB per hour.
    private static double Slope(List<Sample> samples)
    {
        if (samples.Count < 2)
        {
            return double.NaN;
        }

        var x = samples.Select(s => s.At.TotalHours).ToList();
        var y = samples.Select(s => s.WorkingSetMb).ToList();
        var (mx, my) = (x.Average(), y.Average());
        return x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum() / x.Sum(a => (a - mx) * (a - mx));
    }

    /// <summary>One reading of the server process.</summary>
    public sealed record Sample(TimeSpan At, double WorkingSetMb, double PrivateMb, int Handles, int Threads);

    /// <summary>Answers counted by operation and outcome; what was not the expected answer is counted apart.</summary>
    private sealed class Tally
    {
        private readonly ConcurrentDictionary<(string Operation, string Outcome, bool Expected), int> _counts = new();
        private int _serverErrors;
        private int _unexpected;
        private int _transport;

        public int Total => _counts.Values.Sum();

        public int ServerErrors => _serverErrors;

        public int Unexpected => _unexpected;

        public int TransportFailures => _transport;

        public void Count(string operation, string outcome, bool expected)
        {
            _counts.AddOrUpdate((operation, outcome, expected), 1, (_, n) => n + 1);
            if (!expected)
            {
                Interlocked.Increment(ref _unexpected);
            }
        }

        public void Answer(string operation, HttpStatusCode status, params HttpStatusCode[] expected)
        {
            if ((int)status >= 500)
            {
                Interlocked.Increment(ref _serverErrors);
            }

            Count(operation, ((int)status).ToString(CultureInfo.InvariantCulture), expected.Contains(status));
        }

        public void TransportFailed(string operation, Exception ex)
        {
            Interlocked.Increment(ref _transport);
            _counts.AddOrUpdate((operation, ex.GetType().Name, false), 1, (_, n) => n + 1);
        }

        public IEnumerable<string> Lines() => _counts.GroupBy(c => c.Key.Operation).OrderBy(g => g.Key).Select(g =>
            $"{g.Key,-16} " + string.Join(", ", g.OrderByDescending(c => c.Value).Select(c => $"{c.Value:N0}× {c.Key.Outcome}{(c.Key.Expected ? "" : " (UNEXPECTED)")}")));
    }

    /// <summary>One person's traffic: their own API token, their datasets and runs, a random but seeded mix of requests.</summary>
    private sealed class SoakClient : IAsyncDisposable
    {
        private const int MaxOwnDatasets = 4;
        private readonly AppServerProcess _server;
        private readonly Tally _tally;
        private readonly HttpClient _http;
        private readonly string _token;
        private readonly bool _viewer;
        private readonly Random _random;
        private readonly List<int> _datasets = [];
        private readonly ConcurrentBag<int> _runs = [];

        private SoakClient(AppServerProcess server, Tally tally, HttpClient http, string token, bool viewer, int seed)
        {
            (_server, _tally, _http, _token, _viewer) = (server, tally, http, token, viewer);
            _random = new Random(seed);
        }

        public IReadOnlyCollection<int> Runs => _runs;

        public static async Task<SoakClient> CreateAsync(AppServerProcess server, Tally tally, string name, string role, int seed)
        {
            var email = $"{name}@soak.invalid";
            var password = Guid.NewGuid().ToString("N");
            using (var created = await server.Http.PostAsJsonAsync("/api/users", new { email, displayName = name, role, password }))
            {
                created.EnsureSuccessStatusCode();
            }

            var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(100) };
            using var token = await http.PostAsJsonAsync("/api/account/tokens", new { name = "soak", email, password });
            token.EnsureSuccessStatusCode();
            var secret = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
            return new SoakClient(server, tally, http, secret, role == "Viewer", seed);
        }

        public async Task RunAsync(CancellationToken stop)
        {
            var operations = _viewer
                ? new (int Weight, Func<Task> Run)[] { (6, ListAsync), (5, ResultsAsync), (3, HubAsync), (3, ForbiddenAsync), (2, BadInputAsync) }
                : [(4, ListAsync), (3, UploadAsync), (4, StartRunAsync), (2, CancelRunAsync), (5, ResultsAsync), (3, HubAsync), (3, BadInputAsync), (1, DeleteAsync), (1, DescriptionAsync)];
            var total = operations.Sum(o => o.Weight);
            while (!stop.IsCancellationRequested)
            {
                var pick = _random.Next(total);
                var operation = operations.First(o => (pick -= o.Weight) < 0);
                await operation.Run();
                try
                {
                    await Task.Delay(_random.Next(200, 1200), stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        public async Task<List<RunSummary>> VisibleRunsAsync() =>
            await _http.GetFromJsonAsync<List<RunSummary>>("/api/runs?take=100", Json) ?? [];

        private async Task<HttpStatusCode?> SendAsync(string operation, Func<Task<HttpResponseMessage>> send, params HttpStatusCode[] expected)
        {
            try
            {
                using var response = await send();
                _tally.Answer(operation, response.StatusCode, expected);
                return response.StatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                _tally.TransportFailed(operation, ex);
                return null;
            }
        }

        private async Task ListAsync()
        {
            var path = _random.Next(3) switch { 0 => "/api/datasets", 1 => "/api/runs?take=50", _ => "/api/activity?take=20" };
            await SendAsync("list", () => _http.GetAsync(path), HttpStatusCode.OK);
        }

        private async Task UploadAsync()
        {
            if (_datasets.Count >= MaxOwnDatasets)
            {
                await DeleteDatasetAsync(_datasets[0]);
                return;
            }

            var rows = _random.Next(400, 3000);
            var csv = new StringBuilder("Date,Open,High,Low,Close,Volume\n");
            var price = 100.0;
            for (var i = 0; i < rows; i++)
            {
                price *= Math.Exp(0.01 * (_random.NextDouble() - 0.5));
                csv.Append(CultureInfo.InvariantCulture, $"{new DateTime(2010, 1, 4).AddDays(i):yyyy-MM-dd},{price:F4},{price * 1.01:F4},{price * 0.99:F4},{price:F4},{_random.Next(1000, 9000)}\n");
            }

            try
            {
                using var form = new MultipartFormDataContent { { new StringContent(csv.ToString()), "file", "soak.csv" }, { new StringContent($"soak {rows}"), "name" } };
                using var response = await _http.PostAsync("/api/datasets", form);
                _tally.Answer("upload", response.StatusCode, HttpStatusCode.Created);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    _datasets.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32());
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                _tally.TransportFailed("upload", ex);
            }
        }

        private async Task DeleteDatasetAsync(int id)
        {
            // 409 while one of its runs is queued or training; it is tried again later.
            if (await SendAsync("delete dataset", () => _http.DeleteAsync($"/api/datasets/{id}"), HttpStatusCode.NoContent, HttpStatusCode.Conflict) == HttpStatusCode.NoContent)
            {
                _datasets.Remove(id);
            }
        }

        private async Task StartRunAsync()
        {
            if (_datasets.Count == 0)
            {
                await UploadAsync();
                return;
            }

            // The single training slot keeps up: nobody queues more than two runs at a time.
            var mine = await VisibleRunsAsync();
            if (mine.Count(r => _runs.Contains(r.Id) && r.Status is RunStatus.Queued or RunStatus.Running) >= 2)
            {
                return;
            }

            var kind = new[] { ModelKind.Mlp, ModelKind.Lstm, ModelKind.DLinear, ModelKind.Gru }[_random.Next(4)];
            var request = new RunRequest(_datasets[_random.Next(_datasets.Count)], new ForecastConfig
            {
                Targets = ["Close"],
                Transform = TargetTransform.LogReturn,
                Lookback = 16,
                Horizon = 3,
                Model = new ModelOptions { Kind = kind, HiddenSize = 16, Layers = 1 },
                Training = new TrainingOptions { MaxEpochs = _random.Next(2, 6), BatchSize = 64, Seeds = _random.Next(4) == 0 ? 2 : 1 },
            }, "soak run");
            try
            {
                using var response = await _http.PostAsJsonAsync("/api/runs", request, ForecastJson.Options);
                _tally.Answer("start run", response.StatusCode, HttpStatusCode.Accepted);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    _runs.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32());
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                _tally.TransportFailed("start run", ex);
            }
        }

        // Mostly a run of one's own that is queued or training; otherwise one that has ended (409) or gone (404).
        private async Task CancelRunAsync()
        {
            var active = (await VisibleRunsAsync()).Where(r => _runs.Contains(r.Id) && r.Status is RunStatus.Queued or RunStatus.Running).Select(r => r.Id).ToList();
            if (Pick(active.Count > 0 ? active : _runs.ToList()) is int id)
            {
                // 404 once the run went with its dataset.
                await SendAsync("cancel run", () => _http.PostAsync($"/api/runs/{id}/cancel", null), HttpStatusCode.Accepted, HttpStatusCode.Conflict, HttpStatusCode.NotFound);
            }
        }

        private async Task DeleteAsync()
        {
            var finished = (await VisibleRunsAsync()).Where(r => _runs.Contains(r.Id) && r.Status is RunStatus.Succeeded or RunStatus.Cancelled).Select(r => r.Id).ToList();
            if (Pick(finished) is int id)
            {
                await SendAsync("delete run", () => _http.DeleteAsync($"/api/runs/{id}"), HttpStatusCode.NoContent, HttpStatusCode.NotFound);
            }
        }

        // Results of a run someone finished: 200, or 409 while it has none (queued, running, stopped before evaluating);
        // 404 when it was deleted since the list was read.
        private async Task ResultsAsync()
        {
            var runs = await VisibleRunsAsync();
            if (Pick(runs.Select(r => r.Id).ToList()) is not int id)
            {
                return;
            }

            var path = _random.Next(4) switch
            {
                0 => $"/api/runs/{id}",
                1 => $"/api/runs/{id}/metrics",
                2 => $"/api/runs/{id}/predictions?step=1",
                _ => $"/api/runs/{id}/risk",
            };
            var expected = path.EndsWith($"/{id}", StringComparison.Ordinal) ? new[] { HttpStatusCode.OK, HttpStatusCode.NotFound }
                : [HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.NotFound];
            await SendAsync("results", () => _http.GetAsync(path), expected);
        }

        private async Task HubAsync()
        {
            var runs = await VisibleRunsAsync();
            var running = runs.Where(r => r.Status is RunStatus.Running or RunStatus.Queued).Select(r => r.Id).ToList();
            if (Pick(running.Count > 0 ? running : runs.Select(r => r.Id).ToList()) is not int id)
            {
                return;
            }

            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(_server.Address, TrainingHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(_token))
                .AddJsonProtocol(json => json.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
                .Build();
            var events = 0;
            connection.On<JsonElement>("EpochCompleted", _ => Interlocked.Increment(ref events));
            try
            {
                await connection.StartAsync();
                await connection.InvokeAsync<JsonElement>("JoinRun", id);
                await Task.Delay(_random.Next(500, 4000));
                _tally.Count("hub join", events > 0 ? "snapshot and live epochs" : "snapshot", expected: true);
            }
            catch (HubException ex) when (ex.Message.Contains("There is no run", StringComparison.Ordinal))
            {
                _tally.Count("hub join", "run deleted since listed", expected: true);
            }
            catch (Exception ex) when (ex is HttpRequestException or HubException or InvalidOperationException or TaskCanceledException)
            {
                _tally.TransportFailed("hub join", ex);
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }

        private async Task ForbiddenAsync()
        {
            var runs = await VisibleRunsAsync();
            switch (_random.Next(3))
            {
                case 0:
                    using (var form = new MultipartFormDataContent { { new StringContent("Date,Close\n2024-01-02,1\n"), "file", "viewer.csv" } })
                    {
                        await SendAsync("viewer writes", () => _http.PostAsync("/api/datasets", form), HttpStatusCode.Forbidden);
                    }

                    break;
                case 1:
                    await SendAsync("viewer writes", () => _http.PostAsJsonAsync("/api/runs", new { datasetId = 1 }), HttpStatusCode.Forbidden);
                    break;
                default:
                    if (Pick(runs.Select(r => r.Id).ToList()) is int id)
                    {
                        await SendAsync("viewer writes", () => _http.PostAsync($"/api/runs/{id}/cancel", null), HttpStatusCode.Forbidden);
                    }

                    break;
            }
        }

        private async Task BadInputAsync()
        {
            var (what, send) = _random.Next(6) switch
            {
                0 => ("no line break", Upload(Encoding.UTF8.GetBytes(new string('x', 70_000)))),
                1 => ("NUL bytes", Upload(Encoding.UTF8.GetBytes("Date,Close\n2024-01-02,1\0\0\n"))),
                2 => ("unbalanced quotes", Upload(Encoding.UTF8.GetBytes("Date,Close\n2024-01-02,1\n\"2024-01-03,2\n2024-01-04,3\n"))),
                3 => ("absurd run", (Func<Task<HttpResponseMessage>>)(() => _http.PostAsJsonAsync("/api/runs",
                    new { datasetId = 1, config = new { lookback = 1_000_000, model = new { hiddenSize = 100_000, layers = 50 }, training = new { maxEpochs = 2_000_000_000 } } }))),
                4 => ("2 MB of JSON", () => _http.PostAsync("/api/runs", new StringContent($"{{\"name\":\"{new string('n', 2 * 1024 * 1024)}\"}}", Encoding.UTF8, "application/json"))),
                _ => ("broken model file", () => _http.PostAsync("/api/runs/import", new MultipartFormDataContent
                {
                    { new ByteArrayContent([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]), "file", "broken.bfmodel" }, { new StringContent("1"), "datasetId" },
                })),
            };
            var expected = _viewer ? new[] { HttpStatusCode.Forbidden, HttpStatusCode.RequestEntityTooLarge }
                : [HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge];
            await SendAsync($"bad input: {what}", send, expected);
        }

        private Func<Task<HttpResponseMessage>> Upload(byte[] content) => () =>
            _http.PostAsync("/api/datasets", new MultipartFormDataContent { { new ByteArrayContent(content), "file", "bad.csv" } });

        private async Task DescriptionAsync() => await SendAsync("openapi", () => _http.GetAsync("/openapi/v1.json"), HttpStatusCode.OK);

        private int? Pick(List<int> ids) => ids.Count == 0 ? null : ids[_random.Next(ids.Count)];

        public ValueTask DisposeAsync()
        {
            _http.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
