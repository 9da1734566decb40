using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BlazorForecast.Cli.Commands;

/// <summary>
/// Headless Chromium driven over the DevTools protocol: just enough to open a page and time how long until a script
/// condition holds. Benchmarks use it instead of a browser-automation package the CLI would otherwise carry.
/// </summary>
public sealed class ChromiumPage : IAsyncDisposable
{
    public const string DefaultPath = "/usr/bin/chromium";

    private readonly Process _browser;
    private readonly ClientWebSocket _socket = new();
    private readonly string _profile;
    private int _nextId;

    private ChromiumPage(Process browser, string profile)
    {
        _browser = browser;
        _profile = profile;
    }

    public static async Task<ChromiumPage> StartAsync(string executable, int width = 1440, int height = 900)
    {
        if (!File.Exists(executable))
        {
            throw new CliUsageException($"Chromium is not installed at {executable} (apt-get install -y chromium), or pass --chromium PATH.");
        }

        var port = AppServerProcess.FreePort();
        var profile = Directory.CreateTempSubdirectory("blazorforecast-chromium-").FullName;
        var start = new ProcessStartInfo(executable,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync",
            "--disable-component-update", $"--window-size={width},{height}", $"--remote-debugging-port={port}", $"--user-data-dir={profile}", "about:blank",
        ])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var browser = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        browser.BeginErrorReadLine();
        browser.BeginOutputReadLine();
        var page = new ChromiumPage(browser, profile);
        await page.ConnectAsync(port);
        return page;
    }

    /// <summary>Navigates and returns the time from the request until <paramref name="readyCondition"/> (a JavaScript expression) is true.</summary>
    public async Task<TimeSpan> TimeNavigationAsync(Uri url, string readyCondition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(url);
        await SendAsync("Page.navigate", new JsonObject { ["url"] = "about:blank" });
        var clock = Stopwatch.StartNew();
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() });
        await WaitForAsync(readyCondition, timeout);
        return clock.Elapsed;
    }

    /// <summary>Waits until <paramref name="condition"/> (a JavaScript expression) is true on the page.</summary>
    public async Task WaitForAsync(string condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await EvaluateAsync(condition) is JsonValue value && value.TryGetValue<bool>(out var ready) && ready)
            {
                return;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"The page was not ready ({condition}) within {timeout.TotalSeconds:F0} s.");
    }

    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        return result?["result"]?["value"];
    }

    public async Task ClearCacheAsync() => await SendAsync("Network.clearBrowserCache", []);

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        if (!_browser.HasExited)
        {
            _browser.Kill(entireProcessTree: true);
            await _browser.WaitForExitAsync();
        }

        _browser.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be releasing files; the temp folder is cleaned by the system.
        }
    }

    private async Task ConnectAsync(int port)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                var targets = await http.GetFromJsonAsync<JsonArray>("/json/list");
                var page = targets?.FirstOrDefault(t => t?["type"]?.GetValue<string>() == "page");
                if (page?["webSocketDebuggerUrl"]?.GetValue<string>() is { } address)
                {
                    await _socket.ConnectAsync(new Uri(address), CancellationToken.None);
                    await SendAsync("Network.enable", []);
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Chromium is still starting.
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException("Chromium's DevTools endpoint did not come up within 30 s.");
            }

            await Task.Delay(100);
        }
    }

    private async Task<JsonNode?> SendAsync(string method, JsonObject parameters)
    {
        var id = ++_nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        while (true)
        {
            var reply = await ReceiveAsync();
            if (reply?["id"]?.GetValue<int>() == id)
            {
                return reply["error"] is { } error ? throw new InvalidOperationException($"{method}: {error.ToJsonString()}") : reply["result"];
            }
        }
    }

    private async Task<JsonNode?> ReceiveAsync()
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(chunk, CancellationToken.None);
            buffer.Write(chunk, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return JsonNode.Parse(buffer.ToArray());
    }
}
