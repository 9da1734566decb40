using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Runs;

namespace BlazorForecast.Cli.Commands;

/// <summary>
/// The web app started as a child process (the build places it beside the CLI) on a free loopback port with a
/// temporary data folder of its own, removed with it, so a benchmark can load it from outside and read the server's
/// CPU time apart from its own. It starts with an admin account from configuration; <see cref="Http"/> carries that
/// admin's API token and <see cref="SignInAsync"/> signs a browser in through the sign-in form.
/// </summary>
public sealed class AppServerProcess : IAsyncDisposable
{
    private const string AdminEmail = "bench@blazorforecast.invalid";

    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _adminPassword;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private AppServerProcess(Process process, Uri address, DirectoryInfo data, string adminPassword)
    {
        _process = process;
        _adminPassword = adminPassword;
        Address = address;
        Data = data;
        Http = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    /// <summary>A client for the app's API, signed in as the admin once the app is up.</summary>
    public HttpClient Http { get; }

    /// <summary>The admin's API token (for SignalR clients).</summary>
    public string ApiToken { get; private set; } = "";

    /// <summary>The app's data folder; its SQLite database is <see cref="DatabasePath"/>.</summary>
    public DirectoryInfo Data { get; }

    public string DatabasePath => Path.Combine(Data.FullName, "blazorforecast.db");

    /// <summary>CPU time the server process has used so far (all its threads, user and kernel).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The server process's memory, open handles (file descriptors on Linux) and threads now.</summary>
    public ServerReading Read()
    {
        _process.Refresh();
        var descriptors = $"/proc/{_process.Id}/fd";
        var handles = Directory.Exists(descriptors) ? Directory.EnumerateFileSystemEntries(descriptors).Count() : _process.HandleCount;
        return new ServerReading(_process.WorkingSet64 / 1048576.0, _process.PrivateMemorySize64 / 1048576.0, handles, _process.Threads.Count);
    }

    /// <summary>Everything the server wrote to stdout and stderr so far.</summary>
    public string Output() => Log();

    /// <param name="environment">
    /// Production by default. Pages need Development: beside the CLI, the app finds its static files (Blazor's and
    /// MudBlazor's scripts, styles) through the build's static web assets manifest, as under `dotnet run`.
    /// </param>
    /// <param name="settings">More of the app's settings, as environment variables (e.g. BlazorForecast__Database).</param>
    /// <param name="cancellationToken">Stops waiting for the app to become healthy.</param>
    public static async Task<AppServerProcess> StartAsync(
        string environment = "Production", IReadOnlyDictionary<string, string>? settings = null, CancellationToken cancellationToken = default)
    {
        var host = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "BlazorForecast.Web.exe" : "BlazorForecast.Web");
        if (!File.Exists(host))
        {
            throw new CliUsageException($"The web app was not found beside the CLI ({host}); build the solution first.");
        }

        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var data = Directory.CreateTempSubdirectory("blazorforecast-bench-");
        var dataDirectory = data.FullName;
        var start = new ProcessStartInfo(host, ["--urls", address.ToString()])
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["BlazorForecast__DataDirectory"] = dataDirectory;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var adminPassword = Guid.NewGuid().ToString("N");
        start.Environment["BlazorForecast__Team__AdminEmail"] = AdminEmail;
        start.Environment["BlazorForecast__Team__AdminPassword"] = adminPassword;
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");
        var server = new AppServerProcess(process, address, data, adminPassword);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilHealthyAsync(cancellationToken);
            await server.CreateApiTokenAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Signs the browser in as the admin through the app's sign-in form (its cookie then opens every page).</summary>
    public async Task SignInAsync(ChromiumPage browser)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var timeout = TimeSpan.FromSeconds(60);
        await browser.TimeNavigationAsync(new Uri(Address, "account/login"), "!!document.querySelector('form.account-form #password')", timeout);
        await browser.EvaluateAsync($$"""
            (() => {
                document.querySelector('#email').value = {{JsonSerializer.Serialize(AdminEmail)}};
                document.querySelector('#password').value = {{JsonSerializer.Serialize(_adminPassword)}};
                document.querySelector('form.account-form').submit();
            })()
            """);
        await browser.WaitForAsync("location.pathname !== '/account/login' && document.readyState === 'complete'", timeout);
    }

    /// <summary>The id of the first dataset listed: the demo dataset a new database is seeded with.</summary>
    public async Task<int> FirstDatasetIdAsync() =>
        (await Http.GetFromJsonAsync<JsonElement>("/api/datasets", Json))[0].GetProperty("id").GetInt32();

    public async Task<int> QueueRunAsync(RunRequest request)
    {
        using var response = await Http.PostAsJsonAsync("/api/runs", request, ForecastJson.Options);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("id").GetInt32();
    }

    /// <summary>Polls the run until it ends; anything but Succeeded, or no end within the timeout, is an error.</summary>
    public async Task<RunSummary> WaitForSuccessAsync(int runId, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        RunSummary run;
        while ((run = (await Http.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}", Json)).GetProperty("run").Deserialize<RunSummary>(Json)!)
            .Status is RunStatus.Queued or RunStatus.Running)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Run {runId} did not finish within {timeout.TotalMinutes:F0} minutes.");
            }

            await Task.Delay(250);
        }

        return run.Status == RunStatus.Succeeded ? run : throw new InvalidOperationException($"Run {runId} ended {run.Status}: {run.StatusDetail}");
    }

    private async Task CreateApiTokenAsync()
    {
        using var response = await Http.PostAsJsonAsync("/api/account/tokens", new { name = "benchmark", email = AdminEmail, password = _adminPassword });
        response.EnsureSuccessStatusCode();
        ApiToken = (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("secret").GetString()!;
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiToken);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Data.Delete(recursive: true);
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The web app exited with code {_process.ExitCode}:{Environment.NewLine}{Log()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"The web app did not become healthy within 2 minutes:{Environment.NewLine}{Log()}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private string Log()
    {
        lock (_log)
        {
            return _log.ToString();
        }
    }

    /// <summary>A loopback port nothing listens on at the moment.</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One reading of the server process: working set and private memory in MB, open handles, threads.</summary>
public sealed record ServerReading(double WorkingSetMb, double PrivateMb, int Handles, int Threads);
